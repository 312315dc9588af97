"""Lay out a Document as an A4 PDF brief with footnotes on the page of their reference."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from factsheet.errors import RenderError
from factsheet.rendering import fonts
from factsheet.rendering.columns import fit_words, longest_words
from factsheet.rendering.document import (
    Block,
    BulletList,
    Chart,
    Document,
    Heading,
    Inline,
    Table,
    plain_text,
)
from factsheet.rendering.document import Paragraph as ModelParagraph
from factsheet.rendering.typography import unbreakable_numbers
from factsheet.rendering.validate import check_document
from factsheet.writers import WriterOptions
from factsheet.writers.pdf import paragraph_styles as styles
from factsheet.writers.pdf import typefaces
from factsheet.writers.pdf.chart_painter import ChartFlowable, chart_texts
from factsheet.writers.pdf.footnotes import FootnoteEngine, NoteParagraph, NoteTable
from factsheet.writers.pdf.inline import InlineWriter
from factsheet.writers.pdf.page import BriefDocTemplate, Deferred
from factsheet.writers.pdf.pagedtable import PagedTable, Row, RowSource
from factsheet.writers.pdf.paraparse import ParsedOnce
from factsheet.writers.pdf.profiles import Drawn
from factsheet.writers.pdf.profiles import finish as write_file
from factsheet.writers.pdf.tagging import Marked, Node, Tagger, build_structure

_ROLES = {
    "": "body",
    "dek": "dek",
    "meta": "meta",
    "caption": "caption",
    "note": "note",
    "lead": "lead",
    "quote": "quote",
}
#: Roles whose paragraphs are short asides never split across pages (an editor's note).
_UNSPLIT_ROLES = {"note", "quote"}
_BULLET = "\u2022"


@dataclass(frozen=True)
class RenderedPdf:
    """The bytes of a PDF and, for each page (1-based), the numbers of the notes drawn at its foot."""

    data: bytes
    notes_by_page: dict[int, tuple[int, ...]]
    pages: int


# -- first pass: markup, glyph checks and the faces a document needs -----------------


@dataclass
class _Para:
    markup: str
    refs: tuple[int, ...]
    style: str
    where: str
    bullet: str | None = None
    outline: tuple[str, str, int] | None = None  # key, title, level
    keep_with_next: bool = False
    node: Node | None = None  # its structure element, when the PDF is tagged
    links: tuple[int, ...] = ()  # note numbers drawn as links, in order (repeated references too)
    keep_together: bool = False
    words: tuple[str, ...] = ()  # the longest words of a table cell, for column widths
    #: its inline elements in order, when the PDF is tagged: ("Reference", note numbers) or ("Strong"|"Em", ())
    inline: tuple[tuple[str, tuple[int, ...]], ...] = ()


@dataclass
class _Table:
    header: list[_Para]
    rows: list[list[_Para]]
    widths: list[float]
    spans: tuple[int, ...] = ()  # the model's row_spans: a row header's rows, 0 under one


@dataclass
class _Chart:
    chart: Chart
    caption: _Para | None
    node: Node | None = None  # its Figure element, when the PDF is tagged


#: A block as planned: a paragraph (a heading, a list item), a table or a chart.
_Block = _Para | _Table | _Chart


@dataclass
class _Plan:
    blocks: list[_Block] = field(default_factory=list)
    notes: dict[int, _Para] = field(default_factory=dict)
    footer: _Para | None = None


def _describe(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _plan(document: Document, writer: InlineWriter) -> _Plan:
    planner = _Planner(writer)
    for index, block in enumerate(document.blocks, 1):
        planner.block(block, index)
    plan = planner.plan
    _plan_notes(plan, document, writer)
    plan.footer = _plan_footer(document, writer)
    writer.faces.update((typefaces.SANS, typefaces.SERIF))  # page numbers; the canvas's initial font
    return plan


class _Planner:
    """The first pass over a document's blocks: each block's paragraphs, tables and charts, in order."""

    def __init__(self, writer: InlineWriter):
        self.writer = writer
        self.plan = _Plan()
        self.headings = 0

    def para(self, inlines: Iterable[Inline], style: str, where: str, **kw: Any) -> _Para:
        markup, refs = self.writer.markup(inlines, style, where)
        return _Para(
            markup,
            refs,
            style,
            where,
            links=tuple(self.writer.linked),
            inline=tuple(self.writer.inline),
            **kw,
        )

    def block(self, block: Block, index: int) -> None:
        if isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, ModelParagraph):
            self.paragraph(block, index)
        elif isinstance(block, BulletList):
            self.bullets(block, index)
        elif isinstance(block, Table):
            self.table(block, index)
        elif isinstance(block, Chart):
            self.chart(block)
        else:
            raise RenderError(f"cannot draw block {index}: unknown kind {type(block).__name__}")

    def heading(self, block: Heading) -> None:
        self.headings += 1
        title = " ".join(block.plain_text.split()) or "(untitled)"
        p = self.para(
            block.inlines,
            styles.heading_style(block.level),
            f"heading {_describe(title)}",
            keep_with_next=True,
            outline=(f"fsh-{self.headings}", title, max(block.level, 1) - 1),
        )
        p.markup = f'<a name="fsh-{self.headings}"/>' + p.markup
        self.plan.blocks.append(p)

    def paragraph(self, block: ModelParagraph, index: int) -> None:
        style = _ROLES.get(block.role, "body")
        where = f"paragraph {_describe(plain_text(block.inlines))} (block {index})"
        self.plan.blocks.append(
            self.para(block.inlines, style, where, keep_together=block.role in _UNSPLIT_ROLES)
        )

    def bullets(self, block: BulletList, index: int) -> None:
        count = len(block.items)
        for i, item in enumerate(block.items, 1):
            where = f"list item {_describe(plain_text(item))} (block {index})"
            style = "bullet_last" if i == count else "bullet"
            typefaces.check_text(_BULLET, styles.FAMILY[style], where)
            self.plan.blocks.append(self.para(item, style, where, bullet=_BULLET))

    def table(self, block: Table, index: int) -> None:
        columns = block.columns
        if columns == 0:
            return
        header = [
            self.para(
                cell,
                "cell_head",
                f"header cell {c} of the table in block {index}",
                words=longest_words(cell, prepare=_glued),
            )
            for c, cell in enumerate(block.header, 1)
        ]
        rows = [self.table_row(block, index, r, row) for r, row in enumerate(block.rows, 1)]
        widths = list(block.widths)
        if len(widths) != columns or any(w <= 0 for w in widths):
            widths = [1.0] * columns
        self.plan.blocks.append(_Table(header, rows, widths, block.row_spans))

    def table_row(self, block: Table, index: int, r: int, row: Sequence[Sequence[Inline]]) -> list[_Para]:
        if len(row) != block.columns:
            raise RenderError(
                f"row {r} of the table in block {index} has {len(row)} cells; its header has {block.columns}"
            )
        covered = block.row_span(r - 1) == 0  # drawn once, in the group's first row
        return [
            self.para(
                () if covered and c == 1 else cell,
                "cell",
                f"row {r}, column {c} of the table in block {index}",
                words=longest_words(cell, prepare=_glued),
            )
            for c, cell in enumerate(row, 1)
        ]

    def chart(self, block: Chart) -> None:
        for text, where in chart_texts(block):
            if text:
                typefaces.check_text(text, fonts.SANS, where)
        self.writer.faces.update((typefaces.SANS, typefaces.SANS_BOLD))
        if block.title:
            self.writer.styled_runs.append((block.title, typefaces.SANS_BOLD, "the chart title"))
        caption = None
        if block.caption:
            caption = self.para(block.caption, "caption", f"the caption of chart {_describe(block.title)}")
        self.plan.blocks.append(_Chart(block, caption))


def _plan_notes(plan: _Plan, document: Document, writer: InlineWriter) -> None:
    referenced = sorted({n for p in _paras(plan.blocks) for n in p.refs})
    for number in referenced:
        note = document.note(number)
        markup, _ = writer.markup(note.inlines, "footnote", f"footnote {number}", links=False)
        plan.notes[number] = _Para(
            markup, (), "footnote", f"footnote {number}", bullet=str(number), inline=tuple(writer.inline)
        )


def _plan_footer(document: Document, writer: InlineWriter) -> _Para | None:
    # the template's footer (which names the date itself); without one, the date alone
    text = document.footer.strip() or (f"As of {document.date}" if document.date else "")
    if not text:
        return None
    return _Para(writer.text_run(text, "footer", "the footer"), (), "footer", "the footer")


def _glued(text: str) -> str:
    """Return text as the PDF lays it out: numbers kept with their digit groups and unit."""
    return unbreakable_numbers(text, "\u00a0")


def _column_widths(t: _Table, width: float) -> list[float]:
    """Return column widths in points: the template's proportions, each column widened to its longest word."""
    total = sum(t.widths)
    widths = [width * w / total for w in t.widths]
    need = [0.0] * len(widths)
    for row in (t.header, *t.rows):
        for c, cell in enumerate(row):
            font = styles.STYLES[cell.style]
            for word in cell.words:
                # bold runs are wider: measure in the bold face; then padding and a little air
                need[c] = max(need[c], stringWidth(word, typefaces.SANS_BOLD, font.fontSize) + 9)
    return fit_words(widths, need)


