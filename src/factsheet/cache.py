"""A disk cache for work that depends only on files and versions (font subsets, parsed fonts).

Every entry is keyed by a hash of what it was computed from: the font file's path,
size and modification time, the inputs, and the versions of factsheet and the
libraries involved. A hit returns exactly the bytes a fresh computation would, so
outputs never depend on the cache; it only saves time when an editor rebuilds.

The folder is ``$FACTSHEET_CACHE_DIR``, else ``$XDG_CACHE_HOME/factsheet``, else
``~/.cache/factsheet``. ``FACTSHEET_CACHE_DIR=off`` turns the cache off. A folder
that cannot be written is the same as no cache.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from collections.abc import Callable

from factsheet import __version__


def cache_dir() -> Path | None:
    """Return the cache folder, or None when caching is off."""
    configured = os.environ.get("FACTSHEET_CACHE_DIR")
    if configured:
        return None if configured.lower() in ("off", "0", "none") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "factsheet"


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


def memo(kind: str, parts: tuple, make: Callable[[], bytes]) -> bytes:
    """Return the bytes cached for ``parts`` under ``kind``, or make, keep and return them."""
    entry = _entry(kind, parts)
    if entry is not None:
        try:
            return entry.read_bytes()
        except OSError:
            pass
    data = make()
    if entry is not None:
        _store(entry, data)
    return data


def _store(entry: Path, data: bytes) -> None:
    """Keep ``data`` at ``entry``; failures are ignored (the cache is optional)."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, entry)
    except OSError:
        pass
