"""Paint a chart's layout (factsheet.rendering.chartgeometry) as vector graphics with reportlab."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Group, Polygon, PolyLine, Rect, Shape, String
from reportlab.lib import colors
from reportlab.platypus import Flowable

from factsheet.rendering import chartgeometry as geo
from factsheet.rendering.document import Chart
from factsheet.writers.pdf.typefaces import SANS, SANS_BOLD

if TYPE_CHECKING:
    pass


def chart_texts(chart: Chart) -> list[tuple[str, str]]:
    """Return (text, where) for every piece of text the chart draws, for glyph checks."""
    title = repr(chart.title)
    out = [(chart.title, "the chart title"), (chart.y_label, f"the y axis label of chart {title}")]
    out += [(label, f"an x tick of chart {title}") for _, label in chart.x_ticks]
    for s in chart.series:
        out.append((s.name, f"a series name of chart {title}"))
        out += [(label, f"a point label of series {s.name!r}") for label in s.labels if label]
        out += [(label, f"a marker of series {s.name!r}") for _, label in s.markers]
    return out


def _shape(m: geo.Shape, flip: Callable[[float], float]) -> Shape:
    fill, stroke = colors.HexColor(m.fill), colors.HexColor(m.outline)
    x, y, r = m.x, flip(m.y), m.r
    if m.kind == "square":
        return Rect(
            x - r * 0.85,
            y - r * 0.85,
            r * 1.7,
            r * 1.7,
            fillColor=fill,
            strokeColor=stroke,
            strokeWidth=m.width,
        )
    if m.kind == "triangle":
        return Polygon(
            [x - r, y - r * 0.8, x + r, y - r * 0.8, x, y + r * 1.05],
            fillColor=fill,
            strokeColor=stroke,
            strokeWidth=m.width,
        )
    if m.kind == "diamond":
        return Polygon(
            [x, y - r * 1.15, x + r * 1.15, y, x, y + r * 1.15, x - r * 1.15, y],
            fillColor=fill,
            strokeColor=stroke,
            strokeWidth=m.width,
        )
    return Circle(x, y, r, fillColor=fill, strokeColor=stroke, strokeWidth=m.width)


def build_drawing(chart: Chart, width: float, height: float) -> Drawing:
    """Return a Drawing painting the chart's layout at ``width`` points, at least ``height`` high."""
    plan = geo.layout(chart, width, height)
    height = plan.height  # the lane of figures in words and listed labels add to the height asked for
    d = Drawing(width, height)
    d.initialFontName = SANS

    def flip(y: float) -> float:  # the layout's y grows downwards, reportlab's upwards
        return height - y

    for m in plan.marks:
        if isinstance(m, geo.Stroke):
            d.add(
                PolyLine(
                    [c for x, y in m.points for c in (x, flip(y))],
                    strokeColor=colors.HexColor(m.colour),
                    strokeWidth=m.width,
                    strokeDashArray=list(m.dash) or None,
                )
            )
        elif isinstance(m, geo.Box):
            d.add(
                Rect(
                    m.x0,
                    flip(m.y1),
                    m.x1 - m.x0,
                    m.y1 - m.y0,
                    fillColor=colors.HexColor(m.fill),
                    strokeColor=None,
                    strokeWidth=0,
                )
            )
        elif isinstance(m, geo.Shape):
            d.add(_shape(m, flip))
        else:
            font = SANS_BOLD if m.bold else SANS
            if m.vertical:
                label = Group(
                    String(
                        0,
                        0,
                        m.text,
                        fontName=font,
                        fontSize=m.size,
                        fillColor=colors.HexColor(m.colour),
                        textAnchor="middle",
                    )
                )
                label.transform = (0, 1, -1, 0, m.x + m.size / 3, flip(m.y))
                d.add(label)
            else:
                d.add(
                    String(
                        m.x,
                        flip(m.y),
                        m.text,
                        fontName=font,
                        fontSize=m.size,
                        fillColor=colors.HexColor(m.colour),
                        textAnchor=m.anchor,
                    )
                )
    return d


class ChartFlowable(Flowable):  # type: ignore[misc]  # reportlab has no type stubs: its classes are Any
    """A chart drawing placed as one unbreakable block, kept with its caption."""

    keep_with_next = None

    def __init__(self, chart: Chart, width: float, height: float):
        super().__init__()
        self.drawing = build_drawing(chart, width, height)
        self.width, self.height = width, self.drawing.height
        self.spaceBefore = 6
        self.spaceAfter = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        renderPDF.draw(self.drawing, self.canv, 0, 0)
