#!/usr/bin/env python3
"""Speed and scale of factsheet, measured side by side with pandoc and WeasyPrint.

Run from the repository (see benchmarks/README.md):

    python benchmarks/run.py                 # full run: 10, 100 and 1,000 claims
    python benchmarks/run.py --quick         # fewer runs, same cases
    python benchmarks/run.py --sizes 10,100  # other sheet sizes

Everything happens in a temporary copy of the project: the script writes
synthetic seed articles (with their sha256 in the copy's seeds/catalog.yaml, so
every quote verifies), fact sheets of each size in the project's own format, and
from the very same document model the Markdown (for pandoc) and HTML (for
WeasyPrint) that carry the same text and the same notes. Each case is a whole
process started cold (a new interpreter), run once to warm the disk cache and
then timed several times; the table shows medians with min–max and each
process's peak memory (GNU time's %M, the maximum resident set size).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import html
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NK_SHEET = "north-korea-troops-russia.yaml"

#: The targets the project is held to (seconds, ratios, MiB).
TARGET_NK_PDF_VS_TYPST = 1.0  # × Typst's cold compile of the same content
TARGET_NK_BOTH_VS_TYPST = 1.3
TARGET_WATCH_VS_TYPST = 0.5
TARGET_NK_CHECK = 0.20
TARGET_PDF_VS_WEASYPRINT = 0.20
TARGET_LINEAR = 12.0
TARGET_PEAK_MIB = 150.0
TARGET_EXPORT_UNCHANGED = 1.0

#: Outlet of every synthetic article: note bodies start with it, so a note is
#: found in the PDF text as "<number> Benchwire".
OUTLET = "Benchwire"
#: Claim tokens (end of every claim text) and attribution tokens (in every
#: "who"): the reference that follows is located on the page of that token.
TOKEN = re.compile(r"\b[KW]\d{4}\b")
NOTE_START = re.compile(r"(?<![\d,.])(\d{1,5})\.?\s*" + OUTLET + r"\b")

#: Claims per synthetic article: a long sheet cites many articles, as a real one would.
CLAIMS_PER_ARTICLE = 20


# -- running processes --------------------------------------------------------


@dataclass
class Run:
    seconds: float
    maxrss_kib: int
    returncode: int
    stderr: str = ""
    timed_out: bool = False


@dataclass
class Case:
    """One timed command: what it runs and what it measured."""

    key: str
    label: str
    argv: list[str]
    cwd: Path
    before: object = None  # callable run before every run (not timed)
    timeout: float | None = None
    env: dict | None = None  # instead of the usual environment
    validate: object = None  # callable(Run) -> None, or why the run does not count (it is repeated)
    runs: list[Run] = field(default_factory=list)
    error: str = ""
    single: bool = False
    timed_out: bool = False  # stopped: its time is a lower bound
    needs_warm_up: bool = False  # its first run is a different case (the export that fills the folder)
    load: str = ""  # load average right after the case

    @property
    def times(self) -> list[float]:
        return [r.seconds for r in self.runs]

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.runs and not self.error else None

    @property
    def peak_mib(self) -> float | None:
        if not self.runs or self.error or self.timed_out:
            return None
        return max(r.maxrss_kib for r in self.runs) / 1024 or None


#: GNU time reports the peak RSS of the command alone. Reading ru_maxrss from
#: wait4 here would not: Linux carries the forking process's high-water mark
#: into the child through exec, so every child would show this script's size.
GNU_TIME = "/usr/bin/time"


def run_once(argv: list[str], cwd: Path, env: dict | None = None, timeout: float | None = None) -> Run:
    """Run ``argv`` as a new process; return its wall time and peak RSS (stopped after ``timeout`` s)."""
    import threading

    use_time = os.access(GNU_TIME, os.X_OK)
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as rss:
        full = [GNU_TIME, "-f", "%M", "-o", rss.name, *argv] if use_time else argv
        start = time.perf_counter()
        proc = subprocess.Popen(
            full,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        expired = threading.Event()

        def stop():
            expired.set()
            os.killpg(proc.pid, 9)  # the command and GNU time, started in their own session

        timer = threading.Timer(timeout, stop) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
        maxrss = usage.ru_maxrss
        if use_time:
            lines = [ln for ln in rss.read().splitlines() if ln.strip()]
            maxrss = int(lines[-1]) if lines and lines[-1].strip().isdigit() else 0
            if lines and lines[0].startswith("Command exited with non-zero status"):
                proc.returncode = proc.returncode or int(lines[0].rsplit(" ", 1)[1])
    return Run(seconds, maxrss, proc.returncode, text, expired.is_set())


def measure(case: Case, runs: int, opts) -> Case:
    """Run a case once to warm up, then time it ``runs`` times.

    A case whose first run took longer than ``opts.slow`` seconds gets 2 timed
    runs; one that took longer than ``opts.single`` seconds keeps its first run
    as its only measurement (the program files it reads are in the disk cache
    already, from the smaller sizes), or gets 1 timed run when its first run
    only prepares it. A peer stopped after ``opts.peer_timeout`` seconds is
    reported as taking longer than that.
    """
    env = case.env or opts.env
    if case.before:
        case.before()
    first = run_once(case.argv, case.cwd, env, case.timeout)
    if first.timed_out:
        case.runs.append(first)
        case.timed_out = True
        return case
    if first.returncode != 0:
        case.error = f"exit {first.returncode}: " + (first.stderr.strip().splitlines() or [""])[-1][:160]
        return case
    if first.seconds > opts.single and not case.needs_warm_up:
        case.runs.append(first)
        case.single = True
        return case
    if first.seconds > opts.single:
        runs = 1
    elif first.seconds > opts.slow:
        runs = min(runs, 2)
    for _ in range(runs):
        for attempt in range(3):
            if case.before:
                case.before()
            r = run_once(case.argv, case.cwd, env, case.timeout)
            why = case.validate(r) if case.validate and r.returncode == 0 and not r.timed_out else None
            if why is None:
                break
            print(f"    (run repeated: {why})", flush=True)
        else:
            case.error = f"no valid run: {why}"
            return case
        if r.timed_out:
            case.runs = [r]
            case.timed_out = True
            return case
        if r.returncode != 0:
            case.error = f"exit {r.returncode}: " + (r.stderr.strip().splitlines() or [""])[-1][:160]
            return case
        case.runs.append(r)
    return case


def fmt_time(case: Case | None) -> str:
    if case is None:
        return "n/a"
    if case.error:
        return "FAILED"
    ts = case.times
    if case.timed_out:
        return f"> {ts[0]:5.0f} (stopped)"
    if case.single:
        return f"{ts[0]:7.3f} (one run)"
    return f"{statistics.median(ts):7.3f} ({min(ts):.3f}–{max(ts):.3f})"


# -- the machine --------------------------------------------------------------


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for dist in (
        "python-docx",
        "reportlab",
        "rl-accel",
        "Jinja2",
        "PyYAML",
        "fonttools",
        "lxml",
        "weasyprint",
        "pypandoc-binary",
        "typst",
        "watchfiles",
    ):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    pandoc = pandoc_path()
    if pandoc:
        out = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout
        versions["pandoc"] = out.split("\n", 1)[0].split()[-1] if out else "?"
    try:
        mem = next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
        mem_gib = int(mem.split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        mem_gib = 0
    commit = "unknown"
    try:  # read-only: the commit, and whether src/ or templates/ differ from it
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        )
        if head.returncode == 0:
            commit = head.stdout.strip()
            dirty = subprocess.run(
                ["git", "diff-index", "--quiet", "HEAD", "--", "src", "templates"], cwd=REPO
            )
            if dirty.returncode == 1:
                commit += " with uncommitted changes in src/ or templates/"
    except OSError:
        pass
    return {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="minutes"),
        "commit": commit,
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem_gib, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "versions": versions,
    }


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def pandoc_path() -> str | None:
    try:
        import pypandoc  # noqa: F401  (pypandoc-binary ships the binary next to it)

        path = pypandoc.get_pandoc_path()
        return path if path and Path(path).is_file() else None
    except Exception:  # noqa: BLE001 - not installed or no binary: the peer is skipped
        return shutil.which("pandoc")


def have_weasyprint() -> bool:
    try:
        metadata.version("weasyprint")
        return True
    except metadata.PackageNotFoundError:
        return False


# -- synthetic project ----------------------------------------------------------

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
            f"Observers in sector {i} said losses there could be as high as {n // 10:,}, a figure "
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
        section = "disputes" if status in ("disputed", "denied") else SECTIONS[i % 3][0]
        claim = {
            "id": f"claim-{i:04d}",
            "section": section,
            "text": f"Officials said {n:,} soldiers had moved to sector {i} by week {i % 52 + 1} [K{i:04d}].",
            "status": status,
            "attribution": {
                "who": f"Regional spokesperson W{group:04d}",
                "role": "Spokesperson",
                "organisation": f"Regional command {group % 7 + 1}",
                "on_record": i % 5 != 0,
            },
            "said_on": f"2024-{i % 12 + 1:02d}",
            "figures": [{"metric": f"troops_moved_{m}", "value": n, "unit": "soldiers"}],
            "citations": [],
        }
        if i % 3 == 0:
            claim["figures"].append(
                {
                    "metric": f"killed_{m}",
                    "low": n // 20,
                    "high": n // 10,
                    "unit": "soldiers",
                    "qualifier": "about",
                    # the articles give only the troop count; check refuses an unexplained figure
                    "derived": "a twentieth to a tenth of the troops moved",
                }
            )
        if i % 7 == 0:
            claim["figures"].append(
                {"metric": f"vehicles_lost_{m}", "unit": "vehicles", "qualifier": "dozens"}
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


# -- the same content for the peers ---------------------------------------------


def load_document(root: Path, sheet: Path):
    """Return factsheet's document model of ``sheet`` (the content every tool renders)."""
    from factsheet.pipeline import build
    from factsheet.project import Project

    project = Project(root)
    return build.document_for(project, build.load_sheet(project, sheet))


