"""`diff --rev` on hostile history: a huge blob that packs small, revisions that look like options."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from factsheet.review import git as review_git
from factsheet.sources.loading import MAX_FILE_BYTES

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    """A repository whose second commit makes a sheet 10 MB of zeros (it packs into a few kilobytes)."""
    root = tmp_path_factory.mktemp("history")
    (root / "factsheets").mkdir()
    sheet = root / "factsheets" / "base.yaml"
    sheet.write_text((HERE / "base.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "first")
    with sheet.open("wb") as fh:
        fh.truncate(5 * MAX_FILE_BYTES)
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "zeros")
    return root


def _diff(root: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "factsheet", "diff", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), "FACTSHEET_CACHE_DIR": "off"},
    )
    assert "Traceback" not in result.stderr
    return result


def test_a_blob_over_the_sheet_limit_is_refused_before_it_is_read(history):
    result = _diff(history, "--rev", "HEAD~1..HEAD")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"factsheet: HEAD:factsheets/base.yaml: file is larger than {MAX_FILE_BYTES:,} bytes, "
        "the limit for one YAML file\n"
    )


def test_git_is_asked_for_the_size_and_never_for_the_big_blob(history, monkeypatch):
    calls = []
    real = review_git.git

    def recording(args, cwd, binary=False):
        calls.append(args[:2])
        return real(args, cwd, binary)

    monkeypatch.setattr(review_git, "git", recording)
    with pytest.raises(OSError, match="larger than"):
        review_git.read_blob("HEAD", "factsheets/base.yaml", history, MAX_FILE_BYTES)
    assert calls == [["cat-file", "-s"]]
    assert len(review_git.read_blob("HEAD~1", "factsheets/base.yaml", history, MAX_FILE_BYTES)) > 100


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("--output=written...HEAD", "factsheet: --rev: '--output=written' is not a revision"),
        ("HEAD...--output=written", "factsheet: --rev: '--output=written' is not a revision"),
        ("nosuch...HEAD", "factsheet: --rev: unknown revision 'nosuch'"),
        ("HEAD...no\nsuch", "factsheet: --rev: unknown revision 'no\\nsuch'"),
    ],
)
def test_both_ends_of_a_three_dot_range_are_checked_before_git_merge_base(history, spec, message):
    result = _diff(history, f"--rev={spec}")
    assert result.returncode == 2
    assert result.stderr == message + "\n"
    assert not (history / "written").exists()
