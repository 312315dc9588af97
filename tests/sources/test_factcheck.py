"""The fact-checker's rules on a fixture story: furniture, errata, numbers backed by quotes, dates."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from factsheet.sources.chronology import after, span
from factsheet.sources.numbers import numbers_in
from factsheet.sources.quotes import Article

from conftest import REPO

FIXTURE = REPO / "tests" / "factcheck"
SHEET = (FIXTURE / "sheets" / "harbour.yaml").read_text(encoding="utf-8")


@pytest.fixture
def harbour(tmp_path):
    """Return a project holding the fixture catalog, its two articles and the harbour sheet."""
    root = tmp_path / "harbour"
    shutil.copytree(FIXTURE / "seeds", root / "seeds")
    (root / "factsheets").mkdir()
    (root / "factsheets" / "harbour.yaml").write_text(SHEET, encoding="utf-8")
    return root


def check(cli, root, old=None, new=None, *extra):
    """Run check on the harbour sheet, with ``old`` replaced by ``new``; return the result."""
    text = SHEET
    if old is not None:
        assert old in text, old
        text = text.replace(old, new, 1)
    (root / "factsheets" / "harbour.yaml").write_text(text, encoding="utf-8")
    return cli("--root", root, "check", "factsheets/harbour.yaml", *extra, cwd=root)


def test_fixture_sheet_passes_every_rule(cli, harbour):
    result = check(cli, harbour)
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
    assert result.stderr.strip() == "checked 1 file, 4 claims, 4 quotes: 0 errors, 0 warnings"


# --- Page furniture -----------------------------------------------------------------------

CONTAINERS = '        quote: "Several thousand containers are still waiting to be unloaded."'


def test_quote_from_read_also_list_is_an_error(cli, harbour):
    read_also = '        quote: "New cranes arrive at the container terminal"'
    unmarked = check(cli, harbour, CONTAINERS, read_also)  # the capture without marks: a warning
    assert unmarked.returncode == 0
    assert "looks like page furniture of harbour-strike-unmarked (lines 17-19: " in unmarked.stdout
    result = check(
        cli,
        harbour,
        "source: harbour-strike-unmarked\n" + CONTAINERS,
        'source: harbour-strike-ends\n        quote: "New cranes arrive at the container terminal"',
    )
    assert result.returncode == 1
    assert (
        "factsheets/harbour.yaml:45:16: quote is in page furniture of harbour-strike-ends "
        "(lines 17-19: 'Read also' list of other stories), not the article's own text; "
        "quote the article body, or give the citation allow_furniture: REASON"
    ) in result.stdout.splitlines()


def test_quote_from_photo_caption_is_an_error_unless_a_reason_is_given(cli, harbour):
    caption = 'source: harbour-strike-ends\n        quote: "Dockers leave the harbour gates after the vote."'
    result = check(cli, harbour, "source: harbour-strike-unmarked\n" + CONTAINERS, caption)
    assert result.returncode == 1
    assert "(line 6: photo caption), not the article's own text" in result.stdout
    allowed = caption + "\n        allow_furniture: the caption is the only account of the vote"
    result = check(cli, harbour, "source: harbour-strike-unmarked\n" + CONTAINERS, allowed)
    assert result.returncode == 0, result.stdout
    assert "furniture" not in result.stdout


def test_allow_furniture_on_a_body_quote_is_a_warning(cli, harbour):
    result = check(cli, harbour, CONTAINERS, CONTAINERS + "\n        allow_furniture: not needed")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "factsheets/harbour.yaml:46:26: warning: allow_furniture is given, but the quote is in the body of "
        "harbour-strike-unmarked; remove allow_furniture"
    ]


def test_caption_in_unmarked_capture_is_a_warning_naming_the_scan(cli, harbour):
    result = check(
        cli, harbour, CONTAINERS, '        quote: "Dockers leave the harbour gates after the vote."'
    )
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1:] == [
        "factsheets/harbour.yaml:45:16: warning: quote looks like page furniture of harbour-strike-unmarked "
        "(lines 1-7: heading, label or cut-off standfirst (no sentence ending); language switcher; headline; "
        "photo caption or credit; byline) and its furniture is not recorded; "
        "run 'factsheet seeds scan harbour-strike-unmarked' and mark it in seeds/catalog.yaml"
    ]


def test_seeds_scan_proposes_furniture_for_unmarked_captures(cli, harbour):
    result = cli("--root", harbour, "seeds", "scan", cwd=harbour)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("# harbour-strike-unmarked: proposed page furniture")
    assert lines[1:] == [
        "furniture:",
        '  - {lines: 1-7, what: "heading, label or cut-off standfirst (no sentence ending); language switcher; '
        'headline; photo caption or credit; byline"}  # World | Ports',
        '  - {lines: 17-19, what: "navigation or list heading; links to other stories"}  # Read also',
    ]
    proposal = yaml.safe_load("\n".join(lines[1:]))  # pastes as valid YAML
    assert proposal["furniture"][1] == {
        "lines": "17-19",
        "what": "navigation or list heading; links to other stories",
    }


def test_bad_furniture_marks_are_catalog_errors(cli, harbour):
    catalog = harbour / "seeds" / "catalog.yaml"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(
        text.replace("{lines: 7, what: byline}", "{lines: 7-40, what: byline}").replace(
            "{from: Read also,", "{from: Read more,"
        ),
        encoding="utf-8",
    )
    result = check(cli, harbour)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "seeds/catalog.yaml:18:17: expected a line number or a range such as '11-17' within the article's "
        "19 lines, found '7-40'",
        "seeds/catalog.yaml:19:16: no line of harbour-strike-ends is exactly 'Read more'",
    ]


# --- Errata --------------------------------------------------------------------------------

ERRATUM_CLAIM = """\
  - id: strike-began
    text: The strike began on 24 February.
    status: reported
    attribution: {who: Not attributed in the source, on_record: false}
    citations:
      - source: harbour-strike-ends
        quote: "The strike began on 24 February, after talks broke down."
