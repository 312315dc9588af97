"""The timeline: events at the date they happened, statements at the date they were made, undated apart."""

from __future__ import annotations

import datetime as dt

import pytest

from factsheet.content.timeline import (
    NO_DATE,
    before,
    build_timeline,
    date_key,
    overlaps,
    period,
)
from factsheet.sources.model import Attribution, Citation, Claim, FactSheet, PartialDate

from conftest import NK_SHEET


def claim(id, said=None, happened=None):
    return Claim(
        id=id,
        text=f"Text of {id}.",
        status="reported",
        attribution=Attribution("Someone", True),
        citations=(Citation("src", "q"),),
        said_on=PartialDate.of(said),
        happened_on=PartialDate.of(happened),
    )


def sheet(*claims):
    return FactSheet(title="T", as_of=dt.date(2025, 2, 28), claims=list(claims))


def test_entries_are_ordered_by_date_year_before_its_months_ties_in_file_order():
    t = build_timeline(
        sheet(
            claim("feb-2025", said="2025-02"),
            claim("day", said="2024-10-18"),
            claim("year-a", said="2024"),
            claim("oct", said="2024-10"),
            claim("year-b", happened="2024"),
            claim("2023", said=2023),  # an unquoted year in YAML arrives as a number
        )
    )
    assert [e.claim.id for e in t.entries] == ["2023", "year-a", "year-b", "oct", "day", "feb-2025"]
    assert [e.when for e in t.entries] == [
        "2023",
        "2024",
        "2024",
        "October 2024",
        "18 October 2024",
        "February 2025",
    ]
    assert t.first.claim.id == "2023" and t.last.claim.id == "feb-2025"


def test_an_event_is_placed_when_it_happened_and_keeps_when_it_was_reported():
    t = build_timeline(sheet(claim("kursk", said="2025", happened="2024-11"), claim("said", said="2024")))
    said, kursk = t.entries
    assert (kursk.kind, kursk.date.iso, kursk.reported) == ("happened", "2024-11", "2025")
    assert kursk.is_event and not said.is_event
    assert kursk.describe() == "November 2024 (happened; reported 2025)"
    assert said.describe() == "2024 (said)"


def test_an_event_without_a_report_date_says_so():
    (entry,) = build_timeline(sheet(claim("treaty", happened="2024"))).entries
    assert entry.reported == NO_DATE == "date not given in the sources"


def test_claims_without_any_date_are_listed_apart_and_never_given_one():
    t = build_timeline(sheet(claim("b"), claim("dated", said="2024"), claim("a")))
    assert [c.id for c in t.undated] == ["b", "a"]
    assert [e.claim.id for e in t.entries] == ["dated"]
    assert build_timeline(sheet(claim("x"))).entries == ()
    assert not build_timeline(sheet())


@pytest.mark.parametrize(
    "iso, first, last",
    [
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2025-02", dt.date(2025, 2, 1), dt.date(2025, 2, 28)),
        ("2024-10-18", dt.date(2024, 10, 18), dt.date(2024, 10, 18)),
    ],
)
def test_period_of_a_partial_date(iso, first, last):
    assert period(PartialDate(iso)) == (first, last)


def test_date_helpers():
    y, oct_, feb = PartialDate("2024"), PartialDate("2024-10"), PartialDate("2025-02")
    assert date_key(y) < date_key(oct_) < date_key(PartialDate("2024-10-01")) < date_key(feb)
    assert overlaps(y, oct_) and not overlaps(oct_, feb)
    assert before(y, feb) and not before(y, oct_) and not before(feb, y)


def test_north_korea_timeline_runs_from_the_first_reports_to_the_latest():
    from factsheet.pipeline import build
    from factsheet.project import Project

    loaded = build.load_sheet(Project.find(NK_SHEET.parent), NK_SHEET)
    t = build_timeline(loaded.sheet)
    assert t.first.date.iso == "2016" and t.last.date.iso == "2025-01"  # the Syria precedent comes first
    ids = [e.claim.id for e in t.entries]
    assert (
        ids.index("troops-training-several-thousand")
        < ids.index("nk-troops-deployed-kursk")
        < ids.index("skorea-3000-additional-troops")
    )
    assert "zelenskyy-10000-to-train" in [c.id for c in t.undated]
    assert len(t.entries) + len(t.undated) == len(loaded.sheet.claims)


def test_dates_order_by_their_span_and_one_dates_entries_keep_the_sheets_order():
    t = build_timeline(
        sheet(
            claim("b", said="2024-10"),
            claim("year", said="2024"),
            claim("a", said="2024-10"),
            claim("day", said="2024-10-02"),
        )
    )
    assert [e.claim.id for e in t.entries] == ["year", "b", "a", "day"]
    assert [e.when for e in t.entries] == ["2024", "October 2024", "October 2024", "2 October 2024"]


def test_every_precision_orders_by_the_first_day_it_covers_a_longer_span_first():
    t = build_timeline(
        sheet(
            claim("jan-feb", said="2025-01/2025-02"),
            claim("early-oct", said="2024-10-early"),
            claim("autumn", said="2024-autumn"),
            claim("by-dec", said="by 2024-12"),
            claim("year", said="2024"),
            claim("oct", said="2024-10"),
            claim("late-oct", said="2024-10-late"),
        )
    )
    assert [e.when for e in t.entries] == [
        "2024",
        "autumn 2024",
        "October 2024",
        "early October 2024",
        "late October 2024",
        "by December 2024",
        "January–February 2025",
    ]
