"""Chart geometry: a Chart laid out once as marks (strokes, boxes, shapes, text) in points, for any painter.

:func:`layout` turns a :class:`~factsheet.document.Chart` of a given width into
a :class:`Layout`: every line, filled box, marker and piece of text with its
position (origin at the top left, y growing downwards, text placed at its
baseline), its colour from :data:`PALETTE` and its font size. The painters
(reportlab for the PDF, Pillow for the DOCX picture, SVG for the HTML page)
only paint these marks; none of them decides where anything goes.

How figures become marks (the chart shows what was said, no more):

- every figure is drawn over exactly the days its date covers: a figure dated
  to the day is a marker on that day; one dated to part of a month, a month, a
  season or a year is a bar across that whole period, with no point in its
  middle;
- a range is a range: a vertical bar with caps from low to high (dated to the
  day) or a shaded box over the period from low to high; no point between;
- a figure given only in words has no height: it is listed in a lane beneath
  the time axis, as a bar across its period (or a hollow marker on its day)
  with its words beside it, never above or among the numbers;
- successive figures of one series are joined by a line only when they come
  from the same source, are both dated to the day and are not ranges: one
  series is one kind of count, and different sources' estimates are not a
  trend;
- a legend names each series; labels are placed where they overlap no mark
  and no other text, and a label with no free place near its mark is listed
  beneath the chart with the series' marker and its date instead.

Sizes come in two presets: :data:`PRINT` (points, for the PDF and the DOCX
picture: no text under 7 pt) and :data:`SCREEN` (CSS pixels for the HTML page,
laid out at :data:`SCREEN_WIDTH`: 12 px text on a 320 px wide screen). Text is
measured with DejaVu Sans, the font every painter draws it in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from factsheet.rendering import theme
from factsheet.rendering.document import Chart

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

#: Series colours, and one marker shape per series so the chart reads in black and white.
PALETTE = theme.PALETTE
SHAPES = theme.SHAPES
INK, GREY, GRID, PAPER = "#1a1a1a", "#5f6368", "#d9d9d9", "#ffffff"

#: The default size of a chart in points: the text width of the brief, and a height that leaves room for text.
WIDTH, HEIGHT = 459.2, 195.0
#: The width the HTML chart is laid out at: a 320 px screen less the page's side padding.
SCREEN_WIDTH = 288.0

Box4 = tuple[float, float, float, float]


@dataclass(frozen=True)
class Sizes:
    """Text sizes and marker radius of one medium."""

    title: float
    text: float
    label: float
    marker: float


#: Print (PDF, DOCX picture), in points.
PRINT = Sizes(title=9.5, text=7.5, label=7.2, marker=2.8)
#: Screen (HTML), in CSS pixels at :data:`SCREEN_WIDTH`.
SCREEN = Sizes(title=14.0, text=12.0, label=12.0, marker=4.0)

# Legacy names, read by painters' glyph checks and older callers.
TITLE_SIZE, TEXT_SIZE, LABEL_SIZE = PRINT.title, PRINT.text, PRINT.label


@dataclass(frozen=True)
class Stroke:
    """A line through ``points``; ``dash`` is (on, off) lengths, empty for a solid line.

    ``role`` says what the mark is ("data", "axis", "legend"); ``ref`` names
    the figure a data mark draws ("s0p1": series 0, point 1; "s0w0": its first
    figure given only in words).
    """

    points: tuple[tuple[float, float], ...]
    colour: str
    width: float
    dash: tuple[float, ...] = ()
    role: str = "data"
    ref: str = ""


@dataclass(frozen=True)
class Box:
    """A filled rectangle from (x0, y0) to (x1, y1), y0 above y1; ``role`` "backdrop" is a label's paper."""

    x0: float
    y0: float
    x1: float
    y1: float
    fill: str
    role: str = "data"
    ref: str = ""


@dataclass(frozen=True)
class Shape:
    """A marker: ``kind`` is circle, square, triangle or diamond, ``r`` its radius."""

    kind: str
    x: float
    y: float
    r: float
    fill: str
    outline: str
    width: float
    role: str = "data"
    ref: str = ""


