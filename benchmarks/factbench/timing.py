"""Running whole processes cold, timing them, and measuring cases in alternating rounds."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: GNU time reports the peak RSS of the command alone. Reading ru_maxrss from
#: wait4 here would not: Linux carries the forking process's high-water mark
#: into the child through exec, so every child would show this script's size.
GNU_TIME = "/usr/bin/time"


@dataclass
class Run:
    seconds: float
    maxrss_kib: int
    returncode: int
    stderr: str = ""
    timed_out: bool = False


@dataclass
class Case:
    """One timed command: what it runs and what it measured."""

    key: str
    label: str
    argv: list[str]
    cwd: Path
    before: Callable[[], None] | None = None  # run before every run (not timed)
    timeout: float | None = None
    env: dict | None = None  # instead of the usual environment
    validate: Callable[[Run], str | None] | None = None  # why a run does not count (it is repeated)
    runs: list[Run] = field(default_factory=list)
    error: str = ""
    single: bool = False  # measured by its warm-up run alone (too slow to repeat)
    timed_out: bool = False  # stopped: its time is a lower bound
    needs_warm_up: bool = False  # its first run is a different case (the export that fills the folder)
    load: str = ""  # load average right after the case
    warm: Run | None = None

    @property
    def times(self) -> list[float]:
        return [r.seconds for r in self.runs]

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.runs and not self.error else None

    @property
    def peak_mib(self) -> float | None:
        if not self.runs or self.error or self.timed_out:
            return None
        return max(r.maxrss_kib for r in self.runs) / 1024 or None

    @property
    def done(self) -> bool:
        """True when no more runs are wanted: failed, stopped or measured by one run."""
        return bool(self.error) or self.timed_out or self.single


def run_once(argv: list[str], cwd: Path, env: dict | None = None, timeout: float | None = None) -> Run:
    """Run ``argv`` as a new process; return its wall time and peak RSS (stopped after ``timeout`` s)."""
    use_time = os.access(GNU_TIME, os.X_OK)
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as rss:
        full = [GNU_TIME, "-f", "%M", "-o", rss.name, *argv] if use_time else argv
        start = time.perf_counter()
        proc = subprocess.Popen(
            full,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        expired = threading.Event()

        def stop():
            expired.set()
            os.killpg(proc.pid, 9)  # the command and GNU time, started in their own session

        timer = threading.Timer(timeout, stop) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
        maxrss = usage.ru_maxrss
        if use_time:
            lines = [ln for ln in rss.read().splitlines() if ln.strip()]
            maxrss = int(lines[-1]) if lines and lines[-1].strip().isdigit() else 0
            if lines and lines[0].startswith("Command exited with non-zero status"):
                proc.returncode = proc.returncode or int(lines[0].rsplit(" ", 1)[1])
    return Run(seconds, maxrss, proc.returncode, text, expired.is_set())


def _failed(run: Run) -> str:
    return f"exit {run.returncode}: " + (run.stderr.strip().splitlines() or [""])[-1][:160]


def run_case(case: Case, env: dict) -> Run | None:
    """Run ``case`` once (repeated up to 3 times while its check refuses the run); record the run."""
    why = None
    for _ in range(3):
        if case.before:
            case.before()
        r = run_once(case.argv, case.cwd, case.env or env, case.timeout)
        why = case.validate(r) if case.validate and r.returncode == 0 and not r.timed_out else None
        if why is None:
            break
        print(f"    (run of {case.key} repeated: {why})", flush=True)
    else:
        case.error = f"no valid run: {why}"
        return None
    if r.timed_out:
        case.runs = [r]
        case.timed_out = True
        return None
    if r.returncode != 0:
        case.error = _failed(r)
        return None
    case.runs.append(r)
    return r


def warm_up(case: Case, env: dict, runs: int, slow: float, single: float) -> int:
    """Run ``case`` once untimed (file cache, factsheet's disk cache); return how many timed runs it wants.

    A case whose warm-up took over ``single`` seconds keeps that run as its only
    measurement (the program files it reads are already in the disk cache from
    smaller sizes); one over ``slow`` seconds gets at most 2 timed runs.
    """
    if case.before:
        case.before()
    first = run_once(case.argv, case.cwd, case.env or env, case.timeout)
    case.warm = first
    if first.timed_out:
        case.runs.append(first)
        case.timed_out = True
        return 0
    if first.returncode != 0:
        case.error = _failed(first)
        return 0
    if first.seconds > single and not case.needs_warm_up:
        case.runs.append(first)
        case.single = True
        return 0
    if first.seconds > single:
        return 1
    return min(runs, 2) if first.seconds > slow else runs


def measure_group(cases: list[Case], runs: int, env: dict, slow: float, single: float) -> None:
    """Measure cases that are compared with each other in alternating rounds.

    Each case is warmed up once; then every round runs each case once, in turn,
    so a change of load during the measurement hits every case alike. A slow case
    takes part in fewer rounds (see :func:`warm_up`).
    """
    wanted = {case.key: warm_up(case, env, runs, slow, single) for case in cases}
    for round_ in range(runs):
        for case in cases:
            if case.done or wanted.get(case.key, 0) <= round_:
                continue
            run_case(case, env)


def paired_ratio(a: Case | None, b: Case | None) -> float | None:
    """Return a ÷ b: the median of the ratios of runs made in the same round, else of the medians."""
    if a is None or b is None or a.error or b.error or not a.runs or not b.runs:
        return None
    if a.timed_out or b.timed_out or a.single or b.single or len(a.runs) != len(b.runs):
        return a.median / b.median
    return statistics.median(x.seconds / y.seconds for x, y in zip(a.runs, b.runs))


def fmt_time(case: Case | None) -> str:
    if case is None:
        return "n/a"
    if case.error:
        return "FAILED"
    ts = case.times
    if case.timed_out:
        return f"> {ts[0]:5.0f} (stopped)"
    if case.single:
        return f"{ts[0]:7.3f} (one run)"
    if not ts:
        return "n/a"
    return f"{statistics.median(ts):7.3f} ({min(ts):.3f}–{max(ts):.3f})"


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"
