"""Adding articles to the seed library: a capture kept byte for byte, its body as the seed text, a catalog entry."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from factsheet.atomic import write_atomic
from factsheet.errors import InputError, Problem, UsageError
from factsheet.project import CATALOG
from factsheet.regularfile import FileTooLarge, read_regular
from factsheet.sources import capture
from factsheet.sources.capture import CaptureProblem, Extraction, Page
from factsheet.sources.loading import Located, YamlMap, YamlPath
from factsheet.sources.seeds import MAX_ARTICLE_BYTES, SeedLibrary

#: Where captures are kept, under seeds/: one folder per source id.
CAPTURES = "captures"

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_CAPTURED = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")

#: The longest value each catalog field holds (as sources/schema.py declares).
_LIMITS = {"outlet": 200, "headline": 400, "author": 200, "url": 2000}

_CATALOG_HEAD = (
    "# yaml-language-server: $schema=../schema/catalog.schema.json\n"
    "# Source articles the fact sheets cite. Values the article does not state are null, never guessed.\n"
    "\nsources:\n"
)


@dataclass
class Added:
    """What ``seeds add`` did: the source id, whether anything changed, and the entry it wrote."""

    source_id: str
    changed: bool
    entry: YamlMap = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Intake:
    """A capture read and understood: its bytes, what it is, and (for a page) its article."""

    name: str
    raw: bytes
    kind: str
    page: Page | None = None
    extraction: Extraction | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def text(self) -> str:
        """The seed text: the article body of a page, or the text file itself."""
        if self.extraction is not None:
            return self.extraction.body
        return self.raw.decode("utf-8")


def read_capture(path: Path, display: str, url: str | None = None, captured: str | None = None) -> Intake:
    """Return the capture at ``path`` read and its article extracted; raise InputError with one clear line."""
    try:
        raw = read_regular(path, capture.MAX_CAPTURE_BYTES)
    except FileTooLarge:
        raise _bad(
            display,
            f"the file is over the limit of {capture.MAX_CAPTURE_BYTES:,} bytes for one capture; save the article page alone",
        ) from None
    except OSError as exc:
        raise UsageError(f"cannot read {display}: {exc.strerror or exc}") from None
    if url is not None and not re.match(r"^https?://\S+$", url):
        raise UsageError(
            f"--url: expected an http(s) address such as https://example.org/news/story, found '{url}'"
        )
    if captured is not None and not _CAPTURED.match(captured):
        raise UsageError(
            f"--captured: expected a date such as 2024-10-18 or 2024-10-18T09:30Z, found '{captured}'"
        )
    kind = capture.kind_of(path.name, raw)
    try:
        if kind == capture.TEXT:
            return _text_intake(path.name, raw, display)
        page = capture.page_of(raw, kind, url)
        if captured is not None:
            page = Page(page.html, page.url, captured, "--captured")
        return Intake(path.name, raw, kind, page, capture.extract(page))
    except CaptureProblem as exc:
        raise _bad(display, str(exc)) from None


def _text_intake(name: str, raw: bytes, display: str) -> Intake:
    if len(raw) > MAX_ARTICLE_BYTES:
        raise _bad(display, f"the file is over the limit of {MAX_ARTICLE_BYTES:,} bytes for an article text")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad(
            display, f"invalid UTF-8 at byte offset {exc.start}; article texts must be UTF-8"
        ) from None
    if capture.is_html(raw):
        raise _bad(display, "the file is an HTML page; save it as .html so its article is extracted")
    return Intake(name, raw, capture.TEXT)


def _bad(display: str, message: str) -> InputError:
    return InputError([Problem(display, 1, 1, message)])


def default_id(name: str) -> str:
    """Return a source id made of a file name: lowercase words joined by hyphens."""
    stem = re.sub(r"(\.warc)?(\.gz)?$", "", Path(name).stem.lower())
    slug = "-".join(re.findall(r"[a-z0-9]+", stem))[:80].strip("-")
    return slug or "article"


# -- seeds add -------------------------------------------------------------------------------


def add(seeds: Path, intake: Intake, source_id: str | None = None) -> Added:
    """Add a capture as a new source: keep it, write its text and append its catalog entry."""
    source_id = source_id or default_id(intake.name)
    if not _SLUG.match(source_id) or len(source_id) > 80:
        raise UsageError(
            f"--id: expected a lowercase slug such as 'harbour-ferry' (letters, digits, hyphens), found '{source_id}'"
        )
    library = _library(seeds)
    if library is not None:
        same = _already_added(library, intake)
        if same is not None:
            return Added(same, False)
        if source_id in library.sources:
            raise UsageError(
                f"source '{source_id}' is already in the catalog; for a newer capture of that article run "
                f"'factsheet seeds update {source_id} PATH', or choose another --id"
            )
    text_name = f"{source_id}.txt"
    if (seeds / text_name).exists() or (seeds / text_name).is_symlink():
        raise UsageError(
            f"seeds/{text_name} exists but is not in the catalog; move it away or choose another --id"
        )
    text = intake.text.encode("utf-8")
    entry: YamlMap = {
        "id": source_id,
        "file": text_name,
        "original": intake.name,
        "sha256": hashlib.sha256(text).hexdigest(),
    }
    stated = intake.extraction.stated if intake.extraction else {}
    too_long = []
    for key in ("outlet", "headline", "author", "published", "url", "language"):
        entry[key] = stated[key].value if key in stated else None
        if entry[key] is not None and len(entry[key]) > _LIMITS.get(key, 10**6):
            too_long.append(f"{key} ({len(entry[key]):,} characters, {stated[key].origin})")
            entry[key] = None
    entry["notes"] = (
        f"The page states a longer {', '.join(too_long)} than the catalog holds; not recorded."
        if too_long
        else None
    )
    files = []
    if intake.extraction is not None:
        if "modified" in stated:
            entry["modified"] = stated["modified"].value
        entry["stated"] = {k: stated[k].origin for k in capture.STATED_FIELDS if k in stated}
        record, name = capture_record(source_id, intake, text_name)
        entry["captures"] = [record]
        write_new(seeds / name, intake.raw)
        files.append(name)
    write_new(seeds / text_name, text)
    files.append(text_name)
    _append_entry(seeds / CATALOG, entry)
    return Added(source_id, True, entry, files)


def _library(seeds: Path) -> SeedLibrary | None:
    """Return the library when a catalog exists (refusing one with errors), else None."""
    if not (seeds / CATALOG).exists():
        return None
    library = SeedLibrary(seeds, f"seeds/{CATALOG}")
    errors = [p for p in library.problems if p.severity == "error"]
    if errors:
        raise InputError(errors)
    return library


def _already_added(library: SeedLibrary, intake: Intake) -> str | None:
    """Return the id of the source this very capture (or text) was added as, if any."""
    digest = intake.sha256
    for source_id, entry in _entries(library).items():
        if intake.kind == capture.TEXT and entry.get("sha256") == digest:
            return source_id
        if any(isinstance(c, dict) and c.get("sha256") == digest for c in entry.get("captures") or ()):
            return source_id
    return None


def _entries(library: SeedLibrary) -> dict[str, YamlMap]:
    data = library.catalog.data if library.catalog is not None else {}
    return {
        e["id"]: e
        for e in data.get("sources") or ()
        if isinstance(e, dict) and e.get("id") in library.sources
    }


def capture_record(source_id: str, intake: Intake, text_name: str) -> tuple[YamlMap, str]:
    """Return the catalog record of a page capture and the name it is kept under in seeds/."""
    page, extraction = intake.page, intake.extraction
    assert page is not None and extraction is not None
    stamp = (page.captured or "undated")[:10]
    suffix = {capture.WARC: ".warc.gz" if intake.raw[:2] == b"\x1f\x8b" else ".warc"}.get(
        intake.kind, ".html"
    )
    name = f"{CAPTURES}/{source_id}/{stamp}-{intake.sha256[:12]}{suffix}"
    text = extraction.body.encode("utf-8")
    record = {
        "file": name,
        "sha256": intake.sha256,
        "text": text_name,
        "text_sha256": hashlib.sha256(text).hexdigest(),
        "captured": page.captured,
        "captured_from": page.captured_from,
        "url": page.url,
        "extractor": extraction.extractor,
        "modified": extraction.stated["modified"].value if "modified" in extraction.stated else None,
        "notice": extraction.notice,
    }
    return record, name


def write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet (an existing identical one is kept)."""
    if path.exists():
        if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
            return
        raise UsageError(f"{path} exists already; move it away first")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)


