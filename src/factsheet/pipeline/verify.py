"""``factsheet verify``: read a brief's provenance record and check every note against the project's captures."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factsheet.pipeline.provenance import FORMAT, intact
from factsheet.sources.quotes import Article
from factsheet.sources.revisions import fate
from factsheet.sources.seeds import SeedLibrary

#: The verdicts of a note; all but HOLDS fail verification.
HOLDS, CHANGED, MISSING, UNKNOWN = "holds", "changed", "missing", "unknown source"


@dataclass(frozen=True)
class Verdict:
    """What verification found for one source of one note."""

    note: int
    source: str
    kind: str
    detail: str = ""

    def line(self, output: str) -> str:
        """Return the verdict as one line naming the output and the note."""
        what = "unknown source" if self.kind == UNKNOWN else self.kind
        detail = f": {self.detail}" if self.detail else ""
        return f"{output}: note {self.note}: {self.source} {what}{detail}"


@dataclass
class Verification:
    """The verdicts for one output, or why its record cannot be used."""

    output: str
    problem: str = ""  # no record, an altered one, an unknown format
    verdicts: list[Verdict] = field(default_factory=list)
    sheet_note: str = ""  # the sheet changed since the build (information)

    @property
    def failed(self) -> bool:
        """True when the record is unusable or a note does not hold."""
        return bool(self.problem) or any(v.kind != HOLDS for v in self.verdicts)

    def lines(self) -> list[str]:
        """Return the report: one line per note and source, or the one problem."""
        if self.problem:
            return [f"{self.output}: {self.problem}"]
        out = [v.line(self.output) for v in self.verdicts]
        if not self.verdicts:
            out.append(f"{self.output}: the brief has no notes to verify")
        if self.sheet_note:
            out.append(f"{self.output}: {self.sheet_note}")
        return out


def verify(output: str, record_text: str | None, library: SeedLibrary, root: Path) -> Verification:
    """Return the verification of one output whose embedded record is ``record_text`` (None: none found)."""
    result = Verification(output)
    if record_text is None:
        result.problem = (
            "no provenance record: it was stripped, or the file was not built by factsheet; "
            "nothing in it can be verified"
        )
        return result
    try:
        record = json.loads(record_text)
    except ValueError:
        record = None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        result.problem = f"the provenance record is not a {FORMAT} record; it was altered or damaged"
        return result
    if not intact(record):
        result.problem = "the provenance record was altered: its digest does not match its content"
        return result
    try:
        for note in record.get("notes") or ():
            for cited in note.get("sources") or ():
                result.verdicts.append(_verdict(int(note.get("note", 0)), cited, library))
    except (AttributeError, TypeError, ValueError):  # well sealed, badly made: written by hand
        result.problem = f"the provenance record is not a {FORMAT} record; it was altered or damaged"
        result.verdicts = []
        return result
    result.sheet_note = _sheet_note(record.get("sheet") or {}, root)
    return result


def _verdict(number: int, cited: dict[str, Any], library: SeedLibrary) -> Verdict:
    source_id = str(cited.get("id"))
    if source_id not in library.sources:
        return Verdict(number, source_id, UNKNOWN, "the project's catalog has no such source")
    text = _text(library, source_id, str(cited.get("text")))
    if text is None:
        return Verdict(
            number,
            source_id,
            MISSING,
            f"the text the brief was checked against (sha256 {str(cited.get('text'))[:12]}…) is not in the project",
        )
    passages = []
    for k, p in enumerate(cited.get("passages") or (), 1):
        start, end = int(p.get("start", 0)), int(p.get("end", 0))
        piece = text.text[start:end]
        if hashlib.sha256(piece.encode()).hexdigest() != p.get("sha256"):
            return Verdict(number, source_id, CHANGED, f"passage {k} is not at its place in the stored text")
        passages.append(piece)
    newer = library.newer_capture(source_id)
    if newer is None:
        return Verdict(number, source_id, HOLDS)
    record, latest = newer
    when = f" of {record['captured']}" if record.get("captured") else ""
    stale = [(k, fate(piece, text, latest)) for k, piece in enumerate(passages, 1)]
    stale = [(k, f) for k, f in stale if f.stale]
    if record.get("sha256") == cited.get("newest"):
        if stale:  # the brief was built knowing of this capture, and check warned of it
            return Verdict(
                number,
                source_id,
                HOLDS,
                f"the newer capture{when} changes it, known when the brief was built",
            )
        return Verdict(number, source_id, HOLDS)
    if not stale:
        return Verdict(number, source_id, HOLDS, f"the newer capture{when} still holds every passage")
    k, f = stale[0]
    return Verdict(
        number, source_id, CHANGED, f"the newer capture{when} no longer holds passage {k}: {f.describe()}"
    )


def _text(library: SeedLibrary, source_id: str, digest: str) -> Article | None:
    """Return the stored text (of the source or one of its captures) whose SHA-256 is ``digest``."""
    if library.sources[source_id].sha256 == digest:
        return library.article(source_id)
    for record in library.captures(source_id):
        if record.get("text_sha256") == digest:
            return library.capture_text(source_id, record)
    return None


def _sheet_note(sheet: dict[str, Any], root: Path) -> str:
    """Return a line saying the sheet has changed since the build, when it has ('' otherwise)."""
    name = sheet.get("file")
    if not isinstance(name, str):
        return ""
    path = root / name
    try:
        now = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""
    if now == sheet.get("sha256"):
        return ""
    return f"note: {name} has changed since this brief was built; build it again to verify the current sheet"
