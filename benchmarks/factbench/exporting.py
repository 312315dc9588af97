"""Export cases: a project of many sheets, edits between runs, and checks of what a run built."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from factbench.timing import Run


def export_argv(fs: list[str], root: Path, out: Path, formats: str, jobs: int = 2) -> list[str] | None:
    """Return the argv of ``factsheet export`` into ``out``, or None when there is no export command."""
    r = subprocess.run([*fs, "--root", str(root), "export", "--help"], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return [
        *fs,
        "--root",
        str(root),
        "export",
        "--out",
        str(out),
        "--format",
        formats,
        "--jobs",
        str(jobs),
        "--quiet",
    ]


def export_check(built: int, skipped: int):
    """Return a check that an export run built and skipped what it should have.

    A "none changed" run rebuilds everything when factsheet's own files changed
    since the last run (its fingerprint covers them): such a run is repeated.
    """

    def check(run: Run) -> str | None:
        m = re.search(r"(\d+) built, (\d+) skipped", run.stderr)
        if not m:
            return None  # another summary format: nothing to check against
        got = (int(m.group(1)), int(m.group(2)))
        if got != (built, skipped):
            return (
                f"{got[0]} built and {got[1]} skipped, expected {built} and {skipped} "
                "(factsheet's own files changed during the run?)"
            )
        return None

    return check


def make_export_project(root: Path, sheets: int, src: Path) -> list[Path]:
    """Make a project at ``root`` whose factsheets/ holds ``sheets`` copies of ``src`` (own titles)."""
    for name in ("seeds", "templates"):
        shutil.copytree(src.parents[1] / name, root / name)
    (root / "factsheets").mkdir()
    text = src.read_text(encoding="utf-8")
    paths = []
    for k in range(1, sheets + 1):
        path = root / "factsheets" / f"sheet-{k:03d}.yaml"
        path.write_text(
            re.sub(r"(?m)^title: (.*)$", rf"title: \1 (copy {k})", text, count=1), encoding="utf-8"
        )
        paths.append(path)
    return paths


def change_every_sheet(paths: list[Path]):
    """Return a function that changes the title of every sheet (a real edit, every time it is called)."""
    counter = [0]

    def change():
        counter[0] += 1
        for path in paths:
            text = path.read_text(encoding="utf-8")
            text = re.sub(
                r"(?m)^title: (.*?)(?: \(edit \d+\))?$", rf"title: \1 (edit {counter[0]})", text, count=1
            )
            path.write_text(text, encoding="utf-8")

    return change
