"""Comparing two documents of the model (factsheet.review.docdiff) and writing the change marks (DOCX)."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from lxml import etree
from test_redline import NS, _parts, revisions, views, w

from factsheet.errors import RenderError
from factsheet.rendering import document as m
from factsheet.rendering.validate import check_notes
from factsheet.review.docdiff import count_changes, redline, similarity
from factsheet.writers.docx import write_docx

from conftest import import_or_skip
from pdftext import pdf_text

T = m.Text


def doc(*blocks, notes=()) -> m.Document:
    return m.Document(
        title="Brief",
        blocks=list(blocks),
        date="2025-02-28",
        footnotes=[m.Footnote(i, tuple(n)) for i, n in enumerate(notes, start=1)],
    )


def red(old: m.Document, new: m.Document, **kw) -> m.Document:
    result = redline(old, new, "Desk", "2025-02-28", **kw)
    check_notes(result)
    return result


def marks(inlines) -> list[tuple[str, str]]:
    """Return (change, text) of each inline; a note reference as "^n"."""
    return [(i.change, i.text if isinstance(i, m.Text) else f"^{i.number}") for i in inlines]


def both_ways(old: m.Document, new: m.Document, **kw) -> bytes:
    """Write the redline; check that accepting gives ``new`` and rejecting gives ``old``."""
    data = write_docx(red(old, new, **kw))
    assert views(data, "ins") == views(write_docx(new))
    assert views(data, "del") == views(write_docx(old))
    return data


# -- inline changes ------------------------------------------------------------------


def test_a_changed_word_is_deleted_and_inserted_in_place():
    old = doc(m.Paragraph((T("Seoul said 11,000 soldiers were sent."),)))
    new = doc(m.Paragraph((T("Seoul said 14,000 soldiers were sent."),)))
    (p,) = red(old, new).blocks
    assert p.change == ""
    assert marks(p.inlines) == [
        ("", "Seoul said "),
        ("del", "11,000"),
        ("ins", "14,000"),
        ("", " soldiers were sent."),
    ]
    both_ways(old, new)


def test_neighbouring_changes_are_read_as_one():
    old = doc(m.Paragraph((T("one two three four"),)))
    new = doc(m.Paragraph((T("one 2 3 four"),)))
    (p,) = red(old, new).blocks
    assert marks(p.inlines) == [("", "one "), ("del", "two three"), ("ins", "2 3"), ("", " four")]


def test_formatting_is_kept_on_marked_text():
    old = doc(m.Paragraph((T("Denied: ", bold=True), T("The Kremlin said so."))))
    new = doc(m.Paragraph((T("Disputed: ", bold=True), T("The Kremlin said so."))))
    (p,) = red(old, new).blocks
    assert [(i.change, i.text, i.bold) for i in p.inlines] == [
        ("del", "Denied", True),
        ("ins", "Disputed", True),
        ("", ": ", True),
        ("", "The Kremlin said so.", False),
    ]
    both_ways(old, new)


def test_a_formatting_change_is_a_deletion_and_an_insertion():
    old = doc(m.Paragraph((T("a "), T("word"), T(" here"))))
    new = doc(m.Paragraph((T("a "), T("word", italic=True), T(" here"))))
    (p,) = red(old, new).blocks
    assert [(i.change, i.text, i.italic) for i in p.inlines] == [
        ("", "a ", False),
        ("del", "word", False),
        ("ins", "word", True),
        ("", " here", False),
    ]


# -- blocks ------------------------------------------------------------------------


def test_unpaired_blocks_are_wholly_deleted_or_inserted_deletions_first():
    old = doc(m.Heading(1, (T("Title"),)), m.Paragraph((T("Gone for good."),)), m.Paragraph((T("Kept."),)))
    new = doc(
        m.Heading(1, (T("Title"),)),
        m.Paragraph((T("Something else entirely, and new."),)),
        m.Paragraph((T("Kept."),)),
    )
    blocks = red(old, new).blocks
    assert [(type(b).__name__, b.change) for b in blocks] == [
        ("Heading", ""),
        ("Paragraph", "del"),
        ("Paragraph", "ins"),
        ("Paragraph", ""),
    ]
    assert marks(blocks[1].inlines) == [("del", "Gone for good.")]
    assert marks(blocks[2].inlines) == [("ins", "Something else entirely, and new.")]
    data = both_ways(old, new)
    document, _ = _parts(data)
    first = document.find("w:body/w:p[2]/w:pPr/w:rPr", NS)[0]
    assert first.tag == w("del")  # the paragraph mark, first in w:rPr


def test_similar_paragraphs_pair_and_other_kinds_do_not():
    old = doc(m.Heading(2, (T("How many troops"),)), m.Paragraph((T("How many troops"),), role="note"))
    new = doc(
        m.Heading(3, (T("How many troops"),)), m.Paragraph((T("How many troops were sent"),), role="note")
    )
    blocks = red(old, new).blocks
    assert [(type(b).__name__, b.change) for b in blocks] == [
        ("Heading", "del"),
        ("Heading", "ins"),
        ("Paragraph", ""),
    ]
    assert marks(blocks[2].inlines) == [("", "How many troops"), ("ins", " were sent")]
    both_ways(old, new)


def test_moved_paragraph_is_deleted_and_inserted():
    a, b, c = (m.Paragraph((T(t),)) for t in ("Alpha one.", "Beta two.", "Gamma three."))
    old, new = doc(a, b, c), doc(b, c, a)
    blocks = red(old, new).blocks
    assert [(b.change, m.plain_text(b.inlines)) for b in blocks] == [
        ("del", "Alpha one."),
        ("", "Beta two."),
        ("", "Gamma three."),
        ("ins", "Alpha one."),
    ]
    both_ways(old, new)


def test_list_items_are_aligned_inside_the_list():
    old = doc(m.BulletList(((T("first item"),), (T("second item here"),), (T("third item"),))))
    new = doc(m.BulletList(((T("first item"),), (T("second item there"),), (T("new fourth"),))))
    (lst,) = red(old, new).blocks
    assert lst.item_changes == ("", "", "del", "ins")
    assert marks(lst.items[1]) == [("", "second item "), ("del", "here"), ("ins", "there")]
    both_ways(old, new)


HEADER = ((T("Figure"),), (T("Value"),))


def test_table_rows_are_aligned_inside_a_table_with_the_same_header():
    old = doc(
        m.Table(
            HEADER,
            (((T("Troops sent"),), (T("11,000 soldiers"),)), ((T("Troops killed"),), (T("400"),))),
            (2, 1),
        )
    )
    new = doc(
        m.Table(
            HEADER, (((T("Troops sent"),), (T("14,000 soldiers"),)), ((T("Missiles"),), (T("many"),))), (3, 1)
        )
    )
    (table,) = red(old, new).blocks
    assert table.change == "" and table.widths == (3, 1)
    assert table.row_changes == ("", "del", "ins")
    assert marks(table.rows[0][1]) == [("del", "11,000"), ("ins", "14,000"), ("", " soldiers")]
    data = both_ways(old, new)
    document, _ = _parts(data)
    deleted_row = document.findall(".//w:tr", NS)[2]
    assert [etree.QName(c).localname for c in deleted_row.find("w:trPr", NS)] == ["cantSplit", "del"]


def test_a_table_with_another_header_is_replaced():
    old = doc(m.Table(HEADER, (((T("a"),), (T("b"),)),)))
    new = doc(m.Table(((T("Figure"),), (T("Number"),)), (((T("a"),), (T("b"),)),)))
    blocks = red(old, new).blocks
    assert [(type(b).__name__, b.change) for b in blocks] == [("Table", "del"), ("Table", "ins")]
    data = both_ways(old, new)
    document, _ = _parts(data)
    rows = document.findall(".//w:tr", NS)
    assert [r.find("w:trPr/w:del", NS) is not None for r in rows] == [True, True, False, False]
    header = rows[0].find("w:trPr", NS)
    assert [etree.QName(c).localname for c in header] == ["cantSplit", "tblHeader", "del"]


def chart(label: str, value: float) -> m.Chart:
    return m.Chart(
        "Troops",
        (T("Figures over time."),),
        f"Chart: {label}",
        "soldiers",
        (m.Series("NIS", ((1.0, value),)),),
    )


def test_a_changed_chart_is_replaced_and_an_unchanged_one_kept():
    blocks = red(doc(chart("11,000", 11000)), doc(chart("14,000", 14000))).blocks
    assert [(type(b).__name__, b.change) for b in blocks] == [("Chart", "del"), ("Chart", "ins")]
    assert blocks[0].series[0].points == ((1.0, 11000),)
    both_ways(doc(chart("11,000", 11000)), doc(chart("14,000", 14000)))
    (same,) = red(doc(chart("a", 1)), doc(chart("a", 1))).blocks
    assert same.change == ""


# -- notes ---------------------------------------------------------------------------


def test_notes_follow_their_references():
    old = doc(
        m.Paragraph((T("Troops were sent to Russia"), m.NoteRef(1), T(" and trained there."), m.NoteRef(2))),
        notes=[(T("Source A."),), (T("Source B."),)],
    )
    new = doc(
        m.Paragraph((T("Troops were sent to Russia"), m.NoteRef(1), m.NoteRef(2), T(" and trained there."))),
        notes=[(T("Source C."),), (T("Source A."),)],
    )
    result = red(old, new)
    (p,) = result.blocks
    assert marks(p.inlines) == [
        ("", "Troops were sent to Russia"),
        ("ins", "^1"),
        ("", "^2"),
        ("", " and trained there."),
        ("del", "^3"),
    ]
    assert [marks(n.inlines) for n in result.footnotes] == [
        [("ins", "Source C.")],
        [("", "Source A.")],
        [("del", "Source B.")],
    ]
    both_ways(old, new)


def test_a_changed_note_replaces_its_reference_by_default():
    old = doc(m.Paragraph((T("Said so."), m.NoteRef(1))), notes=[(T("Quoted: “some officers are there”"),)])
    new = doc(
        m.Paragraph((T("Said so."), m.NoteRef(1))),
        notes=[(T("Quoted: “some officers are reportedly there”"),)],
    )
    result = red(old, new)
    (p,) = result.blocks
    assert marks(p.inlines) == [("", "Said so."), ("del", "^1"), ("ins", "^2")]
    assert [marks(n.inlines) for n in result.footnotes] == [
        [("del", "Quoted: “some officers are there”")],
        [("ins", "Quoted: “some officers are reportedly there”")],
    ]
    data = both_ways(old, new)
    document, _ = _parts(data)
    assert document.find(".//w:del/w:r/w:footnoteReference", NS) is not None
    assert document.find(".//w:ins/w:r/w:footnoteReference", NS) is not None


def test_a_changed_note_can_be_marked_inside_the_note():
    old = doc(m.Paragraph((T("Said so."), m.NoteRef(1))), notes=[(T("Quoted: “some officers are there”"),)])
    new = doc(
        m.Paragraph((T("Said so."), m.NoteRef(1))),
        notes=[(T("Quoted: “some officers are reportedly there”"),)],
    )
    result = red(old, new, notes="inline")
    (p,) = result.blocks
    assert marks(p.inlines) == [("", "Said so."), ("", "^1")]
    assert marks(result.footnotes[0].inlines) == [
        ("", "Quoted: “some officers are "),
        ("ins", "reportedly "),
        ("", "there”"),
    ]
    both_ways(old, new, notes="inline")
    with pytest.raises(ValueError):
        redline(old, new, "Desk", notes="sideways")


def test_note_numbers_stay_in_reading_order_across_blocks_and_tables():
    old = doc(
        m.Paragraph((T("One"), m.NoteRef(1))),
        m.Table(HEADER, (((T("a"),), (T("b"), m.NoteRef(2))),)),
        m.Paragraph((T("Three"), m.NoteRef(3))),
        notes=[(T("n1"),), (T("n2"),), (T("n3"),)],
    )
    new = doc(
        m.Paragraph((T("New first"), m.NoteRef(1))),
        m.Paragraph((T("One"), m.NoteRef(2))),
        m.Table(HEADER, (((T("a"),), (T("b"), m.NoteRef(3), m.NoteRef(4))),)),
        m.Paragraph((T("Three"),)),
        notes=[(T("n0"),), (T("n1"),), (T("n2"),), (T("n2b"),)],
    )
    result = red(old, new)
    assert [m.plain_text(n.inlines) for n in result.footnotes] == ["n0", "n1", "n2", "n2b", "n3"]
    both_ways(old, new)


def test_reference_commas_follow_the_references_that_remain():
    # "1,2,3" where 2 is deleted: accepted "1,3", rejected "1,2,3"
    old = doc(
        m.Paragraph((T("x"), m.NoteRef(1), m.NoteRef(2), m.NoteRef(3))),
        notes=[(T("alpha"),), (T("beta"),), (T("gamma"),)],
    )
    new = doc(m.Paragraph((T("x"), m.NoteRef(1), m.NoteRef(2))), notes=[(T("alpha"),), (T("gamma"),)])
    data = both_ways(old, new)
    assert views(data, "ins")[0] == ["x^,^"] and views(data, "del")[0] == ["x^,^,^"]
    # the first one deleted: its comma goes with it
    new = doc(m.Paragraph((T("x"), m.NoteRef(1), m.NoteRef(2))), notes=[(T("beta"),), (T("gamma"),)])
    both_ways(old, new)
    # text inserted between two references: the comma is there only without it
    old = doc(m.Paragraph((T("x"), m.NoteRef(1), m.NoteRef(2))), notes=[(T("alpha"),), (T("beta"),)])
    new = doc(
        m.Paragraph((T("x"), m.NoteRef(1), T(" and y"), m.NoteRef(2))), notes=[(T("alpha"),), (T("beta"),)]
    )
    data = both_ways(old, new)
    assert views(data, "ins")[0] == ["x^ and y^"] and views(data, "del")[0] == ["x^,^"]


# -- the whole document ----------------------------------------------------------------


def test_identical_documents_give_the_new_document_unmarked():
    new = doc(
        m.Heading(1, (T("Title"),)),
        m.Paragraph((T("Text"), m.NoteRef(1))),
        m.BulletList(((T("item"),),)),
        m.Table(HEADER, (((T("a"),), (T("b"),)),)),
        chart("x", 1),
        notes=[(T("Note."),)],
    )
    result = red(new, new)
    assert result.blocks == new.blocks and result.footnotes == new.footnotes
    assert count_changes(result) == (0, 0)
    assert result.revision_author == "Desk" and result.title == "Brief"


def test_similarity():
    assert similarity("a b c d", "a b c d") == 1.0
    assert similarity("", "") == 1.0
    assert similarity("Seoul said 11,000", "Seoul said 14,000") == pytest.approx(2 / 3)
    assert similarity("one two", "three four") < 0.5


# -- writing the marks -------------------------------------------------------------------


def test_marks_need_a_revision_author_and_known_values():
    marked = doc(m.Paragraph((T("new", change="ins"),)))
    with pytest.raises(RenderError, match="no revision author"):
        write_docx(marked)
    with pytest.raises(RenderError, match="change mark 'moved'"):
        write_docx(doc(m.Paragraph((T("x", change="moved"),))))
    with pytest.raises(RenderError, match="not an ISO date"):
        marked.revision_author, marked.revision_date = "Desk", "yesterday"
        write_docx(marked)


def test_plain_documents_do_not_track_changes():
    data = write_docx(doc(m.Paragraph((T("Plain."),))))
    settings = zipfile.ZipFile(io.BytesIO(data)).read("word/settings.xml")
    assert b"trackRevisions" not in settings and revisions(data) == []


def test_revision_date_defaults_to_the_document_date():
    d = doc(m.Paragraph((T("new", change="ins"),)))
    d.revision_author = "Desk"
    (mark,) = revisions(write_docx(d))
    assert mark.get(w("date")) == "2025-02-28T00:00:00Z" and mark.get(w("author")) == "Desk"


def every_mark() -> m.Document:
    d = doc(
        m.Heading(1, (T("Title "), T("old", change="del"), T("new", change="ins"))),
        m.Paragraph((T("gone", change="del"), m.NoteRef(1)), change="del"),
        m.Paragraph((T("here"), m.NoteRef(2, change="ins"), m.NoteRef(3))),
        m.BulletList(((T("a"),), (T("b"),)), item_changes=("", "ins")),
        m.Table(HEADER, (((T("a"),), (T("b"),)), ((T("c"),), (T("d"),))), row_changes=("del", "")),
        chart("x", 1),
        m.Table(HEADER, (((T("e"),), (T("f"),)),), change="ins"),
        notes=[
            (T("old note", change="del"),),
            (T("new note", change="ins"),),
            (T("kept "), T("word", change="ins")),
        ],
    )
    d.revision_author, d.revision_date = "Desk", "2025-02-28T10:30:00+01:00"
    return d


def test_every_kind_of_mark_is_written_in_schema_order(tmp_path):
    data = write_docx(every_mark())
    marks_ = revisions(data)
    assert {m_.get(w("date")) for m_ in marks_} == {"2025-02-28T09:30:00Z"}
    ids = sorted(int(m_.get(w("id"))) for m_ in marks_)
    assert ids == list(range(1, len(ids) + 1))
    audit = import_or_skip("openxml_audit", "openxml-audit is not installed")
    path = tmp_path / "marks.docx"
    path.write_bytes(data)
    result = audit.OpenXmlValidator(max_errors=20).validate(str(path))
    assert result.is_valid, [str(e) for e in result.errors]


def test_the_pdf_writer_draws_marked_text():
    from factsheet.writers.pdf import write_pdf

    drawn = pdf_text(write_pdf(every_mark()))
    # a writer without change marks draws every piece of text, deleted and inserted alike
    for text in ("Title", "old", "new", "gone", "here", "old note", "new note", "kept word"):
        assert text in drawn, text


# -- many random edits ---------------------------------------------------------------------

WORDS = "troops sent soldiers Seoul Kyiv Moscow said reported several thousand 11,000 14,000 officers".split()


class _Gen:
    """Random document specs, and edits of them; a spec is plain lists, turned into a Document."""

    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def inline(self, n=None):
        r = self.r
        out = []
        for _ in range(n or r.randint(1, 6)):
            if r.random() < 0.15:
                out.append(["n", [r.choice(WORDS) for _ in range(r.randint(1, 4))]])
            else:
                out.append(["w", r.choice(WORDS), r.random() < 0.1, r.random() < 0.1])
        return out

    def block(self):
        r = self.r
        kind = r.choice("hppplt")
        if kind == "h":
            return ["h", r.randint(2, 3), self.inline(2)]
        if kind == "p":
            return ["p", r.choice(["", "", "note"]), self.inline()]
        if kind == "l":
            return ["l", [self.inline(3) for _ in range(r.randint(1, 3))]]
        return ["t", r.randint(0, 1), [[self.inline(2), self.inline(2)] for _ in range(r.randint(1, 4))]]

    def spec(self):
        return [self.block() for _ in range(self.r.randint(1, 7))]

    def edit_inline(self, inl):
        r = self.r
        inl = [list(x) for x in inl]
        for _ in range(r.randint(1, 2)):
            i = r.randrange(len(inl)) if inl else 0
            roll = r.random()
            if roll < 0.3 and inl:
                del inl[i]
            elif roll < 0.6:
                inl.insert(i, self.inline(1)[0])
            elif inl and inl[i][0] == "n":
                inl[i] = ["n", inl[i][1] + [r.choice(WORDS)]]
            elif inl:
                inl[i][1] = r.choice(WORDS)
        return inl or self.inline(1)

    def edit(self, spec):
        r = self.r
        spec = [list(b) for b in spec]
        for _ in range(r.randint(1, 3)):
            i = r.randrange(len(spec))
            roll = r.random()
            if roll < 0.15 and len(spec) > 1:
                del spec[i]
            elif roll < 0.3:
                spec.insert(i, self.block())
            elif spec[i][0] in "hp":
                spec[i][2] = self.edit_inline(spec[i][2])
            elif spec[i][0] == "l":
                items = list(spec[i][1])
                j = r.randrange(len(items))
                if r.random() < 0.3 and len(items) > 1:
                    del items[j]
                else:
                    items[j] = self.edit_inline(items[j])
                spec[i][1] = items
            else:
                rows = [list(row) for row in spec[i][2]]
                j = r.randrange(len(rows))
                if r.random() < 0.3 and len(rows) > 1:
                    del rows[j]
                elif r.random() < 0.3:
                    rows.insert(j, [self.inline(2), self.inline(2)])
                else:
                    rows[j][r.randrange(2)] = self.edit_inline(rows[j][0])
                spec[i][2] = rows
        return spec


def build_spec(spec) -> m.Document:
    notes: list[m.Footnote] = []

    def inl(items):
        out = []
        for item in items:
            if item[0] == "n":
                notes.append(m.Footnote(len(notes) + 1, (T(" ".join(item[1])),)))
                out.append(m.NoteRef(len(notes)))
            else:
                out.append(T(item[1] + " ", item[2], item[3]))
        return tuple(out)

    blocks = []
    headers = (HEADER, ((T("Who"),), (T("What"),)))
    for b in spec:
        if b[0] == "h":
            blocks.append(m.Heading(b[1], inl(b[2])))
        elif b[0] == "p":
            blocks.append(m.Paragraph(inl(b[2]), b[1]))
        elif b[0] == "l":
            blocks.append(m.BulletList(tuple(inl(i) for i in b[1])))
        else:
            blocks.append(m.Table(headers[b[1]], tuple(tuple(inl(c) for c in row) for row in b[2])))
    return m.Document(title="Random", blocks=blocks, footnotes=notes, date="2025-01-01")


@pytest.mark.parametrize("seed", range(40))
def test_random_edits_accept_to_the_new_and_reject_to_the_old_document(seed):
    gen = _Gen(seed)
    spec = gen.spec()
    old, new = build_spec(spec), build_spec(gen.edit(spec))
    both_ways(old, new)
    both_ways(old, new, notes="inline")
