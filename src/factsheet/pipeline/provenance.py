"""The provenance record every output carries: the sheet, and for each note its sources, captures and passages.

The record is plain JSON. Writers embed it as it is (PDF: XMP, DOCX: a custom
XML part, HTML: a JSON data block); ``factsheet verify`` reads it back and
checks it against the project's captures (:mod:`factsheet.pipeline.verify`).
Its ``digest`` is the SHA-256 of the record without it, so an edited record
is noticed. Nothing in it depends on the clock: the same input gives the same
record.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

from factsheet import gitquery
from factsheet.project import Project
from factsheet.rendering.document import Document
from factsheet.sources.history import SheetLog, git_id, sheet_log
from factsheet.sources.model import FactSheet
from factsheet.sources.seeds import SeedLibrary

#: The record's format, so a later reader knows what it reads.
FORMAT = "factsheet-provenance/1"
#: How long git may take to name the sheet's commit before the record goes without it.
GIT_SECONDS = 5.0


def sha256(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def canonical(value: object) -> bytes:
    """Return ``value`` as canonical JSON bytes (sorted keys, no spaces), the form the digest is taken of."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sealed(record: dict[str, Any]) -> dict[str, Any]:
    """Return ``record`` with its digest."""
    body = {k: v for k, v in record.items() if k != "digest"}
    return {**body, "digest": sha256(canonical(body))}


def intact(record: dict[str, Any]) -> bool:
    """Return True when ``record``'s digest matches the rest of it."""
    return isinstance(record.get("digest"), str) and sealed(record)["digest"] == record["digest"]


def record_for(
    project: Project,
    path: Path,
    data: bytes,
    sheet: FactSheet,
    document: Document,
    library: SeedLibrary,
    log: SheetLog | None = None,
) -> str:
    """Return the provenance record of a brief built from the sheet at ``path``, as JSON text.

    ``data`` is the file's bytes as they were read and checked (read again when empty: an
    edit saved since must not be recorded as what the brief was built from).
    ``log`` is what git said of the sheet when it was loaded (asked now when None).
    """
    data = data or Path(path).read_bytes()
    about: dict[str, Any] = {"file": _project_name(project.root, Path(path)), "sha256": sha256(data)}
    commit = git_commit(project.root, Path(path), data, log)
    if commit:
        about["commit"] = commit
    quotes = _quotes_by_claim(sheet)
    notes = []
    for origin in document.note_origins:
        cited = []
        claims = origin.claims or tuple(quotes)  # a note naming no claim relies on every quote of its sources
        for source_id in origin.sources:
            wanted = [q for claim in claims for s, q in quotes.get(claim, ()) if s == source_id]
            cited.append(_source_record(library, source_id, wanted))
        notes.append({"note": origin.number, "sources": cited})
    record = {"format": FORMAT, "sheet": about, "notes": notes}
    return json.dumps(sealed(record), ensure_ascii=False, sort_keys=True, indent=1)


def _project_name(root: Path, path: Path) -> str:
    """Return the sheet's path inside the project (its name alone when it lies elsewhere)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def _quotes_by_claim(sheet: FactSheet) -> dict[str, list[tuple[str, str]]]:
    return {c.id: [(cit.source, cit.quote) for cit in c.citations] for c in sheet.claims}


def _source_record(library: SeedLibrary, source_id: str, quotes: list[str]) -> dict[str, Any]:
    """Return what a note records of one source: its text, capture, newest capture and passages."""
    source = library.sources.get(source_id)
    if source is None:
        return {"id": source_id}
    first = library.first_capture(source_id)
    newer = library.newer_capture(source_id)
    out: dict[str, Any] = {
        "id": source_id,
        "text": source.sha256,
        "capture": first.get("sha256") if first else source.sha256,
    }
    out["newest"] = newer[0].get("sha256") if newer else out["capture"]
    article = library.article(source_id)
    passages = []
    for quote in dict.fromkeys(quotes):
        spans = article.spans(quote) if article is not None else []
        if spans and article is not None:
            start, end = spans[0]
            passages.append({"start": start, "end": end, "sha256": sha256(article.text[start:end].encode())})
    out["passages"] = passages
    return out


def git_commit(root: Path, path: Path, data: bytes, log: SheetLog | None = None) -> str | None:
    """Return the commit that last changed the sheet, when the sheet is committed as it is; else None."""
    log = log if log is not None else sheet_log(Path(path), Path(root))
    if not log.commits:
        return None
    last = log.commits[0]
    committed = last.blob
    if committed is None:  # git named no id for it: ask for the sheet in that commit
        try:
            relative = Path(path).resolve().relative_to(Path(root).resolve())
            committed = _git(root, "rev-parse", f"{last.id}:./{relative.as_posix()}")
        except (ValueError, OSError, subprocess.SubprocessError):
            return None
    return last.id if committed and committed == blob_id(data, len(committed)) else None


def blob_id(data: bytes, digits: int) -> str | None:
    """Return the id git gives a file holding ``data`` (see :func:`factsheet.sources.history.git_id`)."""
    return git_id(data, digits)


def _git(root: Path, *args: str) -> str:
    """Return git's answer in ``root``, asked again only once HEAD or a ref has moved ("" when it refuses)."""
    return gitquery.kept(("provenance", *args), root, lambda: _run_git(root, *args))


def _run_git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=GIT_SECONDS,
        check=False,
    )
    return done.stdout.decode("ascii", "replace").strip() if done.returncode == 0 else ""
