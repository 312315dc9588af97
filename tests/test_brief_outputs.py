"""The North Korea brief as editors get it: opened by real clients, and compared with reviewed golden parts.

Golden files live in ``tests/golden/north-korea-troops-russia/``: the DOCX's XML
parts (pretty-printed) and the PDF's text page by page. After a deliberate change
to the template or a writer, regenerate them with ``FACTSHEET_UPDATE_GOLDEN=1
python -m pytest tests/test_brief_outputs.py``, read the diff, and commit it.
"""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path

import mammoth
import pytest
from lxml import etree

from factsheet.pipeline import build
from factsheet.project import Project
from factsheet.rendering.document import plain_text

import required
from conftest import NK_PROJECT, NK_SHEET, REPO

GOLDEN = REPO / "tests" / "golden" / "north-korea-troops-russia"
DOCX_PARTS = (
    "word/document.xml",
    "word/footnotes.xml",
    "word/styles.xml",
    "word/settings.xml",
    "docProps/core.xml",
    "[Content_Types].xml",
    "word/_rels/document.xml.rels",
)
UPDATE = os.environ.get("FACTSHEET_UPDATE_GOLDEN") == "1"


def _tool(name: str) -> str:
    return required.tool(name)


def _words(text: str) -> str:
    """Return text with whitespace folded, and line breaks after hyphens undone."""
    return re.sub(r"-\s+", "-", re.sub(r"\s+", " ", text.replace("\u00ad", ""))).strip()


@pytest.fixture(scope="module")
def brief(tmp_path_factory):
    """Return (document, docx path, pdf path) for the North Korea brief."""
    project = Project(NK_PROJECT)
    document = build.document_for(project, build.load_sheet(project, NK_SHEET))
    out = tmp_path_factory.mktemp("brief")
    outputs = build.render_all(document, ["docx", "pdf"])
    (out / "brief.docx").write_bytes(outputs["docx"])
    (out / "brief.pdf").write_bytes(outputs["pdf"])
    return document, out / "brief.docx", out / "brief.pdf"


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _in_order(needle: str, text: str) -> bool:
    """Return True if ``needle`` is in ``text`` whole, or as two pieces in order."""
    if needle in text:
        return True
    for cut in range(len(needle) - 1, 0, -1):
        head = text.find(needle[:cut])
        if head >= 0 and text.find(needle[cut:], head + cut) >= 0:
            return True
    return False


def _pdf_pages(pdf: Path) -> list[str]:
    pdftotext = _tool("pdftotext")
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def test_mammoth_reads_as_many_footnotes_as_the_brief_has(brief):
    document, docx, _ = brief
    with open(docx, "rb") as fh:
        html = mammoth.convert_to_html(fh).value
    assert len(re.findall(r'<li id="footnote-\d+">', html)) == len(document.footnotes)
    assert len(re.findall(r'href="#footnote-\d+"', html)) == len(document.footnotes)


def test_libreoffice_opens_the_docx_and_shows_every_footnote(brief, tmp_path):
    document, docx, _ = brief
    soffice = _tool("soffice")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = _letters(" ".join(_pdf_pages(tmp_path / "brief.pdf")))
    for note in document.footnotes:
        # LibreOffice breaks lines where it likes, and pdftotext joins a word broken
        # at a hyphen without it: compare the note's letters and digits in order.
        # A long note may continue at the foot of the next page, so allow one break.
        assert _in_order(_letters(plain_text(note.inlines)), text), f"note {note.number} is missing"


def test_every_pdf_note_is_on_the_page_of_its_reference(brief):
    document, _, pdf = brief
    pages = [_words(p) for p in _pdf_pages(pdf)]
    from factsheet.writers.pdf import render_pdf

    placed = render_pdf(document).notes_by_page
    assert sorted(n for notes in placed.values() for n in notes) == [f.number for f in document.footnotes]
    for page, numbers in placed.items():
        for number in numbers:
            start = _words(plain_text(document.note(number).inlines))[:60]
            assert f"{number} {start}" in pages[page - 1], f"note {number} is not at the foot of page {page}"


def test_pdf_embeds_every_font(brief):
    _, _, pdf = brief
    listing = subprocess.run([_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]
    assert rows and all(" yes yes yes " in row for row in rows), listing
    assert "Helvetica" not in listing


def _pretty(xml: bytes) -> str:
    return etree.tostring(etree.fromstring(xml), pretty_print=True, encoding="unicode")


def _compare(path: Path, actual: str) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.is_file(), f"no golden file {path}; run with FACTSHEET_UPDATE_GOLDEN=1 and review it"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        import difflib

        diff = "".join(
            difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), str(path), "built", n=2)
        )
        pytest.fail(f"{path.name} differs from the reviewed golden part:\n{diff[:4000]}")


@pytest.mark.parametrize("part", DOCX_PARTS)
def test_docx_part_matches_golden(brief, part):
    _, docx, _ = brief
    with zipfile.ZipFile(docx) as zf:
        actual = _pretty(zf.read(part))
    _compare(GOLDEN / "docx" / (part.replace("/", "__") + ".txt"), actual)


def test_docx_entries_match_golden(brief):
    _, docx, _ = brief
    with zipfile.ZipFile(docx) as zf:
        listing = "".join(f"{i.filename} {i.date_time} {i.compress_type}\n" for i in zf.infolist())
    _compare(GOLDEN / "docx" / "entries.txt", listing)


def test_pdf_text_matches_golden_page_by_page(brief):
    _, _, pdf = brief
    pages = _pdf_pages(pdf)
    if UPDATE:
        for old in (GOLDEN / "pdf").glob("page-*.txt"):
            old.unlink()
    else:
        assert len(pages) == len(list((GOLDEN / "pdf").glob("page-*.txt"))), "the page count changed"
    for number, text in enumerate(pages, 1):
        _compare(GOLDEN / "pdf" / f"page-{number:02d}.txt", text)
