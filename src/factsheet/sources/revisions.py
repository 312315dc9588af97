"""Newer captures of an article: what became of each quote, recorded by ``seeds update`` and warned of by ``check``."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from factsheet.errors import InputError, Problem, UsageError
from factsheet.sources.loading import Located, YamlMap, YamlPath, load_file, printable
from factsheet.sources.model import Claim
from factsheet.sources.quotes import Article, normalize
from factsheet.sources.seeds import SeedLibrary

if TYPE_CHECKING:
    from factsheet.project import Project
    from factsheet.sources.intake import Intake

#: What became of a quote in a newer capture.
HOLDS, TYPOGRAPHY, REWORDED, GONE = "holds", "typography", "reworded", "gone"
_SAID = {
    HOLDS: "holds byte for byte",
    TYPOGRAPHY: "holds after a whitespace or typography-only change",
    REWORDED: "reworded",
    GONE: "gone",
}

#: Characters that differ only typographically: dashes, apostrophes, quotation marks (every
#: kind of space is one already: ``_typographic`` splits on Unicode whitespace).
_TYPOGRAPHY = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2032": "'",
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)

#: A passage sharing less than this with the quote is not a rewording of it.
REWORDED_AT_LEAST = 0.5


@dataclass(frozen=True)
class Fate:
    """What became of a quote in a newer capture: holds, typography, reworded (with a word diff) or gone."""

    kind: str
    diff: str = ""

    def describe(self) -> str:
        """Return "reworded: … [-old-] {+new+} …" or "holds byte for byte"."""
        return f"{_SAID[self.kind]}: {self.diff}" if self.diff else _SAID[self.kind]

    @property
    def stale(self) -> bool:
        """True when the newer capture no longer says what the quote says."""
        return self.kind in (REWORDED, GONE)


def _typographic(text: str) -> str:
    return " ".join(normalize(text).translate(_TYPOGRAPHY).replace("\u2026", "...").split())


def fate(quote: str, old: Article, new: Article) -> Fate:
    """Return what became of ``quote`` (as the earlier text holds it) in the newer text."""
    spans = old.spans(quote)
    passage = old.text[spans[0][0] : spans[0][1]] if spans else quote
    if passage in new.text:
        return Fate(HOLDS)
    if new.contains(passage) or _typographic(passage) in _typographic(new.text):
        return Fate(TYPOGRAPHY)
    near = new.nearest(passage)
    if near is None or near.similarity < REWORDED_AT_LEAST:
        return Fate(GONE)
    words = near.text.split(" ")
    last = normalize(passage).split(" ")[-1]
    if words[-1] != last and words[-1].startswith(last) and not words[-1][len(last) :].isalnum():
        words[-1] = last  # the window ends on the same word with its punctuation: not a change
    return Fate(REWORDED, word_diff(normalize(passage), " ".join(words)))


def word_diff(old: str, new: str, context: int = 4) -> str:
    """Return the words of ``new`` with what changed from ``old`` marked [-removed-] {+added+}."""
    a, b = old.split(" "), new.split(" ")
    out: list[str] = []
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for n, (op, a1, a2, b1, b2) in enumerate(ops):
        if op == "equal":
            words = a[a1:a2]
            if len(words) > 2 * context:
                head = words[:context] if n else []
                tail = words[-context:] if n < len(ops) - 1 else []
                words = head + ["…"] + tail
            out += words
            continue
        if a2 > a1:
            out.append(f"[-{' '.join(a[a1:a2])}-]")
        if b2 > b1:
            out.append(f"{{+{' '.join(b[b1:b2])}+}}")
    return " ".join(w for w in out if w)


# -- quotes citing a source ------------------------------------------------------------------


@dataclass(frozen=True)
class Citing:
    """A citation of a source in a fact sheet: where it is, its claim and its quote."""

    where: str  # file:line:col
    claim: str
    quote: str


def citations_of(sheets: list[tuple[Path, str]], source_id: str) -> list[Citing]:
    """Return every citation of ``source_id`` in the fact sheets (path, display name) that can be read."""
    found: list[Citing] = []
    for path, display in sheets:
        try:
            doc = load_file(path, display)
        except InputError:
            continue  # 'check' reports a sheet that cannot be read
        found += _citing(doc, source_id)
    return found


def _citing(doc: Located, source_id: str) -> list[Citing]:
    claims = doc.data.get("claims") if isinstance(doc.data, dict) else None
    out = []
    for i, claim in enumerate(claims if isinstance(claims, list) else ()):
        if not isinstance(claim, dict):
            continue
        cits = claim.get("citations")
        for j, cit in enumerate(cits if isinstance(cits, list) else []):
            if isinstance(cit, dict) and cit.get("source") == source_id and isinstance(cit.get("quote"), str):
                line, col = doc.pos(("claims", i, "citations", j, "quote"))
                out.append(
                    Citing(f"{doc.file}:{line}:{col}", str(claim.get("id", f"claims[{i}]")), cit["quote"])
                )
    return out


# -- seeds update ----------------------------------------------------------------------------


@dataclass
class UpdateReport:
    """What ``seeds update`` recorded and what became of each quote citing the source."""

    source_id: str
    recorded: bool
    record: YamlMap = field(default_factory=dict)
    fates: list[tuple[Citing, Fate]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when a quote was reworded or is gone."""
        return any(f.stale for _, f in self.fates)

    def lines(self) -> list[str]:
        """Return the report, one line per finding."""
        if not self.recorded:
            return [f"this capture of '{self.source_id}' is already recorded; nothing changed"]
        r = self.record
        when = f" captured {r['captured']}" if r.get("captured") else ""
        out = [printable(f"recorded a newer capture of '{self.source_id}'{when}: seeds/{r['file']}")]
        if r.get("modified"):
            out.append(printable(f"the page says it was modified on {r['modified']}"))
        if r.get("notice"):
            out.append(printable(f"notice on the page: {r['notice']}"))
        if not self.fates:
            out.append(f"no fact sheet quotes '{self.source_id}'")
        for citing, f in self.fates:
            out.append(printable(f"{citing.where}: claim '{citing.claim}': quote {f.describe()}"))
        return out


