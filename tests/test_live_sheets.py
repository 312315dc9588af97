"""Every live sheet in factsheets/ checks and builds: structure only, so an editor's valid edit keeps it green.

Tests that assert exact rows, figures or golden parts use the frozen copy in
``tests/fixtures/north-korea`` instead.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from factsheet.pipeline.build import Pipeline
from factsheet.project import Project

from conftest import REPO, run_cli

LIVE = sorted((REPO / "factsheets").glob("*.yaml"))


def test_there_is_a_live_sheet():
    assert LIVE


def test_check_passes_on_every_live_sheet():
    done = run_cli("--root", REPO, "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(rf"checked {len(LIVE)} files?, \d+ claims, \d+ quotes: 0 errors", done.stderr), (
        done.stderr
    )


_STRAIGHT = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")


@pytest.mark.parametrize("sheet", LIVE, ids=[p.stem for p in LIVE])
def test_every_live_sheet_builds_both_formats(sheet):
    project = Project(REPO)
    built = Pipeline(project, "brief").build(sheet, ["docx", "pdf"])
    sheet_model, document = built.loaded.sheet, built.document
    # the title as typed, quotation marks made typographic
    assert document.title.translate(_STRAIGHT) == sheet_model.title.translate(_STRAIGHT)
    cited = sum(len(c.citations) for c in sheet_model.claims)
    assert len(document.footnotes) >= 1 and cited >= 1

    with zipfile.ZipFile(io.BytesIO(built.outputs["docx"])) as zf:
        assert zf.testzip() is None
        notes = zf.read("word/footnotes.xml").decode("utf-8")
        body = zf.read("word/document.xml").decode("utf-8")
    assert len(re.findall(r'<w:footnote w:id="[1-9]\d*"', notes)) == len(document.footnotes)
    assert len(re.findall(r"<w:footnoteReference ", body)) == len(document.footnotes)

    pdf = built.outputs["pdf"]
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    from factsheet.writers.pdf import render_pdf

    placed = render_pdf(document).notes_by_page
    assert sorted(n for numbers in placed.values() for n in numbers) == [f.number for f in document.footnotes]


@pytest.mark.parametrize("sheet", LIVE, ids=[p.stem for p in LIVE])
def test_every_live_sheet_builds_the_same_bytes_twice(sheet):
    project = Project(REPO)
    first = Pipeline(project).build(sheet, ["docx", "pdf"]).outputs
    assert Pipeline(project).build(sheet, ["docx", "pdf"]).outputs == first
