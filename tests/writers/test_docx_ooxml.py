"""Unit tests of the raw WordprocessingML helpers (tracked changes, ordering, text, fonts)."""

from __future__ import annotations

import datetime as dt
import io

import docx
import mammoth
import pytest
from docx.oxml.ns import qn
from lxml import etree

from factsheet.errors import RenderError
from factsheet.writers.docx import ooxml

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


# -- tracked changes --------------------------------------------------------------------


def _run(text: str, bold: bool = False):
    """Return a python-docx run element holding ``text`` inside a paragraph."""
    paragraph = docx.Document().add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold or None
    return paragraph, run._r


def test_tracked_insertion_carries_author_date_and_text():
    _, run = _run(" 11,000 soldiers ")
    ins = ooxml.track_run(run, "ins", "Fact desk", dt.date(2025, 2, 15), revision_id=7)
    assert ins.tag == qn("w:ins") and run.getparent() is ins
    assert ins.get(qn("w:id")) == "7"
    assert ins.get(qn("w:author")) == "Fact desk"
    assert ins.get(qn("w:date")) == "2025-02-15T00:00:00Z"
    assert run.find(qn("w:t")).text == " 11,000 soldiers "


def test_tracked_deletion_uses_del_text_and_keeps_formatting():
    _, run = _run("10,000", bold=True)
    deleted = ooxml.track_run(run, "del", "Fact desk", "2025-02-15T10:30:00+01:00", revision_id=8)
    assert deleted.tag == qn("w:del")
    assert deleted.get(qn("w:date")) == "2025-02-15T09:30:00Z"
    assert run.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None
    assert run.find(qn("w:delText")).text == "10,000"
    assert run.find(qn("w:t")) is None


def test_revision_author_is_escaped_and_marks_are_checked():
    mark = ooxml.revision_mark("ins", "A <b>", "2025-01-01", 1)
    assert b'w:author="A &lt;b&gt;"' in etree.tostring(mark)
    with pytest.raises(RenderError, match="revision id"):
        ooxml.revision_mark("del", "A", "2025-01-01", -1)
    with pytest.raises(RenderError, match="ISO date"):
        ooxml.revision_mark("del", "A", "yesterday", 1)
    with pytest.raises(RenderError, match="only a run"):
        ooxml.track_run(ooxml.element("p"), "ins", "A", "2025-01-01", revision_id=1)


def test_tracked_changes_are_read_by_a_docx_reader():
    document = docx.Document()
    paragraph = document.add_paragraph("Troops: ")
    ooxml.track_run(paragraph.add_run("10,000")._r, "del", "Desk", "2025-02-15", revision_id=1)
    ooxml.track_run(paragraph.add_run("11,000")._r, "ins", "Desk", "2025-02-15", revision_id=2)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    text = mammoth.extract_raw_text(buffer).value
    assert "Troops: 11,000" in text and "10,000" not in text


def test_paragraph_mark_revision():
    p = ooxml.element(
        "p",
        None,
        ooxml.element("pPr", None, ooxml.element("pStyle", {"val": "Note"}), ooxml.element("sectPr")),
    )
    ooxml.mark_paragraph_revision(p, "ins", "Desk", "2025-02-15", revision_id=3)
    ooxml.mark_paragraph_revision(p, "del", "Desk", "2025-02-15", revision_id=4)
    ppr = p.find(qn("w:pPr"))
    assert [c.tag for c in ppr] == [qn("w:pStyle"), qn("w:rPr"), qn("w:sectPr")]
    (mark,) = list(ppr.find(qn("w:rPr")))
    assert mark.tag == qn("w:del") and mark.get(qn("w:id")) == "4"
    with pytest.raises(RenderError, match="'ins' or 'del'"):
        ooxml.mark_paragraph_revision(p, "move", "Desk", "2025-02-15", revision_id=5)


# -- schema order ---------------------------------------------------------------------------


def test_insert_in_order_follows_the_sequence_and_replaces():
    settings = ooxml.element("settings")
    ooxml.sub(settings, "zoom")
    ooxml.sub(settings, "compat")
    settings.append(etree.Element("{http://schemas.microsoft.com/office/word/2010/wordml}docId"))
    for el in (
        ooxml.element("footnotePr"),
        ooxml.element("embedTrueTypeFonts"),
        ooxml.element("listSeparator", {"val": ";"}),
        ooxml.element("listSeparator", {"val": ","}),
    ):
        ooxml.insert_in_order(settings, el, ooxml.SETTINGS_ORDER)
    names = [c.tag.rpartition("}")[2] for c in settings]
    assert names == ["zoom", "embedTrueTypeFonts", "footnotePr", "compat", "listSeparator", "docId"]
    assert settings.find(qn("w:listSeparator")).get(qn("w:val")) == ","


def test_configure_settings_orders_every_element():
    settings = docx.Document().settings.element
    ooxml.configure_settings(settings, language="pl-PL", footnotes=True, embedded_fonts=True)
    rank = {name.split(":")[-1]: i for i, name in enumerate(ooxml.SETTINGS_ORDER)}
    names = [c.tag.rpartition("}")[2] for c in settings if c.tag.rpartition("}")[2] in rank]
    assert names == sorted(names, key=rank.get)
    assert settings.find(qn("w:themeFontLang")).get(qn("w:val")) == "pl-PL"
    assert settings.find(qn("w:savePreviewPicture")) is None


