"""factsheet check: every kind of problem, with its exact message and location."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess

import pytest

from factsheet.cli import main

from conftest import NK_SHEET

HEADER = """\
title: Test sheet
as_of: 2025-01-14
claims:
"""

GOOD_CLAIM = """\
  - id: training
    text: Several thousand North Korean soldiers are training in Russia.
    status: reported
    attribution: {who: Unnamed Ukrainian intelligence official, on_record: false}
    figures:
      - {metric: troops_in_training, unit: soldiers, qualifier: several thousand}
    citations:
      - source: nk-officers-intel-kovalenko
        quote: "Several thousand North Korean soldiers are currently undergoing training in Russia"
"""


#: The label of the metric the claims above use, appended after them (line numbers stay as they are).
LABELS = "metrics:\n  - {id: troops_in_training, label: Troops in training}\n"


def write(project, text: str, name: str = "test.yaml"):
    path = project / "factsheets" / name
    if "troops_in_training" in text and "\nmetrics:" not in text:
        text = text + ("" if text.endswith("\n") else "\n") + LABELS
    path.write_text(text, encoding="utf-8")
    return path


def check(cli, project, path):
    """Return what ``factsheet check PATH`` exits with and prints, run in this process.

    In-process, so a mutation tool sees which tests reach the checks; the tests
    of the command itself (usage errors, the default sheets) run it as a program.
    """
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(project)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--root", str(project), "check", str(path)])
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(["factsheet", "check"], code, out.getvalue(), err.getvalue())


def test_north_korea_sheet_passes(cli):
    result = cli("check", NK_SHEET)
    assert result.returncode == 0, result.stdout + result.stderr
    # At most information: the figure groups an editor should see while editing.
    assert all(": info: figure group" in line for line in result.stdout.splitlines())
    assert "0 errors, 0 warnings" in result.stderr


def test_default_checks_every_sheet_and_passes(cli):
    # the live sheets: no errors (a warning an editor left on purpose is theirs to keep)
    result = cli("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r": 0 errors, \d+ warnings?", result.stderr), result.stderr


def test_good_minimal_sheet_passes(cli, project):
    path = write(project, HEADER + GOOD_CLAIM)
    result = check(cli, project, path)
    assert result.returncode == 0, result.stdout
    assert result.stderr.strip() == "checked 1 file, 1 claims, 1 quotes: 0 errors, 0 warnings"


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "        quote:",
            "        qoute:",
            "factsheets/test.yaml:12:9: unknown key 'qoute' in citation of claim 'training' (did you mean 'quote'?); "
            "expected one of: source, quote, allow_furniture",
        ),
        (
            "    status: reported",
            "    status: confimed",
            "factsheets/test.yaml:6:13: claims[0].status: expected one of reported | confirmed | disputed | denied, found a string ('confimed') (did you mean 'confirmed'?)",
        ),
        (
            "    text: Several thousand North Korean soldiers are training in Russia.\n",
            "",
            "factsheets/test.yaml:4:5: claims[0]: claim is missing required key 'text' (text)",
        ),
        (
            "on_record: false",
            "on_record: 'no'",
            "factsheets/test.yaml:7:76: claims[0].attribution.on_record: expected true or false, found a string ('no')",
        ),
        (
            "qualifier: several thousand",
            "value: '11,000'",
            "factsheets/test.yaml:9:61: claims[0].figures[0].value: expected a number such as 11000 (no thousands separators or words), found a string ('11,000')",
        ),
        (
            "qualifier: several thousand",
            "low: 12000, high: 10000",
            "factsheets/test.yaml:9:59: claims[0].figures[0]: low (12000) is greater than high (10000)",
        ),
        (
            "source: nk-officers-intel-kovalenko",
            "source: nk-officers-intel-kovalenk",
            "factsheets/test.yaml:11:17: unknown source 'nk-officers-intel-kovalenk' (did you mean 'nk-officers-intel-kovalenko'?); "
            "expected one of: nk-training-wp-summary, nk-officers-intel-kovalenko, isw-several-thousand-frontline, "
            "zelenskyy-nk-contingent, skorea-3000-more-troops",
        ),
    ],
)
def test_each_problem_has_exact_message_and_location(cli, project, old, new, expected):
    text = HEADER + GOOD_CLAIM
    assert old in text
    path = write(project, text.replace(old, new, 1))
    result = check(cli, project, path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == expected.split("\n")
    assert "Traceback" not in result.stderr


def test_changed_word_in_quote_gives_location_and_nearest_passage(cli, project):
    path = write(project, HEADER + GOOD_CLAIM.replace("training in Russia", "training in Belarus"))
    result = check(cli, project, path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "factsheets/test.yaml:12:16: quote not found in nk-officers-intel-kovalenko; nearest passage is line 7 of "
        'nk-officers-intel-kovalenko: "Several thousand North Korean soldiers are currently undergoing training in ⟦Russia,⟧"; '
        'the quote has "Belarus" where the article has "Russia,"'
    ]


def test_quote_moved_to_wrong_source_names_the_right_one(cli, project):
    path = write(
        project,
        HEADER + GOOD_CLAIM.replace("source: nk-officers-intel-kovalenko", "source: zelenskyy-nk-contingent"),
    )
    result = check(cli, project, path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "factsheets/test.yaml:12:16: quote found in nk-officers-intel-kovalenko, not in zelenskyy-nk-contingent; "
        "fix the citation's source"
    ]


def test_quote_tolerates_line_wrapping_and_curly_quotes(cli, project):
    # The article has "the war in Ukraine" style straight apostrophes; curly ones and re-wrapped lines still match.
    claim = GOOD_CLAIM.replace(
        'quote: "Several thousand North Korean soldiers are currently undergoing training in Russia"',
        "quote: >-\n          Several thousand North Korean\n          soldiers are currently   undergoing training in Russia",
    )
    path = write(project, HEADER + claim)
    assert check(cli, project, path).returncode == 0


def test_duplicate_claim_ids_and_duplicate_keys(cli, project):
    dup_claim = GOOD_CLAIM.replace("    status: reported\n", "    status: reported\n    status: confirmed\n")
    path = write(project, HEADER + GOOD_CLAIM + GOOD_CLAIM)
    result = check(cli, project, path)
    assert result.stdout.splitlines() == [
        "factsheets/test.yaml:13:9: duplicate claim id 'training': first at line 4; claim ids must be unique"
    ]
    path = write(project, HEADER + dup_claim)
    result = check(cli, project, path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "factsheets/test.yaml:7:5: duplicate key 'status': first at line 6, again at line 7; keep one"
    ]


def test_all_problems_reported_in_one_run(cli, project):
    text = (
        HEADER
        + GOOD_CLAIM.replace("status: reported", "status: rumoured").replace(
            "training in Russia", "training in Belarus"
        )
        + GOOD_CLAIM
    )
    result = check(cli, project, write(project, text))
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 3  # bad status, bad quote, duplicate id
    assert "3 errors" in result.stderr


def test_uncited_seed_is_a_warning_not_an_error(cli, project):
    for p in (project / "factsheets").glob("*.yaml"):
        p.unlink()
    write(project, HEADER + GOOD_CLAIM)
    result = cli("--root", project, "check", cwd=project)
    assert result.returncode == 0
    lines = (project / "seeds" / "catalog.yaml").read_text(encoding="utf-8").split("\n")
    line = lines.index("  - id: nk-training-wp-summary") + 1  # where the catalog names it, wherever that is
    assert (
        f"seeds/catalog.yaml:{line}:9: warning: source 'nk-training-wp-summary' is not cited by any claim"
        in result.stdout
    )
    assert result.stdout.count("warning:") == 4


def test_usage_errors_exit_2(cli, project):
    result = cli("--root", project, "check", project / "missing.yaml", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip().endswith("missing.yaml: no such file")
    result = cli("check", "--bogus")
    assert result.returncode == 2
    assert "unrecognized arguments: --bogus" in result.stderr
    result = cli("--root", project.parent, "check", cwd=project.parent)
    assert result.returncode == 2
    assert "no factsheet project here" in result.stderr


def test_no_warning_about_other_files_follows_a_sheet_that_failed_to_parse(cli, project):
    sheet = project / "factsheets" / "north-korea-troops-russia.yaml"
    lines = sheet.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip() == "text: >-")
    lines[at] = lines[at].replace("text: >-", "text:")
    lines[at + 1] = lines[at + 1].rstrip() + " said: that"  # a slip inside plain text
    sheet.write_text("\n".join(lines), encoding="utf-8")
    result = cli("check", cwd=project)
    assert result.returncode == 1
    [only] = result.stdout.splitlines()
    assert only.startswith(f"factsheets/north-korea-troops-russia.yaml:{at + 2}:")
    assert "found ': ' inside an unquoted value" in only
