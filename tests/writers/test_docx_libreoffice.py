"""The DOCX read by a real word processor: LibreOffice converts it to PDF (and to ODT).

Needs ``soffice`` (libreoffice-writer-nogui) and poppler's ``pdftotext``, ``pdffonts``
and ``pdfimages``.
Without them the tests are skipped, except in CI (``CI`` set), where they fail.

All documents are converted in one LibreOffice run (module-scoped), with a fontconfig
that knows a single box-drawing font and no DejaVu: whatever DejaVu appears in the PDF
came from the fonts embedded in the DOCX.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from factsheet.rendering import document as m
from factsheet.writers.docx import write_docx

import required

FIXTURES = Path(__file__).parent / "docx_fixtures"
_spec = importlib.util.spec_from_file_location("docx_fixtures_briefs", FIXTURES / "briefs.py")
briefs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(briefs)

DOCUMENTS = {"full": briefs.full_brief, "tricky": briefs.tricky_brief, "long": briefs.long_brief}


def _tool(name: str) -> str:
    return required.tool(name, hint="libreoffice-writer-nogui, poppler-utils")


def _normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _fallback_font(path: Path) -> None:
    """Write a TrueType font named "Fallback Box" that draws every character as a box."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    def box():
        pen = TTGlyphPen(None)
        pen.moveTo((50, 0))
        pen.lineTo((50, 700))
        pen.lineTo((450, 700))
        pen.lineTo((450, 0))
        pen.closePath()
        return pen.glyph()

    glyphs = [".notdef", "space", "x"]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(glyphs)
    builder.setupCharacterMap({0x20: "space", 0x78: "x"})
    builder.setupGlyf({".notdef": box(), "space": TTGlyphPen(None).glyph(), "x": box()})
    builder.setupHorizontalMetrics({g: (500, 50) for g in glyphs})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Fallback Box", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.save(str(path))


def _convert(folder: Path, env: dict) -> dict:
    """Write every document, convert them in one LibreOffice run, return PDF facts by name."""
    soffice, pdftotext, pdffonts = _tool("soffice"), _tool("pdftotext"), _tool("pdffonts")
    folder.mkdir(parents=True, exist_ok=True)
    sources = []
    for name, build in DOCUMENTS.items():
        path = folder / f"{name}.docx"
        path.write_bytes(write_docx(build()))
        sources.append(str(path))
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "pdf"),
            *sources,
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=240,
    )
    subprocess.run(  # what LibreOffice makes of the chart's picture, as it would save it
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "odt",
            "--outdir",
            str(folder / "odt"),
            sources[0],
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdfimages = _tool("pdfimages")
    results = {}
    for name in DOCUMENTS:
        pdf = folder / "pdf" / f"{name}.pdf"
        assert pdf.is_file(), f"LibreOffice did not write {pdf.name}"
        text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, check=True, text=True).stdout
        fonts = subprocess.run(
            [pdffonts, str(pdf)], capture_output=True, check=True, text=True
        ).stdout.splitlines()[2:]
        listed = subprocess.run(
            [pdfimages, "-list", str(pdf)], capture_output=True, check=True, text=True
        ).stdout.splitlines()[2:]
        images = [line.split() for line in listed if line.strip()]
        pages = text.count("\f")
        results[name] = {"text": _normalize(text), "fonts": fonts, "pages": pages, "images": images}
    odt = folder / "odt" / "full.odt"
    assert odt.is_file(), "LibreOffice did not write full.odt"
    with zipfile.ZipFile(odt) as archive:
        results["full"]["odt"] = archive.read("content.xml")
    return results


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Convert where fontconfig knows one box-drawing font and no DejaVu at all."""
    folder = tmp_path_factory.mktemp("docx-lo-nofonts")
    fonts = folder / "fonts"
    fonts.mkdir()
    _fallback_font(fonts / "fallback.ttf")
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{fonts}</dir>\n  <cachedir>{folder / 'fc-cache'}</cachedir>\n</fontconfig>\n"
    )
    return _convert(folder / "out", dict(os.environ, FONTCONFIG_FILE=str(config)))


def test_every_footnote_text_is_in_the_pdf(converted):
    doc = briefs.full_brief()
    text = converted["full"]["text"]
    for note in doc.footnotes:
        assert _normalize(m.plain_text(note.inlines)) in text, f"note {note.number} missing"
    assert converted["full"]["pages"] >= 3


def test_a_long_record_reaches_the_pdf_whole_and_in_order(converted):
    text = converted["long"]["text"]
    tokens = [int(n) for n in re.findall(r"token P(\d{4})", text)]
    assert tokens == list(range(1, 301))
    rows = [int(n) for n in re.findall(r"Row T(\d{4})", text)]
    assert rows == list(range(1, 301))
    notes = [int(n) for n in re.findall(r"note text L(\d{4})", text)]
    assert sorted(notes) == list(range(1, 301))


def test_body_text_and_table_reach_the_pdf(converted):
    text = converted["full"]["text"]
    assert "North Korean troops in Russia" in text
    assert "Prisoners taken: claim" in text and "Reported by" in text
    assert "A line rising from zero" not in text  # the text alternative is the picture's, not printed


def test_the_chart_picture_is_drawn_and_described(converted):
    chart = next(b for b in briefs.full_brief().blocks if isinstance(b, m.Chart))
    images = converted["full"]["images"]
    if images is None:
        _tool("pdfimages")
    assert any(int(row[3]) >= 1276 and int(row[4]) >= 542 for row in images), images
    assert converted["tricky"]["images"] == []  # a brief without a chart has no picture
    from lxml import etree

    ns = {
        "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
        "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    }
    (frame,) = etree.fromstring(converted["full"]["odt"]).iterfind(".//draw:frame", ns)
    assert frame.find("draw:image", ns) is not None
    assert frame.findtext("svg:title", namespaces=ns) == chart.title
    assert frame.findtext("svg:desc", namespaces=ns) == chart.alt_text


def test_literal_markup_polish_and_cyrillic_in_the_pdf(converted):
    text = converted["tricky"]["text"]
    for sample in (briefs.TRICKY, briefs.POLISH, briefs.CYRILLIC, "Źródło", "Цитата"):
        assert _normalize(sample) in text
    assert "line one line two line three and a tab" in text


def test_embedded_fonts_draw_everything_though_dejavu_is_not_installed(converted):
    for name, result in converted.items():
        families = {line.split()[0].partition("+")[2] for line in result["fonts"]}
        assert all(f.startswith("DejaVu") for f in families), (name, families)
        assert all(line.split()[-5] == "yes" for line in result["fonts"])  # embedded in PDF
    families = {line.split()[0].partition("+")[2] for line in converted["tricky"]["fonts"]}
    assert {
        "DejaVuSerif",
        "DejaVuSerif-Bold",
        "DejaVuSerif-Italic",
        "DejaVuSans",
        "DejaVuSans-Bold",
    } <= families
    text = converted["tricky"]["text"]
    for sample in (briefs.POLISH, briefs.CYRILLIC, briefs.TYPOGRAPHY):
        assert _normalize(sample) in text
