"""Charts of reported figures over time: the chart data every writer draws.

:func:`chart_data` turns a group of figures (see :mod:`factsheet.content.figures`) into
a :class:`ChartData` (rendering makes it a ``Chart`` block):

- one series per metric (kind of count), in the order the topic names them:
  "planned", "sent" and "more sent" are different counts and never one line;
  each point is labelled with its amount and who gave it;
- x is the whole period the figure's date covers (:func:`date_span`: its
  first and last day), the date it refers to (its ``as_of``, else the claim's
  date); ``spans`` holds that period and the point's x is its first day, so
  nothing is placed in the middle of a month, a season or a year;
- y is the value; a range keeps its low and high (``ranges``) and its point's
  y is its low end, never an invented middle; the qualifier stays in the
  label ("at least 3,000");
- a figure given only in words ("several thousand") is a marker with its
  words as label and no y value: no number is invented, and it is drawn
  beneath the time axis, claiming no height;
- a figure whose date the sources do not give is not plotted; the text
  alternative and :attr:`ChartData.unplotted` name it, so a caption can too.

The text alternative (``alt_text``) lists every plotted value, every marker and
every figure left out, each with who gave it and its date.

Where every mark goes is decided once, by :mod:`factsheet.rendering.chartgeometry`;
the writers only paint that layout: the PDF writer as vector graphics
(:mod:`factsheet.writers.pdf.chart_painter`), the DOCX writer as a picture
(:mod:`factsheet.writers.docx.chart_picture`), the HTML writer as SVG
(:mod:`factsheet.writers.html.svg`).

Templates reach charts by name through :class:`ChartShelf`: the name is a list
of metrics separated by spaces, e.g. ``<chart name="deaths people_missing">``,
or a group's ``key``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from factsheet.chartdata import Series
from factsheet.content.figures import Entry, FigureBook, FigureGroup
from factsheet.content.timeline import days, period
from factsheet.sources.model import PartialDate

_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class ChartData:
    """A chart's title, caption, text alternative, axes and series, and the figures it could not plot."""

    title: str
    caption: str
    alt_text: str
    y_label: str
    series: tuple[Series, ...]
    x_ticks: tuple[tuple[float, str], ...]
    plotted: tuple[Entry, ...]
    marked: tuple[Entry, ...]
    unplotted: tuple[Entry, ...]

    @property
    def empty(self) -> bool:
        """Return True when the chart would show nothing."""
        return not (self.plotted or self.marked)


def date_span(date: PartialDate) -> tuple[_dt.date, _dt.date]:
    """Return the first and the last day ``date`` covers: the one place the chart reads a date's extent."""
    return period(date)


def _label(entry: Entry) -> str:
    """Return a point's label: the amount and who gave it ("at least 19, Red Cross"), and "final" if so."""
    final = " (final)" if entry.final else ""
    return f"{_amount(entry)}, {entry.source}{final}"


def _amount(entry: Entry) -> str:
    """Return the figure's amount as written ("at least 19"); a charted entry always has a figure."""
    return entry.figure.amount() if entry.figure is not None else ""


def _metric_name(entry: Entry) -> str:
    """Return the series' name: the figure's metric label, as the brief's tables print it."""
    return entry.figure.metric_label if entry.figure is not None else ""


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


