"""The HTML writer: a Document as one self-contained, accessible web page (the fact box)."""

from __future__ import annotations

from factsheet.rendering.document import Document
from factsheet.writers import WriterOptions


def prepare() -> None:
    """Load the writer's modules ahead (it needs only the standard library)."""
    from factsheet.writers.html import page, svg  # noqa: F401 - for their cost


def write_html(document: Document, options: WriterOptions | None = None) -> bytes:
    """Return ``document`` as a UTF-8 HTML page with its notes, chart and linked data."""
    from factsheet.rendering.validate import check_document
    from factsheet.writers.html.page import page

    check_document(document)
    return page(document).encode("utf-8")
