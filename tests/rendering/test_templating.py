"""Templates: one template drives the document; errors name template file and line."""

from __future__ import annotations

import pytest

from factsheet.errors import TemplateError, UsageError
from factsheet.pipeline import build
from factsheet.project import Project
from factsheet.rendering.document import NoteRef, Table, plain_text

from conftest import NK_PROJECT, NK_SHEET, REPO


@pytest.fixture(scope="module")
def nk_document():
    project = Project(NK_PROJECT)
    return build.document_for(project, build.load_sheet(project, NK_SHEET))


def test_default_brief_has_the_sections_editors_expect(nk_document):
    headings = [h.plain_text for h in nk_document.headings()]
    assert headings[0] == "North Korean troops in Russia\u2019s war against Ukraine"
    for wanted in ("Figures at a glance", "Conflicting accounts and denials", "Sources"):
        assert wanted in headings
    assert "Key dates" not in headings  # the dossier's timeline has them; the brief counts what it leaves out
    assert nk_document.date == "2025-02-01"  # as_of: 2025-02, the first day it can mean
    assert nk_document.footer.endswith("as of February 2025")
    assert nk_document.title == headings[0]


def test_dossier_keeps_the_full_record():
    project = Project(NK_PROJECT)
    document = build.document_for(project, build.load_sheet(project, NK_SHEET), "dossier")
    headings = [h.plain_text for h in document.headings()]
    for wanted in (
        "The deployment in brief",
        "Timeline",
        "Key figures",
        "Who says what",
        "Conflicting accounts and denials",
        "Sources",
    ):
        assert wanted in headings
    notes = [plain_text(n.inlines) for n in document.footnotes]
    assert sum("Quoted:" in n for n in notes) >= 30


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
    first = [n for i, n in enumerate(refs) if n not in refs[:i]]
    assert first == list(range(1, len(nk_document.footnotes) + 1))
    assert len(refs) > len(first)  # later citations of an article repeat its note


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
        '<brief title="x">\n<h1>{{ sheet.title }}</h1>\n<p>{{ sheet.no_such_field }}</p>\n</brief>\n',
        encoding="utf-8",
    )
    proj = Project(project)
    loaded = build.load_sheet(proj, project / "factsheets" / "north-korea-troops-russia.yaml")
    with pytest.raises(TemplateError) as err:
        build.document_for(proj, loaded, "broken")
    assert str(err.value).startswith("templates/broken.xml.j2:3: ")
    assert "no_such_field" in str(err.value)
    assert str(err.value).endswith(": <p>{{ sheet.no_such_field }}</p>")


def test_copied_template_with_changed_wording_is_picked_by_name(project):
    original = (project / "templates" / "brief.xml.j2").read_text(encoding="utf-8")
    (project / "templates" / "desk.xml.j2").write_text(
        original.replace("Conflicting accounts and denials", "Who said it"), encoding="utf-8"
    )
    proj = Project(project)
    loaded = build.load_sheet(proj, project / "factsheets" / "north-korea-troops-russia.yaml")
    headings = [h.plain_text for h in build.document_for(proj, loaded, "desk").headings()]
    assert "Who said it" in headings and "Conflicting accounts and denials" not in headings


@pytest.mark.parametrize("name", ["../brief", "/etc/passwd", "nope", "brief.xml.j2"])
def test_template_name_cannot_leave_the_folder_or_be_missing(name):
    project = Project(NK_PROJECT)
    loaded = build.load_sheet(project, NK_SHEET)
    with pytest.raises(UsageError, match="--template"):
        build.document_for(project, loaded, name)


def _markup_error(project, name: str) -> str:
    proj = Project(project)
    loaded = build.load_sheet(proj, project / "factsheets" / "north-korea-troops-russia.yaml")
    with pytest.raises(TemplateError) as err:
        build.document_for(proj, loaded, name)
    return str(err.value)


def test_malformed_markup_names_the_template_line_past_comments_and_loops(project):
    (project / "templates" / "tags.xml.j2").write_text(
        '<brief title="{{ sheet.title }}">\n'
        "{#- a comment\n    over two lines -#}\n"
        "{% for claim in sheet.claims %}\n<p>{{ claim.text }}</p>\n{% endfor %}\n"
        "<h2>Key figures</h3>\n"
        "</brief>\n",
        encoding="utf-8",
    )
    message = _markup_error(project, "tags")
    assert message.startswith("templates/tags.xml.j2:7: the template wrote malformed markup (mismatched tag)")
    assert message.endswith(": <h2>Key figures</h3>")
    assert "output line" not in message


def test_invalid_markup_in_an_included_part_names_that_part(project):
    (project / "templates" / "_part.xml.j2").write_text(
        "<h2>Part</h2>\n<table>\n<tr><th>A</th><th>B</th></tr>\n<tr><td>{{ sheet.title }}</td></tr>\n</table>\n",
        encoding="utf-8",
    )
    (project / "templates" / "whole.xml.j2").write_text(
        '<brief title="x">\n<h1>{{ sheet.title }}</h1>\n{% include "_part.xml.j2" %}\n</brief>\n',
        encoding="utf-8",
    )
    message = _markup_error(project, "whole")
    assert message.startswith(
        "templates/_part.xml.j2:4: the template wrote invalid markup: <tr>: "
        "row has 1 cells, the header has 2: <tr><td>{{ sheet.title }}</td></tr>"
    )
    assert message.endswith(
        "(it wrote: <tr><td>North Korean troops in Russia&#39;s war against Ukraine</td></tr>)"
    )


def test_the_one_page_example_of_docs_templates_md_builds_one_page(project):
    """The worked example in docs/templates.md, copied as a reader would, renders a one-page brief."""
    import re
    import shutil

    from factsheet.writers.pdf import write_pdf

    doc = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```jinja\n(.*?)```", doc, re.S)
    (project / "templates" / "onepage.xml.j2").write_text(example, encoding="utf-8")
    sheet = project / "factsheets" / "small.yaml"
    shutil.copy(REPO / "tests" / "hostile" / "base.yaml", sheet)  # a fixture sheet: one claim, one figure
    proj = Project(project)
    document = build.document_for(proj, build.load_sheet(proj, sheet), "onepage")
    assert [h.plain_text for h in document.headings()] == ["Test sheet", "The figures"]
    assert [b for b in document.blocks if isinstance(b, Table)][0].rows[0][1][
        0
    ].text == "several thousand soldiers"
    assert len(document.footnotes) == 1  # one note per cited article
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(write_pdf(document))) as pdf:
        assert len(pdf.pages) == 1


def test_annex_passages_leave_out_a_quote_inside_a_longer_one():
    from factsheet.rendering.templating import _passages

    quotes = [
        "deployed in January",
        "were deployed in January and February",
        "deployed  in January",
        "other",
        "other",
    ]
    assert _passages(quotes) == ["were deployed in January and February", "other"]
