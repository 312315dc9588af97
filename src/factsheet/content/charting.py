"""Charts of reported figures over time: the chart data, and a PNG of it for Word.

:func:`chart_for` turns a group of figures (see :mod:`factsheet.content.figures`) into
a :class:`document.Chart`:

- one series per organisation that gave figures (the attribution's
  ``organisation``, else its ``who``), in order of their first figure;
- x is the date the figure refers to (its ``as_of``, else the claim's
  ``said_on``, else ``happened_on``), placed at the middle of the period that
  date covers: a date known only to the year sits at mid-year and a date known
  to the month at mid-month, and the whole period is kept as the point's span
  (drawn as a horizontal bar), so a year-only date is not shown as more
  precise than it is;
- y is the value; a range sits at its middle with a bar from low to high; the
  qualifier stays in the label ("at least 3,000");
- a figure given only in words ("several thousand") is a marker on the date
  axis with its words as label and no y value: no number is invented;
- a figure whose date the sources do not give is not plotted; the text
  alternative and :attr:`ChartData.unplotted` name it, so a caption can too.

The text alternative (``alt_text``) lists every plotted value, every marker and
every figure left out, each with who gave it and its date.

:func:`chart_png` draws a Chart with Pillow and the brief's DejaVu Sans; the
same chart gives the same bytes every time (no timestamps, fixed size and
resolution, no randomness). Pillow is already needed by reportlab, and it
imports in milliseconds, which keeps building a brief fast.

Templates reach charts by name through :class:`ChartShelf`: the name is a list
of metrics separated by spaces, e.g.
``<chart name="troops_sent additional_troops_sent">``, or a group's ``key``.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass

from factsheet.rendering.document import Chart, Series, Text
from factsheet.content.figures import Entry, FigureBook, FigureGroup
from factsheet.sources.model import format_number
from factsheet.content.timeline import NO_DATE, days, midpoint, period

_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class ChartData:
    """A chart and the figures it could not plot for want of a date."""

    chart: Chart
    plotted: tuple[Entry, ...]
    marked: tuple[Entry, ...]
    unplotted: tuple[Entry, ...]

    @property
    def empty(self) -> bool:
        """Return True when the chart would show nothing."""
        return not (self.plotted or self.marked)


def _label(entry: Entry, several_metrics: bool) -> str:
    amount = entry.figure.amount()
    if several_metrics:
        return f"{amount} ({entry.metric.replace('_', ' ')})"
    return amount


def x_ticks(first: _dt.date, last: _dt.date) -> tuple[tuple[float, str], ...]:
    """Return date-axis ticks covering ``first``..``last``: monthly, quarterly or yearly."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = 1 if months <= 8 else 3 if months <= 48 else 12
    year, month = first.year, first.month
    month -= (month - 1) % step
    ticks = []
    while True:
        day = _dt.date(year, month, 1)
        label = str(year) if step == 12 else f"{_MONTH_ABBR[month - 1]} {year}"
        ticks.append((float(days(day)), label))
        if day > last:
            break
        month += step
        while month > 12:
            month -= 12
            year += 1
    return tuple(ticks)


def chart_data(group: FigureGroup, title: str | None = None, y_label: str | None = None) -> ChartData:
    """Return the chart of ``group``'s figures over time, with what it could not plot."""
    title = title or group.title
    several = len({e.metric for e in group.entries}) > 1
    by_source: dict[str, dict[str, list]] = {}
    plotted, marked, unplotted = [], [], []
    first = last = None
    for e in group.entries:
        if e.date is None:
            unplotted.append(e)
            continue
        s = by_source.setdefault(e.source, {"points": [], "labels": [], "ranges": [], "spans": [], "markers": []})
        lo_day, hi_day = period(e.date)
        first = lo_day if first is None or lo_day < first else first
        last = hi_day if last is None or hi_day > last else last
        x = midpoint(e.date)
        bounds = e.figure.bounds
        if bounds is None:
            s["markers"].append((x, _label(e, several)))
            marked.append(e)
            continue
        low, high = bounds
        s["points"].append((x, (low + high) / 2))
        s["labels"].append(_label(e, several))
        s["ranges"].append((float(low), float(high)))
        s["spans"].append((float(days(lo_day)), float(days(hi_day))))
        plotted.append(e)
    series = tuple(
        Series(name, tuple(v["points"]), tuple(v["labels"]),
               tuple(v["ranges"]) if any(lo != hi for lo, hi in v["ranges"]) else (),
               tuple(v["spans"]), tuple(v["markers"]))
        for name, v in by_source.items()
    )
    ticks = x_ticks(first, last) if first is not None else ()
    y_label = y_label or group.unit
    alt = _alt_text(title, y_label, ticks, group, plotted, marked, unplotted, several)
    caption = (Text(caption_text(title, group, plotted, marked, unplotted, several)),)
    chart = Chart(title, caption, alt, y_label, series, ticks)
    return ChartData(chart, tuple(plotted), tuple(marked), tuple(unplotted))


