"""The seed library: stored source articles, their metadata and integrity."""

from __future__ import annotations

import hashlib
from pathlib import Path

from factsheet.errors import InputError, Problem
from factsheet.project import CATALOG, Project, inside
from factsheet.regularfile import FileTooLarge, kind, read_regular
from factsheet.sources import schema
from factsheet.sources.loading import Located, load_file
from factsheet.sources.model import Source
from factsheet.sources.quotes import Article
from factsheet.sources.schema import source_from_data

#: Articles are news texts; anything larger is not one.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024


class SeedLibrary:
    """The articles listed in ``seeds/catalog.yaml``, read and verified on first use."""

    def __init__(self, folder: Path, display: str | None = None):
        self.folder = Path(folder)
        self.catalog_file = display or str(self.folder / CATALOG)
        self.sources: dict[str, Source] = {}
        self.problems: list[Problem] = []
        self._articles: dict[str, Article | None] = {}
        self.catalog: Located | None = None
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
            if (self.folder / entry["file"]).is_symlink() and inside(self.folder, entry["file"]) is None:
                self.problems.append(
                    doc.problem(
                        path + ("file",),
                        f"source file '{entry['file']}' is a link pointing outside {self.folder}; store the article itself",
                    )
                )
                continue
            found = _found(self.folder / entry["file"])
            if inside(self.folder, entry["file"]) is not None and found not in ("a regular file", None):
                self.problems.append(
                    doc.problem(
                        path + ("file",),
                        f"source file '{entry['file']}': expected a regular file, found {found}",
                    )
                )
                continue
            if inside(self.folder, entry["file"]) is None or found is None:
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
