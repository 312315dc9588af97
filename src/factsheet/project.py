"""Where a project's seeds, fact sheets and templates live, and keeping paths inside them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from factsheet.errors import UsageError
from factsheet.oneline import one_line

CATALOG = "catalog.yaml"


@dataclass(frozen=True)
class Project:
    """A folder holding ``seeds/``, ``factsheets/`` and ``templates/``."""

    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """Return the project at ``start`` (default: the working folder) or its nearest parent holding ``seeds/catalog.yaml``."""
        here = Path(start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "seeds" / CATALOG).is_file():
                return cls(folder)
        raise UsageError(
            f"no factsheet project here: expected seeds/{CATALOG} in {here} or a parent folder "
            "(run from the project folder or pass --root DIR)"
        )

    @classmethod
    def for_paths(cls, root: Path | None, paths: list[str] | tuple[str, ...] = ()) -> Project:
        """Return the project named by ``root``, else the one holding the first path, else the working folder's.

        A sheet given from outside its project finds it by walking up from the
        file, as git finds a repository; a file in no project falls back to the
        working folder's project.
        """
        if root is not None:
            return cls.find(root)
        for name in paths[:1]:
            start = Path(name).resolve()
            try:
                return cls.find(start if start.is_dir() else start.parent)
            except UsageError:
                pass
        return cls.find()

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def catalog_path(self) -> Path:
        """Return the seed catalog file."""
        return self.seeds_dir / CATALOG

    @property
    def factsheets_dir(self) -> Path:
        return self.root / "factsheets"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def default_out(self) -> Path:
        """Return the folder ``factsheet build`` writes to by default."""
        return self.root / "build"

    def sheet_paths(self, paths: list[str] | None = None) -> list[Path]:
        """Return the fact sheet files named, or every ``*.yaml`` in ``factsheets/``."""
        if paths:
            out = []
            for p in paths:
                path = Path(p)
                if path.is_dir():
                    out.extend(sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")))
                elif not path.exists():
                    raise UsageError(f"{p}: no such file")
                else:
                    out.append(path)
            return out
        found = sorted(self.factsheets_dir.glob("*.yaml")) + sorted(self.factsheets_dir.glob("*.yml"))
        if not found:
            raise UsageError(f"no fact sheets: {self.factsheets_dir} holds no .yaml files")
        return found

    def link_outside(self, path: Path) -> bool:
        """Return True when ``path`` is named inside the project but a symbolic link leads it outside."""
        return leads_outside(self.root, path)

    def refuse_as_output(self, out: Path, instead: str) -> None:
        """Raise UsageError when ``out`` is the project folder or lies in an input folder.

        An output among the inputs would be read back as one: a brief in
        ``templates/`` could be included as template code, one in ``factsheets/``
        checked as a sheet. ``instead`` ends the message ("build into …").
        """
        where = out.resolve()
        if where == self.root.resolve():
            raise UsageError(f"--out: {one_line(out)} is the project folder; {instead}")
        for folder in (self.seeds_dir, self.factsheets_dir, self.templates_dir):
            if where.is_relative_to(folder.resolve()):
                raise UsageError(
                    f"--out: {one_line(out)} is inside {self.display(folder)}/, which holds inputs; {instead}"
                )

    def display(self, path: Path) -> str:
        """Return ``path`` relative to the working folder when it is below it."""
        here = Path.cwd().resolve()
        # the resolved path first; a link leading out of the project is shown where it lies
        for candidate in (Path(path).resolve(), Path(os.path.abspath(path))):
            try:
                return str(candidate.relative_to(here))
            except ValueError:
                continue
        return str(path)


def inside(folder: Path, name: str) -> Path | None:
    """Return ``folder/name`` if it is a plain file name that stays inside ``folder``, else None."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        return None
    path = folder / name
    try:
        if not path.is_symlink():  # an entry of the folder itself: inside it, wherever the folder lies
            return path
        if path.resolve().parent != folder.resolve():
            return None  # a symbolic link pointing out of the folder
    except (OSError, RuntimeError):  # RuntimeError: a symbolic link loop (Python < 3.13)
        return None
    return path


def leads_outside(root: Path, path: Path) -> bool:
    """Return True when ``path`` lies under ``root`` as written but resolves outside it (a link out).

    A file named outside the project on the command line is the user's own
    choice; a link inside the project that leads out of it is not, so it is
    refused before a byte of it is read.
    """
    named = Path(os.path.abspath(path))
    top = Path(os.path.abspath(root))
    if not named.is_relative_to(top):
        return False
    try:
        return not Path(path).resolve().is_relative_to(Path(root).resolve())
    except (OSError, RuntimeError):  # a link loop: nothing to read either way
        return True
