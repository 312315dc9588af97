"""A long record in DOCX: its body, written a few blocks at a time, is the body written whole."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import docx
import pytest

from factsheet.writers.docx import ooxml, write_docx

FIXTURES = Path(__file__).parent / "docx_fixtures"
_spec = importlib.util.spec_from_file_location("docx_fixtures_briefs_long", FIXTURES / "briefs.py")
briefs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(briefs)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def long_doc():
    return briefs.long_brief(300)


@pytest.mark.parametrize("brief", ["full_brief", "tricky_brief", "long_brief"])
def test_the_batch_size_changes_no_byte(brief, monkeypatch):
    document = getattr(briefs, brief)()
    written = set()
    for batch in (1, 7, 10**6):  # every block alone, a few together, the whole body as one tree
        monkeypatch.setattr(ooxml.SerialBody, "BATCH", batch)
        written.add(write_docx(document))
    assert len(written) == 1


def test_every_block_and_note_of_a_long_record_is_there_in_order(long_doc):
    opened = docx.Document(io.BytesIO(write_docx(long_doc)))
    body = opened.element.body
    paragraphs = [p.text for p in opened.paragraphs]
    tokens = [t for t in paragraphs if "token P" in t]
    assert tokens == [f"Claim {n}: a figure was reported, token P{n:04d}." for n in range(1, 301)]
    assert len(opened.tables) == 12
    assert [len(t.rows) for t in opened.tables] == [26] * 12
    assert opened.tables[-1].rows[-1].cells[0].text == "Row T0300"
    assert body[-1].tag == W + "sectPr"  # the section properties close the body, after every block
    references = [int(r.get(W + "id")) for r in body.iter(W + "footnoteReference")]
    assert references == list(range(1, 301))
    again = [t.text for t in body.iter(W + "instrText")]
    assert again == [f" NOTEREF _RefNote{n} \\f \\h " for n in range(1, 301)]
    notes = opened.part.part_related_by(ooxml.RT_FOOTNOTES).blob.decode()
    assert all(f"note text L{n:04d}." in notes for n in range(1, 301))
