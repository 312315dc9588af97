"""The DOCX writer: package structure, native footnotes, styles, text, reproducibility."""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import mammoth
import docx
import docx.oxml.settings
import pytest
from fontTools.ttLib import TTFont

from factsheet.rendering import document as m
from factsheet.errors import RenderError
from factsheet.writers.fonts import face, face_path
from factsheet.writers.docx import fontembed, ooxml, write_docx
from factsheet.writers.docx import word_styles as S
from conftest import import_or_skip

FIXTURES = Path(__file__).parent / "docx_fixtures"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"docx_fixtures_{name}", FIXTURES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


briefs = _load("briefs")
reading = _load("reading")
w = reading.w
Package = reading.Package

SEPARATOR_TYPES = ("separator", "continuationSeparator")


@pytest.fixture(scope="module")
def full_doc():
    return briefs.full_brief()


@pytest.fixture(scope="module")
def full(full_doc):
    return Package(write_docx(full_doc))


@pytest.fixture(scope="module")
def tricky_doc():
    return briefs.tricky_brief()


@pytest.fixture(scope="module")
def tricky(tricky_doc):
    return Package(write_docx(tricky_doc))


def small(*blocks, notes=(), **fields) -> m.Document:
    """Return a one-off document; ``notes`` are footnote texts numbered from 1."""
    return m.Document(
        title=fields.pop("title", "Small"),
        blocks=list(blocks),
        footnotes=[m.Footnote(i, (m.Text(t),)) for i, t in enumerate(notes, start=1)],
        date=fields.pop("date", "2025-01-01"),
        **fields,
    )


def body_paragraphs(pkg):
    return pkg.xml("word/document.xml").find(w("body")).findall(w("p"))


# -- package ------------------------------------------------------------------------


def test_package_has_the_parts_word_needs_and_nothing_stale(full):
    names = set(full.names())
    for name in (
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/styles.xml",
        "word/settings.xml",
        "word/footnotes.xml",
        "word/fontTable.xml",
        "word/numbering.xml",
        "docProps/core.xml",
        "docProps/app.xml",
    ):
        assert name in names
    assert not any("thumbnail" in n or "stylesWithEffects" in n or "customXml" in n for n in names)
    assert b"python-docx" not in b"".join(full.entries.values())


def test_every_part_has_a_content_type_and_every_relationship_a_target(full):
    types = full.content_types()
    assert types["/word/footnotes.xml"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    )
    assert types["/word/fontTable.xml"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"
    )
    for name, ctype in types.items():
        assert ctype, f"{name} has no content type"
        if name.endswith(".odttf"):
            assert ctype == "application/vnd.openxmlformats-officedocument.obfuscatedFont"
    for name in full.entries:
        if name.endswith(".rels"):
            folder, _, base = name.rpartition("_rels/")
            source = "/" + folder + base[: -len(".rels")] if base != ".rels" else "/"
            for _, target in full.rels(source.rstrip("/") or "/").values():
                assert target.lstrip("/") in full.entries, f"{name}: {target} missing"


def test_document_part_relates_footnotes_and_font_table(full):
    rels = full.rels("/word/document.xml")
    by_type = {t.rpartition("/")[2]: target for t, target in rels.values()}
    assert by_type["footnotes"] == "/word/footnotes.xml"
    assert by_type["fontTable"] == "/word/fontTable.xml"


# -- footnotes ----------------------------------------------------------------------


def _notes(pkg):
    return pkg.xml("word/footnotes.xml").findall(w("footnote"))


def test_separator_notes_hold_only_separators(full):
    notes = _notes(full)
    separators = [n for n in notes if n.get(w("type")) in SEPARATOR_TYPES]
    assert sorted(n.get(w("type")) for n in separators) == sorted(SEPARATOR_TYPES)
    for note in separators:
        kind = note.get(w("type"))
        (p,) = note.findall(w("p"))
        runs = p.findall(w("r"))
        assert len(runs) == 1
        assert [child.tag for child in runs[0]] == [w(kind)]
        assert not list(note.iter(w("footnoteRef"))) and not list(note.iter(w("t")))


def test_content_notes_are_numbered_like_the_model_and_start_with_their_mark(full, full_doc):
    notes = _notes(full)
    ids = [int(n.get(w("id"))) for n in notes]
    assert len(ids) == len(set(ids)), "footnote ids must be unique"
    separator_ids = {int(n.get(w("id"))) for n in notes if n.get(w("type")) in SEPARATOR_TYPES}
    content = [n for n in notes if n.get(w("type")) not in SEPARATOR_TYPES]
    content_ids = [int(n.get(w("id"))) for n in content]
    assert content_ids == [f.number for f in full_doc.footnotes] == list(range(1, 61))
    assert not separator_ids & set(content_ids)
    for note, model in zip(content, full_doc.footnotes):
        p = note.find(w("p"))
        assert reading.paragraph_style(p) == "FootnoteText"
        first = p.find(w("r"))
        assert first.find(f"{w('rPr')}/{w('rStyle')}").get(w("val")) == "FootnoteReference"
        assert first.find(w("footnoteRef")) is not None
        assert reading.paragraph_text(p).strip() == m.plain_text(model.inlines)
        assert note.get(w("type")) is None