"""


def test_quote_overlapping_an_erratum_warns_unless_the_claim_has_a_note(cli, harbour):
    result = check(cli, harbour, "claims:\n", "claims:\n" + ERRATUM_CLAIM)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        'factsheets/harbour.yaml:11:16: warning: quote overlaps a known error in harbour-strike-ends ("The strike '
        "began on 24 February\": The union's statement gives 22 February.); add a note to the claim saying how "
        "the brief treats it"
    ]
    noted = ERRATUM_CLAIM + "    note: The union's own statement gives 22 February.\n"
    assert check(cli, harbour, "claims:\n", "claims:\n" + noted).stdout == ""


def test_erratum_passage_must_be_in_the_article(cli, harbour):
    catalog = harbour / "seeds" / "catalog.yaml"
    text = catalog.read_text(encoding="utf-8")
    catalog.write_text(
        text.replace("passage: The strike began on 24 February", "passage: The strike began on 23 February"),
        encoding="utf-8",
    )
    result = check(cli, harbour)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "seeds/catalog.yaml:21:18: erratum passage not found in harbour-strike-ends; copy it from the article"
    ]


# --- Numbers backed by quotes -------------------------------------------------------------


def test_figure_backed_by_no_break_space_and_by_words_passes(cli, harbour):
    # dockers-back: 11,000 against "11 000" (no-break space); members-voted: against "eleven thousand".
    assert "\u00a0000" in (FIXTURE / "seeds" / "harbour-strike-ends.txt").read_text(encoding="utf-8")
    assert check(cli, harbour).returncode == 0


def test_figure_the_quotes_do_not_give_is_an_error_at_its_value(cli, harbour):
    # a pull request changing 11,000 to 12,000 no longer passes check
    result = check(cli, harbour, "{metric: dockers_back, value: 11000", "{metric: dockers_back, value: 12000")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "factsheets/harbour.yaml:12:39: claim 'dockers-back': figure 1 (dockers_back) 12,000 is in none "
        "of the claim's quotes (they give 11\\xa0000); check the figure, quote the passage that gives it, "
        "or say how it was worked out with derived: and a reason"
    ]


def test_a_derived_figure_says_how_and_passes(cli, harbour):
    result = check(
        cli,
        harbour,
        "{metric: dockers_back, value: 11000",
        "{metric: dockers_back, derived: 'the desk rounded up', value: 12000",
    )
    assert result.returncode == 0, result.stdout


def test_number_in_text_that_nothing_backs_warns(cli, harbour):
    result = check(cli, harbour, "About 11,000 dockers went back", "About 11,500 dockers went back")
    assert result.stdout.splitlines() == [
        "factsheets/harbour.yaml:6:11: warning: claim 'dockers-back': the text gives 11,500, which no figure "
        "and no quote of the claim gives"
    ]


def test_qualifier_the_quotes_do_not_use_warns(cli, harbour):
    result = check(cli, harbour, "qualifier: several thousand}", "qualifier: many thousands}")
    assert result.stdout.splitlines()[-1] == (
        "factsheets/harbour.yaml:42:67: warning: claim 'containers-waiting': figure 1 (containers_waiting) "
        "qualifier 'many thousands' is in none of the claim's quotes; use the source's words"
    )


def test_range_must_be_given_at_both_ends(cli, harbour):
    result = check(cli, harbour, "high: 60000000", "high: 70000000")
    assert "figure 2 (losses) 40,000,000–70,000,000 is in none of the claim's quotes" in result.stdout


@pytest.mark.parametrize(
    "text, values",
    [
        ("11,000", {11000}),
        ("11\u00a0000", {11000}),
        ("11\u202f000", {11000}),
        ("11\u2009000", {11000}),
        ("11.000", {11000, 11}),
        ("eleven thousand", {11000}),
        ("three hundred and fifty", {350}),
        ("twenty-five", {25}),
        ("1.5 million", {1_500_000}),
        ("a thousand", {1000}),
    ],
)
def test_numbers_as_articles_write_them(text, values):
    found = numbers_in(f"about {text} soldiers")
    assert len(found) == 1 and found[0].values == values


def test_numbers_in_names_and_lists():
    assert [n.text for n in numbers_in("400 killed and 3,600 wounded, KN-23 and F-16")] == ["400", "3,600"]
    assert [sorted(n.values) for n in numbers_in("between 40 and 60 million")] == [[40, 40e6], [60e6]]


# --- Dates that add up ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "    said_on: 2025-03\n    happened_on: 2025-03\n",
            "    said_on: 2025-03\n    happened_on: 2025-04\n",
            "factsheets/harbour.yaml:10:18: warning: claim 'dockers-back': happened_on 2025-04 is after said_on 2025-03; "
            "an event cannot happen after the statement that reports it",
        ),
        (
            "as_of: 2025-03-31",
            "as_of: 2025-02-28",  # "2025-03" may be 1-3 March: after 2025-03-03 it is not
            "factsheets/harbour.yaml:9:14: warning: claim 'dockers-back': said_on 2025-03 is after the sheet's as_of "
            "2025-02-28; move as_of on or give the date the sources support",
        ),
        (
            "    said_on: 2025-03\n    happened_on: 2025-03\n",
            "    said_on: 2025-03-05\n",
            "factsheets/harbour.yaml:9:14: warning: claim 'dockers-back': said_on 2025-03-05 is after harbour-strike-ends "
            "was published (2025-03-04); a source cannot report what was said later",
        ),
    ],
)
def test_dates_that_cannot_be_right_warn(cli, harbour, old, new, expected):
    result = check(cli, harbour, old, new)
    assert result.returncode == 0
    assert expected in result.stdout.splitlines(), result.stdout


def test_source_published_after_the_as_of_warns(cli, harbour):
    result = check(cli, harbour, "as_of: 2025-03-31", "as_of: 2025-03-02")
    assert (
        "factsheets/harbour.yaml:14:17: warning: source 'harbour-strike-ends' was published 2025-03-04, "
        "after the sheet's as_of 2025-03-02; move as_of on"
    ) in result.stdout.splitlines()


@pytest.mark.parametrize(
    "a, b, later",
    [
        ("2025-04", "2025-03-31", True),
        ("2025", "2025-02", False),
        ("2025-02", "2025", False),
        ("2025-03-01", "2025-02", True),
        ("2026", "2025-12-31", True),
        (2025, "2024", True),
        ("2025-02-28", "2025-02", False),
    ],
)
def test_partial_dates_compare_by_every_day_they_can_mean(a, b, later):
    assert after(span(a), span(b)) is later


# --- Messages, formats, the quote command ----------------------------------------------------


def test_summary_counts_what_was_read_even_with_errors(cli, harbour):
    result = check(cli, harbour, "status: reported", "status: confimed")
    assert result.returncode == 1
    assert "(did you mean 'confirmed'?)" in result.stdout
    assert result.stderr.strip() == "checked 1 file, 4 claims, 4 quotes: 1 error, 0 warnings"


def test_json_and_github_formats(cli, harbour):
    result = check(
        cli, harbour, "value: 11000, unit: dockers", "value: 12000, unit: dockers", "--format", "json"
    )
    report = json.loads(result.stdout)
    assert report["summary"] == {
        "files": 1,
        "claims": 4,
        "quotes": 4,
        "errors": 1,
        "warnings": 0,
        "figure_groups": 0,
    }
    assert report["problems"][0]["file"] == "factsheets/harbour.yaml"
    assert (report["problems"][0]["line"], report["problems"][0]["column"]) == (12, 39)
    assert report["problems"][0]["severity"] == "error"
    result = check(
        cli, harbour, "value: 11000, unit: dockers", "value: 12000, unit: dockers", "--format", "github"
    )
    assert result.stdout.startswith(
        "::error file=factsheets/harbour.yaml,line=12,col=39::claim 'dockers-back': "
    )
    result = check(cli, harbour, "status: reported", "status: 50%", "--format", "github")
    assert "found a string ('50%25')" in result.stdout  # % is escaped as GitHub requires


def test_quote_command_prints_yaml_that_checks(cli, harbour):
    result = cli("--root", harbour, "quote", "harbour-strike-ends", "more than 200 SHIPS", cwd=harbour)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "# line 13 of harbour-strike-ends",
        "- source: harbour-strike-ends",
        '  quote: "The port authority said more than 200 ships had been delayed and that between 40 and 60 '
        'million euros had been lost."',
    ]
    pasted = yaml.safe_load(result.stdout)[0]["quote"]
    text = (harbour / "seeds" / "harbour-strike-ends.txt").read_text(encoding="utf-8")
    assert Article("x", text).contains(pasted)


def test_quote_command_marks_furniture_and_errata_and_escapes(cli, harbour):
    result = cli("--root", harbour, "quote", "harbour-strike-ends", "talks broke", cwd=harbour)
    assert result.stdout.splitlines()[:2] == [
        "# line 15 of harbour-strike-ends",
        "# known error: The union's statement gives 22 February. (give the claim a note)",
    ]
    assert 'quote: "The strike began on 24 February, after talks broke down."' in result.stdout
    result = cli("--root", harbour, "quote", "harbour-strike-ends", "About 11", cwd=harbour)
    assert '"About 11\u00a0000 dockers' in result.stdout  # the article's own no-break space
    result = cli("--root", harbour, "quote", "harbour-strike-ends", "Photo: Example", cwd=harbour)
    assert (
        "# page furniture (line 6: photo caption): quote the body, or add allow_furniture: REASON"
        in result.stdout
    )
    result = cli("--root", harbour, "quote", "harbour-strike-ends", "eleven thousand dockers", cwd=harbour)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "factsheet: 'eleven thousand dockers' is not in harbour-strike-ends; nearest passage"
    )


def test_quote_with_a_double_quote_mark_round_trips(tmp_path):
    from factsheet.sources.quoting import as_yaml

    quote = 'He called it a "hoax" \\ twice'
    assert yaml.safe_load(as_yaml("x", quote))[0]["quote"] == quote


# --- The stored seeds ---------------------------------------------------------------------------

SEED_CLAIM = """\
title: Test sheet
as_of: 2025-01-14
claims:
  - id: seed-quote
    text: A claim resting on one quote.
    status: reported
    attribution: {who: Someone, on_record: false}
    citations:
      - source: SOURCE
        quote: "QUOTE"
