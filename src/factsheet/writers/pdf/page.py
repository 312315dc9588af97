"""The page template, footer, page count, outline and metadata of the PDF brief."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, BinaryIO

from reportlab.platypus import BaseDocTemplate, Flowable, PageTemplate, Paragraph

from factsheet.writers.pdf import paragraph_styles as styles
from factsheet.writers.pdf.footnotes import FootnoteEngine, NoteFrame
from factsheet.writers.pdf.inline import INLINE, LANG_END, LANG_START, REF_CALLBACK
from factsheet.writers.pdf.typefaces import SANS, SERIF

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _ignore(canv: Canvas, kind: str, label: str) -> None:
    """A canvas callback that does nothing (language spans in an untagged PDF)."""


def page_count_form(page: int) -> str:
    """Return the name of the form that draws "Page N of M" for ``page``."""
    return f"fsPageOf{page}"


def pdf_date(iso: str) -> str | None:
    """Return a PDF date string for an ISO date (``YYYY-MM-DD``...), or None if it is not one."""
    m = _ISO_DATE.match(iso or "")
    return (
        f"D:{m[1]}{m[2] or '01'}{m[3] or '01'}000000+00'00'" if m else None
    )  # a year or month: its first day


class Deferred(Flowable):  # type: ignore[misc]  # reportlab has no type stubs: its classes are Any
    """Flowables made only when layout reaches them (``make`` returns them); never drawn itself."""

    def __init__(self, make: Callable[[], list[Flowable]]):
        super().__init__()
        self.make = make


class BriefDocTemplate(BaseDocTemplate):  # type: ignore[misc]  # reportlab has no type stubs: its classes are Any
    """One-frame pages with notes drawn at their foot, a footer, and an outline of headings."""

    def __init__(
        self,
        buffer: BinaryIO,
        engine: FootnoteEngine,
        footer: Paragraph | None,
        date: str,
        geometry: styles.PageGeometry = styles.PAGE,
        **kw: Any,
    ):
        self.geometry = geometry
        super().__init__(
            buffer,
            pagesize=(geometry.width, geometry.height),
            leftMargin=geometry.left,
            rightMargin=geometry.right,
            topMargin=geometry.top,
            bottomMargin=geometry.bottom,
            invariant=1,
            initialFontName=SERIF,
            initialFontSize=10,
            initialLeading=12,
            displayDocTitle=1,
            **kw,
        )
        self.engine = engine
        self.footer = footer
        self.date = date
        self.body = NoteFrame(
            engine, geometry.left, geometry.bottom, geometry.frame_width, geometry.frame_height
        )
        self.addPageTemplates([PageTemplate(id="brief", frames=[self.body], onPageEnd=self._end_page)])
        self._outline_level = -1
        self._doSave = 0  # build() leaves writing the file to the caller, after finish()

    def beforeDocument(self) -> None:
        self.canv.setNamedCB(REF_CALLBACK, self.engine.on_reference)
        # drawing marks its content for the structure tree (see tagging.py)
        tagger = self.canv.fs_tagger = getattr(self, "tagger", None)
        self.canv.setNamedCB(LANG_START, tagger.language_start if tagger else _ignore)
        self.canv.setNamedCB(LANG_END, tagger.language_end if tagger else _ignore)
        self.canv.setNamedCB(INLINE, tagger.inline if tagger else _ignore)
        stamp = pdf_date(self.date)
        if stamp:
            self.canv.setDateFormatter(lambda *_: stamp)

    def beforePage(self) -> None:
        self.engine.page = self.page
        if self.canv.fs_tagger is not None:
            self.canv.fs_tagger.start_page(self.canv)

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        while flowables and isinstance(flowables[0], Deferred):
            flowables[0:1] = flowables[0].make()
        if flowables:
            super().handle_flowable(flowables)

    def afterFlowable(self, flowable: Flowable) -> None:
        key = getattr(flowable, "outline_key", None)
        if key is None:
            return
        level = min(flowable.outline_level, self._outline_level + 1)
        self._outline_level = level
        self.canv.addOutlineEntry(flowable.outline_title, key, level=level, closed=False)

    def _end_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self.engine.finish_page(canv, self.body)
        geometry = self.geometry
        if self.footer is not None:
            _, h = self.footer.wrap(geometry.frame_width - 90, geometry.footer_baseline)
            self.footer.drawOn(canv, geometry.left, geometry.footer_baseline + self.footer.style.fontSize - h)
        canv.saveState()
        canv.translate(geometry.width - geometry.right, geometry.footer_baseline)
        canv.doForm(page_count_form(self.page))
        canv.restoreState()
        if canv.fs_tagger is not None:
            canv.fs_tagger.end_page(canv)

    def finish(self) -> None:
        """Define the page-count forms now that the number of pages is known, and the outline."""
        canv = self.canv
        total = self.page
        style = styles.STYLES["footer"]
        for page in range(1, total + 1):
            canv.beginForm(page_count_form(page), lowerx=-300, lowery=-20, upperx=10, uppery=30)
            canv.setFont(SANS, style.fontSize)
            canv.setFillColor(style.textColor)
            canv.drawRightString(0, 0, f"Page {page} of {total}")
            canv.endForm()
        if self._outline_level >= 0:
            canv.showOutline()
        # drawing is done: let go of the callbacks' owners (the note engine, the tagger and its tree)
        canv._namedCB = {}
        canv.fs_tagger = None
