"""Loaded once, used by many: what a process loads ahead of its builds is not loaded again by each build."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.export.worker import warm_up
from factsheet.pipeline.build import Pipeline
from factsheet.project import Project
from factsheet.rendering import templating

SHEET = "north-korea-troops-russia"


def _compiled(templates: Path) -> set[str]:
    env = templating._environment(templates.resolve())
    return {name for _, name in env.cache._mapping}


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """Return the names of the templates Jinja compiles from now on."""
    from jinja2 import Environment

    got: list[str] = []
    compile_ = Environment.compile

    def counted(self, source, name=None, filename=None, raw=False, defer_init=False):
        got.append(name)
        return compile_(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(Environment, "compile", counted)
    return got


def test_preparing_a_template_compiles_it_and_the_templates_it_names_only(project):
    templates = project / "templates"
    templating.prepare(templates, "brief")
    compiled = _compiled(templates)
    assert "brief.xml.j2" in compiled and "_cite.xml.j2" in compiled and "_annex.xml.j2" in compiled
    assert "dossier.xml.j2" not in compiled


def test_after_the_export_warm_up_a_sheets_render_compiles_no_template(project, compiles):
    warm_up(["html"], project / "templates", "brief")
    assert "brief.xml.j2" in compiles
    compiles.clear()
    pipeline = Pipeline(Project(project))
    pipeline.loaded_document(pipeline.load(project / "factsheets" / f"{SHEET}.yaml"))
    assert compiles == []


def test_a_docx_writer_prepared_ahead_reads_no_font_file_at_its_first_write(project, monkeypatch):
    from factsheet.writers import prepare
    from factsheet.writers.docx import fontembed

    pipeline = Pipeline(Project(project))
    document = pipeline.loaded_document(pipeline.load(project / "factsheets" / f"{SHEET}.yaml"))
    fontembed.subset_face.cache_clear()
    fresh = pipeline.write(document, "docx")  # the faces read at the write itself

    fontembed.subset_face.cache_clear()
    fontembed._preloaded.clear()
    prepare("docx")
    opened: list[str] = []
    open_ = fontembed._open
    monkeypatch.setattr(fontembed, "_open", lambda path: opened.append(path) or open_(path))
    assert pipeline.write(document, "docx") == fresh  # the same bytes either way
    assert opened == []
