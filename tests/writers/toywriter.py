"""A toy output format: the brief as plain text, one block a line, notes at the end."""

from __future__ import annotations

from factsheet.rendering.document import Chart, Document, Heading, Paragraph, Table, plain_text
from factsheet.writers import WriterOptions


def write_text(document: Document, options: WriterOptions) -> bytes:
    """Return ``document`` as UTF-8 lines: headings in capitals, paragraphs, table rows, chart titles."""
    lines = [document.title.upper(), ""]
    for block in document.blocks:
        if isinstance(block, Heading):
            lines += ["", plain_text(block.inlines).upper()]
        elif isinstance(block, Paragraph):
            lines.append(plain_text(block.inlines))
        elif isinstance(block, Table):
            lines += [" | ".join(plain_text(cell) for cell in row) for row in block.rows]
        elif isinstance(block, Chart):
            lines.append(f"[chart: {block.title}]")
    lines += [""] + [f"{n.number}. {plain_text(n.inlines)}" for n in document.footnotes]
    return ("\n".join(lines) + "\n").encode("utf-8")
