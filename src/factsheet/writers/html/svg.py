"""Paint a chart's layout (factsheet.rendering.chartgeometry) as inline SVG, with its title and text alternative."""

from __future__ import annotations

from html import escape

from factsheet.rendering import chartgeometry as geo
from factsheet.rendering.document import Chart

FONT = 'font-family="DejaVu Sans, Verdana, system-ui, sans-serif"'
#: The height of title, legend, plot and axis in CSS pixels at geo.SCREEN_WIDTH (the SVG scales with the page).
SCREEN_HEIGHT = 270.0
_ANCHOR = {"start": "start", "middle": "middle", "end": "end"}


def _num(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _shape(m: geo.Shape) -> str:
    paint = f'fill="{m.fill}" stroke="{m.outline}" stroke-width="{_num(m.width)}"'
    x, y, r = m.x, m.y, m.r
    if m.kind == "square":
        return f'<rect x="{_num(x - r * 0.85)}" y="{_num(y - r * 0.85)}" width="{_num(r * 1.7)}" height="{_num(r * 1.7)}" {paint}/>'
    if m.kind == "triangle":
        points = [(x - r, y + r * 0.8), (x + r, y + r * 0.8), (x, y - r * 1.05)]
    elif m.kind == "diamond":
        points = [(x, y - r * 1.15), (x + r * 1.15, y), (x, y + r * 1.15), (x - r * 1.15, y)]
    else:
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" {paint}/>'
    return f'<polygon points="{" ".join(f"{_num(a)},{_num(b)}" for a, b in points)}" {paint}/>'


def _mark(m: geo.Mark) -> str:
    if isinstance(m, geo.Stroke):
        dash = f' stroke-dasharray="{" ".join(_num(d) for d in m.dash)}"' if m.dash else ""
        points = " ".join(f"{_num(x)},{_num(y)}" for x, y in m.points)
        return (
            f'<polyline points="{points}" fill="none" stroke="{m.colour}" stroke-width="{_num(m.width)}"'
            f"{dash}/>"
        )
    if isinstance(m, geo.Box):
        return (
            f'<rect x="{_num(m.x0)}" y="{_num(m.y0)}" width="{_num(m.x1 - m.x0)}" height="{_num(m.y1 - m.y0)}" '
            f'fill="{m.fill}"/>'
        )
    if isinstance(m, geo.Shape):
        return _shape(m)
    weight = ' font-weight="bold"' if m.bold else ""
    where = (
        f'transform="translate({_num(m.x + m.size / 3)} {_num(m.y)}) rotate(-90)"'
        if m.vertical
        else f'x="{_num(m.x)}" y="{_num(m.y)}"'
    )
    return (
        f'<text {where} text-anchor="{_ANCHOR[m.anchor]}" font-size="{_num(m.size)}"{weight} '
        f'fill="{m.colour}">{escape(m.text)}</text>'
    )


def chart_svg(chart: Chart, base_id: str) -> str:
    """Return an <svg> element painting ``chart``'s layout; ``base_id`` prefixes the ids it defines.

    Its accessible name is the chart's title and its description the text alternative,
    so a screen reader announces the title and offers the description after it.
    """
    plan = geo.layout(chart, geo.SCREEN_WIDTH, SCREEN_HEIGHT, geo.SCREEN)
    title_id, desc_id = f"{base_id}-title", f"{base_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(plan.width)} {_num(plan.height)}" role="img" '
        f'aria-labelledby="{title_id}" aria-describedby="{desc_id}" {FONT}>',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.alt_text)}</desc>',
    ]
    parts += [_mark(m) for m in plan.marks]
    parts.append("</svg>")
    return "".join(parts)
