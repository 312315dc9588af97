"""Dates as precise as their source: every precision read from YAML, printed as an editor writes it, with its span."""

import datetime as dt

import pytest

from factsheet.sources import schema
from factsheet.sources.loading import load_text
from factsheet.sources.model import PartialDate

D = dt.date

CASES = [
    ("2024-10-18", "18 October 2024", D(2024, 10, 18), D(2024, 10, 18)),
    ("2024-10", "October 2024", D(2024, 10, 1), D(2024, 10, 31)),
    ("2024-10-early", "early October 2024", D(2024, 10, 1), D(2024, 10, 10)),
    ("2024-10-mid", "mid-October 2024", D(2024, 10, 11), D(2024, 10, 20)),
    ("2024-02-late", "late February 2024", D(2024, 2, 21), D(2024, 2, 29)),
    ("2024-autumn", "autumn 2024", D(2024, 9, 1), D(2024, 11, 30)),
    ("2024-winter", "winter 2024–25", D(2024, 12, 1), D(2025, 2, 28)),
    ("2025-early", "early 2025", D(2025, 1, 1), D(2025, 4, 30)),
    ("2025-01/2025-02", "January–February 2025", D(2025, 1, 1), D(2025, 2, 28)),
    ("2024-12/2025-01", "December 2024–January 2025", D(2024, 12, 1), D(2025, 1, 31)),
    ("2024-10-18/2024-10-20", "18–20 October 2024", D(2024, 10, 18), D(2024, 10, 20)),
    ("2024", "2024", D(2024, 1, 1), D(2024, 12, 31)),
    ("by 2024", "by the end of 2024", None, D(2024, 12, 31)),
    ("by 2024-12", "by December 2024", None, D(2024, 12, 31)),
    ("before 2024-10", "before October 2024", None, D(2024, 9, 30)),
]


@pytest.mark.parametrize(("written", "printed", "first", "last"), CASES)
def test_a_date_reads_from_yaml_prints_in_words_and_covers_its_span(written, printed, first, last):
    doc = load_text(f"said_on: '{written}'\n", "sheet.yaml", expected="said_on")
    spec = schema.PARTIAL
    problems: list = []
    spec.check(doc.data["said_on"], ("said_on",), doc, problems)
    assert problems == []
    date = spec.strict(doc.data["said_on"])
    assert date.human() == printed
    assert date.span == (first, last)
    assert "only" not in printed and "reported" not in printed and "not given" not in printed


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("2025-02-30", "day is out of range for month"),
        ("2025-03/2025-01", "the span ends (2025-01) before it begins (2025-03)"),
        ("2024-13", "not a date"),
        ("autumn 2024", "not a date"),
        ("by  2024", "not a date"),
    ],
)
def test_a_date_that_is_not_one_says_why(written, reason):
    assert PartialDate.problem(written) == reason
