"""A sheet's versions: its ``updates:`` log, or its git history (last commit and what changed since an earlier one).

The version a brief states is, in this order:

- with ``--since REV``: the sheet's last commit date, and what changed since
  the sheet at ``REV``;
- else the latest entry of the sheet's ``updates:`` log, as the editor wrote it;
- else, when the project folder is the top of a git work tree and the sheet is
  committed there, its last commit date and what changed since the previous
  commit that changed it;
- else none: the brief states no version, and its documents are dated from
  the sheet's ``as_of``.

"What changed" counts claims added and removed, claims whose figures changed
and claims whose status changed, compared by claim id; it is one short line
("2 claims added, 1 status changed"), or empty when no claim changed (the
brief then states only the date). Nothing here reads the clock.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factsheet import cache, gitquery
from factsheet.errors import InputError, UsageError
from factsheet.sources.loading import load_text
from factsheet.sources.model import PartialDate, Update

#: The largest earlier version read from git, in bytes (a sheet is far smaller).
MAX_BLOB = 8 * 2**20


def _git(args: list[str], cwd: Path) -> str | None:
    """Return git's output for ``args`` in ``cwd``, or None when git is missing or refuses."""
    out = _git_bytes(args, cwd)
    return out.decode("utf-8", "replace") if out is not None else None


