"""The seed library: stored source articles, their metadata and integrity."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from factsheet.errors import InputError, Problem
from factsheet.project import CATALOG, Project, inside
from factsheet.regularfile import FileTooLarge, kind, read_regular
from factsheet.sources import schema
from factsheet.sources.loading import Located, YamlMap
from factsheet.sources.model import Source
from factsheet.sources.parsecache import load_checked
from factsheet.sources.quotes import Article
from factsheet.sources.schema import source_from_data

#: Articles are news texts; anything larger is not one.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
#: A saved page or web archive of one article (as ``capture.MAX_CAPTURE_BYTES``).
CAPTURE_LIMIT = 20 * 1024 * 1024


def _catalog_problems(doc: Located) -> list[Problem]:
    return schema.validate(schema.CATALOG, doc)


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

    def __getstate__(self) -> dict[str, object]:
        # A library is sent to the render process, which reads catalog entries but reports
        # none of the catalog's problems: the positions, lines and bytes of a long catalog
        # (four times its values) stay in the process that checks it.
        state = dict(self.__dict__)
        if self.catalog is not None:
            state["catalog"] = Located(self.catalog.file, self.catalog.data)
        state["_index"] = None
        return state

    @classmethod
    def of(cls, project: Project) -> SeedLibrary:
        """Return a project's seed library: the catalog read and checked, articles read on use."""
        return cls(project.seeds_dir, project.display(project.catalog_path))

    def _load(self) -> None:
        try:
            doc, problems = load_checked(
                self.folder / CATALOG, self.catalog_file, "sources", "catalog", _catalog_problems
            )
        except InputError as exc:
            self.problems.extend(exc.problems)
            return
        self.catalog = doc
        self.problems.extend(problems)
        if problems:
            return
        plain_files = _regular_files(self.folder)
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
            if entry["file"] not in plain_files:
                problem = self._file_problem(entry["file"])
                if problem is not None:
                    self.problems.append(doc.problem(path + ("file",), problem))
                    continue
            self.sources[entry["id"]] = source_from_data(entry)

    def _file_problem(self, name: str) -> str | None:
        """Return what is wrong with the article file ``name`` of the catalog, if anything."""
        within = inside(self.folder, name)  # one look at the file, not one per question
        if within is None and (self.folder / name).is_symlink():
            return f"source file '{name}' is a link pointing outside {self.folder}; store the article itself"
        found = _found(self.folder / name)
        if within is not None and found not in ("a regular file", None):
            return f"source file '{name}': expected a regular file, found {found}"
        if within is None or found is None:
            return f"source file '{name}' not found in {self.folder}"
        return None

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


def _regular_files(folder: Path) -> frozenset[str]:
    """Return the names of the regular files in ``folder`` (not links), seen in one listing.

    A catalog lists every article of every story in the project: one listing
    answers for all of them, where a look at each file took one or two system
    calls per article. A name not listed here is looked at on its own.
    """
    try:
        with os.scandir(folder) as listing:
            return frozenset(e.name for e in listing if e.is_file(follow_symlinks=False))
    except OSError:
        return frozenset()


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
