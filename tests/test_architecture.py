"""docs/architecture.md names every module of every stage, and only modules that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO

SRC = REPO / "src" / "factsheet"
NAME = re.compile(r"`([a-z_]+/?)`")


def _table() -> dict[str, set[str]]:
    """Return, per package folder ("" for the top level), the module names the doc's table gives."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows: dict[str, set[str]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not (cells[0].startswith("`") or cells[0] == "top level"):
            continue
        folder = "" if cells[0] == "top level" else cells[0].strip("`").rstrip("/")
        rows[folder] = set(NAME.findall(re.sub(r"\([^)]*\)", "", cells[1])))  # names outside the notes
    return rows


def _modules(folder: Path) -> set[str]:
    """Return a package's modules (``name``) and subpackages (``name/``)."""
    found = {p.stem for p in folder.glob("*.py")}
    found |= {f"{p.name}/" for p in folder.iterdir() if (p / "__init__.py").is_file()}
    return found


def test_the_table_has_a_row_per_package_and_the_top_level():
    packages = {p.name for p in SRC.iterdir() if (p / "__init__.py").is_file()}
    assert set(_table()) == packages | {""}


@pytest.mark.parametrize("folder", sorted(_table()), ids=lambda f: f or "top-level")
def test_a_row_names_exactly_the_modules_of_its_package(folder):
    named = _table()[folder] - {"__init__"}
    real = _modules(SRC / folder) - {"__init__"}
    if not folder:
        real -= {p.name + "/" for p in SRC.iterdir() if (p / "__init__.py").is_file()}
    assert sorted(real - named) == [], "modules missing from docs/architecture.md"
    assert sorted(named - real) == [], "docs/architecture.md names modules that do not exist"


def test_ci_checks_types_strictly_on_the_whole_package():
    """mypy's configuration is strict with no module let off, and .ci/run runs mypy with it."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True and config["files"] == ["src/factsheet"]
    assert "overrides" not in config  # no module relaxed or ignored
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert 'cd "$(dirname "$0")/.."' in script  # run from the project folder, where pyproject.toml is
    assert ".venv/bin/python -m mypy || exit 1" in script.splitlines()
