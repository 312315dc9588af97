"""Briefs built from the frozen fixture project, compared with reviewed golden parts feature by feature.

Golden parts live in ``tests/golden/CASE/FEATURE/FORMAT.txt`` (see ``goldparts.py``
for how a build is cut into features) and ``tests/golden/CASE/pdf-pages/``. After
a deliberate change to a template or a writer, regenerate them with::

    FACTSHEET_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_goldens.py

then look at the changed outputs (``pdftoppm -png -r 60``), read ``git diff tests/golden``
and commit the parts with the change. A failure names the feature and format that moved.
"""

from __future__ import annotations

import difflib
import os
from functools import cache
from pathlib import Path

import pytest

from factsheet.pipeline import build
from factsheet.project import Project

import goldparts
from conftest import NK_PROJECT, NK_SHEET, REPO

GOLDEN = REPO / "tests" / "golden"
UPDATE = os.environ.get("FACTSHEET_UPDATE_GOLDEN") == "1"
#: case name -> (project, sheet, template)
CASES = {
    "north-korea-brief": (NK_PROJECT, NK_SHEET, "brief"),
    "north-korea-dossier": (NK_PROJECT, NK_SHEET, "dossier"),
}
_CUT = {"docx": goldparts.docx_features, "html": goldparts.html_features, "pdf": goldparts.pdf_features}


@cache
def built_parts(case: str) -> dict[str, str]:
    """Return every golden part of ``case`` as built now: ``{path under its folder: text}``."""
    root, sheet, template = CASES[case]
    project = Project(root)
    document = build.document_for(project, build.load_sheet(project, sheet), template)
    parts: dict[str, str] = {}
    for fmt, cut in _CUT.items():
        data = build.render(document, fmt)
        parts.update((f"{feature}/{fmt}.txt", text) for feature, text in cut(data).items())
        if fmt == "pdf":
            pages = goldparts.pdf_pages(data)
            parts.update((f"pdf-pages/page-{n:02d}.txt", text) for n, text in enumerate(pages, 1))
    return parts


def _golden_files(case: str) -> set[str]:
    folder = GOLDEN / case
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.txt")} if folder.is_dir() else set()


def _listed() -> list[tuple[str, str]]:
    return [(case, part) for case in CASES for part in sorted(_golden_files(case))]


@pytest.fixture(scope="session", autouse=UPDATE)
def _regenerate():
    """Under FACTSHEET_UPDATE_GOLDEN=1, write every case's parts afresh, removing parts no longer built."""
    if not UPDATE:
        return
    for case in CASES:
        for stale in _golden_files(case):
            (GOLDEN / case / stale).unlink()
        for part, text in built_parts(case).items():
            path = GOLDEN / case / part
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_built_part_has_a_golden_and_every_golden_is_built(case):
    built, golden = set(built_parts(case)), _golden_files(case)
    assert built - golden == set(), "new parts with no reviewed golden; regenerate and review them"
    assert golden - built == set(), "golden parts no longer built (a feature or page went missing)"


@pytest.mark.parametrize(("case", "part"), _listed(), ids=[f"{c}:{p}" for c, p in _listed()])
def test_part_matches_its_golden(case, part):
    path: Path = GOLDEN / case / part
    expected = path.read_text(encoding="utf-8")
    actual = built_parts(case).get(part)
    assert actual is not None, f"{case}: {part} is no longer built"
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), part, "built", n=2)
        )
        pytest.fail(f"{case}: {part} differs from its reviewed golden part:\n{diff[:4000]}")
