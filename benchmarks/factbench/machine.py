"""The machine a run measures on: processor, memory, versions, commit."""

from __future__ import annotations

import datetime as _dt
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from factbench.peers import pandoc_path
from factbench.synthetic import REPO


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for dist in (
        "python-docx",
        "reportlab",
        "rl-accel",
        "Jinja2",
        "PyYAML",
        "fonttools",
        "lxml",
        "weasyprint",
        "pypandoc-binary",
        "typst",
        "watchfiles",
    ):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    pandoc = pandoc_path()
    if pandoc:
        out = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout
        versions["pandoc"] = out.split("\n", 1)[0].split()[-1] if out else "?"
    try:
        mem = next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
        mem_gib = int(mem.split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        mem_gib = 0
    commit = "unknown"
    try:  # read-only: the commit, and whether src/ or templates/ differ from it
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        )
        if head.returncode == 0:
            commit = head.stdout.strip()
            dirty = subprocess.run(
                ["git", "diff-index", "--quiet", "HEAD", "--", "src", "templates"], cwd=REPO
            )
            if dirty.returncode == 1:
                commit += " with uncommitted changes in src/ or templates/"
    except OSError:
        pass
    return {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="minutes"),
        "commit": commit,
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem_gib, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "versions": versions,
    }
