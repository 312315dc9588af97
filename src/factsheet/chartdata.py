"""A chart's data as every stage sees it: named series of points over days since 1970-01-01."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    """One named line of points in a chart; ``points`` are (x, y) pairs.

    Optional, and drawn by writers that know them (a writer that does not still
    draws every point at its y value):

    - ``ranges``: one (low, high) per point when the figure is a range; the
      point sits at the middle and a vertical bar spans low to high. A point
      with low == high has no bar.
    - ``spans``: one (first, last) day per point: the period its date covers
      when known only to the month or year; drawn as a horizontal bar.
    - ``markers``: (x, label) for figures given only in words ("several
      thousand"): drawn through the plot at their date, at no height, since
      there is no number; ``marker_spans`` the period of each marker's date.
    - ``sources``: who gave each point; only a source's own successive
      figures are joined by a line.
    """

    name: str
    points: tuple[tuple[float, float], ...]
    labels: tuple[str, ...] = ()
    ranges: tuple[tuple[float, float], ...] = ()
    spans: tuple[tuple[float, float], ...] = ()
    markers: tuple[tuple[float, str], ...] = ()
    marker_spans: tuple[tuple[float, float], ...] = ()
    sources: tuple[str, ...] = ()
