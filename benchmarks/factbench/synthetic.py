"""The synthetic project: seed articles and fact sheets of any size, in the project's own format."""

from __future__ import annotations

import hashlib
import re
import shutil
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NK_SHEET = "north-korea-troops-russia.yaml"

#: Outlet of every synthetic article: note bodies start with it, so a note is
#: found in the PDF text as "<number> Benchwire".
OUTLET = "Benchwire"
#: Claim tokens (end of every claim text) and attribution tokens (in every
#: "who"): the reference that follows is located on the page of that token.
TOKEN = re.compile(r"\b[KW]\d{4}\b")

#: Claims per synthetic article: a long sheet cites many articles, as a real one would.
CLAIMS_PER_ARTICLE = 20

SECTIONS = [
    ("deployment", "Deployment"),
    ("losses", "Losses and casualties"),
    ("officials", "What officials said"),
    ("disputes", "Denials and disputes"),
]


def _status(i: int) -> str:
    k = i % 20
    return (
        "denied"
        if k == 19
        else "disputed"
        if k in (17, 18)
        else "confirmed"
        if k in (14, 15, 16)
        else "reported"
    )


def _quotes(i: int) -> list[str]:
    """Return the sentences of claim ``i`` as the article prints them (curly apostrophes)."""
    n = 1000 + (i * 37) % 9000
    out = [
        f"In sector {i}, officials counted {n:,} soldiers moved to the line during week {i % 52 + 1}, "
        f"according to the unit’s own reports."
    ]
    if i % 4 == 0:
        out.append(
            f"Observers in sector {i} said losses there were between {n // 20:,} and {n // 10:,}, a figure "
            f"the ministry’s spokesman declined to confirm."
        )
    return out


def article_text(size: int, number: int, claims: range) -> str:
    lines = [
        f"Synthetic wire report {number} for a {size}-claim sheet",
        "",
        "This capture stands in for a long agency report. Its sentences are quoted by the claims "
        "of the benchmark sheet.",
        "",
    ]
    for i in claims:
        para = " ".join(_quotes(i)) + " Local reporters could not verify the account independently."
        lines.extend(textwrap.wrap(para, 76))
        lines.append("")
    return "\n".join(lines).rstrip("\n")


def sheet_yaml(size: int, per_metric: int = 5) -> tuple[str, dict[str, str]]:
    """Return (fact sheet YAML, {article file name: text}) for a sheet of ``size`` claims.

    Each metric is shared by ``per_metric`` consecutive claims, so figures are
    compared across claims in groups of that size (the brief lists every
    figure's relation to each figure above it in its group).
    """
    import yaml

    articles: dict[str, str] = {}
    n_articles = (size + CLAIMS_PER_ARTICLE - 1) // CLAIMS_PER_ARTICLE
    for a in range(n_articles):
        lo = a * CLAIMS_PER_ARTICLE + 1
        claims = range(lo, min(size, lo + CLAIMS_PER_ARTICLE - 1) + 1)
        articles[f"bench-{size}-{a + 1:03d}"] = article_text(size, a + 1, claims)
    claims = []
    for i in range(1, size + 1):
        n = 1000 + (i * 37) % 9000
        status = _status(i)
        group = (i - 1) // 3 + 1
        m = f"{(i - 1) // per_metric + 1:03d}"
        # the rarer figures share a metric per per_metric figures too (a metric per claim block would
        # be labelled for one figure: 2,500 claims would outgrow the format's limit of values)
        m_killed = f"{(i - 1) // (4 * per_metric) + 1:03d}"
        m_vehicles = f"{(i - 1) // (7 * per_metric) + 1:03d}"
        section = "disputes" if status in ("disputed", "denied") else SECTIONS[i % 3][0]
        claim = {
            "id": f"claim-{i:04d}",
            "section": section,
            "text": f"Officials said {n:,} soldiers had moved to sector {i} by week {i % 52 + 1} [K{i:04d}].",
            "status": status,
            "attribution": {
                "who": f"Regional spokesperson W{group:04d}",
                "on_record": i % 5 != 0,
            },
            "figures": [{"metric": f"troops_moved_{m}", "value": n, "unit": "soldiers"}],
            "citations": [],
        }
        if i % 2:  # a date on half
            claim["said_on"] = f"2024-{i % 12 + 1:02d}"
        if i % 8 == 1:
            claim["attribution"]["role"] = "Spokesperson"
        if i % 4 == 2:  # an organisation on a quarter: 2,500 claims stay within the format's limit of values
            claim["attribution"]["organisation"] = f"Regional command {group % 7 + 1}"
        if i % 4 == 0:  # the range its second quote gives
            claim["figures"].append(
                {
                    "metric": f"killed_{m_killed}",
                    "low": n // 20,
                    "high": n // 10,
                    "unit": "soldiers",
                    # the articles give only the troop count; check refuses an unexplained figure
                    "derived": "a twentieth to a tenth of the troops moved",
                }
            )
        if i % 7 == 0:
            claim["figures"].append(
                {"metric": f"vehicles_lost_{m_vehicles}", "unit": "vehicles", "qualifier": "dozens"}
            )
        source = f"bench-{size}-{(i - 1) // CLAIMS_PER_ARTICLE + 1:03d}"
        for q in _quotes(i):
            # Quotes use straight apostrophes: verification folds the article's curly ones.
            claim["citations"].append({"source": source, "quote": q.replace("’", "'")})
        if i % 6 == 0:
            claim["note"] = "Figures for this sector were revised twice in the same week."
        if status == "denied" and i > 1:
            # a denial comes from another speaker than the claim it denies (check refuses the reverse)
            claim["attribution"] = {**claim["attribution"], "who": f"Ministry spokesperson D{i:04d}"}
            claim["attribution"]["organisation"] = "Defence ministry"
            claim["contradicts"] = [f"claim-{i - 1:04d}"]
        claims.append(claim)
    sheet = {
        "title": f"Synthetic brief with {size:,} claims",
        "dek": "Generated for speed and scale measurements.",
        "as_of": "2025-02-28",
        "author": "Benchmarks",
        "summary": "Every claim cites a synthetic wire report that is stored with the sheet.",
        "sections": [{"id": s, "title": t} for s, t in SECTIONS],
        "claims": claims,
        # every metric is labelled once, as check requires of a printed name
        "metrics": [
            {"id": m, "label": m.replace("_", " ").capitalize()}
            for m in dict.fromkeys(f["metric"] for c in claims for f in c["figures"])
        ],
    }
    return yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False, width=100), articles


