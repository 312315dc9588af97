"""Footnotes at the bottom of the page that carries their reference.

reportlab has no footnotes, so this module adds them to platypus layout:

* ``NoteFrame`` is the body frame. Before it places a flowable it raises its
  usable bottom by the height of the notes that flowable references and that
  the page does not hold yet (plus the separator rule for a page's first
  note); if the flowable fits, those notes are reserved for the page, else the
  bottom drops back. The reserved band is therefore never written over.
* ``NoteParagraph`` splits line by line, counting each line together with the
  notes its references bring, so a line whose note would not fit moves to the
  next page with that note. ``NoteTable`` does the same row by row (the header
  row is repeated where a table continues).
* After the page, ``FootnoteEngine.finish_page`` draws the reserved notes in the
  band above the footer, with links between each reference and its note.
* Each reference carries a zero-width ``onDraw`` callback, so the engine knows
  on which page every reference was really drawn. ``finish_page`` checks that
  the references drawn on a page and the notes drawn on it are the same set,
  and raises RenderError if not: a guard against layout bugs, never expected.

This relies on reportlab internals (``Frame._y1p``, ``Paragraph.blPara`` lines,
``Table._rowHeights``, the callback's ``_curr_tx_info``); pyproject.toml pins the
reportlab major version and the tests exercise the self-check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from reportlab import rl_config
from reportlab.platypus import Frame, Paragraph, Table

from factsheet.errors import RenderError
from factsheet.writers.pdf import paragraph_styles as styles
from factsheet.writers.pdf.inline import REF_CALLBACK, note_destination, parse_ref_label
from factsheet.writers.pdf.paraparse import ParsedOnce

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable

_FUZZ = rl_config._FUZZ
_HUGE = 1e9

#: Vertical space above a page's first note, holding the separator rule.
SEPARATOR_SPACE = 12.0
#: Distance from the top of the band down to the separator rule.
SEPARATOR_DROP = 5.0
#: Length of the separator rule.
SEPARATOR_LENGTH = 60.0
#: Space between two notes.
NOTE_GAP = 1.5


def reference_destination(occurrence: int, page: int) -> str:
    """Return the destination name of a reference as drawn on ``page``."""
    return f"fsref-{occurrence}-{page}"


def note_numbers(flowable: Flowable) -> tuple[int, ...]:
    """Return the distinct note numbers a flowable references, in order."""
    get = getattr(flowable, "note_numbers", None)
    return get() if get is not None else ()


def _line_refs(line: object) -> list[int]:
    """Return the note numbers referenced on one broken line of a paragraph."""
    words = getattr(line, "words", None)
    if not words:
        return []
    out = []
    for word in words:
        cb = getattr(word, "cbDefn", None)
        if cb is not None and getattr(cb, "name", None) == REF_CALLBACK:
            out.append(parse_ref_label(cb.label)[0])
    return out


class FootnoteEngine:
    """Knows the notes' heights, records where references are drawn and draws the notes."""

    def __init__(
        self, make_note: Callable[[int], Paragraph], width: float, frame_height: float, min_line: float
    ):
        self._make_note = make_note
        self.width = width
        self.frame_height = frame_height
        self.min_line = min_line
        self._notes: dict[int, tuple[Paragraph, float]] = {}
        self.page = 0
        #: page -> (note number, occurrence) of each reference drawn on it, in drawing order
        self.drawn: dict[int, list[tuple[int, int]]] = {}
        #: page -> note numbers drawn at its foot, in order
        self.placed: dict[int, tuple[int, ...]] = {}
        self._targets: set[int] = set()  # occurrences whose note destination exists
        #: notes referenced more than once: their paragraph is kept, as a later page may draw it again
        self.drawn_again: set[int] = set()

    # -- heights ---------------------------------------------------------------

    def note(self, number: int) -> tuple[Paragraph, float]:
        """Return the wrapped paragraph of a note and the height it takes in the band."""
        got = self._notes.get(number)
        if got is None:
            para = self._make_note(number)
            _, h = para.wrap(self.width, _HUGE)
            room = self.frame_height - SEPARATOR_SPACE - self.min_line
            if h + NOTE_GAP > room:
                raise RenderError(
                    f"footnote {number} is too tall for a page: it needs {h + NOTE_GAP:.0f} pt "
                    f"and a page has {room:.0f} pt for notes next to the line that refers to them"
                )
            got = self._notes[number] = (para, h + NOTE_GAP)
        return got

    def extra_height(self, new: Iterable[int], page_has_notes: bool) -> float:
        """Return the band height that notes ``new`` (not yet on the page) add to it."""
        total = 0.0
        for n in new:
            if not page_has_notes:
                total += SEPARATOR_SPACE
                page_has_notes = True
            total += self.note(n)[1]
        return total

    # -- recording and drawing -----------------------------------------------------

    def on_reference(self, canv: Canvas, kind: str, label: str) -> None:
        """Canvas callback run where a reference is drawn: record it and mark its spot."""
        number, occurrence = parse_ref_label(label)
        page = self.page
        self.drawn.setdefault(page, []).append((number, occurrence))
        info = getattr(canv, "_curr_tx_info", None)
        if info is not None:
            canv.bookmarkHorizontal(
                reference_destination(occurrence, page), info["cur_x"], info["cur_y"] + info["leading"]
            )

    def finish_page(self, canv: Canvas, frame: NoteFrame) -> None:
        """Draw the notes reserved on the current page and check them against its references."""
        page = self.page
        drawn = self.drawn.get(page, [])
        by_number: dict[int, list[int]] = {}
        for number, occurrence in drawn:
            by_number.setdefault(number, []).append(occurrence)
        numbers = sorted(frame.notes)
        if set(by_number) != set(numbers):
            raise RenderError(
                f"footnote placement check failed on page {page}: references to notes "
                f"{sorted(by_number)} but notes {numbers} at its foot"
            )
        self.placed[page] = tuple(numbers)
        if not numbers:
            return
        x = frame._x1
        top = frame.floor + frame.band
        canv.saveState()
        canv.setStrokeColor(styles.RULE)
        canv.setLineWidth(0.5)
        canv.line(x, top - SEPARATOR_DROP, x + SEPARATOR_LENGTH, top - SEPARATOR_DROP)
        canv.restoreState()
        y = top - SEPARATOR_SPACE
        indent = styles.STYLES["footnote"].leftIndent
        leading = styles.STYLES["footnote"].leading
        for number in numbers:
            para, h = self.note(number)
            para.drawOn(canv, x, y - para.height)
            if number not in self.drawn_again:
                del self._notes[number]  # drawn for good: a long brief's notes do not pile up
            occurrences = by_number[number]
            for occurrence in occurrences:
                if occurrence not in self._targets:
                    self._targets.add(occurrence)
                    canv.bookmarkHorizontalAbsolute(note_destination(occurrence), top=y, left=x)
            canv.linkAbsolute(
                "", reference_destination(occurrences[0], page), Rect=(x, y - leading, x + indent - 2, y)
            )
            y -= h


