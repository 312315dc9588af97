"""A disk cache for work that depends only on inputs and versions (chart pictures, earlier versions of a sheet).

Every entry is keyed by a hash of what it was computed from and the versions of
factsheet and the libraries involved. A hit returns exactly the bytes a fresh
computation would, so outputs never depend on the cache; it only saves time when
an editor rebuilds.

The folder is ``~/.cache/factsheet`` unless :func:`use` names another; the CLI
names ``$FACTSHEET_CACHE_DIR``, else ``$XDG_CACHE_HOME/factsheet``
(:func:`default_folder`). ``FACTSHEET_CACHE_DIR=off`` turns the cache off. A folder
that cannot be written is the same as no cache.

Whoever can write the folder chooses what the cache holds, and whoever can
rename a folder above it can swap the whole cache between a check and a read.
So the folder is opened one step at a time from ``/``, never following a link,
and each step is checked on the open folder itself: the cache folder must
belong to this user with no group or other write, and every folder above it
must belong to this user or root and be writable by no one else (unless it is
sticky and root's, like ``/tmp``). Entries are then read and written only
relative to that open folder, so renaming anything on the path changes nothing.
A folder that fails a check is not used at all (one warning line).

Entries are plain data (bytes), never pickles or code, and each is read as
untrusted input: it carries the sha256 of its payload, and an entry that does
not match it, or that its reader cannot parse, is discarded and made afresh.
Nothing that decides which glyph draws a character is cached on disk: fonts are
read from the font files themselves.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar, cast

from factsheet import __version__
from factsheet.oneline import one_line

T = TypeVar("T")

#: The first bytes of every entry; a different header is an entry of another format.
_MAGIC = b"factsheet-cache 3\n"
_DIGEST_LEN = 64
#: No entry this tool writes comes near this; a larger file is not one of its entries.
MAX_ENTRY_BYTES = 16 * 1024 * 1024

_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_ENTRY_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_NEW_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)

_warned: set[str] = set()


class Unsafe(Exception):
    """The cache folder may not be used; the message says why."""


#: The cache folder :func:`use` named (None: no cache); until then, ``~/.cache/factsheet``.
_folder: Path | None | object = ...


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


def configured_folder() -> Path | None:
    """Return the cache folder :func:`use` named, else ``~/.cache/factsheet``; None when off.

    The environment is the CLI's to read: it names the folder with :func:`use`.
    """
    if _folder is ...:
        return default_folder({})
    return _folder if isinstance(_folder, Path) else None


def cache_dir() -> Path | None:
    """Return the cache folder, or None when caching is off or the folder is not safe to use.

    An unsafe folder is reported once per process, as one warning line.
    """
    folder = configured_folder()
    if folder is None:
        return None
    problem = unsafe(folder)
    if problem:
        _warn(folder, problem)
        return None
    return folder


def _warn(folder: Path, problem: str) -> None:
    if str(folder) not in _warned:
        _warned.add(str(folder))
        print(
            f"factsheet: warning: not using the cache folder {one_line(str(folder))}: {problem}; "
            "building without the cache",
            file=sys.stderr,
        )


def unsafe(folder: Path) -> str | None:
    """Return why ``folder`` may not hold the cache, or None (it is then made, private, if missing)."""
    try:
        with _opened(folder):
            return None
    except Unsafe as exc:
        return str(exc)


def _uid() -> int | None:
    return os.geteuid() if hasattr(os, "geteuid") else None


def _check_ancestor(st: os.stat_result, shown: str) -> None:
    """Refuse a folder above the cache that someone else could rename things in."""
    uid = _uid()
    if uid is None:
        return
    if st.st_uid not in (0, uid):
        raise Unsafe(f"the folder {shown} above it belongs to another user (uid {st.st_uid})")
    shared = st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    if shared and not (st.st_mode & stat.S_ISVTX and st.st_uid == 0):
        raise Unsafe(
            f"other users may rename what is in the folder {shown} above it "
            "(choose a FACTSHEET_CACHE_DIR in a private folder)"
        )


def _check_own(st: os.stat_result) -> None:
    """Refuse a cache folder that is not this user's alone."""
    uid = _uid()
    if uid is not None and st.st_uid != uid:
        raise Unsafe(f"it is owned by another user (uid {st.st_uid})")
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise Unsafe(
            "its group or other users may write to it (chmod go-w, or choose another FACTSHEET_CACHE_DIR)"
        )


def _step(parent: int, name: str, create: bool) -> int:
    """Open the folder ``name`` in the open folder ``parent`` without following a link; make it if asked."""
    try:
        return os.open(name, _FOLDER_FLAGS, dir_fd=parent)
    except FileNotFoundError:
        if not create:
            raise
    with contextlib.suppress(FileExistsError):
        os.mkdir(name, 0o700, dir_fd=parent)  # private from the start: nobody else may add entries
    return os.open(name, _FOLDER_FLAGS, dir_fd=parent)


