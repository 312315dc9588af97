"""The brief reads in two minutes: at most 600 words and 2 pages before the source annex, on A4 and US Letter.

Pages are counted in the PDF and in LibreOffice's rendering of the DOCX (the
page the "Sources" heading starts on); words in the document's blocks before
that heading: headings, paragraphs, lists, table cells and chart captions, the
text a reader reads (notes, running footers and chart axis labels aside).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess

import pytest

from factsheet.pipeline import build
from factsheet.project import Project
from factsheet.rendering.document import BulletList, Chart, Heading, Paragraph, Table, plain_text

from conftest import NK_PROJECT, NK_SHEET

ANNEX = "Sources"
MAX_WORDS, MAX_PAGES = 600, 2


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing")
        pytest.skip(f"{tool} is missing")
    return path


@pytest.fixture(scope="module")
def nk_brief():
    project = Project(NK_PROJECT)
    return build.document_for(project, build.load_sheet(project, NK_SHEET))


def words_before_annex(document) -> int:
    total = 0
    for block in document.blocks:
        if isinstance(block, Heading) and block.plain_text == ANNEX:
            return total
        if isinstance(block, (Heading, Paragraph)):
            text = plain_text(block.inlines)
        elif isinstance(block, BulletList):
            text = " ".join(plain_text(item) for item in block.items)
        elif isinstance(block, Table):
            # a row header spanning a group is read once, though the model repeats its words per row
            rows = [row[1:] if block.row_span(r) == 0 else row for r, row in enumerate(block.rows)]
            text = " ".join(plain_text(cell) for row in (block.header, *rows) for cell in row)
        elif isinstance(block, Chart):
            text = f"{block.title} {plain_text(block.caption)}"
        total += len(text.split())
    raise AssertionError("the brief has no source annex")


def pages_before_annex(pdf) -> float:
    """Return how many pages the text before the annex heading fills (2.0: exactly two full pages)."""
    pdftotext = _need("pdftotext")
    page = 1
    while True:
        text = subprocess.run(
            [pdftotext, "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if not text.strip():
            raise AssertionError(f"no {ANNEX!r} heading in {pdf}")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if ANNEX in lines:
            return page - 1 + (0.0 if lines.index(ANNEX) == 0 else 0.5)
        page += 1


def assert_no_blank_last_page(pdf) -> None:
    """The last page holds text besides its running footer (a page number, the headline)."""
    pdftotext, pdfinfo = _need("pdftotext"), _need("pdfinfo")
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    text = subprocess.run(
        [pdftotext, "-f", str(pages), "-l", str(pages), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    body = [
        line for line in text.splitlines() if line.strip() and "Page " not in line and " · as of " not in line
    ]
    assert body, f"page {pages} of {pdf} is blank"


def test_the_north_korea_brief_has_at_most_600_words_before_its_annex(nk_brief):
    assert words_before_annex(nk_brief) <= MAX_WORDS


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_pdf_has_at_most_two_pages_before_its_annex(nk_brief, paper, tmp_path):
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(build.render(dataclasses.replace(nk_brief, paper=paper), "pdf"))
    assert pages_before_annex(pdf) <= MAX_PAGES
    assert_no_blank_last_page(pdf)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_libreoffice_shows_at_most_two_pages_before_the_annex_of_the_docx(nk_brief, paper, tmp_path):
    soffice = _need("soffice")
    docx = tmp_path / "brief.docx"
    docx.write_bytes(build.render(dataclasses.replace(nk_brief, paper=paper), "docx"))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "lo"),
            str(docx),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    assert pages_before_annex(tmp_path / "lo" / "brief.pdf") <= MAX_PAGES
    assert_no_blank_last_page(tmp_path / "lo" / "brief.pdf")


def test_the_limits_are_measured_where_the_annex_starts(nk_brief, tmp_path):
    # a brief three times as long is caught by both measures
    longer = dataclasses.replace(nk_brief, blocks=nk_brief.blocks[:4] * 3 + nk_brief.blocks[4:])
    assert words_before_annex(longer) > MAX_WORDS
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(build.render(longer, "pdf"))
    assert pages_before_annex(pdf) > pages_before_annex_of(nk_brief, tmp_path)


def pages_before_annex_of(document, tmp_path) -> float:
    pdf = tmp_path / "short.pdf"
    pdf.write_bytes(build.render(document, "pdf"))
    return pages_before_annex(pdf)
