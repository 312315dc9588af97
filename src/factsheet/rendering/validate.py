"""Checks every writer relies on: change marks and notes of a document, done once for all formats."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from factsheet.errors import RenderError
from factsheet.rendering import document as m


def check_document(document: m.Document) -> None:
    """Raise RenderError unless the document's notes and change marks are sound (see below)."""
    check_notes(document)
    check_changes(document)


def has_changes(document: m.Document) -> bool:
    """Return True when anything in the document is marked inserted or deleted."""
    return any(change for change, _ in _marks(document))


def _check_change(change: str, where: str) -> None:
    if change not in m.CHANGES:
        raise RenderError(f"change mark {change!r} of {where} must be 'ins', 'del' or empty")


def _marks(document: m.Document) -> Iterator[tuple[str, str]]:
    """Yield (change mark, where) for every mark in the document."""

    def inline_marks(inlines: Iterable[m.Inline], where: str) -> Iterator[tuple[str, str]]:
        for inline in inlines:
            yield getattr(inline, "change", ""), where

    for block in document.blocks:
        name = type(block).__name__.lower()
        yield getattr(block, "change", ""), name
        if isinstance(block, (m.Heading, m.Paragraph)):
            yield from inline_marks(block.inlines, name)
        elif isinstance(block, m.BulletList):
            for change in block.item_changes:
                yield change, "list item"
            for item in block.items:
                yield from inline_marks(item, "list item")
        elif isinstance(block, m.Table):
            for change in block.row_changes:
                yield change, "table row"
            for row in (block.header, *block.rows):
                for cell in row:
                    yield from inline_marks(cell, "table cell")
        elif isinstance(block, m.Chart):
            yield from inline_marks(block.caption, "chart caption")
    for note in document.footnotes:
        yield from inline_marks(note.inlines, f"footnote {note.number}")


def check_changes(document: m.Document) -> bool:
    """Check every change mark is inserted, deleted or none; return True when the document has any."""
    marked = False
    for change, where in _marks(document):
        _check_change(change, where)
        marked = marked or bool(change)
    return marked


def _references(inlines: Iterable[m.Inline]) -> list[int]:
    return [i.number for i in inlines if isinstance(i, m.NoteRef)]


def _block_references(block: m.Block) -> list[int]:
    if isinstance(block, (m.Heading, m.Paragraph)):
        return _references(block.inlines)
    if isinstance(block, m.BulletList):
        return [n for item in block.items for n in _references(item)]
    if isinstance(block, m.Table):
        return [n for row in (block.header, *block.rows) for cell in row for n in _references(cell)]
    if isinstance(block, m.Chart):
        return _references(block.caption)
    return []


def check_notes(document: m.Document) -> None:
    """Check that every note is referenced, notes numbered in order of their first reference.

    Word numbers footnotes by where their references appear, so the first reference
    to each note must come in note order; a later reference to a note already
    referenced repeats its number (a cross-reference in Word, a link in the PDF).
    """
    for index, note in enumerate(document.footnotes, start=1):
        if note.number != index:
            raise RenderError(f"footnote number {note.number} found where number {index} was expected")
        if _references(note.inlines):
            raise RenderError(f"footnote {note.number} contains a note reference")
    seen = [n for block in document.blocks for n in _block_references(block)]
    count = len(document.footnotes)
    expected = 1
    for number in seen:
        if number < 1 or number > count:
            raise RenderError(f"note reference {number} has no footnote ({count} notes)")
        if number == expected:
            expected += 1
        elif number > expected:
            raise RenderError(
                f"note reference {number} appears where note {expected} is expected "
                "(references must follow reading order)"
            )
    if expected <= count:
        raise RenderError(f"footnote {expected} is never referenced")
