"""A new format is one module and one registry line; every format's document is checked first."""

from __future__ import annotations

import pytest

from factsheet.cli import main
from factsheet.errors import RenderError
from factsheet.rendering.document import Document, NoteRef, Paragraph, Text
from factsheet.writers import WRITERS, Writer, write

from conftest import NK_SHEET


@pytest.fixture
def toy(monkeypatch):
    # the one line a new format adds to the registry
    monkeypatch.setitem(WRITERS, "txt", Writer("toywriter", "write_text", "plain text, for a test"))


def test_a_registered_writer_is_built_by_the_cli(toy, project, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["--root", str(project), "build", "--format", "txt", "--out", str(out)]) == 0
    text = (out / f"{NK_SHEET.stem}.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("NORTH KOREA") and "1. " in text
    assert any(line.startswith("[chart: ") for line in lines)
    assert f"{NK_SHEET.stem}.txt" in capsys.readouterr().err  # the "wrote" line


def test_format_help_and_choices_come_from_the_registry(toy, capsys):
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "txt: plain text, for a test" in help_text
    assert "comma-separated: docx, pdf, html, txt (default:" in help_text
    # a companion is written with its format and cannot be named: the help does not offer it
    assert "claimreview:" not in help_text and "csl:" not in help_text


@pytest.mark.parametrize("fmt", ["txt", "html", "docx", "pdf", "claimreview", "csl"])
def test_every_format_refuses_a_note_reference_without_its_note(toy, fmt):
    document = Document("t", blocks=[Paragraph((Text("Said so."), NoteRef(1)))])
    with pytest.raises(RenderError, match="note"):
        write(fmt, document)