def _git_bytes(args: list[str], cwd: Path) -> bytes | None:
    """Return git's output for ``args`` in ``cwd`` as bytes, or None when git is missing or refuses."""
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            check=False,
            timeout=30,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def git_id(data: bytes, digits: int) -> str | None:
    """Return the id git gives a file holding ``data`` (as ``git hash-object --stdin``, which applies no filter).

    ``digits`` is the length of the repository's ids: 40 (SHA-1) or 64 (SHA-256);
    None for any other. Computed here, it saves starting git.
    """
    algorithm = {40: "sha1", 64: "sha256"}.get(digits)
    if algorithm is None:
        return None
    return hashlib.new(algorithm, b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class Commit:
    """A commit that changed the sheet: its id, its date (YYYY-MM-DD) and the sheet's git id in it."""

    id: str
    day: str
    #: The git id of the sheet as that commit left it (None when git did not say).
    blob: str | None = None


@dataclass(frozen=True)
class SheetLog:
    """What git says of a sheet, asked once per build: its last two commits, newest first."""

    commits: tuple[Commit, ...] = ()
    #: The sheet's path in the work tree when the project folder is the top of it (None otherwise).
    relative: str | None = None


def in_work_tree(root: Path) -> Path | None:
    """Return the top of the git work tree holding ``root`` (the nearest folder with a ``.git``), or None.

    Found as git finds it, without starting git: outside a work tree no git
    process is started at all.
    """
    folder = root.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def sheet_log(path: Path, root: Path) -> SheetLog:
    """Return the sheet's last two commits, read with one git process (none outside a git work tree)."""
    top = in_work_tree(root)
    if top is None:
        return SheetLog()
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return SheetLog()
    # --raw names the sheet's git id in each commit (not in a merge: Commit.blob is then None)
    args = ["log", "-n", "2", "--format=%H %cs", "--raw", "--no-abbrev", "--no-renames", "--", relative]
    out = _kept_git(args, root) or ""
    return SheetLog(_parse_log(out), relative if top == root.resolve() else None)


def _parse_log(out: str) -> tuple[Commit, ...]:
    """Return the commits of ``git log --format='%H %cs' --raw`` output for one path."""
    commits: list[Commit] = []
    for line in out.splitlines():
        fields = line.split()
        if line.startswith(":") and len(fields) >= 5 and commits:  # :mode mode old new status path
            commits[-1] = dataclasses.replace(commits[-1], blob=fields[3])
        elif len(fields) == 2 and not line.startswith(":"):
            commits.append(Commit(fields[0], fields[1]))
    return tuple(commits)


def _kept_git(args: list[str], cwd: Path) -> str | None:
    """Return git's output for ``args`` in ``cwd``, asked again only once HEAD or a ref has moved."""
    return gitquery.kept(("history", *args), cwd, lambda: _git(args, cwd))


def _tracked(path: Path, root: Path) -> str | None:
    """Return ``path`` relative to ``root`` when ``root`` is the top of a git work tree, else None."""
    if in_work_tree(root) != root.resolve():
        return None
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def _data_at(rev: str, relative: str, root: Path, blob: str | None = None) -> dict[str, Any] | None:
    """Return the sheet's YAML data at ``rev``, or None when git has no such version or it does not parse.

    The old version is read by the same rules as the sheet itself (so the two
    compare value for value), with libyaml's parser; a commit's version never
    changes, so it is read once per process (``watch`` rebuilds often). Given
    its git id (``blob``), its text is kept in the disk cache, so a later
    build starts no git process for it.
    """
    if _COMMIT.fullmatch(rev):
        key = (rev, relative, str(root.resolve()))
        if key not in _at_commit:
            _at_commit[key] = _read_at(rev, relative, root, blob)
        return _at_commit[key]
    return _read_at(rev, relative, root)


#: A full commit id: what it names never changes.
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
#: The sheets' data at commits already read, by (commit, path, project root).
_at_commit: dict[tuple[str, str, str], dict[str, Any] | None] = {}


class _NoText(Exception):
    """Git has no such version of the sheet, or one too large to read."""


def _text_at(rev: str, relative: str, root: Path) -> bytes:
    """Return the sheet's bytes at ``rev`` from git; raise _NoText when git has none or it is too large."""
    size = _git(["cat-file", "-s", f"{rev}:{relative}"], root)
    if size is None or not size.strip().isdigit() or int(size) > MAX_BLOB:
        raise _NoText
    data = _git_bytes(["show", f"{rev}:{relative}"], root)
    if data is None:
        raise _NoText
    return data


def _stored_as(blob: str) -> Callable[[bytes], bytes]:
    """Return a check that a cached text is what git stores as ``blob`` (so no entry can change it)."""

    def verified(data: bytes) -> bytes:
        if git_id(data, len(blob)) != blob:
            raise ValueError("not the text git stores under this id")
        return data

    return verified


def _read_at(rev: str, relative: str, root: Path, blob: str | None = None) -> dict[str, Any] | None:
    try:
        if blob is None or git_id(b"", len(blob)) is None:
            raw = _text_at(rev, relative, root)
        else:
            raw = cache.memo("git-blobs", (blob,), lambda: _text_at(rev, relative, root), _stored_as(blob))
    except _NoText:
        return None
    text = raw.decode("utf-8", "replace")
    try:
        data = load_text(text, f"{rev}:{relative}").data
    except InputError:
        return None
    return data if isinstance(data, dict) else None


def _claims(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    items = data.get("claims")
    claims = items if isinstance(items, list) else []
    return {str(c["id"]): c for c in claims if isinstance(c, dict) and "id" in c}


def _count(n: int, noun: str, verb: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)} {verb}" if n else ""


def what_changed(old: dict[str, Any], new: dict[str, Any]) -> str:
    """Return one line saying what changed from ``old`` to ``new`` sheet data, claim by claim."""
    before, after = _claims(old), _claims(new)
    both = [i for i in after if i in before]
    parts = [
        _count(sum(i not in before for i in after), "claim", "added"),
        _count(sum(i not in after for i in before), "claim", "removed"),
        _count(sum(before[i].get("figures") != after[i].get("figures") for i in both), "figure", "changed"),
        _count(sum(before[i].get("status") != after[i].get("status") for i in both), "status", "changed"),
        _count(sum(before[i].get("text") != after[i].get("text") for i in both), "claim", "reworded"),
    ]
    return ", ".join(p.replace("statuss", "statuses") for p in parts if p)


def version(
    path: Path,
    root: Path,
    data: dict[str, Any],
    updates: tuple[Update, ...],
    since: str | None = None,
    log: SheetLog | None = None,
) -> Update | None:
    """Return the version of the sheet at ``path`` a brief states (see the module's rules).

    ``log`` is what git said of the sheet, when the caller asked already (:func:`sheet_log`).
    """
    if updates and since is None:
        return updates[-1]
    log = log if log is not None else sheet_log(path, root)
    relative, commits = log.relative, log.commits if log.relative else ()
    if not commits:
        if since is not None:
            raise UsageError(f"--since {since}: {path} has no git history in {root}")
        return None
    day = PartialDate(_dt.date.fromisoformat(commits[0].day).isoformat())
    base = since if since is not None else (commits[1].id if len(commits) > 1 else None)
    if base is None:
        return Update(day, "")
    old = _data_at(base, relative or "", root, commits[1].blob if since is None else None)
    if old is None:
        if since is not None:
            raise UsageError(f"--since {since}: git has no version of {relative} at that revision")
        return Update(day, "")
    return Update(day, what_changed(old, data))


#: The most commits the dossier's log goes back.
MAX_LOG = 30


class Log:
    """The sheet's versions for the dossier, oldest first: its ``updates:`` log, else its git history.

    Read from git only when a template first asks (a brief never does), each
    commit with what changed since the one before it.
    """

    def __init__(self, path: Path | None, root: Path | None, updates: tuple[Update, ...]):
        self._path, self._root, self._updates = path, root, updates
        self._entries: tuple[Update, ...] | None = None

    def _read(self) -> tuple[Update, ...]:
        if self._updates or self._path is None or self._root is None:
            return self._updates
        relative = _tracked(self._path, self._root)
        if relative is None:
            return ()
        out = _kept_git(["log", "-n", str(MAX_LOG), "--format=%H %cs", "--", relative], self._root) or ""
        commits = [line.split() for line in out.splitlines() if len(line.split()) == 2]
        entries, newer = [], None
        for rev, day in reversed(commits):
            data = _data_at(rev, relative, self._root)
            if data is None:
                continue
            what = what_changed(newer, data) if newer is not None else "first version"
            entries.append(Update(PartialDate(day), what))
            newer = data
        return tuple(entries)

    @property
    def entries(self) -> tuple[Update, ...]:
        """Return the versions, oldest first."""
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    def __iter__(self) -> Iterator[Update]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)
