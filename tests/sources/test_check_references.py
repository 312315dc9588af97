"""check_sheet in-process, rule by rule: ids, sections, references, labels, groups and quotes, each message exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.errors import Problem
from factsheet.project import Project
from factsheet.sources import check as check_module
from factsheet.sources.check import CheckedSheet, check_sheet, did_you_mean, uncited_sources
from factsheet.sources.quotes import MIN_QUOTE_CHARS, MIN_QUOTE_WORDS
from factsheet.sources.seeds import SeedLibrary

from conftest import NK_PROJECT

QUOTE = "Several thousand North Korean soldiers are currently undergoing training in Russia"
SENT = "on top of the 11,000 soldiers reported by Seoul"

SHEET = f"""\
title: Test sheet
as_of: 2025-01-14
settings:
  topics:
    - {{id: troops, title: Troops, metrics: [troops_in_training, troops_sent]}}
sections:
  - {{id: deployment, title: Deployment}}
  - {{id: losses, title: Losses}}
metrics:
  - {{id: troops_in_training, label: Troops in training}}
  - {{id: troops_sent, label: Troops sent}}
groups:
  - {{id: numbers, title: Numbers, claims: [training, sent], metrics: [troops_sent], final: sent}}
claims:
  - id: training
    section: deployment
    text: Several thousand North Korean soldiers are training in Russia.
    status: reported
    attribution: {{who: Unnamed Ukrainian intelligence official, on_record: false}}
    figures:
      - {{metric: troops_in_training, unit: soldiers, qualifier: several thousand}}
    citations:
      - source: nk-officers-intel-kovalenko
        quote: "{QUOTE}"
  - id: sent
    section: deployment
    text: North Korea sent 11,000 soldiers.
    status: reported
    attribution: {{who: South Korean intelligence, on_record: true}}
    figures:
      - {{metric: troops_sent, unit: soldiers, value: 11000}}
    citations:
      - source: skorea-3000-more-troops
        quote: "{SENT}"
"""


@pytest.fixture(scope="module")
def library() -> SeedLibrary:
    return SeedLibrary.of(Project(NK_PROJECT))


def checked(tmp_path: Path, library: SeedLibrary, text: str) -> CheckedSheet:
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    return check_sheet(path, library, "t.yaml")


def problems(tmp_path: Path, library: SeedLibrary, text: str) -> list[str]:
    """Return every problem but information, as ``line:col: severity: message``."""
    return [
        f"{p.line}:{p.col}: {p.severity}: {p.message}"
        for p in checked(tmp_path, library, text).problems
        if p.severity != "info"
    ]


def edited(old: str, new: str, count: int = 1) -> str:
    assert old in SHEET, old
    return SHEET.replace(old, new, count)


def at(text: str, needle: str, occurrence: int = 1) -> str:
    """Return ``line:col`` of the first character of ``needle`` (its ``occurrence``-th time) in ``text``."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    line = text[:start].count("\n") + 1
    return f"{line}:{start - text.rfind(chr(10), 0, start)}"


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    return text[:at].count("\n") + 1


def test_the_sheet_has_no_problem_and_makes_a_model(tmp_path, library):
    result = checked(tmp_path, library, SHEET)
    assert [p for p in result.problems if p.severity != "info"] == []
    assert result.ok and result.sheet is not None
    assert [c.id for c in result.sheet.claims] == ["training", "sent"]


def test_a_warning_alone_leaves_the_sheet_usable(tmp_path):
    result = CheckedSheet(tmp_path / "t.yaml", "t.yaml")
    result.problems.append(Problem("t.yaml", 1, 1, "just so", "warning"))
    assert result.ok
    result.problems.append(Problem("t.yaml", 1, 1, "wrong", "error"))
    assert not result.ok


