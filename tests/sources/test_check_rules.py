"""check_sheet in-process: each rule across fields and claims reports one located problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.project import Project
from factsheet.sources.check import check_sheet
from factsheet.sources.seeds import SeedLibrary

from conftest import NK_SHEET

TEXT = NK_SHEET.read_text(encoding="utf-8")
FIRST = "  - id: nk-officers-in-occupied-ukraine\n    section: deployment\n"

#: (what the edit does, old text, new text, the message expected at the edit's line)
EDITS = [
    ("unknown section", FIRST, FIRST.replace("deployment", "deploymnet"), "unknown section 'deploymnet'"),
    (
        "duplicate claim id",
        "  - id: zelenskyy-officers-training-russians\n",
        "  - id: nk-officers-in-occupied-ukraine\n",
        "duplicate claim id 'nk-officers-in-occupied-ukraine'",
    ),
    (
        "unknown source",
        "      - source: nk-training-wp-summary\n",
        "      - source: nk-training-wp-sumary\n",
        "unknown source 'nk-training-wp-sumary' (did you mean 'nk-training-wp-summary'?)",
    ),
    (
        "unknown topic metric",
        "metrics: [troops_in_training,",
        "metrics: [troops_in_trainig,",
        "troops_in_trainig",
    ),
]


@pytest.fixture(scope="module")
def library() -> SeedLibrary:
    return SeedLibrary.of(Project(NK_SHEET.parents[1]))


def _check(tmp_path: Path, text: str, library: SeedLibrary):
    sheet = tmp_path / NK_SHEET.name
    sheet.write_text(text, encoding="utf-8")
    return check_sheet(sheet, library, NK_SHEET.name)


def test_the_frozen_sheet_has_no_error(tmp_path, library):
    checked = _check(tmp_path, TEXT, library)
    assert checked.ok and checked.sheet is not None
    assert [p for p in checked.problems if p.severity == "error"] == []


@pytest.mark.parametrize(("old", "new", "message"), [e[1:] for e in EDITS], ids=[e[0] for e in EDITS])
def test_an_edit_gives_one_problem_at_its_line(tmp_path, library, old, new, message):
    assert old in TEXT
    edited = TEXT.replace(old, new, 1)
    line = TEXT[: TEXT.index(old)].count("\n") + 1 + old.count("\n") - new.count("\n")
    checked = _check(tmp_path, edited, library)
    found = [p for p in checked.problems if message in p.message]
    assert len(found) == 1, [str(p) for p in checked.problems]
    assert found[0].path == NK_SHEET.name and found[0].severity in ("error", "warning")
    assert abs(found[0].line - line) <= old.count("\n"), (found[0].line, line)
    assert not checked.ok or found[0].severity == "warning"
