"""Each output format, exactly, for one small case; the textconv view; colour rules."""

from __future__ import annotations

import io
import json

from factsheet.review import formats
from factsheet.review.command import use_color
from factsheet.review.compare import compare
from factsheet.review.load import read_side

from diffkit import SMALL, claim_index, edit


def at(claim_id, *rest):
    return ("claims", claim_index(SMALL, claim_id), *rest)


def changed_small() -> str:
    """SMALL with a figure, a text, a status, a quote's source, the title, an id and a new claim changed."""
    new = edit(SMALL, at("troops-sent", "figures", 0, "value"), 14000)
    new = edit(new, at("troops-sent", "text"), "Seoul said 14,000 soldiers were sent in autumn.")
    new = edit(new, at("hoax", "status"), "disputed")
    new = edit(new, at("hoax", "citations", 0, "source"), "wp")
    new = new.replace("title: Troops abroad", "title: Troops sent abroad")
    new = new.replace("  - id: training\n", "  - id: training-in-russia\n")
    new = new.replace("contradicts: [training]", "contradicts: [training-in-russia]")
    return new + (
        "  - id: aid\n    section: denials\n    text: Russia sent coal & food.\n    status: reported\n"
        "    attribution: {who: Matsegora, on_record: true}\n"
        '    citations:\n      - {source: sk, quote: "coal, food and medicine"}\n'
    )


def the_diff():
    old, new = read_side(SMALL, "old.yaml"), read_side(changed_small(), "new.yaml")
    assert not old.warnings and not new.warnings
    return compare(old.sheet, new.sheet, old.name, new.name)


TERMINAL = """\
diff old.yaml new.yaml
sheet
  title: Troops {+sent+} abroad
changed troops-sent
  text: Seoul said [-11,000-]{+14,000+} soldiers were sent in autumn.
  figures.troops_sent: 11,000 soldiers (as of 2024) → 14,000 soldiers (as of 2024)
renamed training → training-in-russia
changed hoax
  status: denied → disputed
  citation moved (isw → wp): “dismissed claims as a hoax”
  contradicts: training → training-in-russia
added aid
  section: denials
  text: Russia sent coal & food.
  status: reported
  attribution.who: Matsegora
  attribution.on_record: true
  quote sk: coal, food and medicine
2 claims changed, 1 added, 0 removed, 1 renamed; 1 sheet field changed
"""

MARKDOWN = """\
### `new.yaml`

2 claims changed, 1 added, 0 removed, 1 renamed; 1 sheet field changed · `old.yaml` → `new.yaml`

#### Sheet

- `title`: Troops {+**sent** +}abroad

#### Changed: `troops-sent`

- `text`: Seoul said [-~~11,000~~-] {+**14,000**+} soldiers were sent in autumn.
- `figures.troops_sent`: [-~~11,000 soldiers (as of 2024)~~-] → {+**14,000 soldiers (as of 2024)**+}

#### Renamed: [-~~`training`~~-] → {+**`training-in-russia`**+}

Content unchanged.

#### Changed: `hoax`

- `status`: [-~~denied~~-] → {+**disputed**+}
- **citation moved** ([-~~`isw`~~-] → {+**`wp`**+}): “dismissed claims as a hoax”
- `contradicts`: [-~~training~~-] → {+**training-in-russia**+}

#### Added: `aid`

- `section`: {+**denials**+}
- `text`: {+**Russia sent coal \\& food.**+}
- `status`: {+**reported**+}
- `attribution.who`: {+**Matsegora**+}
- `attribution.on_record`: {+**true**+}
- `quote sk`: {+**coal, food and medicine**+}
"""


def test_terminal_plain_exactly():
    assert formats.terminal([the_diff()]) == TERMINAL


def test_terminal_colour_keeps_the_marks_so_stripped_colour_reads_as_plain():
    out = formats.terminal([the_diff()], color=True)
    assert "\x1b[1mdiff old.yaml new.yaml\x1b[0m\n" in out
    assert (
        "  text: Seoul said \x1b[31m[-11,000-]\x1b[0m\x1b[32m{+14,000+}\x1b[0m soldiers were sent in autumn.\n"
        in out
    )
    assert "\x1b[1;33mchanged\x1b[0m \x1b[1mhoax\x1b[0m\n" in out
    plain = __import__("re").sub(r"\x1b\[[0-9;]*m", "", out)
    assert "11,00014,000" not in plain
    assert plain == TERMINAL  # colour lost (a log file, a paste): exactly the plain text


def test_markdown_exactly():
    assert formats.markdown([the_diff()]) == MARKDOWN


