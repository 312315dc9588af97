"""The YAML loader: safe, exact about positions, YAML 1.2 scalars, one clear line per refusal."""

from __future__ import annotations

import datetime as dt
import math
import os
import time

import pytest

from factsheet.sources import loading
from factsheet.errors import InputError
from factsheet.sources.loading import Located, decode, load_file, load_text, printable

SHEET = """\
# comment
title: Test sheet
as_of: 2025-01-14
claims:
  - id: training
    text: >-
      Several thousand
      soldiers.
    figures:
      - {metric: troops, unit: soldiers, value: 11000}
"""


def refusal(text: str, file: str = "f.yaml") -> str:
    """Return the one line that loading ``text`` is refused with."""
    with pytest.raises(InputError) as err:
        load_text(text, file)
    assert len(err.value.problems) == 1
    line = str(err.value.problems[0])
    assert "\n" not in line and line.isprintable()
    return line


def raw_refusal(raw: bytes) -> str:
    with pytest.raises(InputError) as err:
        load_text(decode(raw, "f.yaml"), "f.yaml")
    assert len(err.value.problems) == 1
    return str(err.value.problems[0])


# -- positions and line endings ---------------------------------------------


def test_positions_of_keys_and_values():
    doc = load_text(SHEET, "f.yaml")
    assert doc.key_pos[("title",)] == (2, 1)
    assert doc.value_pos[("title",)] == (2, 8)
    assert doc.value_pos[("claims", 0, "text")] == (6, 11)
    assert doc.value_pos[("claims", 0, "figures", 0, "value")] == (10, 49)
    assert doc.pos(("claims", 0, "no-such-key")) == (5, 5)  # the nearest parent
    assert doc.lines[1] == "title: Test sheet"


@pytest.mark.parametrize(
    "raw",
    [
        SHEET.replace("\n", "\r\n").encode(),
        SHEET.replace("\n", "\r").encode(),
        b"\xef\xbb\xbf" + SHEET.encode(),
        b"\xef\xbb\xbf" + SHEET.replace("\n", "\r\n").encode(),
    ],
    ids=["crlf", "cr", "bom", "bom-crlf"],
)
def test_bom_and_line_endings_read_exactly_as_lf(raw):
    plain = load_text(SHEET, "f.yaml")
    other = load_text(decode(raw, "f.yaml"), "f.yaml")
    assert (other.data, other.value_pos, other.key_pos, other.lines) == (
        plain.data,
        plain.value_pos,
        plain.key_pos,
        plain.lines,
    )
    assert other.data["claims"][0]["text"] == "Several thousand soldiers."


def test_load_text_accepts_crlf_and_a_bom_itself():
    assert load_text("\ufefftitle: x\r\nas_of: 2025-01-14\r\n", "f").data == {
        "title": "x",
        "as_of": dt.date(2025, 1, 14),
    }


# -- scalars: YAML 1.2 core rules -------------------------------------------


@pytest.mark.parametrize(
    "written, value",
    [
        ("true", True),
        ("False", False),
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("~", None),
        ("null", None),
        ("", None),
        ("Null", None),
        ("11000", 11000),
        ("-5", -5),
        ("0700", 700),
        ("007", 7),
        ("1:30", "1:30"),
        ("1_000", "1_000"),
        ("0x1F", "0x1F"),
        ("0o17", "0o17"),
        ("11,000", "11,000"),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("1.1e4", 11000.0),
        (".5", 0.5),
        ("2025-01-14", dt.date(2025, 1, 14)),
        ("2025-13-45", "2025-13-45"),
        ("2025-02-30", "2025-02-30"),
        ("2025-1-5", "2025-1-5"),
        ("2025-01-14T10:00:00", "2025-01-14T10:00:00"),
        ("2025-01", "2025-01"),
        ("'123'", "123"),
        ('"true"', "true"),
        ("'2025-01-14'", "2025-01-14"),
        ("!!str 2024", "2024"),
        ("!!float 3", 3.0),
        ("!!int 12", 12),
        ("!!bool true", True),
        ("!!null ~", None),
        ("!!timestamp 2025-01-14", dt.date(2025, 1, 14)),
    ],
)
def test_plain_scalars_follow_yaml_1_2_core(written, value):
    got = load_text(f"v: {written}\n", "f").data["v"]
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize(
    "written, check",
    [
        (".inf", lambda v: v == math.inf),
        ("-.Inf", lambda v: v == -math.inf),
        (".NaN", math.isnan),
        ("1e400", lambda v: v == math.inf),
    ],
)
def test_special_floats_are_read_for_the_schema_to_refuse(written, check):
    assert check(load_text(f"v: {written}\n", "f").data["v"])