def update(project: Project, source_id: str, intake: Intake) -> UpdateReport:
    """Record a newer capture of ``source_id`` (keeping the earlier ones) and report on every quote citing it."""
    from factsheet.sources import capture  # seeds update alone reads captures: check need not load it
    from factsheet.sources.check import did_you_mean
    from factsheet.sources.intake import CAPTURES, capture_record, insert_capture, write_new

    library = SeedLibrary.of(project)
    errors = [p for p in library.problems if p.severity == "error"]
    if errors:
        raise InputError(errors)
    if source_id not in library.sources:
        raise UsageError(
            f"unknown source '{source_id}'{did_you_mean(source_id, library.sources)}; "
            f"expected one of: {', '.join(library.sources)}"
        )
    if intake.kind == capture.TEXT:
        raise UsageError(
            "seeds update takes a saved page (.html) or a web archive (.warc, .warc.gz), not a text file"
        )
    captures = library.captures(source_id)
    if any(c.get("sha256") == intake.sha256 for c in captures):
        return UpdateReport(source_id, False)
    old = _newest_text(library, source_id)
    if old is None:
        raise InputError([p for p in library.problems if p.severity == "error"])
    record, name = capture_record(source_id, intake, "")
    text_name = re.sub(r"\.warc(\.gz)?$|\.html$", "", name) + ".txt"
    record["text"] = text_name
    body = intake.text.encode("utf-8")
    record["text_sha256"] = hashlib.sha256(body).hexdigest()
    assert name.startswith(f"{CAPTURES}/{source_id}/")
    write_new(project.seeds_dir / name, intake.raw)
    write_new(project.seeds_dir / text_name, body)
    insert_capture(project.seeds_dir, library, source_id, record)
    new = Article(source_id, intake.text)
    sheets = [(p, project.display(p)) for p in _sheets(project)]
    # a quote the earlier text does not hold is 'check''s to report, not a change of the article
    fates = [(c, fate(c.quote, old, new)) for c in citations_of(sheets, source_id) if old.contains(c.quote)]
    return UpdateReport(source_id, True, record, fates)


def _sheets(project: Project) -> list[Path]:
    try:
        return project.sheet_paths()
    except UsageError:
        return []  # no sheets yet: nothing quotes the source


def _newest_text(library: SeedLibrary, source_id: str) -> Article | None:
    """Return the text of the source's newest capture (its stored text when it has no newer one)."""
    newer = library.newer_capture(source_id)
    return newer[1] if newer is not None else library.article(source_id)


# -- the stale-source check ------------------------------------------------------------------


def stale_problems(doc: Located, library: SeedLibrary) -> list[Problem]:
    """Return a warning for each quote, verified against its stored text, that a newer capture no longer holds."""
    out: list[Problem] = []
    for citing_path, claim_id, source_id, quote in _quotes(doc):
        if source_id not in library.sources:
            continue
        newer = library.newer_capture(source_id)
        article = library.article(source_id)
        if newer is None or article is None or not article.contains(quote):
            continue
        record, text = newer
        f = fate(quote, article, text)
        if f.stale:
            when = f" (captured {record['captured']})" if record.get("captured") else ""
            notice = f' (the page now says: "{record["notice"]}")' if record.get("notice") else ""
            out.append(
                doc.problem(
                    citing_path,
                    f"claim '{claim_id}': the newer capture of {source_id}{when} no longer holds this quote: "
                    f"{f.describe()}; check the claim against the article as it now stands{notice}",
                    severity="warning",
                )
            )
    return out


def _quotes(doc: Located) -> Iterator[tuple[YamlPath, str, str, str]]:
    claims = doc.data.get("claims") if isinstance(doc.data, dict) else None
    for i, claim in enumerate(claims if isinstance(claims, list) else ()):
        if not isinstance(claim, dict) or not isinstance(claim.get("id"), str):
            continue
        cits = claim.get("citations")
        for j, cit in enumerate(cits if isinstance(cits, list) else ()):
            if (
                isinstance(cit, dict)
                and isinstance(cit.get("source"), str)
                and isinstance(cit.get("quote"), str)
            ):
                yield ("claims", i, "citations", j, "quote"), claim["id"], cit["source"], cit["quote"]


@dataclass(frozen=True)
class StaleQuote:
    """A quote of a sheet that a newer capture of its source no longer holds."""

    claim: str
    source: str
    quote: str
    fate: Fate
    captured: str | None = None
    notice: str | None = None


def stale_quotes(claims: Iterable[Claim], library: SeedLibrary) -> list[StaleQuote]:
    """Return the quotes of ``claims`` (model claims) that a newer capture of their source no longer holds."""
    out: list[StaleQuote] = []
    for claim in claims:
        for cit in getattr(claim, "citations", ()) or ():
            source_id, quote = getattr(cit, "source", None), getattr(cit, "quote", None)
            if (
                not isinstance(source_id, str)
                or not isinstance(quote, str)
                or source_id not in library.sources
            ):
                continue
            newer, article = library.newer_capture(source_id), library.article(source_id)
            if newer is None or article is None or not article.contains(quote):
                continue
            f = fate(quote, article, newer[1])
            if f.stale:
                record = newer[0]
                out.append(
                    StaleQuote(
                        str(claim.id), source_id, quote, f, record.get("captured"), record.get("notice")
                    )
                )
    return out
