"""Values the writers can print and chart: figure magnitudes and years within a sane range.

The schema accepts any finite number and any four-digit year; a brief cannot
draw a chart axis up to 1.7e308 people or past the year 9999, and a Word
file cannot be dated after 2107. ``factsheet check`` refuses such values here,
naming the field, so that what check passes, build renders.
"""

from __future__ import annotations

import datetime as _dt
import math
import re

from factsheet.errors import Problem
from factsheet.sources.loading import Located, YamlPath, display_path

#: The largest figure a brief prints: a quadrillion, far above any count a source gives.
MAX_FIGURE = 10**15
#: The years a brief's dates may fall in.
MIN_YEAR, MAX_YEAR = 1900, 2100

_YEAR = re.compile(r"(?<![0-9])([0-9]{4})(?![0-9])")


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _year(value: object) -> int | None:
    """Return the year of a date value as YAML gave it (date, 2024, "2024-10", "by 2024"), or None.

    Of a span ("2024/2025") the year outside the range, if either is.
    """
    if isinstance(value, _dt.date):
        return value.year
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        years = [int(y) for y in _YEAR.findall(value)]
        outside = [y for y in years if not MIN_YEAR <= y <= MAX_YEAR]
        return (outside or years)[0] if years else None
    return None


def _date_problem(doc: Located, path: YamlPath, value: object) -> Problem | None:
    year = _year(value)
    if year is None or MIN_YEAR <= year <= MAX_YEAR:
        return None
    return doc.problem(
        path,
        f"{display_path(path)}: expected a year between {MIN_YEAR} and {MAX_YEAR}, "
        f"found {year}; check the date",
    )


def problems(doc: Located) -> list[Problem]:
    """Return a problem for each figure or date in ``doc`` the writers could not print or chart."""
    data = doc.data
    out: list[Problem] = []
    if not isinstance(data, dict):
        return out
    found = _date_problem(doc, ("as_of",), data.get("as_of"))
    if found:
        out.append(found)
    claims = data.get("claims")
    for i, claim in enumerate(claims if isinstance(claims, list) else ()):
        if not isinstance(claim, dict):
            continue
        for key in ("said_on", "happened_on"):
            if key in claim and (found := _date_problem(doc, ("claims", i, key), claim[key])):
                out.append(found)
        figures = claim.get("figures")
        for j, figure in enumerate(figures if isinstance(figures, list) else ()):
            if not isinstance(figure, dict):
                continue
            path = ("claims", i, "figures", j)
            for key in ("value", "low", "high"):
                value = figure.get(key)
                if (
                    isinstance(value, (int, float))
                    and _number(value)
                    and math.isfinite(value)
                    and abs(value) > MAX_FIGURE
                ):
                    shown = f"{value:.3g}" if isinstance(value, float) else f"{value:,}"
                    out.append(
                        doc.problem(
                            path + (key,),
                            f"{display_path(path + (key,))}: {shown} is too large to print or chart; "
                            f"expected a number up to {MAX_FIGURE:,}",
                        )
                    )
            if "as_of" in figure and (found := _date_problem(doc, path + ("as_of",), figure["as_of"])):
                out.append(found)
    return out
