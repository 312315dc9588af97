"""Chart geometry: a Chart laid out once as marks (strokes, boxes, shapes, text) in points, for any painter.

:func:`layout` turns a :class:`~factsheet.document.Chart` of a given size into
a :class:`Layout`: every line, filled box, marker and piece of text with its
position in points (origin at the top left, y growing downwards, text placed
at its baseline), its colour from :data:`PALETTE` and its font size. The
painters (reportlab for the PDF, Pillow for the DOCX picture, and any future
one) only paint these marks; none of them decides where anything goes.

How figures become marks:

- a figure dated to the day is a marker at its value; a figure whose date is
  known only to the month or the year is a bar across that whole period at its
  value, with no marker in the middle of it (it is not drawn as mid-year);
- a range is a vertical bar from low to high (dated to the day) or a shaded
  box over the period and the range (dated to the month or year);
- a figure given only in words has no height: it sits in a strip above the
  value axis, off its scale, as a hollow marker with a faint dashed line
  down to its day, or a bar across its month or year, labelled "…: no
  number given"; never a point at zero;
- successive figures of one series are joined by a line only when they come
  from the same source and are both dated to the day: one series is one kind
  of count, and different sources' estimates are not a trend.

Text is measured with DejaVu Sans, the font every painter draws it in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from factsheet.rendering import theme
from factsheet.rendering.document import Chart, Series

#: Series colours, and one marker shape per series so the chart reads in black and white.
PALETTE = theme.PALETTE
SHAPES = theme.SHAPES
INK, GREY, GRID, PAPER = "#1a1a1a", "#5f6368", "#d9d9d9", "#ffffff"

#: The default size of a chart in points: the text width of an A4 brief, and a height that leaves room for text.
WIDTH, HEIGHT = 459.2, 195.0
TITLE_SIZE, TEXT_SIZE, LABEL_SIZE = 9.5, 7.5, 6.5
#: Height of the strip above the value axis that holds figures given only in words.
STRIP = 14.0


@dataclass(frozen=True)
class Stroke:
    """A line through ``points``; ``dash`` is (on, off) lengths, empty for a solid line."""

    points: tuple[tuple[float, float], ...]
    colour: str
    width: float
    dash: tuple[float, ...] = ()


@dataclass(frozen=True)
class Box:
    """A filled rectangle from (x0, y0) to (x1, y1), y0 above y1."""

    x0: float
    y0: float
    x1: float
    y1: float
    fill: str


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
    """A chart's marks in painting order, on a canvas of ``width`` × ``height`` points."""

    width: float
    height: float
    marks: tuple[Mark, ...]

    def texts(self) -> list[str]:
        """Return every text the layout draws."""
        return [m.text for m in self.marks if isinstance(m, Label)]


