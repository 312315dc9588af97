"""build's render process: the same document as a render here, and a stopped process is one sheet's error."""

from __future__ import annotations

import os
import signal

import pytest

from factsheet.errors import RenderError
from factsheet.pipeline import build
from factsheet.pipeline.budget import Budget
from factsheet.pipeline.renderprocess import RenderProcess
from factsheet.project import Project

from conftest import NK_SHEET, ended_by_itself

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the render process is forked")


@pytest.fixture
def loaded(project):
    p = Project(project)
    return p, build.load_sheet(p, project / "factsheets" / NK_SHEET.name)


def test_the_render_process_makes_the_document_a_render_here_makes(loaded):
    p, sheet = loaded
    budget = Budget.for_sheet(len(sheet.sheet.claims), "brief")
    renderer = RenderProcess(p.templates_dir, "brief")
    try:
        (parcel, outputs), left = renderer.send(p, sheet, ["html"], None, None, budget).result()
    finally:
        renderer.close()
    here, here_outputs, _ = build.render_here(p, sheet, "brief", ["html"], None, None, budget)
    assert parcel.open() == here.open() and outputs == here_outputs
    assert left.spent > 0  # the render's processor time is taken from the writers' budget


def test_a_stopped_render_process_fails_one_sheet_and_the_next_renders_here(loaded):
    p, sheet = loaded
    renderer = RenderProcess(p.templates_dir, "brief")
    os.kill(renderer.pid, signal.SIGKILL)
    os.waitpid(renderer.pid, 0)
    with pytest.raises(RenderError, match="template 'brief': the render process ended without output"):
        build.Rendering.start(p, sheet, "brief", ["html"], renderer=renderer).finish()
    assert not renderer.alive
    document, outputs = build.Rendering.start(p, sheet, "brief", ["html"], renderer=renderer).finish()
    assert outputs["html"].startswith(b"<!DOCTYPE html>") and document.footnotes
    renderer.close()  # reaped already: nothing to wait for


def test_a_render_process_told_its_number_of_sheets_ends_after_the_last_by_itself(loaded):
    """Its exit then overlaps the writing of the last sheet, instead of following it."""
    p, sheet = loaded
    budget = Budget.for_sheet(len(sheet.sheet.claims), "brief")
    renderer = RenderProcess(p.templates_dir, "brief", sheets=2)
    try:
        for _ in range(2):
            (parcel, _), _ = renderer.send(p, sheet, ["html"], None, None, budget).result()
            assert parcel.open().footnotes
        assert ended_by_itself(renderer.pid) == 0  # its input is still open: it ends by itself
    finally:
        renderer.close()
