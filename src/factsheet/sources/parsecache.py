"""YAML files read through the disk cache: a long catalog is parsed and checked once per change, not per build.

A project's catalog lists every article of every story; each build of any one
sheet read all of it with the loader that records where each value stands.
Here the outcome of reading a file and checking it is kept in the disk cache
(:mod:`factsheet.cache`), keyed by the SHA-256 of the file's bytes: the same
bytes always parse and check the same, so a hit is exactly what a fresh read
gives (the key also names the version and the files of the code that reads
and checks). Only a file that reads and checks clean is kept; one with any problem is
read afresh every time, so its problems are always reported as found.

The entry is JSON (plain data, never a pickle): the values with the paths of the
dates among them, then each value's and key's line and column, read only if a
problem is to be placed. An entry that does not decode to that shape is
discarded and the file read afresh.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from collections.abc import Callable
from typing import Any

from factsheet import cache
from factsheet.errors import Problem
from factsheet.sources.loading import Located, YamlPath, decode, load_text, read_file

#: The layout of an entry; bumped when it changes.
FORMAT = 1

Check = Callable[[Located], list[Problem]]


class _NotKept(Exception):
    """A file read with problems: returned as read, never kept."""

    def __init__(self, located: Located, problems: list[Problem]):
        super().__init__()
        self.located, self.problems = located, problems


def load_checked(
    path: str | os.PathLike[str], display: str, expected: str, kind: str, check: Check
) -> tuple[Located, list[Problem]]:
    """Return the located content of the YAML file at ``path`` and ``check``'s problems with it.

    ``kind`` names ``check`` in the cache's key: one kind, one check, always.
    A file that cannot be read or parsed raises InputError, as ``load_file`` does.
    """
    raw = read_file(path, display)

    def fresh() -> Located:
        located = load_text(decode(raw, display), display, expected)
        located.raw = raw
        return located

    if cache.configured_folder() is None:
        located = fresh()
        return located, check(located)

    def make() -> bytes:
        located = fresh()
        problems = check(located)
        if problems:
            raise _NotKept(located, problems)
        return encode(located)

    def read(data: bytes) -> Located:
        return decoded(data, display, raw)

    try:
        key = (FORMAT, kind, _code(), hashlib.sha256(raw).hexdigest())
        return cache.memo("yaml", key, make, read), []
    except _NotKept as kept:
        return kept.located, kept.problems


def _code() -> str:
    """Return what identifies the code that reads and checks a file: each module of this stage as installed.

    Part of the key besides factsheet's version, so that a loader or a check edited
    in a working copy never meets an entry the code before it kept.
    """
    folder = os.path.dirname(os.path.abspath(__file__))
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".py"))
        return ";".join(cache.file_identity(os.path.join(folder, n)) for n in names)
    except OSError:  # not files on disk (a zip): the version alone
        return ""


def encode(located: Located) -> bytes:
    """Return the entry of a located file: its values, then a line break, then its positions (both JSON)."""
    dates: list[list[str | int]] = []
    values = json.dumps([_undated(located.data, [], dates), dates], ensure_ascii=False, separators=(",", ":"))
    positions = json.dumps(
        [
            [[*path, *at] for path, at in located.value_pos.items()],
            [[*path, *at] for path, at in located.key_pos.items()],
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return values.encode("utf-8") + b"\n" + positions.encode("utf-8")


def decoded(data: bytes, file: str, raw: bytes) -> Located:
    """Return the Located that ``encode`` wrote as ``data`` for the file of bytes ``raw``.

    Its positions are read when first asked for: a build that finds no problem in
    the file never asks. Anything but such an entry raises an exception.
    """
    values, newline, positions = data.partition(b"\n")
    content, dates = json.loads(values)
    if not newline or not isinstance(content, dict) or not isinstance(dates, list):
        raise ValueError("not a kept YAML file")
    for path in dates:
        _redate(content, path)
    return _KeptLocated(file, content, raw, positions)


class _KeptLocated(Located):
    """A Located read from the cache: its positions and lines are made on first use (most builds never ask)."""

    def __init__(self, file: str, data: Any, raw: bytes, positions: bytes):
        super().__init__(file, data, raw=raw)
        # gone from the instance, so that __getattr__ makes them when first asked for
        del self.value_pos, self.key_pos, self.lines
        self._positions = positions

    def __getattr__(self, name: str) -> Any:
        if name in ("value_pos", "key_pos"):
            try:
                value_rows, key_rows = json.loads(self._positions)
                self.value_pos, self.key_pos = _table(value_rows), _table(key_rows)
            except Exception:  # noqa: BLE001 - an entry's checksum matched but its positions do not read: parse again
                again = load_text(decode(self.raw, self.file), self.file)
                self.value_pos, self.key_pos = again.value_pos, again.key_pos
            return self.__dict__[name]
        if name == "lines":
            self.lines = decode(self.raw, self.file).split("\n")
            return self.lines
        raise AttributeError(name)

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as the plain Located it stands for
        return (Located, (self.file, self.data, self.value_pos, self.key_pos, self.lines, self.raw))


def _undated(value: Any, path: list[str | int], dates: list[list[str | int]]) -> Any:
    """Return ``value`` with each date written as its ISO text, adding the path of each to ``dates``."""
    if isinstance(value, dict):
        return {k: _undated(v, [*path, k], dates) for k, v in value.items()}
    if isinstance(value, list):
        return [_undated(v, [*path, i], dates) for i, v in enumerate(value)]
    if isinstance(value, _dt.date):
        dates.append(path)
        return value.isoformat()
    return value


def _redate(content: Any, path: object) -> None:
    """Turn the ISO text at ``path`` in ``content`` back into its date."""
    if not isinstance(path, list) or not path:
        raise ValueError("not a kept date")
    *above, last = path
    holder = content
    for step in above:
        holder = holder[step]
    text = holder[last]
    if not isinstance(text, str):
        raise ValueError("not a kept date")
    holder[last] = _dt.date.fromisoformat(text)


def _table(rows: object) -> dict[YamlPath, tuple[int, int]]:
    if not isinstance(rows, list):
        raise ValueError("not kept positions")
    table: dict[YamlPath, tuple[int, int]] = {}
    for row in rows:
        *path, line, column = row
        if type(line) is not int or type(column) is not int:
            raise ValueError("not a kept position")
        table[tuple(path)] = (line, column)
    return table
