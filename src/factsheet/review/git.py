"""Read fact sheet versions from git, and set git up to show claim-level diffs (subprocess only)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from factsheet.errors import FactsheetError

SUFFIXES = (".yaml", ".yml")
DRIVER = "factsheet"
ATTRIBUTE_LINES = tuple(f"factsheets/*{s} diff={DRIVER}" for s in SUFFIXES)
#: Hunk headers name the claim a change belongs to ("@@ -40,7 +40,7 @@ claim first-toll").
XFUNCNAME = "^(claim .*|sheet)$"


class GitError(FactsheetError):
    """git is missing, the folder is not a repository, or git refused a revision."""

    exit_code = 2


def git(args: list[str], cwd: Path, binary: bool = False):
    """Return git's standard output for ``args`` run in ``cwd``; raise GitError on failure."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False,
                              env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"})
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {' '.join(args[:2])}: {message[0] if message else f'exit {done.returncode}'}")
    return done.stdout if binary else done.stdout.decode("utf-8", "replace")


def toplevel(cwd: Path) -> Path:
    """Return the top folder of the work tree holding ``cwd``."""
    return Path(git(["rev-parse", "--show-toplevel"], cwd).strip())


@dataclass(frozen=True)
class Revisions:
    """What to compare: ``old`` against ``new``, where None for ``new`` means the work tree."""

    old: str
    new: str | None

    def label(self, rev: str | None, path: str) -> str:
        return path if rev is None else f"{rev}:{path}"


def parse_rev(spec: str | None, cwd: Path) -> Revisions:
    """Return the revisions of ``--rev``: REV (against the work tree), A..B, or A...B (from their merge base)."""
    if not spec:
        return Revisions("HEAD", None)
    if "..." in spec:
        a, b = spec.split("...", 1)
        a, b = a or "HEAD", b or "HEAD"
        base = git(["merge-base", a, b], cwd).strip()
        _verify(b, cwd)
        return Revisions(base[:12], b)
    if ".." in spec:
        a, b = spec.split("..", 1)
        a, b = a or "HEAD", b or "HEAD"
        _verify(a, cwd)
        _verify(b, cwd)
        return Revisions(a, b)
    _verify(spec, cwd)
    return Revisions(spec, None)


def _verify(rev: str, cwd: Path) -> None:
    if rev.startswith("-"):
        raise GitError(f"--rev: '{rev}' is not a revision")
    try:
        git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd)
    except GitError:
        raise GitError(f"--rev: unknown revision '{rev}'") from None


@dataclass(frozen=True)
class FilePair:
    """One fact sheet file to compare; a path is None where the file does not exist."""

    old_path: str | None
    new_path: str | None


def changed_sheets(revs: Revisions, pathspecs: list[str], cwd: Path) -> list[FilePair]:
    """Return the .yaml/.yml files under ``pathspecs`` whose bytes differ between the revisions.

    Paths are relative to the top of the work tree. Renamed files are followed;
    with the work tree as the new side, untracked (not ignored) files count as added.
    """
    args = ["diff", "--name-status", "-z", "-M", "--no-ext-diff", "--no-textconv", revs.old]
    if revs.new is not None:
        args.append(revs.new)
    fields = git(args + ["--", *pathspecs], cwd).split("\0")
    pairs: list[FilePair] = []
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i][0]
        if status in "RC":
            old, new = fields[i + 1], fields[i + 2]
            i += 3
            pairs.append(FilePair(old if status == "R" else None, new))
            continue
        path = fields[i + 1]
        i += 2
        pairs.append(FilePair(None if status == "A" else path, None if status == "D" else path))
    if revs.new is None:
        untracked = git(["ls-files", "-z", "--others", "--exclude-standard", "--full-name", "--", *pathspecs], cwd)
        pairs += [FilePair(None, p) for p in untracked.split("\0") if p]
    return [p for p in pairs if any((x or "").endswith(SUFFIXES) for x in (p.old_path, p.new_path))]


def read_blob(rev: str, path: str, cwd: Path) -> bytes:
    """Return the bytes of ``path`` (relative to the top of the work tree) at ``rev``."""
    return git(["show", f"{rev}:{path}"], cwd, binary=True)


# -- setup ----------------------------------------------------------------------


def textconv_command() -> str:
    """Return the command git should run to show a fact sheet claim by claim."""
    if shutil.which("factsheet"):
        return "factsheet diff --textconv"
    return f"{shlex.quote(sys.executable)} -m factsheet diff --textconv"


def install(folder: Path, command: str | None = None) -> list[str]:
    """Make git show claim-level diffs for ``folder/factsheets/*.yaml``; return what was done.

    Adds the ``diff=factsheet`` attribute to ``folder/.gitattributes`` (a file to
    commit) and sets the driver in the repository's own config (per clone).
    Running it again changes nothing.
    """
    toplevel(folder)  # fails clearly outside a repository
    done: list[str] = []
    attributes = folder / ".gitattributes"
    text = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in ATTRIBUTE_LINES if line not in present]
    if missing:
        if text and not text.endswith("\n"):
            text += "\n"
        attributes.write_text(text + "".join(line + "\n" for line in missing), encoding="utf-8")
        done.append(f"added to {attributes}: {'; '.join(missing)}")
    settings = {
        f"diff.{DRIVER}.textconv": command or textconv_command(),
        f"diff.{DRIVER}.cachetextconv": "true",
        f"diff.{DRIVER}.xfuncname": XFUNCNAME,
    }
    for key, value in settings.items():
        try:
            current = git(["config", "--local", "--get", key], folder).strip()
        except GitError:
            current = None
        if current != value:
            git(["config", "--local", key, value], folder)
            done.append(f"git config {key} {shlex.quote(value)}")
    return done