def test_every_reference_has_a_note_and_every_note_one_reference(full):
    stories = [full.xml("word/document.xml")]
    refs = [r for story in stories for r in story.iter(w("footnoteReference"))]
    numbers = [int(r.get(w("id"))) for r in refs]
    assert numbers == list(range(1, 61)), "references appear once each, in note order"
    for ref in refs:
        run = ref.getparent()
        assert run.tag == w("r")
        assert run.find(f"{w('rPr')}/{w('rStyle')}").get(w("val")) == "FootnoteReference"
    note_ids = {int(n.get(w("id"))) for n in _notes(full) if n.get(w("type")) not in SEPARATOR_TYPES}
    assert set(numbers) == note_ids
    # no note marks outside the notes part, no references inside it
    assert not list(full.xml("word/document.xml").iter(w("footnoteRef")))
    assert not list(full.xml("word/footnotes.xml").iter(w("footnoteReference")))


def test_adjacent_references_are_separated_by_a_superscript_comma():
    doc = small(
        m.Paragraph((m.Text("Claim"), m.NoteRef(1), m.NoteRef(2), m.Text(" and"), m.NoteRef(3))),
        notes=["a", "b", "c"],
    )
    (p,) = body_paragraphs(Package(write_docx(doc)))
    runs = [
        (
            "ref:" + r.find(w("footnoteReference")).get(w("id"))
            if r.find(w("footnoteReference")) is not None
            else reading.paragraph_text(r),
            r.find(f"{w('rPr')}/{w('rStyle')}") is not None,
        )
        for r in p.findall(w("r"))
    ]
    assert runs == [
        ("Claim", False),
        ("ref:1", True),
        (",", True),
        ("ref:2", True),
        (" and", False),
        ("ref:3", True),
    ]


def test_settings_name_the_separator_notes(full):
    settings = full.xml("word/settings.xml")
    footnote_pr = settings.find(w("footnotePr"))
    named = [int(f.get(w("id"))) for f in footnote_pr.findall(w("footnote"))]
    by_id = {int(n.get(w("id"))): n.get(w("type")) for n in _notes(full)}
    assert sorted(by_id[i] for i in named) == sorted(SEPARATOR_TYPES)
    assert settings.find(w("endnotePr")) is None  # there are no endnotes to name


def _schema_settings_sequence() -> list[str]:
    """Return CT_Settings' child sequence as python-docx spells it (an independent copy)."""
    source = inspect.getsource(docx.oxml.settings)
    block = re.search(r"_tag_seq = \((.*?)\)", source, re.S).group(1)
    return [name.split(":")[-1] for name in re.findall(r'"([a-z0-9]+:\w+)"', block)]


def test_settings_children_follow_the_schema_sequence(full):
    sequence = _schema_settings_sequence()
    assert len(sequence) > 90
    assert [n.split(":")[-1] for n in ooxml.SETTINGS_ORDER] == sequence
    rank = {name: i for i, name in enumerate(sequence)}
    settings = full.xml("word/settings.xml")
    positions = [
        rank[c.tag.rpartition("}")[2]]
        for c in settings
        if c.tag.rpartition("}")[2] in rank and "wordml" not in c.tag
    ]
    assert positions == sorted(positions), "settings.xml children out of CT_Settings order"
    names = [c.tag.rpartition("}")[2] for c in settings]
    assert names.index("footnotePr") < names.index("compat")
    assert "embedTrueTypeFonts" in names and "saveSubsetFonts" in names


def test_document_without_notes_has_no_footnotes_part():
    pkg = Package(write_docx(small(m.Paragraph((m.Text("No sources."),)))))
    assert "word/footnotes.xml" not in pkg.entries
    assert pkg.xml("word/settings.xml").find(w("footnotePr")) is None


def test_mammoth_reads_every_footnote(full, full_doc):
    result = mammoth.convert_to_html(io.BytesIO(full.data))
    html = result.value
    assert html.count('<li id="footnote-') == len(full_doc.footnotes)
    assert html.count('id="footnote-ref-') == len(full_doc.footnotes)
    assert "<ul><li>Claim" in html  # bullet paragraphs are a real list
    assert "<table>" in html


# -- styles -------------------------------------------------------------------------


def _styles(pkg):
    root = pkg.xml("word/styles.xml")
    return root, {s.get(w("styleId")): s for s in root.findall(w("style"))}


