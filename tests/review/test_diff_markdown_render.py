"""The Markdown diff read three ways: rendered by cmark-gfm with raw HTML omitted (its default), as
GitHub shows it (raw HTML through the tag filter), and as the plain text a mail or chat client shows."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import given, settings
from hypothesis import strategies as st
from test_diff_formats import the_diff

from factsheet.review import formats
from factsheet.review.compare import Change, SheetDiff
from factsheet.review.words import only_whitespace_changed, word_diff

BLOCKS = {"h3", "h4", "p", "li"}
#: Characters no value holds, standing for the start and end of a deletion and an insertion,
#: and for the name shown for a change of spaces alone.
DEL, END_DEL, INS, END_INS, SPACE = "\ue010", "\ue011", "\ue012", "\ue013", "\ue014"


def default_html(markdown: str) -> str:
    """Return cmark-gfm's HTML at its default options: raw HTML omitted, as many renderers do."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown)


def github_html(markdown: str) -> str:
    """Return the HTML GitHub makes: raw HTML kept, then filtered by the tagfilter extension."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


class _Reader(HTMLParser):
    """Read rendered HTML back as (block tag, text), with <del> and <strong> as marks."""

    MARKS = {"del": ("\ue000", "\ue001"), "strong": ("\ue002", "\ue003"), "em": ("\ue004", "\ue005")}

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


def _html_marks(text: str) -> str:
    """Return rendered text with each struck [-…-] and bold {+…+} as the DEL…INS marks; other bold dropped."""
    text = text.replace(f"[-\ue004{formats.SPACE}\ue005-]", DEL + SPACE + END_DEL)
    text = text.replace(f"{{+\ue004{formats.SPACE}\ue005+}}", INS + SPACE + END_INS)
    text = re.sub(r"\[-( *)\ue000", DEL + r"\1", text)
    text = re.sub("\ue001( *)-\\]", r"\1" + END_DEL, text)
    text = re.sub(r"\{\+( *)\ue002", INS + r"\1", text)
    text = re.sub("\ue003( *)\\+\\}", r"\1" + END_INS, text)
    assert "\ue000" not in text and "\ue001" not in text, f"a strike outside the marks: {text!r}"
    return text.replace("\ue002", "").replace("\ue003", "").replace("\ue004", "").replace("\ue005", "")


_PLAIN_DEL = re.compile(r"\[-( *)~~(.*?)~~( *)-\]")
_PLAIN_INS = re.compile(r"\{\+( *)\*\*(.*?)\*\*( *)\+\}")


def _hide_literals(line: str, hide) -> str:
    """Return ``line`` with each code span and backslash-escaped character replaced by ``hide(its text)``."""
    out, i = [], 0
    while i < len(line):
        run = re.match(r"`+", line[i:])
        if run:
            end = line.find(run.group(), i + len(run.group()))
            body = line[i + len(run.group()) : end]
            if body.startswith(" ") and body.endswith(" ") and body.strip():
                body = body[1:-1]
            out.append(hide(body))
            i = end + len(run.group())
        elif line[i] == "\\" and i + 1 < len(line):
            out.append(hide(line[i + 1]))
            i += 2
        else:
            out.append(line[i])
            i += 1
    return "".join(out)


def _plain_marks(line: str) -> str:
    """Return one Markdown line read as plain text: the marks found, escapes and other markup taken away."""
    literal: list[str] = []

    def hide(
        text: str,
    ) -> str:  # an escaped character or a code span is text: keep it out of the markup's way
        literal.append(text)
        return f"\ue100{len(literal) - 1}\ue101"

    line = _hide_literals(line, hide)
    line = line.replace(f"[-*{formats.SPACE}*-]", DEL + SPACE + END_DEL)
    line = line.replace(f"{{+*{formats.SPACE}*+}}", INS + SPACE + END_INS)
    line = _PLAIN_DEL.sub(lambda m: DEL + "".join(m.groups()) + END_DEL, line)
    line = _PLAIN_INS.sub(lambda m: INS + "".join(m.groups()) + END_INS, line)
    line = re.sub(r"^[-#]+ ", "", line).replace("**", "").replace("*", "")
    return re.sub("\ue100([0-9]+)\ue101", lambda m: literal[int(m.group(1))], line)


def _blocks(html: str) -> list[tuple[str, str]]:
    reader = _Reader()
    reader.feed(html)
    return [(tag, _html_marks(text)) for tag, text in reader.blocks]


def _plain_blocks(markdown: str) -> list[tuple[str, str]]:
    tags = {"### ": "h3", "#### ": "h4", "- ": "li"}
    out = []
    for line in markdown.splitlines():
        if line.strip():
            tag = next((t for prefix, t in tags.items() if line.startswith(prefix)), "p")
            out.append((tag, _plain_marks(line)))
    return out


RENDERINGS = {
    "raw HTML omitted": lambda md: _blocks(default_html(md)),
    "GitHub": lambda md: _blocks(github_html(md)),
    "plain text": _plain_blocks,
}


def _readable(text: str) -> str:
    return text.replace(DEL, "[-").replace(END_DEL, "-]").replace(INS, "{+").replace(END_INS, "+}")


def read(markdown: str, how: str = "GitHub") -> list[tuple[str, str]]:
    """Return the blocks as read ``how``, deletions marked [-…-] and insertions {+…+}."""
    return [(tag, _readable(text)) for tag, text in RENDERINGS[how](markdown)]


def _read(markdown: str, how: str = "GitHub") -> list[tuple[str, str]]:
    return RENDERINGS[how](markdown)


def test_the_markdown_holds_no_raw_html():
    md = formats.markdown([the_diff()])
    assert "raw HTML omitted" not in default_html(md)
    assert default_html(md) == github_html(md)
    assert not re.search(r"(?<!\\)<", md)


@pytest.mark.parametrize("how", RENDERINGS)
def test_the_small_diff_renders_as_meant(how):
    assert read(formats.markdown([the_diff()]), how) == [
        ("h3", "new.yaml"),
        ("p", "2 claims changed, 1 added, 0 removed, 1 renamed; 1 sheet field changed · old.yaml → new.yaml"),
        ("h4", "Sheet"),
        ("li", "title: Troops {+sent +}abroad"),
        ("h4", "Changed: troops-sent"),
        ("li", "text: Seoul said [-11,000-] {+14,000+} soldiers were sent in autumn."),
        ("li", "figures.troops_sent: [-11,000 soldiers (as of 2024)-] → {+14,000 soldiers (as of 2024)+}"),
        ("h4", "Renamed: [-training-] → {+training-in-russia+}"),
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


@pytest.mark.parametrize("how", RENDERINGS)
def test_a_full_stop_cut_before_the_closing_quote_mark_is_struck_through(how):
    old, new = "troops will arrive by the end of the year.", "troops will arrive by the end of the year"
    [(_, line)] = [b for b in read(formats.markdown([_sheet_diff(_quote(old, new))]), how) if b[0] == "li"]
    assert line == "quote (src): “troops will arrive by the end of the year[-.-]”"


def _text_line(old: str, new: str, how: str) -> str:
    md = formats.markdown([_sheet_diff(Change("text", "changed", old, new, word_diff(old, new)))])
    [(_, line)] = [b for b in _read(md, how) if b[0] == "li"]
    return line


@pytest.mark.parametrize("how", RENDERINGS)
def test_punctuation_and_markdown_characters_next_to_changes_stay_text(how):
    old, new = (
        "**bold** _under_ `code` ~~strike~~ <b>x</b> a|b [link](x) #1 & 11,000.",
        "**bolder** _under_ `code` ~strike~ <i>x</i> a|c [link](y) #2 & 12,000!",
    )
    line = _text_line(old, new, how)
    assert DEL in line and INS in line
    assert _side(line, "+") == old and _side(line, "-") == new


@pytest.mark.parametrize("how", RENDERINGS)
def test_text_opening_a_bracket_after_a_deletion_makes_no_link(how):
    line = _text_line("said x (in May)", "said (in May)", how)
    assert _side(line, "+") == "said x (in May)" and _side(line, "-") == "said (in May)"


@pytest.mark.parametrize("how", RENDERINGS)
def test_a_change_of_spaces_alone_is_named(how):
    line = _text_line("x a  b", "y a b", how)
    assert f"{DEL}{SPACE}{END_DEL}" in line


def _side(line: str, drop: str) -> str:
    """Return one side of a rendered word diff: the old text (drop "+"), or the new one (drop "-")."""
    field, _, text = line.partition(": ")
    text = text.replace(
        f"{END_DEL} {INS}", END_DEL + INS
    )  # the one space put between a deletion and its insertion
    text = text.replace(SPACE, " ")
    gone = f"{DEL}(.*?){END_DEL}" if drop == "-" else f"{INS}(.*?){END_INS}"
    kept = f"{INS}(.*?){END_INS}" if drop == "-" else f"{DEL}(.*?){END_DEL}"
    text = re.sub(gone, "", text, flags=re.S)
    text = re.sub(kept, r"\1", text, flags=re.S)
    return " ".join(text.split())


@pytest.mark.parametrize("how", RENDERINGS)
@pytest.mark.parametrize(("old", "new"), [("a", "a@a@a"), ("a@a@a", "a"), ("b", "#1#2"), ("b", "x@y#3")])
def test_mentions_side_by_side_render_as_one_piece_of_text(how, old, new):
    line = _text_line(old, new, how)
    assert _side(line, "+") == old
    assert _side(line, "-") == new


TRICKY = st.lists(
    st.sampled_from(
        list("ab1,.;:!?'\"“”‘’*_~`\\<>&|[](){}#-+=@/%$ ")
        + ["www.x.org", "&amp;", "1.", "- ", "~~", "**", "\\n", "[-", "-]", "{+", "+}", "(space)"]
    ),
    min_size=1,
    max_size=20,
).map("".join)


@pytest.mark.parametrize("how", RENDERINGS)
@settings(max_examples=150, deadline=None)
@given(old=TRICKY, new=TRICKY)
def test_any_text_renders_with_its_deletions_and_insertions_exactly(how, old, new):
    if old == new or not old.strip() or not new.strip() or only_whitespace_changed(old, new):
        return
    line = _text_line(old, new, how)
    assert line.startswith("text: ")
    assert _side(line, "+") == " ".join(old.split())
    assert _side(line, "-") == " ".join(new.split())


@pytest.mark.parametrize("how", RENDERINGS)
@settings(max_examples=100, deadline=None)
@given(value=TRICKY)
def test_any_added_value_or_code_name_renders_as_itself(how, value):
    if not value.strip():
        return
    md = formats.markdown(
        [SheetDiff(value, "new.yaml", "modified", (Change("dek", "added", None, value),), ())]
    )
    blocks = read(md, how)
    assert blocks[0] == ("h3", "new.yaml")
    shown = value.replace("\n", "\\n")
    assert blocks[1][1].endswith(f" · {shown} → new.yaml")
    assert blocks[-1] == ("li", "dek added: {+" + shown + "+}")


def _many_claims(n: int) -> SheetDiff:
    from factsheet.review.compare import ClaimDiff

    changes = [Change("text", "changed", "a " * 200, "b " * 200, word_diff("a " * 200, "b " * 200))]
    claims = tuple(ClaimDiff("changed", f"claim-{i}", None, None, tuple(changes)) for i in range(n))
    return SheetDiff("old.yaml", "new.yaml", "modified", (), claims)


def test_a_diff_past_the_comment_limit_is_cut_at_a_claim_and_says_so():
    md = formats.markdown([_many_claims(400)])
    assert len(md) <= formats.COMMENT_LIMIT < 65_536
    shown = md.count("#### Changed:")
    assert 0 < shown < 400
    assert md.rstrip().endswith("Run `factsheet diff` for the whole diff.")
    assert f"{400 - shown} of 400 changed claims" in md
    assert read(md)[-2][1].startswith("text: ")  # the last claim shown is whole
    assert formats.markdown([_many_claims(3)]).count("Cut short") == 0
