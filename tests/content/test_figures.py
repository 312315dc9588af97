"""Figures compared across claims: grouping, order and relations, on constructed cases and on the real sheet."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from factsheet.content.figures import (
    COMPATIBLE,
    CONSISTENT,
    CONTRADICTION,
    DENIED,
    DIFFERS,
    INFO_LINES_PER_GROUP,
    SAME,
    SUPERSEDED,
    UNIT,
    UPDATE,
    UPDATED,
    Entry,
    FigureBook,
    FigureGroup,
    editor_groups,
    group_figures,
    group_problems,
    interval,
    make_group,
    relate,
    side_of,
    topic,
)
from factsheet.sources.model import Attribution, Citation, Claim, FactSheet, Figure, Group, PartialDate, Party

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


# -- what check lists for the editor, and the rows' own words ---------------------


class _Doc:
    """Stands in for a located sheet: a problem is (path, message, severity)."""

    def problem(self, path, message, severity="error"):
        return (path, message, severity)


def test_group_problems_list_each_row_with_its_relations_at_its_figure():
    s = sheet(
        claim("later", fig(value=14000), org="South Korean military", said="2025-02", updates=["earlier"]),
        claim("earlier", fig(value=11000), org="South Korean military", said="2024-11"),
    )
    assert group_problems(_Doc(), s) == [
        (
            ("claims", 1, "figures", 0),
            'figure group "Troops sent" (2 figures), 1 of 2: 11,000 soldiers, South Korean military, '
            "November 2024: updated by later (stated)",
            "info",
        ),
        (
            ("claims", 0, "figures", 0),
            'figure group "Troops sent" (2 figures), 2 of 2: 14,000 soldiers, South Korean military, '
            "February 2025: update of earlier (stated)",
            "info",
        ),
    ]


def test_group_problems_name_the_metric_of_a_group_of_several_and_a_claim_without_a_figure():
    s = FactSheet(
        title="T",
        as_of=dt.date(2025, 2, 28),
        claims=[
            claim("sent", fig(value=11000), org="Seoul", said="2024"),
            claim("killed", fig(metric="killed", value=400), org="Seoul", said="2025"),
            claim("denial", org="Kremlin", said="2025"),
        ],
        groups=(Group("toll", "Toll", ("sent", "killed", "denial"), final="killed"),),
    )
    found = group_problems(_Doc(), s)
    assert [(path, severity) for path, _, severity in found] == [
        (("claims", 0, "figures", 0), "info"),
        (("claims", 1, "figures", 0), "info"),
        (("claims", 2), "info"),
    ]
    assert (
        found[0][1]
        == 'figure group "Toll" (3 figures), 1 of 3: 11,000 soldiers (troops_sent), Seoul, 2024: first figure of its kind'
    )
    assert (
        found[1][1]
        == 'figure group "Toll" (3 figures), 2 of 3: 400 soldiers (killed), Seoul, 2025: final figure'
    )
    assert (
        found[2][1]
        == 'figure group "Toll" (3 figures), 3 of 3: claim denial (no figure), Kremlin, 2025: first figure of its kind'
    )


def test_group_problems_count_the_rows_past_a_dozen_at_the_last():
    s = sheet(*[claim(f"c{n}", fig(value=1000 + n), org=f"Org {n}") for n in range(INFO_LINES_PER_GROUP + 2)])
    found = group_problems(_Doc(), s)
    assert len(found) == INFO_LINES_PER_GROUP + 1
    assert found[-1] == (
        ("claims", INFO_LINES_PER_GROUP + 1, "figures", 0),
        'figure group "Troops sent" (14 figures): 2 more not listed',
        "info",
    )
    assert found[-2][1].startswith(f'figure group "Troops sent" (14 figures), {INFO_LINES_PER_GROUP} of 14: ')


def test_editor_groups_keep_the_sheets_order_ids_titles_and_metrics():
    s = FactSheet(
        title="T",
        as_of=dt.date(2025, 2, 28),
        claims=[
            claim("a", fig(value=11000), fig(metric="killed", value=400), org="Seoul", said="2024"),
            claim("b", fig(value=12000), org="Kyiv", said="2025"),
            claim("c", org="Kremlin", said="2025"),
        ],
        groups=(Group("sent", "Sent", ("a", "b"), metrics=("troops_sent",)), Group("all", "All", ("c", "a"))),
    )
    first, second = editor_groups(s)
    assert (first.id, first.title, first.metrics) == ("sent", "Sent", ("troops_sent",))
    assert [(e.claim.id, e.metric) for e in first.entries] == [("a", "troops_sent"), ("b", "troops_sent")]
    assert (second.id, second.title) == ("all", "All")
    assert [(e.claim.id, e.metric, e.figure_index) for e in second.entries] == [
        ("a", "troops_sent", 0),
        ("a", "killed", 1),
        ("c", "", -1),
    ]
    assert second.metrics == ("troops_sent", "killed")


def test_a_row_without_a_figure_reads_as_a_statement_or_a_denial():
    said = claim("said", org="Kremlin", said="2024")
    denied = Claim(
        id="denial",
        text="No troops.",
        status="denied",
        attribution=Attribution("Spokesperson", True, None, "Kremlin"),
        citations=(Citation("src", "quote"),),
    )
    undated = claim("undated", org="Kremlin")
    rows = {e.claim.id: e for e in make_group([_row(said), _row(denied), _row(undated)]).entries}
    assert rows["said"].short() == "the statement by Kremlin (2024)"
    assert rows["denial"].short() == "Kremlin"
    assert rows["undated"].short() == "the statement by Kremlin"
    figure = make_group(
        [Entry(claim("n", fig(value=11000), org="Seoul", said="2024"), fig(value=11000), 0, 0)]
    )
    assert figure.entries[0].short() == "11,000 (Seoul, 2024)"
    undated_figure = make_group([Entry(claim("u", fig(value=9000), org="Seoul"), fig(value=9000), 0, 0)])
    assert undated_figure.entries[0].short() == "9,000 (Seoul)"  # no date the sources do not give, no ", )"


def _row(c: Claim) -> Entry:
    return Entry(c, None, 0, -1)


@pytest.mark.parametrize(
    ("who", "role", "organisation", "speaker"),
    [
        ("Ana Ruiz", "Mayor of Lisbon", "Lisbon", "Ana Ruiz, Mayor of Lisbon"),
        ("Ana Ruiz", "Mayor of Lisbon", "City of Lisbon", "Ana Ruiz, Mayor of Lisbon, City of Lisbon"),
        ("Ana Ruiz, Mayor", "Mayor", None, "Ana Ruiz, Mayor"),
        ("Ana Ruiz", "Mayor", "City of Lisbon", "Ana Ruiz, Mayor, City of Lisbon"),
        ("Ministry spokesperson", None, "Ministry of Defence", "Ministry spokesperson, Ministry of Defence"),
        ("Defence spokesperson", None, "Ministry of Defence", "Defence spokesperson"),
        ("Defense spokesperson", None, "Ministry of Defence", "Defense spokesperson"),
        ("Lisbon spokesperson", None, "Lisbon Police", "Lisbon spokesperson, Lisbon Police"),
        ("Chief of the Defence Staff", "Chief", None, "Chief of the Defence Staff"),
        ("Someone", None, "the Office", "Someone, the Office"),
    ],
)
def test_the_speaker_names_an_organisation_once(who, role, organisation, speaker):
    c = Claim(
        id="x",
        text="T.",
        status="reported",
        attribution=Attribution(who, True, role, organisation),
        citations=(Citation("src", "quote"),),
    )
    assert Entry(c, None, 0, -1).speaker == speaker


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [
        ("about", (900.0, 1100.0)),
        ("about 1,000", (900.0, 1100.0)),
        ("aboutish", (1000.0, 1000.0)),
        ("up to", (float("-inf"), 1000.0)),
        ("at least", (1000.0, float("inf"))),
        (None, (1000.0, 1000.0)),
    ],
)
def test_interval_reads_the_qualifier_word_by_word(qualifier, expected):
    assert interval(fig(value=1000, qualifier=qualifier)) == pytest.approx(expected)


def test_a_group_is_true_when_it_has_rows():
    assert not FigureGroup("Empty", ("troops_sent",), ())
    assert FigureGroup("One", ("troops_sent",), (_row(claim("a")),))
    assert len(FigureGroup("One", ("troops_sent",), (_row(claim("a")),))) == 1


def _claim(id, *figs, org, said=None, status="reported", denies=(), contradicts=(), updates=()):
    return Claim(
        id=id,
        text=f"Text of {id}.",
        status=status,
        attribution=Attribution(f"Spokesperson of {org}", True, None, org),
        citations=(Citation("src", "quote"),),
        figures=tuple(figs),
        said_on=PartialDate.of(said),
        denies=tuple(denies),
        contradicts=tuple(contradicts),
        updates=tuple(updates),
    )


def _grouped(claims, *groups):
    return FactSheet(
        title="T", as_of=dt.date(2025, 2, 28), claims=list(claims), groups=tuple(groups), parties=PARTIES
    )


def test_a_final_figure_supersedes_the_earlier_ones_and_is_compared_with_none():
    s = _grouped(
        [
            _claim("first", fig(value=10000), org="Seoul intelligence", said="2024-10"),
            _claim("final", fig(value=11000), org="Pentagon", said="2024-12"),
            _claim("after", fig(value=12000), org="Kyiv", said="2025-02"),
        ],
        Group("sent", "Sent", ("first", "final", "after"), final="final"),
    )
    (g,) = editor_groups(s)
    rows = {e.claim.id: e for e in g.entries}
    assert [e.claim.id for e in g.entries] == ["first", "final", "after"]
    assert kinds(rows["first"]) == [(SUPERSEDED, "final", True)]
    assert rows["final"].final and kinds(rows["final"]) == []
    assert not rows["after"].final and kinds(rows["after"]) == [(DIFFERS, "final", False)]
    assert g.final == (rows["final"],) and g.id == "sent" and g.title == "Sent"
    assert [(e.claim_index, e.figure_index, e.side) for e in g.entries] == [
        (0, 0, "South Korea"),
        (1, 0, None),
        (2, 0, "Ukraine"),
    ]


def test_a_denial_without_a_figure_and_the_figure_it_denies_name_each_other():
    s = _grouped(
        [
            _claim("sent", fig(value=11000), org="Seoul", said="2024"),
            _claim("denial", org="Kremlin", said="2025", status="denied", denies=["sent"]),
        ],
        Group("g", "G", ("sent", "denial")),
    )
    (g,) = editor_groups(s)
    rows = {e.claim.id: e for e in g.entries}
    assert [e.claim.id for e in g.entries] == ["sent", "denial"]
    assert kinds(rows["sent"]) == [(DENIED, "denial", True)]
    assert kinds(rows["denial"]) == [(DENIED, "sent", True)]
    assert rows["denial"].figure is None and rows["denial"].metric == ""


def test_a_linked_claim_without_a_figure_outside_the_group_is_still_named():
    s = _grouped(
        [
            _claim("sent", fig(value=11000), org="Seoul", said="2024"),
            _claim("again", fig(value=11000), org="Pentagon", said="2025"),
            _claim("denial", org="Kremlin", said="2025", status="denied", denies=["sent"]),
        ],
        Group("g", "G", ("sent", "again")),
    )
    (g,) = editor_groups(s)
    sent = g.entries[0]
    assert kinds(sent) == [(DENIED, "denial", True)]
    other = sent.relations[0].other
    assert (other.figure, other.claim_index, other.figure_index, other.side) == (None, 2, -1, "Russia")


def test_a_statement_about_one_count_is_not_joined_to_the_claims_other_counts():
    s = _grouped(
        [
            _claim(
                "toll",
                fig(metric="killed", value=400),
                fig(metric="wounded", value=3600),
                org="Seoul",
                said="2025",
            ),
            _claim("doubt", org="Kyiv", said="2025-02", contradicts=["toll"]),
            _claim("other", fig(metric="wounded", value=3000), org="Pentagon", said="2025-02"),
        ],
        Group("killed", "Killed", ("toll", "doubt"), metrics=("killed",)),
        Group("wounded", "Wounded", ("toll", "other"), metrics=("wounded",)),
    )
    killed, wounded = editor_groups(s)
    assert [(e.claim.id, e.metric) for e in killed.entries] == [("toll", "killed"), ("doubt", "")]
    assert kinds(killed.entries[0]) == [(CONTRADICTION, "doubt", True)]
    assert kinds(killed.entries[1]) == [(CONTRADICTION, "toll", True)]
    assert [(e.claim.id, e.metric) for e in wounded.entries] == [("toll", "wounded"), ("other", "wounded")]
    assert kinds(wounded.entries[0]) == []


def _updated_and_contradicted():
    """A group of three: a later figure updating an earlier one and contradicting a third."""
    return _grouped(
        [
            _claim("earlier", fig(value=11000), org="Seoul", said="2024-11"),
            _claim(
                "later",
                fig(value=14000),
                org="Seoul",
                said="2025-02",
                updates=["earlier"],
                contradicts=["third"],
            ),
            _claim("third", fig(value=9000), org="Kyiv"),
        ],
        Group("g", "G", ("earlier", "later", "third")),
    )


def test_every_link_of_a_figure_is_followed_after_its_previous_figure():
    s = _updated_and_contradicted()
    (g,) = editor_groups(s)
    rows = {e.claim.id: e for e in g.entries}
    assert [e.claim.id for e in g.entries] == ["earlier", "later", "third"]
    assert kinds(rows["later"]) == [(UPDATE, "earlier", True), (CONTRADICTION, "third", True)]


def test_a_topic_shows_the_statements_of_the_stated_groups_that_count_its_metrics():
    s = _grouped(
        [
            _claim("toll", fig(metric="killed", value=400), org="Seoul", said="2025"),
            _claim("denial", org="Kremlin", said="2025-02", status="denied", denies=["toll"]),
            _claim("sent", fig(value=11000), org="Seoul", said="2024"),
            _claim("doubt", org="Kyiv", said="2024-12", contradicts=["sent"]),
            _claim("aside", org="Pentagon", said="2024-11", contradicts=["sent"]),
        ],
        Group("toll", "Toll", ("toll", "denial")),
        Group("sent", "Sent", ("sent", "doubt"), metrics=("troops_sent",)),
        Group("other", "Other", ("sent", "aside"), metrics=("wounded",)),
    )
    killed = topic(s, ["killed"], "Killed")
    assert [(e.claim.id, e.metric) for e in killed.entries] == [("toll", "killed"), ("denial", "")]
    assert killed.metrics == ("killed",)
    assert kinds(killed.entries[1]) == [(DENIED, "toll", True)]
    sent = topic(s, ["troops_sent"])
    assert [e.claim.id for e in sent.entries] == ["sent", "doubt"]  # a year before its months
    assert sent.title == "Troops sent" and sent.metrics == ("troops_sent",)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (fig(low=100, high=200), fig(low=200, high=300), CONSISTENT),  # ranges that touch
        (fig(low=200, high=300), fig(low=100, high=200), CONSISTENT),
        (fig(value=1000, qualifier="about"), fig(value=1000), CONSISTENT),  # same number, other words
        (fig(qualifier="several thousand"), fig(value=5000, qualifier="several thousand"), COMPATIBLE),
        (fig(qualifier="thousands"), fig(qualifier="Thousands "), SAME),
    ],
)
def test_relate_compares_bounds_and_words(first, second, expected):
    a = Entry(claim("a", first, org="X", said="2025"), first, 0, 0)
    b = Entry(claim("b", second, org="Y", said="2025"), second, 1, 0)
    assert relate(a, b).kind == expected


def test_relate_reads_an_earlier_figure_from_the_same_source_as_updated():
    later, earlier = fig(value=14000), fig(value=11000)
    a = Entry(claim("later", later, org="Seoul", said="2025-02"), later, 0, 0)
    b = Entry(claim("earlier", earlier, org="Seoul", said="2024-11"), earlier, 1, 0)
    relation = relate(a, b)
    assert (relation.kind, relation.other, relation.stated) == (UPDATED, a, False)
    c = Entry(claim("other", earlier, org="Kyiv", said="2024-11"), earlier, 2, 0)
    assert relate(a, c).kind == DIFFERS


def test_a_claim_denied_by_its_status_reads_as_a_denial():
    s = _grouped(
        [
            _claim("sent", fig(value=11000), org="Seoul", said="2024"),
            _claim("hoax", org="Kremlin", said="2025", status="denied", contradicts=["sent"]),
        ],
        Group("g", "G", ("sent", "hoax")),
    )
    (g,) = editor_groups(s)
    assert kinds(g.entries[1]) == [(CONTRADICTION, "sent", True)]
    assert kinds(g.entries[0]) == [(DENIED, "hoax", True)]


def test_group_problems_join_a_rows_relations():
    s = _updated_and_contradicted()
    messages = [m for _, m, _ in group_problems(_Doc(), s)]
    assert messages[1].endswith(": update of earlier (stated); contradicts third (stated)")


def test_a_topic_title_names_a_metric_no_figure_counts_as_written():
    s = sheet(claim("a", fig(value=11000), org="X"), claim("b", fig(value=12000), org="Y"))
    assert topic(s, ["troops_sent", "killed"]).title == "Troops sent, killed"


def test_a_link_to_a_claim_counting_something_else_does_not_hide_the_next_link():
    s = _grouped(
        [
            _claim("y", fig(value=9000), org="Kyiv", said="2024-10"),
            _claim("k", fig(metric="killed", value=400), org="Pentagon", said="2024-11"),
            _claim("x", fig(value=11000), org="Seoul", said="2025", updates=["k"], contradicts=["z"]),
            _claim("z", fig(value=12000), org="NATO"),
        ],
        Group("g", "G", ("y", "k", "x", "z")),
    )
    (g,) = editor_groups(s)
    x = next(e for e in g.entries if e.claim.id == "x")
    assert kinds(x) == [(DIFFERS, "y", False), (CONTRADICTION, "z", True)]


def test_a_link_finds_the_figure_of_the_same_count_among_the_other_claims_figures():
    s = _grouped(
        [
            _claim("w", fig(metric="killed", value=400), fig(value=12000), org="Kyiv", said="2025"),
            _claim("x", fig(value=11000), org="Seoul", said="2024", contradicts=["w"]),
        ],
        Group("g", "G", ("w", "x")),
    )
    (g,) = editor_groups(s)
    x = next(e for e in g.entries if e.claim.id == "x")
    assert [(r.kind, r.other.claim.id, r.other.metric) for r in x.relations] == [
        (CONTRADICTION, "w", "troops_sent")
    ]