def test_footnote_styles_exist_with_explicit_ids(full):
    _, styles = _styles(full)
    text = styles["FootnoteText"]
    assert text.get(w("type")) == "paragraph"
    assert text.find(w("name")).get(w("val")) == "footnote text"
    ref = styles["FootnoteReference"]
    assert ref.get(w("type")) == "character"
    assert ref.find(f"{w('rPr')}/{w('vertAlign')}").get(w("val")) == "superscript"


def test_style_fonts_sizes_and_language(full):
    root, styles = _styles(full)

    def font(style_id):
        return styles[style_id].find(f"{w('rPr')}/{w('rFonts')}").get(w("ascii"))

    def size(style_id):
        return int(styles[style_id].find(f"{w('rPr')}/{w('sz')}").get(w("val"))) / 2

    assert font("Normal") == "DejaVu Serif" and size("Normal") == 10.5
    for heading in ("Heading1", "Heading2", "Heading3", "TableText", "TableHeading"):
        assert font(heading) == "DejaVu Sans"
    assert 8.5 <= size("TableText") <= 9
    assert size("Heading1") > size("Heading2") > size("Heading3") > size("Normal")
    assert styles["Dek"].find(f"{w('rPr')}/{w('i')}") is not None
    assert size("Dek") > size("Normal")
    assert size("Meta") < size("Normal")
    assert styles["Meta"].find(f"{w('rPr')}/{w('color')}").get(w("val")) == S.GREY
    for name in ("Heading1", "Heading2", "Heading3"):
        assert styles[name].find(w("name")).get(w("val")) == name.replace("Heading", "heading ")
    lang = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
    assert lang.get(w("val")) == "en-US"
    assert styles["Normal"].find(f"{w('rPr')}/{w('lang')}").get(w("val")) == "en-US"
    # explicit fonts only: a theme font attribute would override them
    for fonts in root.iter(w("rFonts")):
        assert not [a for a in fonts.attrib if "Theme" in a]


def test_every_style_used_is_defined(full):
    _, styles = _styles(full)
    for name in ("word/document.xml", "word/footnotes.xml", "word/footer1.xml"):
        root = full.xml(name)
        for ref in list(root.iter(w("pStyle"))) + list(root.iter(w("rStyle"))):
            assert ref.get(w("val")) in styles, f"{name} uses undefined style {ref.get(w('val'))}"


def test_paragraph_roles_map_to_styles(full):
    styles = [reading.paragraph_style(p) for p in body_paragraphs(full)]
    assert styles[:5] == ["Heading1", "Dek", "Meta", "Heading2", None]
    assert {"Heading3", "Caption", "Note", "ListBullet", "ChartTitle"} <= set(styles)
    assert "ChartText" not in styles  # a chart's text alternative is its picture's description


def test_lead_role_has_a_style_and_unknown_roles_are_body_text():
    pkg = Package(
        write_docx(
            small(
                m.Paragraph((m.Text("Summary"),), role="lead"),
                m.Paragraph((m.Text("Quote"),), role="pullquote"),
            )
        )
    )
    assert [reading.paragraph_style(p) for p in body_paragraphs(pkg)] == ["Lead", None]


def test_language_tags():
    def lang(language):
        pkg = Package(write_docx(small(m.Paragraph((m.Text("x"),)), language=language)))
        root = pkg.xml("word/styles.xml")
        return root.find(f".//{w('rPrDefault')}/{w('rPr')}/{w('lang')}").get(w("val"))

    assert lang("pl") == "pl-PL"
    assert lang("en-GB") == "en-GB"
    with pytest.raises(RenderError, match="language"):
        write_docx(small(language="english please"))


# -- blocks -------------------------------------------------------------------------


def test_bullet_list_paragraphs_use_a_bullet_numbering(full):
    numbering = full.xml("word/numbering.xml")
    num = numbering.find(w("num"))
    abstract_id = num.find(w("abstractNumId")).get(w("val"))
    abstract = [a for a in numbering.findall(w("abstractNum")) if a.get(w("abstractNumId")) == abstract_id][0]
    lvl = abstract.find(w("lvl"))
    assert lvl.find(w("numFmt")).get(w("val")) == "bullet"
    assert lvl.find(w("lvlText")).get(w("val")) == S.BULLET_CHAR
    _, styles = _styles(full)
    num_pr = styles["ListBullet"].find(f"{w('pPr')}/{w('numPr')}")
    assert num_pr.find(w("numId")).get(w("val")) == num.get(w("numId"))
    items = [p for p in body_paragraphs(full) if reading.paragraph_style(p) == "ListBullet"]
    assert len(items) == 10


