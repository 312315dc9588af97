"""One export at a time per export folder: an flock on a file the kernel releases when its holder dies."""

from __future__ import annotations

import datetime as _dt
import json
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

from factsheet.errors import LockedError, UsageError

try:
    import fcntl
except ImportError:  # Windows: no flock, and export relies on it
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".factsheet-export.lock"


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).astimezone().isoformat(timespec="seconds")


class ExportLock:
    """An exclusive lock on ``folder/.factsheet-export.lock``.

    The lock is an ``flock`` on an open descriptor, so it lasts exactly as long
    as the process holding it: a run that is killed leaves no lock behind. The
    file itself stays (removing it would let two runs lock different files);
    it holds the pid and start time of the last run, for the message others see.
    """

    def __init__(self, folder: Path, shown: str):
        self.path = Path(folder) / LOCK_NAME
        self.shown = shown
        self.fd: int | None = None

    def acquire(self, wait: float = 0.0, on_wait: Callable[[str], object] | None = None) -> None:
        """Take the lock, polling up to ``wait`` seconds; raise LockedError naming the holder."""
        if fcntl is None:
            raise UsageError(
                "export needs POSIX file locks (fcntl.flock), which this system lacks; "
                "run it on Linux or macOS (check, build and diff run here)"
            )
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        deadline = time.monotonic() + max(0.0, wait)
        told = False
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        waited = f" after waiting {wait:g} s" if wait > 0 else ""
                        raise LockedError(
                            f"{self.holder_text(fd)} holds {self.shown}{waited}; "
                            "try again later, or pass --wait SECONDS to wait for it"
                        ) from None
                    if on_wait and not told:
                        on_wait(self.holder_text(fd))
                        told = True
                    time.sleep(min(0.2, left))
        except BaseException:
            os.close(fd)
            raise
        info = json.dumps({"pid": os.getpid(), "started": _now(), "host": socket.gethostname()}) + "\n"
        os.ftruncate(fd, 0)
        os.pwrite(fd, info.encode(), 0)
        self.fd = fd

    @staticmethod
    def holder_text(fd: int) -> str:
        """Return "another export (pid N, started T)" from the lock file's contents, as far as known."""
        try:
            info = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
            return f"another export (pid {int(info['pid'])}, started {info['started']})"
        except (OSError, ValueError, KeyError, TypeError):
            return "another export"

    def release(self) -> None:
        """Drop the lock (closing the descriptor releases it)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> ExportLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