def chart_for(group: FigureGroup, title: str | None = None, y_label: str | None = None) -> Chart:
    """Return the chart of ``group``'s figures over time (see the module's rules)."""
    return chart_data(group, title, y_label).chart


def caption_text(title, group, plotted, marked, unplotted, several) -> str:
    """Return the default caption: what is shown, who gave the figures, and what is left out."""
    sources = [s for s in group.sources if any(e.source == s for e in (*plotted, *marked))]
    parts = [f"{title}: figures as reported, at the date they refer to, by who gave them"
             f" ({', '.join(sources)})." if sources else f"{title}."]
    if any(e.date.precision != "day" for e in plotted):
        parts.append("A horizontal bar spans the month or year when the sources give no closer date.")
    if marked:
        parts.append("A figure given only in words is marked on the date axis, without a number.")
    text = " ".join(parts) + _unplotted_sentence(unplotted, several)
    return text


def _describe(e: Entry, several: bool) -> str:
    return f"{_label(e, several)}, {e.when}"


def _unplotted_sentence(unplotted: list[Entry], several: bool) -> str:
    if not unplotted:
        return ""
    items = "; ".join(f"{e.source}: {_label(e, several)}" for e in unplotted)
    return f" Not plotted, {NO_DATE}: {items}."


def _alt_text(title, y_label, ticks, group, plotted, marked, unplotted, several) -> str:
    parts = [f"Chart: {title}."]
    if ticks:
        parts.append(f"Horizontal axis: date, {ticks[0][1]} to {ticks[-1][1]}; vertical axis: {y_label}.")
    for source in group.sources:
        points = [e for e in plotted if e.source == source]
        marks = [e for e in marked if e.source == source]
        if not points and not marks:
            continue
        items = [_describe(e, several) for e in points]
        items += [f"{_describe(e, several)} (no number given; marked on the date axis only)" for e in marks]
        parts.append(f"{source}: {'; '.join(items)}.")
    if unplotted:
        items = "; ".join(f"{e.source}: {_label(e, several)}" for e in unplotted)
        parts.append(f"Not plotted, {NO_DATE}: {items}.")
    if not plotted and not marked:
        parts.append("No figure has a date, so nothing is plotted.")
    return " ".join(parts)


class ChartShelf(Mapping):
    """The ``charts`` templates use: a chart for any list of metrics, made on first use.

    A name is metric names separated by spaces (a group's ``key``). A chart
    whose metrics have no dated figure is not on the shelf, so a template can
    write ``{% if key in charts %}``. Titles come from ``FigureBook.topic``
    calls with the same metrics, else from the metric names.
    """

    def __init__(self, book: FigureBook, prepared: Mapping[str, Chart] | None = None):
        self.book = book
        self._charts: dict[str, Chart] = dict(prepared or {})
        self._missing: set[str] = set()

    def __getitem__(self, name: str) -> Chart:
        if name in self._charts:
            return self._charts[name]
        if not isinstance(name, str) or name in self._missing:
            raise KeyError(name)
        group = self.book.topic(name)
        data = chart_data(group, self.book.titles.get(group.key))
        if data.empty:
            self._missing.add(name)
            raise KeyError(name)
        self._charts[name] = data.chart
        return data.chart

    def __iter__(self):
        return iter(self._charts)

    def __len__(self) -> int:
        return len(self._charts)

    def __bool__(self) -> bool:  # an empty shelf still makes charts on request
        return True