def test_table_is_a_real_table_with_repeating_header(full, full_doc):
    (tbl,) = full.xml("word/document.xml").iter(w("tbl"))
    rows = tbl.findall(w("tr"))
    model = next(b for b in full_doc.blocks if isinstance(b, m.Table))
    assert len(rows) == 1 + len(model.rows)
    assert rows[0].find(f"{w('trPr')}/{w('tblHeader')}") is not None
    assert all(r.find(f"{w('trPr')}/{w('tblHeader')}") is None for r in rows[1:])
    grid = [int(c.get(w("w"))) for c in tbl.find(w("tblGrid")).findall(w("gridCol"))]
    assert sum(grid) == S.TEXT_WIDTH
    assert grid[1] == pytest.approx(3 * grid[0], abs=2) and grid[2] == pytest.approx(2 * grid[0], abs=2)
    for row in rows:
        widths = [int(tc.find(f"{w('tcPr')}/{w('tcW')}").get(w("w"))) for tc in row.findall(w("tc"))]
        assert widths == grid
    borders = tbl.find(f"{w('tblPr')}/{w('tblBorders')}")
    assert {b.tag.rpartition("}")[2] for b in borders} >= {"top", "bottom", "insideH", "insideV"}
    header_styles = {reading.paragraph_style(p) for p in rows[0].iter(w("p"))}
    body_styles = {reading.paragraph_style(p) for r in rows[1:] for p in r.iter(w("p"))}
    assert header_styles == {"TableHeading"} and body_styles == {"TableText"}
    assert len(list(tbl.iter(w("footnoteReference")))) == 2 * len(model.rows)
    tbl_pr_order = [c.tag.rpartition("}")[2] for c in tbl.find(w("tblPr"))]
    assert tbl_pr_order == sorted(tbl_pr_order, key=ooxml.TBLPR_ORDER.index)


def test_caption_after_a_table_is_kept_with_its_last_row(full):
    (tbl,) = full.xml("word/document.xml").iter(w("tbl"))
    last = tbl.findall(w("tr"))[-1]
    assert all(p.find(f"{w('pPr')}/{w('keepNext')}") is not None for p in last.iter(w("p")))
    caption = tbl.getnext()
    assert reading.paragraph_style(caption) == "Caption"


def test_empty_document_has_one_paragraph():
    pkg = Package(write_docx(small()))
    kinds = [c.tag.rpartition("}")[2] for c in pkg.xml("word/document.xml").find(w("body"))]
    assert kinds == ["p", "sectPr"]


def test_adjacent_and_final_tables_are_separated_by_paragraphs():
    table = m.Table(header=((m.Text("A"),),), rows=(((m.Text("1"),),),))
    pkg = Package(write_docx(small(table, table)))
    kinds = [c.tag.rpartition("}")[2] for c in pkg.xml("word/document.xml").find(w("body"))]
    assert kinds == ["tbl", "p", "tbl", "p", "sectPr"]


WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
RT_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def pictures(pkg):
    """Return every ``wp:inline`` of the body, in reading order."""
    return list(pkg.xml("word/document.xml").iter(f"{{{WP}}}inline"))


def picture_bytes(pkg, inline) -> bytes:
    (blip,) = inline.iter(f"{{{A}}}blip")
    kind, target = pkg.rels("/word/document.xml")[blip.get(f"{{{reading.R}}}embed")]
    assert kind == RT_IMAGE
    return pkg.entries[target.lstrip("/")]


def chart_doc(*charts, **fields) -> m.Document:
    return small(*charts, notes=[f"note {c}" for c in range(1, len(charts) + 1)], **fields)


def a_chart(
    title="Troops sent", value=11000.0, alt="Chart: Troops sent. Seoul: 11,000, 2024.", change="", note=1
) -> m.Chart:
    return m.Chart(
        title,
        (m.Text("By who gave the figure."), m.NoteRef(note)),
        alt,
        "soldiers",
        (m.Series("Seoul", ((19900.0, value),), (f"{value:,.0f}",)),),
        ((19800.0, "2024"), (20200.0, "2025")),
        change=change,
    )


def test_chart_is_title_and_picture_then_caption_and_no_visible_text_alternative(full, full_doc):
    chart = next(b for b in full_doc.blocks if isinstance(b, m.Chart))
    paragraphs = body_paragraphs(full)
    (at,) = [i for i, p in enumerate(paragraphs) if reading.paragraph_style(p) == "ChartTitle"]
    title, caption, following = paragraphs[at : at + 3]
    assert reading.paragraph_text(title) == chart.title
    runs = title.findall(w("r"))
    assert [c.tag for c in runs[-1]] == [w("br"), w("drawing")]  # the title, then the picture
    assert reading.paragraph_style(caption) == "Caption"
    assert reading.paragraph_text(caption) == m.plain_text(chart.caption)
    assert caption.find(f".//{w('footnoteReference')}") is not None
    # the text alternative is the picture's description (Word's alt text), not a box on the page
    assert reading.paragraph_text(following) != chart.alt_text
    assert chart.alt_text and chart.alt_text not in "".join(reading.paragraph_text(p) for p in paragraphs)


