"""Read fact sheet versions from git, and set git up to show claim-level diffs (subprocess only)."""

from __future__ import annotations

import errno
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, overload

from factsheet.errors import FactsheetError
from factsheet.oneline import one_line
from factsheet.regularfile import FileTooLarge

SUFFIXES = (".yaml", ".yml")
DRIVER = "factsheet"
ATTRIBUTE_LINES = tuple(f"factsheets/*{s} diff={DRIVER}" for s in SUFFIXES)
#: Hunk headers name the claim a change belongs to ("@@ -40,7 +40,7 @@ claim first-toll").
XFUNCNAME = "^(claim .*|sheet)$"


class GitError(FactsheetError):
    """git is missing, the folder is not a repository, or git refused a revision."""

    exit_code = 2


@overload
def git(args: list[str], cwd: Path, binary: Literal[False] = False) -> str: ...


@overload
def git(args: list[str], cwd: Path, binary: Literal[True]) -> bytes: ...


def git(args: list[str], cwd: Path, binary: bool = False) -> str | bytes:
    """Return git's standard output for ``args`` run in ``cwd``; raise GitError on failure."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        said = one_line(message[0]) if message else f"exit {done.returncode}"
        raise GitError(f"git {one_line(' '.join(args[:2]))}: {said}")
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
        _verify(a, cwd)  # before git sees them: '--output=FILE' would be an option to merge-base
        _verify(b, cwd)
        base = git(["merge-base", "--end-of-options", a, b], cwd).strip()
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
        raise GitError(f"--rev: '{one_line(rev)}' is not a revision")
    try:
        git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], cwd)
    except GitError:
        raise GitError(f"--rev: unknown revision '{one_line(rev)}'") from None


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
        untracked = git(
            ["ls-files", "-z", "--others", "--exclude-standard", "--full-name", "--", *pathspecs], cwd
        )
        pairs += [FilePair(None, p) for p in untracked.split("\0") if p]
    return [p for p in pairs if any((x or "").endswith(SUFFIXES) for x in (p.old_path, p.new_path))]


def missing_paths(revs: Revisions, pathspecs: list[str], cwd: Path) -> list[str]:
    """Return the ``pathspecs`` that name nothing: no file or folder in the work tree nor in either revision."""
    missing = []
    for spec in pathspecs:
        if spec.startswith(":") or os.path.lexists(cwd / spec):
            continue  # a git pathspec magic (":(top)…") is git's to resolve
        known = any(
            git(["ls-tree", "-r", "--name-only", rev, "--", spec], cwd).strip()
            for rev in (revs.old, revs.new)
            if rev is not None
        )
        if not known:
            missing.append(spec)
    return missing


def read_blob(rev: str, path: str, cwd: Path, limit: int) -> bytes:
    """Return the bytes of ``path`` (relative to the top of the work tree) at ``rev``.

    git is asked for the size first: a blob over ``limit`` bytes raises
    FileTooLarge without being read (a commit may add gigabytes of zeros that
    pack into a few megabytes).
    """
    name = f"{rev}:{path}"
    size = int(git(["cat-file", "-s", name], cwd).strip())
    if size > limit:
        raise FileTooLarge(errno.EFBIG, f"file is larger than {limit:,} bytes", name)
    data: bytes = git(["cat-file", "blob", name], cwd, binary=True)
    return data


# -- setup ----------------------------------------------------------------------


#: The environment a git GUI or a fresh login shell gives the textconv command: no venv, no PYTHONPATH.
_BARE_PATH = "/usr/local/bin:/usr/bin:/bin"

#: A small sheet the command is tried on before it is written and by ``git-setup --check``.
_PROBE_SHEET = "title: git-setup probe\nas_of: 2025-01-01\nclaims: []\n"


def _bare_env() -> dict[str, str]:
    """Return an environment like a shell's outside any virtual environment."""
    keep = {k: v for k, v in os.environ.items() if k in ("HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")}
    return {**keep, "PATH": _BARE_PATH}


def textconv_command() -> str:
    """Return the command git should run to show a fact sheet claim by claim, from any shell.

    It names the interpreter that runs this code by its absolute path (a venv's
    ``bin/python`` keeps the venv), and adds ``PYTHONPATH`` only when that
    interpreter, started afresh, would not import this same package.
    """
    import factsheet

    python = os.path.abspath(sys.executable)
    package_parent = str(Path(factsheet.__file__).resolve().parent.parent)
    command = f"{shlex.quote(python)} -m factsheet diff --textconv"
    try:
        done = subprocess.run(
            [python, "-c", "import factsheet, sys; sys.stdout.write(factsheet.__file__)"],
            env=_bare_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        same = done.returncode == 0 and Path(done.stdout).resolve() == Path(factsheet.__file__).resolve()
    except OSError:
        same = False
    if not same:
        command = f"PYTHONPATH={shlex.quote(package_parent)} {command}"
    return command


def probe(command: str) -> str | None:
    """Run ``command`` as git would, on a small sheet, from a bare shell; return None or what went wrong."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="factsheet-probe-") as folder:
        sheet = Path(folder) / "probe.yaml"
        sheet.write_text(_PROBE_SHEET, encoding="utf-8")
        try:
            done = subprocess.run(
                ["/bin/sh", "-c", f"{command} {shlex.quote(str(sheet))}"],
                env=_bare_env(),
                capture_output=True,
                text=True,
                check=False,
                cwd=folder,
            )
        except OSError as exc:
            return f"cannot start /bin/sh: {exc.strerror}"
    if done.returncode != 0 or not done.stdout.startswith(("sheet\n", "# factsheet:")):
        said = (done.stderr.strip().splitlines() or done.stdout.strip().splitlines() or [""])[-1]
        return f"exit {done.returncode}" + (f": {said}" if said else "")
    return None


class SetupError(GitError):
    """The textconv command about to be written does not run from a bare shell."""


def configured_command(folder: Path) -> str | None:
    """Return the textconv command git is configured with for fact sheets, or None."""
    try:
        return git(["config", "--get", f"diff.{DRIVER}.textconv"], folder).strip() or None
    except GitError:
        return None


def missing_attributes(folder: Path) -> list[str]:
    """Return the ``.gitattributes`` lines git-setup writes that ``folder`` lacks."""
    attributes = folder / ".gitattributes"
    text = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    present = {line.strip() for line in text.splitlines()}
    return [line for line in ATTRIBUTE_LINES if line not in present]


def install(folder: Path, command: str | None = None) -> list[str]:
    """Make git show claim-level diffs for ``folder/factsheets/*.yaml``; return what was done.

    Adds the ``diff=factsheet`` attribute to ``folder/.gitattributes`` (a file to
    commit) and sets the driver in the repository's own config (per clone).
    Running it again changes nothing.
    """
    toplevel(folder)  # fails clearly outside a repository
    command = command or textconv_command()
    trouble = probe(command)
    if trouble:  # never write a command git would fail on
        raise SetupError(
            f"git-setup: the command '{command}' does not run from a shell outside this "
            f"environment ({trouble}); nothing was changed"
        )
    done: list[str] = []
    attributes = folder / ".gitattributes"
    text = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    missing = missing_attributes(folder)
    if missing:
        if text and not text.endswith("\n"):
            text += "\n"
        attributes.write_text(text + "".join(line + "\n" for line in missing), encoding="utf-8")
        done.append(f"added to {attributes}: {'; '.join(missing)}")
    settings = {
        f"diff.{DRIVER}.textconv": command,
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
