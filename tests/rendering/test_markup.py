"""Document markup → document model: text stays text, notes are numbered in reading order."""

from __future__ import annotations

import pytest

from factsheet.errors import TemplateError
from factsheet.rendering import markup
from factsheet.rendering.document import BulletList, Heading, NoteRef, Paragraph, Table, Text


def parse(body: str):
    return markup.parse(f'<brief title="T" date="2025-01-14">{body}</brief>', "t.xml.j2")


def test_escaped_text_comes_back_literally():
    doc = parse("<p>AT&amp;T &lt;b&gt;bold&lt;/b&gt; &lt;img src=x&gt;</p>")
    assert doc.blocks == [Paragraph((Text("AT&T <b>bold</b> <img src=x>"),))]


def test_whitespace_folds_but_non_breaking_space_stays():
    doc = parse("<p>\n  one   two\u00a0three\n  <em>four</em>  five </p>")
    assert doc.blocks[0].inlines == (Text("one two\u00a0three "), Text("four", italic=True), Text(" five"))


def test_notes_are_numbered_in_reading_order_including_table_cells():
    doc = parse(
        "<h2>A<note>n1</note></h2>"
        "<p>x<note>n2</note></p>"
        "<table><tr><th>h</th><th>i</th></tr><tr><td>c<note>n3</note></td><td>d<note>n4</note></td></tr></table>"
        "<ul><li>e<note>n5 <em>it</em></note></li></ul>"
    )
    assert [f.number for f in doc.footnotes] == [1, 2, 3, 4, 5]
    assert [f.inlines[0].text for f in doc.footnotes] == ["n1", "n2", "n3", "n4", "n5 "]
    assert doc.footnotes[4].inlines[1] == Text("it", italic=True)
    assert isinstance(doc.blocks[0], Heading) and doc.blocks[0].inlines[-1] == NoteRef(1)
    table = doc.blocks[2]
    assert isinstance(table, Table) and table.rows[0][1] == (Text("d"), NoteRef(4))
    assert isinstance(doc.blocks[3], BulletList)


def test_table_without_rows_is_left_out():
    assert parse("<table><tr><th>h</th></tr></table>").blocks == []


@pytest.mark.parametrize(
    "body, message",
    [
        ("<p>x<note>a<note>b</note></note></p>", "<note>: a note cannot hold another note"),
        ("<script>x</script>", "<script>: unknown block"),
        ("<p role='shout'>x</p>", "<p>: unknown role 'shout'"),
        (
            "<table><tr><th>a</th></tr><tr><td>1</td><td>2</td></tr></table>",
            "row has 2 cells, the header has 1",
        ),
        ("<p>unclosed", "malformed markup (mismatched tag) at output line 1, column 49"),
    ],
)
def test_bad_markup_is_a_template_error(body, message):
    with pytest.raises(TemplateError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(body)