#: Characters pandoc's Markdown could read as markup (quotes too: no smart-quote conversion).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^$@&'\"])")


def _md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "\\\n")


def md_inlines(inlines) -> str:
    from factsheet.rendering.document import NoteRef

    out = []
    for node in inlines:
        if isinstance(node, NoteRef):
            out.append(f"[^{node.number}]")
            continue
        text = node.text
        core = text.strip(" ")
        if not core:
            out.append(text)
            continue
        lead, trail = text[: len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")) :]
        mark = ("**" if node.bold else "") + ("*" if node.italic else "")
        out.append(f"{lead}{mark}{_md_text(core)}{mark[::-1]}{trail}")
    return "".join(out)


def to_markdown(doc) -> str:
    """Return ``doc`` as pandoc Markdown: the same blocks, the same notes as footnotes."""
    from factsheet.rendering.document import BulletList, Heading, Paragraph, Table

    parts = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            parts.append("#" * block.level + " " + md_inlines(block.inlines))
        elif isinstance(block, Paragraph):
            parts.append(md_inlines(block.inlines))
        elif isinstance(block, BulletList):
            parts.append("\n".join("- " + md_inlines(item) for item in block.items))
        elif isinstance(block, Table):
            rows = [block.header, *block.rows]
            lines = ["| " + " | ".join(md_inlines(c) for c in row) + " |" for row in rows]
            total = sum(block.widths) or 1
            rule = (
                "|"
                + "|".join("-" * max(3, round(60 * w / total)) for w in block.widths or [1] * block.columns)
                + "|"
            )
            parts.append("\n".join([lines[0], rule, *lines[1:]]))
    parts.extend(f"[^{n.number}]: {md_inlines(n.inlines)}" for n in doc.footnotes)
    return "\n\n".join(parts) + "\n"


def html_inlines(inlines, notes) -> str:
    from factsheet.rendering.document import NoteRef

    out = []
    for node in inlines:
        if isinstance(node, NoteRef):
            out.append(f'<span class="fn">{html_inlines(notes[node.number - 1].inlines, notes)}</span>')
            continue
        text = html.escape(node.text, quote=False).replace("\n", "<br>")
        if node.italic:
            text = f"<em>{text}</em>"
        if node.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


HTML_STYLE = """
@page { size: A4; margin: 20mm 24mm 22mm 24mm;
  @bottom-left { content: "%(footer)s"; font: 7.5pt "DejaVu Sans"; color: #5f6368; }
  @bottom-right { content: counter(page) " / " counter(pages); font: 7.5pt "DejaVu Sans"; color: #5f6368; }
  @footnote { border-top: 0.5pt solid #9aa0a6; padding-top: 3pt; margin-top: 6pt; } }
html { font: 10.25pt/14pt "DejaVu Serif"; color: #1a1a1a; }
h1 { font: bold 20pt/24pt "DejaVu Sans"; margin: 0 0 8pt; }
h2 { font: bold 13pt/16pt "DejaVu Sans"; color: #1f3a5f; margin: 12pt 0 5pt; }
p { margin: 0 0 7pt; text-align: justify; }
p.dek { font-style: italic; font-size: 12.5pt; line-height: 17pt; color: #1f3a5f; }
p.meta { font: 8pt/11pt "DejaVu Sans"; color: #5f6368; }
ul { margin: 0 0 8pt; padding-left: 14pt; } li { margin-bottom: 3pt; }
table { border-collapse: collapse; width: 100%%; margin: 6pt 0; font: 8.5pt/10.5pt "DejaVu Sans"; }
th, td { border: 0.5pt solid #c3c7cc; padding: 2pt 3pt; vertical-align: top; text-align: left; }
th { background: #e8ebef; }
thead { display: table-header-group; }
.fn { float: footnote; font: 8pt/10pt "DejaVu Serif"; text-align: left; }
::footnote-call { content: counter(footnote); vertical-align: super; font-size: 6.5pt; line-height: 0; }
::footnote-marker { content: counter(footnote) ". "; }
"""


def to_html(doc) -> str:
    """Return ``doc`` as HTML for WeasyPrint: every note is a ``float: footnote`` span at its reference."""
    from factsheet.rendering.document import BulletList, Heading, Paragraph, Table

    notes = doc.footnotes
    body = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            body.append(f"<h{block.level}>{html_inlines(block.inlines, notes)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            cls = f' class="{block.role}"' if block.role else ""
            body.append(f"<p{cls}>{html_inlines(block.inlines, notes)}</p>")
        elif isinstance(block, BulletList):
            items = "".join(f"<li>{html_inlines(i, notes)}</li>" for i in block.items)
            body.append(f"<ul>{items}</ul>")
        elif isinstance(block, Table):
            total = sum(block.widths) or 1
            cols = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in block.widths)
            head = "".join(f"<th>{html_inlines(c, notes)}</th>" for c in block.header)
            rows = "".join(
                "<tr>" + "".join(f"<td>{html_inlines(c, notes)}</td>" for c in r) + "</tr>"
                for r in block.rows
            )
            body.append(
                f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
                f"<tbody>{rows}</tbody></table>"
            )
    footer = doc.footer.replace("\\", "\\\\").replace('"', '\\"')
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(doc.language)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(doc.title)}</title><style>{HTML_STYLE % {'footer': footer}}</style></head>"
        f"<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