def test_keys_are_names_as_written():
    data = load_text("1: a\ntrue: b\nnull: c\n1.0: d\n'x': e\n2025-01-14: f\n", "f").data
    assert list(data) == ["1", "true", "null", "1.0", "x", "2025-01-14"]


# -- refusals ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "a: !!python/object/apply:os.system [id]\n",
            "f.yaml:1:4: the YAML tag !!python/object/apply:os.system is not allowed; tags never run code here, remove it",
        ),
        (
            "a: !!python/name:os.system\n",
            "f.yaml:1:4: the YAML tag !!python/name:os.system is not allowed; tags never run code here, remove it",
        ),
        (
            "a: !custom x\n",
            "f.yaml:1:4: the YAML tag !custom is not allowed; tags never run code here, remove it",
        ),
        (
            "a: !!set {x, y}\n",
            "f.yaml:1:4: the YAML tag !!set is not allowed; tags never run code here, remove it",
        ),
        ("!!python/str a: 1\n", "f.yaml:1:1: the YAML tag !!python/str is not allowed on a key; remove it"),
        (
            "a: !!int 2025-01-14\n",
            "f.yaml:1:4: the YAML tag !!int expects a whole number, found '2025-01-14'; remove the tag",
        ),
        (
            "a: !!bool yes\n",
            "f.yaml:1:4: the YAML tag !!bool expects true or false, found 'yes'; remove the tag",
        ),
        ("a: &x 1\nb: 2\n", "f.yaml:1:4: YAML anchors (&x) are not allowed; write the value out"),
        ("b: *x\n", "f.yaml:1:4: YAML aliases (*x) are not allowed; write the value out"),
        ("<<: {a: 1}\nb: 2\n", "f.yaml:1:1: YAML merge keys (<<) are not allowed; write the keys out"),
        ("a: 1\nb: 2\na: 3\n", "f.yaml:3:1: duplicate key 'a': first at line 1, again at line 3; keep one"),
        (
            "a: 1\n---\nb: 2\n",
            "f.yaml:2:1: the file holds more than one YAML document ('---'); keep one per file",
        ),
        ("? [a, b]\n: 1\n", "f.yaml:1:3: a mapping key must be a plain name, found a list or mapping"),
        ('"a\\nb": 1\n', "f.yaml:1:1: key 'a\\nb' holds the invisible character U+000A; delete it"),
        ("a:\n\tb: 1\n", "f.yaml:2:1: tab character in indentation; indent YAML with spaces"),
        ("", "f.yaml:1:1: file is empty: expected a mapping with title, as_of and claims"),
        ("   \n\n", "f.yaml:1:1: file is empty: expected a mapping with title, as_of and claims"),
        (
            "# only\n  # comments\n",
            "f.yaml:1:1: file is only comments: expected a mapping with title, as_of and claims",
        ),
        ("- a\n", "f.yaml:1:1: the top level must be a mapping with title, as_of and claims, found a list"),
        (
            "just text\n",
            "f.yaml:1:1: the top level must be a mapping with title, as_of and claims, found a string",
        ),
        (
            "a: b: c\n",
            "f.yaml:1:5: invalid YAML: found ': ' inside an unquoted value; put a value holding ': ' in quotes "
            "(or write it as a '>-' block), or check this line's indentation",
        ),
        (
            'a: "open\nb: 1\n',
            "f.yaml:1:4: invalid YAML: this quoted value is never closed; add the closing quote",
        ),
        (
            'a: "C:\\docs"\n',
            "f.yaml:1:7: invalid YAML: unknown backslash escape in a double-quoted value; use single "
            "quotes, or write \\\\ for a backslash",
        ),
        (
            "a: 1\n...\nb: 2\n",
            "f.yaml:3:1: invalid YAML: found more content after the end of the document ('...'); "
            "keep one document per file",
        ),
        (
            "a: \x1b[31mred\n",
            "f.yaml:1:4: a: control character U+001B at character 1 is not allowed in text; delete it",
        ),
        (
            "a: x\u2028y\n",
            "f.yaml:1:5: a: line separator U+2028 at character 2 is not allowed in text; replace it with a space",
        ),
        (
            "a: x # \x07\n",
            "f.yaml:1:8: control character U+0007 found: a YAML file holds printable text only; delete it",
        ),
        (
            "a: x # \u2028\n",
            "f.yaml:1:8: line separator U+2028 found: YAML reads it as a line break but it is invisible; "
            "replace it with a space or a normal line break",
        ),
        (
            "a: x\ufeffy\n",
            "f.yaml:1:5: a: byte-order mark U+FEFF at character 2 is not allowed in text; delete it",
        ),
        (
            "a: 1\x00\n",
            "f.yaml:1:5: NUL character found: the file is binary or UTF-16; save it as UTF-8 text",
        ),
        (
            "a: 1  # \u202e eurt\n",
            "f.yaml:1:9: bidirectional control U+202E outside any value (in a comment or between "
            "values): it makes the file display differently from what it holds; delete it",
        ),
        (
            "a: >-  # \u202e\n  text\n",
            "f.yaml:1:10: bidirectional control U+202E outside any value (in a comment or between "
            "values): it makes the file display differently from what it holds; delete it",
        ),
    ],
)
def test_refusals_are_one_exact_line(text, message):
    assert refusal(text) == message