def _paras(blocks: Iterable[_Block]) -> Iterator[_Para]:
    for b in blocks:
        if isinstance(b, _Para):
            yield b
        elif isinstance(b, _Table):
            yield from b.header
            for row in b.rows:
                yield from row
        elif isinstance(b, _Chart) and b.caption is not None:
            yield b.caption


# -- second pass: flowables ------------------------------------------------------------


class _MarkedNoteParagraph(Marked, NoteParagraph):
    """A body paragraph drawn as the content of its structure element."""


class _MarkedParagraph(Marked, ParsedOnce):
    """A footnote drawn as the content of its Note element."""


class _MarkedChart(Marked, ChartFlowable):
    """The chart drawn as the content of its Figure element."""


def _paragraph(p: _Para, cls: type[Paragraph] = NoteParagraph) -> Paragraph:
    try:
        if cls is NoteParagraph:
            out = _MarkedNoteParagraph(p.markup, styles.STYLES[p.style], refs=p.refs, bulletText=p.bullet)
            out.keep_together = p.keep_together
        elif cls is Paragraph:
            out = _MarkedParagraph(p.markup, styles.STYLES[p.style], bulletText=p.bullet)
        else:
            out = cls(p.markup, styles.STYLES[p.style], bulletText=p.bullet)
    except ValueError as exc:  # reportlab's markup parser; text is escaped, so this is a bug
        raise RenderError(f"cannot lay out {p.where}: {str(exc).splitlines()[0]}") from None
    out.struct = p.node
    if p.outline is not None:
        out.outline_key, out.outline_title, out.outline_level = p.outline
    return out


