"""Comparing two fact sheets claim by claim: each kind of change, renames, reorders, sheet fields."""

from __future__ import annotations

import pytest

from factsheet.review.compare import compare
from factsheet.review.load import DiffInputError, read_side
from factsheet.review.words import Segment, word_diff

from diffkit import SMALL, claim_index, edit


def diff_of(old_text: str, new_text: str):
    old, new = read_side(old_text, "old.yaml"), read_side(new_text, "new.yaml")
    return compare(old.sheet, new.sheet, old.name, new.name)


def only_change(d, claim_id: str):
    """Return the single changed claim ``claim_id`` of a diff that changed nothing else."""
    assert [(c.kind, c.id) for c in d.claims] == [("changed", claim_id)]
    assert d.sheet == ()
    return d.claims[0]


def at(claim_id: str, *rest):
    return ("claims", claim_index(SMALL, claim_id), *rest)


def test_identical_sheets_have_no_changes():
    d = diff_of(SMALL, SMALL)
    assert not d.changed and d.claims == () and d.sheet == ()


def test_statement_text_changes_word_by_word():
    new = edit(SMALL, at("troops-sent", "text"), "Seoul said 14,000 soldiers were sent in the autumn.")
    (change,) = only_change(diff_of(SMALL, new), "troops-sent").changes
    assert (change.field, change.kind) == ("text", "changed")
    assert change.words == (
        Segment("=", "Seoul said "),
        Segment("-", "11,000"),
        Segment("+", "14,000"),
        Segment("=", " soldiers were sent in "),
        Segment("+", "the "),
        Segment("=", "autumn."),
    )


def test_status_change():
    new = edit(SMALL, at("training", "status"), "confirmed")
    (change,) = only_change(diff_of(SMALL, new), "training").changes
    assert (change.field, change.old, change.new) == ("status", "reported", "confirmed")


@pytest.mark.parametrize(
    "sub, value, old",
    [
        ("who", "Seoul's NIS", "South Korean intelligence"),
        ("organisation", "National Intelligence Service", "NIS"),
        ("on_record", False, "true"),
    ],
)
def test_each_attribution_subfield(sub, value, old):
    new = edit(SMALL, at("troops-sent", "attribution", sub), value)
    (change,) = only_change(diff_of(SMALL, new), "troops-sent").changes
    assert change.field == f"attribution.{sub}"
    assert change.old == old and change.kind == "changed"


def test_attribution_subfield_added():
    new = SMALL.replace("      organisation: NIS\n", "      role: agency\n      organisation: NIS\n")
    (change,) = only_change(diff_of(SMALL, new), "troops-sent").changes
    assert (change.field, change.kind, change.old, change.new) == (
        "attribution.role",
        "added",
        None,
        "agency",
    )


def test_figure_in_a_flow_mapping_by_metric():
    new = edit(SMALL, at("troops-sent", "figures", 0, "value"), 14000)
    assert "{metric: troops_sent, value: 14000, unit: soldiers" in new
    (change,) = only_change(diff_of(SMALL, new), "troops-sent").changes
    assert (change.field, change.old, change.new) == (
        "figures.troops_sent",
        "11,000 soldiers (as of 2024)",
        "14,000 soldiers (as of 2024)",
    )


def test_figure_added_and_removed():
    new = SMALL.replace("metric: troops_sent", "metric: troops_deployed")
    changes = only_change(diff_of(SMALL, new), "troops-sent").changes
    assert [(c.field, c.kind) for c in changes] == [
        ("figures.troops_deployed", "added"),
        ("figures.troops_sent", "removed"),
    ]


def test_reordered_figures_are_not_a_change():
    two = SMALL.replace(
        '      - {metric: troops_sent, value: 11000, unit: soldiers, as_of: "2024"}\n',
        '      - {metric: troops_sent, value: 11000, unit: soldiers, as_of: "2024"}\n'
        "      - {metric: troops_killed, value: 400, unit: soldiers}\n",
    )
    swapped = SMALL.replace(
        '      - {metric: troops_sent, value: 11000, unit: soldiers, as_of: "2024"}\n',
        "      - {metric: troops_killed, value: 400, unit: soldiers}\n"
        '      - {metric: troops_sent, value: 11000, unit: soldiers, as_of: "2024"}\n',
    )
    assert not diff_of(two, swapped).changed


def test_quote_text_changes_word_by_word():
    new = edit(
        SMALL,
        at("training", "citations", 0, "quote"),
        "several thousand North Korean soldiers are being trained",
    )
    (change,) = only_change(diff_of(SMALL, new), "training").changes
    assert (change.field, change.kind, change.old_source, change.new_source) == (
        "citations",
        "changed",
        "wp",
        "wp",
    )
    assert [s for s in change.words if s.op != "="] == [Segment("-", "infantry"), Segment("+", "soldiers")]