def test_bidirectional_controls_inside_values_are_left_to_the_schema():
    assert load_text("a: x\u202ey\nb: '\u2066z'\n", "f").data == {"a": "x\u202ey", "b": "\u2066z"}


def test_limits_are_enforced_and_quoted():
    deep = "a: " + "[" * (loading.MAX_DEPTH + 5) + "]" * (loading.MAX_DEPTH + 5) + "\n"
    assert refusal(deep).endswith(f"nesting is deeper than {loading.MAX_DEPTH} levels, the limit")
    long = "a: " + "x" * (loading.MAX_STRING_CHARS + 1) + "\n"
    assert refusal(long) == (
        f"f.yaml:1:4: a value is {loading.MAX_STRING_CHARS + 1:,} characters long; "
        f"the limit is {loading.MAX_STRING_CHARS:,}"
    )
    many = "a: [" + "0," * loading.MAX_VALUES + "0]\n"
    assert refusal(many).endswith(
        f"the file holds more than {loading.MAX_VALUES:,} keys and values, the limit"
    )
    digits = loading.MAX_NUMBER_DIGITS + 1
    assert refusal(f"a: {'9' * digits}\n") == (
        f"f.yaml:1:4: a number has {digits} digits; the limit is {loading.MAX_NUMBER_DIGITS} digits"
    )
    assert load_text(f"a: '{'9' * 5000}'\n", "f").data["a"] == "9" * 5000  # quoted: text, any length


def test_alias_bomb_is_refused_at_once():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{k}: &{k} [{', '.join(['*' + p] * 9)}]\n" for p, k in zip("abcdefgh", "bcdefghi")
    )
    start = time.monotonic()
    assert refusal(bomb) == "f.yaml:1:4: YAML anchors (&a) are not allowed; write the value out"
    assert time.monotonic() - start < 1


# -- bytes and files --------------------------------------------------------


@pytest.mark.parametrize(
    "raw, message",
    [
        (
            b"\xff\xfea\x00:\x00",
            "f.yaml:1:1: file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8",
        ),
        (
            b"\xfe\xff\x00a\x00:",
            "f.yaml:1:1: file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8",
        ),
        (
            b"\xff\xfe\x00\x00a\x00\x00\x00",
            "f.yaml:1:1: file is UTF-32 (it starts with a UTF-32 byte-order mark); save it as UTF-8",
        ),
        (
            "title: x\n".encode("utf-16-le"),
            "f.yaml:1:1: file looks like UTF-16 without a byte-order mark (every other byte is 0); save it as UTF-8",
        ),
        (
            b"a: 1\nb: caf\xe9\n",
            "f.yaml:2:7: invalid UTF-8 byte 0xe9 at byte offset 11; in Windows-1252 this byte is 'é'; save the file as UTF-8",
        ),
        (
            b"\xef\xbb\xbfa: 1\r\nb: caf\xe9\r\n",
            "f.yaml:2:7: invalid UTF-8 byte 0xe9 at byte offset 15; in Windows-1252 this byte is 'é'; save the file as UTF-8",
        ),
        (
            b"a: \xc3\xa9\xc3\xa9 \x92s\n",
            "f.yaml:1:7: invalid UTF-8 byte 0x92 at byte offset 8; in Windows-1252 this byte is '’'; save the file as UTF-8",
        ),
        (b"a: \x81\n", "f.yaml:1:4: invalid UTF-8 byte 0x81 at byte offset 3; save the file as UTF-8"),
    ],
)
def test_encodings_are_recognised_and_explained(raw, message):
    assert raw_refusal(raw) == message


def test_oversize_file_is_refused_with_the_limit(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (loading.MAX_FILE_BYTES + 10))
    with pytest.raises(InputError) as err:
        load_file(path, "big.yaml")
    assert str(err.value) == (
        f"big.yaml:1:1: file is larger than {loading.MAX_FILE_BYTES:,} bytes, "
        "the limit for one YAML file; split it"
    )


