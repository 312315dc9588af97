"""The warm rebuild: `factsheet watch` timed from a saved edit until both outputs are on disk."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from factbench.timing import Case, Run


def measure_watch(
    fs: list[str],
    root: Path,
    sheet: Path,
    out: Path,
    runs: int,
    env: dict,
    between: Callable[[], None] | None = None,
) -> Case:
    """Time ``factsheet watch``: from a saved edit of ``sheet`` until both outputs are replaced on disk.

    One watch process stays up; each run rewrites the sheet with a new title and
    polls the two output files (every millisecond) until both are new files.
    ``between`` runs after each timed edit (a peer's run, so the two alternate).
    """
    case = Case("watch:nk", "factsheet watch: saved edit → DOCX+PDF on disk", [], root)
    targets = [out / f"{sheet.stem}.docx", out / f"{sheet.stem}.pdf"]
    proc = subprocess.Popen(
        [*fs, "--root", str(root), "watch", str(sheet), "--out", str(out), "--format", "docx,pdf"],
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(
        target=lambda: [lines.put(line) for line in proc.stderr] + [lines.put(None)], daemon=True
    ).start()

    def wait_for(text: str) -> str | None:
        while True:
            try:
                line = lines.get(timeout=120)
            except queue.Empty:
                return None
            if line is None or text in line:
                return line

    original = sheet.read_text(encoding="utf-8")
    try:
        if not wait_for("watching for changes"):
            case.error = "watch did not start"
            return case
        for k in range(runs + 1):  # the first edit warms up; the rest are timed
            before = [os.stat(t).st_ino for t in targets]
            text = re.sub(r"(?m)^title: (.*)$", rf"title: \1 ({k})", original, count=1)
            start = time.perf_counter()
            sheet.write_text(text, encoding="utf-8")
            while any(os.stat(t).st_ino == b for t, b in zip(targets, before)):
                if time.perf_counter() - start > 120:
                    case.error = "no rebuild within 120 s"
                    return case
                time.sleep(0.001)
            seconds = time.perf_counter() - start
            line = wait_for("built ")
            if not line or not line.startswith("built "):
                case.error = f"rebuild failed: {line!r}"
                return case
            if k:
                case.runs.append(Run(seconds, 0, 0))
                if between is not None:
                    between()
    finally:
        proc.send_signal(2)  # SIGINT: watch stops as on Ctrl-C
        try:
            code = proc.wait(timeout=60)
            if code != 130 and not case.error:
                case.error = f"watch exited {code} on SIGINT, expected 130"
        except subprocess.TimeoutExpired:
            proc.kill()
            case.error = case.error or "watch did not stop on SIGINT"
        sheet.write_text(original, encoding="utf-8")
    return case