# -- PNG --------------------------------------------------------------------

#: Series colours, the same as the PDF writer's so both formats match.
PALETTE = ("#1f5a96", "#d9822b", "#2a9d8f", "#b5343c", "#6c4f9c", "#7a7f85")
#: One marker shape per series as well, so the chart reads in black and white.
SHAPES = ("circle", "square", "triangle", "diamond")
INK, GREY, GRID, PAPER = "#1a1a1a", "#5f6368", "#d9d9d9", "#ffffff"

#: Size of the PNG in pixels and its resolution (8 × 4.5 inches at 150 dpi).
WIDTH, HEIGHT, DPI = 1200, 675, 150
#: Drawn this many times larger, then reduced, to smooth lines.
SUPERSAMPLE = 2


def nice_ticks(top: float, target: int = 5) -> list[float]:
    """Return round ticks from 0 to at least ``top``."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / target
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def _tint(hex_colour: str, amount: float) -> tuple[int, int, int]:
    """Return ``hex_colour`` mixed with white (0 = the colour, 1 = white)."""
    rgb = [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]
    return tuple(round(c + (255 - c) * amount) for c in rgb)  # type: ignore[return-value]


def chart_png(chart: Chart, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """Return the chart drawn as PNG bytes (deterministic: the same chart gives the same bytes).

    The picture is ``width`` × ``height`` pixels at ``DPI`` (8 × 4.5 inches by
    default) and draws the title, legend, axes and every series, but not the
    caption, which the document prints below it. Embedded in a DOCX, it is meant
    to fill the text width, with ``chart.alt_text`` as the picture's description.
    """
    from PIL import __version__ as pillow_version

    from factsheet import cache
    from factsheet.writers import fonts

    # Drawing costs tens of milliseconds and importing Pillow as much again: a
    # chart already drawn comes from the disk cache (same chart, same bytes).
    font_files = tuple(cache.file_identity(fonts.face_path(fonts.face(fonts.SANS, bold=b))) for b in (False, True))
    parts = (repr(chart), width, height, font_files, pillow_version)
    return cache.memo("chart-png", parts, lambda: _draw_png(chart, width, height))


def _draw_png(chart: Chart, width: int, height: int) -> bytes:
    from PIL import Image, ImageDraw

    k = SUPERSAMPLE
    image = Image.new("RGB", (width * k, height * k), PAPER)
    _Painter(image, ImageDraw.Draw(image), chart, k).paint()
    image = image.reduce(k)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI), compress_level=3)
    return out.getvalue()


class _Painter:
    def __init__(self, image, draw, chart: Chart, k: int):
        from PIL import ImageFont

        from factsheet.writers import fonts

        self.image, self.d, self.chart, self.k = image, draw, chart, k
        regular = str(fonts.face_path(fonts.face(fonts.SANS)))
        bold = str(fonts.face_path(fonts.face(fonts.SANS, bold=True)))
        self.title_font = ImageFont.truetype(bold, 28 * k)
        self.font = ImageFont.truetype(regular, 22 * k)
        self.small = ImageFont.truetype(regular, 21 * k)
        self.placed: list[tuple[float, float, float, float]] = []

    # helpers in final pixels (multiplied by k here)
    def px(self, v: float) -> float:
        return v * self.k

    def text_size(self, text: str, font) -> tuple[float, float]:
        left, top, right, bottom = font.getbbox(text)
        return right - left, bottom - top

    def text(self, xy, text: str, font, fill, anchor="la"):
        self.d.text(xy, text, font=font, fill=fill, anchor=anchor)

    def shape(self, kind: str, x: float, y: float, r: float, fill, outline, width: float):
        if kind == "square":
            box = [x - r * 0.9, y - r * 0.9, x + r * 0.9, y + r * 0.9]
            self.d.rectangle(box, fill=fill, outline=outline, width=int(width))
        elif kind == "triangle":
            self.d.polygon([(x, y - r * 1.15), (x + r * 1.05, y + r * 0.75), (x - r * 1.05, y + r * 0.75)],
                           fill=fill, outline=outline, width=int(width))
        elif kind == "diamond":
            self.d.polygon([(x, y - r * 1.2), (x + r * 1.2, y), (x, y + r * 1.2), (x - r * 1.2, y)],
                           fill=fill, outline=outline, width=int(width))
        else:
            self.d.ellipse([x - r, y - r, x + r, y + r], fill=fill, outline=outline, width=int(width))

    def free(self, box) -> bool:
        x0, y0, x1, y1 = box
        if x0 < self.left or x1 > self.W - self.px(4) or y0 < self.top - self.px(14) or y1 > self.bottom:
            return False
        return all(x1 <= a0 or x0 >= a2 or y1 <= a1 or y0 >= a3 for a0, a1, a2, a3 in self.placed)

    def place_label(self, x: float, y: float, text: str, font, fill, gap: float) -> None:
        w, h = self.text_size(text, font)
        pad = self.px(3)
        candidates = [
            (x + gap, y - h / 2), (x - gap - w, y - h / 2),
            (x - w / 2, y - gap - h), (x - w / 2, y + gap),
            (x + gap, y - gap - h), (x - gap - w, y - gap - h),
            (x + gap, y + gap), (x - gap - w, y + gap),
        ]
        for cx, cy in candidates:
            box = (cx - pad, cy - pad, cx + w + pad, cy + h + pad)
            if self.free(box):
                self.d.rectangle(box, fill=PAPER)  # keeps the label readable over grid and bars
                break
        else:  # nowhere free: the least bad place, inside the picture, covering nothing
            cx, cy = candidates[1] if x + gap + w > self.W - self.px(4) else candidates[0]
            cx = min(max(cx, self.px(4)), self.W - self.px(4) - w)
            box = (cx - pad, cy - pad, cx + w + pad, cy + h + pad)
        self.placed.append(box)
        left, top, _, _ = font.getbbox(text)
        self.text((cx - left, cy - top), text, font, fill)

    # the chart
    def paint(self) -> None:
        chart, px = self.chart, self.px
        self.W, self.H = self.image.size
        y = px(14)
        if chart.title:
            self.text((px(16), y), chart.title, self.title_font, INK)
            y += self.text_size(chart.title, self.title_font)[1] + px(16)
        y = self.legend(px(16), y)
        values = [v for s in chart.series for _, v in s.points]
        values += [hi for s in chart.series for _, hi in s.ranges]
        yticks = nice_ticks(max(values) * 1.12 if values else 1.0)
        widest = max(self.text_size(format_number(t), self.font)[0] for t in yticks)
        self.top = y + px(24)
        self.bottom = self.H - px(52)
        self.left = widest + px(52)
        self.right = self.W - px(50)
        self.y_hi = yticks[-1]
        xs = [v for v, _ in chart.x_ticks] or [p[0] for s in chart.series for p in s.points] or [0.0, 1.0]
        self.x_lo, self.x_hi = min(xs), max(xs)
        if self.x_hi == self.x_lo:
            self.x_lo, self.x_hi = self.x_lo - 1, self.x_hi + 1

        self.axes(yticks)
        for i, s in enumerate(chart.series):
            self.markers(i, s)
        for i, s in enumerate(chart.series):
            self.series(i, s)
        for i, s in enumerate(chart.series):
            self.point_labels(i, s)

    def sx(self, v: float) -> float:
        return self.left + (v - self.x_lo) / (self.x_hi - self.x_lo) * (self.right - self.left)

    def sy(self, v: float) -> float:
        return self.bottom - v / self.y_hi * (self.bottom - self.top)

    def legend(self, x0: float, y: float) -> float:
        px = self.px
        x = x0
        line = self.text_size("Ag", self.font)[1]
        for i, s in enumerate(self.chart.series):
            w = px(30) + self.text_size(s.name, self.font)[0] + px(26)
            if x > x0 and x + w > self.W - px(16):
                x, y = x0, y + line + px(12)
            colour = PALETTE[i % len(PALETTE)]
            self.shape(SHAPES[i % len(SHAPES)], x + px(9), y + line / 2 + px(2), px(8), colour, colour, px(1))
            self.text((x + px(26), y + line / 2 + px(2)), s.name, self.font, INK, anchor="lm")
            x += w
        return y + line

    def axes(self, yticks: list[float]) -> None:
        px, d = self.px, self.d
        fmt = format_number
        for t in yticks:
            ty = self.sy(t)
            d.line([(self.left, ty), (self.right, ty)], fill=GRID, width=int(px(1)))
            self.text((self.left - px(10), ty), fmt(t), self.font, GREY, anchor="rm")
        d.line([(self.left, self.bottom), (self.right, self.bottom)], fill=GREY, width=int(px(1.5)))
        d.line([(self.left, self.top), (self.left, self.bottom)], fill=GREY, width=int(px(1.5)))
        for value, label in self.chart.x_ticks:
            tx = self.sx(value)
            d.line([(tx, self.bottom), (tx, self.bottom + px(7))], fill=GREY, width=int(px(1.5)))
            w = self.text_size(label, self.font)[0]
            tx = min(max(tx, w / 2 + px(4)), self.W - w / 2 - px(4))
            self.text((tx, self.bottom + px(11)), label, self.font, GREY, anchor="ma")
        if self.chart.y_label:
            self.y_label(self.chart.y_label)

    def y_label(self, label: str) -> None:
        from PIL import Image, ImageDraw

        w, h = self.text_size(label, self.font)
        pad = int(self.px(4))
        tile = Image.new("RGB", (int(w) + 2 * pad, int(h) + 2 * pad), PAPER)
        left, top, _, _ = self.font.getbbox(label)
        ImageDraw.Draw(tile).text((pad - left, pad - top), label, font=self.font, fill=GREY)
        tile = tile.rotate(90, expand=True)
        x = int(self.px(8))
        y = int((self.top + self.bottom) / 2 - tile.size[1] / 2)
        self.image.paste(tile, (x, y))

    def markers(self, i: int, s: Series) -> None:
        """Figures given only in words: a dashed line at their date and a hollow marker on the axis."""
        px, d = self.px, self.d
        colour = PALETTE[i % len(PALETTE)]
        faint = _tint(colour, 0.45)
        for x, label in s.markers:
            tx = self.sx(x)
            y = self.top
            while y < self.bottom:
                d.line([(tx, y), (tx, min(y + px(8), self.bottom))], fill=faint, width=int(px(2)))
                y += px(14)
            self.shape(SHAPES[i % len(SHAPES)], tx, self.bottom, px(9), PAPER, colour, px(2.5))
            self.placed.append((tx - px(9), self.bottom - px(9), tx + px(9), self.bottom + px(9)))
            self.place_label(tx, self.bottom - px(34), f"{label}: no number given", self.small, colour, px(10))

    def series(self, i: int, s: Series) -> None:
        px, d = self.px, self.d
        colour = PALETTE[i % len(PALETTE)]
        faint = _tint(colour, 0.6)
        coords = [(self.sx(x), self.sy(y)) for x, y in s.points]
        if len(coords) > 1:
            d.line(coords, fill=colour, width=int(px(2.5)), joint="curve")
        for j, (cx, cy) in enumerate(coords):
            if j < len(s.spans) and s.spans[j][0] != s.spans[j][1]:
                a, b = (self.sx(v) for v in s.spans[j])
                d.line([(a, cy), (b, cy)], fill=faint, width=int(px(3)))
                for end in (a, b):
                    d.line([(end, cy - px(6)), (end, cy + px(6))], fill=faint, width=int(px(2)))
            if j < len(s.ranges) and s.ranges[j][0] != s.ranges[j][1]:
                lo, hi = (self.sy(v) for v in s.ranges[j])
                d.line([(cx, lo), (cx, hi)], fill=colour, width=int(px(2.5)))
                for end in (lo, hi):
                    d.line([(cx - px(7), end), (cx + px(7), end)], fill=colour, width=int(px(2.5)))
        for cx, cy in coords:
            self.shape(SHAPES[i % len(SHAPES)], cx, cy, px(10), colour, PAPER, px(2))
            self.placed.append((cx - px(12), cy - px(12), cx + px(12), cy + px(12)))

    def point_labels(self, i: int, s: Series) -> None:
        colour = PALETTE[i % len(PALETTE)]
        for j, (x, y) in enumerate(s.points):
            label = s.labels[j] if j < len(s.labels) else ""
            if label:
                self.place_label(self.sx(x), self.sy(y), label, self.small, colour, self.px(18))
