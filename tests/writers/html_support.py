"""Build the web fact box fixture into a temporary project, for the HTML tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, run_cli

FIXTURE = Path(__file__).parent / "html_fixtures" / "fact-box.yaml"
STEM = FIXTURE.stem


def fact_box_project(root: Path, sheet_text: str | None = None) -> Path:
    """Return a project under ``root`` holding the live seeds and templates and the fixture sheet."""
    for name in ("seeds", "templates"):
        shutil.copytree(REPO / name, root / name)
    (root / "factsheets").mkdir()
    (root / "factsheets" / FIXTURE.name).write_text(
        sheet_text or FIXTURE.read_text(encoding="utf-8"), encoding="utf-8"
    )
    return root


def build_fact_box(root: Path, sheet_text: str | None = None) -> Path:
    """Build the fixture as HTML (with its ClaimReview and CSL-JSON) and return the output folder."""
    fact_box_project(root, sheet_text)
    out = root / "out"
    # the full record, so every claim of the fixture is on the page (the brief shows a selection)
    result = run_cli("build", "--format", "html", "--template", "dossier", "--out", out, cwd=root)
    assert result.returncode == 0, result.stderr
    return out