# -- writing the catalog ---------------------------------------------------------------------


_PLAIN = re.compile(r"[a-z0-9][a-z0-9._/-]*")
_YAML_WORDS = {"null", "true", "false", "yes", "no", "on", "off", "y", "n"}


def scalar(value: object) -> str:
    """Return ``value`` as a YAML scalar that reads back as the same string, number or null."""
    if value is None:
        return "null"
    if (
        isinstance(value, str)
        and _PLAIN.fullmatch(value)
        and re.search("[a-z]", value)
        and value not in _YAML_WORDS
    ):
        return value  # an id, a file name or a hash reads the same unquoted
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted string


def flow(mapping: YamlMap) -> str:
    """Return a mapping as one line of YAML flow style."""
    return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in mapping.items()) + "}"


def entry_yaml(entry: YamlMap) -> str:
    """Return a catalog entry as the YAML lines of one item of ``sources``."""
    lines: list[str] = []
    for key, value in entry.items():
        lead = "  - " if not lines else "    "
        if isinstance(value, dict):
            lines.append(f"{lead}{key}: {flow(value)}")
        elif isinstance(value, list):
            lines.append(f"{lead}{key}:")
            lines += [f"      - {flow(item)}" for item in value]
        else:
            lines.append(f"{lead}{key}: {scalar(value)}")
    return "\n".join(lines) + "\n"


