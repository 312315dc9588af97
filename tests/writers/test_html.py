"""The HTML writer: semantic, escaped, self-contained pages with notes linked both ways."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from factsheet.rendering.document import (
    BulletList,
    Chart,
    Document,
    Footnote,
    Heading,
    NoteRef,
    Paragraph,
    Series,
    Table,
    Text,
)
from factsheet.writers.html import write_html
from factsheet.writers.html.page import script_json

from html_support import STEM, build_fact_box


class _Elements(HTMLParser):
    """Collect (tag, attributes) of every start tag, and the text of <script> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def parse(html: str) -> _Elements:
    p = _Elements()
    p.feed(html)
    return p


def sample() -> Document:
    notes = [Footnote(1, (Text("First note."),)), Footnote(2, (Text("Second "), Text("note", italic=True)))]
    return Document(
        title="A brief",
        subject="What it is about",
        author="Desk",
        language="en",
        footer="A brief · 2025",
        blocks=[
            Heading(1, (Text("A brief"),)),
            Paragraph((Text("Lead."), NoteRef(1)), role="lead"),
            Heading(2, (Text("Section"),)),
            Paragraph((Text("Uses note one again"), NoteRef(1), Text(" and two"), NoteRef(2))),
            Paragraph((Text("Цитата", italic=True),)),
            BulletList(((Text("item"),),)),
            Table(((Text("Who"),), (Text("What"),)), (((Text("A"),), (Text("line one\nline two"),)),)),
            Chart(
                "Counts",
                (Text("Caption"),),
                "A text alternative.",
                "people",
                (Series("Counted", ((19000.0, 10.0), (19100.0, 20.0)), ("10", "20")),),
                ((19000.0, "2022"),),
            ),
        ],
        footnotes=notes,
    )


def test_page_is_semantic_and_self_contained():
    html = write_html(sample()).decode("utf-8")
    tags = parse(html).elements
    names = [t for t, _ in tags]
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert names.count("h1") == 1 and "main" in names and "article" in names
    assert [a.get("scope") for t, a in tags if t == "th"] == ["col", "col"]
    assert "thead" in names and "tbody" in names
    # nothing is fetched: no external style sheet, script, image or font, and a policy that forbids them
    assert not [a for t, a in tags if t in ("link", "img", "iframe") or (t == "script" and "src" in a)]
    assert "default-src 'none'" in html
    # the chart is inline SVG named by its title and described by its text alternative
    svg = next(a for t, a in tags if t == "svg")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"], svg["aria-describedby"]  # the name apart from the description
    assert f'<title id="{title_id}">' in html
    assert f'<desc id="{desc_id}">A text alternative.</desc>' in html
    assert "line one<br>line two" in html


def test_every_note_reference_and_note_link_both_ways():
    html = write_html(sample()).decode("utf-8")
    tags = parse(html).elements
    refs = [a for t, a in tags if t == "a" and a.get("role") == "doc-noteref"]
    backs = [a for t, a in tags if t == "a" and a.get("role") == "doc-backlink"]
    ids = {a["id"] for _, a in tags if "id" in a}
    assert [r["href"] for r in refs] == ["#note-1", "#note-1", "#note-2"]
    assert len({r["id"] for r in refs}) == 3  # a note cited twice has two distinct references
    assert all(r["href"][1:] in ids for r in refs)
    assert sorted(b["href"][1:] for b in backs) == sorted(r["id"] for r in refs)
    assert any(t == "section" and a.get("role") == "doc-endnotes" for t, a in tags)
    assert [a["value"] for t, a in tags if t == "li" and a.get("id", "").startswith("note-")] == ["1", "2"]
    assert len(ids) == sum(1 for _, a in tags if "id" in a)  # ids are unique


def test_text_is_escaped_never_markup():
    hostile = '</p><script>alert(1)</script> & <b>x</b> "q" </style></script>'
    doc = Document(
        title=hostile,
        subject=hostile,
        author=hostile,
        footer=hostile,
        blocks=[Heading(1, (Text(hostile),)), Paragraph((Text(hostile),))],
        linked_data=[{"claimReviewed": hostile}],
    )
    html = write_html(doc).decode("utf-8")
    parsed = parse(html)
    assert [t for t, _ in parsed.elements].count("script") == 1  # only the JSON-LD block
    assert "&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;" in html
    assert not any(t == "b" for t, _ in parsed.elements)
    data = json.loads("".join(parsed.scripts))
    assert data == [{"claimReviewed": hostile}]
    assert "</" not in "".join(parsed.scripts)


def test_script_json_cannot_close_its_element():
    assert "<" not in script_json({"a": "</script><!--"}) and ">" not in script_json({"a": "-->"})


def test_language_of_a_quote_is_marked():
    marked = Document(title="t", language="en", blocks=[Paragraph((Text("Слава", lang="uk"),))])
    assert '<span lang="uk">Слава</span>' in write_html(marked).decode("utf-8")
    unmarked = Document(title="t", language="en", blocks=[Paragraph((Text("Слава"),))])
    assert 'lang="uk"' not in write_html(unmarked).decode("utf-8")


def test_same_document_same_bytes():
    assert write_html(sample()) == write_html(sample())


def test_build_writes_fact_box_with_claimreview_and_csl(tmp_path):
    out = build_fact_box(tmp_path)
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"{STEM}.claimreview.json", f"{STEM}.csl.json", f"{STEM}.html"]
    html = (out / f"{STEM}.html").read_text(encoding="utf-8")
    parsed = parse(html)
    # the claim that looks like markup is shown literally
    assert "&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # two data blocks, which no browser runs: the ClaimReview JSON-LD and the provenance record
    types = [dict(a).get("type") for t, a in parsed.elements if t == "script"]
    assert types == ["application/ld+json", "application/json"]
    embedded = json.loads(parsed.scripts[0])
    assert json.loads(parsed.scripts[1])["format"] == "factsheet-provenance/1"
    written = json.loads((out / f"{STEM}.claimreview.json").read_text(encoding="utf-8"))
    assert embedded == written and len(written) == 3
    # the same note numbers as the other writers: one note per citation, in reading order
    numbers = [int(n) for n in re.findall(r'role="doc-noteref" aria-label="Note (\d+)"', html)]
    assert numbers and numbers[0] == 1


def test_build_is_reproducible(tmp_path):
    first = build_fact_box(tmp_path / "a")
    second = build_fact_box(tmp_path / "b")
    for name in (f"{STEM}.html", f"{STEM}.claimreview.json", f"{STEM}.csl.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
