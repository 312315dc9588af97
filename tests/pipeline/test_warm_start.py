"""Loaded once, used by many: what a process loads ahead of its builds is not loaded again by each build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from factsheet.export.worker import warm_up
from factsheet.pipeline.build import Pipeline
from factsheet.project import Project
from factsheet.rendering import templating

from conftest import REPO

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


#: In a fresh process: prepare the render as a build's render process (or a watch) does, then render a
#: sheet's document as each build's child does, and print the modules that render had to import.
_RENDER_PROBE = """
import sys
from pathlib import Path
from factsheet.pipeline import build
from factsheet.project import Project
project = Project(Path(sys.argv[1]))
loaded = build.load_sheet(project, Path(sys.argv[2]))
build.prepare_render(project.templates_dir, "brief")
before = set(sys.modules)
document = build.document_for(project, loaded, "brief")
assert document.cited_claims
print(" ".join(sorted(set(sys.modules) - before)))
"""


def _imported_after_warm_up(probe: str, project: Path) -> list[str]:
    """Return the modules ``probe`` prints as imported by a sheet's build once the process was warmed up."""
    run = subprocess.run(
        [sys.executable, "-c", probe, str(project), str(project / "factsheets" / f"{SHEET}.yaml")],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "src"), "FACTSHEET_CACHE_DIR": "off"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.split()


def test_a_render_after_its_preparation_imports_no_module(project):
    """Each render runs in a forked child: a module it imported would be imported again by the next one."""
    assert _imported_after_warm_up(_RENDER_PROBE, project) == []


_EXPORT_PROBE = """
import sys
from pathlib import Path
from factsheet.export.worker import warm_up
from factsheet.pipeline.build import Pipeline
from factsheet.project import Project
project = Project(Path(sys.argv[1]))
warm_up(["pdf", "docx", "html"], project.templates_dir, "brief")
pipeline = Pipeline(project)
loaded = pipeline.load(Path(sys.argv[2]))
before = set(sys.modules)
document = pipeline.loaded_document(loaded)
for fmt in ("pdf", "docx", "html"):
    pipeline.write(document, fmt)
print(" ".join(sorted(set(sys.modules) - before)))
"""


def test_after_the_export_warm_up_a_sheets_render_and_writes_import_no_module(project):
    """Each sheet is built in a child forked from the worker: what it imported, the next imports again."""
    assert _imported_after_warm_up(_EXPORT_PROBE, project) == []
