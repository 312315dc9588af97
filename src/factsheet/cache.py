"""A disk cache for work that depends only on files and versions (font subsets, parsed fonts).

Every entry is keyed by a hash of what it was computed from: the font file's path,
size and modification time, the inputs, and the versions of factsheet and the
libraries involved. A hit returns exactly the bytes a fresh computation would, so
outputs never depend on the cache; it only saves time when an editor rebuilds.

The folder is ``~/.cache/factsheet`` unless :func:`use` names another; the CLI
names ``$FACTSHEET_CACHE_DIR``, else ``$XDG_CACHE_HOME/factsheet``
(:func:`default_folder`). ``FACTSHEET_CACHE_DIR=off`` turns the cache off. A folder
that cannot be written is the same as no cache.

Entries are plain data (bytes, JSON), never pickles or code, and each is read as
untrusted input: it carries the sha256 of its payload, and an entry that does not
match it, or that its reader cannot parse, is discarded and made afresh. A folder
that another user owns, or that its group or anyone may write, is not used at
all (one warning line), since whoever can write it chooses what the cache holds.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar, cast

from factsheet import __version__
from factsheet.regularfile import read_regular

T = TypeVar("T")

#: The first bytes of every entry; a different header is an entry of another format.
_MAGIC = b"factsheet-cache 2\n"
_DIGEST_LEN = 64
#: No entry this tool writes comes near this; a larger file is not one of its entries.
MAX_ENTRY_BYTES = 64 * 1024 * 1024

_warned: set[str] = set()


#: The cache folder in use, None for none; set by :func:`use` (the CLI, from the environment).
_folder: Path | None = Path.home() / ".cache" / "factsheet"


def default_folder(environ: Mapping[str, str]) -> Path | None:
    """Return the folder an environment asks for: ``FACTSHEET_CACHE_DIR`` (``off``: none), else the XDG one."""
    configured = environ.get("FACTSHEET_CACHE_DIR")
    if configured:
        return None if configured.lower() in ("off", "0", "none") else Path(configured)
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "factsheet"


def use(folder: Path | None) -> None:
    """Keep cache entries in ``folder`` from now on (None: no cache)."""
    global _folder
    _folder = folder


def cache_dir() -> Path | None:
    """Return the cache folder, or None when caching is off or the folder is not safe to use."""
    folder = _folder
    if folder is None:
        return None
    problem = unsafe(folder)
    if problem:
        if str(folder) not in _warned:
            _warned.add(str(folder))
            print(
                f"factsheet: warning: not using the cache folder {folder}: {problem}; "
                "building without the cache",
                file=sys.stderr,
            )
        return None
    return folder


def unsafe(folder: Path) -> str | None:
    """Return why ``folder`` may not hold the cache (owned by another user, writable by others), or None.

    A folder that does not exist yet is safe: it is made private to this user.
    """
    try:
        st = folder.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        return exc.strerror or "cannot be read"
    if not stat.S_ISDIR(st.st_mode):
        return "it is not a folder"
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        return f"it is owned by another user (uid {st.st_uid})"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "its group or other users may write to it (chmod go-w, or choose another FACTSHEET_CACHE_DIR)"
    return None


def file_identity(path) -> str:
    """Return what identifies a file's content for caching: path, size and mtime."""
    st = os.stat(path)
    return f"{os.path.abspath(path)}:{st.st_size}:{st.st_mtime_ns}"


def _entry(kind: str, parts: tuple) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(repr((__version__,) + parts).encode("utf-8", "surrogatepass")).hexdigest()
    return folder / kind / f"{digest}.bin"


def _same(data: bytes) -> bytes:
    return data


def memo(kind: str, parts: tuple, make: Callable[[], bytes], parse: Callable[[bytes], T] | None = None) -> T:
    """Return ``parse`` of the bytes cached for ``parts`` under ``kind``, or make, keep and parse them.

    Without ``parse`` the bytes themselves are returned. A cached entry that is
    damaged, or that ``parse`` refuses with any exception, is deleted and made
    afresh; what ``make`` returns is parsed the same way, so a hit and a miss
    give the same value.
    """
    read = cast(Callable[[bytes], T], parse or _same)
    entry = _entry(kind, parts)
    if entry is not None:
        data = _load(entry)
        if data is not None:
            try:
                return read(data)
            except Exception:  # noqa: BLE001 - a hostile or stale entry must never stop a build
                _discard(entry)
    data = make()
    if entry is not None:
        _store(entry, data)
    return read(data)


def _load(entry: Path) -> bytes | None:
    """Return the payload of ``entry`` when it is a regular file whose checksum matches, else None."""
    try:
        raw = read_regular(entry, MAX_ENTRY_BYTES)
    except FileNotFoundError:
        return None
    except OSError:
        _discard(entry)
        return None
    head = len(_MAGIC) + _DIGEST_LEN + 1
    payload = raw[head:]
    if (
        not raw.startswith(_MAGIC)
        or raw[head - 1 : head] != b"\n"
        or raw[len(_MAGIC) : head - 1] != hashlib.sha256(payload).hexdigest().encode("ascii")
    ):
        _discard(entry)
        return None
    return payload


def _discard(entry: Path) -> None:
    with contextlib.suppress(OSError):
        entry.unlink()


def _store(entry: Path, data: bytes) -> None:
    """Keep ``data`` at ``entry``; failures are ignored (the cache is optional)."""
    try:
        # private folders: nobody else may add or swap entries
        entry.parent.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        entry.parent.mkdir(mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(_MAGIC + hashlib.sha256(data).hexdigest().encode("ascii") + b"\n" + data)
        os.replace(tmp, entry)
    except OSError:
        pass
