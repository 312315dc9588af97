"""A long PDF table whose rows become reportlab cells only when layout reaches them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from reportlab.platypus import Flowable

from factsheet.writers.pdf.footnotes import NoteTable

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

#: Cells of one row: a list of flowables per column.
Row = list[list[Flowable]]
#: Makes body row ``i`` (0-based) of the table.
MakeRow = Callable[[int], Row]
#: Makes a NoteTable of the given rows (header first) with the spaces above and below it.
MakeTable = Callable[[list[Row], float, float], NoteTable]

_HUGE = 1e9


class RowSource:
    """The rows of one table in the document, made on demand and dropped once laid out."""

    def __init__(
        self,
        header: Row,
        count: int,
        make_row: MakeRow,
        refs: Sequence[Sequence[int]],
        make_table: MakeTable,
        col_widths: Sequence[float],
        padding: tuple[float, float, float],
    ):
        self.header = header
        self.count = count
        self.make_row = make_row
        self.refs = refs  # note numbers per body row, known without making the row
        self.make_table = make_table
        self.col_widths = list(col_widths)
        self.padding = padding  # left + right, top, bottom padding of a cell
        self._made: dict[int, Row] = {}

    def row(self, i: int) -> Row:
        """Return body row ``i``, making it now if it was not made yet."""
        got = self._made.get(i)
        if got is None:
            got = self._made[i] = self.make_row(i)
        return got

    def forget_before(self, i: int) -> None:
        """Drop the rows above body row ``i``: they are laid out."""
        for k in [k for k in self._made if k < i]:
            del self._made[k]

    def height(self, row: Row) -> float:
        """Return the height a row's cells need (what reportlab's table will find)."""
        sides, top, bottom = self.padding
        tallest = 0.0
        for cell, width in zip(row, self.col_widths):
            h = sum(f.wrap(width - sides, _HUGE)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in cell)
            tallest = max(tallest, h)
        return tallest + top + bottom


class PagedTable(Flowable):  # type: ignore[misc]  # reportlab has no type stubs: its classes are Any
    """The rows of a long table from ``start`` on, laid out a page at a time.

    Making every cell paragraph of a table with thousands of rows before layout
    holds them all in memory at once. This flowable makes only the rows that can
    fill the space it is offered (and one more), as a NoteTable that does the
    real work: it splits between rows, or inside a row taller than a page, with
    the notes in mind. What is left over becomes the next PagedTable. The pages
    are the same as with one NoteTable of all the rows.
    """

    keep_with_next = None

    def __init__(
        self,
        source: RowSource,
        start: int = 0,
        carried: Row | None = None,
        space_before: float = 0.0,
        space_after: float = 0.0,
    ):
        super().__init__()
        self.source = source
        self.start = start
        self.carried = carried  # the rest of a row cut at the foot of the last page
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.hAlign = "LEFT"
        self._whole: NoteTable | None = None

    def _rows(self, avail: float) -> tuple[list[Row], bool]:
        """Return the body rows that fill ``avail`` and one more, and whether they are all that is left."""
        src = self.source
        rows = [self.carried] if self.carried is not None else []
        used = src.height(src.header) + sum(src.height(r) for r in rows)
        i, beyond = self.start, 0
        while i < src.count and beyond < 2:  # one row past the space, in case a height is rounded
            row = src.row(i)
            rows.append(row)
            used += src.height(row)
            i += 1
            beyond += used > avail
        return rows, i >= src.count

    def _table(self, rows: list[Row]) -> NoteTable:
        return self.source.make_table([self.source.header, *rows], self.spaceBefore, self.spaceAfter)

    def note_numbers(self) -> tuple[int, ...]:
        """Return the notes referenced by every row still to be laid out."""
        out: dict[int, None] = {}
        if self.carried is not None:
            out.update(
                dict.fromkeys(n for cell in self.carried for f in cell for n in getattr(f, "refs", ()))
            )
        for refs in self.source.refs[self.start :]:
            out.update(dict.fromkeys(refs))
        return tuple(out)

    def lead_height(self, width: float) -> tuple[float, list[int]]:
        """Return the height and note numbers of the header and first row (what must share a page)."""
        src = self.source
        first = (
            self.carried
            if self.carried is not None
            else src.row(self.start)
            if src.count > self.start
            else []
        )
        table = self._table([first] if first else [])
        table.wrap(width, _HUGE)
        refs = [n for row in table.row_refs() for n in row]
        return sum(table._rowHeights), refs

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        rows, whole = self._rows(availHeight)
        if whole:
            self._whole = self._table(rows)
            self.width, self.height = self._whole.wrap(availWidth, availHeight)
        else:  # more than fits: the frame will ask for a split
            self._whole = None
            self.width, self.height = availWidth, availHeight + 1 + sum(map(self.source.height, rows))
        return self.width, self.height

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        if self._whole is None:
            raise AssertionError("a PagedTable is drawn only when it fits whole")
        self._whole.canv = canvas
        self._whole.drawOn(canvas, x, y, _sW)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        rows, whole = self._rows(availHeight)
        table = self._table(rows)
        table._frame = getattr(self, "_frame", None)
        table.canv = getattr(self, "canv", None)
        try:
            parts = table.split(availWidth, availHeight)
        finally:
            for name in ("_frame", "canv"):
                table.__dict__.pop(name, None)
        if len(parts) != 2 or whole:
            return parts
        first, rest = parts
        above = len(first._cellvalues) - 1  # body rows above the cut, a cut row's first part included
        cut = above + len(rest._cellvalues) - 1 > len(rows)  # a row was cut: its rest opens the next part
        next_start = self.start + above - (1 if self.carried is not None else 0)
        self.source.forget_before(next_start)
        carry = rest._cellvalues[1] if cut else None
        return [first, PagedTable(self.source, next_start, carry, 0.0, self.spaceAfter)]
