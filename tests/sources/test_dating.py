"""check suggests the precise date a claim's quote gives when the sheet gives the same date less precisely."""

from __future__ import annotations

import pytest

from factsheet.sources.dating import dates_in


@pytest.mark.parametrize(
    "quote, found",
    [
        ("in early October, over 20 Russian occupiers", [("early October", "0000-10-early")]),
        (
            "rain fell in mid-October and Mid-October",
            [("mid-October", "0000-10-mid"), ("Mid-October", "0000-10-mid")],
        ),
        ("from late September 2024 onwards", [("late September 2024", "2024-09-late")]),
        ("until the end of March the port", []),  # a bound, not a date the claim happened on
        ("at the beginning of March the port", [("the beginning of March", "0000-03-early")]),
        ("who were sent to Russia in autumn last year", [("in autumn last year", "0000-autumn")]),
        ("sent 11,000 troops to Russia in the autumn of 2024", [("in the autumn of 2024", "2024-autumn")]),
        ("the Russian Summer 2024 offensive", [("Summer 2024", "2024-summer")]),
        ("following a lightning summer offensive", []),  # a season word as an adjective
        ("deployed in January and February, on top of", [("January and February", "0000-01/0000-02")]),
        ("between January and February 2025 they", [("January and February 2025", "2025-01/2025-02")]),
        ("from January to March 2025", [("January to March 2025", "2025-01/2025-03")]),
        ("In November, the troops were deployed", [("In November", "0000-11")]),
        ("the strike began on 24 February, after", [("24 February", "0000-02-24")]),
        ("on October 20, 2024, the ministry", [("October 20, 2024", "2024-10-20")]),
        ("May 2024 was wet", [("May 2024", "2024-05")]),
        ("troops may be sent by the end of the year", []),
        ("They May be sent", []),  # "May" followed by a verb is no month
        ("by the end of 2024 or to border areas", []),
    ],
)
def test_dates_in_a_quote(quote, found):
    assert [(d.words, d.iso) for d in dates_in(quote)] == found


def test_a_date_after_a_speech_verb_dates_the_saying():
    said, happened = dates_in("The minister said on 18 October that the dam broke in early September.")
    assert (said.iso, said.speech) == ("0000-10-18", True)
    assert (happened.iso, happened.speech) == ("0000-09-early", False)


SHEET = """\
title: Dates as precise as the quotes
as_of: 2025-02
claims:
  - id: donetsk
    text: More than 20 soldiers were killed near Donetsk, RBC-Ukraine's sources said.
    status: reported
    attribution: {who: Unnamed sources cited by RBC-Ukraine, on_record: false}
    happened_on: 2024
    citations:
      - source: zelenskyy-nk-contingent
        quote: "According to RBC-Ukraine's sources, in early October, over 20 Russian occupiers, including North Korean military personnel, were eliminated near Donetsk."
  - id: extra-troops
    text: North Korea sent at least 3,000 more troops, South Korea's military said.
    status: reported
    attribution: {who: South Korea's Joint Chiefs of Staff, on_record: true}
    said_on: 2025
    happened_on: 2025
    figures:
      - {metric: troops_sent, value: 3000, unit: soldiers, qualifier: at least, as_of: 2025}
    citations:
      - source: skorea-3000-more-troops
        quote: "According to South Korea’s Joint Chiefs of Staff, the 3,000 additional troops were deployed in January and February"
  - id: first-troops
    text: North Korea sent 11,000 soldiers to Russia, South Korea's intelligence services said.
    status: reported
    attribution: {who: South Korean intelligence services, on_record: true}
    happened_on: 2024
    citations:
      - source: skorea-3000-more-troops
        quote: "who were sent to Russia in autumn last year"
  - id: already-precise
    text: The troops were deployed to Kursk in November 2024.
    status: reported
    attribution: {who: Not attributed, on_record: false}
    happened_on: 2024-11
    citations:
      - source: skorea-3000-more-troops
        quote: "In November, the troops were deployed to fight in Russia’s Kursk region"
  - id: bound-only
    text: The official said the troops could be at the front by the end of 2024.
    status: reported
    attribution: {who: An official, on_record: false}
    happened_on: by 2024
    citations:
      - source: skorea-3000-more-troops
        quote: "In November, the troops were deployed to fight in Russia’s Kursk region"
metrics:
  - {id: troops_sent, label: Troops sent}
"""


def test_check_suggests_the_quotes_precise_date_at_the_dates_line(cli, project):
    path = project / "factsheets" / "dates.yaml"
    path.write_text(SHEET, encoding="utf-8")
    result = cli("--root", project, "check", "factsheets/dates.yaml", cwd=project)
    assert result.returncode == 0, result.stdout
    lines = [line for line in result.stdout.splitlines() if "if that is the date meant" in line]
    assert lines == [
        "factsheets/dates.yaml:8:18: info: claim 'donetsk': happened_on says 2024, but its quote from "
        'zelenskyy-nk-contingent says "early October": if that is the date meant, write happened_on: '
        "2024-10-early (early October 2024)",
        "factsheets/dates.yaml:17:18: info: claim 'extra-troops': happened_on says 2025, but its quote from "
        'skorea-3000-more-troops says "January and February": if that is the date meant, write '
        "happened_on: 2025-01/2025-02 (January–February 2025)",
        "factsheets/dates.yaml:19:88: info: claim 'extra-troops': figures[0].as_of says 2025, but its quote "
        'from skorea-3000-more-troops says "January and February": if that is the date meant, write '
        "figures[0].as_of: 2025-01/2025-02 (January–February 2025)",
        "factsheets/dates.yaml:27:18: info: claim 'first-troops': happened_on says 2024, but its quote from "
        'skorea-3000-more-troops says "in autumn last year": if that is the date meant, write '
        "happened_on: 2024-autumn (autumn 2024)",
    ]
    # said_on: 2025 is when the military spoke, which the quote does not date: no suggestion for it
    assert "said_on" not in result.stdout