#: Characters Typst markup could read as markup; each is written with a backslash.
_TYPST_SPECIAL = re.compile(r"([\\#*_`$<>@\[\]~=\-+/'\":.,])")


def _typst_text(text: str) -> str:
    return "#linebreak()".join(_TYPST_SPECIAL.sub(r"\\\1", part) for part in text.split("\n"))


def typst_inlines(inlines, notes) -> str:
    from factsheet.rendering.document import NoteRef

    out = []
    for node in inlines:
        if isinstance(node, NoteRef):
            out.append(f"#footnote[{typst_inlines(notes[node.number - 1].inlines, notes)}]")
            continue
        text = _typst_text(node.text)
        if node.italic:
            text = f"#emph[{text}]"
        if node.bold:
            text = f"#strong[{text}]"
        out.append(text)
    return "".join(out)


TYPST_SETUP = """#set document(title: %(title)s)
#set page(paper: "a4", margin: (top: 20mm, bottom: 22mm, left: 24mm, right: 24mm),
  footer: context text(font: "DejaVu Sans", size: 7.5pt, fill: rgb("#5f6368"))[%(footer)s #h(1fr)
    Page #counter(page).display() of #counter(page).final().first()])
#set text(font: "DejaVu Serif", size: 10.25pt, lang: %(lang)s)
#set par(justify: true, leading: 0.55em, spacing: 7pt)
#show heading: set text(font: "DejaVu Sans")
#show heading.where(level: 1): set text(size: 20pt)
#show heading.where(level: 2): set text(size: 13pt, fill: rgb("#1f3a5f"))
#set table(stroke: 0.5pt + rgb("#c3c7cc"), inset: (x: 3pt, y: 2pt), align: left + top)
#show table: set text(font: "DejaVu Sans", size: 8.5pt)
#show table: set par(justify: false)
#show table.cell.where(y: 0): set text(weight: "bold")
#set footnote.entry(separator: line(length: 60pt, stroke: 0.5pt + rgb("#9aa0a6")))
#show footnote.entry: set text(size: 8pt)
"""


def to_typst(doc) -> str:
    """Return ``doc`` as Typst markup: the same blocks, every note a ``#footnote`` at its reference."""
    from factsheet.rendering.document import BulletList, Heading, Paragraph, Table

    notes = doc.footnotes
    body = [
        TYPST_SETUP
        % {
            "title": json.dumps(doc.title),
            "lang": json.dumps((doc.language or "en")[:2]),
            "footer": _typst_text(doc.footer),
        }
    ]
    for block in doc.blocks:
        if isinstance(block, Heading):
            body.append("=" * block.level + " " + typst_inlines(block.inlines, notes))
        elif isinstance(block, Paragraph):
            text = typst_inlines(block.inlines, notes)
            if block.role == "dek":
                text = f'#text(size: 12.5pt, style: "italic", fill: rgb("#1f3a5f"))[{text}]'
            elif block.role == "meta":
                text = f'#text(font: "DejaVu Sans", size: 8pt, fill: rgb("#5f6368"))[{text}]'
            body.append(text)
        elif isinstance(block, BulletList):
            body.append("\n".join("- " + typst_inlines(item, notes) for item in block.items))
        elif isinstance(block, Table):
            widths = block.widths if len(block.widths) == block.columns else [1] * block.columns
            cols = ", ".join(f"{w}fr" for w in widths)
            head = ", ".join(f"[{typst_inlines(c, notes)}]" for c in block.header)
            cells = ",\n  ".join(", ".join(f"[{typst_inlines(c, notes)}]" for c in row) for row in block.rows)
            body.append(
                f'#table(columns: ({cols},), fill: (_, y) => if y == 0 {{ rgb("#e8ebef") }},\n'
                f"  table.header({head}),\n  {cells})"
            )
    return "\n\n".join(body) + "\n"


#: How a peer process compiles Typst: the PyPI wheel's compiler, in a fresh interpreter.
TYPST_COMPILE = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])"