def test_citation_added_and_removed():
    added = SMALL.replace(
        '        quote: "dismissed claims as a hoax"\n',
        '        quote: "dismissed claims as a hoax"\n'
        '      - source: wp\n        quote: "A Kremlin spokesman dismissed these claims"\n',
    )
    (change,) = only_change(diff_of(SMALL, added), "hoax").changes
    assert (change.field, change.kind, change.new_source, change.new) == (
        "citations",
        "added",
        "wp",
        "A Kremlin spokesman dismissed these claims",
    )
    (change,) = only_change(diff_of(added, SMALL), "hoax").changes
    assert (change.kind, change.old_source, change.old, change.new) == (
        "removed",
        "wp",
        "A Kremlin spokesman dismissed these claims",
        None,
    )


def test_quote_moved_to_another_source():
    new = edit(SMALL, at("hoax", "citations", 0, "source"), "wp")
    (change,) = only_change(diff_of(SMALL, new), "hoax").changes
    assert (change.kind, change.old_source, change.new_source, change.new) == (
        "moved",
        "isw",
        "wp",
        "dismissed claims as a hoax",
    )


def test_reordered_citations_are_not_a_change():
    lines = SMALL.split("\n")
    i = lines.index("      - source: wp")
    swapped = lines[:i] + lines[i + 2 : i + 4] + lines[i : i + 2] + lines[i + 4 :]
    assert not diff_of(SMALL, "\n".join(swapped)).changed


def test_section_dates_note_and_references():
    new = edit(SMALL, at("training", "text"), "Several thousand infantry were training in Russia.")
    new = new.replace("    section: denials\n", "    section: numbers\n")
    new = new.replace('    said_on: "2025"\n', '    said_on: 2025-01\n    happened_on: "2024"\n')
    new = new.replace(
        "    contradicts: [training]\n",
        "    contradicts: [training, troops-sent]\n    note: Said on a Thursday.\n",
    )
    d = diff_of(SMALL, new)
    by_id = {c.id: c for c in d.claims}
    assert [(c.field, c.kind, c.old, c.new) for c in by_id["troops-sent"].changes] == [
        ("said_on", "changed", "2025", "2025-01"),
        ("happened_on", "added", None, "2024"),
    ]
    assert [(c.field, c.kind, c.old, c.new) for c in by_id["hoax"].changes] == [
        ("section", "changed", "denials", "numbers"),
        ("note", "added", None, "Said on a Thursday."),
        ("contradicts", "changed", "training", "training, troops-sent"),
    ]


def test_reordered_claims_are_not_a_change():
    lines = SMALL.split("\n")
    first = lines.index("  - id: troops-sent")
    second = lines.index("  - id: training")
    moved = lines[:first] + lines[second:-1] + lines[first:second] + [""]
    assert "\n".join(moved) != SMALL
    assert not diff_of(SMALL, "\n".join(moved)).changed


def test_id_change_alone_is_a_rename():
    new = SMALL.replace("  - id: hoax\n", "  - id: kremlin-hoax\n")
    d = diff_of(SMALL, new)
    assert [(c.kind, c.old_id, c.id) for c in d.claims] == [("renamed", "hoax", "kremlin-hoax")]
    assert d.count("renamed") == 1 and d.changed


def test_id_and_content_change_is_a_rename_with_its_field_changes():
    new = edit(SMALL, at("troops-sent", "figures", 0, "value"), 14000)
    new = edit(new, at("troops-sent", "text"), "Seoul said 14,000 soldiers were sent in autumn.")
    new = new.replace("  - id: troops-sent\n", "  - id: seoul-14000-sent\n")
    d = diff_of(SMALL, new)
    (claim,) = d.claims
    assert (claim.kind, claim.old_id, claim.id) == ("renamed", "troops-sent", "seoul-14000-sent")
    assert [(c.field, c.kind, c.old, c.new) for c in claim.changes] == [
        (
            "text",
            "changed",
            "Seoul said 11,000 soldiers were sent in autumn.",
            "Seoul said 14,000 soldiers were sent in autumn.",
        ),
        ("figures.troops_sent", "changed", "11,000 soldiers (as of 2024)", "14,000 soldiers (as of 2024)"),
    ]
    assert (d.count("renamed"), d.count("added"), d.count("removed")) == (1, 0, 0)


def test_a_different_claim_under_a_new_id_is_a_removal_and_an_addition():
    new = SMALL[: SMALL.index("  - id: hoax")] + (
        "  - id: aid\n    section: denials\n    text: Russia sent coal and food to Pyongyang.\n"
        "    status: reported\n    attribution: {who: Matsegora, on_record: true}\n"
        '    citations:\n      - {source: sk, quote: "coal, food and medicine"}\n'
    )
    d = diff_of(SMALL, new)
    assert sorted((c.kind, c.id) for c in d.claims) == [("added", "aid"), ("removed", "hoax")]


