"""Templates: one template drives the document; errors name template file and line."""

from __future__ import annotations

import pytest

from factsheet.pipeline import build
from factsheet.rendering.document import NoteRef, Table, plain_text
from factsheet.errors import TemplateError, UsageError
from factsheet.project import Project

from conftest import NK_SHEET, REPO


@pytest.fixture(scope="module")
def nk_document():
    project = Project(REPO)
    return build.document_for(project, build.load_sheet(project, NK_SHEET))


def test_default_brief_has_the_sections_editors_expect(nk_document):
    headings = [h.plain_text for h in nk_document.headings()]
    assert headings[0] == "North Korean troops in Russia's war against Ukraine"
    for wanted in ("The deployment in brief", "Key figures", "Who says what", "Disputes and denials", "Sources"):
        assert wanted in headings
    assert nk_document.date == "2025-02-28"
    assert nk_document.title == headings[0]


def test_every_claim_is_footnoted_and_notes_are_numbered_once(nk_document):
    refs = []
    for block in nk_document.blocks:
        cells = []
        if isinstance(block, Table):
            cells = [c for row in block.rows for c in row]
        elif hasattr(block, "inlines"):
            cells = [block.inlines]
        elif hasattr(block, "items"):
            cells = list(block.items)
        for inlines in cells:
            refs += [i.number for i in inlines if isinstance(i, NoteRef)]
    assert refs == list(range(1, len(nk_document.footnotes) + 1))


def test_sources_table_says_not_recorded_for_unknown_metadata(nk_document):
    sources = [b for b in nk_document.blocks if isinstance(b, Table)][-1]
    assert [plain_text(h) for h in sources.header] == ["Outlet", "Headline", "Author", "Date"]
    assert len(sources.rows) == 5
    assert all(plain_text(row[3]) == "not recorded" for row in sources.rows)
    assert any(plain_text(row[2]) == "Liliana Oleniak" for row in sources.rows)


def test_claim_text_is_data_not_markup(project):
    sheet = project / "factsheets" / "north-korea-troops-russia.yaml"
    text = sheet.read_text(encoding="utf-8")
    hostile = "AT&T <b>bold</b> <img src=x> {{ 7*7 }} </brief>"
    marker = "title: North Korean troops in Russia's war against Ukraine"
    assert marker in text
    sheet.write_text(text.replace(marker, f"title: '{hostile}'", 1), encoding="utf-8")
    proj = Project(project)
    document = build.document_for(proj, build.load_sheet(proj, sheet))
    assert document.headings()[0].plain_text == hostile
    assert document.title == hostile


def test_undefined_name_fails_with_template_file_and_line(project):
    (project / "templates" / "broken.xml.j2").write_text(
        '<brief title="x">\n<h1>{{ sheet.title }}</h1>\n<p>{{ sheet.no_such_field }}</p>\n</brief>\n', encoding="utf-8")
    proj = Project(project)
    loaded = build.load_sheet(proj, project / "factsheets" / "north-korea-troops-russia.yaml")
    with pytest.raises(TemplateError) as err:
        build.document_for(proj, loaded, "broken")
    assert str(err.value).startswith("templates/broken.xml.j2:3: ")
    assert "no_such_field" in str(err.value)
    assert str(err.value).endswith(": <p>{{ sheet.no_such_field }}</p>")


def test_copied_template_with_changed_wording_is_picked_by_name(project):
    original = (project / "templates" / "brief.xml.j2").read_text(encoding="utf-8")
    (project / "templates" / "desk.xml.j2").write_text(original.replace("Who says what", "Who said it"), encoding="utf-8")
    proj = Project(project)
    loaded = build.load_sheet(proj, project / "factsheets" / "north-korea-troops-russia.yaml")
    headings = [h.plain_text for h in build.document_for(proj, loaded, "desk").headings()]
    assert "Who said it" in headings and "Who says what" not in headings


@pytest.mark.parametrize("name", ["../brief", "/etc/passwd", "nope", "brief.xml.j2"])
def test_template_name_cannot_leave_the_folder_or_be_missing(name):
    project = Project(REPO)
    loaded = build.load_sheet(project, NK_SHEET)
    with pytest.raises(UsageError, match="--template"):
        build.document_for(project, loaded, name)