def test_chart_picture_is_an_inline_png_as_wide_as_the_text(full, full_doc):
    from PIL import Image

    from factsheet.rendering import chartgeometry
    from factsheet.writers.docx.chart_picture import chart_png

    chart = next(b for b in full_doc.blocks if isinstance(b, m.Chart))
    (inline,) = pictures(full)
    extent = inline.find(f"{{{WP}}}extent")
    cx, cy = int(extent.get("cx")), int(extent.get("cy"))
    assert cx == S.TEXT_WIDTH * 635  # EMU per twip
    data = picture_bytes(full, inline)
    width, height = Image.open(io.BytesIO(data)).size
    # the chart geometry's size in points at the PNG's resolution (459.2 pt wide at 200 dpi, rounded;
    # at least 195 pt high, more with a lane of figures given only in words)
    plan = chartgeometry.layout(dataclasses.replace(chart, title=""))
    assert (width, height) == (1276, round(plan.height * 200 / 72)) and height >= 542
    assert abs(cy - cx * height / width) <= 1
    assert data == chart_png(dataclasses.replace(chart, title=""))  # the paragraph shows the title
    pic = inline.find(f"{{{A}}}graphic/{{{A}}}graphicData/{{{PIC}}}pic")
    assert pic is not None
    ext = pic.find(f"{{{PIC}}}spPr/{{{A}}}xfrm/{{{A}}}ext")
    assert (int(ext.get("cx")), int(ext.get("cy"))) == (cx, cy)
    locks = inline.find(f"{{{WP}}}cNvGraphicFramePr/{{{A}}}graphicFrameLocks")
    assert locks.get("noChangeAspect") == "1"
    (name,) = [n for n in full.names() if n.startswith("word/media/")]
    assert name == "word/media/image1.png"
    assert full.content_types()["/word/media/image1.png"] == "image/png"
    types = full.xml("[Content_Types].xml")
    assert {d.get("Extension"): d.get("ContentType") for d in types.findall("ct:Default", reading.NS)}[
        "png"
    ] == "image/png"


def test_chart_picture_carries_the_text_alternative_and_the_title(full, full_doc):
    chart = next(b for b in full_doc.blocks if isinstance(b, m.Chart))
    (inline,) = pictures(full)
    doc_pr = inline.find(f"{{{WP}}}docPr")
    assert doc_pr.get("id") == "1" and doc_pr.get("name") == "Chart 1"
    assert doc_pr.get("descr") == chart.alt_text and doc_pr.get("title") == chart.title
    (nv_pr,) = inline.iter(f"{{{PIC}}}cNvPr")
    assert nv_pr.get("descr") == chart.alt_text and nv_pr.get("name") == "Chart 1"


def test_each_chart_has_its_own_picture_id_and_same_pictures_share_a_part():
    charts = (
        a_chart(note=1),
        a_chart("Troops, later", 14000.0, "Chart: 14,000.", note=2),
        a_chart("Troops sent", 11000.0, "The first again.", note=3),
    )
    pkg = Package(write_docx(chart_doc(*charts)))
    inlines = pictures(pkg)
    assert [i.find(f"{{{WP}}}docPr").get("id") for i in inlines] == ["1", "2", "3"]
    assert [i.find(f"{{{WP}}}docPr").get("descr") for i in inlines] == [c.alt_text for c in charts]
    assert sorted(n for n in pkg.names() if n.startswith("word/media/")) == [
        "word/media/image1.png",
        "word/media/image2.png",
    ]
    first, second, third = (picture_bytes(pkg, i) for i in inlines)
    assert first == third != second
    assert write_docx(chart_doc(*charts)) == pkg.data


def test_chart_without_title_is_a_picture_alone():
    pkg = Package(write_docx(chart_doc(a_chart(title=""))))
    first = body_paragraphs(pkg)[0]
    assert reading.paragraph_style(first) == "ChartTitle" and reading.paragraph_text(first) == ""
    assert first.find(f".//{w('br')}") is None
    (inline,) = pictures(pkg)
    assert "title" not in inline.find(f"{{{WP}}}docPr").attrib


def test_chart_text_alternative_is_literal_and_checked():
    pkg = Package(write_docx(chart_doc(a_chart(title="<b>A & B</b>", alt='x < y & "z"'))))
    (inline,) = pictures(pkg)
    doc_pr = inline.find(f"{{{WP}}}docPr")
    assert doc_pr.get("descr") == 'x < y & "z"' and doc_pr.get("title") == "<b>A & B</b>"
    with pytest.raises(RenderError, match="control character"):
        write_docx(chart_doc(a_chart(alt="bad\x07")))


@pytest.mark.parametrize("change, wrapper", [("ins", "ins"), ("del", "del")])
def test_a_marked_chart_tracks_its_picture_like_its_text(tmp_path, change, wrapper):
    data = write_docx(chart_doc(a_chart(change=change), revision_author="Desk"))
    pkg = Package(data)
    (inline,) = pictures(pkg)
    run = inline.getparent().getparent()
    assert run.tag == w("r") and run.getparent().tag == w(wrapper)
    title = run.getparent().getparent()
    assert title.find(f"{w('pPr')}/{w('rPr')}/{w(wrapper)}") is not None  # the paragraph mark too
    ids = [int(e.get(w("id"))) for e in pkg.xml("word/document.xml").iter(w("ins"), w("del"))]
    assert sorted(ids) == list(range(1, len(ids) + 1))
    result = _validate(tmp_path, f"{change}.docx", data)
    assert result.is_valid, [str(e) for e in result.errors]