# -- text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, written",
    [
        ("a\nb", "a b"),
        ("a\r\nb", "a b"),
        ("a\rb", "a b"),
        ("a\tb", "a b"),
        ("a\n\nb", "a  b"),
        ("Zażółć «Привет» 10\u00a0000 — “x”", "Zażółć «Привет» 10\u00a0000 — “x”"),
        ("<b>&amp;</b>", "<b>&amp;</b>"),
    ],
)
def test_clean_text(raw, written):
    assert ooxml.clean_text(raw) == written


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x0b", "\x0c", "\x1f", "\x7f", "\x9f", "\udfff", "\ufffe"])
def test_clean_text_refuses_control_characters(bad):
    with pytest.raises(RenderError) as err:
        ooxml.clean_text("claim text " + bad)
    assert f"U+{ord(bad):04X}" in str(err.value) and "claim text" in str(err.value)


# -- footnotes ------------------------------------------------------------------------------


def test_footnotes_element_and_notes():
    root = ooxml.footnotes_element()
    p = ooxml.add_footnote(root, 1)
    notes = root.findall(qn("w:footnote"))
    assert [(n.get(qn("w:type")), n.get(qn("w:id"))) for n in notes] == [
        ("separator", "-1"),
        ("continuationSeparator", "0"),
        (None, "1"),
    ]
    assert p.getparent() is notes[2]
    with pytest.raises(RenderError, match="collides"):
        ooxml.add_footnote(root, 0)


# -- fonts ----------------------------------------------------------------------------------


def test_obfuscation_known_answer_and_round_trip():
    key = "{00112233-4455-6677-8899-AABBCCDDEEFF}"
    data = bytes(40)
    out = ooxml.obfuscate_font(data, key)
    mask = bytes.fromhex("FFEEDDCCBBAA99887766554433221100")
    assert out[:16] == mask and out[16:32] == mask and out[32:] == bytes(8)
    font = bytes(range(256)) * 4
    assert ooxml.obfuscate_font(ooxml.obfuscate_font(font, key), key) == font


def test_font_key_is_a_stable_uppercase_guid():
    key = ooxml.font_key(b"font bytes")
    assert key == ooxml.font_key(b"font bytes") != ooxml.font_key(b"other bytes")
    assert len(key) == 38 and key[0] == "{" and key[-1] == "}" and key == key.upper()
    assert [len(part) for part in key[1:-1].split("-")] == [8, 4, 4, 4, 12]


def test_content_types_defaults_and_overrides():
    xml = ooxml.content_types_xml(
        [
            (
                "/word/document.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            ),
            ("/customXml/item1.xml", "application/xml"),
            ("/word/fonts/font1.odttf", ooxml.CT_OBFUSCATED_FONT),
        ]
    )
    root = etree.fromstring(xml)
    overrides = [o.get("PartName") for o in root if o.tag.endswith("Override")]
    assert overrides == ["/word/document.xml", "/word/fonts/font1.odttf"]
    assert {d.get("Extension") for d in root if d.tag.endswith("Default")} == {"rels", "xml"}


def test_content_types_give_each_image_type_a_default():
    xml = ooxml.content_types_xml(
        [
            ("/word/media/image2.png", "image/png"),
            ("/word/media/image1.png", "image/png"),
            (
                "/word/document.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            ),
        ]
    )
    root = etree.fromstring(xml)
    defaults = {d.get("Extension"): d.get("ContentType") for d in root if d.tag.endswith("Default")}
    assert defaults == {"png": "image/png", "rels": ooxml.CT_RELATIONSHIPS, "xml": ooxml.CT_XML}
    assert [o.get("PartName") for o in root if o.tag.endswith("Override")] == ["/word/document.xml"]
    assert [d.get("Extension") for d in root if d.tag.endswith("Default")] == ["png", "rels", "xml"]


# -- pictures ---------------------------------------------------------------------------


def _picture_run():
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(png, format="PNG")
    run = docx.Document().add_paragraph().add_run()
    run.add_picture(io.BytesIO(png.getvalue()))
    return ooxml._el(run)


def test_describe_picture_sets_id_name_description_and_title():
    r = _picture_run()
    doc_pr = ooxml.describe_picture(
        r, shape_id=7, name="Chart 7", description="Line\nfrom <0>", title="Troops & more"
    )
    WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    assert doc_pr.tag == WP + "docPr"
    assert dict(doc_pr.attrib) == {
        "id": "7",
        "name": "Chart 7",
        "descr": "Line from <0>",
        "title": "Troops & more",
    }
    (nv_pr,) = r.iter("{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr")
    assert nv_pr.get("name") == "Chart 7" and nv_pr.get("descr") == "Line from <0>"
    ooxml.describe_picture(r, shape_id=8, name="Chart 8", description="")  # no title: none left
    assert dict(doc_pr.attrib) == {"id": "8", "name": "Chart 8", "descr": ""}


def test_describe_picture_refuses_what_it_cannot_write():
    with pytest.raises(RenderError, match="control character"):
        ooxml.describe_picture(_picture_run(), shape_id=1, name="c", description="bad\x01")
    with pytest.raises(RenderError, match="picture id"):
        ooxml.describe_picture(_picture_run(), shape_id=0, name="c", description="")
    with pytest.raises(RenderError, match="no inline picture"):
        ooxml.describe_picture(ooxml.element("r"), shape_id=1, name="c", description="")
