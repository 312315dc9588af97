"""A speaker with many claims: the "who says what" row outgrows a page and still builds in both formats."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, run_cli

SHEET = REPO / "tests" / "fixtures" / "one-speaker-25-claims.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tall")
    # the full record (dossier) has the "who says what" table, one row per speaker
    proc = run_cli("build", SHEET, "--out", out, "--template", "dossier")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_both_formats_are_written(built):
    assert (built / "one-speaker-25-claims.pdf").read_bytes().startswith(b"%PDF-")
    assert zipfile.is_zipfile(built / "one-speaker-25-claims.docx")


@pytest.mark.tools("pdftotext", hint="poppler-utils")
def test_pdf_row_continues_on_the_next_page_with_every_claim(built):
    pages = subprocess.run(
        ["pdftotext", str(built / "one-speaker-25-claims.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\f")
    start = next(i for i, page in enumerate(pages) if "Who says what" in page)
    end = next(i for i, page in enumerate(pages) if "Conflicting accounts and denials" in page)
    assert end > start, "the row spans at least two pages"
    row = re.sub(r"\s+", " ", " ".join(pages[start : end + 1]))
    # every claim's opening words are in the row, once more than in the claims above
    body = re.sub(r"\s+", " ", " ".join(pages[:start]))
    for opening in (
        "North Korean officers were already",
        "Kovalenko, writing on Telegram",
        "Kremlin spokesman Dmitry Peskov dismissed",
    ):
        assert opening in row and opening in body, opening


def test_docx_long_row_may_break_across_pages(built):
    with zipfile.ZipFile(built / "one-speaker-25-claims.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    rows = re.findall(r"<w:tr[ >].*?</w:tr>", xml, flags=re.S)
    long_rows = [r for r in rows if "Kovalenko, writing on Telegram" in r and "Desk analyst" in r]
    assert len(long_rows) == 1
    assert "<w:cantSplit/>" not in long_rows[0]
    assert sum("<w:cantSplit/>" in r for r in rows) > len(rows) // 2  # short rows are still kept whole