def have_typst() -> bool:
    try:
        metadata.version("typst")
        return True
    except metadata.PackageNotFoundError:
        return False


# -- notes on their page ----------------------------------------------------------


def reference_anchors(doc) -> tuple[dict[int, tuple[str, int]], dict[str, int]]:
    """Return, per note number, the claim or attribution token just before its reference.

    The value is (token, k): the reference follows the k-th occurrence (0-based,
    in reading order) of that token in the body, which the PDF check looks up.
    Also returns how often each token occurs in the body.
    """
    from factsheet.rendering.document import BulletList, Heading, NoteRef, Paragraph, Table

    units = []
    for block in doc.blocks:
        if isinstance(block, (Heading, Paragraph)):
            units.append(block.inlines)
        elif isinstance(block, BulletList):
            units.extend(block.items)
        elif isinstance(block, Table):
            units.append(tuple(node for cell in block.header for node in cell))
            units.extend(tuple(node for cell in row for node in cell) for row in block.rows)
    seen: dict[str, int] = {}
    anchors: dict[int, tuple[str, int]] = {}
    for unit in units:
        last = None
        for node in unit:
            if isinstance(node, NoteRef):
                if last is not None:
                    anchors[node.number] = last
            else:
                for token in TOKEN.findall(node.text):
                    last = (token, seen.get(token, 0))
                    seen[token] = seen.get(token, 0) + 1
    return anchors, seen


@dataclass
class Placement:
    notes: int
    off_page: int = 0
    unlocated: int = 0
    pages: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.off_page == 0 and self.unlocated == 0

    def __str__(self) -> str:
        if self.ok:
            return f"all {self.notes} on their page ({self.pages} pages)"
        s = f"{self.off_page} of {self.notes} off their page"
        if self.unlocated:
            s += f", {self.unlocated} not located"
        return s + f" ({self.pages} pages)"


def check_placement(pdf: Path, doc) -> Placement:
    """Compare, for every note, the page of its reference with the page its text starts on."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8", "replace")
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    anchors, counts = reference_anchors(doc)
    token_pages: dict[str, list[int]] = {}
    note_pages: dict[int, list[int]] = {}
    for p, page in enumerate(pages, 1):
        for token in TOKEN.findall(page):
            token_pages.setdefault(token, []).append(p)
        for m in NOTE_START.finditer(page):
            note_pages.setdefault(int(m.group(1)), []).append(p)
    result = Placement(len(doc.footnotes), pages=len(pages))
    for note in doc.footnotes:
        n = note.number
        anchor = anchors.get(n)
        found = note_pages.get(n, [])
        if anchor is None or len(found) != 1 or len(token_pages.get(anchor[0], [])) != counts[anchor[0]]:
            result.unlocated += 1
            if len(result.examples) < 5:
                result.examples.append(f"note {n}: not located (anchor {anchor}, note found on {found})")
            continue
        ref_page = token_pages[anchor[0]][anchor[1]]
        if found[0] != ref_page:
            result.off_page += 1
            if len(result.examples) < 5:
                result.examples.append(f"note {n}: reference on page {ref_page}, note on page {found[0]}")
    return result


def docx_notes(path: Path) -> int | None:
    """Return the number of content footnotes (separators aside) in a DOCX file."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/footnotes.xml").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    notes = re.findall(r"<w:footnote\b([^>]*)>", xml)
    return sum(1 for attrs in notes if "w:type=" not in attrs)


# -- factsheet watch ----------------------------------------------------------------


def measure_watch(fs: list[str], root: Path, sheet: Path, out: Path, runs: int, env: dict) -> Case:
    """Time ``factsheet watch``: from a saved edit of ``sheet`` until both outputs are replaced on disk.

    One watch process stays up; each run rewrites the sheet with a new dek and
    polls the two output files (every millisecond) until both are new files.
    """
    import queue
    import threading

    case = Case("watch:nk", "factsheet watch: saved edit → DOCX+PDF on disk", [], root)
    targets = [out / f"{sheet.stem}.docx", out / f"{sheet.stem}.pdf"]
    proc = subprocess.Popen(
        [*fs, "--root", str(root), "watch", str(sheet), "--out", str(out)],
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in proc.stderr] + [lines.put(None)], daemon=True
    ).start()

    def wait_for(text: str) -> str | None:
        while True:
            try:
                line = lines.get(timeout=120)
            except queue.Empty:
                return None
            if line is None or text in line:
                return line

    original = sheet.read_text(encoding="utf-8")
    try:
        if not wait_for("watching for changes"):
            case.error = "watch did not start"
            return case
        for k in range(runs + 1):  # the first edit warms up; the rest are timed
            before = [os.stat(t).st_ino for t in targets]
            text = re.sub(r"(?m)^title: (.*)$", rf"title: \1 ({k})", original, count=1)
            start = time.perf_counter()
            sheet.write_text(text, encoding="utf-8")
            while any(os.stat(t).st_ino == b for t, b in zip(targets, before)):
                if time.perf_counter() - start > 120:
                    case.error = "no rebuild within 120 s"
                    return case
                time.sleep(0.001)
            seconds = time.perf_counter() - start
            line = wait_for("built ")
            if not line or not line.startswith("built "):
                case.error = f"rebuild failed: {line!r}"
                return case
            if k:
                case.runs.append(Run(seconds, 0, 0))
    finally:
        proc.send_signal(2)  # SIGINT: watch stops as on Ctrl-C
        try:
            code = proc.wait(timeout=60)
            if code != 130 and not case.error:
                case.error = f"watch exited {code} on SIGINT, expected 130"
        except subprocess.TimeoutExpired:
            proc.kill()
            case.error = case.error or "watch did not stop on SIGINT"
        sheet.write_text(original, encoding="utf-8")
    return case


# -- export ---------------------------------------------------------------------


