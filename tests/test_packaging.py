"""Installed as a tool: the package builds, passes twine's checks, and pipx gives a working command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

import pytest

import factsheet
from conftest import NK_PROJECT, REPO, import_or_skip


def test_the_version_is_written_in_one_place():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", factsheet.__version__)
    written = [
        p.relative_to(REPO).as_posix()
        for p in (REPO / "src").rglob("*.py")
        if f'"{factsheet.__version__}"' in p.read_text(encoding="utf-8")
    ]
    assert written == ["src/factsheet/__init__.py"]


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """Return the folder holding the sdist and the wheel that 'python -m build' makes of the repository."""
    import_or_skip("build", "python -m build makes the sdist and wheel")
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(REPO)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "deprecated" not in done.stdout + done.stderr
    return out


def test_build_makes_an_sdist_and_a_wheel_that_twine_accepts(dist):
    import_or_skip("twine", "twine checks the package metadata")
    version = factsheet.__version__
    names = sorted(p.name for p in dist.iterdir())
    assert names == [f"factsheet-{version}-py3-none-any.whl", f"factsheet-{version}.tar.gz"]
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2


def test_pipx_installs_a_working_command(dist, tmp_path):
    import_or_skip("pipx", "pipx installs factsheet as a tool")
    home, bin_dir = tmp_path / "pipx", tmp_path / "bin"
    env = {**os.environ, "PIPX_HOME": str(home), "PIPX_BIN_DIR": str(bin_dir), "PIPX_MAN_DIR": str(tmp_path)}
    env.pop("VIRTUAL_ENV", None)
    [wheel] = dist.glob("*.whl")
    done = subprocess.run(
        [sys.executable, "-m", "pipx", "install", str(wheel)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    command = bin_dir / "factsheet"
    version = subprocess.run([command, "--version"], capture_output=True, text=True)
    assert version.stdout == f"factsheet {factsheet.__version__}\n"
    check = subprocess.run(
        [command, "check", "--root", NK_PROJECT], capture_output=True, text=True, cwd=tmp_path
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stderr.startswith("checked 1 file")
