"""Each command imports only what it uses: `check` no writer, `diff` no writer and no layout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NK_SHEET, REPO

#: Runs the CLI in this interpreter, then writes the names of every module it imported to argv[1].
_PROBE = """
import json, sys
out, args = sys.argv[1], sys.argv[2:]
from factsheet.cli import main
try:
    main(args)
except SystemExit:
    pass
with open(out, "w") as fh:
    json.dump(sorted(sys.modules), fh)
"""

#: The writers and the libraries that lay out or write a format.
WRITERS = (
    "factsheet.writers.docx",
    "factsheet.writers.pdf",
    "factsheet.writers.html",
    "factsheet.writers.linkeddata",
    "factsheet.pipeline.sidewriter",
    "reportlab",
    "docx",
    "pikepdf",
    "PIL",
)
#: What turns a sheet into a document to lay out: templates, markup, charts.
LAYOUT = ("factsheet.rendering", "jinja2", "lxml", "fontTools")


def imported(tmp_path: Path, *args: str, probe: str = _PROBE) -> list[str]:
    """Return the modules ``probe`` (the CLI with ``args``, by default) imported, as it wrote them."""
    out = tmp_path / "modules.json"
    run = subprocess.run(
        [sys.executable, "-c", probe, str(out), *args],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "src"), "FACTSHEET_CACHE_DIR": "off"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.is_file(), run.stderr
    return json.loads(out.read_text())


def among(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes)]


def test_check_imports_no_writer(tmp_path):
    modules = imported(tmp_path, "--root", str(NK_SHEET.parents[1]), "check", str(NK_SHEET))
    assert "factsheet.sources.check" in modules  # the probe did run the check
    assert "factsheet.pipeline.glyphs" in modules  # ... and the glyph check, which reads the fonts
    assert among(modules, WRITERS) == []
    assert among(modules, ("fontTools",)) == []  # the glyph check reads the font files itself


@pytest.mark.parametrize("fmt", ["terminal", "json", "markdown"])
def test_diff_imports_no_writer_and_no_layout(tmp_path, fmt):
    new = tmp_path / "new.yaml"
    text = NK_SHEET.read_text(encoding="utf-8")
    new.write_text(text.replace("\ntitle: ", "\ntitle: Revised: ", 1), encoding="utf-8")
    assert new.read_text(encoding="utf-8") != text
    modules = imported(
        tmp_path, "--root", str(NK_SHEET.parents[1]), "diff", str(NK_SHEET), str(new), "--format", fmt
    )
    assert among(modules, ("factsheet.review",)) != []  # the probe did run the diff
    assert among(modules, WRITERS + LAYOUT) == []


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: a build loads everything in one process")
def test_a_builds_main_process_checks_and_leaves_templates_and_layout_to_others(tmp_path):
    """The writers load in their processes and the template compiles in the render process."""
    out = tmp_path / "out"
    modules = imported(
        tmp_path,
        "--root",
        str(NK_SHEET.parents[1]),
        "build",
        str(NK_SHEET),
        "--format",
        "pdf",
        "--out",
        str(out),
    )
    assert (out / f"{NK_SHEET.stem}.pdf").is_file()  # the probe did build
    assert "factsheet.sources.check" in modules
    elsewhere = (
        "factsheet.writers.pdf.render",
        "factsheet.writers.docx",
        "factsheet.writers.html",
        "factsheet.content",
        "reportlab",
        "pikepdf",
        "PIL",
        "jinja2",
        "lxml",
        "fontTools",
    )
    assert among(modules, elsewhere) == []


#: Lays a sheet's brief out as PDF in this one process, as a writer process does, then lists the modules.
_PDF_PROBE = """
import json, sys
from pathlib import Path
from factsheet.pipeline import build
from factsheet.project import Project
out, root, sheet = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
project = Project(root)
data = build.render(build.document_for(project, build.load_sheet(project, sheet)), "pdf")
assert data.startswith(b"%PDF-")
with open(out, "w") as fh:
    json.dump(sorted(sys.modules), fh)
"""


def test_the_pdf_writer_imports_no_pikepdf(tmp_path):
    """reportlab writes the tagged, archival PDF itself; pikepdf is only for reading one (verify)."""
    modules = imported(tmp_path, str(NK_SHEET.parents[1]), str(NK_SHEET), probe=_PDF_PROBE)
    assert "factsheet.writers.pdf.render" in modules and "reportlab.pdfgen" in modules  # it did lay out
    assert among(modules, ("pikepdf",)) == []
