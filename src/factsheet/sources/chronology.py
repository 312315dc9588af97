"""Dates that add up: events before their reports, reports before the sheet's as-of and their sources."""

from __future__ import annotations

import datetime as _dt

from factsheet.errors import Problem
from factsheet.sources.loading import Located, YamlPath
from factsheet.sources.model import PartialDate

Span = tuple[_dt.date, _dt.date, str]


def span(value: object) -> Span | None:
    """Return (first day, last day, as written) of a sheet's date value, or None when it is not one.

    A "by"/"before" date has no known first day: it may mean any earlier day, so it is
    never certainly after another date.
    """
    if isinstance(value, _dt.datetime):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, (str, _dt.date)):
        return None
    date = PartialDate.of(value)
    if date is None or PartialDate.problem(date.iso):
        return None  # not a real date: the schema reports it
    return date.first or _dt.date.min, date.last, date.iso


def after(a: Span | None, b: Span | None) -> bool:
    """Return True when date ``a`` is certainly after ``b``: every day ``a`` can mean is later.

    "2025" is not after "2025-02" (it may be the same month); "2025-03" is.
    """
    return a is not None and b is not None and a[0] > b[1]


def _shown(when: Span | None) -> str:
    return when[2] if when else ""


def problems(doc: Located, sources: dict[str, str | None]) -> list[Problem]:
    """Return a warning for each date in the sheet that cannot be right, given the sources' publication dates.

    ``sources`` maps a source id to its published value (None when not recorded).
    """
    out: list[Problem] = []
    data = doc.data if isinstance(doc.data, dict) else {}
    as_of = span(data.get("as_of"))
    claims = data.get("claims")
    for i, claim in enumerate(claims if isinstance(claims, list) else ()):
        if not isinstance(claim, dict):
            continue
        name = f"claim '{claim['id']}'" if isinstance(claim.get("id"), str) else f"claims[{i}]"
        said, happened = span(claim.get("said_on")), span(claim.get("happened_on"))
        if after(happened, said):
            out.append(
                doc.problem(
                    ("claims", i, "happened_on"),
                    f"{name}: happened_on {_shown(happened)} is after said_on {_shown(said)}; "
                    "an event cannot happen after the statement that reports it",
                    severity="warning",
                )
            )
        for k, figure in enumerate(claim.get("figures") or ()):
            when = span(figure.get("as_of")) if isinstance(figure, dict) else None
            if after(when, said):
                out.append(
                    doc.problem(
                        ("claims", i, "figures", k, "as_of"),
                        f"{name}: figure as_of {_shown(when)} is after said_on {_shown(said)}; "
                        "a figure cannot describe a time after the statement that gives it",
                        severity="warning",
                    )
                )
            elif after(when, as_of):
                out.append(
                    doc.problem(
                        ("claims", i, "figures", k, "as_of"),
                        f"{name}: figure as_of {_shown(when)} is after the sheet's as_of {_shown(as_of)}",
                        severity="warning",
                    )
                )
        for key, when in (("said_on", said), ("happened_on", happened)):
            if after(when, as_of):
                out.append(
                    doc.problem(
                        ("claims", i, key),
                        f"{name}: {key} {_shown(when)} is after the sheet's as_of {_shown(as_of)}; "
                        "move as_of on or give the date the sources support",
                        severity="warning",
                    )
                )
        reported: set[str] = set()
        for citation in claim.get("citations") or ():
            source_id = citation.get("source") if isinstance(citation, dict) else None
            published = span(sources.get(source_id)) if isinstance(source_id, str) else None
            if published is None or not isinstance(source_id, str) or source_id in reported:
                continue
            reported.add(source_id)
            if after(said, published):
                out.append(
                    doc.problem(
                        ("claims", i, "said_on"),
                        f"{name}: said_on {_shown(said)} is after {source_id} was published ({_shown(published)}); "
                        "a source cannot report what was said later",
                        severity="warning",
                    )
                )
    return out


def source_problems(doc: Located, published: dict[str, tuple[object, YamlPath]]) -> list[Problem]:
    """Return a warning for each cited source published after the sheet's as-of.

    ``published`` maps a cited source id to (its published value, the path of its first citation).
    """
    data = doc.data if isinstance(doc.data, dict) else {}
    as_of = span(data.get("as_of"))
    out: list[Problem] = []
    for source_id, (value, path) in published.items():
        when = span(value)
        if after(when, as_of):
            out.append(
                doc.problem(
                    path,
                    f"source '{source_id}' was published {_shown(when)}, after the sheet's as_of {_shown(as_of)}; "
                    "move as_of on",
                    severity="warning",
                )
            )
    return out