@pytest.mark.parametrize(
    "quote",
    [
        "several thousand North Korean infantry",  # shortened
        "Reports say that several thousand North Korean infantry are being trained in the Far East",  # extended
        "trained",  # cut to one word
    ],
)
def test_quote_shortened_or_extended_is_an_edit_of_that_citation(quote):
    new = edit(SMALL, at("training", "citations", 0, "quote"), quote)
    (change,) = only_change(diff_of(SMALL, new), "training").changes
    assert (change.field, change.kind, change.old_source, change.new_source) == (
        "citations",
        "changed",
        "wp",
        "wp",
    )
    kept = "".join(s.text for s in change.words if s.op != "+")
    made = "".join(s.text for s in change.words if s.op != "-")
    assert (kept, made) == ("several thousand North Korean infantry are being trained", quote)


def test_sheet_level_fields():
    new = (
        SMALL.replace("title: Troops abroad", "title: Troops sent abroad")
        .replace("as_of: 2025-02-28", "as_of: 2025-03-31")
        .replace("dek: What was said about the troops.\n", "")
        .replace("author: Desk\n", "author: Desk\nsummary: Seoul and Kyiv gave figures.\n")
        .replace("    title: Denials\n", "    title: Denials and disputes\n")
    )
    d = diff_of(SMALL, new)
    assert d.claims == ()
    assert [(c.field, c.kind, c.old, c.new) for c in d.sheet] == [
        ("title", "changed", "Troops abroad", "Troops sent abroad"),
        ("dek", "removed", "What was said about the troops.", None),
        ("as_of", "changed", "2025-02-28", "2025-03-31"),
        ("summary", "added", None, "Seoul and Kyiv gave figures."),
        ("sections.denials", "changed", "Denials", "Denials and disputes"),
    ]


def test_sections_added_removed_and_reordered():
    new = SMALL.replace(
        "  - id: numbers\n    title: How many\n  - id: denials\n    title: Denials\n",
        "  - id: denials\n    title: Denials\n  - id: numbers\n    title: How many\n"
        "  - id: aid\n    title: Aid\n",
    )
    d = diff_of(SMALL, new)
    assert [(c.field, c.kind, c.old, c.new) for c in d.sheet] == [
        ("sections.aid", "added", None, "Aid"),
        ("sections", "reordered", "numbers, denials", "denials, numbers, aid"),
    ]


def test_a_section_without_an_id_is_diffed_when_sections_are_reordered():
    old = SMALL.replace("  - id: numbers\n    title: How many\n", "  - title: How many\n")
    new = old.replace(
        "  - title: How many\n  - id: denials\n    title: Denials\n",
        "  - id: denials\n    title: Denials\n  - title: How many\n",
    )
    d = diff_of(old, new)
    assert [(c.field, c.kind, c.old, c.new) for c in d.sheet] == [
        ("sections", "reordered", ", denials", "denials, ")
    ]


def test_added_and_removed_claims_and_file_status():
    fewer = SMALL[: SMALL.index("  - id: hoax")]
    d = diff_of(SMALL, fewer)
    assert [(c.kind, c.id) for c in d.claims] == [("removed", "hoax")]
    d = diff_of(fewer, SMALL)
    assert [(c.kind, c.id) for c in d.claims] == [("added", "hoax")]
    created = compare(None, read_side(SMALL, "new.yaml").sheet)
    assert created.status == "added" and created.count("added") == 3


def test_schema_problems_degrade_to_warnings():
    broken = SMALL.replace("status: denied", "status: maybe").replace("value: 11000", "value: 11k")
    side = read_side(broken, "broken.yaml")
    assert side.warnings and all(w.severity == "warning" for w in side.warnings)
    d = compare(read_side(SMALL, "a").sheet, side.sheet)
    changes = {c.id: [(x.field, x.old, x.new) for x in c.changes] for c in d.claims}
    assert changes == {
        "troops-sent": [("figures.troops_sent", "11,000 soldiers (as of 2024)", "11k soldiers (as of 2024)")],
        "hoax": [("status", "denied", "maybe")],
    }


@pytest.mark.parametrize(
    "text, message",
    [
        ("title: x\nclaims: [\n", "invalid YAML"),
        ("title: x\nclaims:\n  - id: a\n  - id: a\n", "duplicate claim id 'a'"),
        ("title: x\nclaims:\n  - text: no id\n", "a claim needs a text id"),
        ("- a list\n", "the top level must be a mapping"),
    ],
)
def test_unmatchable_input_is_an_error_with_its_position(text, message):
    with pytest.raises(DiffInputError) as info:
        read_side(text, "bad.yaml")
    assert info.value.exit_code == 2
    first = str(info.value.problems[0])
    assert first.startswith("bad.yaml:") and message in first


def test_word_diff_keeps_numbers_whole_and_groups_neighbours():
    assert word_diff("sent 11,000 troops", "sent 14,000 troops") == (
        Segment("=", "sent "),
        Segment("-", "11,000"),
        Segment("+", "14,000"),
        Segment("=", " troops"),
    )
    assert word_diff("a b c d", "a x y d") == (
        Segment("=", "a "),
        Segment("-", "b c"),
        Segment("+", "x y"),
        Segment("=", " d"),
    )