@dataclass(frozen=True)
class Label:
    """Text with its baseline at ``y``; ``anchor`` says where ``x`` is: start, middle or end.

    A ``vertical`` label reads upwards, centred on (x, y).
    """

    x: float
    y: float
    text: str
    size: float
    colour: str
    bold: bool = False
    anchor: str = "start"
    vertical: bool = False


Mark = Stroke | Box | Shape | Label


@dataclass(frozen=True)
class Layout:
    """A chart's marks in painting order, on a canvas of ``width`` × ``height``.

    ``x_of`` maps a day (days since 1970-01-01, the Chart's x unit) to its
    left edge on the canvas, so a test can check a mark against its date.
    """

    width: float
    height: float
    marks: tuple[Mark, ...]
    x_of: Callable[[float], float] | None = field(default=None, compare=False, repr=False)

    def texts(self) -> list[str]:
        """Return every text the layout draws."""
        return [m.text for m in self.marks if isinstance(m, Label)]


@lru_cache(maxsize=4)
def _font(bold: bool) -> FreeTypeFont:
    from PIL import ImageFont

    from factsheet.rendering import fonts

    return ImageFont.truetype(str(fonts.face_path(fonts.face(fonts.SANS, bold=bold))), 1000)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Return the width of ``text`` in DejaVu Sans at ``size`` points."""
    return _font(bold).getlength(text) * size / 1000


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Return ``text`` broken at spaces into lines no wider than ``width`` (a single long word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _lines(
    marks: list[Mark], x: float, y: float, text: str, size: float, ink: str, width: float, bold: bool = False
) -> float:
    """Add ``text`` wrapped to ``width`` from baseline ``y``; return the baseline of its last line."""
    for i, line in enumerate(wrap(text, size, width - x, bold)):
        if i:
            y += size * 1.25
        marks.append(Label(x, y, line, size, ink, bold=bold))
    return y


# -- boxes, for placing and for tests ----------------------------------------


def label_box(m: Label) -> Box4:
    """Return the box (x0, y0, x1, y1) the text of ``m`` covers: its advance width, ascent and descent."""
    w = text_width(m.text, m.size, m.bold)
    if m.vertical:
        return (m.x - m.size * 0.75, m.y - w / 2, m.x + m.size * 0.5, m.y + w / 2)
    x0 = {"start": m.x, "middle": m.x - w / 2, "end": m.x - w}[m.anchor]
    return (x0, m.y - m.size * 0.78, x0 + w, m.y + m.size * 0.24)


def mark_box(m: Mark) -> Box4:
    """Return the box any mark covers (a stroke's with half its width on each side)."""
    if isinstance(m, Label):
        return label_box(m)
    if isinstance(m, Box):
        return (m.x0, m.y0, m.x1, m.y1)
    if isinstance(m, Shape):
        r = m.r * 1.15 + m.width / 2
        return (m.x - r, m.y - r, m.x + r, m.y + r)
    xs, ys = [p[0] for p in m.points], [p[1] for p in m.points]
    h = m.width / 2
    return (min(xs) - h, min(ys) - h, max(xs) + h, max(ys) + h)


def overlap(a: Box4, b: Box4) -> bool:
    """Return True when boxes ``a`` and ``b`` share more than an edge."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# -- scales -------------------------------------------------------------------


def nice_ticks(lo: float, hi: float, target: int = 5) -> list[float]:
    """Return evenly spaced round tick values covering [lo, hi]."""
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(1, target)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step + 1e-9) * step
    stop = math.ceil(hi / step - 1e-9) * step
    n = int(round((stop - start) / step))
    return [start + i * step for i in range(n + 1)]


def tick_text(ticks: list[float]) -> Callable[[float], str]:
    """Return a function that writes a tick value with as many decimals as the step needs."""
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0

    def fmt(v: float) -> str:
        if decimals == 0:
            return _number(round(v))
        text = f"{v:,.{decimals}f}"
        return "0" if text.strip("-0.,") == "" else text

    return fmt


def tint(colour: str, amount: float) -> str:
    """Return ``colour`` mixed with white (0 = the colour, 1 = white)."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def colour(i: int) -> str:
    """Return the colour of series ``i``."""
    return PALETTE[i % len(PALETTE)]


def shape(i: int) -> str:
    """Return the marker shape of series ``i``."""
    return SHAPES[i % len(SHAPES)]


@dataclass(frozen=True)
class _Frame:
    """The plot area and its scales."""

    left: float
    right: float
    top: float
    bottom: float
    x_lo: float
    x_hi: float
    y_ticks: tuple[float, ...]

    def sx(self, day: float) -> float:
        """Return the canvas x of the start of ``day``."""
        return self.left + (day - self.x_lo) / (self.x_hi - self.x_lo) * (self.right - self.left)

    def sy(self, value: float) -> float:
        """Return the canvas y of ``value``."""
        lo, hi = self.y_ticks[0], self.y_ticks[-1]
        return self.bottom - (value - lo) / (hi - lo) * (self.bottom - self.top)


@dataclass(frozen=True)
class _Figure:
    """One numeric figure: its series, index, period [first, last] in days, low and high value, label."""

    series: int
    index: int
    first: float
    last: float
    low: float
    high: float
    label: str
    source: str

    @property
    def ref(self) -> str:
        return f"s{self.series}p{self.index}"

    @property
    def exact(self) -> bool:
        return self.last - self.first < 1


@dataclass(frozen=True)
class _Words:
    """One figure given only in words: its series, index, period and its words."""

    series: int
    index: int
    first: float
    last: float
    label: str


def _numbers(chart: Chart) -> list[_Figure]:
    out = []
    for i, s in enumerate(chart.series):
        spans, ranges, sources = s.spans, s.ranges, s.sources
        for j, (x, y) in enumerate(s.points):
            first, last = spans[j] if j < len(spans) else (x, x)
            low, high = ranges[j] if j < len(ranges) else (y, y)
            label = s.labels[j] if j < len(s.labels) else ""
            out.append(_Figure(i, j, first, last, low, high, label, sources[j] if j < len(sources) else ""))
    return out


def _words(chart: Chart) -> list[_Words]:
    out = []
    for i, s in enumerate(chart.series):
        spans = s.marker_spans
        for j, (x, text) in enumerate(s.markers):
            first, last = spans[j] if j < len(spans) else (x, x)
            out.append(_Words(i, j, first, last, text))
    return out


# -- the parts of a chart ---------------------------------------------------


def _title(chart: Chart, width: float, sizes: Sizes, marks: list[Mark]) -> float:
    """Add the title; return the y below it."""
    if not chart.title:
        return 2.0
    return (
        _lines(marks, 0, 2.0 + sizes.title, chart.title, sizes.title, INK, width, bold=True)
        + sizes.title * 0.8
    )


def _legend(chart: Chart, width: float, y: float, sizes: Sizes, marks: list[Mark]) -> float:
    """Add a legend naming each series (its marker on a short line, then its name); return the y below it."""
    if not chart.series:
        return y
    x, base = 0.0, y + sizes.text
    swatch = sizes.text * 2.2
    for i, s in enumerate(chart.series):
        item = swatch + 4 + text_width(s.name, sizes.text) + sizes.text * 1.6
        if x > 0 and x + item > width:
            x, base = 0.0, base + sizes.text * 1.6
        mid = base - sizes.text * 0.3
        marks.append(Stroke(((x, mid), (x + swatch, mid)), colour(i), 1.5, role="legend"))
        marks.append(
            Shape(shape(i), x + swatch / 2, mid, sizes.marker * 0.9, colour(i), PAPER, 0.6, "legend")
        )
        marks.append(Label(x + swatch + 4, base, s.name, sizes.text, INK))
        x += item
    return base + sizes.text * 0.9


def _frame(chart: Chart, figures: list[_Figure], words: list[_Words], box: Box4, sizes: Sizes) -> _Frame:
    """Return the plot's frame inside ``box``: value ticks from the numbers only, days from every figure."""
    _, top, width, bottom = box
    values = [v for f in figures for v in (f.low, f.high)] or [0.0, 1.0]
    lo, hi = min(values), max(values)
    target = max(2, min(5, int((bottom - top) / (sizes.text * 3))))
    y_ticks = nice_ticks(0.0, hi * 1.08 or 1.0, target) if lo >= 0 else nice_ticks(lo, hi, target)
    fmt = tick_text(y_ticks)
    widest = max(text_width(fmt(t), sizes.text) for t in y_ticks)
    left = widest + (sizes.text * 2.4 if chart.y_label else sizes.text * 0.8)
    days = [v for v, _ in chart.x_ticks]
    days += [d for f in figures for d in (f.first, f.last + 1)]
    days += [d for w in words for d in (w.first, w.last + 1)]
    x_lo, x_hi = min(days), max(days)
    if x_hi == x_lo:
        x_lo, x_hi = x_lo - 1, x_hi + 1
    pad = (x_hi - x_lo) * 0.02
    return _Frame(left, width - sizes.text, top, bottom, x_lo - pad, x_hi + pad, tuple(y_ticks))


def _axes(chart: Chart, frame: _Frame, width: float, sizes: Sizes, marks: list[Mark]) -> list[Box4]:
    """Add grid, axes, ticks and their labels; return the boxes of the labels drawn."""
    taken: list[Box4] = []
    fmt = tick_text(list(frame.y_ticks))
    for t in frame.y_ticks:
        ty = frame.sy(t)
        marks.append(Stroke(((frame.left, ty), (frame.right, ty)), GRID, 0.4, role="axis"))
        _add_label(
            marks,
            taken,
            Label(frame.left - 4, ty + sizes.text * 0.35, fmt(t), sizes.text, GREY, anchor="end"),
        )
    marks.append(Stroke(((frame.left, frame.bottom), (frame.right, frame.bottom)), GREY, 0.7, role="axis"))
    marks.append(Stroke(((frame.left, frame.bottom), (frame.left, frame.top)), GREY, 0.7, role="axis"))
    base = frame.bottom + 3 + sizes.text * 1.1
    shown: list[Box4] = []
    for value, text in chart.x_ticks:
        tx = frame.sx(value)
        if not frame.left - 0.5 <= tx <= frame.right + 0.5:
            continue
        marks.append(Stroke(((tx, frame.bottom), (tx, frame.bottom + 3)), GREY, 0.7, role="axis"))
        half = text_width(text, sizes.text) / 2
        label = Label(min(max(tx, half), width - half), base, text, sizes.text, GREY, anchor="middle")
        box = label_box(label)
        crowded = any(overlap(_grown(box, sizes.text * 0.4), t) for t in shown)  # thin out crowded ticks
        if not crowded and not any(overlap(box, t) for t in taken):
            shown.append(box)
            _add_label(marks, taken, label)
    if chart.y_label:
        label = Label(
            sizes.text * 0.75,
            (frame.top + frame.bottom) / 2,
            chart.y_label,
            sizes.text,
            GREY,
            anchor="middle",
            vertical=True,
        )
        _add_label(marks, taken, label)
    return taken


def _add_label(marks: list[Mark], taken: list[Box4], label: Label) -> None:
    marks.append(label)
    taken.append(label_box(label))


def _grown(box: Box4, by: float) -> Box4:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


def _figure_marks(f: _Figure, frame: _Frame, sizes: Sizes) -> list[Mark]:
    """Return the marks of one numeric figure, drawn over exactly its period."""
    ink = colour(f.series)
    x0, x1 = frame.sx(f.first), frame.sx(f.last + 1)
    top, low = frame.sy(f.high), frame.sy(f.low)
    if f.exact:
        x = (x0 + x1) / 2
        if f.high != f.low:  # a range on one day: a capped bar, no point between
            cap = sizes.marker
            return [
                Stroke(((x, top), (x, low)), ink, 1.4, ref=f.ref),
                Stroke(((x - cap, top), (x + cap, top)), ink, 1.4, ref=f.ref),
                Stroke(((x - cap, low), (x + cap, low)), ink, 1.4, ref=f.ref),
            ]
        return [Shape(shape(f.series), x, top, sizes.marker, ink, PAPER, 0.6, ref=f.ref)]
    x1 = max(x1, x0 + 1.5)  # a short period stays visible
    tick = sizes.marker
    if f.high != f.low:  # a range over a period: a box from low to high, no line between
        return [
            Box(x0, top, x1, low, tint(ink, 0.6), ref=f.ref),
            Stroke(((x0, top), (x1, top)), ink, 1.2, ref=f.ref),
            Stroke(((x0, low), (x1, low)), ink, 1.2, ref=f.ref),
        ]
    return [
        Stroke(((x0, top), (x1, top)), ink, 2.2, ref=f.ref),
        Stroke(((x0, top - tick), (x0, top + tick)), ink, 1.0, ref=f.ref),
        Stroke(((x1, top - tick), (x1, top + tick)), ink, 1.0, ref=f.ref),
    ]


def _joins(figures: list[_Figure], frame: _Frame) -> list[Mark]:
    """Return lines joining a source's own successive single figures dated to the day."""
    out: list[Mark] = []
    previous: dict[int, _Figure] = {}
    for f in figures:
        single = f.exact and f.low == f.high
        before = previous.get(f.series)
        if single and before is not None and before.source == f.source:
            a = ((frame.sx(before.first) + frame.sx(before.last + 1)) / 2, frame.sy(before.high))
            b = ((frame.sx(f.first) + frame.sx(f.last + 1)) / 2, frame.sy(f.high))
            out.append(Stroke((a, b), colour(f.series), 1.2, ref=f"{before.ref}-{f.ref}"))
        if single:
            previous[f.series] = f
        else:  # a bar or a range between breaks the line
            previous.pop(f.series, None)
    return out


class _Placer:
    """Places labels where they overlap no mark and no other label, inside the plot."""

    def __init__(self, bounds: Box4, obstacles: Sequence[Box4], size: float):
        self.bounds = bounds
        self.taken: list[Box4] = list(obstacles)
        self.size = size
        self.marks: list[Mark] = []
        self.unplaced: list[tuple[str, str, int]] = []

    def free(self, box: Box4) -> bool:
        x0, y0, x1, y1 = box
        bx0, by0, bx1, by1 = self.bounds
        if x0 < bx0 or x1 > bx1 or y0 < by0 or y1 > by1:
            return False
        return not any(overlap(box, t) for t in self.taken)

    def candidates(self, anchor: Box4, w: float) -> Iterator[tuple[float, float]]:
        """Yield baselines (left, base) around ``anchor``: beside, above, below, then further out."""
        ax0, ay0, ax1, ay1 = anchor
        cx, cy = (ax0 + ax1) / 2, (ay0 + ay1) / 2
        h, gap = self.size, 3.0
        yield ax1 + gap, cy + h * 0.3
        yield ax0 - gap - w, cy + h * 0.3
        for step in range(3):  # further out a label no longer reads as its mark's
            lift = step * h * 1.15
            yield cx - w / 2, ay0 - gap - h * 0.24 - lift
            yield cx - w / 2, ay1 + gap + h * 0.78 + lift
            yield ax1 + gap, ay0 - gap - lift
            yield ax0 - gap - w, ay0 - gap - lift
            yield ax1 + gap, ay1 + gap + h + lift
            yield ax0 - gap - w, ay1 + gap + h + lift

    def place(self, anchor: Box4, text: str, ink: str, series: int) -> None:
        """Place ``text`` near ``anchor``, or keep it for the list beneath the chart."""
        w = text_width(text, self.size)
        for left, base in self.candidates(anchor, w):
            label = Label(left, base, text, self.size, ink)
            box = label_box(label)
            pad = (box[0] - 1, box[1] - 0.5, box[2] + 1, box[3] + 0.5)
            if self.free(pad):
                self.taken.append(pad)
                self.marks.append(
                    Box(*pad, PAPER, role="backdrop")
                )  # keeps the label readable over grid lines
                self.marks.append(label)
                return
        self.unplaced.append((text, ink, series))


def _lane(
    words: list[_Words], frame: _Frame, width: float, y: float, sizes: Sizes, marks: list[Mark]
) -> float:
    """Add the lane of figures given only in words beneath the time axis, one row each; return the y below."""
    if not words:
        return y
    y = _lines(
        marks,
        0,
        y + sizes.text * 1.2,
        "Given only in words (no number, so no height):",
        sizes.text,
        GREY,
        width,
    )
    row = max(sizes.label * 1.5, sizes.marker * 2 + 4)
    for w in words:
        ink, mid = colour(w.series), y + row * 0.5 + 2
        x0, x1 = frame.sx(w.first), frame.sx(w.last + 1)
        ref = f"s{w.series}w{w.index}"
        if w.last - w.first < 1:
            x = (x0 + x1) / 2
            marks.append(Shape(shape(w.series), x, mid, sizes.marker, PAPER, ink, 1.0, ref=ref))
            x0, x1 = x - sizes.marker * 1.2, x + sizes.marker * 1.2
        else:
            x1 = max(x1, x0 + 1.5)
            marks.append(
                Box(x0, mid - sizes.marker * 0.8, x1, mid + sizes.marker * 0.8, tint(ink, 0.35), ref=ref)
            )
        y = _lane_text(w.label, ink, (x0, x1), mid, width, y + row, sizes, marks)
    return y


def _lane_text(
    text: str,
    ink: str,
    span: tuple[float, float],
    mid: float,
    width: float,
    y: float,
    sizes: Sizes,
    marks: list[Mark],
) -> float:
    """Add a lane row's words beside its mark, or on their own line when neither side has room; return the y below."""
    w = text_width(text, sizes.label)
    base = mid + sizes.label * 0.3
    if span[1] + 4 + w <= width:
        marks.append(Label(span[1] + 4, base, text, sizes.label, ink))
    elif span[0] - 4 - w >= 0:
        marks.append(Label(span[0] - 4, base, text, sizes.label, ink, anchor="end"))
    else:
        y = _lines(marks, 0, y + sizes.label * 1.2, text, sizes.label, ink, width)
    return y


def _key(
    unplaced: list[tuple[str, str, int]], y: float, width: float, sizes: Sizes, marks: list[Mark]
) -> float:
    """List labels that found no free place near their mark, each with its series' marker; return the y below."""
    for text, ink, series in unplaced:
        y += sizes.label * 1.5
        marks.append(
            Shape(
                shape(series),
                sizes.marker + 1,
                y - sizes.label * 0.3,
                sizes.marker,
                ink,
                PAPER,
                0.6,
                "legend",
            )
        )
        y = _lines(marks, sizes.marker * 2 + 5, y, text, sizes.label, ink, width)
    return y


def _anchor(f: _Figure, frame: _Frame) -> Box4:
    x0, x1 = frame.sx(f.first), frame.sx(f.last + 1)
    if f.exact:
        x = (x0 + x1) / 2
        x0, x1 = x - 3, x + 3
    return (x0, frame.sy(f.high) - 3, x1, frame.sy(f.low) + 3)


def layout(chart: Chart, width: float = WIDTH, height: float = HEIGHT, sizes: Sizes = PRINT) -> Layout:
    """Return the marks of ``chart`` at ``width`` (see the module's rules).

    ``height`` is the height of the title, legend, plot and time axis; the
    lane of figures given only in words and any labels listed beneath the
    chart add to it, so :attr:`Layout.height` is the canvas's real height.
    """
    marks: list[Mark] = []
    top = _legend(chart, width, _title(chart, width, sizes, marks), sizes, marks) + sizes.label
    figures, words = _numbers(chart), _words(chart)
    axis_text = sizes.text * 1.6 + 3
    bottom = height - axis_text
    if not (figures or words) or bottom - top < 20:
        marks.append(Label(width / 2, (top + bottom) / 2, "No data", sizes.text, GREY, anchor="middle"))
        return Layout(width, height, tuple(marks))
    frame = _frame(chart, figures, words, (0.0, top, width, bottom), sizes)
    taken = _axes(chart, frame, width, sizes, marks)
    data: list[Mark] = []
    for f in figures:
        data += _figure_marks(f, frame, sizes)
    data += _joins(figures, frame)
    marks += data
    placer = _Placer(
        (frame.left, top - sizes.label, width, frame.bottom), taken + [mark_box(m) for m in data], sizes.label
    )
    for f in figures:
        if f.label:
            placer.place(_anchor(f, frame), f.label, colour(f.series), f.series)
    marks += placer.marks
    y = _lane(words, frame, width, height, sizes, marks)
    y = _key(placer.unplaced, y, width, sizes, marks)
    return Layout(width, max(height, y + sizes.text * 0.6), tuple(marks), frame.sx)


def _number(n: float) -> str:
    """Return ``n`` with thousands separators, without a needless ".0"."""
    if float(n).is_integer():
        return f"{int(n):,}"
    return f"{n:,}"