def export_argv(fs: list[str], root: Path, out: Path, formats: str) -> list[str] | None:
    """Return the argv of ``factsheet export`` into ``out``, or None when there is no export command."""
    r = subprocess.run([*fs, "--root", str(root), "export", "--help"], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return [*fs, "--root", str(root), "export", "--out", str(out), "--format", formats, "--quiet"]


def export_check(built: int, skipped: int):
    """Return a check that an export run built and skipped what it should have.

    A "none changed" run rebuilds everything when factsheet's own files changed
    since the last run (its fingerprint covers them): such a run is repeated.
    """

    def check(run: Run) -> str | None:
        m = re.search(r"(\d+) built, (\d+) skipped", run.stderr)
        if not m:
            return None  # another summary format: nothing to check against
        got = (int(m.group(1)), int(m.group(2)))
        if got != (built, skipped):
            return (
                f"{got[0]} built and {got[1]} skipped, expected {built} and {skipped} "
                "(factsheet's own files changed during the run?)"
            )
        return None

    return check


def make_export_project(root: Path, sheets: int, src: Path) -> list[Path]:
    """Make a project at ``root`` whose factsheets/ holds ``sheets`` copies of ``src`` (own titles)."""
    for name in ("seeds", "templates"):
        shutil.copytree(src.parents[1] / name, root / name)
    (root / "factsheets").mkdir()
    text = src.read_text(encoding="utf-8")
    paths = []
    for k in range(1, sheets + 1):
        path = root / "factsheets" / f"sheet-{k:03d}.yaml"
        path.write_text(
            re.sub(r"(?m)^title: (.*)$", rf"title: \1 (copy {k})", text, count=1), encoding="utf-8"
        )
        paths.append(path)
    return paths


def change_every_sheet(paths: list[Path]):
    """Return a function that changes the dek of every sheet (a real edit, every time it is called)."""
    counter = [0]

    def change():
        counter[0] += 1
        for path in paths:
            text = path.read_text(encoding="utf-8")
            text = re.sub(
                r"(?m)^dek: .*$",
                f"dek: Generated for speed and scale measurements, edit {counter[0]}.",
                text,
                count=1,
            )
            path.write_text(text, encoding="utf-8")

    return change


# -- profiles -------------------------------------------------------------------------


def profile(argv_tail: list[str], cwd: Path, out: Path, env: dict) -> str:
    """Run one command under pyinstrument; return the path of its text report, or why not."""
    try:
        metadata.version("pyinstrument")
    except metadata.PackageNotFoundError:
        return "pyinstrument not installed (pip install pyinstrument)"
    cmd = [
        sys.executable,
        "-m",
        "pyinstrument",
        "-r",
        "text",
        "--show-all",
        "-o",
        str(out),
        "-m",
        "factsheet",
        *argv_tail,
    ]
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return str(out) if r.returncode == 0 else f"profile failed: {r.stderr.strip()[-200:]}"


# -- main ------------------------------------------------------------------------------


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--sizes", default="10,100,1000", help="claims per synthetic sheet (default: 10,100,1000)"
    )
    ap.add_argument("--runs", type=int, default=5, help="timed runs per case after the warm-up (default: 5)")
    ap.add_argument("--quick", action="store_true", help="3 timed runs per case (2 for slow ones, as always)")
    ap.add_argument(
        "--slow",
        type=float,
        default=4.0,
        help="a case whose warm-up takes longer than this many seconds gets 2 timed runs (default: 4)",
    )
    ap.add_argument(
        "--single",
        type=float,
        default=20.0,
        help="a case whose warm-up takes longer than this many seconds is measured by it alone (default: 20)",
    )
    ap.add_argument(
        "--peer-timeout",
        type=float,
        default=150.0,
        help="stop a peer after this many seconds and report it as slower (default: 150)",
    )
    ap.add_argument(
        "--claims-per-metric",
        type=int,
        default=5,
        help="claims sharing each figure metric in the synthetic sheets (default: 5)",
    )
    ap.add_argument(
        "--export-sheets", type=int, default=100, help="sheets in the export cases (default: 100)"
    )
    ap.add_argument("--export-claims", type=int, default=10, help="claims per exported sheet (default: 10)")
    ap.add_argument(
        "--export-format", default="pdf,docx", help="--format of the export cases (default: pdf,docx)"
    )
    ap.add_argument(
        "--no-cache", action="store_true", help="run every factsheet case with its disk cache off"
    )
    ap.add_argument("--no-peers", action="store_true", help="skip pandoc and WeasyPrint")
    ap.add_argument("--no-export", action="store_true", help="skip the export cases")
    ap.add_argument("--no-watch", action="store_true", help="skip the factsheet watch case")
    ap.add_argument(
        "--profile", metavar="DIR", help="also write pyinstrument profiles (largest sheet, NK brief) to DIR"
    )
    ap.add_argument("--json", metavar="FILE", help="write every measurement to FILE as JSON")
    ap.add_argument("--keep", action="store_true", help="keep the temporary project and print where it is")
    args = ap.parse_args(argv)
    try:
        args.sizes = sorted({int(v) for v in args.sizes.split(",") if v.strip()})
    except ValueError:
        ap.error(f"--sizes: expected numbers separated by commas, found {args.sizes!r}")
    if not args.sizes or min(args.sizes) < 1:
        ap.error("--sizes: expected at least one size of 1 claim or more")
    if args.quick:
        args.runs = min(args.runs, 3)
    return args