@dataclass
class _Marks:
    """One metric's marks, gathered figure by figure before they become a Series."""

    points: list[tuple[float, float]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    ranges: list[tuple[float, float]] = field(default_factory=list)
    spans: list[tuple[float, float]] = field(default_factory=list)
    markers: list[tuple[float, str]] = field(default_factory=list)
    marker_spans: list[tuple[float, float]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def chart_data(group: FigureGroup, title: str | None = None, y_label: str | None = None) -> ChartData:
    """Return the chart of ``group``'s figures over time, with what it could not plot."""
    title = title or group.title
    several = len(group.metrics) > 1
    by_metric: dict[str, _Marks] = {}
    plotted: list[Entry] = []
    marked: list[Entry] = []
    unplotted: list[Entry] = []
    first = last = None
    for e in group.figures:
        if e.figure is None:  # a claim that gives no figure has nothing to chart
            continue
        if e.date is None:
            unplotted.append(e)
            continue
        s = by_metric.setdefault(e.metric, _Marks())
        lo_day, hi_day = date_span(e.date)
        first = lo_day if first is None or lo_day < first else first
        last = hi_day if last is None or hi_day > last else last
        span = (float(days(lo_day)), float(days(hi_day)))
        x = span[0]
        bounds = e.figure.bounds
        if bounds is None:
            s.markers.append((x, _label(e)))
            s.marker_spans.append(span)
            marked.append(e)
            continue
        low, high = bounds
        s.points.append((x, low))
        s.labels.append(_label(e))
        s.ranges.append((float(low), float(high)))
        s.spans.append(span)
        s.sources.append(e.source)
        plotted.append(e)
    order = [m for m in group.metrics if m in by_metric]
    names = {e.metric: _metric_name(e) for e in group.figures}
    series = tuple(
        Series(
            names[m],
            tuple(v.points),
            tuple(v.labels),
            tuple(v.ranges) if any(lo != hi for lo, hi in v.ranges) else (),
            tuple(v.spans),
            tuple(v.markers),
            tuple(v.marker_spans),
            tuple(v.sources),
        )
        for m, v in ((m, by_metric[m]) for m in order)
    )
    ticks = x_ticks(first, last) if first is not None and last is not None else ()
    y_label = y_label or group.unit
    alt = _alt_text(title, y_label, ticks, series, plotted, marked, unplotted, several)
    caption = caption_text(title, group, plotted, marked, unplotted, several)
    return ChartData(
        title, caption, alt, y_label, series, ticks, tuple(plotted), tuple(marked), tuple(unplotted)
    )


def caption_text(
    title: str,
    group: FigureGroup,
    plotted: list[Entry],
    marked: list[Entry],
    unplotted: list[Entry],
    several: bool,
) -> str:
    """Return the default caption: how figures are placed, and what is left out.

    The legend names the series, each label who gave its figure, and the lane
    beneath the axis says what figures in words are; the caption says no more.
    """
    ranges = ", a range from its low to its high end" if any(_is_range(e) for e in plotted) else ""
    shown = f"Each figure as reported, over the period it refers to{ranges}." if plotted or marked else ""
    return (shown + _unplotted_sentence(unplotted)).strip()


def _is_range(e: Entry) -> bool:
    bounds = e.figure.bounds if e.figure is not None else None
    return bounds is not None and bounds[0] != bounds[1]


def dated(e: Entry) -> str:
    """Return a figure's date as the brief's figure table writes it ("autumn 2024, reported in 2025")."""
    return e.dated


def _describe(e: Entry) -> str:
    return f"{_amount(e)} ({e.source}), {dated(e)}"


def _unplotted_items(unplotted: list[Entry]) -> str:
    return "; ".join(f"{_metric_name(e)}: {_label(e)}" for e in unplotted)


def _unplotted_sentence(unplotted: list[Entry]) -> str:
    if not unplotted:
        return ""
    return f" Not charted, as the sources give it no date: {_unplotted_items(unplotted)}."


def _alt_text(
    title: str,
    y_label: str,
    ticks: tuple[tuple[float, str], ...],
    series: tuple[Series, ...],
    plotted: list[Entry],
    marked: list[Entry],
    unplotted: list[Entry],
    several: bool,
) -> str:
    parts = [f"Chart: {title}."]
    if ticks:
        parts.append(f"Horizontal axis: date, {ticks[0][1]} to {ticks[-1][1]}; vertical axis: {y_label}.")
    for s in series:
        items = [_describe(e) for e in plotted if _metric_name(e) == s.name]
        items += [
            f"{_describe(e)} (no number given; listed at its date only)"
            for e in marked
            if _metric_name(e) == s.name
        ]
        parts.append(f"{s.name}: {'; '.join(items)}.")
    if unplotted:
        parts.append(f"Not charted, as the sources give it no date: {_unplotted_items(unplotted)}.")
    if not plotted and not marked:
        parts.append("No figure has a date, so nothing is plotted.")
    return " ".join(parts)


class ChartShelf(Mapping[str, ChartData]):
    """The ``charts`` templates use: a chart for any list of metrics, made on first use.

    A name is metric names separated by spaces (a group's ``key``). A chart
    whose metrics have no dated figure is not on the shelf, so a template can
    write ``{% if key in charts %}``. Titles come from ``FigureBook.topic``
    calls with the same metrics, else from the metric names.
    """

    def __init__(self, book: FigureBook, prepared: Mapping[str, ChartData] | None = None):
        self.book = book
        self._charts: dict[str, ChartData] = dict(prepared or {})
        self._missing: set[str] = set()

    def __getitem__(self, name: str) -> ChartData:
        if name in self._charts:
            return self._charts[name]
        if not isinstance(name, str) or name in self._missing:
            raise KeyError(name)
        group = self.book.topic(name)
        data = chart_data(group, self.book.titles.get(group.key))
        if data.empty:
            self._missing.add(name)
            raise KeyError(name)
        self._charts[name] = data
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(self._charts)

    def __len__(self) -> int:
        return len(self._charts)

    def __bool__(self) -> bool:  # an empty shelf still makes charts on request
        return True