def test_folders_pipes_and_missing_files_are_refused(tmp_path):
    cases = {
        "folder.yaml": "expected a YAML file, found a folder",
        "pipe.yaml": "expected a YAML file, found a device, pipe or socket",
        "missing.yaml": "cannot read file: No such file or directory",
    }
    (tmp_path / "folder.yaml").mkdir()
    os.mkfifo(tmp_path / "pipe.yaml")
    for name, message in cases.items():
        start = time.monotonic()
        with pytest.raises(InputError) as err:
            load_file(tmp_path / name, name)
        assert str(err.value) == f"{name}:1:1: {message}"
        assert time.monotonic() - start < 1  # a pipe is never waited on


def test_messages_and_file_names_are_made_printable():
    assert printable("a\nb\u202ec\x1b") == "a\\nb\\u202ec\\x1b"
    assert printable("plain “quotes” ≥ é") == "plain “quotes” ≥ é"
    doc = Located("evil\nname.yaml", {}, {(): (1, 1)})
    assert (
        str(doc.problem(("x",), "unknown key 'a\u202eb'")) == "evil\\nname.yaml:1:1: unknown key 'a\\u202eb'"
    )


_COLON = (
    "invalid YAML: found ': ' inside an unquoted value; put a value holding ': ' in quotes "
    "(or write it as a '>-' block), or check this line's indentation"
)
_UNCLOSED = "invalid YAML: this quoted value is never closed; add the closing quote"


@pytest.mark.parametrize(
    "text, expected",
    [
        # text: with its words on the next lines, one holding ": " — YAML reads it as a key and
        # fails on the line after; the fault is the ": "
        (
            "claims:\n  - id: a\n    text:\n      Officials said: that troops\n      arrived in May\n"
            "      and stayed.\n    status: reported\n",
            f"f.yaml:4:21: {_COLON}",
        ),
        (
            "claims:\n  - id: a\n    text: Officials\n      said: that troops\n      arrived.\n",
            f"f.yaml:4:11: {_COLON}",
        ),
        ("claims:\n  - id: a\n    text: The minister said: no\n", f"f.yaml:3:28: {_COLON}"),
        # a tab
        (
            "claims:\n  - id: a\n\ttext: x\n",
            "f.yaml:3:1: tab character in indentation; indent YAML with spaces",
        ),
        # an unclosed quote, whether YAML fails at the end of the file or at the next quote mark
        ('title: "T\nclaims:\n  - id: a\n', f"f.yaml:1:8: {_UNCLOSED}"),
        (
            'claims:\n  - id: a\n    text: "x\n    status: reported\n  - id: b\n    text: "y"\n',
            f"f.yaml:3:11: {_UNCLOSED}",
        ),
        ("title: 'it''s\nclaims:\n  - id: a\n", f"f.yaml:1:8: {_UNCLOSED}"),
        # a bad indent: less than the keys above, or more than a key with a value
        (
            "claims:\n  - id: a\n    text: x\n   status: reported\n",
            "f.yaml:4:4: invalid YAML: this line is indented differently from the lines above it; line up "
            "the keys of one mapping, and the '- ' of one list",
        ),
        (
            "claims:\n  - id: a\n    attribution:\n      who: X\n     role: Y\n",
            "f.yaml:5:6: invalid YAML: this line is indented differently from the keys above it; line up "
            "the keys of one mapping",
        ),
        # a missing colon: the line without it, not the next one, nor the key above it
        (
            "claims:\n  - id: a\n    attribution:\n      who: X\n      on_record false\n",
            "f.yaml:5:7: invalid YAML: expected 'key: value', found no ': ' (a missing colon, or text "
            "continuing on a line of its own)",
        ),
        (
            "claims:\n  - id: a\n    status reported\n    text: x\n",
            "f.yaml:3:5: invalid YAML: expected 'key: value', found no ': ' (a missing colon, or text "
            "continuing on a line of its own)",
        ),
    ],
)
def test_common_slips_are_reported_at_their_fault(text, expected):
    with pytest.raises(InputError) as err:
        load_text(text, "f.yaml")
    assert [str(p) for p in err.value.problems] == [expected]


def test_a_quoted_value_over_two_lines_that_closes_is_no_slip():
    text = 'title: "T\n  more"\nclaims:\n  - id: a\n    text: x\n   status: reported\n'
    with pytest.raises(InputError) as err:
        load_text(text, "f.yaml")
    assert str(err.value.problems[0]).startswith("f.yaml:6:4: invalid YAML: this line is indented")
