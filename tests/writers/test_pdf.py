"""PDF writer: footnotes on the page of their reference, fonts, text as data, metadata, reproducibility.

Documents are built directly from document.py nodes. Placement is checked
with poppler's pdftotext: every reference is written right after a marker word
(``zqrNNN``) and every note starts with ``zqnNNN``, so a page's references and
notes can be read back from its text.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from factsheet.errors import RenderError
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
from factsheet.writers.pdf import render_pdf, write_pdf

from pdftext import pdf_text

needs_poppler = pytest.mark.tools("pdftotext", "pdffonts", "pdfinfo", "pdftohtml", hint="poppler-utils")

WORDS = (
    "officials said units moved by rail to the region and joined local formations while reports "
    "differ on numbers timing and the first engagements near the border"
).split()


def words(n: int, start: int = 0) -> str:
    return " ".join(WORDS[(start + i) % len(WORDS)] for i in range(n))


class Brief:
    """Builds a Document whose references and notes carry marker words."""

    def __init__(self):
        self.blocks: list = []
        self.notes: list[Footnote] = []

    def ref(self, note_words: int = 12) -> tuple[Text, NoteRef]:
        n = len(self.notes) + 1
        self.notes.append(Footnote(n, (Text(f"zqn{n:03d} " + words(note_words, n)),)))
        return Text(f" zqr{n:03d}"), NoteRef(n)

    def claim(self, parts: list[int], note_words: int | list[int] = 12) -> Paragraph:
        """A paragraph of word runs of the given lengths with a reference after each run."""
        inlines: list = []
        sizes = note_words if isinstance(note_words, list) else [note_words] * len(parts)
        for i, (n, size) in enumerate(zip(parts, sizes)):
            inlines.append(Text(words(n, i)))
            inlines.extend(self.ref(size))
        inlines.append(Text(" " + words(5) + "."))
        return Paragraph(tuple(inlines))

    def add(self, *blocks) -> Brief:
        self.blocks.extend(blocks)
        return self

    def document(self, **kw) -> Document:
        meta = dict(
            title="Test brief", subject="Testing", author="Desk", date="2024-11-20", footer="Internal test"
        )
        meta.update(kw)
        return Document(blocks=list(self.blocks), footnotes=list(self.notes), **meta)


def standard_brief(claims: int = 30) -> Document:
    """A brief like the real ones: headline, dek, sections of claims with two notes each, list, table, chart."""
    b = Brief()
    b.add(
        Heading(1, (Text("North Korean troops in Russia"),)),
        Paragraph((Text("What is known about the deployment — and who says so."),), role="dek"),
        Paragraph((Text("Prepared by the desk · 20 November 2024"),), role="meta"),
    )
    per_section = claims // 5
    for s in range(5):
        b.add(Heading(2, (Text(f"Section {s + 1}"),)))
        for c in range(per_section):
            b.add(b.claim([18 + (c * 7) % 23, 9 + (c * 5) % 17], note_words=[10 + (c * 3) % 25, 14]))
        if s == 1:
            b.add(
                Heading(3, (Text("Voices"),)),
                BulletList(
                    (
                        (Text("First item"), *b.ref()),
                        (Text("Second item " + words(30)),),
                        (Text("Third item"), *b.ref(30)),
                    )
                ),
            )
        if s == 2:
            rows = tuple(
                (
                    (Text(f"2024-10-{i:02d}"),),
                    (Text("event " + words(6, i)), *b.ref(8)),
                    (Text(f"{i * 1000}"),),
                )
                for i in range(1, 9)
            )
            b.add(
                Table(
                    header=((Text("Date"),), (Text("Event"),), (Text("Troops"),)), rows=rows, widths=(1, 4, 1)
                )
            )
        if s == 3:
            b.add(
                Chart(
                    title="Troop estimates",
                    caption=(Text("Estimates by source"), *b.ref()),
                    alt_text="A line chart",
                    y_label="Troops",
                    series=(
                        Series(
                            "Ukraine", ((19990, 3000), (20010, 11000), (20030, 12000)), ("3k", "11k", "12k")
                        ),
                        Series("United States", ((19995, 8000), (20020, 10000))),
                    ),
                    x_ticks=((19990, "Sep"), (20010, "Oct"), (20030, "Nov")),
                )
            )
    return b.document(title="North Korean troops in Russia")


# -- reading PDFs back with poppler ---------------------------------------------------------------


def run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def save(tmp_path: Path, data: bytes, name: str = "brief.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def page_texts(path: Path) -> list[str]:
    """Text of every page (pdftotext separates pages with form feeds)."""
    pages = run("pdftotext", str(path), "-").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def markers(text: str, kind: str) -> list[int]:
    # narrow table columns may break a marker word across lines: read it without whitespace
    return [int(m) for m in re.findall(rf"zq{kind}(\d{{3}})", re.sub(r"\s+", "", text))]


def misplaced(pages: list[str]) -> list[str]:
    """Return a description of every page whose references and notes differ."""
    problems = []
    seen_notes: list[int] = []
    for p, text in enumerate(pages, 1):
        refs, notes = set(markers(text, "r")), markers(text, "n")
        seen_notes += notes
        if refs != set(notes):
            problems.append(f"page {p}: references {sorted(refs)}, notes {sorted(notes)}")
    return problems


def assert_placement(result, pages: list[str], expected_notes: int):
    assert misplaced(pages) == []
    all_notes = [n for text in pages for n in markers(text, "n")]
    assert sorted(set(all_notes)) == list(range(1, expected_notes + 1))
    reported = {p: set(ns) for p, ns in result.notes_by_page.items() if ns}
    read = {p: set(markers(t, "n")) for p, t in enumerate(pages, 1) if markers(t, "n")}
    assert reported == read
    assert result.pages == len(pages)


# -- footnote placement -------------------------------------------------------------------------------


@needs_poppler
def test_every_note_is_on_the_page_of_its_reference(tmp_path):
    doc = standard_brief()
    result = render_pdf(doc)
    path = save(tmp_path, result.data)
    assert 4 <= result.pages <= 6, result.pages
    assert len(doc.footnotes) >= 60
    for page in range(1, result.pages + 1):
        text = run("pdftotext", "-f", str(page), "-l", str(page), str(path), "-")
        refs, notes = set(markers(text, "r")), markers(text, "n")
        assert refs == set(notes), f"page {page}"
        assert len(notes) == len(set(notes))
        assert set(result.notes_by_page[page]) == refs
        assert f"Page {page} of {result.pages}" in text
    assert sorted(n for ns in result.notes_by_page.values() for n in ns) == list(
        range(1, len(doc.footnotes) + 1)
    )


@needs_poppler
def test_stress_many_notes_and_long_notes(tmp_path):
    b = Brief()
    b.add(Heading(1, (Text("Stress"),)))
    for i in range(22):
        if i % 6 == 0:
            b.add(Heading(2, (Text(f"Part {i}"),)))
        # clusters of references, some long notes, references early and late in paragraphs
        b.add(
            b.claim([3 + i % 5, 40 + (i * 13) % 50, 1, 25], note_words=[8, 60 if i % 4 == 0 else 15, 5, 30])
        )
    doc = b.document()
    assert len(doc.footnotes) >= 80
    result = render_pdf(doc)
    pages = page_texts(save(tmp_path, result.data))
    assert_placement(result, pages, len(doc.footnotes))


def sweep_document(step: int) -> Document:
    b = Brief()
    b.add(
        Heading(1, (Text("Sweep"),)),
        Paragraph((Text(words(12 * step)),)),
        Paragraph((Text(words(9 * (step % 3))),), role="meta"),
    )
    for i in range(11):
        if i in (4, 8):
            b.add(Heading(2, (Text(f"zqh{i:02d} heading"),)))
        b.add(b.claim([10 + (i * 11) % 40, 30 + (i * 17) % 45], note_words=[12 + (i * 7) % 40, 20]))
        if i == 6:
            rows = tuple(
                ((Text(f"row {r}"),), (Text(words(4 + r % 9, r)), *b.ref(10 + 5 * (r % 3)))) for r in range(6)
            )
            b.add(Table(header=((Text("Row"),), (Text("Text"),)), rows=rows, widths=(1, 5)))
        if i == 9:
            b.add(BulletList(tuple((Text(words(8 + 6 * k)), *b.ref(18)) for k in range(4))))
    return b.document()


@needs_poppler
def test_sweep_reference_lines_across_the_page_bottom(tmp_path):
    """Push every reference line across page bottoms step by step: no note may leave its page."""
    failures = []
    layouts = set()
    for step in range(40):
        doc = sweep_document(step)
        result = render_pdf(doc)
        pages = page_texts(save(tmp_path, result.data, f"sweep{step}.pdf"))
        layouts.add(tuple(text.strip()[:30] for text in pages[1:]))  # where each page starts
        try:
            assert_placement(result, pages, len(doc.footnotes))
        except AssertionError as exc:
            failures.append(f"step {step}: {exc}")
        for p, text in enumerate(pages, 1):
            # a heading is never the last thing on its page
            for m in re.finditer(r"zqh\d\d heading", text):
                rest = text[m.end() :].split("zqn")[0]
                orphan = not re.search(r"[a-z]{3,}", rest.replace("heading", ""))
                assert not orphan, f"step {step}: heading alone at the foot of page {p}"
    assert failures == []
    assert len(layouts) >= 10  # the sweep really moved page breaks around


@needs_poppler
def test_references_in_table_cells_get_notes_on_the_page_of_their_row(tmp_path):
    b = Brief()
    b.add(Heading(1, (Text("Table"),)), b.claim([200, 150], note_words=[40, 40]))
    rows = tuple(
        (
            (Text(f"row{r:02d}"),),
            (Text(words(6 + (r * 5) % 30, r)), *b.ref(10 + (r * 7) % 30)),
            (Text(f"{r}"),),
        )
        for r in range(60)
    )
    b.add(
        Table(
            header=((Text("Row head"),), (Text("Event head"),), (Text("Value head"),)),
            rows=rows,
            widths=(1, 6, 1),
        )
    )
    doc = b.document()
    result = render_pdf(doc)
    pages = page_texts(save(tmp_path, result.data))
    assert result.pages >= 3
    assert_placement(result, pages, len(doc.footnotes))
    table_pages = [t for t in pages if "row" in t and "zqr" in t]
    assert all("Event head" in t for t in table_pages[1:])  # header row repeated
    for r in range(60):  # every row drawn exactly once
        assert sum(t.count(f"row{r:02d}") for t in pages) == 1


@needs_poppler
def test_note_referenced_again_on_a_later_page_is_drawn_once_and_linked(tmp_path):
    import io

    import pikepdf

    b = Brief()
    first = b.claim([20])
    b.add(first)
    b.add(*[Paragraph((Text(words(60, i)),)) for i in range(16)])
    b.add(Paragraph((Text(words(10) + " zqa001"), NoteRef(1), Text("."))))
    doc = b.document()
    result = render_pdf(doc)
    pages = page_texts(save(tmp_path, result.data))
    assert result.pages >= 2
    assert misplaced(pages) == []
    assert sum(1 for t in pages if "zqn001" in t) == 1  # no note is printed twice
    assert result.notes_by_page[1] == (1,) and "zqa001" not in pages[0]
    # the repeated number links to the note's destination on page 1, as the first reference does
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        targets = [
            repr(a.Dest) if "/Dest" in a else repr(a.A.D)
            for page in pdf.pages
            for a in page.obj.get("/Annots", [])
            if str(a.get("/Contents", "")).startswith("Note ")
        ]
    assert len(targets) >= 2 and len(set(targets)) == 1


# -- self-check and errors -------------------------------------------------------------------------------


def test_self_check_catches_a_note_that_was_not_reserved(monkeypatch):
    from factsheet.writers.pdf import footnotes

    monkeypatch.setattr(footnotes.NoteFrame, "_reserve", lambda self, numbers: None)
    with pytest.raises(RenderError, match="footnote placement check failed on page 1"):
        write_pdf(standard_brief(10))


def test_note_taller_than_the_page_frame_is_an_error():
    b = Brief()
    b.add(b.claim([10, 10], note_words=[10, 2500]))
    with pytest.raises(RenderError, match=r"footnote 2 is too tall"):
        write_pdf(b.document())


def test_reference_to_a_missing_note_is_an_error():
    doc = Document(title="x", blocks=[Paragraph((Text("claim"), NoteRef(3)))], footnotes=[])
    with pytest.raises(RenderError, match="note reference 3"):
        write_pdf(doc)


def test_character_the_font_lacks_names_its_text():
    doc = Document(title="x", blocks=[Paragraph((Text("Statement by 金正恩 on troops"),))])
    with pytest.raises(RenderError) as info:
        write_pdf(doc)
    message = str(info.value)
    assert "\n" not in message
    assert "U+91D1" in message and "Statement by" in message


def test_table_row_with_wrong_cell_count_is_an_error():
    doc = Document(title="x", blocks=[Table(header=((Text("a"),), (Text("b"),)), rows=(((Text("1"),),),))])
    with pytest.raises(RenderError, match="row 1 .* has 1 cells"):
        write_pdf(doc)


# -- fonts, text as data, unicode ------------------------------------------------------------------------


@needs_poppler
def test_only_embedded_dejavu_fonts_no_helvetica(tmp_path):
    path = save(tmp_path, write_pdf(standard_brief()))
    lines = run("pdffonts", str(path)).splitlines()[2:]
    assert lines
    names = [line.split()[0] for line in lines]
    assert all(re.match(r"[A-Z]{6}\+DejaVu(Serif|Sans)", n) for n in names), names
    for line in lines:
        emb = line.split()[-5]
        assert emb == "yes", line
    joined = " ".join(names)
    assert "Helvetica" not in joined and "Times" not in joined
    assert "DejaVuSerif" in joined and "DejaVuSans-Bold" in joined


NASTY = "AT&T <b>bold</b> <img src=x> &amp; <a href='y'>link</a>"


@needs_poppler
def test_text_is_data_everywhere(tmp_path):
    doc = Document(
        title=NASTY,
        blocks=[
            Heading(1, (Text(NASTY),)),
            Paragraph((Text(NASTY), NoteRef(1))),
            Paragraph((Text("bold", bold=True), Text(" and "), Text("italic", italic=True))),
            BulletList(((Text(NASTY),),)),
            Table(header=((Text(NASTY),),), rows=(((Text(NASTY),),),)),
        ],
        footnotes=[Footnote(1, (Text(NASTY),))],
        footer=NASTY,
        date="2024-11-20",
    )
    path = save(tmp_path, write_pdf(doc))
    text = run("pdftotext", str(path), "-")
    assert text.count("AT&T <b>bold</b> <img src=x> &amp; <a href='y'>link</a>") >= 5
    assert "AT&T;" not in text
    assert "Title:           AT&T <b>bold</b>" in run("pdfinfo", str(path))
    # bold and italic come from the model's flags only
    fonts_used = run("pdffonts", str(path))
    assert "DejaVuSerif-Bold " in fonts_used and "DejaVuSerif-Italic " in fonts_used
    assert "DejaVuSerif-BoldItalic" not in fonts_used


@needs_poppler
def test_polish_cyrillic_and_typography_render_as_text(tmp_path):
    samples = [
        "Zażółć gęślą jaźń: ź ł ę ą ń ś ż Ź Ł",
        "Україна: і ї є ґ Ї Є Ґ",
        "Россия: ы э ё Ы Э Ё",
        "„cudzysłów” «кавычки» – — € №\u00a07 “curly” ‘single’",
    ]
    doc = Document(
        title="Unicode",
        blocks=[
            Heading(2, (Text(samples[0]),)),
            *[Paragraph((Text(s),)) for s in samples],
            Table(header=((Text(samples[1]),),), rows=(((Text(samples[2]),),),)),
        ],
        footnotes=[],
    )
    text = run("pdftotext", str(save(tmp_path, write_pdf(doc))), "-").replace("\u00a0", " ")
    for s in samples:
        assert s.replace("\u00a0", " ") in text, s


def test_non_breaking_space_keeps_words_together():
    # "№ 7" joined by a no-break space is never split across lines; with a plain space it is
    from factsheet.writers.pdf import paragraph_styles as styles
    from factsheet.writers.pdf import typefaces
    from factsheet.writers.pdf.footnotes import NoteParagraph

    typefaces.register([typefaces.SERIF])

    def breaks_after_sign(space: str) -> int:
        count = 0
        for lead in range(40):
            para = NoteParagraph(words(lead) + f" №{space}7 tail", styles.STYLES["body"])
            para.wrap(160, 1000)
            lines = [
                " ".join(w.text for w in line.words) if hasattr(line, "words") else " ".join(line[1])
                for line in para.blPara.lines
            ]
            count += any(line.rstrip().endswith("№") for line in lines)
        return count

    assert breaks_after_sign(" ") > 0
    assert breaks_after_sign("\u00a0") == 0


# -- metadata, outline, links, footer --------------------------------------------------------------------


@needs_poppler
def test_metadata_outline_and_footer(tmp_path):
    doc = standard_brief()
    doc.language = "pl"
    result = render_pdf(doc)
    path = save(tmp_path, result.data)
    info = run("pdfinfo", str(path))
    assert re.search(r"^Title:\s+North Korean troops in Russia$", info, re.M)
    assert re.search(r"^Author:\s+Desk$", info, re.M)
    assert re.search(r"^Subject:\s+Testing$", info, re.M)
    assert re.search(r"^CreationDate:\s+Wed Nov 20 00:00:00 2024", info, re.M)
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        assert str(pdf.Root.Lang) == "pl"
    xml = run("pdftohtml", "-xml", "-i", "-stdout", "-q", str(path))
    items = re.findall(r'<item page="(\d+)">([^<]*)</item>', xml)
    titles = [t for _, t in items]
    assert titles == [
        "North Korean troops in Russia",
        "Section 1",
        "Section 2",
        "Voices",
        "Section 3",
        "Section 4",
        "Section 5",
    ]
    # sections nest under the headline, the subsection under its section
    nesting = re.sub(r"<item[^>]*>([^<]*)</item>", r"\1;", xml[xml.index("<outline>") :])
    nesting = re.sub(r"\s+", "", nesting.split("</pdf2xml>")[0])
    nesting = nesting.replace("<outline>", "[").replace("</outline>", "]")
    assert nesting == "[NorthKoreantroopsinRussia;[Section1;Section2;[Voices;]Section3;Section4;Section5;]]"
    pages_of = {t: int(p) for p, t in items}
    assert pages_of["North Korean troops in Russia"] == 1
    assert [pages_of[f"Section {i}"] for i in range(1, 6)] == sorted(
        pages_of[f"Section {i}"] for i in range(1, 6)
    )
    pages = page_texts(path)
    for page, text in enumerate(pages, 1):
        assert f"Page {page} of {len(pages)}" in text
        assert "Internal test" in text
    # without a footer text the footer gives the date the brief is current to
    doc.footer = ""
    assert "As of 2024-11-20" in run("pdftotext", str(save(tmp_path, write_pdf(doc), "nofooter.pdf")), "-")


def test_references_and_notes_link_to_each_other_on_the_same_page():
    doc = standard_brief()
    links = 0
    with pikepdf.open(io.BytesIO(write_pdf(doc))) as pdf:
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") == "/Link":
                    links += 1
                    # a reference's note, and a note's reference, are on its page
                    assert annot.Dest[0].objgen == page.obj.objgen
    assert links == 2 * len(doc.footnotes)


# -- reproducibility, speed, imports ---------------------------------------------------------------------


def test_same_document_gives_identical_bytes():
    doc = standard_brief()
    first = write_pdf(doc)
    assert first.startswith(b"%PDF-")
    assert write_pdf(doc) == first
    assert write_pdf(standard_brief()) == first


def test_identical_bytes_across_processes(tmp_path):
    script = (
        "import sys; sys.path[:0] = sys.argv[1:]; import test_pdf; "
        "sys.stdout.buffer.write(test_pdf.write_pdf(test_pdf.standard_brief()))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    here = Path(__file__).parent  # the tests' shared helpers are one folder up
    out = subprocess.run(
        [sys.executable, "-c", script, str(here), str(here.parent)], capture_output=True, env=env, check=True
    ).stdout
    assert out == write_pdf(standard_brief())


def test_importing_the_writer_does_not_import_reportlab():
    code = "import sys, factsheet.writers.pdf; print('reportlab' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# -- charts and odd documents -----------------------------------------------------------------------------


@needs_poppler
def test_chart_draws_its_texts_and_caption(tmp_path):
    doc = standard_brief()
    text = run("pdftotext", str(save(tmp_path, write_pdf(doc))), "-")
    for s in (
        "Troop estimates",
        "Ukraine",
        "United States",
        "Sep",
        "Oct",
        "Nov",
        "Troops",
        "11k",
        "Estimates by source",
        "10,000",
    ):
        assert s in text, s


def test_odd_documents_render():
    empty_chart = Chart(title="Nothing yet", caption=(), alt_text="", y_label="", series=())
    one_point = Chart(
        title="One", caption=(Text("c"),), alt_text="", y_label="y", series=(Series("s", ((5.0, 2.0),)),)
    )
    docs = [
        Document(title=""),
        Document(title="x", blocks=[Paragraph(())], footnotes=[]),
        Document(title="x", blocks=[Heading(3, (Text("deep first"),)), Heading(1, (Text("then top"),))]),
        Document(title="x", blocks=[empty_chart, one_point]),
        Document(title="x", blocks=[Table(header=((Text("only header"),),), rows=())]),
        Document(title="x", blocks=[Paragraph((Text("line\nbreak\ttab"),))], date="not a date"),
    ]
    drawn = [pdf_text(write_pdf(doc)) for doc in docs]
    assert (
        drawn[0].strip("\f") == "Page 1 of 1"
    )  # nothing to draw: one page (its footer), not a PDF without pages
    assert "deep first" in drawn[2] and "then top" in drawn[2]
    assert "only header" in drawn[4]
    assert "line break tab" in drawn[5]


def test_notes_of_one_line_that_together_exceed_a_page_are_an_error():
    b = Brief()
    b.add(b.claim([5, 1, 1, 1, 1], note_words=[400, 400, 400, 400, 400]))
    with pytest.raises(RenderError, match=r"footnotes 1, 2, 3.* do not fit on one page together"):
        write_pdf(b.document())


def test_notes_of_one_table_row_that_together_exceed_a_page_are_an_error():
    b = Brief()
    row = (tuple(x for _ in range(5) for x in b.ref(400)),)
    b.add(Table(header=((Text("h"),),), rows=(row,)))
    with pytest.raises(RenderError, match=r"footnotes 1, 2, 3.* a table row"):
        write_pdf(b.document())


@needs_poppler
def test_chart_ranges_spans_and_word_only_markers(tmp_path):
    chart = Chart(
        title="Troops sent",
        caption=(Text("By who gave the figure"),),
        alt_text="",
        y_label="Troops",
        series=(
            Series(
                "Ukraine",
                ((19995.0, 11000.0), (20100.0, 14000.0)),
                ("11,000", "14,000"),
                ranges=((10000.0, 12000.0), (13000.0, 15000.0)),
                spans=((19990.0, 20000.0), (20100.0, 20100.0)),
            ),
            Series("Korea", ((19999.0, 10000.0),), ("10,000",), markers=((20080.0, "several thousand"),)),
        ),
        x_ticks=((19997.0, "Oct 2024"), (20089.0, "Jan 2025")),
    )
    doc = Document(title="x", blocks=[chart])
    text = run("pdftotext", "-layout", str(save(tmp_path, write_pdf(doc))), "-")
    for s in (
        "Troops sent",
        "several thousand",
        "11,000",
        "14,000",
        "10,000",
        "Oct 2024",
        "Jan 2025",
        "By who gave the figure",
    ):
        assert s in text, s


def test_missing_font_files_raise_render_error(font_dirs, tmp_path):
    font_dirs([tmp_path])
    with pytest.raises(RenderError, match="fonts-dejavu"):
        write_pdf(Document(title="x", blocks=[Paragraph((Text("x"),))]))


def test_character_the_bold_face_lacks_is_an_error():
    # DejaVu Serif has U+2102 (double-struck C) in its regular face only
    doc = Document(title="x", blocks=[Paragraph((Text("the set \u2102", bold=True),))])
    with pytest.raises(RenderError, match=r"DejaVu Serif Bold has no glyph for .*U\+2102"):
        write_pdf(doc)
    assert "the set \u2102" in pdf_text(
        write_pdf(Document(title="x", blocks=[Paragraph((Text("the set \u2102"),))]))
    )


@needs_poppler
def test_table_row_taller_than_a_page_splits_with_its_notes(tmp_path):
    b = Brief()
    b.add(Paragraph((Text(words(400)),)))  # the table starts part-way down a page
    cell: list = []
    for i in range(60):
        cell += [Text(f"statement {i} " + words(20, i)), *b.ref(15), Text("\n")]
    b.add(
        Table(
            header=((Text("Who"),), (Text("What they say"),)),
            rows=(((Text("One speaker"),), tuple(cell)), ((Text("Next"),), (Text("short row"),))),
            widths=(1, 3),
        )
    )
    result = render_pdf(b.document())
    pages = page_texts(save(tmp_path, result.data))
    assert result.pages >= 3
    assert_placement(result, pages, 60)
    text = re.sub(r"\s+", " ", "\n".join(pages))
    for i in range(60):
        assert text.count(f"statement {i} ") == 1, i
    assert "short row" in pages[-1]
    # the header row is repeated above each part of the row
    assert all("What they say" in page for page in pages[1:])