def test_duplicate_section_and_claim_ids_name_the_first_line(tmp_path, library):
    text = edited("  - {id: losses, title: Losses}", "  - {id: deployment, title: Losses}")
    text = text.replace("  - id: sent\n", "  - id: training\n")
    found = [p for p in problems(tmp_path, library, text) if "duplicate" in p]
    assert found == [
        f"{at(text, 'deployment', 2)}: error: duplicate section id 'deployment' "
        f"(first at line {line_of(text, 'deployment')})",
        f"{at(text, 'training' + chr(10), 2)}: error: duplicate claim id 'training': first at line "
        f"{line_of(text, 'id: training')}; claim ids must be unique",
    ]


def test_a_claim_without_a_section_names_the_sections(tmp_path, library):
    text = edited("    section: deployment\n    text: North Korea", "    text: North Korea")
    assert problems(tmp_path, library, text) == [
        f"{at(text, 'id: sent')}: error: claim 'sent' has no section; expected one of: deployment, losses"
    ]


def test_an_unknown_section_suggests_the_nearest(tmp_path, library):
    text = edited(
        "    section: deployment\n    text: North Korea", "    section: deploymnt\n    text: North Korea"
    )
    assert problems(tmp_path, library, text) == [
        f"{at(text, 'deploymnt')}: error: unknown section 'deploymnt' (did you mean 'deployment'?); "
        "expected one of: deployment, losses"
    ]


def test_a_section_named_where_none_are_defined(tmp_path, library):
    text = edited("sections:\n  - {id: deployment, title: Deployment}\n  - {id: losses, title: Losses}\n", "")
    text = text.replace("    section: deployment\n", "", 1)
    assert problems(tmp_path, library, text) == [
        f"{at(text, 'deployment')}: error: unknown section 'deployment'; expected one of: (no sections are defined)"
    ]


@pytest.mark.parametrize("key", ["contradicts", "denies", "updates"])
def test_a_claim_listing_itself_or_an_unknown_claim(tmp_path, library, key):
    text = edited(
        "    section: deployment\n    text: North Korea",
        f"    {key}: [sent, trainin]\n    section: deployment\n    text: North Korea",
    )
    assert problems(tmp_path, library, text) == [
        f"{at(text, 'sent, trainin')}: error: claim 'sent' cannot list itself under {key}",
        f"{at(text, 'trainin]')}: error: {key}: unknown claim id 'trainin' (did you mean 'training'?)",
    ]


def test_a_metric_label_declared_twice_and_a_metric_with_no_label(tmp_path, library):
    text = edited("  - {id: troops_sent, label: Troops sent}", "  - {id: troops_in_training, label: Again}")
    text = text.replace("metrics: [troops_in_training, troops_sent]", "metrics: [troops_in_training]")
    assert problems(tmp_path, library, text)[:2] == [
        f"{at(text, 'troops_in_training, label: Again')}: error: metric 'troops_in_training' is labelled twice: "
        f"first at line {line_of(text, '{id: troops_in_training')}; declare each label once",
        f"{at(text, 'troops_sent, unit')}: error: claims[1].figures[0].metric: 'troops_sent' has no label; "
        "outputs name a metric by the editor's label, never its id: add it under metrics: "
        "(- {id: troops_sent, label: …})",
    ]


def test_a_metric_with_no_label_is_named_once(tmp_path, library):
    text = edited("  - {id: troops_sent, label: Troops sent}\n", "")
    text = text.replace(
        "value: 11000}", "value: 11000}\n      - {metric: troops_sent, unit: soldiers, value: 11000}"
    )
    found = [p for p in problems(tmp_path, library, text) if "has no label" in p]
    assert found == [
        f"{at(text, 'troops_sent, unit')}: error: claims[1].figures[0].metric: 'troops_sent' has no label; "
        "outputs name a metric by the editor's label, never its id: add it under metrics: "
        "(- {id: troops_sent, label: …})"
    ]