def sheet_name(key: str) -> str:
    return "NK brief" if key == "nk" else f"{int(key):,} claims"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = args.sizes
    started = time.perf_counter()
    info = machine()
    info["load_before"] = loadavg()
    print(f"factsheet benchmarks, {info['date']}, commit {info['commit']}")
    print(
        f"machine: {info['nproc']} cores, {info['cpu']}, {info['memory_gib']} GiB, Linux {info['kernel']}; "
        f"Python {info['python']}"
    )
    print("versions: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()))
    print(f"load average (1, 5, 15 min) at start: {info['load_before']}")
    print(
        f"each case: 1 warm-up run, then {args.runs} timed runs (2 if the warm-up took over {args.slow:g} s; "
        f"the warm-up alone if over {args.single:g} s)\n"
    )

    work = Path(tempfile.mkdtemp(prefix="factsheet-bench-"))
    args.env = {k: v for k, v in os.environ.items() if k not in ("FACTSHEET_ROOT", "PYTHONDONTWRITEBYTECODE")}
    # factsheet keeps parsed and subset fonts and compiled templates in a disk cache: give it an
    # empty one of its own, which each case's warm-up run fills (as an editor's first build does)
    args.env["FACTSHEET_CACHE_DIR"] = "off" if args.no_cache else str(work / "cache")
    no_cache_env = {**args.env, "FACTSHEET_CACHE_DIR": "off"}
    fs = [sys.executable, "-m", "factsheet"]
    pandoc = None if args.no_peers else pandoc_path()
    weasy = False if args.no_peers else have_weasyprint()
    if not args.no_peers and not pandoc:
        print("pandoc: not found (pip install pypandoc-binary); skipped")
    if not args.no_peers and not weasy:
        print("WeasyPrint: not installed (pip install weasyprint); skipped")
    typst = False if args.no_peers else have_typst()
    if not args.no_peers and not typst:
        print("Typst: not installed (pip install typst); skipped")
    cases: dict[str, Case] = {}
    placements: dict[str, Placement] = {}
    notes_count: dict[str, int] = {}
    docx_counts: dict[str, dict] = {}
    export_note = ""
    profiles: list[str] = []

    loads: list[float] = []

    def add(case: Case, runs: int | None = None) -> Case:
        t0 = time.perf_counter()
        measure(case, args.runs if runs is None else runs, args)
        cases[case.key] = case
        case.load = loadavg()
        loads.append(float(case.load.split()[0]))
        peak = f"peak {case.peak_mib:.0f} MiB" if case.peak_mib else "peak n/a"
        status = case.error or f"{fmt_time(case)} s, {peak}"
        print(f"  {case.label:<46} {status}   [{time.perf_counter() - t0:.0f} s]", flush=True)
        return case

    try:
        root = work / "project"
        wanted = set(sizes) | (set() if args.no_export else {args.export_claims})
        sheets = make_project(root, sorted(wanted), args.claims_per_metric)
        keys = {"nk": root / "factsheets" / NK_SHEET, **{str(n): sheets[n] for n in sizes}}
        docs = {}
        (work / "peers").mkdir()
        for key, path in keys.items():
            docs[key] = load_document(root, path)
            notes_count[key] = len(docs[key].footnotes)
            (work / "peers" / f"{key}.md").write_text(to_markdown(docs[key]), encoding="utf-8")
            (work / "peers" / f"{key}.html").write_text(to_html(docs[key]), encoding="utf-8")
            (work / "peers" / f"{key}.typ").write_text(to_typst(docs[key]), encoding="utf-8")

        print("measuring: median (min–max) of the timed runs in seconds, and peak memory")
        for key, path in keys.items():
            out = work / "out" / key
            out.mkdir(parents=True)
            what = "North Korea brief" if key == "nk" else f"{int(key):,} claims"
            base = [*fs, "--root", str(root)]
            add(Case(f"check:{key}", f"factsheet check, {what}", [*base, "check", str(path)], root))
            for formats, label in (("docx", "DOCX"), ("pdf", "PDF"), ("docx,pdf", "DOCX+PDF")):
                add(
                    Case(
                        f"build-{formats}:{key}",
                        f"factsheet build {label}, {what}",
                        [*base, "build", str(path), "--format", formats, "--out", str(out)],
                        root,
                    )
                )
            if key == "nk" and not args.no_cache:
                add(
                    Case(
                        "check-nocache:nk",
                        f"factsheet check, {what}, cache off",
                        [*base, "check", str(path)],
                        root,
                        env=no_cache_env,
                    )
                )
                add(
                    Case(
                        "build-docx,pdf-nocache:nk",
                        f"factsheet build DOCX+PDF, {what}, cache off",
                        [*base, "build", str(path), "--format", "docx,pdf", "--out", str(out)],
                        root,
                        env=no_cache_env,
                    )
                )
            if pandoc:
                add(
                    Case(
                        f"pandoc:{key}",
                        f"pandoc Markdown → DOCX, {what}",
                        [
                            pandoc,
                            "-f",
                            "markdown",
                            "-t",
                            "docx",
                            "-o",
                            str(out / "pandoc.docx"),
                            str(work / "peers" / f"{key}.md"),
                        ],
                        work,
                        timeout=args.peer_timeout,
                    )
                )
            if weasy:
                add(
                    Case(
                        f"weasyprint:{key}",
                        f"WeasyPrint HTML → PDF, {what}",
                        [
                            sys.executable,
                            "-m",
                            "weasyprint",
                            str(work / "peers" / f"{key}.html"),
                            str(out / "weasyprint.pdf"),
                        ],
                        work,
                        timeout=args.peer_timeout,
                    )
                )
            if typst:
                add(
                    Case(
                        f"typst:{key}",
                        f"Typst → PDF, {what}",
                        [
                            sys.executable,
                            "-c",
                            TYPST_COMPILE,
                            str(work / "peers" / f"{key}.typ"),
                            str(out / "typst.pdf"),
                        ],
                        work,
                        timeout=args.peer_timeout,
                    )
                )
            if key == "nk" and not args.no_watch:
                cases["watch:nk"] = measure_watch(fs, root, path, out / "watch", args.runs + 2, args.env)
                print(f"  {cases['watch:nk'].label:<46} {fmt_time(cases['watch:nk'])} s", flush=True)
            docx_counts[key] = {
                "factsheet": docx_notes(out / f"{path.stem}.docx"),
                "pandoc": docx_notes(out / "pandoc.docx"),
            }
            shown = ", ".join(f"{k} {v}" for k, v in docx_counts[key].items() if v is not None)
            if shown:
                print(f"    footnotes in the DOCX files: {shown} (the document has {notes_count[key]})")
            if key == "nk":
                continue  # its text carries no tokens to place references by
            pdf = out / f"{path.stem}.pdf"
            if pdf.is_file() and not cases[f"build-pdf:{key}"].error:
                placements[f"factsheet:{key}"] = check_placement(pdf, docs[key])
                print(f"    factsheet PDF: {placements[f'factsheet:{key}']}")
            wcase = cases.get(f"weasyprint:{key}")
            if wcase and not wcase.error and not wcase.timed_out and (out / "weasyprint.pdf").is_file():
                placements[f"weasyprint:{key}"] = check_placement(out / "weasyprint.pdf", docs[key])
                print(f"    WeasyPrint PDF: {placements[f'weasyprint:{key}']}")
            tcase = cases.get(f"typst:{key}")
            if tcase and not tcase.error and not tcase.timed_out and (out / "typst.pdf").is_file():
                placements[f"typst:{key}"] = check_placement(out / "typst.pdf", docs[key])
                print(f"    Typst PDF: {placements[f'typst:{key}']}")

        if not args.no_export:
            eroot = work / "export-project"
            paths = make_export_project(eroot, args.export_sheets, sheets[args.export_claims])
            eargv = export_argv(fs, eroot, work / "export-out", args.export_format)
            if eargv is None:
                export_note = "this version has no `factsheet export`"
                print(f"  export: skipped ({export_note})")
            else:
                print(
                    f"  export: {args.export_sheets} sheets of {args.export_claims} claims each, "
                    f"--format {args.export_format}"
                )
                n = args.export_sheets
                outputs = n * len([f for f in args.export_format.split(",") if f.strip()])
                add(
                    Case(
                        "export-changed",
                        f"factsheet export, {n} sheets, all changed",
                        eargv,
                        eroot,
                        change_every_sheet(paths),
                        needs_warm_up=True,
                        validate=export_check(outputs, 0),
                    ),
                    runs=min(args.runs, 2),
                )
                add(
                    Case(
                        "export-unchanged",
                        f"factsheet export, {n} sheets, none changed",
                        eargv,
                        eroot,
                        validate=export_check(0, outputs),
                    )
                )

        if args.profile:
            pdir = Path(args.profile).resolve()
            pdir.mkdir(parents=True, exist_ok=True)
            big = max(sizes)
            base = ["--root", str(root)]
            for name, tail in (
                (
                    f"build-pdf-{big}",
                    ["build", str(sheets[big]), "--format", "pdf", "--out", str(work / "prof")],
                ),
                (
                    f"build-docx-{big}",
                    ["build", str(sheets[big]), "--format", "docx", "--out", str(work / "prof")],
                ),
                (f"check-{big}", ["check", str(sheets[big])]),
                ("build-nk", ["build", str(keys["nk"]), "--out", str(work / "prof")]),
                ("check-nk", ["check", str(keys["nk"])]),
            ):
                profiles.append(profile(base + tail, root, pdir / f"{name}.txt", args.env))
    finally:
        info["load_after"] = loadavg()
        if args.keep:
            print(f"\nkept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    report(args, info, cases, placements, notes_count, export_note, started)
    if profiles:
        print("profiles: " + ", ".join(profiles))
    targets = evaluate(args, cases, placements)
    print_targets(targets)
    info["load_1min_after_each_case"] = loads
    spread = f"; 1-minute load after each case: {min(loads):.2f}–{max(loads):.2f}" if loads else ""
    print(
        f"\nload average (1, 5, 15 min): {info['load_before']} at start, {info['load_after']} at the end{spread}; "
        f"the whole run took {time.perf_counter() - started:.0f} s"
    )

    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "machine": info,
                    "options": {k: v for k, v in vars(args).items() if k != "env"},
                    "cases": {
                        k: {
                            "label": c.label,
                            "argv_tail": c.argv[3:],
                            "error": c.error,
                            "single": c.single,
                            "load_after": getattr(c, "load", None),
                            "timed_out": c.timed_out,
                            "seconds": c.times,
                            "maxrss_kib": [r.maxrss_kib for r in c.runs],
                        }
                        for k, c in cases.items()
                    },
                    "notes": notes_count,
                    "docx_notes": docx_counts,
                    "placement": {
                        k: {
                            "notes": p.notes,
                            "off_page": p.off_page,
                            "unlocated": p.unlocated,
                            "pages": p.pages,
                            "examples": p.examples,
                        }
                        for k, p in placements.items()
                    },
                    "targets": targets,
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n",
            encoding="utf-8",
        )
    failed = any(t["result"] == "FAIL" for t in targets) or any(c.error for c in cases.values())
    return 1 if failed else 0


def _median(cases, key):
    c = cases.get(key)
    return c.median if c and not c.error else None


def report(args, info, cases, placements, notes_count, export_note, started) -> None:
    keys = ["nk", *map(str, args.sizes)]
    print()
    print(
        "Wall time of one cold process: median (min–max) of the timed runs, seconds; "
        "peak resident memory of that process"
    )
    header = f"{'sheet':<13} {'notes':>5}  {'command':<28} {'seconds':>24}  {'peak MiB':>8}"
    print(header)
    print("-" * len(header))
    rows = (
        ("check", "factsheet check"),
        ("check-nocache", "factsheet check, cache off"),
        ("build-docx", "factsheet build --format docx"),
        ("build-pdf", "factsheet build --format pdf"),
        ("build-docx,pdf", "factsheet build (both)"),
        ("build-docx,pdf-nocache", "build (both), cache off"),
        ("pandoc", "pandoc md → docx"),
        ("weasyprint", "WeasyPrint html → pdf"),
        ("typst", "Typst typ → pdf"),
        ("watch", "watch: edit → both on disk"),
    )
    for key in keys:
        name = sheet_name(key)
        for ckey, label in rows:
            c = cases.get(f"{ckey}:{key}")
            if c is None:
                continue
            mem = f"{c.peak_mib:8.0f}" if c.peak_mib else "     n/a"
            print(f"{name:<13} {notes_count.get(key, 0):>5}  {label:<28} {fmt_time(c):>24}  {mem}")
            name = ""
    for key, label in (
        ("export-unchanged", "export, none changed"),
        ("export-changed", "export, all changed"),
    ):
        c = cases.get(key)
        if c:
            mem = f"{c.peak_mib:8.0f}" if c.peak_mib else "     n/a"
            print(f"{args.export_sheets:>3} sheets   {'':>5}  {label:<28} {fmt_time(c):>24}  {mem}")
    if export_note:
        print(f"export: {export_note}")
    for c in cases.values():
        if c.error:
            print(f"FAILED {c.label}: {c.error}")

    if any(k.startswith(("pandoc:", "weasyprint:", "typst:")) for k in cases):
        print()
        print(
            "Side by side: ratio = factsheet ÷ peer (below 1: factsheet is faster); "
            "notes off their reference's page"
        )
        print(
            f"{'sheet':<13} {'DOCX':>7} {'pandoc':>7} {'ratio':>6}   {'PDF':>7} {'Weasy':>8} {'ratio':>7} "
            f"{'Typst':>7} {'ratio':>6}   {'factsheet PDF':<22} {'WeasyPrint PDF':<22} Typst PDF"
        )
        for key in keys:
            d, p = _median(cases, f"build-docx:{key}"), _median(cases, f"pandoc:{key}")
            f, w = _median(cases, f"build-pdf:{key}"), _median(cases, f"weasyprint:{key}")
            t = _median(cases, f"typst:{key}")
            wc, tc = cases.get(f"weasyprint:{key}"), cases.get(f"typst:{key}")
            r1 = f"{d / p:6.2f}" if d and p else "   n/a"
            r2 = (f"< {f / w:5.3f}" if wc and wc.timed_out else f"{f / w:7.3f}") if f and w else "    n/a"
            wt = (f">{w:7.0f}" if wc and wc.timed_out else f"{w:8.2f}") if w else "     n/a"
            r3 = (f"<{f / t:5.2f}" if tc and tc.timed_out else f"{f / t:6.2f}") if f and t else "   n/a"
            if key == "nk":
                pf = pw = pt = "(not checked)"
            else:
                pf = _placed(placements.get(f"factsheet:{key}"))
                pw = "(not rendered)" if wc and wc.timed_out else _placed(placements.get(f"weasyprint:{key}"))
                pt = "(not rendered)" if tc and tc.timed_out else _placed(placements.get(f"typst:{key}"))
            print(
                f"{sheet_name(key):<13} {_s(d)} {_s(p)} {r1}   {_s(f)} {wt} {r2} {_s(t)} {r3}   "
                f"{pf:<22} {pw:<22} {pt}"
            )


def evaluate(args, cases, placements) -> list[dict]:
    targets = []
    med = lambda key: _median(cases, key)  # noqa: E731

    def target(name, limit, ok, shown):
        targets.append(
            {
                "target": name,
                "limit": limit,
                "measured": shown,
                "result": "n/a" if ok is None else ("PASS" if ok else "FAIL"),
            }
        )

    typst = med("typst:nk")

    def vs_typst(name, key, limit):
        v = med(key)
        ok = None if v is None or typst is None else v <= limit * typst
        shown = f"{v:.3f} s vs Typst {typst:.3f} s (×{v / typst:.2f})" if v and typst else _v(v, "s")
        target(name, f"≤ {limit:g} × Typst", ok, shown)

    vs_typst("North Korea brief, PDF, one cold process", "build-pdf:nk", TARGET_NK_PDF_VS_TYPST)
    vs_typst("North Korea brief, DOCX+PDF, one cold process", "build-docx,pdf:nk", TARGET_NK_BOTH_VS_TYPST)
    vs_typst(
        "… the same with the disk cache off (a first build)",
        "build-docx,pdf-nocache:nk",
        TARGET_NK_BOTH_VS_TYPST,
    )
    vs_typst("watch: saved edit → DOCX+PDF on disk, North Korea brief", "watch:nk", TARGET_WATCH_VS_TYPST)
    v = med("check:nk")
    target(
        "factsheet check, North Korea brief",
        f"≤ {TARGET_NK_CHECK} s",
        None if v is None else v <= TARGET_NK_CHECK,
        _v(v, "s"),
    )
    big = str(max(args.sizes))
    name = f"{int(big):,} claims"
    d, p = med(f"build-docx:{big}"), med(f"pandoc:{big}")
    target(
        f"{name}: DOCX faster than pandoc",
        "factsheet < pandoc",
        None if not (d and p) else d < p,
        f"{d:.2f} s vs {p:.2f} s (×{d / p:.2f})" if d and p else "n/a",
    )
    f, w = med(f"build-pdf:{big}"), med(f"weasyprint:{big}")
    wc = cases.get(f"weasyprint:{big}")
    if f and w and wc and wc.timed_out:
        ok = True if f / w <= TARGET_PDF_VS_WEASYPRINT else None
        shown = f"{f:.2f} s vs > {w:.0f} s (× < {f / w:.3f}; WeasyPrint stopped)"
    else:
        ok = None if not (f and w) else f / w <= TARGET_PDF_VS_WEASYPRINT
        shown = f"{f:.2f} s vs {w:.2f} s (×{f / w:.3f})" if f and w else "n/a"
    target(f"{name}: PDF ≤ 0.2 × WeasyPrint", f"ratio ≤ {TARGET_PDF_VS_WEASYPRINT}", ok, shown)
    pf = placements.get(f"factsheet:{big}")
    target(
        f"{name}: every PDF note on its reference's page",
        "0 off their page",
        None if pf is None else pf.ok,
        str(pf) if pf else "n/a",
    )
    if 100 in args.sizes and 1000 in args.sizes:
        low = min(args.sizes)
        for ckey, label in (
            ("check", "check"),
            ("build-docx", "build DOCX"),
            ("build-pdf", "build PDF"),
            ("build-docx,pdf", "build DOCX+PDF"),
        ):
            a, b, c0 = med(f"{ckey}:1000"), med(f"{ckey}:100"), med(f"{ckey}:{low}")
            ratio = a / b if a and b else None
            extra = ""
            if ratio and c0 and low < 100 and b > c0:
                extra = f" (×{(a - c0) / (b - c0):.1f} beyond the {low}-claim time)"
            target(
                f"linear: {label}, 1,000 vs 100 claims",
                f"≤ {TARGET_LINEAR:g}×",
                None if ratio is None else ratio <= TARGET_LINEAR,
                f"×{ratio:.1f}{extra}" if ratio else "n/a",
            )
    peaks = [
        (c.peak_mib, c.label)
        for k, c in cases.items()
        if k.endswith(f":{big}") and not k.startswith(("pandoc", "weasyprint", "typst")) and c.peak_mib
    ]
    top = max(peaks) if peaks else None
    shown = f"{top[0]:.0f} MiB ({top[1].split(',')[0]})" if top else "n/a"
    d, p = cases.get(f"build-docx:{big}"), cases.get(f"build-pdf:{big}")
    if top and d and p and d.peak_mib and p.peak_mib:
        # with both formats the two writers run in two processes side by side
        shown += f"; both formats at once: up to {d.peak_mib + p.peak_mib:.0f} MiB in two processes"
    target(
        f"{name}: peak memory of a factsheet process",
        f"≤ {TARGET_PEAK_MIB:g} MiB",
        None if top is None else top[0] <= TARGET_PEAK_MIB,
        shown,
    )
    v = med("export-unchanged")
    target(
        f"export, {args.export_sheets} unchanged sheets",
        f"≤ {TARGET_EXPORT_UNCHANGED} s",
        None if v is None else v <= TARGET_EXPORT_UNCHANGED,
        _v(v, "s"),
    )
    return targets


def print_targets(targets) -> None:
    print()
    print("Targets")
    width = max(len(t["target"]) for t in targets)
    for t in targets:
        print(f"{t['result']:<5} {t['target']:<{width}}  {t['limit']:<20} {t['measured']}")


def _s(v) -> str:
    return f"{v:7.2f}" if v is not None else "    n/a"


def _v(v, unit, digits=3) -> str:
    return "n/a" if v is None else f"{v:.{digits}f} {unit}"


def _placed(p: Placement | None) -> str:
    if p is None:
        return "n/a"
    s = f"{p.off_page} of {p.notes} off"
    return s + (f", {p.unlocated} unlocated" if p.unlocated else "")


if __name__ == "__main__":
    sys.exit(main())
