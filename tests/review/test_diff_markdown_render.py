"""The Markdown diff as GitHub shows it: rendered by cmark-gfm (GitHub's renderer), then read back as text."""

from __future__ import annotations

from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options
from hypothesis import given, settings
from hypothesis import strategies as st
from test_diff_formats import the_diff

from factsheet.review import formats
from factsheet.review.compare import Change, SheetDiff
from factsheet.review.words import only_whitespace_changed, word_diff

BLOCKS = {"h3", "h4", "p", "li"}


def render(markdown: str) -> str:
    """Return the HTML GitHub makes of ``markdown``: cmark-gfm with raw HTML kept (GitHub then keeps <del>, <ins>)."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


class _Reader(HTMLParser):
    """Read rendered HTML back as (block tag, text) with deletions as [-…-] and insertions as {+…+}."""

    MARKS = {"del": ("\ue000", "\ue001"), "ins": ("\ue002", "\ue003")}  # characters no value holds

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.tag: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.tag, self.text = tag, []
        elif tag in self.MARKS:
            self.text.append(self.MARKS[tag][0])

    def handle_endtag(self, tag):
        if tag in self.MARKS:
            self.text.append(self.MARKS[tag][1])
        elif tag == self.tag:
            self.blocks.append((tag, "".join(self.text)))
            self.tag = None

    def handle_data(self, data):
        if self.tag:
            self.text.append(data)


def read(markdown: str) -> list[tuple[str, str]]:
    """Return the rendered blocks, deletions marked [-…-] and insertions {+…+}."""
    return [(tag, _readable(text)) for tag, text in _read(markdown)]


def _read(markdown: str) -> list[tuple[str, str]]:
    reader = _Reader()
    reader.feed(render(markdown))
    return reader.blocks


def _readable(text: str) -> str:
    return (
        text.replace("\ue000", "[-").replace("\ue001", "-]").replace("\ue002", "{+").replace("\ue003", "+}")
    )


def test_the_small_diff_renders_as_meant():
    assert read(formats.markdown([the_diff()])) == [
        ("h3", "new.yaml"),
        ("p", "2 claims changed, 1 added, 0 removed, 1 renamed; 1 sheet field changed · old.yaml → new.yaml"),
        ("h4", "Sheet"),
        ("li", "title: Troops {+sent +}abroad"),
        ("h4", "Changed: troops-sent"),
        ("li", "text: Seoul said [-11,000-] {+14,000+} soldiers were sent in autumn."),
        ("li", "figures.troops_sent: [-11,000 soldiers (as of 2024)-] → {+14,000 soldiers (as of 2024)+}"),
        ("h4", "Renamed: [-training-] → training-in-russia"),
        ("p", "Content unchanged."),
        ("h4", "Changed: hoax"),
        ("li", "status: [-denied-] → {+disputed+}"),
        ("li", "citation moved ([-isw-] → {+wp+}): “dismissed claims as a hoax”"),
        ("li", "contradicts: [-training-] → {+training-in-russia+}"),
        ("h4", "Added: aid"),
        ("li", "section: {+denials+}"),
        ("li", "text: {+Russia sent coal & food.+}"),
        ("li", "status: {+reported+}"),
        ("li", "attribution.who: {+Matsegora+}"),
        ("li", "attribution.on_record: {+true+}"),
        ("li", "quote sk: {+coal, food and medicine+}"),
    ]


def _sheet_diff(*changes: Change) -> SheetDiff:
    return SheetDiff("old.yaml", "new.yaml", "modified", tuple(changes), ())


def _quote(old: str, new: str) -> Change:
    return Change("citations", "changed", old, new, word_diff(old, new), "src", "src")


def test_a_full_stop_cut_before_the_closing_quote_mark_is_struck_through():
    old, new = "troops will arrive by the end of the year.", "troops will arrive by the end of the year"
    [(_, line)] = [b for b in read(formats.markdown([_sheet_diff(_quote(old, new))])) if b[0] == "li"]
    assert line == "quote (src): “troops will arrive by the end of the year[-.-]”"


def test_punctuation_and_markdown_characters_next_to_changes_stay_text():
    old, new = (
        "**bold** _under_ `code` ~~strike~~ <b>x</b> a|b [link](x) #1 & 11,000.",
        "**bolder** _under_ `code` ~strike~ <i>x</i> a|c [link](y) #2 & 12,000!",
    )
    [(_, line)] = [
        b
        for b in _read(
            formats.markdown([_sheet_diff(Change("text", "changed", old, new, word_diff(old, new)))])
        )
        if b[0] == "li"
    ]
    assert "\ue000" in line and "\ue002" in line
    assert _side(line, "+") == old and _side(line, "-") == new


def _side(line: str, drop: str) -> str:
    """Return one side of a rendered word diff: the old text (drop "+"), or the new one (drop "-")."""
    import re

    field, _, text = line.partition(": ")
    text = text.replace(
        "\ue001 \ue002", "\ue001\ue002"
    )  # the one space put between a deletion and its insertion
    gone = "\ue000(.*?)\ue001" if drop == "-" else "\ue002(.*?)\ue003"
    kept = "\ue002(.*?)\ue003" if drop == "-" else "\ue000(.*?)\ue001"
    text = re.sub(gone, "", text, flags=re.S)
    text = re.sub(kept, r"\1", text, flags=re.S)
    return " ".join(text.split())


TRICKY = st.lists(
    st.sampled_from(
        list("ab1,.;:!?'\"“”‘’*_~`\\<>&|[](){}#-+=@/%$ ")
        + ["www.x.org", "&amp;", "1.", "- ", "~~", "**", "\\n"]
    ),
    min_size=1,
    max_size=20,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(TRICKY, TRICKY)
def test_any_text_renders_with_its_deletions_and_insertions_exactly(old, new):
    if old == new or not old.strip() or not new.strip() or only_whitespace_changed(old, new):
        return
    [(_, line)] = [
        b
        for b in _read(
            formats.markdown([_sheet_diff(Change("text", "changed", old, new, word_diff(old, new)))])
        )
        if b[0] == "li"
    ]
    assert line.startswith("text: ")
    assert _side(line, "+") == " ".join(old.split())
    assert _side(line, "-") == " ".join(new.split())


@settings(max_examples=100, deadline=None)
@given(TRICKY)
def test_any_added_value_or_code_name_renders_as_itself(value):
    if not value.strip():
        return
    md = formats.markdown(
        [SheetDiff(value, "new.yaml", "modified", (Change("dek", "added", None, value),), ())]
    )
    blocks = read(md)
    assert blocks[0] == ("h3", "new.yaml")
    assert blocks[1][1].endswith(f" · {value.replace(chr(10), '|n')} → new.yaml".replace("|n", "\\n"))
    assert blocks[-1] == ("li", "dek added: {+" + value.replace("\n", "\\n") + "+}")