_TABLE_STYLE = TableStyle(
    [
        # cells hold paragraphs, but the table still sets a cell font: name ours, not Helvetica
        ("FONT", (0, 0), (-1, -1), typefaces.SANS, 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, styles.GRID),
        ("BACKGROUND", (0, 0), (-1, 0), styles.HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
)


def _group_rules(spans: tuple[int, ...]) -> TableStyle:
    """Return rules that draw each row header as one cell over its rows: no line across its column.

    The table's grid is replaced by its box and vertical lines; horizontal lines are
    drawn row by row, leaving out the first column where the next row is under a row
    header.
    """
    commands: list[tuple[object, ...]] = [
        ("BOX", (0, 0), (-1, -1), 0.4, styles.GRID),
        ("LINEAFTER", (0, 0), (-2, -1), 0.4, styles.GRID),
        ("LINEBELOW", (0, 0), (-1, 0), 0.4, styles.GRID),
    ]
    for row, _ in enumerate(spans, 1):
        covered = row < len(spans) and spans[row] == 0
        commands.append(("LINEBELOW", (1 if covered else 0, row), (-1, row), 0.4, styles.GRID))
    base = [c for c in _TABLE_STYLE.getCommands() if c[0] != "GRID"]
    return TableStyle(base + commands)


#: left + right, top and bottom padding of a cell, as in _TABLE_STYLE
_CELL_PADDING = (4 + 4, 2.5, 3.5)


#: Tables with more body rows than this are made a page at a time (see pagedtable).
PAGED_ROWS = 40
#: Documents with more notes than this make each note's paragraph when layout first needs it
#: and drop it once drawn; shorter ones make them all first, so a note too tall fails at once.
PAGED_NOTES = 400


def _table(t: _Table, width: float) -> NoteTable | PagedTable:
    col_widths = _column_widths(t, width)

    def make_table(
        data: list[Row], space_before: float, space_after: float, style: TableStyle = _TABLE_STYLE
    ) -> NoteTable:
        return NoteTable(
            data,
            colWidths=col_widths,
            repeatRows=1,
            splitByRow=1,
            style=style,
            hAlign="LEFT",
            spaceBefore=space_before,
            spaceAfter=space_after,
        )

    header = [[_paragraph(c)] for c in t.header]
    before, after = styles.TABLE_SPACE, styles.TABLE_SPACE + 4
    if len(t.rows) <= PAGED_ROWS:
        data = [header] + [[[_paragraph(c)] for c in row] for row in t.rows]
        # a longer table, made a page at a time, draws a row header's rows in the full grid
        return make_table(data, before, after, _group_rules(t.spans) if 0 in t.spans else _TABLE_STYLE)
    source = RowSource(
        header,
        len(t.rows),
        lambda i: [[_paragraph(c)] for c in t.rows[i]],
        [tuple(n for c in row for n in c.refs) for row in t.rows],
        make_table,
        col_widths,
        _CELL_PADDING,
    )
    return PagedTable(source, space_before=before, space_after=after)


#: Blocks made into flowables at a time: layout makes the next ones when it reaches them,
#: so a long document never holds all its parsed paragraphs at once.
STORY_CHUNK = 24


def _story(plan: _Plan, width: float) -> list[Flowable]:
    """Return the document's flowables, as chunks of blocks that layout makes when it reaches them."""
    story: list[Flowable] = []
    blocks, start = plan.blocks, 0
    for i, block in enumerate(blocks):
        last = i == len(blocks) - 1
        # a chunk ends after a block that keeps with nothing: a heading stays with what follows
        if last or (i + 1 - start >= STORY_CHUNK and not (isinstance(block, _Para) and block.keep_with_next)):
            part = blocks[start : i + 1]
            story.append(Deferred(partial(_flowables, part, width)))
            start = i + 1
    return story


def _flowables(blocks: list[_Block], width: float) -> list[Flowable]:
    story: list[Flowable] = []
    keepers = []
    for block in blocks:
        if isinstance(block, _Para):
            flowable = _paragraph(block)
            if block.keep_with_next:
                keepers.append(len(story))
            story.append(flowable)
        elif isinstance(block, _Table):
            story.append(_table(block, width))
        elif isinstance(block, _Chart):
            chart = _MarkedChart(block.chart, width, styles.CHART_HEIGHT)
            chart.struct = block.node
            story.append(chart)
            if block.caption is not None:
                keepers.append(len(story) - 1)
                story.append(_paragraph(block.caption))
    for i in keepers:
        if i + 1 < len(story):
            story[i].keep_with_next = story[i + 1]
    return story


def render_pdf(document: Document, options: WriterOptions | None = None) -> RenderedPdf:
    """Lay out ``document`` and return the PDF with the notes drawn on each page."""
    check_document(document)
    profiles = (options or WriterOptions()).pdf_profiles
    # what layout made (the plan, the footnote engine) is freed before the file is written
    drawn, placed, pages = _draw(document, profiles)
    data = write_file(drawn, profiles, document.language, document.provenance)
    return RenderedPdf(data, placed, pages)


def _draw(document: Document, profiles: tuple[str, ...]) -> tuple[Drawn, dict[int, tuple[int, ...]], int]:
    """Lay out and draw ``document``; return its canvas and structure, the notes drawn on each page, the pages."""
    writer = InlineWriter(document, tagged="ua1" in profiles)
    plan = _plan(document, writer)
    typefaces.register(sorted(writer.faces))
    typefaces.check_styled(writer.styled_runs)

    geometry = styles.page_for(document.paper)
    width = geometry.frame_width
    structure = tagger = None
    if "ua1" in profiles:
        structure, note_nodes = build_structure(plan.blocks, plan.notes)
        tagger = Tagger()
        for number, node in note_nodes.items():
            plan.notes[number].node = node
    engine = FootnoteEngine(
        lambda n: _paragraph(plan.notes[n], Paragraph),
        width,
        geometry.frame_height,
        min_line=styles.STYLES["body"].leading,
    )
    seen: set[int] = set()
    for para in _paras(plan.blocks):
        for n in para.refs:
            (engine.drawn_again if n in seen else seen).add(n)
    if len(plan.notes) <= PAGED_NOTES:
        for number in plan.notes:
            engine.note(number)  # a note taller than a page fails here, before layout
    story = _story(plan, width) or [Spacer(0, 0)]  # a document with nothing to draw is one blank page
    footer = _paragraph(plan.footer, Paragraph) if plan.footer is not None else None

    doc = BriefDocTemplate(
        io.BytesIO(),  # never written to: write_file writes the file from the canvas's objects
        engine,
        footer,
        document.date,
        geometry,
        title=document.title,
        author=document.author,
        subject=document.subject,
        creator="factsheet",
        lang=document.language or None,
    )
    doc.tagger = tagger
    try:
        doc.build(story)
    except LayoutError as exc:
        raise RenderError(f"cannot lay out the document: {str(exc).splitlines()[0]}") from None
    doc.finish()
    return Drawn(doc.canv, structure, tagger), dict(engine.placed), doc.page


def write_pdf(document: Document, options: WriterOptions | None = None) -> bytes:
    """Return the bytes of ``document`` as a PDF."""
    return render_pdf(document, options).data
