"""Shared fixtures: the repository, a disposable copy of the project, and CLI runners."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: A frozen copy of the North Korea project (sheet, seeds, templates): tests that
#: assert its content use it, so an editor's edit of the live sheet breaks none.
NK_PROJECT = REPO / "tests" / "fixtures" / "north-korea"
NK_SHEET = NK_PROJECT / "factsheets" / "north-korea-troops-russia.yaml"


@pytest.fixture
def project(tmp_path) -> Path:
    """Return a copy of the frozen North Korea project's seeds, templates and fact sheets in a temp folder."""
    root = tmp_path / "project"
    for name in ("seeds", "templates", "factsheets"):
        shutil.copytree(NK_PROJECT / name, root / name)
    return root


def run_cli(*args, cwd=None, env=None, timeout=120) -> subprocess.CompletedProcess:
    """Run ``python -m factsheet ARGS`` and return the completed process (text mode)."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("NO_COLOR", None) if env and "NO_COLOR" in env and env["NO_COLOR"] is None else None
    return subprocess.run(
        [sys.executable, "-m", "factsheet", *map(str, args)],
        cwd=cwd or REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def import_or_skip(name: str, reason: str):
    """Return the module ``name``; skip the test when it is missing, except on CI (``CI`` set), where that fails."""
    if os.environ.get("CI"):
        import importlib

        return importlib.import_module(name)
    return pytest.importorskip(name, reason=reason)


def required_tool(name: str, reason: str, *candidates: Path) -> str:
    """Return the path of the program ``name`` (on PATH, else the first of ``candidates`` that exists).

    Skip the test when it is missing, except on CI (``CI`` set), where that fails:
    a tool the README's test command installs must be there.
    """
    found = shutil.which(name) or next((str(c) for c in candidates if c.exists()), None)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{name} is missing ({reason}); the README's test command installs it")
    pytest.skip(f"{name} is not installed ({reason})")


@pytest.fixture
def cli():
    """Return the CLI runner."""
    return run_cli
