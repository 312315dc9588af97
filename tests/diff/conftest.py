"""Fixtures for claim-level diffs: a real git repository holding a factsheet project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from diffkit import REPO, git


@pytest.fixture
def repo(tmp_path) -> Path:
    """Return a fresh git repository holding a factsheet project: seeds, templates, factsheets/."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Desk")
    git(root, "config", "user.email", "desk@example.org")
    git(root, "config", "core.autocrlf", "false")
    for name in ("seeds", "templates"):
        shutil.copytree(REPO / name, root / name)
    (root / "factsheets").mkdir()
    return root
