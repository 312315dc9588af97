"""Draw a Chart as a vector line chart with reportlab.graphics."""

from __future__ import annotations

import math

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from factsheet.rendering.document import Chart, Series
from factsheet.writers.pdf import paragraph_styles as styles
from factsheet.writers.pdf.typefaces import SANS, SANS_BOLD

PALETTE = [colors.HexColor(c) for c in ("#1f5a96", "#d9822b", "#2a9d8f", "#b5343c", "#6c4f9c", "#7a7f85")]
SHAPES = ("circle", "square", "triangle", "diamond")

TITLE_SIZE = 9.5
TEXT_SIZE = 7.5
LABEL_SIZE = 6.5


def _optional(series: Series, name: str) -> tuple:
    return getattr(series, name, ()) or ()


def chart_texts(chart: Chart) -> list[tuple[str, str]]:
    """Return (text, where) for every piece of text the chart draws, for glyph checks."""
    title = repr(chart.title)
    out = [(chart.title, "the chart title"), (chart.y_label, f"the y axis label of chart {title}")]
    out += [(label, f"an x tick of chart {title}") for _, label in chart.x_ticks]
    for s in chart.series:
        out.append((s.name, f"a series name of chart {title}"))
        out += [(label, f"a point label of series {s.name!r}") for label in s.labels if label]
        out += [(label, f"a marker of series {s.name!r}") for _, label in _optional(s, "markers")]
    return out


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


def _tick_format(ticks: list[float]):
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    if decimals == 0 and any(abs(t - round(t)) > 1e-9 for t in ticks):
        decimals = 1

    def fmt(v: float) -> str:
        text = f"{v:,.{decimals}f}"
        return "0" if text.strip("-0.,") == "" else text

    return fmt


def _shape(kind: str, x: float, y: float, r: float, fill, stroke, width: float = 0.6):
    if kind == "square":
        return Rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7, fillColor=fill, strokeColor=stroke,
                    strokeWidth=width)
    if kind == "triangle":
        return Polygon([x - r, y - r * 0.8, x + r, y - r * 0.8, x, y + r * 1.05], fillColor=fill,
                       strokeColor=stroke, strokeWidth=width)
    if kind == "diamond":
        return Polygon([x, y - r * 1.15, x + r * 1.15, y, x, y + r * 1.15, x - r * 1.15, y], fillColor=fill,
                       strokeColor=stroke, strokeWidth=width)
    return Circle(x, y, r, fillColor=fill, strokeColor=stroke, strokeWidth=width)


def _tint(colour, amount: float):
    """Return ``colour`` mixed with white (0 = the colour, 1 = white)."""
    return colors.Color(*(c + (1 - c) * amount for c in (colour.red, colour.green, colour.blue)))


class _Labels:
    """Places small labels, moving each up until it overlaps no label placed before."""

    def __init__(self, drawing: Drawing, ceiling: float):
        self.d = drawing
        self.ceiling = ceiling
        self.boxes: list[tuple[float, float, float, float]] = []

    def place(self, x: float, y: float, text: str, colour, size: float = LABEL_SIZE) -> None:
        w = stringWidth(text, SANS, size)
        for _ in range(8):
            box = (x - w / 2 - 1, y - 1.5, x + w / 2 + 1, y + size)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in self.boxes):
                break
            if y + size + 2 > self.ceiling:
                break
            y += size + 1.5
        self.boxes.append(box)
        self.d.add(Rect(box[0], box[1], box[2] - box[0], box[3] - box[1], fillColor=colors.white,
                        strokeColor=None, strokeWidth=0))
        self.d.add(String(x, y, text, fontName=SANS, fontSize=size, fillColor=colour, textAnchor="middle"))


