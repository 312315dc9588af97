"""Read input files without ever blocking on them: regular files only, up to a size limit."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: What a non-regular file is called in messages, by the ``stat`` test that finds it.
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFile(OSError):
    """The path names a folder, pipe, device or socket; ``strerror`` says which."""


class FileTooLarge(OSError):
    """The file holds more bytes than the reader's limit."""


def kind(mode: int) -> str:
    """Return a reader's name for the kind of file ``mode`` describes."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "a regular file" if stat.S_ISREG(mode) else "a special file"


def _open(path: str | os.PathLike[str]) -> int:
    # O_NONBLOCK: opening a named pipe for reading would otherwise wait for a writer.
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    )
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotRegularFile(errno.EINVAL, f"expected a regular file, found {kind(mode)}", str(path))
    return fd


def read_regular(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """Return the bytes of the regular file at ``path``; raise OSError for anything else.

    A folder, named pipe, device or socket (or a link to one) raises
    NotRegularFile before a byte is read; a file larger than ``limit`` bytes
    raises FileTooLarge after reading at most ``limit + 1`` of them.
    """
    fd = _open(path)
    try:
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read() if limit is None else fh.read(limit + 1)
    finally:
        os.close(fd)
    if limit is not None and len(data) > limit:
        raise FileTooLarge(errno.EFBIG, f"file is larger than {limit:,} bytes", str(path))
    return data


def sha256_regular(path: str | os.PathLike[str]) -> str | None:
    """Return the hex sha256 of a regular file, or None if it is missing, unreadable or not regular."""
    import hashlib

    h = hashlib.sha256()
    try:
        fd = _open(path)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb", closefd=False) as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return h.hexdigest()


def special(path: Path) -> str | None:
    """Return the kind of file at ``path`` when it exists and is not a regular file (links not followed)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    return "a symbolic link" if stat.S_ISLNK(mode) else kind(mode)
