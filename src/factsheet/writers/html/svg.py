"""Paint a Chart as inline SVG, with its title and text alternative for assistive technology."""

from __future__ import annotations

from html import escape

from factsheet.rendering.document import Chart, Series

PALETTE = ("#1f5a96", "#b35c00", "#1d7a6e", "#b5343c", "#6c4f9c", "#5d6166")
WIDTH, HEIGHT = 640.0, 360.0
FONT = 'font-family="system-ui, DejaVu Sans, Arial, sans-serif"'


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _optional(series: Series, name: str) -> tuple:
    return getattr(series, name, ()) or ()


def nice_ticks(lo: float, hi: float, target: int = 5) -> list[float]:
    """Return evenly spaced round tick values covering [lo, hi]."""
    from factsheet.writers.pdf.chart_painter import nice_ticks as ticks  # one tick rule for every painter

    return ticks(lo, hi, target)


def chart_svg(chart: Chart, base_id: str) -> str:
    """Return an <svg> element drawing ``chart``; ``base_id`` prefixes the ids it defines."""
    title_id, desc_id = f"{base_id}-title", f"{base_id}-desc"
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(WIDTH)} {_num(HEIGHT)}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" {FONT} font-size="12">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.alt_text)}</desc>',
    ]
    y = 18.0
    if chart.title:
        parts.append(f'<text x="0" y="{_num(y)}" font-size="15" font-weight="bold" fill="#1a1a1a">'
                     f"{escape(chart.title)}</text>")
        y += 22
    x = 0.0
    for i, series in enumerate(chart.series):
        colour = PALETTE[i % len(PALETTE)]
        item = 28 + 6.6 * len(series.name) + 16
        if x > 0 and x + item > WIDTH:
            x, y = 0.0, y + 18
        parts.append(f'<line x1="{_num(x)}" y1="{_num(y - 4)}" x2="{_num(x + 20)}" y2="{_num(y - 4)}" '
                     f'stroke="{colour}" stroke-width="2.5"/>')
        parts.append(f'<circle cx="{_num(x + 10)}" cy="{_num(y - 4)}" r="4" fill="{colour}" stroke="#fff"/>')
        parts.append(f'<text x="{_num(x + 28)}" y="{_num(y)}" fill="#1a1a1a">{escape(series.name)}</text>')
        x += item
    plot_top = y + 18
    plot_left, plot_right, plot_bottom = 64.0, WIDTH - 12.0, HEIGHT - 28.0

    points = [p for s in chart.series for p in s.points]
    markers = [m for s in chart.series for m in _optional(s, "markers")]
    if not (points or markers):
        parts.append(f'<text x="{_num(WIDTH / 2)}" y="{_num(HEIGHT / 2)}" text-anchor="middle" '
                     f'fill="#555">No data</text></svg>')
        return "".join(parts)
    values = [p[1] for p in points] + [v for s in chart.series for r in _optional(s, "ranges") for v in r]
    hi = max(values) if values else 1.0
    lo = min(values) if values else 0.0
    yticks = nice_ticks(0.0, hi * 1.12 or 1.0) if lo >= 0 else nice_ticks(lo, hi)
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
        return plot_bottom - (v - y_lo) / (y_hi - y_lo) * (plot_bottom - plot_top)

    for t in yticks:
        ty = sy(t)
        parts.append(f'<line x1="{_num(plot_left)}" y1="{_num(ty)}" x2="{_num(plot_right)}" y2="{_num(ty)}" '
                     f'stroke="#e2e2e2"/>')
        parts.append(f'<text x="{_num(plot_left - 6)}" y="{_num(ty + 4)}" text-anchor="end" fill="#555">'
                     f"{t:,.0f}</text>")
    parts.append(f'<path d="M{_num(plot_left)} {_num(plot_top)}V{_num(plot_bottom)}H{_num(plot_right)}" '
                 f'fill="none" stroke="#555"/>')
    for value, label in chart.x_ticks:
        tx = sx(value)
        parts.append(f'<text x="{_num(tx)}" y="{_num(plot_bottom + 18)}" text-anchor="middle" fill="#555">'
                     f"{escape(label)}</text>")
    if chart.y_label:
        cy = (plot_top + plot_bottom) / 2
        parts.append(f'<text transform="translate(14 {_num(cy)}) rotate(-90)" text-anchor="middle" '
                     f'fill="#555">{escape(chart.y_label)}</text>')
    for i, series in enumerate(chart.series):
        colour = PALETTE[i % len(PALETTE)]
        for mx, label in _optional(series, "markers"):
            tx = sx(mx)
            parts.append(f'<line x1="{_num(tx)}" y1="{_num(plot_top)}" x2="{_num(tx)}" y2="{_num(plot_bottom)}" '
                         f'stroke="{colour}" stroke-dasharray="4 5" opacity="0.6"/>')
            parts.append(f'<text x="{_num(tx + 4)}" y="{_num(plot_top + 12)}" fill="{colour}" font-size="11">'
                         f"{escape(label)}: no number given</text>")
        coords = [(sx(px), sy(py)) for px, py in series.points]
        if len(coords) > 1:
            path = " ".join(f"{_num(cx)},{_num(cy)}" for cx, cy in coords)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        ranges, spans = _optional(series, "ranges"), _optional(series, "spans")
        for j, (cx, cy) in enumerate(coords):
            if j < len(spans) and spans[j][0] != spans[j][1]:
                parts.append(f'<line x1="{_num(sx(spans[j][0]))}" y1="{_num(cy)}" x2="{_num(sx(spans[j][1]))}" '
                             f'y2="{_num(cy)}" stroke="{colour}" stroke-width="2" opacity="0.45"/>')
            if j < len(ranges) and ranges[j][0] != ranges[j][1]:
                parts.append(f'<line x1="{_num(cx)}" y1="{_num(sy(ranges[j][0]))}" x2="{_num(cx)}" '
                             f'y2="{_num(sy(ranges[j][1]))}" stroke="{colour}" stroke-width="2"/>')
            parts.append(f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="5" fill="{colour}" stroke="#fff"/>')
            label = series.labels[j] if j < len(series.labels) else ""
            if label:
                parts.append(f'<text x="{_num(cx)}" y="{_num(cy - 10)}" text-anchor="middle" fill="{colour}" '
                             f'font-size="11">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