class NoteFrame(Frame):  # type: ignore[misc]  # reportlab has no type stubs: its classes are Any
    """The body frame: its usable bottom rises by the height of the notes reserved on the page."""

    def __init__(self, engine: FootnoteEngine, x1: float, y1: float, width: float, height: float):
        self.__dict__["engine"] = engine
        super().__init__(
            x1, y1, width, height, leftPadding=0, bottomPadding=0, rightPadding=0, topPadding=0, id="body"
        )

    def _reset(self) -> None:
        super()._reset()
        self.floor = self._y1 + self._bottomPadding
        self._y1p = self.floor
        self.notes: list[int] = []
        self._noteset: set[int] = set()
        self.band = 0.0

    def _reserve(self, numbers: Sequence[int]) -> None:
        for n in numbers:
            if n not in self._noteset:
                self.band += self.engine.extra_height((n,), bool(self.notes))
                self.notes.append(n)
                self._noteset.add(n)

    def add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:
        numbers = note_numbers(flowable)
        new = [n for n in numbers if n not in self._noteset]
        if getattr(flowable, "keep_with_next", None) is not None and not self._atTop:
            if not self._room_for_group(flowable):
                return 0
        self._y1p = self.floor + self.band + self.engine.extra_height(new, bool(self.notes))
        placed: int = 0
        try:
            placed = Frame._add(self, flowable, canv, trySplit)
        finally:
            if placed:
                self._reserve(new)
            self._y1p = self.floor + self.band
        return placed

    def fit_units(
        self, heights: Sequence[float], refs: Sequence[Sequence[int]], avail: float
    ) -> tuple[int, float]:
        """Return how many leading units (lines, rows) fit in ``avail`` with their new notes, and their height.

        ``avail`` is measured above the notes already reserved on the page.
        """
        seen = set(self._noteset)
        has_notes = bool(self.notes)
        extra = used = 0.0
        count = 0
        for h, unit_refs in zip(heights, refs):
            new = [n for n in dict.fromkeys(unit_refs) if n not in seen]
            if new:
                extra += self.engine.extra_height(new, has_notes)
                has_notes = True
                seen.update(new)
            if used + h + extra > avail + _FUZZ:
                break
            used += h
            count += 1
        return count, used

    def _room_for_group(self, flowable: Flowable) -> bool:
        """Return whether ``flowable`` and the start of what it keeps with fit above the notes."""
        s = flowable.getSpaceBefore()
        if self._oASpace:
            s = max(s - self._prevASpace, 0)
        avail = self._y - self.floor - self.band - s
        height, refs = _lead(flowable, self._getAvailableWidth(), self._oASpace, 0)
        new = [n for n in dict.fromkeys(refs) if n not in self._noteset]
        fits: bool = height + self.engine.extra_height(new, bool(self.notes)) <= avail + _FUZZ
        return fits


