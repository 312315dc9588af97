"""A warm PDF writer (watch, export, serve) keeps parses, font programs and compressed streams: never their effect."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

import pytest

from factsheet.pipeline.build import Pipeline
from factsheet.project import Project
from factsheet.rendering.document import Document, Footnote, NoteRef, Paragraph, Text
from factsheet.writers.pdf import paraparse, pdffile, write_pdf
from factsheet.writers.pdf.paragraph_styles import STYLES

from conftest import NK_SHEET, REPO

FLOOD = REPO / "tests" / "stories" / "zlatovrh-flood"


def _forget() -> None:
    """Empty every cache a PDF writer keeps, as in a process that has written nothing yet."""
    paraparse._parsed.clear()
    pdffile._recent.items.clear()
    pdffile._recent.size = 0
    from reportlab.pdfbase import pdfmetrics

    for name in pdfmetrics.getRegisteredFontNames():
        subsets = getattr(pdfmetrics.getFont(name).face, "_subsets", None)
        if subsets is not None:
            subsets.clear()


def _document(root: Path, template: str) -> Document:
    pipeline = Pipeline(Project(root), template)
    sheet = next((root / "factsheets").glob("*.yaml"))
    return pipeline.loaded_document(pipeline.load(sheet))


@pytest.fixture(scope="module", autouse=True)
def prepared() -> None:
    """The faces registered, as in a writer process."""
    from factsheet.writers.pdf import prepare

    prepare()


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Document]:
    flood = tmp_path_factory.mktemp("flood") / "project"
    shutil.copytree(FLOOD, flood)
    shutil.copytree(NK_SHEET.parents[1] / "templates", flood / "templates")
    return {
        "brief": _document(NK_SHEET.parents[1], "brief"),
        "dossier": _document(NK_SHEET.parents[1], "dossier"),
        "flood": _document(flood, "brief"),
    }


def test_each_pdf_a_warm_writer_writes_is_the_one_a_fresh_writer_writes(documents):
    fresh = {}
    for name, document in documents.items():
        _forget()
        fresh[name] = write_pdf(document)
    for name in ["brief", "flood", "brief", "dossier", "flood", "dossier", "brief"]:
        assert write_pdf(documents[name]) == fresh[name], name
    assert paraparse._parsed and pdffile._recent.items  # the writes above did use what was kept


def test_a_paragraphs_parse_is_kept_and_each_paragraph_gets_its_own_fragments():
    markup = "An <b>8,000</b> soldier <i>estimate</i>"
    first = paraparse.parsed(markup, STYLES["body"], 1)
    first[3][0].text = "changed by layout"
    second = paraparse.parsed(markup, STYLES["body"], 1)
    assert [f.text for f in second[3]] == ["An ", "8,000", " soldier ", "estimate"]
    assert {id(f) for f in first[3]}.isdisjoint(id(f) for f in second[3])


def test_markup_reportlab_cannot_read_fails_as_it_does_and_is_not_kept():
    from reportlab.platypus import Paragraph as ReportlabParagraph

    with pytest.raises(ValueError) as theirs:
        ReportlabParagraph("<b>unclosed", STYLES["body"])
    with pytest.raises(ValueError) as ours:
        paraparse.parsed("<b>unclosed", STYLES["body"], 1)
    assert str(ours.value) == str(theirs.value)
    assert ("<b>unclosed", STYLES["body"], 1) not in paraparse._parsed


def test_kept_parses_are_bounded(monkeypatch):
    monkeypatch.setattr(paraparse, "KEPT", 3)
    for n in range(10):
        paraparse.parsed(f"paragraph {n}", STYLES["body"], 1)
    assert len(paraparse._parsed) == 3
    assert ("paragraph 9", STYLES["body"], 1) in paraparse._parsed


def test_kept_streams_are_compressed_as_zlib_does_and_bounded(monkeypatch):
    monkeypatch.setattr(pdffile, "_recent", pdffile._Recent(3 * 4096))
    streams = [bytes([n]) * 4096 for n in range(8)]
    for data in streams + streams[:2]:
        assert pdffile.compressed(data) == zlib.compress(data)
    assert pdffile._recent.size <= 3 * 4096
    assert streams[1] in pdffile._recent.items and streams[2] not in pdffile._recent.items
    assert pdffile.compressed(b"short") == zlib.compress(b"short")
    assert b"short" not in pdffile._recent.items  # too short to keep


def test_a_face_keeps_a_few_font_programs_each_the_one_reportlab_makes():
    from reportlab.pdfbase.ttfonts import TTFontFace

    document = Document(
        title="t",
        blocks=[Paragraph([Text("Ab"), NoteRef(1)])],
        footnotes=[Footnote(1, [Text("note")])],
    )
    write_pdf(document)  # registers the faces
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont("DejaVuSerif").face
    subsets = [[0, 36 + n, 37 + n] for n in range(face.KEPT_SUBSETS + 2)]
    for subset in subsets:
        assert face.makeSubset(subset) == TTFontFace.makeSubset(face, subset)
    assert len(face._subsets) == face.KEPT_SUBSETS
    assert tuple(subsets[-1]) in face._subsets and tuple(subsets[0]) not in face._subsets
