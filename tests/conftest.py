"""Shared fixtures: the repository, a disposable copy of the project, and CLI runners."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import required

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


def git(root: Path, *args: str, date: str = "2026-12-01T12:00:00Z") -> None:
    """Run git in ``root`` as a desk whose commits carry ``date`` (so runs give the same history)."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Desk",
        "GIT_AUTHOR_EMAIL": "desk@example.org",
        "GIT_COMMITTER_NAME": "Desk",
        "GIT_COMMITTER_EMAIL": "desk@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


@pytest.fixture
def repo(project) -> Path:
    """Return the project copy committed once ("first version", 1 December 2026) in a new git repository."""
    if shutil.which("git") is None:
        pytest.skip("git is missing")
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "first version")
    return project


@pytest.fixture
def git_starts(monkeypatch) -> list[list[str]]:
    """Return the arguments of every git process started from now on, as they start."""
    started: list[list[str]] = []
    run = subprocess.run

    def recording(args, *rest, **kwargs):
        if args and args[0] == "git":
            started.append(list(args))
        return run(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "run", recording)
    return started


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


def ended_by_itself(pid: int, wait: float = 60.0) -> int | None:
    """Return the exit code of child ``pid`` once it ends within ``wait`` seconds (0: has it ended), else None.

    The child is left unreaped, for the code under test to wait for as it always does.
    """
    import time

    deadline = time.monotonic() + wait
    while True:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        if info is not None:
            return info.si_status if info.si_code == os.CLD_EXITED else -info.si_status
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.01)


def import_or_skip(name: str, reason: str):
    """Return the module ``name``; skip the test when it is missing, except under CI, where that fails."""
    return required.module(name, reason)


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "tools(*names): the programs a test runs; see tests/required.py")


def pytest_runtest_setup(item) -> None:
    """A test marked ``tools(...)`` is skipped (failed under CI) when one of them is missing."""
    for mark in item.iter_markers("tools"):
        required.tools(*mark.args, hint=mark.kwargs.get("hint", ""))


@pytest.fixture
def font_dirs():
    """Return fonts.use_dirs; the folders searched before the test are searched again after it."""
    from factsheet.rendering import fonts

    before = fonts._search
    yield fonts.use_dirs
    fonts.use_dirs(before)


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
def cache_at(tmp_path, monkeypatch) -> Path:
    """Point the disk cache at a private folder under ``tmp_path`` and forget earlier warnings."""
    from factsheet import cache

    monkeypatch.setattr(cache, "_warned", set())
    tmp_path.chmod(0o700)
    folder = tmp_path / "cache"
    monkeypatch.setattr(cache, "_folder", folder)
    return folder


@pytest.fixture
def cli():
    """Return the CLI runner."""
    return run_cli
