"""The claim format's validator: refused characters in every text field, numbers, dates, figures."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from factsheet.sources import schema
from factsheet.sources.loading import Located, display_path, load_text

FULL_SHEET = {
    "title": "Test sheet",
    "dek": "A subtitle.",
    "as_of": dt.date(2025, 1, 14),
    "language": "en",
    "author": "Foreign desk",
    "summary": "A summary.",
    "sections": [{"id": "deployment", "title": "The deployment"}],
    "claims": [
        {
            "id": "training",
            "section": "deployment",
            "text": "Several thousand soldiers are training.",
            "status": "reported",
            "attribution": {
                "who": "An official",
                "role": "spokesman",
                "organisation": "Ministry",
                "on_record": True,
            },
            "said_on": "2024-10",
            "happened_on": "2024",
            "figures": [
                {
                    "metric": "troops_sent",
                    "unit": "soldiers",
                    "value": 11000,
                    "qualifier": "about",
                    "as_of": "2024-10",
                },
            ],
            "citations": [{"source": "nk-training-wp-summary", "quote": "Several thousand"}],
            "note": "A note.",
            "contradicts": ["other-claim"],
            "updates": ["older-claim"],
        }
    ],
}

FULL_SOURCE = {
    "id": "src",
    "file": "src.txt",
    "original": "orig.txt",
    "sha256": "ab" * 32,
    "outlet": "Outlet",
    "headline": "Headline",
    "author": "Author",
    "published": "2024-10-01",
    "url": "https://example.org/a",
    "language": "en",
    "notes": "Notes.",
}
FULL_CATALOG = {"sources": [FULL_SOURCE]}


def problems(spec, data) -> list[str]:
    return [p.message for p in schema.validate(spec, Located("f.yaml", data))]


def text_paths(spec: schema.Spec, data, path=()):
    """Yield the path of every text value in ``data`` that ``spec`` checks as text."""
    if isinstance(spec, schema.Nullable):
        spec = spec.inner
    if isinstance(spec, schema.Obj):
        for key, f in spec.fields.items():
            if key in data:
                yield from text_paths(f.spec, data[key], path + (key,))
    elif isinstance(spec, schema.List):
        for i, item in enumerate(data):
            yield from text_paths(spec.item, item, path + (i,))
    elif isinstance(spec, schema.Str) and isinstance(data, str):
        yield path


def put(data, path, value):
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def get(data, path):
    for part in path:
        data = data[part]
    return data


def test_full_examples_are_valid():
    assert problems(schema.SHEET, FULL_SHEET) == []
    assert problems(schema.CATALOG, FULL_CATALOG) == []


REFUSED = [
    "\u202e",
    "\u202a",
    "\u2066",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\x9b",
    "\t",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "\ud800",
]


@pytest.mark.parametrize(
    "spec, example", [(schema.SHEET, FULL_SHEET), (schema.CATALOG, FULL_CATALOG)], ids=["sheet", "catalog"]
)
@pytest.mark.parametrize("char", REFUSED, ids=[f"U+{ord(c):04X}" for c in REFUSED])
def test_refused_character_in_every_text_field_is_named_with_its_path(spec, example, char):
    paths = list(text_paths(spec, example))
    assert len(paths) >= 10
    for path in paths:
        data = copy.deepcopy(example)
        original = get(data, path)
        put(data, path, original[:1] + char + original[1:])
        found = problems(spec, data)
        expected = (
            f"{display_path(path)}: {schema.forbidden_character(original[:1] + char)} is not allowed in text;"
        )
        assert any(m.startswith(expected) for m in found), (path, found)
        assert "at character 2" in expected


@pytest.mark.parametrize(
    "char, description",
    [
        ("\u202e", "bidirectional control (right-to-left override) U+202E at character 2"),
        ("\u2066", "bidirectional control (left-to-right isolate) U+2066 at character 2"),
        ("\u061c", "bidirectional control (Arabic letter mark) U+061C at character 2"),
        ("\t", "control character (tab) U+0009 at character 2"),
        ("\x1b", "control character U+001B at character 2"),
        ("\u2028", "line separator U+2028 at character 2"),
        ("\ufeff", "byte-order mark U+FEFF at character 2"),
        ("\udc80", "lone surrogate U+DC80 at character 2"),
    ],
)
def test_refused_characters_are_described_by_name(char, description):
    assert schema.forbidden_character(f"a{char}b") == description
    assert schema.forbidden_character("plain text, “quotes”, é, 11,000 – ok\nnext line") is None


def test_tab_and_separators_say_replace_others_say_delete():
    data = copy.deepcopy(FULL_SHEET)
    data["title"] = "a\tb"
    assert problems(schema.SHEET, data) == [
        "title: control character (tab) U+0009 at character 2 is not allowed in text; replace it with a space"
    ]
    data["title"] = "a\u202eb"
    assert problems(schema.SHEET, data) == [
        "title: bidirectional control (right-to-left override) U+202E at character 2 is not allowed in text; delete it"
    ]


FIGURE = ("claims", 0, "figures", 0)


@pytest.mark.parametrize(
    "figure, expected",
    [
        ({"value": 11000}, []),
        ({"value": 11000.5}, []),
        ({"low": 10000, "high": 12000}, []),
        ({"qualifier": "several thousand"}, []),
        (
            {"value": float("inf")},
            ["claims[0].figures[0].value: expected a finite number, found infinity (.inf)"],
        ),
        (
            {"value": float("nan")},
            ["claims[0].figures[0].value: expected a finite number, found not-a-number (.nan)"],
        ),
        (
            {"value": True},
            [
                "claims[0].figures[0].value: expected a number such as 11000 (no thousands separators or "
                "words), found a boolean (true)"
            ],
        ),
        (
            {"value": "11,000"},
            [
                "claims[0].figures[0].value: expected a number such as 11000 (no thousands separators "
                "or words), found a string ('11,000')"
            ],
        ),
        ({"value": -1}, ["claims[0].figures[0].value: expected a number ≥ 0, found -1"]),
        (
            {"value": 1, "low": 0, "high": 2},
            ["claims[0].figures[0]: give either value or low/high, not both"],
        ),
        ({"low": 1}, ["claims[0].figures[0]: a range needs both low and high; 'high' is missing"]),
        ({"low": 5, "high": 2}, ["claims[0].figures[0]: low (5) is greater than high (2)"]),
        (
            {},
            [
                "claims[0].figures[0]: expected value, low/high, or a qualifier such as 'several thousand'; found none"
            ],
        ),
    ],
)
def test_figures_are_numbers_or_explicit_ranges(figure, expected):
    data = copy.deepcopy(FULL_SHEET)
    data["claims"][0]["figures"] = [{"metric": "troops_sent", "unit": "soldiers", **figure}]
    assert problems(schema.SHEET, data) == expected


@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("as_of", "2025-01-14", []),
        ("as_of", "2025-02", []),  # as precise as the sources allow: a month
        ("as_of", 2025, []),  # or a year
        (
            "as_of",
            "2025-13-45",
            [
                "as_of: expected a date such as 2024, 2024-10, 2024-10-18, 2024-10-early, 2024-autumn, 2025-01/2025-02 or 'by 2024-12', found a string ('2025-13-45')"
            ],
        ),
        ("as_of", "2025-02-29", ["as_of: 2025-02-29 is not a real date (day is out of range for month)"]),
        (
            "as_of",
            "2025-W03-2",
            [
                "as_of: expected a date such as 2024, 2024-10, 2024-10-18, 2024-10-early, 2024-autumn, 2025-01/2025-02 or 'by 2024-12', found a string ('2025-W03-2')"
            ],
        ),
        (
            "as_of",
            99999,
            [
                "as_of: expected a date such as 2024, 2024-10, 2024-10-18, 2024-10-early, 2024-autumn, 2025-01/2025-02 or 'by 2024-12', found a number (99999)"
            ],
        ),
        (
            "as_of",
            dt.datetime(2025, 1, 14, 10),
            [
                "as_of: expected a date such as 2024, 2024-10, 2024-10-18, 2024-10-early, 2024-autumn, 2025-01/2025-02 or 'by 2024-12', found a date (2025-01-14T10:00:00)"
            ],
        ),
        ("said_on", 2024, []),
        (
            "said_on",
            "2024-02-30",
            ["claims[0].said_on: 2024-02-30 is not a real date (day is out of range for month)"],
        ),
        (
            "said_on",
            "2024-13",
            [
                "claims[0].said_on: expected a date such as 2024, 2024-10, 2024-10-18, 2024-10-early, 2024-autumn, 2025-01/2025-02 or 'by 2024-12', found a string ('2024-13')"
            ],
        ),
        (
            "said_on",
            99999,
            [
                "claims[0].said_on: expected a date such as 2024, 2024-10, 2024-10-18, 2024-10-early, 2024-autumn, 2025-01/2025-02 or 'by 2024-12', found a number (99999)"
            ],
        ),
        (
            "said_on",
            "2024\n",
            [
                "claims[0].said_on: expected a date such as 2024, 2024-10, 2024-10-18, 2024-10-early, 2024-autumn, 2025-01/2025-02 or 'by 2024-12', found a string ('2024\\n')"
            ],
        ),
    ],
)
def test_dates_must_be_real(field, value, expected):
    data = copy.deepcopy(FULL_SHEET)
    if field == "as_of":
        data["as_of"] = value
    else:
        data["claims"][0][field] = value
    assert problems(schema.SHEET, data) == expected


def test_pattern_fields_refuse_a_trailing_line_break():
    data = copy.deepcopy(FULL_SHEET)
    data["claims"][0]["id"] = "training\n"
    data["language"] = "en\n"
    assert problems(schema.SHEET, data) == [
        "language: expected a language code such as 'en', found a string ('en\\n')",
        "claims[0].id: expected a lowercase slug such as 'people-missing' (letters, digits, hyphens), "
        "found a string ('training\\n')",
    ]


@pytest.mark.parametrize(
    "value, expected",
    [
        (2024, "title: expected text, found a number (2024); put it in quotes to use it as text"),
        (True, "title: expected text, found a boolean (true); put it in quotes to use it as text"),
        (None, "title: expected text, found nothing (null)"),
        ("   ", "title: expected text, found a string ('   ')"),
        (["a"], "title: expected text, found a list"),
    ],
)
def test_text_fields_say_what_they_found(value, expected):
    data = copy.deepcopy(FULL_SHEET)
    data["title"] = value
    assert problems(schema.SHEET, data) == [expected]


def test_yaml_1_1_booleans_are_text_and_refused_where_true_or_false_is_expected():
    doc = load_text("on_record: yes\n", "f.yaml")
    assert problems(schema.ATTRIBUTION, {"who": "x", **doc.data}) == [
        "on_record: expected true or false, found a string ('yes')"
    ]


def test_hostile_keys_and_values_print_as_one_line():
    key = "ti\ntle\u202e"  # the loader refuses such a key; other readers of YAML may not
    doc = Located(
        "f.yaml", {"title": "x", "as_of": "2025-01-14", "claims": [], key: 1}, key_pos={(key,): (4, 1)}
    )
    found = [str(p) for p in schema.validate(schema.SHEET, doc)]
    assert all("\n" not in line and line.isprintable() for line in found)
    assert (
        "f.yaml:4:1: unknown key 'ti\\ntle\\u202e' in fact sheet (did you mean 'title'?); expected one of: "
        "title, dek, as_of, language, author, summary, settings, sections, metrics, groups, claims, publication, contact, unknowns, correction, updates"
        in found
    )