def test_footer_has_text_and_page_n_of_m(full, full_doc):
    footer = full.xml("word/footer1.xml")
    assert full_doc.footer in reading.paragraph_text(footer)
    fields = [f.get(w("instr")).strip() for f in footer.iter(w("fldSimple"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert reading.paragraph_text(footer).endswith("Page 1 of 1")


# -- text ---------------------------------------------------------------------------


def test_markup_like_text_is_literal(tricky, tricky_doc):
    paragraphs = body_paragraphs(tricky)
    assert reading.paragraph_text(paragraphs[0]) == briefs.TRICKY
    raw = tricky.entries["word/document.xml"]
    assert b"<b>" not in raw and b"<img" not in raw and b"&lt;b&gt;" in raw
    assert not any("image" in t for t, _ in tricky.rels("/word/document.xml").values())
    notes = [n for n in _notes(tricky) if n.get(w("type")) is None]
    assert briefs.TRICKY in reading.paragraph_text(notes[0].find(w("p")))
    core = tricky.xml("docProps/core.xml")
    assert core.find("{http://purl.org/dc/elements/1.1/}subject").text == briefs.TRICKY


def test_polish_cyrillic_and_typography_survive(tricky):
    text = "\n".join(reading.paragraph_text(p) for p in body_paragraphs(tricky))
    for sample in (briefs.POLISH, briefs.CYRILLIC, briefs.TYPOGRAPHY):
        assert sample in text
    cells = [reading.paragraph_text(p) for p in tricky.xml("word/document.xml").iter(w("p"))]
    assert "Źródło" in cells and "Цитата" in cells


def test_line_breaks_become_w_br_and_tabs_spaces(tricky):
    last = body_paragraphs(tricky)[-1]
    assert len(list(last.iter(w("br")))) == 2 and not list(last.iter(w("tab")))
    texts = [t.text for t in last.iter(w("t"))]
    assert texts == ["line one", "line two", "line three and a tab"]


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800", "\uffff"])
def test_control_characters_raise_render_error_naming_the_text(bad):
    text = f"before{bad}after"
    with pytest.raises(RenderError) as err:
        write_docx(small(m.Paragraph((m.Text(text),))))
    message = str(err.value)
    assert "\n" not in message and "before" in message
    with pytest.raises(RenderError, match="before"):
        write_docx(small(m.Paragraph((m.Text("ok"), m.NoteRef(1))), notes=[text]))
    with pytest.raises(RenderError):
        write_docx(small(m.Paragraph((m.Text("ok"),)), title=text))


def test_character_missing_from_the_font_raises():
    with pytest.raises(RenderError, match=r"DejaVu Serif.*U\+4E2D.*Chinese 中文"):
        write_docx(small(m.Paragraph((m.Text("Chinese 中文"),))))


# -- notes and structure errors ---------------------------------------------------------


@pytest.mark.parametrize(
    "inlines, notes, message",
    [
        ((m.NoteRef(2),), ["a"], "note reference 2 has no footnote"),
        ((m.Text("x"),), ["a"], "footnote 1 is never referenced"),
        ((m.NoteRef(2), m.NoteRef(1)), ["a", "b"], "reading order"),
    ],
)
def test_references_must_match_notes(inlines, notes, message):
    with pytest.raises(RenderError, match=message):
        write_docx(small(m.Paragraph(inlines), notes=notes))


def test_a_note_referenced_again_is_a_noteref_to_its_bookmark():
    pkg = Package(
        write_docx(small(m.Paragraph((m.Text("a"), m.NoteRef(1), m.Text("b"), m.NoteRef(1))), notes=["note"]))
    )
    body = pkg.xml("word/document.xml")
    (start,) = body.iter(w("bookmarkStart"))
    assert start.get(w("name")) == "_RefNote1" and start.getnext().find(w("footnoteReference")) is not None
    assert len(list(body.iter(w("footnoteReference")))) == 1
    (instruction,) = [t.text for t in body.iter(w("instrText"))]
    assert instruction.split() == ["NOTEREF", "_RefNote1", "\\f", "\\h"]
    kinds = [c.get(w("fldCharType")) for c in body.iter(w("fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    result = [r for r in body.iter(w("r")) if r.find(w("t")) is not None][-1]
    assert result.find(w("t")).text == "1"  # the cached result shows without updating fields
    assert result.find(f"{w('rPr')}/{w('rStyle')}").get(w("val")) == "FootnoteReference"


def test_notes_must_be_numbered_in_order_and_hold_no_references():
    doc = small(m.Paragraph((m.NoteRef(1),)), notes=["a"])
    doc.footnotes = [m.Footnote(2, (m.Text("a"),))]
    with pytest.raises(RenderError, match="footnote number 2"):
        write_docx(doc)
    doc.footnotes = [m.Footnote(1, (m.Text("a"), m.NoteRef(1)))]
    with pytest.raises(RenderError, match="contains a note reference"):
        write_docx(doc)


@pytest.mark.parametrize(
    "block, message",
    [
        (m.Heading(4, (m.Text("Deep"),)), "heading level 4"),
        (m.Table(header=((m.Text("A"),), (m.Text("B"),)), rows=(((m.Text("1"),),),)), "row 1 has 1 cells"),
        (m.Table(header=((m.Text("A"),),), rows=(), widths=(1, 2)), "1 columns but 2"),
        (m.Table(header=((m.Text("A"),),), rows=(), widths=(0,)), "positive"),
        (m.Table(header=(), rows=()), "no columns"),
    ],
)
def test_blocks_that_cannot_be_written_raise(block, message):
    with pytest.raises(RenderError, match=message):
        write_docx(small(block))


def test_bad_date_raises():
    with pytest.raises(RenderError, match="not an ISO date"):
        write_docx(small(date="15/02/2025"))


# -- metadata -----------------------------------------------------------------------


def test_core_properties(full, full_doc):
    core = full.xml("docProps/core.xml")
    dc = "{http://purl.org/dc/elements/1.1/}"
    cp = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
    terms = "{http://purl.org/dc/terms/}"
    assert core.find(dc + "title").text == full_doc.title
    assert core.find(dc + "subject").text == full_doc.subject
    assert core.find(dc + "creator").text == full_doc.author
    assert core.find(dc + "language").text == full_doc.language
    assert core.find(cp + "lastModifiedBy").text == full_doc.author
    assert core.find(cp + "revision").text == "1"
    assert core.find(terms + "created").text == "2025-02-15T00:00:00Z"
    assert core.find(terms + "modified").text == "2025-02-15T00:00:00Z"
    app = full.entries["docProps/app.xml"]
    assert b"<Application>factsheet</Application>" in app and b"Word" not in app


def test_document_without_date_has_no_dates_and_epoch_zip_entries():
    pkg = Package(write_docx(small(m.Paragraph((m.Text("x"),)), date="")))
    core = pkg.entries["docProps/core.xml"]
    assert b"created" not in core and b"modified" not in core
    assert {info.date_time for info in pkg.zip.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_long_title_is_shortened_for_the_core_properties():
    pkg = Package(write_docx(small(m.Paragraph((m.Text("x"),)), title="T" * 400)))
    title = pkg.xml("docProps/core.xml").find("{http://purl.org/dc/elements/1.1/}title").text
    assert len(title) == 255 and title.endswith("\u2026")


# -- reproducibility ----------------------------------------------------------------------


def test_two_writes_are_byte_identical(full_doc, full):
    assert write_docx(full_doc) == full.data


def test_zip_entries_have_fixed_date_order_and_permissions(full):
    infos = full.zip.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert infos[1].filename == "_rels/.rels"
    assert {i.date_time for i in infos} == {(2025, 2, 15, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}
    assert {i.compress_type for i in infos} == {8}


def test_font_subsetting_does_not_depend_on_the_cache(full_doc, full):
    fontembed.subset_face.cache_clear()
    assert write_docx(full_doc) == full.data


def test_output_does_not_depend_on_hash_seed_or_process(full):
    script = (
        "import sys, importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('b', {str(FIXTURES / 'briefs.py')!r})\n"
        "b = importlib.util.module_from_spec(spec); spec.loader.exec_module(b)\n"
        "from factsheet.writers.docx import write_docx\n"
        "sys.stdout.buffer.write(write_docx(b.full_brief()))\n"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, check=True, timeout=120
    ).stdout
    assert out == full.data


# -- fonts --------------------------------------------------------------------------


def _embedded_fonts(pkg):
    """Return ``{(family, kind): TTFont}`` for every embedded face, deobfuscated."""
    table = pkg.xml("word/fontTable.xml")
    rels = pkg.rels("/word/fontTable.xml")
    found = {}
    for font in table.findall(w("font")):
        for kind in ("Regular", "Bold", "Italic", "BoldItalic"):
            embed = font.find(w("embed" + kind))
            if embed is None:
                continue
            rel_type, target = rels[embed.get(f"{{{reading.R}}}id")]
            assert rel_type.endswith("/relationships/font")
            key = embed.get(w("fontKey"))
            assert key == key.upper() and key.startswith("{") and key.endswith("}")
            assert embed.get(w("subsetted")) == "1"
            data = ooxml.obfuscate_font(pkg.entries[target.lstrip("/")], key)
            found[(font.get(w("name")), kind)] = TTFont(io.BytesIO(data))
    return found


def test_fonts_are_embedded_obfuscated_and_subset(tricky, tricky_doc):
    fonts = _embedded_fonts(tricky)
    assert ("DejaVu Serif", "Regular") in fonts and ("DejaVu Sans", "Bold") in fonts
    settings = tricky.xml("word/settings.xml")
    assert settings.find(w("embedTrueTypeFonts")) is not None
    assert settings.find(w("saveSubsetFonts")) is not None
    for (family, kind), font in fonts.items():
        assert font["name"].getDebugName(1) == family
        bold, italic = "Bold" in kind, "Italic" in kind
        full_font = TTFont(str(face_path(face(family, bold, italic))), lazy=True)
        assert len(font.getGlyphOrder()) < len(full_font.getGlyphOrder()) / 5
        assert font["head"].modified == full_font["head"].modified
        assert set(map(ord, S.BASE_CHARACTERS)) <= set(font.getBestCmap())
    serif = set(fonts[("DejaVu Serif", "Regular")].getBestCmap())
    assert set(map(ord, briefs.POLISH)) <= serif
    italic = set(fonts[("DejaVu Serif", "Italic")].getBestCmap())
    assert set(map(ord, briefs.CYRILLIC)) - {0xA0} <= italic
    sans_bold = set(fonts[("DejaVu Sans", "Bold")].getBestCmap())
    assert set(map(ord, "Źródło Цитата")) <= sans_bold


def test_obfuscated_font_does_not_start_like_a_font(full):
    for name, data in full.entries.items():
        if name.endswith(".odttf"):
            assert data[:4] != b"\x00\x01\x00\x00"


def test_font_table_describes_both_families(full):
    table = full.xml("word/fontTable.xml")
    entries = {f.get(w("name")): f for f in table.findall(w("font"))}
    assert set(entries) == {"DejaVu Serif", "DejaVu Sans"}
    assert entries["DejaVu Serif"].find(w("family")).get(w("val")) == "roman"
    assert entries["DejaVu Sans"].find(w("family")).get(w("val")) == "swiss"
    for entry in entries.values():
        assert len(entry.find(w("panose1")).get(w("val"))) == 20
        order = [c.tag.rpartition("}")[2] for c in entry]
        assert order.index("sig") < order.index("embedRegular")


def test_bold_italic_text_embeds_the_bold_italic_face():
    pkg = Package(write_docx(small(m.Paragraph((m.Text("both", bold=True, italic=True),)))))
    fonts = _embedded_fonts(pkg)
    assert ("DejaVu Serif", "BoldItalic") in fonts
    assert ("DejaVu Serif", "Regular") not in fonts  # the paragraph has no plain text
    assert fonts[("DejaVu Serif", "BoldItalic")]["name"].getDebugName(2) == "Bold Italic"


def test_missing_font_files_raise_render_error(monkeypatch, tmp_path):
    monkeypatch.setenv("FACTSHEET_FONT_DIR", str(tmp_path))
    with pytest.raises(RenderError, match="fonts-dejavu"):
        write_docx(small(m.Paragraph((m.Text("x"),))))


# -- an independent validator (optional) ---------------------------------------------


def _validate(tmp_path, name: str, data: bytes):
    audit = import_or_skip("openxml_audit", "openxml-audit is not installed")
    path = tmp_path / name
    path.write_bytes(data)
    return audit.OpenXmlValidator(max_errors=20).validate(str(path))


def test_schema_and_semantic_validator_finds_no_errors(tmp_path, full, tricky):
    for name, pkg in (("full.docx", full), ("tricky.docx", tricky)):
        result = _validate(tmp_path, name, pkg.data)
        assert result.is_valid, [str(e) for e in result.errors]


def test_tracked_change_runs_pass_the_validator(tmp_path):
    document = docx.Document()
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):  # stale in python-docx's template
            del document.part.rels[rel_id]
    paragraph = document.add_paragraph("Troops: ")
    ooxml.track_run(paragraph.add_run("10,000")._r, "del", "Desk", "2025-02-15", revision_id=1)
    inserted = paragraph.add_run("11,000")
    inserted.bold = True
    ooxml.track_run(inserted._r, "ins", "Desk", "2025-02-15", revision_id=2)
    paragraph.add_run(" in total").italic = True
    ooxml.mark_paragraph_revision(ooxml._el(paragraph), "ins", "Desk", "2025-02-15", revision_id=3)
    buffer = io.BytesIO()
    document.save(buffer)
    result = _validate(tmp_path, "revisions.docx", buffer.getvalue())
    assert result.is_valid, [str(e) for e in result.errors]


# -- speed ---------------------------------------------------------------------------


def test_model_is_not_modified(full_doc):
    before = dataclasses.replace(full_doc, blocks=list(full_doc.blocks), footnotes=list(full_doc.footnotes))
    write_docx(full_doc)
    assert full_doc == before