def _append_entry(catalog: Path, entry: YamlMap) -> None:
    """Append an entry to the catalog's ``sources`` list (the catalog's last key), creating it if needed."""
    if catalog.exists():
        text = catalog.read_text("utf-8")
        if text and not text.endswith("\n"):
            text += "\n"
        text += "\n"
    else:
        text = _CATALOG_HEAD
    write_atomic(catalog, (text + entry_yaml(entry)).encode("utf-8"))


def insert_capture(seeds: Path, library: SeedLibrary, source_id: str, record: YamlMap) -> None:
    """Add a capture record to the end of a source's ``captures`` list in the catalog, keeping every other line."""
    doc = library.catalog
    assert doc is not None
    index = [e.get("id") if isinstance(e, dict) else None for e in doc.data["sources"]].index(source_id)
    lines = (seeds / CATALOG).read_text("utf-8").split("\n")
    entry = doc.data["sources"][index]
    captures = entry.get("captures")
    if captures:
        last = ("sources", index, "captures", len(captures) - 1)
        marker = re.match(r"^(\s*)- ", lines[doc.pos(last)[0] - 1])
        if marker is None:
            raise UsageError(
                f"seeds/{CATALOG}: cannot find where the captures of '{source_id}' end; write each capture as one '- {{…}}' line"
            )
        at = _end_of(doc, last, lines)
        new = [f"{marker.group(1)}- {flow(record)}"]
    else:
        indent = " " * (doc.pos(("sources", index, "id"), key=True)[1] - 1)
        at = _end_of(doc, ("sources", index), lines)
        new = [f"{indent}captures:", f"{indent}  - {flow(record)}"]
    write_atomic(seeds / CATALOG, "\n".join(lines[:at] + new + lines[at:]).encode("utf-8"))


def _end_of(doc: Located, path: YamlPath, lines: list[str]) -> int:
    """Return the index of the line after the YAML node at ``path`` (trailing blank and comment lines left after it)."""
    start = doc.pos(path)[0]

    def inside(p: YamlPath) -> bool:
        return p[: len(path)] == path

    after = [
        line
        for table in (doc.value_pos, doc.key_pos)
        for p, (line, _) in table.items()
        if line > start and not inside(p) and len(p) <= len(path)
    ]
    end = min(after) - 1 if after else len(lines)
    while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return end