def test_duplicate_topic_and_group_ids(tmp_path, library):
    text = edited(
        "    - {id: troops, title: Troops, metrics: [troops_in_training, troops_sent]}\n",
        "    - {id: troops, title: Troops, metrics: [troops_in_training, troops_sent]}\n"
        "    - {id: troops, title: Again, metrics: [troops_sent]}\n",
    )
    text = text.replace(
        "groups:\n", "groups:\n  - {id: numbers, title: Once more, claims: [sent, training]}\n"
    )
    found = problems(tmp_path, library, text)
    assert found == [
        f"{at(text, 'troops, title: Again')}: error: duplicate topic id 'troops' "
        f"(first at line {line_of(text, 'id: troops')})",
        f"{at(text, 'numbers, title: Numbers')}: error: duplicate group id 'numbers' "
        f"(first at line {line_of(text, 'id: numbers')})",
    ]


def test_a_group_naming_an_unknown_claim_or_a_metric_its_claims_lack(tmp_path, library):
    text = edited(
        "claims: [training, sent], metrics: [troops_sent], final: sent",
        "claims: [training, sen], metrics: [killed]",
    )
    assert problems(tmp_path, library, text) == [
        f"{at(text, 'sen]')}: error: group 'numbers': unknown claim id 'sen' (did you mean 'sent'?)",
        f"{at(text, 'killed')}: error: group 'numbers': no figure of its claims has metric 'killed'; "
        "expected one of: troops_in_training",
    ]


def test_a_group_whose_claims_give_no_figure_expects_none(tmp_path, library):
    text = edited(
        "claims: [training, sent], metrics: [troops_sent], final: sent",
        "claims: [nobody, noone], metrics: [killed]",
    )
    assert (
        f"{at(text, 'killed')}: error: group 'numbers': no figure of its claims has metric 'killed'; expected one of: (none)"
        in (problems(tmp_path, library, text))
    )


def test_a_final_claim_outside_its_group(tmp_path, library):
    text = edited("final: sent", "final: sen")
    assert problems(tmp_path, library, text) == [
        f"{at(text, 'sen}')}: error: group 'numbers': final claim 'sen' is not one of the group's claims; "
        "expected one of: training, sent"
    ]
    numbers = edited(
        "claims: [training, sent], metrics: [troops_sent], final: sent", "claims: [1, 2], final: sent"
    )
    assert problems(tmp_path, library, numbers)[-1].endswith(
        "final claim 'sent' is not one of the group's claims; expected one of: (none)"
    )


def test_a_final_claim_that_gives_no_figure(tmp_path, library):
    text = edited("      - {metric: troops_sent, unit: soldiers, value: 11000}\n", "")
    text = text.replace("    figures:\n    citations:", "    citations:").replace(
        "metrics: [troops_sent], ", ""
    )
    found = [p for p in problems(tmp_path, library, text) if "final claim" in p]
    assert found == [
        f"{at(text, 'sent}' + chr(10) + 'claims')}: error: group 'numbers': final claim 'sent' gives no figure; "
        "a final figure needs a claim with figures"
    ]


def test_an_unknown_source_names_the_sources(tmp_path, library):
    text = edited("      - source: nk-officers-intel-kovalenko", "      - source: nk-officers-intel-kovalenk")
    assert problems(tmp_path, library, text) == [
        f"{at(text, 'nk-officers-intel-kovalenk')}: error: unknown source 'nk-officers-intel-kovalenk' (did you mean "
        "'nk-officers-intel-kovalenko'?); expected one of: " + ", ".join(library.sources)
    ]


def test_a_quote_too_short_to_prove_anything(tmp_path, library):
    text = edited(f'"{QUOTE}"', '"North Korean"')
    where = at(text, '"North Korean')
    found = [p for p in problems(tmp_path, library, text) if "citations[0].quote" in p]
    assert found == [
        f"{where}: error: claims[0].citations[0].quote: a quote of 2 words (12 characters) proves nothing; "
        f"quote at least {MIN_QUOTE_WORDS} words and {MIN_QUOTE_CHARS} characters of the article"
    ]


