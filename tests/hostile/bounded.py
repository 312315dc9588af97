"""Run the command line as a user would, inside the memory every hostile case must fit in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: Every hostile case must be handled within this much address space.
MEMORY = 1024**3
#: Only a hang gets near this; no test measures time.
HANG_GUARD = 600


def cap_memory() -> None:  # runs in the child, before factsheet starts
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``factsheet ARGS`` in ``root`` within MEMORY; fail on a traceback or a line that is not printable."""
    result = subprocess.run(
        [sys.executable, "-m", "factsheet", *map(str, args)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        preexec_fn=cap_memory,
        env={
            **os.environ,
            "PYTHONPATH": str(REPO / "src"),
            "PYTHONIOENCODING": "utf-8",
            "FACTSHEET_CACHE_DIR": "off",
            **(env or {}),
        },
    )
    shown = result.stdout + result.stderr
    assert "Traceback" not in shown and "MemoryError" not in shown, shown[-3000:]
    assert all(line.isprintable() for line in shown.splitlines()), shown[-3000:]
    return result