def test_json_structure_exactly():
    data = json.loads(formats.json_text([the_diff()]))
    assert data["format"] == "factsheet-diff" and data["version"] == 1 and data["changed"] is True
    (f,) = data["files"]
    assert {k: f[k] for k in ("old", "new", "status", "changed", "counts")} == {
        "old": "old.yaml",
        "new": "new.yaml",
        "status": "modified",
        "changed": True,
        "counts": {"added": 1, "removed": 0, "changed": 2, "renamed": 1, "sheet": 1},
    }
    assert f["sheet"] == [
        {
            "field": "title",
            "change": "changed",
            "old": "Troops abroad",
            "new": "Troops sent abroad",
            "words": [
                {"op": "=", "text": "Troops "},
                {"op": "+", "text": "sent "},
                {"op": "=", "text": "abroad"},
            ],
        }
    ]
    troops, renamed, hoax, aid = f["claims"]
    assert troops["changes"][1] == {
        "field": "figures.troops_sent",
        "change": "changed",
        "old": "11,000 soldiers (as of 2024)",
        "new": "14,000 soldiers (as of 2024)",
    }
    assert renamed == {"id": "training-in-russia", "old_id": "training", "change": "renamed", "changes": []}
    assert hoax == {
        "id": "hoax",
        "old_id": "hoax",
        "change": "changed",
        "changes": [
            {"field": "status", "change": "changed", "old": "denied", "new": "disputed"},
            {
                "field": "citations",
                "change": "moved",
                "old": "dismissed claims as a hoax",
                "new": "dismissed claims as a hoax",
                "old_source": "isw",
                "new_source": "wp",
            },
            {"field": "contradicts", "change": "changed", "old": "training", "new": "training-in-russia"},
        ],
    }
    assert aid == {
        "id": "aid",
        "old_id": None,
        "change": "added",
        "claim": {
            "id": "aid",
            "section": "denials",
            "text": "Russia sent coal & food.",
            "status": "reported",
            "attribution": {"who": "Matsegora", "role": None, "organisation": None, "on_record": True},
            "said_on": None,
            "happened_on": None,
            "figures": [],
            "citations": [{"source": "sk", "quote": "coal, food and medicine"}],
            "note": None,
            "contradicts": [],
            "disputes": [],
            "denies": [],
            "disputes_own_claim": False,
            "updates": [],
            "publish": False,
            "short": None,
        },
    }


def test_json_is_stable_text():
    assert formats.json_text([the_diff()]) == formats.json_text([the_diff()])
    assert formats.json_text([]) == (
        '{\n  "format": "factsheet-diff",\n  "version": 1,\n  "changed": false,\n  "files": []\n}\n'
    )


def test_no_changes_in_each_format():
    same = compare(read_side(SMALL, "a").sheet, read_side(SMALL, "b").sheet, "a", "b")
    assert formats.terminal([same]) == ""
    assert formats.markdown([same]) == "No claim-level changes.\n"
    assert json.loads(formats.json_text([same]))["files"][0]["changed"] is False


TEXTCONV = """\
sheet
  title: Troops abroad
  dek: What was said about the troops.
  as_of: 2025-02-28
  language: en
  author: Desk
  sections: numbers, denials
  sections.numbers: How many
  sections.denials: Denials

claim hoax
  section: denials
  text: The Kremlin called the reports a hoax.
  status: denied
  attribution.who: Dmitry Peskov
  attribution.role: Kremlin spokesman
  attribution.on_record: true
  quote isw: dismissed claims as a hoax
  contradicts: training

claim training
  section: numbers
  text: Several thousand infantry were training in Russia.
  status: reported
  attribution.who: Unnamed official
  attribution.role: intelligence official
  attribution.on_record: false
  quote isw: 'several thousand' North Korean infantry personnel
  quote wp: several thousand North Korean infantry are being trained

claim troops-sent
  section: numbers
  text: Seoul said 11,000 soldiers were sent in autumn.
  status: reported
  attribution.who: South Korean intelligence
  attribution.organisation: NIS
  attribution.on_record: true
  said_on: 2025
  figures.troops_sent: 11,000 soldiers (as of 2024)
  quote skorea: on top of the 11,000 soldiers reported by Seoul
"""


def test_textconv_exactly_and_independent_of_order():
    assert formats.textconv(read_side(SMALL, "x").sheet) == TEXTCONV
    lines = SMALL.split("\n")
    first, second = lines.index("  - id: troops-sent"), lines.index("  - id: hoax")
    moved = "\n".join(lines[:first] + lines[second:-1] + lines[first:second] + [""])
    assert formats.textconv(read_side(moved, "x").sheet) == TEXTCONV


def test_textconv_keeps_a_multi_line_value_on_one_line():
    text = SMALL.replace(
        "    text: The Kremlin called the reports a hoax.\n",
        "    text: |\n      The Kremlin called\n      the reports a hoax.\n",
    )
    assert "  text: The Kremlin called\\nthe reports a hoax.\\n\n" in formats.textconv(
        read_side(text, "x").sheet
    )


class _Stream(io.StringIO):
    def __init__(self, tty):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty


def test_colour_rules():
    assert use_color("auto", _Stream(True)) is True
    assert use_color("auto", _Stream(False)) is False
    assert use_color("auto", _Stream(True), no_color=True) is False
    assert use_color("auto", _Stream(True), dumb_terminal=True) is False
    assert use_color("always", _Stream(False), no_color=True) is True
    assert use_color("never", _Stream(True)) is False