def build_drawing(chart: Chart, width: float, height: float) -> Drawing:
    """Return a Drawing with the chart's title, legend, axes, gridlines, series and labels."""
    d = Drawing(width, height)
    d.initialFontName = SANS
    ink, grey = styles.INK, styles.GREY
    y = height - TITLE_SIZE
    if chart.title:
        d.add(String(0, y, chart.title, fontName=SANS_BOLD, fontSize=TITLE_SIZE, fillColor=ink))
        y -= TEXT_SIZE + 8

    # legend: one swatch per series, wrapping to further rows
    x = 0.0
    for i, series in enumerate(chart.series):
        colour = PALETTE[i % len(PALETTE)]
        item = 22 + stringWidth(series.name, SANS, TEXT_SIZE) + 14
        if x > 0 and x + item > width:
            x = 0.0
            y -= TEXT_SIZE + 5
        d.add(Line(x, y + 2.5, x + 16, y + 2.5, strokeColor=colour, strokeWidth=1.5))
        d.add(_shape(SHAPES[i % len(SHAPES)], x + 8, y + 2.5, 2.4, colour, colors.white))
        d.add(String(x + 22, y, series.name, fontName=SANS, fontSize=TEXT_SIZE, fillColor=ink))
        x += item
    plot_top = y - 12 if chart.series else y
    plot_left, plot_right, plot_bottom = 46.0, width - 10.0, 16.0

    points = [p for s in chart.series for p in s.points]
    markers = [m for s in chart.series for m in _optional(s, "markers")]
    if not (points or markers) or plot_top - plot_bottom < 20:
        d.add(String((plot_left + plot_right) / 2, (plot_top + plot_bottom) / 2, "No data",
                     fontName=SANS, fontSize=TEXT_SIZE, fillColor=grey, textAnchor="middle"))
        return d

    values = [p[1] for p in points] + [v for s in chart.series for r in _optional(s, "ranges") for v in r]
    if not values:
        values = [0.0, 1.0]
    lo, hi = min(values), max(values)
    yticks = nice_ticks(0.0, hi * 1.12 or 1.0) if lo >= 0 else nice_ticks(lo, hi)
    fmt = _tick_format(yticks)
    xs = [v for v, _ in chart.x_ticks] + [p[0] for p in points] + [m[0] for m in markers]
    xs += [v for s in chart.series for span in _optional(s, "spans") for v in span]
    x_lo, x_hi = min(xs), max(xs)
    if x_hi == x_lo:
        x_lo, x_hi = x_lo - 1, x_hi + 1
    pad = (x_hi - x_lo) * 0.03
    x_lo, x_hi = x_lo - pad, x_hi + pad
    y_lo, y_hi = yticks[0], yticks[-1]

    def sx(v: float) -> float:
        return plot_left + (v - x_lo) / (x_hi - x_lo) * (plot_right - plot_left)

    def sy(v: float) -> float:
        return plot_bottom + (v - y_lo) / (y_hi - y_lo) * (plot_top - plot_bottom)

    for t in yticks:
        ty = sy(t)
        d.add(Line(plot_left, ty, plot_right, ty, strokeColor=styles.GRID, strokeWidth=0.4))
        d.add(String(plot_left - 4, ty - 2.5, fmt(t), fontName=SANS, fontSize=TEXT_SIZE, fillColor=grey,
                     textAnchor="end"))
    d.add(Line(plot_left, plot_bottom, plot_right, plot_bottom, strokeColor=grey, strokeWidth=0.7))
    d.add(Line(plot_left, plot_bottom, plot_left, plot_top, strokeColor=grey, strokeWidth=0.7))
    for value, label in chart.x_ticks:
        tx = sx(value)
        d.add(Line(tx, plot_bottom, tx, plot_bottom - 3, strokeColor=grey, strokeWidth=0.7))
        half = stringWidth(label, SANS, TEXT_SIZE) / 2
        tx = min(max(tx, plot_left - 40 + half), width - half)
        d.add(String(tx, plot_bottom - 11, label, fontName=SANS, fontSize=TEXT_SIZE, fillColor=grey,
                     textAnchor="middle"))
    if chart.y_label:
        label = Group(String(0, 0, chart.y_label, fontName=SANS, fontSize=TEXT_SIZE, fillColor=grey,
                             textAnchor="middle"))
        label.transform = (0, 1, -1, 0, 8, (plot_top + plot_bottom) / 2)
        d.add(label)

    labels = _Labels(d, height)
    zero = sy(max(y_lo, 0.0)) if y_lo <= 0 <= y_hi else plot_bottom
    for i, series in enumerate(chart.series):
        # figures given only in words: a dashed line at their date and a hollow marker on the axis
        colour = PALETTE[i % len(PALETTE)]
        for mx, text in _optional(series, "markers"):
            tx = sx(mx)
            d.add(Line(tx, plot_bottom, tx, plot_top, strokeColor=_tint(colour, 0.45), strokeWidth=0.8,
                       strokeDashArray=[3, 4]))
            d.add(_shape(SHAPES[i % len(SHAPES)], tx, zero, 2.8, colors.white, colour, 1.0))
            labels.place(tx, zero + 8, f"{text}: no number given", colour)
    for i, series in enumerate(chart.series):
        colour = PALETTE[i % len(PALETTE)]
        faint = _tint(colour, 0.6)
        coords = [(sx(px), sy(py)) for px, py in series.points]
        spans, ranges = _optional(series, "spans"), _optional(series, "ranges")
        if len(coords) > 1:
            d.add(PolyLine([c for xy in coords for c in xy], strokeColor=colour, strokeWidth=1.5))
        for j, (cx, cy) in enumerate(coords):
            if j < len(spans) and spans[j][0] != spans[j][1]:
                a, b = sx(spans[j][0]), sx(spans[j][1])
                d.add(Line(a, cy, b, cy, strokeColor=faint, strokeWidth=1.5))
                for end in (a, b):
                    d.add(Line(end, cy - 2.5, end, cy + 2.5, strokeColor=faint, strokeWidth=1))
            if j < len(ranges) and ranges[j][0] != ranges[j][1]:
                low, high = sy(ranges[j][0]), sy(ranges[j][1])
                d.add(Line(cx, low, cx, high, strokeColor=colour, strokeWidth=1.2))
                for end in (low, high):
                    d.add(Line(cx - 3, end, cx + 3, end, strokeColor=colour, strokeWidth=1.2))
        for cx, cy in coords:
            d.add(_shape(SHAPES[i % len(SHAPES)], cx, cy, 2.6, colour, colors.white))
            labels.boxes.append((cx - 3, cy - 3, cx + 3, cy + 3))
    for i, series in enumerate(chart.series):
        colour = PALETTE[i % len(PALETTE)]
        ranges = _optional(series, "ranges")
        for j, (px, py) in enumerate(series.points):
            text = series.labels[j] if j < len(series.labels) else ""
            if text:
                top = max(py, *ranges[j]) if j < len(ranges) else py  # above a range bar, not over it
                labels.place(sx(px), sy(top) + 5, text, colour)
    return d


class ChartFlowable(Flowable):
    """A chart drawing placed as one unbreakable block, kept with its caption."""

    keep_with_next = None

    def __init__(self, chart: Chart, width: float, height: float):
        super().__init__()
        self.drawing = build_drawing(chart, width, height)
        self.width, self.height = width, height
        self.spaceBefore = 6
        self.spaceAfter = 0

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        renderPDF.draw(self.drawing, self.canv, 0, 0)
