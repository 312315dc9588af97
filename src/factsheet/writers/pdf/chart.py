"""Draw a Chart as a vector line chart with reportlab.graphics."""

from __future__ import annotations

import math

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from factsheet.document import Chart
from factsheet.writers.pdf import styles
from factsheet.writers.pdf.typefaces import SANS, SANS_BOLD

PALETTE = [colors.HexColor(c) for c in ("#1f5a96", "#d9822b", "#2a9d8f", "#b5343c", "#6c4f9c", "#7a7f85")]

TITLE_SIZE = 9.5
TEXT_SIZE = 7.5
LABEL_SIZE = 6.5


def chart_texts(chart: Chart) -> list[tuple[str, str]]:
    """Return (text, where) for every piece of text the chart draws, for glyph checks."""
    out = [(chart.title, "the chart title"), (chart.y_label, f"the y axis label of chart {chart.title!r}")]
    out += [(label, f"an x tick of chart {chart.title!r}") for _, label in chart.x_ticks]
    for s in chart.series:
        out.append((s.name, f"a series name of chart {chart.title!r}"))
        out += [(label, f"a point label of series {s.name!r}") for label in s.labels if label]
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
        d.add(Circle(x + 8, y + 2.5, 2.2, fillColor=colour, strokeColor=colour, strokeWidth=0))
        d.add(String(x + 22, y, series.name, fontName=SANS, fontSize=TEXT_SIZE, fillColor=ink))
        x += item
    plot_top = y - 10 if chart.series else y
    plot_left, plot_right, plot_bottom = 46.0, width - 10.0, 16.0

    points = [p for s in chart.series for p in s.points]
    if not points or plot_top - plot_bottom < 20:
        d.add(String((plot_left + plot_right) / 2, (plot_top + plot_bottom) / 2, "No data",
                     fontName=SANS, fontSize=TEXT_SIZE, fillColor=grey, textAnchor="middle"))
        return d

    yticks = nice_ticks(min(p[1] for p in points), max(p[1] for p in points))
    fmt = _tick_format(yticks)
    xs = [p[0] for p in points] + [v for v, _ in chart.x_ticks]
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
        d.add(String(tx, plot_bottom - 11, label, fontName=SANS, fontSize=TEXT_SIZE, fillColor=grey,
                     textAnchor="middle"))
    if chart.y_label:
        label = Group(String(0, 0, chart.y_label, fontName=SANS, fontSize=TEXT_SIZE, fillColor=grey,
                             textAnchor="middle"))
        label.transform = (0, 1, -1, 0, 8, (plot_top + plot_bottom) / 2)
        d.add(label)

    for i, series in enumerate(chart.series):
        colour = PALETTE[i % len(PALETTE)]
        coords = [(sx(px), sy(py)) for px, py in series.points]
        if len(coords) > 1:
            d.add(PolyLine([c for xy in coords for c in xy], strokeColor=colour, strokeWidth=1.5))
        for j, (cx, cy) in enumerate(coords):
            d.add(Circle(cx, cy, 2.4, fillColor=colour, strokeColor=colors.white, strokeWidth=0.6))
            label = series.labels[j] if j < len(series.labels) else ""
            if label:
                d.add(String(cx, cy + 5, label, fontName=SANS, fontSize=LABEL_SIZE, fillColor=colour,
                             textAnchor="middle"))
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
