"""The North Korea brief as editors get it, opened by real clients (its golden parts: test_goldens.py)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import mammoth
import pytest

from factsheet.pipeline import build
from factsheet.project import Project
from factsheet.rendering.document import plain_text

import required
from conftest import NK_PROJECT, NK_SHEET


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
    outputs = {fmt: build.render(document, fmt) for fmt in ("docx", "pdf")}
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
