"""Figures compared across claims: grouping, order and relations, on constructed cases and on the real sheet."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from factsheet.content.figures import (
    COMPATIBLE,
    CONSISTENT,
    CONTRADICTION,
    DIFFERS,
    SAME,
    UNIT,
    UPDATE,
    UPDATED,
    FigureBook,
    group_figures,
    interval,
    side_of,
    topic,
)
from factsheet.sources.model import Attribution, Citation, Claim, FactSheet, Figure, PartialDate, Party

from conftest import NK_SHEET


def claim(id, *figs, org="Org A", who=None, said=None, happened=None, updates=(), contradicts=()):
    return Claim(
        id=id,
        text=f"Text of {id}.",
        status="reported",
        attribution=Attribution(who or f"Spokesperson of {org}", True, None, org),
        citations=(Citation("src", "quote"),),
        figures=tuple(figs),
        said_on=PartialDate.of(said),
        happened_on=PartialDate.of(happened),
        updates=tuple(updates),
        contradicts=tuple(contradicts),
    )


def fig(metric="troops_sent", value=None, low=None, high=None, qualifier=None, unit="soldiers", as_of=None):
    label = metric.replace("_", " ").capitalize()  # as the sheet's metrics: would declare it
    return Figure(metric, unit, value, low, high, qualifier, PartialDate.of(as_of), label=label)


PARTIES = (
    Party("Ukraine", ("ukrain", "kyiv")),
    Party("South Korea", ("south korea", "seoul")),
    Party("Russia", ("russia", "kremlin")),
    Party("North Korea", ("north korea", "pyongyang")),
)


def sheet(*claims, parties=()):
    return FactSheet(title="T", as_of=dt.date(2025, 2, 28), claims=list(claims), parties=tuple(parties))


def only_group(s):
    groups = group_figures(s)
    assert len(groups) == 1, [g.title for g in groups]
    return groups[0]


def kinds(entry):
    return [(r.kind, r.other.claim.id, r.stated) for r in entry.relations]


# -- grouping ---------------------------------------------------------------


def test_same_metric_with_different_values_from_two_sources_at_one_date_is_a_contradiction():
    g = only_group(
        sheet(
            claim("a", fig(value=11000), org="Seoul intelligence", said="2025"),
            claim("b", fig(value=12000), org="Kyiv intelligence", said="2025"),
        )
    )
    assert g.metrics == ("troops_sent",)
    assert [e.claim.id for e in g.entries] == ["a", "b"]
    assert kinds(g.entries[0]) == []
    assert kinds(g.entries[1]) == [(CONTRADICTION, "a", False)]


def test_different_values_with_unknown_dates_from_two_sources_contradict():
    g = only_group(sheet(claim("a", fig(value=100), org="X"), claim("b", fig(value=300), org="Y")))
    assert kinds(g.entries[1]) == [(CONTRADICTION, "a", False)]


def test_the_same_value_from_two_sources_is_the_same_figure():
    g = only_group(
        sheet(
            claim("a", fig(value=11000), org="South Korean intelligence", said="2025"),
            claim("b", fig(value=11000), org="Pentagon", said="2025"),
        )
    )
    assert kinds(g.entries[1]) == [(SAME, "a", False)]


def test_overlapping_ranges_are_consistent():
    g = only_group(
        sheet(
            claim("a", fig(metric="killed", low=300, high=400), org="X", said="2025"),
            claim("b", fig(metric="killed", low=350, high=500), org="Y", said="2025"),
        )
    )
    assert kinds(g.entries[1]) == [(CONSISTENT, "a", False)]


def test_disjoint_ranges_at_one_date_contradict():
    g = only_group(
        sheet(
            claim("a", fig(metric="killed", low=100, high=200), org="X", said="2025"),
            claim("b", fig(metric="killed", low=300, high=400), org="Y", said="2025"),
        )
    )
    assert kinds(g.entries[1]) == [(CONTRADICTION, "a", False)]


def test_a_qualifier_without_a_number_next_to_a_number_is_compatible():
    g = only_group(
        sheet(
            claim(
                "words",
                fig(metric="troops_in_training", qualifier="several thousand"),
                org="Kyiv",
                said="2024",
            ),
            claim("number", fig(metric="troops_in_training", value=11000), org="Seoul", said="2024"),
        )
    )
    assert kinds(g.entries[1]) == [(COMPATIBLE, "words", False)]


def test_two_figures_in_the_same_words_are_the_same_figure():
    g = only_group(
        sheet(
            claim("a", fig(qualifier="Several  thousand"), org="X"),
            claim("b", fig(qualifier="several thousand"), org="Y"),
        )
    )
    assert kinds(g.entries[1]) == [(SAME, "a", False)]


@pytest.mark.parametrize(
    "first, second, expected",
    [
        ({"value": 3000, "qualifier": "at least"}, {"value": 5000}, CONSISTENT),
        ({"value": 3000, "qualifier": "more than"}, {"value": 2000}, CONTRADICTION),
        ({"value": 400, "qualifier": "around"}, {"value": 420}, CONSISTENT),
        ({"value": 400, "qualifier": "about"}, {"value": 500}, CONTRADICTION),
        ({"value": 400, "qualifier": "up to"}, {"value": 100}, CONSISTENT),
        ({"value": 400}, {"value": 400, "qualifier": "around"}, CONSISTENT),
    ],
)
def test_qualifiers_bound_or_widen_a_value(first, second, expected):
    g = only_group(
        sheet(claim("a", fig(**first), org="X", said="2025"), claim("b", fig(**second), org="Y", said="2025"))
    )
    assert g.entries[1].relations[0].kind == expected


def test_interval_of_each_kind_of_figure():
    assert interval(fig(value=10)) == (10, 10)
    assert interval(fig(low=1, high=5)) == (1, 5)
    assert interval(fig(value=10, qualifier="at least")) == (10, float("inf"))
    assert interval(fig(value=10, qualifier="fewer than")) == (float("-inf"), 10)
    assert interval(fig(value=100, qualifier="some")) == pytest.approx((90, 110))
    assert interval(fig(qualifier="several thousand")) is None
    # a qualifier that is not a bound leaves the value as it is
    assert interval(fig(value=10000, qualifier="intend to train")) == (10000, 10000)


def test_a_later_different_value_from_the_same_organisation_is_an_update():
    g = only_group(
        sheet(
            claim("later", fig(value=14000), org="South Korean military", said="2025-02"),
            claim("earlier", fig(value=11000), org="South Korean military", said="2024-11"),
        )
    )
    assert [e.claim.id for e in g.entries] == ["earlier", "later"]
    assert kinds(g.entries[1]) == [(UPDATE, "earlier", False)]


def test_a_later_different_value_from_the_same_side_is_an_update():
    g = only_group(
        sheet(
            claim("a", fig(value=3000), org="Ukrainian military intelligence", said="2024-10"),
            claim("b", fig(value=12000), org="Government of Ukraine", said="2025"),
            parties=PARTIES,
        )
    )
    assert kinds(g.entries[1]) == [(UPDATE, "a", False)]


def test_a_later_different_value_from_another_side_only_differs():
    g = only_group(
        sheet(
            claim("a", fig(value=3000), org="Ukrainian military intelligence", said="2024-10"),
            claim("b", fig(value=12000), org="South Korean military", said="2025"),
        )
    )
    assert kinds(g.entries[1]) == [(DIFFERS, "a", False)]


def test_overlapping_dates_are_not_later_so_a_different_value_contradicts():
    # "October 2024" lies within "2024": neither is later than the other
    g = only_group(
        sheet(
            claim("a", fig(value=3000), org="X", said="2024"),
            claim("b", fig(value=5000), org="Y", said="2024-10"),
        )
    )
    assert kinds(g.entries[1]) == [(CONTRADICTION, "a", False)]


def test_same_organisation_without_dates_only_differs():
    g = only_group(sheet(claim("a", fig(value=1), org="X"), claim("b", fig(value=2), org="X")))
    assert kinds(g.entries[1]) == [(DIFFERS, "a", False)]


def test_a_stated_update_wins_over_an_inferred_contradiction():
    g = only_group(
        sheet(
            claim("a", fig(value=11000), org="X", said="2025"),
            claim("b", fig(value=14000), org="Y", said="2025", updates=["a"]),
        )
    )
    assert kinds(g.entries[1]) == [(UPDATE, "a", True)]
    assert "as stated" in g.entries[1].relations[0].describe()


def test_a_stated_contradiction_counts_from_either_claim():
    g = only_group(
        sheet(
            claim("a", fig(value=11000), org="X", said="2024", contradicts=["b"]),
            claim("b", fig(value=11000), org="Y", said="2024"),
        )
    )
    assert kinds(g.entries[1]) == [(CONTRADICTION, "a", True)]


def test_an_update_listed_below_its_older_figure_reads_updated_by():
    # the updating claim is dated, the updated one is not: the updated one is listed last
    g = only_group(
        sheet(
            claim("old", fig(value=10000), org="X"),
            claim("new", fig(value=11000), org="Y", said="2025", updates=["old"]),
        )
    )
    assert [e.claim.id for e in g.entries] == ["new", "old"]
    assert kinds(g.entries[1]) == [(UPDATED, "new", True)]


def test_a_stated_link_never_joins_different_kinds_of_count():
    s = sheet(
        claim(
            "training",
            fig(metric="troops_in_training", qualifier="several thousand"),
            org="Kyiv",
            said="2024",
        ),
        claim("planned", fig(metric="troops_planned", value=10000), org="Kyiv", said="2024"),
        claim(
            "sent",
            fig(metric="troops_sent", value=11000),
            org="Seoul",
            said="2025",
            updates=["training", "planned"],
        ),
    )
    assert group_figures(s) == []
    t = topic(s, "troops_in_training troops_planned troops_sent")
    assert [kinds(e) for e in t.entries] == [[], [], []]  # "11,000 sent" is no update of "10,000 planned"


def test_a_stated_link_between_claims_sharing_a_metric_joins_only_that_metric():
    s = sheet(
        claim(
            "early", fig(metric="killed", value=100), fig(metric="wounded", value=300), org="X", said="2024"
        ),
        claim(
            "late",
            fig(metric="killed", value=400),
            fig(metric="wounded", value=3600),
            org="Y",
            said="2025",
            updates=["early"],
        ),
    )
    groups = group_figures(s)
    assert [g.metrics for g in groups] == [("killed",), ("wounded",)]
    assert all(kinds(g.entries[1]) == [(UPDATE, "early", True)] for g in groups)


def test_figures_of_different_metrics_without_a_link_are_not_grouped():
    s = sheet(
        claim("a", fig(metric="troops_sent", value=11000), org="X"),
        claim("b", fig(metric="additional_troops_sent", value=3000), org="Y"),
        claim("c", fig(metric="killed", value=400), org="Z"),
    )
    assert group_figures(s) == []


def test_same_metric_in_different_units_is_not_compared():
    g = only_group(
        sheet(
            claim("a", fig(metric="killed", value=20, unit="soldiers (all)"), org="X"),
            claim("b", fig(metric="killed", value=400), org="Y"),
        )
    )
    assert kinds(g.entries[1]) == [(UNIT, "a", False)]


def test_order_is_by_date_year_before_its_months_undated_last_ties_in_file_order():
    s = sheet(
        claim("undated", fig(value=1), org="A"),
        claim("feb-2025", fig(value=2), org="B", said="2025-02"),
        claim("oct-2024", fig(value=3), org="C", said="2024-10"),
        claim("year-2024", fig(value=4), org="D", said="2024"),
        claim("as-of-wins", fig(value=5, as_of="2024-01-05"), org="E", said="2025"),
        claim("also-2024", fig(value=6), org="F", happened="2024"),
    )
    g = only_group(s)
    assert [e.claim.id for e in g.entries] == [
        "year-2024",
        "also-2024",
        "as-of-wins",
        "oct-2024",
        "feb-2025",
        "undated",
    ]
    assert g.entries[-1].when == ""  # no date: nothing is printed, no "date not given" tag
    assert g.entries[2].when == "5 January 2024" and g.entries[2].reported == "2025"


def test_parties_are_found_by_the_sheets_words_and_ambiguity_gives_none():
    assert side_of(claim("a", org="Center for Countering Disinformation (Ukraine)"), PARTIES) == "Ukraine"
    assert side_of(claim("a", org="South Korean military"), PARTIES) == "South Korea"
    assert side_of(claim("a", org="Governments of Russia and North Korea"), PARTIES) is None
    assert side_of(claim("a", org="Institute for the Study of War (ISW)"), PARTIES) is None
    assert side_of(claim("a", org="South Korean military")) is None  # a sheet without parties has none


def test_without_parties_only_the_same_organisation_updates():
    s = sheet(
        claim("a", fig(value=3000), org="Ukrainian military intelligence", said="2024-10"),
        claim("b", fig(value=12000), org="Government of Ukraine", said="2025"),
    )
    assert kinds(only_group(s).entries[1]) == [(DIFFERS, "a", False)]


def test_topic_gathers_figures_of_the_named_metrics_and_keeps_its_title():
    s = sheet(
        claim("a", fig(metric="troops_sent", value=11000), org="X", said="2024"),
        claim(
            "b", fig(metric="additional_troops_sent", value=3000, qualifier="at least"), org="Y", said="2025"
        ),
        claim("c", fig(metric="killed", value=400), org="Z"),
    )
    book = FigureBook(s)
    t = book.topic(["troops_sent", "additional_troops_sent"], "Troops")
    assert t.title == "Troops" and t.key == "troops_sent additional_troops_sent"
    assert [e.claim.id for e in t.entries] == ["a", "b"]
    assert kinds(t.entries[1]) == []  # different measures are not compared
    assert book.titles == {"troops_sent additional_troops_sent": "Troops"}
    assert topic(s, "troops_sent, killed").metrics == ("troops_sent", "killed")


# -- the North Korea sheet --------------------------------------------------


@pytest.fixture(scope="module")
def nk():
    from factsheet.pipeline import build
    from factsheet.project import Project

    project = Project.find(NK_SHEET.parent)
    return build.load_sheet(project, NK_SHEET)


def test_north_korea_troop_figures_from_several_thousand_to_seouls_figures(nk):
    t = FigureBook(nk.sheet).topic(
        "troops_in_training troops_planned_for_training troops_sent additional_troops_sent", "Troops"
    )
    rows = [(e.metric, e.figure.amount(), e.source, e.when) for e in t.entries]
    assert rows == [
        ("troops_in_training", "several thousand", "Ukrainian military intelligence", "2024"),
        ("troops_sent", "11,000", "South Korean intelligence services", "autumn 2024"),
        ("additional_troops_sent", "at least 3,000", "South Korean military", "January–February 2025"),
        ("troops_planned_for_training", "10,000", "Government of Ukraine", ""),
    ]
    # four kinds of count: none is an update of another, whatever the claims' links say
    # the Kremlin's 2024 denial concerns the first reports, not Seoul's later figure
    assert [kinds(e) for e in t.entries[1:]] == [[], [], []]
    assert kinds(t.entries[0]) == [("denied", "kremlin-dismisses-hoax", True)]


def test_check_of_the_north_korea_sheet_finds_no_two_figures_of_one_kind(cli):
    result = cli("check", NK_SHEET)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""  # each troop count is given once: no group, no info line
    assert "0 errors, 0 warnings" in result.stderr and "figure group" not in result.stderr


def test_check_lists_figure_groups_as_information(cli, project):
    path = project / "factsheets" / "north-korea-troops-russia.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "  - id: skorea-3000-additional-troops\n"
    # a later figure of the same kind, stated as an update of the first
    path.write_text(
        text.replace(
            anchor,
            textwrap.indent(
                textwrap.dedent("""\
          - id: seoul-11000-again
            section: troop-numbers
            text: Seoul said again that 11,000 soldiers were sent.
            status: reported
            attribution: {who: South Korean military, on_record: true}
            said_on: 2025
            figures:
              - {metric: troops_sent, value: 11000, unit: soldiers, as_of: 2025}
            citations:
              - source: skorea-3000-more-troops
                quote: "on top of the 11,000 soldiers reported by Seoul"
            updates: [skorea-11000-sent-autumn-2024]

        """),
                "  ",
            )
            + anchor,
            1,
        ),
        encoding="utf-8",
    )
    result = cli("--root", project, "check", path, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(": info: figure group " in line for line in lines), lines
    assert any(
        line.startswith("factsheets/north-korea-troops-russia.yaml:")
        and "11,000 soldiers, South Korean military, 2025: update of skorea-11000-sent-autumn-2024 (stated)"
        in line
        for line in lines
    ), lines
    assert "0 errors, 0 warnings; 1 figure group" in result.stderr


def test_check_locates_each_figure_of_a_group(cli, project):
    path = project / "factsheets" / "groups.yaml"
    path.write_text(
        textwrap.dedent("""\
        title: Test sheet
        as_of: 2025-01-14
        claims:
          - id: training
            text: Several thousand North Korean soldiers are training in Russia.
            status: reported
            attribution: {who: Unnamed official, organisation: Ukrainian military intelligence, on_record: false}
            said_on: 2024
            figures:
              - {metric: troops_in_training, unit: soldiers, qualifier: several thousand}
            citations:
              - source: nk-officers-intel-kovalenko
                quote: "Several thousand North Korean soldiers are currently undergoing training in Russia"
          - id: training-number
            text: Ten thousand are training.
            status: reported
            attribution: {who: Someone, organisation: Another body, on_record: true}
            said_on: 2024
            figures:
              - {metric: troops_in_training, unit: soldiers, value: 10000, derived: a test figure no quote gives}
            citations:
              - source: nk-officers-intel-kovalenko
                quote: "Several thousand North Korean soldiers are currently undergoing training in Russia"
        metrics:
          - {id: troops_in_training, label: Troops in training}
        """),
        encoding="utf-8",
    )
    result = cli("--root", project, "check", path, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    # The second claim's 10,000 is in none of its quotes: it says how it was derived.
    assert [line for line in result.stdout.splitlines() if ": info: " in line] == [
        'factsheets/groups.yaml:10:9: info: figure group "Troops in training" (2 figures), 1 of 2: '
        "several thousand soldiers, Ukrainian military intelligence, 2024: first figure of its kind",
        'factsheets/groups.yaml:20:9: info: figure group "Troops in training" (2 figures), 2 of 2: '
        "10,000 soldiers, Another body, 2024: compatible with training (inferred)",
    ]
