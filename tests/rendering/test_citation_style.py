"""The citation style and typography of both shipped templates, in the document and in both formats."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest

from factsheet.pipeline import build
from factsheet.project import Project
from factsheet.rendering import markup
from factsheet.rendering.document import NoteRef, Paragraph, plain_text
from factsheet.rendering.typography import quoted, smart_quotes
from factsheet.sources.model import Figure

import required
from conftest import NK_SHEET, REPO

#: Words that say a value is unknown: none of them is ever printed.
BANNED = (
    "not recorded",
    "n.d.",
    "n.d,",
    "URL not recorded",
    "author not recorded",
    "Outlet not recorded",
    "headline not recorded",
    "unknown",
    "“”",
    "““",
    "””",
)
SEED_IDS = (
    "nk-training-wp-summary",
    "nk-officers-intel-kovalenko",
    "isw-several-thousand-frontline",
    "zelenskyy-nk-contingent",
    "skorea-3000-more-troops",
)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module", params=["brief", "dossier"])
def built(request):
    """Return (template, document, outputs) for the North Korea sheet."""
    project = Project(REPO)
    document = build.document_for(project, build.load_sheet(project, NK_SHEET), request.param)
    return request.param, document, {fmt: build.render(document, fmt) for fmt in ("docx", "pdf")}


def _pdf_text(data: bytes) -> str:
    tool = required.tool("pdftotext", hint="poppler-utils")
    return subprocess.run([tool, "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def _docx_xml(data: bytes, part: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(part).decode()


def _docx_text(data: bytes) -> str:
    return " ".join(
        re.sub(r"<[^>]+>", " ", _docx_xml(data, p))
        for p in ("word/document.xml", "word/footnotes.xml", "word/footer1.xml")
    )


def test_nothing_unknown_is_printed(built):
    template, _, outputs = built
    for text in (_pdf_text(outputs["pdf"]), _docx_text(outputs["docx"])):
        for banned in BANNED:
            assert banned not in text, f"{template}: {banned!r} is printed"


def test_no_two_notes_are_the_same_and_no_seed_id_is_printed(built):
    template, document, _ = built
    notes = [plain_text(n.inlines) for n in document.footnotes]
    assert len(notes) == len(set(notes))
    for note in notes:
        assert not any(seed in note for seed in SEED_IDS), note
    annex = [h.plain_text for h in document.headings()].index("Sources")
    headings = [b for b in document.blocks if hasattr(b, "level")]
    start = document.blocks.index(headings[annex])
    for block in document.blocks[:start]:
        text = plain_text(getattr(block, "inlines", ()))
        assert not any(seed in text for seed in SEED_IDS), text
    annex_text = " ".join(plain_text(b.inlines) for b in document.blocks[start:] if isinstance(b, Paragraph))
    assert annex_text and not any(seed in annex_text for seed in SEED_IDS)  # articles named in words only


def test_the_brief_annex_quotes_every_passage_the_brief_relies_on():
    project = Project(REPO)
    loaded = build.load_sheet(project, NK_SHEET)
    document = build.document_for(project, loaded)
    quotes = [
        plain_text(b.inlines) for b in document.blocks if isinstance(b, Paragraph) and b.role == "quote"
    ]
    assert len(quotes) >= 15  # the brief shows fewer claims than the sheet; the annex quotes theirs
    sheet_quotes = {c.quote for claim in loaded.sheet.claims for c in claim.citations}
    for q in quotes:  # verbatim: the quote, in marks only when it has none of its own
        assert q in sheet_quotes or q[1:-1] in sheet_quotes, q
    assert "A Kremlin spokesman dismissed these claims, calling them a “hoax.”" in quotes


def test_docx_keeps_line_breaks_pages_itself_and_cites_a_note_again_by_noteref(built):
    template, document, outputs = built
    body = _docx_xml(outputs["docx"], "word/document.xml")
    footer = _docx_xml(outputs["docx"], "word/footer1.xml")
    assert "<w:br/>" in body
    assert "NUMPAGES" in footer and " PAGE " in footer and "Page " in footer
    first_refs = len(re.findall(r"<w:footnoteReference ", body))
    assert first_refs == len(document.footnotes)
    refs = re.findall(r"NOTEREF (_RefNote\d+) \\f \\h", body)
    assert refs, "a repeated reference is a NOTEREF field"
    marks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="(_RefNote\d+)"', body))
    assert set(refs) <= marks
    assert "ChartText" not in body  # the chart's text alternative is its description, not a box


def test_brief_is_at_most_four_pages_and_the_dossier_is_the_full_record(built):
    template, _, outputs = built
    pages = _pdf_text(outputs["pdf"]).count("\f")
    assert pages <= 4 if template == "brief" else pages > 4


def test_repeated_reference_in_the_pdf_links_to_the_first_note():
    doc = markup.parse(
        '<brief><p>One<note><cite key="a"><first>Full</first><again>Short</again></cite></note></p>'
        '<p>Two<note><cite key="a"><first>Full</first><again>Short</again></cite></note></p></brief>',
        "t",
    )
    assert [i.number for b in doc.blocks for i in b.inlines if isinstance(i, NoteRef)] == [1, 1]
    from factsheet.writers.pdf import render_pdf

    rendered = render_pdf(doc)
    assert rendered.notes_by_page == {1: (1,)}
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(rendered.data)) as pdf:
        targets = [
            repr(a.Dest) if "/Dest" in a else repr(a.A.D)
            for page in pdf.pages
            for a in page.obj.get("/Annots", [])
            if str(a.Contents).startswith("Note ")
        ]
    assert len(targets) == 2 and targets[0] == targets[1]  # both references link to the one note


def test_later_citation_uses_the_short_form_and_one_article_quoted_twice_is_one_note():
    cite = '<cite key="a"><first>Jane Roe, “Headline,” Wire.</first><again>Roe, “Headline.”</again></cite>'
    doc = markup.parse(
        f"<brief><p>x<note>{cite} Quoted: <q>“one</q>; <q>two</q></note></p>"
        f"<p>y<note>{cite} Quoted: <q>three</q></note></p></brief>",
        "t",
    )
    assert [plain_text(n.inlines) for n in doc.footnotes] == [
        "Jane Roe, “Headline,” Wire. Quoted: “one; two",
        "Roe, “Headline.” Quoted: three",
    ]


def test_typography():
    assert (
        smart_quotes("\"hoax\" and officers' role, 'Several thousands' in the '90s")
        == "“hoax” and officers’ role, ‘Several thousands’ in the ’90s"
    )
    assert quoted("plain") == "“plain”" and quoted("“I do not know") == "“I do not know"
    assert quoted('a "hoax."') == 'a "hoax."'
    assert (
        Figure("artillery", "artillery pieces", qualifier="hundreds").describe()
        == "hundreds of artillery pieces"
    )
    assert (
        Figure("troops", "soldiers", qualifier="several thousand").describe() == "several thousand soldiers"
    )
    doc = markup.parse('<brief><p>He said "no" and it\'s <q>"kept" it\'s</q></p></brief>', "t")
    assert plain_text(doc.blocks[0].inlines) == 'He said “no” and it’s "kept" it\'s'


def test_counts_read_as_english(tmp_path):
    from factsheet.rendering.templating import _plural

    assert (_plural(1, "claim"), _plural(34, "claim"), _plural(1, "source article")) == (
        "1 claim",
        "34 claims",
        "1 source article",
    )
