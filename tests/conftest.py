"""Shared fixtures: the repository, a disposable copy of the project, and CLI runners."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NK_SHEET = REPO / "factsheets" / "north-korea-troops-russia.yaml"


@pytest.fixture
def project(tmp_path) -> Path:
    """Return a copy of the project's seeds, templates and fact sheets in a temp folder."""
    root = tmp_path / "project"
    for name in ("seeds", "templates", "factsheets"):
        shutil.copytree(REPO / name, root / name)
    return root


def run_cli(*args, cwd=None, env=None, timeout=120) -> subprocess.CompletedProcess:
    """Run ``python -m factsheet ARGS`` and return the completed process (text mode)."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("NO_COLOR", None) if env and "NO_COLOR" in env and env["NO_COLOR"] is None else None
    return subprocess.run(
        [sys.executable, "-m", "factsheet", *map(str, args)],
        cwd=cwd or REPO, env=full_env, capture_output=True, text=True, timeout=timeout,
    )


@pytest.fixture
def cli():
    """Return the CLI runner."""
    return run_cli