def _lead(flowable: Flowable, width: float, overlap: bool, depth: int) -> tuple[float, list[int]]:
    """Return the least height (and its references) that must share a page with ``flowable``'s start.

    A flowable that keeps with the next one needs itself whole plus the lead of
    the next; a paragraph needs the first lines a split can leave (two, or all of a short one);
    a table its header and first row; anything else all of itself.
    """
    follower = getattr(flowable, "keep_with_next", None)
    if isinstance(flowable, NoteParagraph) and follower is None:
        flowable.wrap(width, _HUGE)
        lines = flowable.blPara.lines
        # the shortest first part a split can leave: two lines, and never one line alone
        # on the next page unless the style allows widows
        widows = getattr(flowable.style, "allowWidows", 1)
        lines = lines if len(lines) <= (2 if widows else 3) else lines[:2]
        refs = [n for line in lines for n in _line_refs(line)]
        return len(lines) * flowable.style.leading, refs
    lead_height = getattr(flowable, "lead_height", None)
    if lead_height is not None:  # a table made a page at a time
        lead: tuple[float, list[int]] = lead_height(width)
        return lead
    if isinstance(flowable, NoteTable):
        flowable.wrap(width, _HUGE)
        # the header and two rows, the least a split leaves on a page
        rows = min(len(flowable._rowHeights), max(1, flowable.repeatRows + 2))
        refs = [n for row in flowable.row_refs()[:rows] for n in row]
        return sum(flowable._rowHeights[:rows]), refs
    _, h = flowable.wrap(width, _HUGE)
    refs = list(note_numbers(flowable))
    if follower is not None and depth < 4:
        gap = flowable.getSpaceAfter()
        before = follower.getSpaceBefore()
        gap = max(gap, before) if overlap else gap + before
        h2, refs2 = _lead(follower, width, overlap, depth + 1)
        return h + gap + h2, refs + refs2
    return h, refs