def test_a_quote_found_in_another_article_names_it(tmp_path, library):
    other = "Kremlin spokesman Dmitry Peskov on Thursday dismissed claims of Pyongyang sending military"
    text = edited(f'"{QUOTE}"', f'"{other}"')
    where = at(text, '"Kremlin')
    assert problems(tmp_path, library, text) == [
        f"{where}: error: quote found in isw-several-thousand-frontline, not in "
        "nk-officers-intel-kovalenko; fix the citation's source"
    ]


CHANGED = QUOTE.replace("currently", "now")


def test_a_changed_word_shows_the_nearest_passage(tmp_path, library):
    text = edited(f'"{QUOTE}"', f'"{CHANGED}"')
    where = at(text, '"' + CHANGED)
    found = problems(tmp_path, library, text)
    assert len(found) == 1
    assert found[0].startswith(
        f"{where}: error: quote not found in nk-officers-intel-kovalenko; nearest passage is line "
    )
    assert "⟦currently⟧" in found[0]


def test_nearest_passages_stop_when_the_budget_is_spent(tmp_path, library, monkeypatch):
    monkeypatch.setattr(check_module, "MAX_NEAREST_WORDS", 1)
    text = edited(
        f'"{QUOTE}"',
        f'"{CHANGED}"\n      - source: nk-officers-intel-kovalenko\n        quote: "North Korean"',
    )
    where = at(text, '"' + CHANGED)
    found = problems(tmp_path, library, text)
    assert found[0] == (
        f"{where}: error: quote not found in nk-officers-intel-kovalenko; no nearest passage shown (this "
        "sheet's search budget of 1 article words is spent: fix the quotes above first)"
    )
    assert len(found) == 2 and "claims[0].citations[1].quote: a quote of 2 words" in found[1]


def test_the_budget_is_spent_article_by_article():
    budget = check_module._Budget(10)
    assert budget.take(4) and budget.left == 6
    assert budget.take(6) and budget.left == 0
    assert not budget.take(1) and budget.left == 0


def test_suggestions_stop_after_their_limit(monkeypatch):
    monkeypatch.setattr(check_module, "MAX_SUGGESTIONS", 2)
    suggest = check_module._Suggestions()
    choices = ["deployment", "losses"]
    assert suggest("deploymnt", choices) == " (did you mean 'deployment'?)"
    assert suggest("losess", choices) == " (did you mean 'losses'?)"
    assert suggest("deploymnt", choices) == " (did you mean 'deployment'?)"  # asked before: remembered
    assert suggest("lossses", choices) == ""  # a third new word: no search


def test_did_you_mean_needs_a_close_word():
    assert did_you_mean("deploymnt", ["deployment", "losses"]) == " (did you mean 'deployment'?)"
    assert did_you_mean("xyz", ["deployment", "losses"]) == ""


def test_uncited_sources_are_warnings_at_their_catalog_line(tmp_path, library):
    sheet = checked(tmp_path, library, SHEET)
    found = uncited_sources(library, [sheet])
    cited = {"nk-officers-intel-kovalenko", "skorea-3000-more-troops"}
    uncited = [s for s in library.sources if s not in cited]
    assert [p.message for p in found] == [f"source '{s}' is not cited by any claim" for s in uncited]
    assert {p.severity for p in found} == {"warning"}
    assert all(p.path.endswith("catalog.yaml") for p in found) and len(found) == len(library.sources) - 2
    unread = CheckedSheet(tmp_path / "missing.yaml", "missing.yaml")
    assert uncited_sources(library, [sheet, unread]) == []


def test_a_sheet_that_is_a_link_out_of_the_project_is_not_read(tmp_path, library):
    outside = tmp_path / "outside.yaml"
    outside.write_text(SHEET, encoding="utf-8")
    root = tmp_path / "project"
    (root / "factsheets").mkdir(parents=True)
    link = root / "factsheets" / "t.yaml"
    link.symlink_to(outside)
    result = check_sheet(link, library, "factsheets/t.yaml", root)
    assert [str(p) for p in result.problems] == [
        f"factsheets/t.yaml:1:1: the fact sheet is a link pointing outside {root}; "
        "store the sheet itself in the project"
    ]
    assert result.doc is None and result.sheet is None


