"""Write a Document as a PDF brief (A4 or US Letter) with footnotes at the foot of the page that cites them.

Importing this package is cheap: reportlab is imported on the first write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factsheet.rendering.document import Document
    from factsheet.writers import WriterOptions
    from factsheet.writers.pdf.render import RenderedPdf

__all__ = ["prepare", "render_pdf", "write_pdf"]


def prepare() -> None:
    """Import reportlab and load the faces a brief draws and the colour profile now, ahead of the first write.

    A face the brief does not draw (the dossier's bold serif) is read by the write that needs it.
    """
    from factsheet.rendering import chartgeometry, fonts
    from factsheet.writers.pdf.reportlab_import import import_reportlab

    import_reportlab()
    from factsheet.writers.pdf import archival, pdffile, render, structtree, typefaces  # noqa: F401 - for their cost

    typefaces.register(fonts.face(family, bold, italic).name for family, bold, italic in fonts.BRIEF_FACES)
    archival.srgb_profile()
    for bold in (False, True):  # the faces a chart's labels are measured in
        chartgeometry.text_width("0", 1.0, bold)
    for family in (fonts.SERIF, fonts.SANS):  # the characters each family draws, for the glyph checks
        fonts.missing_characters("", family)


def write_pdf(document: Document, options: WriterOptions | None = None) -> bytes:
    """Return ``document`` as PDF bytes; raise RenderError for anything that cannot be drawn."""
    from factsheet.writers.pdf.reportlab_import import import_reportlab

    import_reportlab()
    from factsheet.writers.pdf.render import write_pdf as write

    return write(document, options)


def render_pdf(document: Document, options: WriterOptions | None = None) -> RenderedPdf:
    """Return the PDF bytes and, per page, the numbers of the notes drawn at its foot."""
    from factsheet.writers.pdf.reportlab_import import import_reportlab

    import_reportlab()
    from factsheet.writers.pdf.render import render_pdf as render

    return render(document, options)