def catalog_entry(source_id: str, data: bytes, number: int) -> dict:
    return {
        "id": source_id,
        "file": f"{source_id}.txt",
        "original": None,
        "sha256": hashlib.sha256(data).hexdigest(),
        "outlet": OUTLET,
        "headline": f"Synthetic wire report {number}",
        "author": None,
        "published": None,
        "url": None,
        "language": "en",
        "notes": "Synthetic article written by benchmarks/run.py.",
    }


def make_project(root: Path, sizes: list[int], per_metric: int = 5) -> dict[int, Path]:
    """Copy the project's inputs to ``root`` and add a sheet and its articles per size."""
    import yaml

    for name in ("seeds", "templates", "factsheets"):
        shutil.copytree(REPO / name, root / name)
    catalog_path = root / "seeds" / "catalog.yaml"
    catalog = yaml.safe_load(catalog_path.read_text(encoding="utf-8"))
    sheets = {}
    (root / "scale").mkdir()
    for size in sizes:
        text, articles = sheet_yaml(size, per_metric)
        for k, (source_id, body) in enumerate(articles.items(), 1):
            data = body.encode("utf-8")
            (root / "seeds" / f"{source_id}.txt").write_bytes(data)
            catalog["sources"].append(catalog_entry(source_id, data, k))
        path = root / "scale" / f"bench-{size}.yaml"
        path.write_text(text, encoding="utf-8")
        sheets[size] = path
    catalog_path.write_text(
        yaml.safe_dump(catalog, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )
    return sheets


def node_count(value) -> int:
    """Return how many keys and values the loader counts in ``value`` (every YAML node)."""
    if isinstance(value, dict):
        return 1 + sum(1 + node_count(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(node_count(v) for v in value)
    return 1


def largest_size(per_metric: int = 5) -> int:
    """Return the most claims a synthetic sheet can hold within the format's limits (bytes and values)."""
    import yaml

    from factsheet.sources.loading import MAX_FILE_BYTES, MAX_VALUES

    def fits(size: int) -> bool:
        text, _ = sheet_yaml(size, per_metric)
        return len(text.encode("utf-8")) <= MAX_FILE_BYTES and node_count(yaml.safe_load(text)) <= MAX_VALUES

    low, high = 1, 2
    while fits(high):
        low, high = high, high * 2
    while high - low > 1:  # fits(low), not fits(high)
        mid = (low + high) // 2
        low, high = (mid, high) if fits(mid) else (low, mid)
    return low
