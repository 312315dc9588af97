"""A dated sequence of the events and statements in a fact sheet.

Every claim becomes one entry of the timeline:

- a claim with ``happened_on`` is an **event**, placed at the date it happened;
  the date it was reported (``said_on``), if any, is shown beside it;
- a claim with only ``said_on`` is a **statement**, placed at the date it was
  made;
- a claim with neither is listed apart, as "date not given in the sources".
  The timeline never supplies a date the sources do not give.

Entries are ordered by the span their date covers: by its first day, a longer
span first, so a date known only to the year opens that year ("2024" before
"autumn 2024" before "October 2024" before "18 October 2024"). Entries with the
same date keep the order of the fact sheet. Each date is shown as an editor
writes it, as precise as the source: "2024", "autumn 2024", "early October
2024", "January–February 2025", "by the end of 2024".
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from factsheet.sources.model import Claim, DraftSheet, PartialDate

#: Shown where the sources give no date.
NO_DATE = "date not given in the sources"

_EPOCH = _dt.date(1970, 1, 1)


# -- partial dates ----------------------------------------------------------


def date_key(date: PartialDate) -> tuple[int, int]:
    """Return a sort key: by the first day the date covers, a longer span first ("2024" before "October 2024")."""
    return date.sort_key()


def period(date: PartialDate) -> tuple[_dt.date, _dt.date]:
    """Return the first and the last day ``date`` can mean ("autumn 2024" → 1 September to 30 November).

    A "by"/"before" date has no first day; its period here is its last day alone.
    """
    return date.first or date.last, date.last


def days(day: _dt.date) -> int:
    """Return the days since 1970-01-01 (the x unit of document.Chart)."""
    return (day - _EPOCH).days


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


def build_timeline(sheet: DraftSheet) -> Timeline:
    """Return the timeline of every claim in ``sheet``."""
    dated: list[tuple[tuple[int, int], int, Entry]] = []
    undated: list[Claim] = []
    for index, claim in enumerate(sheet.claims):
        entry = entry_for(claim)
        if entry is None:
            undated.append(claim)
        else:
            dated.append((date_key(entry.date), index, entry))
    dated.sort(key=lambda item: (item[0], item[1]))
    return Timeline(tuple(e for _, _, e in dated), tuple(undated))
