"""The seed library: stored source articles, their metadata and integrity."""

from __future__ import annotations

import hashlib
from pathlib import Path

from factsheet.errors import InputError, Problem
from factsheet.project import CATALOG, Project, inside
from factsheet.regularfile import FileTooLarge, kind, read_regular
from factsheet.sources import schema
from factsheet.sources.loading import Located, YamlMap, load_file
from factsheet.sources.model import Source
from factsheet.sources.quotes import Article
from factsheet.sources.schema import source_from_data

#: Articles are news texts; anything larger is not one.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
#: A saved page or web archive of one article (as ``capture.MAX_CAPTURE_BYTES``).
CAPTURE_LIMIT = 20 * 1024 * 1024


class SeedLibrary:
    """The articles listed in ``seeds/catalog.yaml``, read and verified on first use."""

    def __init__(self, folder: Path, display: str | None = None):
        self.folder = Path(folder)
        self.catalog_file = display or str(self.folder / CATALOG)
        self.sources: dict[str, Source] = {}
        self.problems: list[Problem] = []
        self._articles: dict[str, Article | None] = {}
        self.catalog: Located | None = None
        self._index: tuple[Located | None, dict[str, YamlMap]] | None = None
        self._load()

    @classmethod
    def of(cls, project: Project) -> SeedLibrary:
        """Return a project's seed library: the catalog read and checked, articles read on use."""
        return cls(project.seeds_dir, project.display(project.catalog_path))

    def _load(self) -> None:
        try:
            doc = load_file(self.folder / CATALOG, self.catalog_file, expected="sources")
        except InputError as exc:
            self.problems.extend(exc.problems)
            return
        self.catalog = doc
        problems = schema.validate(schema.CATALOG, doc)
        self.problems.extend(problems)
        if problems:
            return
        for i, entry in enumerate(doc.data["sources"]):
            path = ("sources", i)
            if entry["id"] in self.sources:
                self.problems.append(doc.problem(path + ("id",), f"duplicate source id '{entry['id']}'"))
                continue
            if entry["file"] != entry["id"] + ".txt":
                self.problems.append(
                    doc.problem(
                        path + ("file",),
                        f"expected file '{entry['id']}.txt' for source '{entry['id']}', found '{entry['file']}'",
                    )
                )
                continue
            within = inside(self.folder, entry["file"])  # one look at the file, not one per question
            if within is None and (self.folder / entry["file"]).is_symlink():
                self.problems.append(
                    doc.problem(
                        path + ("file",),
                        f"source file '{entry['file']}' is a link pointing outside {self.folder}; store the article itself",
                    )
                )
                continue
            found = _found(self.folder / entry["file"])
            if within is not None and found not in ("a regular file", None):
                self.problems.append(
                    doc.problem(
                        path + ("file",),
                        f"source file '{entry['file']}': expected a regular file, found {found}",
                    )
                )
                continue
            if within is None or found is None:
                self.problems.append(
                    doc.problem(path + ("file",), f"source file '{entry['file']}' not found in {self.folder}")
                )
                continue
            self.sources[entry["id"]] = source_from_data(entry)

    def _catalog_problem(self, path: tuple[str | int, ...], message: str) -> Problem:
        """Return a problem located in the catalog (at its start if it was never read)."""
        if self.catalog is None:
            return Problem(self.catalog_file, 1, 1, message)
        return self.catalog.problem(path, message)

    def article(self, source_id: str) -> Article | None:
        """Return the article of ``source_id`` if its bytes match the catalog's sha256, else None."""
        if source_id in self._articles:
            return self._articles[source_id]
        source = self.sources.get(source_id)
        if source is None:
            return None
        index = list(self.sources).index(source_id)
        try:
            raw = read_regular(self.folder / source.file, MAX_ARTICLE_BYTES)
        except FileTooLarge:
            self.problems.append(
                self._catalog_problem(
                    ("sources", index, "file"),
                    f"{source.file} is larger than {MAX_ARTICLE_BYTES:,} bytes; store the article text only",
                )
            )
            self._articles[source_id] = None
            return None
        except OSError as exc:  # replaced by a pipe or device since the catalog was read
            self.problems.append(
                self._catalog_problem(
                    ("sources", index, "file"), f"cannot read {source.file}: {exc.strerror}"
                )
            )
            self._articles[source_id] = None
            return None
        digest = hashlib.sha256(raw).hexdigest()
        article = None
        if digest != source.sha256:
            self.problems.append(
                self._catalog_problem(
                    ("sources", index, "sha256"),
                    f"{source.file} has changed: expected sha256 {source.sha256[:12]}…, found {digest[:12]}…; "
                    "stored articles must stay byte for byte as received",
                )
            )
        else:
            try:
                article = Article(source_id, raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                self.problems.append(
                    Problem(
                        str(self.folder / source.file),
                        1,
                        1,
                        f"invalid UTF-8 at byte offset {exc.start}; articles must be UTF-8",
                    )
                )
        self._articles[source_id] = article
        return article

    def entry(self, source_id: str) -> YamlMap:
        """Return the catalog entry of a source, as written (empty when there is none)."""
        return self._entries_by_id().get(source_id, {})

    def _entries_by_id(self) -> dict[str, YamlMap]:
        """Return the catalog's entries by id (the first of an id), made once per catalog read.

        A long sheet asks for an entry per citation and per note: looked up in a
        list, that grew with the catalog times the citations.
        """
        catalog = self.catalog
        if self._index is None or self._index[0] is not catalog:
            by_id: dict[str, YamlMap] = {}
            for e in self._entries():
                key = e.get("id")
                if isinstance(key, str):  # an id of another type names no source
                    by_id.setdefault(key, e)
            self._index = (catalog, by_id)
        return self._index[1]

    def _entries(self) -> list[YamlMap]:
        data = self.catalog.data if self.catalog is not None else {}
        return [e for e in data.get("sources") or () if isinstance(e, dict)]

    def captures(self, source_id: str) -> list[YamlMap]:
        """Return the capture records of a source, oldest first (none for a text added by hand)."""
        return [c for c in self.entry(source_id).get("captures") or () if isinstance(c, dict)]

    def newer_capture(self, source_id: str) -> tuple[YamlMap, Article] | None:
        """Return the newest capture of a source that is not the one its stored text came from, with its text."""
        source = self.sources[source_id]
        later = [c for c in self.captures(source_id) if c.get("text") != source.file]
        if not later:
            return None
        record = later[-1]
        article = self.capture_text(source_id, record)
        return (record, article) if article is not None else None

    def capture_text(self, source_id: str, record: YamlMap) -> Article | None:
        """Return the text extracted from a capture, if its bytes match the record's text_sha256."""
        key = f"{source_id}@{record.get('text')}"
        if key in self._articles:
            return self._articles[key]
        article = None
        name = str(record.get("text"))
        if _within(self.folder, name) is None:
            self._articles[key] = None
            return None
        try:
            raw = read_regular(self.folder / name, MAX_ARTICLE_BYTES)
        except OSError as exc:
            self._capture_problem(source_id, f"cannot read {name}: {exc.strerror or exc}")
        else:
            digest = hashlib.sha256(raw).hexdigest()
            if digest != record.get("text_sha256"):
                self._capture_problem(
                    source_id,
                    f"{name} has changed: expected sha256 {str(record.get('text_sha256'))[:12]}…, found {digest[:12]}…; "
                    "stored captures must stay byte for byte as received",
                )
            else:
                article = Article(source_id, raw.decode("utf-8", "replace"))
        self._articles[key] = article
        return article

    def capture_bytes(self, source_id: str, record: YamlMap) -> bytes | None:
        """Return a capture's bytes as received, if they match the record's sha256 (else a problem)."""
        name = str(record.get("file"))
        if _within(self.folder, name) is None:
            return None
        try:
            raw = read_regular(self.folder / name, CAPTURE_LIMIT)
        except OSError as exc:
            self._capture_problem(source_id, f"cannot read {name}: {exc.strerror or exc}")
            return None
        digest = hashlib.sha256(raw).hexdigest()
        if digest != record.get("sha256"):
            self._capture_problem(
                source_id,
                f"{name} has changed: expected sha256 {str(record.get('sha256'))[:12]}…, found {digest[:12]}…; "
                "stored captures must stay byte for byte as received",
            )
            return None
        return raw

    def first_capture(self, source_id: str) -> YamlMap | None:
        """Return the record of the capture the source's stored text came from, if it has one."""
        source = self.sources[source_id]
        return next((c for c in self.captures(source_id) if c.get("text") == source.file), None)

    def _capture_problem(self, source_id: str, message: str) -> None:
        if self.catalog is None:
            self.problems.append(Problem(self.catalog_file, 1, 1, message))
            return
        index = [e.get("id") for e in self.catalog.data["sources"] if isinstance(e, dict)].index(source_id)
        self.problems.append(self.catalog.problem(("sources", index, "captures"), message))

    def articles(self) -> list[Article]:
        """Return every readable article."""
        return [a for a in (self.article(i) for i in self.sources) if a is not None]

    def digest(self, source_id: str) -> str:
        """Return a hash of a source's bytes and metadata, for deciding what to rebuild."""
        source = self.sources[source_id]
        return hashlib.sha256(repr(source).encode()).hexdigest()


def _found(path: Path) -> str | None:
    """Return what kind of file ``path`` is (links followed), or None when there is none."""
    try:
        return kind(path.stat().st_mode)
    except (OSError, RuntimeError):
        return None


def _within(folder: Path, name: str) -> Path | None:
    """Return ``folder/name`` for a relative path of plain names that resolves inside ``folder``, else None."""
    parts = name.split("/")
    if not name or any(p in ("", ".", "..") or "\\" in p or "\0" in p for p in parts):
        return None
    path = folder.joinpath(*parts)
    try:
        if not path.resolve().is_relative_to(folder.resolve()):
            return None  # a symbolic link pointing out of the folder
    except (OSError, RuntimeError):
        return None
    return path
