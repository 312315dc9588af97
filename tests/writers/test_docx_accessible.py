"""The DOCX brief for screen readers and converters: built-in headings, header rows, languages, a style map."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import mammoth
import pytest
from lxml import etree

from factsheet.pipeline import build as pipeline
from factsheet.project import Project
from factsheet.writers.docx import word_styles as S
from factsheet.writers.docx import write_docx

REPO = Path(__file__).resolve().parents[2]
FERRY = Path(__file__).parent / "fixtures" / "ferry"
STYLE_MAP = REPO / "docs" / "mammoth-style-map.txt"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEMPLATES = sorted(
    p.name.removesuffix(".xml.j2")
    for p in (REPO / "templates").glob("*.xml.j2")
    if not p.name.startswith("_")
)


def _docx(root: Path, sheet: Path, template: str = "brief") -> bytes:
    project = Project.find(root)
    document = pipeline.document_for(project, pipeline.load_sheet(project, sheet), template)
    return write_docx(document)


@pytest.fixture(scope="module")
def ferry(tmp_path_factory) -> bytes:
    root = tmp_path_factory.mktemp("ferry")
    shutil.copytree(FERRY, root, dirs_exist_ok=True)
    shutil.copytree(REPO / "templates", root / "templates")
    return _docx(root, root / "factsheets" / "ferry-fares.yaml")


def _part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def _warnings(data: bytes, style_map: str = "") -> list[str]:
    result = mammoth.convert_to_html(io.BytesIO(data), style_map=style_map)
    return sorted({m.message for m in result.messages})


@pytest.mark.parametrize("template", TEMPLATES)
def test_mammoth_reads_every_style_with_the_documented_style_map(template):
    nk = REPO / "tests" / "fixtures" / "north-korea"  # the frozen copy, not the live sheet
    data = _docx(nk, nk / "factsheets" / "north-korea-troops-russia.yaml", template)
    assert _warnings(data, STYLE_MAP.read_text(encoding="utf-8")) == []
    # without the map, the warnings name exactly the brief's own styles, all of them in the map
    unknown = {re.search(r"style: (.*) \(Style ID", m)[1] for m in _warnings(data)}
    mapped = set(re.findall(r"style-name='([^']+)'", STYLE_MAP.read_text(encoding="utf-8")))
    assert unknown <= mapped


def test_style_map_names_every_style_of_the_brief_that_mammoth_does_not_know():
    mapped = set(re.findall(r"style-name='([^']+)'", STYLE_MAP.read_text(encoding="utf-8")))
    known = {"Normal", "heading 1", "heading 2", "heading 3", "List Bullet", "footnote text", "footer"}
    assert {s.name for s in S.PARAGRAPH_STYLES} - known == mapped


def test_headings_use_the_built_in_heading_styles(ferry):
    styles = {
        s.get(f"{{{W}}}styleId"): s.find(f"{{{W}}}name").get(f"{{{W}}}val")
        for s in _part(ferry, "word/styles.xml").iter(f"{{{W}}}style")
    }
    body = _part(ferry, "word/document.xml")
    used = [p.get(f"{{{W}}}val") for p in body.iter(f"{{{W}}}pStyle")]
    headings = [styles[u] for u in used if u.startswith("Heading")]
    assert headings[0] == "heading 1" and "heading 2" in headings
    outline = _part(ferry, "word/styles.xml").xpath(
        "//w:style[@w:styleId='Heading2']//w:outlineLvl/@w:val", namespaces={"w": W}
    )
    assert outline == ["1"]


def test_every_table_marks_its_header_row(ferry):
    body = _part(ferry, "word/document.xml")
    tables = list(body.iter(f"{{{W}}}tbl"))
    assert tables
    for table in tables:
        rows = table.findall(f"{{{W}}}tr")
        assert rows[0].find(f"{{{W}}}trPr/{{{W}}}tblHeader") is not None
        assert all(r.find(f"{{{W}}}trPr/{{{W}}}tblHeader") is None for r in rows[1:])


def test_document_and_quote_languages(ferry):
    default = _part(ferry, "word/styles.xml").find(f".//{{{W}}}rPrDefault//{{{W}}}lang")
    assert default.get(f"{{{W}}}val") == "en-US"
    marked = set()
    for name in ("word/footnotes.xml", "word/document.xml"):  # quotes stand in notes or in the annex
        part = _part(ferry, name)
        marked |= {
            (r.findtext(f"{{{W}}}t"), r.find(f"{{{W}}}rPr/{{{W}}}lang").get(f"{{{W}}}val"))
            for r in part.iter(f"{{{W}}}r")
            if r.find(f"{{{W}}}rPr/{{{W}}}lang") is not None
        }
    # only the Ukrainian quotes are marked: the English text needs no mark
    assert {lang for _, lang in marked} == {"uk-UA"}
    texts = " ".join(t for t, _ in marked)
    assert "Ми не просили про підвищення цін на квитки" in texts
    assert "нові двигуни вже оплачені з резервного фонду" in texts
