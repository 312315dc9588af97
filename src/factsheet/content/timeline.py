"""A dated sequence of the events and statements in a fact sheet.

Every claim becomes one entry of the timeline:

- a claim with ``happened_on`` is an **event**, placed at the date it happened;
  the date it was reported (``said_on``), if any, is shown beside it;
- a claim with only ``said_on`` is a **statement**, placed at the date it was
  made;
- a claim with neither is listed apart, as "date not given in the sources".
  The timeline never supplies a date the sources do not give.

Entries are ordered by their date as far as it is known: by year, then month,
then day. A date known only to the year opens that year, before its months,
as a chronology lists what is known only to the year ("2024" before "October
2024" before "18 October 2024"), and ``Entry.approximate`` says "year only"
so it is not read as 1 January. Entries with the same date, and so the
entries of one month, keep the order of the fact sheet. Each date is shown
with the precision it has: "2024", "October 2024", "18 October 2024".
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from factsheet.sources.model import Claim, FactSheet, PartialDate

#: Shown where the sources give no date.
NO_DATE = "date not given in the sources"

_EPOCH = _dt.date(1970, 1, 1)


# -- partial dates ----------------------------------------------------------


def date_key(date: PartialDate) -> tuple[int, int, int]:
    """Return a sort key: by year, month, day, a missing part sorting before any given one."""
    parts = [int(p) for p in date.iso.split("-")]
    return tuple(parts + [0] * (3 - len(parts)))  # type: ignore[return-value]


def period(date: PartialDate) -> tuple[_dt.date, _dt.date]:
    """Return the first and the last day ``date`` can mean ("2024" → 1 January to 31 December)."""
    start = date.start
    if date.precision == "year":
        return start, _dt.date(start.year, 12, 31)
    if date.precision == "month":
        following = _dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return start, following - _dt.timedelta(days=1)
    return start, start


def days(day: _dt.date) -> int:
    """Return the days since 1970-01-01 (the x unit of document.Chart)."""
    return (day - _EPOCH).days


def midpoint(date: PartialDate) -> float:
    """Return the middle of the period ``date`` means, in days since 1970-01-01."""
    first, last = period(date)
    return (days(first) + days(last)) / 2


def overlaps(a: PartialDate, b: PartialDate) -> bool:
    """Return True when the periods of ``a`` and ``b`` share a day ("2024" and "October 2024" do)."""
    a0, a1 = period(a)
    b0, b1 = period(b)
    return a0 <= b1 and b0 <= a1


def before(a: PartialDate, b: PartialDate) -> bool:
    """Return True when all of ``a`` lies before all of ``b`` ("2024" is before "February 2025")."""
    return period(a)[1] < period(b)[0]


# -- the timeline -----------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One claim on the timeline: an event (``happened``) or a statement (``said``)."""

    claim: Claim
    kind: str  # "happened" | "said"
    date: PartialDate

    @property
    def said_on(self) -> PartialDate | None:
        """Return when the claim was made or reported, if the sources say."""
        return self.claim.said_on

    @property
    def happened_on(self) -> PartialDate | None:
        """Return when the event took place, if the sources say."""
        return self.claim.happened_on

    @property
    def is_event(self) -> bool:
        """Return True for an event placed at the date it happened."""
        return self.kind == "happened"

    @property
    def when(self) -> str:
        """Return the entry's date as a reader writes it, at its precision ("2024", "October 2024")."""
        return self.date.human()

    @property
    def approximate(self) -> str:
        """Return "year only" for a date known only to the year, else "" (a month reads as one)."""
        return "year only" if self.date.precision == "year" else ""

    @property
    def reported(self) -> str:
        """Return when the claim was reported, or that the sources give no date."""
        return self.claim.said_on.human() if self.claim.said_on else NO_DATE

    def describe(self) -> str:
        """Return the date and kind in words: "November 2024 (happened; reported 2025)"."""
        if self.is_event:
            return f"{self.when} (happened; reported {self.reported})"
        return f"{self.when} (said)"


@dataclass(frozen=True)
class Timeline:
    """The dated entries in order, and the claims whose date the sources do not give."""

    entries: tuple[Entry, ...]
    undated: tuple[Claim, ...]

    @property
    def first(self) -> Entry | None:
        """Return the earliest entry, if any."""
        return self.entries[0] if self.entries else None

    @property
    def last(self) -> Entry | None:
        """Return the latest entry, if any."""
        return self.entries[-1] if self.entries else None

    def __bool__(self) -> bool:
        return bool(self.entries or self.undated)


def entry_for(claim: Claim) -> Entry | None:
    """Return the timeline entry of ``claim``, or None when it carries no date."""
    if claim.happened_on is not None:
        return Entry(claim, "happened", claim.happened_on)
    if claim.said_on is not None:
        return Entry(claim, "said", claim.said_on)
    return None


def build_timeline(sheet: FactSheet) -> Timeline:
    """Return the timeline of every claim in ``sheet``."""
    dated: list[tuple[tuple, int, Entry]] = []
    undated: list[Claim] = []
    for index, claim in enumerate(sheet.claims):
        entry = entry_for(claim)
        if entry is None:
            undated.append(claim)
        else:
            dated.append((date_key(entry.date), index, entry))
    dated.sort(key=lambda item: (item[0], item[1]))
    return Timeline(tuple(e for _, _, e in dated), tuple(undated))
