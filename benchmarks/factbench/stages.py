"""Where a cold build's time goes: the stage table, and the import floor measured beside it."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from factbench.timing import Case, run_case

STAGE_RUNNER = Path(__file__).with_name("stagerun.py")

#: What a PDF build cannot do without: a process that imports these and does nothing else is the
#: floor a cold Python build cannot go under.
FLOOR_MODULES = ("yaml", "jinja2", "reportlab.platypus", "pikepdf", "lxml.etree", "fontTools.ttLib")
START_UP = "interpreter start-up"


def floor_case(key: str, cwd: Path) -> Case:
    """Return the case of the import floor: a fresh interpreter importing FLOOR_MODULES."""
    code = "import " + ", ".join(FLOOR_MODULES)
    return Case(key, "import floor (" + ", ".join(FLOOR_MODULES) + ")", [sys.executable, "-c", code], cwd)


def stage_run(root: Path, sheet: Path, formats: str, template: str, out: Path, env: dict) -> dict | None:
    """Run one cold build stage by stage in a fresh process; return {stage: seconds}, or None if it failed."""
    began = time.time()
    r = subprocess.run(
        [sys.executable, str(STAGE_RUNNER), str(root), str(sheet), formats, template, str(out)],
        env=env,
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        print(f"    stage profile failed: {r.stderr.strip()[-300:]}", flush=True)
        return None
    got = json.loads(r.stdout)
    stages = {START_UP: max(0.0, got["started"] - began), **got["stages"]}
    stages["total (the process, wall clock)"] = got["finished"] - began
    return stages


def profile(root: Path, sheet: Path, formats: str, template: str, out: Path, env: dict, runs: int) -> dict:
    """Return the median seconds of each stage over ``runs`` cold builds, alternating with the import floor.

    The result holds "stages" (stage → median seconds) and "floor" (the floor case).
    """
    floor = floor_case("floor:profile", root)
    samples: list[dict] = []
    stage_run(root, sheet, formats, template, out, env)  # warm-up: file cache, disk cache
    run_case(floor, env)
    floor.runs.clear()
    for _ in range(runs):
        got = stage_run(root, sheet, formats, template, out, env)
        if got:
            samples.append(got)
        run_case(floor, env)
    names = list(dict.fromkeys(k for s in samples for k in s))
    medians = {k: statistics.median(s.get(k, 0.0) for s in samples) for k in names}
    return {"stages": medians, "floor": floor, "formats": formats, "runs": len(samples)}


def print_profile(title: str, prof: dict) -> None:
    """Print the stage table: each stage's median milliseconds and share of the process."""
    stages = dict(prof["stages"])
    total = stages.pop("total (the process, wall clock)", None) or sum(stages.values()) or 1.0
    floor = prof["floor"].median
    print()
    print(
        f"{title}: one cold process, stage by stage (median of {prof['runs']} runs, serial, in-process writers)"
    )
    print(f"{'stage':<52} {'ms':>8} {'share':>7}")
    print("-" * 69)
    for name, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        if seconds >= 0.0005:
            print(f"{name:<52} {seconds * 1000:8.1f} {seconds / total:7.1%}")
    print("-" * 69)
    print(f"{'total (the process, wall clock)':<52} {total * 1000:8.1f} {1:7.0%}")
    if floor:
        print(
            f"{'import floor, measured alternately (' + str(len(prof['floor'].runs)) + ' runs)':<52} "
            f"{floor * 1000:8.1f} {floor / total:7.1%}"
        )