@contextlib.contextmanager
def _opened(folder: Path, kind: str | None = None) -> Iterator[int]:
    """Yield a descriptor of the checked cache folder (or its ``kind`` sub-folder), made if missing."""
    # Links in the configured name are resolved once; every step below is then opened
    # without following one, so a link swapped in later is refused, not followed.
    real = Path(os.path.realpath(folder))
    names = list(real.parts[1:]) + ([kind] if kind else [])
    try:
        fd = os.open(real.anchor or "/", _FOLDER_FLAGS)
    except OSError as exc:
        raise Unsafe(exc.strerror or "it cannot be opened") from None
    last_ancestor = len(real.parts) - 2
    try:
        _check_ancestor(os.fstat(fd), real.anchor or "/")
        for i, name in enumerate(names):
            shown = one_line(str(Path(real.anchor or "/", *names[: i + 1])))
            try:
                following = _step(fd, name, create=True)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise Unsafe(f"{shown} is not a folder (a link or a file)") from None
                raise Unsafe(f"{shown}: {exc.strerror or 'cannot be opened'}") from None
            os.close(fd)
            fd = following
            st = os.fstat(fd)
            (_check_ancestor(st, shown) if i < last_ancestor else _check_own(st))
        yield fd
    finally:
        os.close(fd)


def file_identity(path: str | os.PathLike[str]) -> str:
    """Return what identifies a file's content for caching: path, size and mtime."""
    st = os.stat(path)
    return f"{os.path.abspath(path)}:{st.st_size}:{st.st_mtime_ns}"


def _key(parts: tuple[object, ...]) -> str:
    return _sha256(repr((__version__,) + parts).encode("utf-8", "surrogatepass")) + ".bin"


def _sha256(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``."""
    import hashlib  # here: a build checks its cache folder before its writer processes fork, hashing nothing

    return hashlib.sha256(data).hexdigest()


def _same(data: bytes) -> bytes:
    return data


def memo(
    kind: str, parts: tuple[object, ...], make: Callable[[], bytes], parse: Callable[[bytes], T] | None = None
) -> T:
    """Return ``parse`` of the bytes cached for ``parts`` under ``kind``, or make, keep and parse them.

    Without ``parse`` the bytes themselves are returned. A cached entry that is
    damaged, or that ``parse`` refuses with any exception, is deleted and made
    afresh; what ``make`` returns is parsed the same way, so a hit and a miss
    give the same value.
    """
    read = cast(Callable[[bytes], T], parse or _same)
    folder = configured_folder()
    if folder is None or str(folder) in _warned:
        return read(make())
    name = _key(parts)
    try:
        with _opened(folder, kind) as fd:
            data = _load(fd, name)
            if data is not None:
                try:
                    return read(data)
                except Exception:  # noqa: BLE001 - a hostile or stale entry must never stop a build
                    _discard(fd, name)
            data = make()
            _store(fd, name, data)
            return read(data)
    except Unsafe as exc:
        _warn(folder, str(exc))
        return read(make())


def _load(fd: int, name: str) -> bytes | None:
    """Return the payload of entry ``name`` when it is a regular file whose checksum matches, else None."""
    try:
        entry = os.open(name, _ENTRY_FLAGS, dir_fd=fd)
    except FileNotFoundError:
        return None
    except OSError:  # a link, a pipe, anything else: not one of ours
        _discard(fd, name)
        return None
    try:
        st = os.fstat(entry)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_ENTRY_BYTES:
            raw = b""
        else:
            with os.fdopen(entry, "rb", closefd=False) as fh:
                raw = fh.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        raw = b""
    finally:
        os.close(entry)
    head = len(_MAGIC) + _DIGEST_LEN + 1
    payload = raw[head:]
    if (
        not raw.startswith(_MAGIC)
        or raw[head - 1 : head] != b"\n"
        or raw[len(_MAGIC) : head - 1] != _sha256(payload).encode("ascii")
    ):
        _discard(fd, name)
        return None
    return payload


def _discard(fd: int, name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name, dir_fd=fd)


def _store(fd: int, name: str, data: bytes) -> None:
    """Keep ``data`` as entry ``name``; failures are ignored (the cache is optional)."""
    if len(data) > MAX_ENTRY_BYTES:
        return
    import secrets

    tmp = f".tmp-{secrets.token_hex(8)}"
    try:
        out = os.open(tmp, _NEW_FLAGS, 0o600, dir_fd=fd)
        with os.fdopen(out, "wb") as fh:
            fh.write(_MAGIC + _sha256(data).encode("ascii") + b"\n" + data)
        os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
    except OSError:
        _discard(fd, tmp)