@lru_cache(maxsize=4)
def _font(bold: bool):
    from PIL import ImageFont

    from factsheet.rendering import fonts

    return ImageFont.truetype(str(fonts.face_path(fonts.face(fonts.SANS, bold=bold))), 1000)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Return the width of ``text`` in DejaVu Sans at ``size`` points."""
    return _font(bold).getlength(text) * size / 1000


def nice_ticks(lo: float, hi: float, target: int = 5) -> list[float]:
    """Return evenly spaced round tick values covering [lo, hi]."""
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / target
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step + 1e-9) * step
    stop = math.ceil(hi / step - 1e-9) * step
    n = int(round((stop - start) / step))
    return [start + i * step for i in range(n + 1)]


def tick_text(ticks: list[float]):
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


def _optional(series: Series, name: str) -> tuple:
    return getattr(series, name, ()) or ()


class _Placer:
    """Places labels where they overlap nothing placed before, inside the plot."""

    def __init__(self, bounds: tuple[float, float, float, float]):
        self.bounds = bounds
        self.taken: list[tuple[float, float, float, float]] = []
        self.marks: list[Mark] = []

    def free(self, box) -> bool:
        x0, y0, x1, y1 = box
        bx0, by0, bx1, by1 = self.bounds
        if x0 < bx0 or x1 > bx1 or y0 < by0 or y1 > by1:
            return False
        return all(x1 <= a0 or x0 >= a2 or y1 <= a1 or y0 >= a3 for a0, a1, a2, a3 in self.taken)

    def place(self, x: float, y: float, text: str, ink: str, gap: float = 5.0) -> None:
        """Place ``text`` near (x, y): right, left, above, below, then the diagonals."""
        w, h = text_width(text, LABEL_SIZE), LABEL_SIZE
        candidates = [
            (x + gap, y + h / 2 - 1),
            (x - gap - w, y + h / 2 - 1),
            (x - w / 2, y - gap),
            (x - w / 2, y + gap + h),
            (x + gap, y - gap),
            (x - gap - w, y - gap),
            (x + gap, y + gap + h),
            (x - gap - w, y + gap + h),
        ]
        for left, base in candidates:
            box = (left - 1, base - h, left + w + 1, base + 2)
            if self.free(box):
                break
        else:  # nowhere free: to the right, or the left near the right edge, kept inside the canvas
            left, base = candidates[1] if x + gap + w > self.bounds[2] else candidates[0]
            left = min(max(left, self.bounds[0]), self.bounds[2] - w)
            box = (left - 1, base - h, left + w + 1, base + 2)
        self.taken.append(box)
        self.marks.append(Box(*box, PAPER))  # keeps the label readable over grid lines and bars
        self.marks.append(Label(left, base, text, LABEL_SIZE, ink))


def layout(chart: Chart, width: float = WIDTH, height: float = HEIGHT) -> Layout:
    """Return the marks of ``chart`` on a ``width`` × ``height`` point canvas (see the module's rules)."""
    marks: list[Mark] = []
    y = _title_and_legend(chart, width, marks)
    top = y + 12 if chart.series else y + 4
    bottom = height - 16.0

    points = [p for s in chart.series for p in s.points]
    markers = [m for s in chart.series for m in _optional(s, "markers")]
    strip = top  # figures given only in words sit in a strip above the value axis, off its scale
    if markers:
        top += STRIP
    if not (points or markers) or bottom - top < 20:
        marks.append(Label(width / 2, (top + bottom) / 2, "No data", TEXT_SIZE, GREY, anchor="middle"))
        return Layout(width, height, tuple(marks))

    scale = _scale(chart, points, markers, width, top, bottom)
    _axes(chart, scale, width, marks)
    placer = _Placer((0.0, strip - 10, width, bottom))
    _word_markers(chart, scale, strip, marks, placer)
    for x, y, text, ink in _number_marks(chart, scale, marks, placer):
        placer.place(x, y, text, ink)
    marks += placer.marks
    return Layout(width, height, tuple(marks))


def _title_and_legend(chart: Chart, width: float, marks: list[Mark]) -> float:
    """Add the title and the legend (a swatch and the name per series, wrapping); return the legend's baseline."""
    y = 2.0
    if chart.title:
        y += TITLE_SIZE
        marks.append(Label(0, y, chart.title, TITLE_SIZE, INK, bold=True))
        y += 8
    x, y = 0.0, y + TEXT_SIZE
    for i, s in enumerate(chart.series):
        item = 22 + text_width(s.name, TEXT_SIZE) + 14
        if x > 0 and x + item > width:
            x, y = 0.0, y + TEXT_SIZE + 5
        marks.append(Stroke(((x, y - 2.5), (x + 16, y - 2.5)), colour(i), 1.5))
        marks.append(Shape(shape(i), x + 8, y - 2.5, 2.4, colour(i), PAPER, 0.6))
        marks.append(Label(x + 22, y, s.name, TEXT_SIZE, INK))
        x += item
    return y


@dataclass(frozen=True)
class _Scale:
    """The plot area and the values at its edges: where a (day, value) pair is drawn."""

    left: float
    right: float
    top: float
    bottom: float
    x_lo: float
    x_hi: float
    yticks: tuple[float, ...]

    def sx(self, v: float) -> float:
        return self.left + (v - self.x_lo) / (self.x_hi - self.x_lo) * (self.right - self.left)

    def sy(self, v: float) -> float:
        y_lo, y_hi = self.yticks[0], self.yticks[-1]
        return self.bottom - (v - y_lo) / (y_hi - y_lo) * (self.bottom - self.top)


def _scale(
    chart: Chart,
    points: list[tuple[float, float]],
    markers: list[tuple[float, str]],
    width: float,
    top: float,
    bottom: float,
) -> _Scale:
    """Return the scale that shows every point, range, period and marker, with room for the value labels."""
    values = [p[1] for p in points] + [v for s in chart.series for r in _optional(s, "ranges") for v in r]
    values = values or [0.0, 1.0]
    lo, hi = min(values), max(values)
    yticks = nice_ticks(0.0, hi * 1.12 or 1.0) if lo >= 0 else nice_ticks(lo, hi)
    fmt = tick_text(yticks)
    widest = max(text_width(fmt(t), TEXT_SIZE) for t in yticks)
    left = widest + 18.0 if chart.y_label else widest + 6.0
    xs = [v for v, _ in chart.x_ticks] + [p[0] for p in points] + [m[0] for m in markers]
    xs += [
        v
        for s in chart.series
        for span in (*_optional(s, "spans"), *_optional(s, "marker_spans"))
        for v in span
    ]
    x_lo, x_hi = min(xs), max(xs)
    if x_hi == x_lo:
        x_lo, x_hi = x_lo - 1, x_hi + 1
    pad = (x_hi - x_lo) * 0.03
    return _Scale(left, width - 10.0, top, bottom, x_lo - pad, x_hi + pad, tuple(yticks))


def _axes(chart: Chart, scale: _Scale, width: float, marks: list[Mark]) -> None:
    """Add the grid, the two axes, their ticks and labels, and the value axis's title."""
    left, right, top, bottom = scale.left, scale.right, scale.top, scale.bottom
    fmt = tick_text(list(scale.yticks))
    for t in scale.yticks:
        ty = scale.sy(t)
        marks.append(Stroke(((left, ty), (right, ty)), GRID, 0.4))
        marks.append(Label(left - 4, ty + 2.5, fmt(t), TEXT_SIZE, GREY, anchor="end"))
    marks.append(Stroke(((left, bottom), (right, bottom)), GREY, 0.7))
    marks.append(Stroke(((left, bottom), (left, top)), GREY, 0.7))
    for value, text in chart.x_ticks:
        tx = scale.sx(value)
        marks.append(Stroke(((tx, bottom), (tx, bottom + 3)), GREY, 0.7))
        half = text_width(text, TEXT_SIZE) / 2
        marks.append(
            Label(min(max(tx, half), width - half), bottom + 11, text, TEXT_SIZE, GREY, anchor="middle")
        )
    if chart.y_label:
        marks.append(
            Label(6, (top + bottom) / 2, chart.y_label, TEXT_SIZE, GREY, anchor="middle", vertical=True)
        )


def _word_markers(chart: Chart, scale: _Scale, strip: float, marks: list[Mark], placer: _Placer) -> None:
    """Add figures given only in words: in the strip above the axis at their date, never at a height."""
    sx, bottom = scale.sx, scale.bottom
    for i, s in enumerate(chart.series):
        spans = _optional(s, "marker_spans")
        for j, (mx, text) in enumerate(_optional(s, "markers")):
            a, b = spans[j] if j < len(spans) else (mx, mx)
            mid = strip + STRIP / 2 - 2
            if b - a >= 1:
                marks.append(Box(sx(a), mid - 2.5, sx(b + 1), mid + 2.5, tint(colour(i), 0.45)))
                placer.taken.append((sx(a), mid - 2.5, sx(b + 1), mid + 2.5))
            else:
                marks.append(Stroke(((sx(mx), mid + 3), (sx(mx), bottom)), tint(colour(i), 0.3), 0.6, (2, 3)))
                marks.append(Shape(shape(i), sx(mx), mid, 2.6, PAPER, colour(i), 0.9))
                placer.taken.append((sx(mx) - 3, mid - 3, sx(mx) + 3, mid + 3))
            placer.place(sx(mx), mid, f"{text}: no number given", colour(i), gap=4)


def _number_marks(
    chart: Chart, scale: _Scale, marks: list[Mark], placer: _Placer
) -> list[tuple[float, float, str, str]]:
    """Add the numbers' marks; return their labels (x, y, text, ink), to place after every mark."""
    sx, sy = scale.sx, scale.sy
    labels: list[tuple[float, float, str, str]] = []
    for i, s in enumerate(chart.series):
        ink, faint = colour(i), tint(colour(i), 0.55)
        spans, ranges = _optional(s, "spans"), _optional(s, "ranges")
        sources = _optional(s, "sources")
        previous: tuple[float, float, str] | None = None
        for j, (px, py) in enumerate(s.points):
            a, b = spans[j] if j < len(spans) else (px, px)
            low, high = ranges[j] if j < len(ranges) else (py, py)
            if b - a < 1:  # a day: a point, its range a vertical bar, joined to its source's last point
                if high != low:
                    marks.append(Stroke(((sx(px), sy(low)), (sx(px), sy(high))), ink, 1.2))
                    for end in (low, high):
                        marks.append(Stroke(((sx(px) - 3, sy(end)), (sx(px) + 3, sy(end))), ink, 1.2))
                source = sources[j] if j < len(sources) else ""
                if previous is not None and previous[2] == source:
                    marks.append(Stroke(((previous[0], previous[1]), (sx(px), sy(py))), ink, 1.2))
                marks.append(Shape(shape(i), sx(px), sy(py), 2.6, ink, PAPER, 0.6))
                placer.taken.append((sx(px) - 3, sy(py) - 3, sx(px) + 3, sy(py) + 3))
                previous = (sx(px), sy(py), source)
                anchor_x = sx(px)
            else:  # a month or a year: a bar across the period, its range a tinted box
                x0, x1 = sx(a), sx(b + 1)
                if high != low:
                    marks.append(Box(x0, sy(high), x1, sy(low), faint))
                marks.append(Stroke(((x0, sy(py)), (x1, sy(py))), ink, 2.2))
                for end in (x0, x1):
                    marks.append(Stroke(((end, sy(py) - 3), (end, sy(py) + 3)), ink, 1.0))
                placer.taken.append((x0, sy(py) - 3, x1, sy(py) + 3))
                previous = None
                anchor_x = (x0 + x1) / 2
            text = s.labels[j] if j < len(s.labels) else ""
            if text:
                labels.append((anchor_x, sy(high) - 2, text, ink))
    return labels


def _number(n: float) -> str:
    """Return ``n`` with thousands separators, without a needless ".0"."""
    if float(n).is_integer():
        return f"{int(n):,}"
    return f"{n:,}"
