"""What a screen reader hears from the tagged PDF: the structure tree read in order, element by element.

Each brief is read as assistive technology reads it (``reading_order``): note marks
apart from the figures they follow, every reference with words of its own, every
row of a grouped table with its group in a header cell, no identifier read aloud.
The fixture projects are the frozen North Korea copy and the fictional second story.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import page
import pikepdf
import pytest
from reading_order import elements, glued_note_marks, own_texts, read_blocks, reading_text

from factsheet.pipeline import build as pipeline
from factsheet.project import Project
from factsheet.writers.pdf import write_pdf

REPO = Path(__file__).resolve().parents[2]
NK_ROOT = REPO / "tests" / "fixtures" / "north-korea"
STORY = REPO / "tests" / "stories" / "zlatovrh-flood"
TEMPLATES = sorted(p.name[: -len(".xml.j2")] for p in (REPO / "templates").glob("[!_]*.xml.j2"))
PROJECTS = {"north-korea": (NK_ROOT, False), "zlatovrh-flood": (STORY, True)}
#: how a group of note marks is read: "note 4", "notes 1 and 3", "notes 1, 2 and 3"
NOTES_ALT = re.compile(r"note (\d+)|notes (\d+(?:, \d+)*) and (\d+)")


def _project(name: str, tmp: Path) -> Path:
    source, with_templates = PROJECTS[name]
    if not with_templates:
        return source
    root = tmp / name
    shutil.copytree(source, root)
    shutil.copytree(REPO / "templates", root / "templates")
    return root


@pytest.fixture(scope="module", params=[(p, t) for p in PROJECTS for t in TEMPLATES], ids=str)
def brief(request, tmp_path_factory) -> Path:
    """Return the path of one project's brief built with one template (tagged, PDF/A-2a)."""
    name, template = request.param
    tmp = tmp_path_factory.mktemp("reading")
    root = _project(name, tmp)
    project = Project.find(root)
    (sheet,) = (root / "factsheets").glob("*.yaml")
    document = pipeline.document_for(project, pipeline.load_sheet(project, sheet), template)
    path = tmp / f"{name}-{template}.pdf"
    path.write_bytes(write_pdf(document))
    return path


def test_note_marks_are_read_apart_from_the_figures(brief):
    assert glued_note_marks(brief) == []
    text = reading_text(brief)
    assert "[note " in text or "[notes " in text  # each group of marks read in words, at its place


def test_every_reference_has_words_and_its_digits_in_links(brief):
    pdf = pikepdf.open(brief)
    own = own_texts(brief)
    references = 0
    for element, _ in elements(pdf.Root.StructTreeRoot.K):
        if element.S != "/Reference":
            continue
        references += 1
        alt = str(element.get("/Alt", ""))
        match = NOTES_ALT.fullmatch(alt)
        assert match, f"a Reference reads {alt!r}"
        numbers = [n for g in match.groups() if g for n in g.split(", ")]
        kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
        links = [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/Link"]
        assert [own[link.objgen] for link in links] == numbers  # each mark's digits in its own Link
    assert references > 0


def test_every_grouped_row_has_its_group_in_a_header_cell(brief):
    pdf = pikepdf.open(brief)
    text_of = {b.key: b.text for b in read_blocks(brief)}
    tables = [e for e, _ in elements(pdf.Root.StructTreeRoot.K) if e.S == "/Table"]
    assert tables
    grouped = 0
    for table in tables:
        parts = [k for k in table.K] if isinstance(table.K, pikepdf.Array) else [table.K]
        assert [str(p.S) for p in parts] == ["/THead", "/TBody"]
        rows = list(parts[1].K) if isinstance(parts[1].K, pikepdf.Array) else [parts[1].K]
        covered = 0  # rows still under the row header above
        cells_of = [list(r.K) if isinstance(r.K, pikepdf.Array) else [r.K] for r in rows]
        is_grouped = any(c[0].S == "/TH" for c in cells_of)
        for cells in cells_of:
            for cell in cells if is_grouped else ():
                assert text_of.get(cell.objgen, "").strip(), "a cell of a grouped table is read as blank"
            first = cells[0]
            if covered:
                covered -= 1
                assert first.S == "/TD"  # its group is the header cell above, which spans it
                continue
            if first.S == "/TH":
                assert first.A.Scope == "/Row"
                span = int(first.A.get("/RowSpan", 1))
                grouped += span > 1
                covered = span - 1
        assert covered == 0  # no row header spans past its table
    headed = [e for e, _ in elements(pdf.Root.StructTreeRoot.K) if e.S == "/TH" and e.A.Scope == "/Row"]
    assert grouped or headed or "dossier" in brief.name


def test_no_identifier_is_read(brief):
    text = reading_text(brief)
    assert not re.search(r"\[[a-z0-9]+(?:-[a-z0-9]+)+\]", text), "a seed id in brackets is read"
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), "an identifier with underscores is read"


def test_brief_passes_pdf_ua1_and_pdf_a2(brief):
    for profile in ("ua1", "2a"):
        report = page.validate_pdf(str(brief), profile=profile)
        assert report.rules.total > 50 and [f.rule_id for f in report.failures] == []
