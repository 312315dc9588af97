"""Write files so that readers only ever see the old bytes or the new ones."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


#: What names a temporary file as this tool's own: ".NAME.factsheet-RANDOM.tmp".
TEMPORARY_MARK = "factsheet-"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{TEMPORARY_MARK}", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    # Make the rename itself durable before reporting success (POSIX: Windows cannot open a folder).
    if os.name == "nt":
        return
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