"""


@pytest.mark.parametrize(
    "source, quote, expected",
    [
        (
            "nk-training-wp-summary",
            "Estonia is building a powerful NATO munitions factory",
            "quote is in page furniture of nk-training-wp-summary (lines 11-17: 'Read also' list of other stories)",
        ),
        (
            "nk-officers-intel-kovalenko",
            "An episode of military drills in North Korea",
            "quote is in page furniture of nk-officers-intel-kovalenko (line 5: photo caption and credit)",
        ),
        (
            "skorea-3000-more-troops",
            "podpis źródła zdjęcia",
            "quote is in page furniture of skorea-3000-more-troops (lines 5-7: ",
        ),
        (
            "zelenskyy-nk-contingent",
            "North Korea has previously transferred ammunition and missiles to Ukraine",
            "warning: quote overlaps a known error in zelenskyy-nk-contingent",
        ),
    ],
)
def test_stored_seeds_are_marked(cli, project, source, quote, expected):
    path = project / "factsheets" / "seed.yaml"
    path.write_text(SEED_CLAIM.replace("SOURCE", source).replace("QUOTE", quote), encoding="utf-8")
    result = cli("--root", project, "check", "factsheets/seed.yaml", cwd=project)
    assert expected in result.stdout, result.stdout


def test_every_stored_seed_records_its_furniture(cli, project):
    catalog = yaml.safe_load((REPO / "seeds" / "catalog.yaml").read_text(encoding="utf-8"))
    assert all("furniture" in s or "body" in s for s in catalog["sources"])
    result = cli("--root", project, "seeds", "scan", cwd=project)
    assert result.returncode == 0 and result.stdout == ""


@pytest.mark.parametrize(
    "typed, article_has, where",
    [
        # the article's no-break space typed as an ordinary space
        (
            "About 11 000 dockers returned",
            "a no-break space (U+00A0) where you typed an ordinary space",
            "9, column 9",
        ),
        # characters no one sees, typed where the article has none, or the other way round
        ("About 11\u00a0000 dock\u00aders returned", None, "9, column 18"),
        (
            "About 11\u2009000 dockers returned",
            "a no-break space (U+00A0) where you typed a thin space (U+2009)",
            "9, column 9",
        ),
        ("About 11\u00a0000\u200b dockers returned", None, "9, column 13"),
    ],
)
def test_quote_command_names_an_invisible_difference(cli, harbour, typed, article_has, where):
    result = cli("--root", harbour, "quote", "harbour-strike-ends", typed, cwd=harbour)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "# line 9 of harbour-strike-ends"
    hint = lines[1]
    if article_has is not None:
        assert (
            hint == f"# not as typed: the article has {article_has}, at line {where} of harbour-strike-ends"
        )
    else:
        assert hint.startswith("# not as typed: you typed a ") and "where the article has nothing" in hint
        assert hint.endswith(f"at line {where} of harbour-strike-ends")
    # what it prints is the article's own text, which check then finds
    pasted = yaml.safe_load("\n".join(lines[2:]))[0]["quote"]
    text = (harbour / "seeds" / "harbour-strike-ends.txt").read_text(encoding="utf-8")
    assert pasted.startswith("About 11\u00a0000 dockers returned") and Article("x", text).contains(pasted)


def test_quote_command_without_an_invisible_difference_still_fails(cli, harbour):
    result = cli(
        "--root", harbour, "quote", "harbour-strike-ends", "About 11 001 dockers returned", cwd=harbour
    )
    assert result.returncode == 1 and "not as typed" not in result.stdout + result.stderr


def test_check_names_the_invisible_difference_of_a_quote(cli, harbour):
    result = check(cli, harbour, "About 11\\u00a0000 dockers", "About 11 000 dockers")
    assert result.returncode == 1
    assert (
        "factsheets/harbour.yaml:15:16: quote not found in harbour-strike-ends, which differs from it only by "
        "invisible characters: the article has a no-break space (U+00A0) where the quote has an ordinary "
        "space, at line 9, column 9 of harbour-strike-ends; write the article's character (\\uXXXX in a "
        'double-quoted value), or paste the quote `factsheet quote harbour-strike-ends "…"` prints'
    ) in result.stdout