def test_every_citation_of_a_claim_is_checked_after_a_bad_one(tmp_path, library):
    bad = """      - source: nk-officers-intel-kovalenk
        quote: "North Korean"
      - source: nk-officers-intel-kovalenko
        quote: "North Korean"
      - source: Not A Slug
        quote: "{q}"
      - source: nk-officers-intel-kovalenko
        quote: "{q}"
""".format(q=QUOTE.replace("currently", "now"))
    text = edited(f'      - source: nk-officers-intel-kovalenko\n        quote: "{QUOTE}"\n', bad)
    found = [p.split(": error: ", 1)[1][:60] for p in problems(tmp_path, library, text) if ": error: " in p]
    assert len(found) == 4
    for start in (
        "unknown source 'nk-officers-intel-kovalenk'",
        "claims[0].citations[1].quote: a quote of 2 words",
        "claims[0].citations[2].source: ",
        "quote not found in nk-officers-intel-kovalenko; nearest",
    ):
        assert [f for f in found if f.startswith(start)], (start, found)


def test_a_reference_that_is_not_an_id_leaves_the_next_checked(tmp_path, library):
    text = edited(
        "    section: deployment\n    text: North Korea",
        "    contradicts: [7, trainin]\n    section: deployment\n    text: North Korea",
    )
    found = problems(tmp_path, library, text)
    assert (
        f"{at(text, 'trainin]')}: error: contradicts: unknown claim id 'trainin' (did you mean 'training'?)"
        in found
    )
    assert len(found) == 2 and "claims[1].contradicts[0]" in found[0]


def test_suggestions_are_remembered_per_list_of_choices():
    suggest = check_module._Suggestions()
    sections, claims = ["deployment"], ["deploymint"]
    assert suggest("deploymnt", sections) == " (did you mean 'deployment'?)"
    assert suggest("deploymnt", claims) == " (did you mean 'deploymint'?)"


def test_group_metrics_expected_are_listed_in_order(tmp_path, library):
    text = edited(
        "claims: [training, sent], metrics: [troops_sent]", "claims: [training, sent], metrics: [killed]"
    )
    assert problems(tmp_path, library, text) == [
        f"{at(text, 'killed')}: error: group 'numbers': no figure of its claims has metric 'killed'; "
        "expected one of: troops_in_training, troops_sent"
    ]


def test_an_uncited_source_is_located_at_its_catalog_entry(tmp_path, library):
    found = uncited_sources(library, [checked(tmp_path, library, SHEET)])
    catalog = (NK_PROJECT / "seeds" / "catalog.yaml").read_text(encoding="utf-8").splitlines()
    for problem in found:
        source = problem.message.split("'")[1]
        line = catalog[problem.line - 1]
        assert line.strip().startswith("- id:") and line.strip().endswith(source), (problem, line)


def test_every_citation_is_checked_after_a_misplaced_or_changed_quote(tmp_path, library):
    elsewhere = "Kremlin spokesman Dmitry Peskov on Thursday dismissed claims of Pyongyang sending military"
    changed = QUOTE.replace("currently", "now")
    cites = "".join(
        f'      - source: nk-officers-intel-kovalenko\n        quote: "{q}"\n'
        for q in (QUOTE, elsewhere, changed, elsewhere, "North Korean")
    )
    text = edited(f'      - source: nk-officers-intel-kovalenko\n        quote: "{QUOTE}"\n', cites)
    found = [p.split(": error: ", 1)[1] for p in problems(tmp_path, library, text) if ": error: " in p]
    assert [f.split(";")[0] for f in found if f.startswith(("quote", "claims[0]"))] == [
        "quote found in isw-several-thousand-frontline, not in nk-officers-intel-kovalenko",
        "quote not found in nk-officers-intel-kovalenko",
        "quote found in isw-several-thousand-frontline, not in nk-officers-intel-kovalenko",
        "claims[0].citations[4].quote: a quote of 2 words (12 characters) proves nothing",
    ]