def _too_tall(numbers: Sequence[int], what: str) -> str:
    shown = ", ".join(str(n) for n in dict.fromkeys(numbers))
    return f"footnotes {shown} and {what} that refers to them do not fit on one page together"


def _without_leading_break(parts: list[Flowable]) -> list[Flowable]:
    """Return a paragraph's split parts, the second without the line break the cut fell on.

    reportlab starts the rest of a paragraph cut just before a ``<br/>`` with that
    break, which draws as an empty first line on the next page or cell part.
    """
    if len(parts) == 2:
        frags = parts[1].frags
        while (
            frags
            and isinstance(frags[0], list)
            and len(frags[0]) == 2
            and isinstance(frags[0][1], tuple)
            and getattr(frags[0][1][0], "lineBreak", False)
            and not frags[0][1][1]
        ):
            del frags[0]
    return parts


class NoteParagraph(ParsedOnce):
    """A paragraph that knows its note references and splits with their notes in mind."""

    #: note numbers referenced, in order (may repeat)
    refs: tuple[int, ...] = ()
    #: a flowable this one must not be parted from at a page break (headings)
    keep_with_next = None

    def __init__(self, text: str, style: ParagraphStyle, refs: Sequence[int] = (), **kw: Any):
        super().__init__(text, style, **kw)
        if refs:
            self.refs = tuple(refs)

    def note_numbers(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(self.refs))

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Layout asks again and again at the same width (fit test, split, keep-with-next
        # look-ahead): breaking lines is the costly part, so keep the last result.
        if self._wrapped_at == availWidth and getattr(self, "blPara", None) is not None:
            return self.width, self.height
        size: tuple[float, float] = Paragraph.wrap(self, availWidth, availHeight)
        self._wrapped_at = availWidth
        return size

    _wrapped_at: float | None = None

    #: an aside (an editor's note) that moves to the next page whole rather than split
    keep_together = False

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self.keep_with_next is not None:
            return []
        frame = getattr(self, "_frame", None)
        if self.keep_together and isinstance(frame, NoteFrame) and not frame._atTop:
            return []
        if not self.refs:
            return _without_leading_break(Paragraph.split(self, availWidth, availHeight))
        if getattr(self, "blPara", None) is None or self.width != availWidth:
            self.wrap(availWidth, availHeight)
        lines = self.blPara.lines
        per_line = [_line_refs(line) for line in lines]
        frame = getattr(self, "_frame", None)
        height = availHeight
        if isinstance(frame, NoteFrame):
            leading = self.style.leading
            count, _ = frame.fit_units([leading] * len(lines), per_line, availHeight)
            if frame._atTop:
                if count == 0 and per_line[0]:
                    raise RenderError(_too_tall(per_line[0], "the line of text"))
                self.allowOrphans = 1  # a page may start with a single line; never loop
            if count == 0:
                return []
            count = min(count, len(lines) - 1)
            height = count * leading + leading * 1e-6
        parts = _without_leading_break(Paragraph.split(self, availWidth, height))
        if len(parts) == 2:
            first, rest = parts
            cut = len(first.blPara.lines)
            first.refs = tuple(n for refs in per_line[:cut] for n in refs)
            rest.refs = tuple(n for refs in per_line[cut:] for n in refs)
        return parts


class NoteTable(Table):  # type: ignore[misc]  # reportlab has no type stubs: its classes are Any
    """A table whose rows know their note references; it splits between rows with their notes in mind."""

    keep_with_next = None
    #: what the table is, for messages ("the table in block 12")
    label = ""

    def row_refs(self) -> list[list[int]]:
        """Return the note numbers referenced in each row (worked out once per table)."""
        memo = self.__dict__.get("_row_refs_memo")
        if memo is not None and memo[0] is self._cellvalues:
            known: list[list[int]] = memo[1]
            return known
        out = self._compute_row_refs()
        self._row_refs_memo = (self._cellvalues, out)
        return out

    def _compute_row_refs(self) -> list[list[int]]:
        out = []
        for row in self._cellvalues:
            refs: list[int] = []
            for cell in row:
                for item in cell if isinstance(cell, (list, tuple)) else (cell,):
                    refs.extend(getattr(item, "refs", ()))
            out.append(refs)
        return out

    def note_numbers(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(n for row in self.row_refs() for n in row))

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        if not isinstance(frame, NoteFrame):
            whole: list[Flowable] = Table.split(self, availWidth, availHeight)
            return whole
        self._calc(availWidth, availHeight)
        heights = self._rowHeights
        count, used = frame.fit_units(heights, self.row_refs(), availHeight)
        if count >= len(heights):
            count -= 1
        # Neither part may be a lone row: the rows left for the next page are at least two,
        # and so are the body rows kept here, or the whole table moves on.
        body = len(heights) - self.repeatRows
        if body >= 4 and len(heights) - count == 1:
            count -= 1
        if body >= 2 and count - self.repeatRows < 2 and not frame._atTop:
            count = self.repeatRows
        used = sum(heights[:count])
        if count <= self.repeatRows:
            parts = (
                self._split_in_row(frame, availWidth, availHeight) if len(heights) > self.repeatRows else []
            )
            if parts:
                return parts
            rows = self.row_refs()
            first = rows[0] + (rows[self.repeatRows] if len(rows) > self.repeatRows else [])
            if frame._atTop and first:
                raise RenderError(_too_tall(first, "a table row and its header"))
            if frame._atTop:
                raise RenderError(f"{self.label or 'a table'}: a row cannot be split across pages")
            return []
        rows = self.row_refs()
        halves: list[Flowable] = Table.split(self, availWidth, used + 1e-6)
        if len(halves) == 2:  # hand each part its rows' references: no part walks the rows again
            first, rest = halves
            n = len(first._cellvalues)
            first._row_refs_memo = (first._cellvalues, rows[:n])
            rest._row_refs_memo = (rest._cellvalues, rows[: self.repeatRows] + rows[n:])
        return halves

    def _split_in_row(self, frame: NoteFrame, availWidth: float, availHeight: float) -> list[Flowable]:
        """Return the table split inside its first body row, or [] when that row should move on whole.

        Only a row that could never fit, at the top of a page or taller than a
        whole page, is cut: every other row moves to the next page whole. The
        cut is raised until the first part's new notes fit below it.
        """
        heights = self._rowHeights
        header = sum(heights[: self.repeatRows])
        row = heights[self.repeatRows]
        page = frame._y2 - frame.floor  # the frame's height on an empty page
        if not (frame._atTop or header + row > page):
            return []
        # a cut leaves at least a few lines on this page, or none at all
        if not frame._atTop and availHeight - header < 3 * frame.engine.min_line:
            return []

        def attempt(limit: float) -> list[Flowable]:
            try:
                parts: list[Flowable] = Table._splitRows(self, limit, doInRowSplit=1)
            except IndexError:  # a cell's content fits whole above the cut: cut elsewhere
                return []
            if len(parts) != 2:
                return []
            first, rest = parts
            # the rest of the row is as tall as what it holds, not what the row was less the cut
            rest._argH = [None if i == self.repeatRows else h for i, h in enumerate(rest._argH)]
            first._calc(availWidth, availHeight)
            refs = first._compute_row_refs()
            count, _ = frame.fit_units(first._rowHeights, refs, availHeight)
            if count < len(first._rowHeights):
                return []
            first._row_refs_memo = (first._cellvalues, refs)
            return parts

        # the cut falls inside the row; fewer lines above it bring fewer notes, so
        # look for the lowest cut whose first part fits with its notes
        high = min(availHeight, header + row - frame.engine.min_line)
        parts = attempt(high)
        low = header
        best: list[Flowable] = []
        while not parts and high - low > frame.engine.min_line / 2:
            middle = (low + high) / 2
            got = attempt(middle)
            if got:
                best, low = got, middle
            else:
                high = middle
        return parts or best
