"""Walk a Document and build the DOCX: python-docx's package, :mod:`.ooxml`'s body and parts.

Text rules: every piece of text is written as literal text (markup-looking text such
as ``<b>`` stays visible); a line break inside a text (``<br/>`` in the markup) is a
``w:br``, a tab a space (see :func:`.ooxml.clean_text`); a note referenced again is a
``NOTEREF`` cross-reference to its first reference; other control characters, and characters the brief's fonts
cannot draw, raise :class:`~factsheet.errors.RenderError`.

Change marks (a redline): inline text and note references marked ``ins``/``del`` are
written inside ``w:ins``/``w:del`` (deleted text as ``w:delText``); a marked heading,
paragraph, list item or chart also gets its paragraph mark marked (``w:pPr/w:rPr``),
and a marked chart's picture is in ``w:ins``/``w:del`` like its text;
a marked table row gets ``w:trPr/w:ins|w:del`` and its cells' text is marked with it.
Every revision carries ``Document.revision_author`` and ``revision_date`` and a
``w:id`` unique in the package (document, then footnotes, in reading order). A
document with a revision author gets ``w:trackRevisions`` in its settings.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import docx
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.shared import Twips
from docx.text.paragraph import Paragraph as DocxParagraph

from factsheet import APPLICATION
from factsheet.errors import RenderError
from factsheet.rendering import document as m
from factsheet.rendering.columns import column_needs, fit_words
from factsheet.rendering.fonts import face, text_width
from factsheet.rendering.typography import unbreakable_numbers
from factsheet.rendering.validate import check_document, has_changes
from factsheet.writers import WriterOptions, embedded

from . import ooxml
from . import word_styles as S
from .fontembed import GENERIC_FAMILY, FontUsage, face_info
from .ooxml import XmlElement
from .package import package_bytes, zip_date

#: Parts of python-docx's template a brief does not want: Word 2010's duplicate style
#: sheet, a sample bibliography store and a thumbnail of an empty page.
_UNWANTED_RELATIONSHIPS = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    RT.CUSTOM_XML,
    RT.THUMBNAIL,
)


#: Word wants a region for proofing; bare language codes get their usual one.
_DEFAULT_REGIONS = {
    "cs": "cs-CZ",
    "de": "de-DE",
    "en": "en-US",
    "es": "es-ES",
    "fr": "fr-FR",
    "it": "it-IT",
    "ko": "ko-KR",
    "nl": "nl-NL",
    "pl": "pl-PL",
    "pt": "pt-PT",
    "ru": "ru-RU",
    "sk": "sk-SK",
    "uk": "uk-UA",
}
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")

_CORE_LIMIT = 255  # python-docx's (and Word's) limit for a core property string


def write_docx(document: m.Document, options: WriterOptions | None = None) -> bytes:
    """Return the DOCX bytes of ``document``: native footnotes, embedded subset fonts.

    The same document always gives the same bytes. Raises RenderError (one line) for
    what cannot be written: control characters or characters the fonts lack, note
    references that do not match the notes, heading levels other than 1 to 3, tables
    whose rows or widths do not match their header. A paragraph role without a style
    of its own is written as body text.
    """
    return _Writer(document).write()


# -- checks on the model ----------------------------------------------------------


def _parse_date(value: str) -> _dt.date | None:
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        pass
    if re.fullmatch(r"\d{4}(-\d{2})?", value):  # a year or a month: its first day
        try:
            return _dt.date.fromisoformat((value + "-01-01")[:10])
        except ValueError:
            pass
    try:
        return _dt.datetime.fromisoformat(value).date()
    except ValueError:
        raise RenderError(f"document date {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _language(value: str, what: str = "document language") -> str:
    tag = value or "en"
    if not _LANGUAGE_TAG.fullmatch(tag):
        raise RenderError(f"{what} {value!r} is not a language tag such as 'en-GB'")
    return _DEFAULT_REGIONS.get(tag.lower(), tag)


def revision_date(document: m.Document) -> str:
    """Return the date of the document's revisions (its revision date, else its date), checked."""
    when = document.revision_date or document.date or "1980-01-01"
    ooxml.revision_date(when)  # raises RenderError for what is not an ISO date
    return when


def _column_widths(table: m.Table, measure: Callable[[str, bool], int]) -> list[int]:
    n = table.columns
    weights = list(table.widths) if table.widths else [1.0] * n
    if len(weights) != n:
        raise RenderError(f"table has {n} columns but {len(weights)} column widths")
    if not all(isinstance(w, (int, float)) and w > 0 and w != float("inf") for w in weights):
        raise RenderError(f"table column widths must be positive numbers, got {table.widths}")
    total = sum(weights)
    # each column at least as wide as its longest word (in twips), so Word breaks none mid-word
    need = column_needs((table.header, *table.rows), measure, 2 * ooxml.twips(S.TABLE_CELL_MARGIN) + 40)
    fitted = fit_words([S.TEXT_WIDTH * w / total for w in weights], need)
    widths = [int(w) for w in fitted]
    widths[-1] += S.TEXT_WIDTH - sum(widths)
    return widths


#: Half the body height in table lines: a row that may be taller than this is
#: allowed to break across pages (Word and LibreOffice clip a row kept whole
#: that is taller than a page).
_ROW_LINES_KEPT_WHOLE = (S.PAGE_HEIGHT - S.MARGIN_TOP - S.MARGIN_BOTTOM) / 20 / (8.5 * 1.2) / 2


def _may_outgrow_a_page(cells: Iterable[Sequence[m.Inline]], widths: list[int]) -> bool:
    """Return True when a row's text may need more lines than a row kept whole should hold.

    A rough count: DejaVu Sans at 8.5 pt averages under 0.55 em a character.
    """
    for inlines, width in zip(cells, widths):
        per_line = max(1, int((width / 20 - 2 * S.TABLE_CELL_MARGIN) / (8.5 * 0.55)))
        text = "".join(getattr(node, "text", "") for node in inlines)
        lines = sum(len(part) // per_line + 1 for part in text.split("\n"))
        if lines > _ROW_LINES_KEPT_WHOLE:
            return True
    return False


def _core_text(value: str) -> str:
    text = ooxml.clean_text(value)
    return text if len(text) <= _CORE_LIMIT else text[: _CORE_LIMIT - 1] + "\u2026"


# -- the writer -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _template() -> bytes:
    """Return python-docx's default template, cut down to what every brief starts from.

    Its unwanted parts are dropped, and so are the parts each brief writes anew (the
    extended properties and the font table); its large style sheet is replaced by the
    brief's, which makes loading the template for each document quick.
    """
    doc = docx.Document()
    for source in (doc.part.package, doc.part):
        for rel_id, rel in list(source.rels.items()):
            if rel.reltype in _UNWANTED_RELATIONSHIPS or rel.reltype in (
                RT.EXTENDED_PROPERTIES,
                RT.FONT_TABLE,
            ):
                del source.rels[rel_id]
    ooxml.build_styles(doc.styles.element, S.PARAGRAPH_STYLES, S.CHARACTER_STYLES, "en-US")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def prepare() -> None:
    """Make the template every document starts from, ahead of the first write."""
    _template()


class _Writer:
    def __init__(self, document: m.Document):
        self.model = document
        self.day = _parse_date(document.date)
        self.language = _language(document.language)
        self.usage = FontUsage()
        self.after_table = False
        self.pictures = 0  # drawings written so far; the next one's wp:docPr id is one more
        self.referenced: set[int] = set()  # notes whose first reference is written
        self.word_widths: dict[str, int] = {}  # table words measured so far, in twips
        check_document(document)
        if has_changes(document):
            if not document.revision_author.strip():  # Word refuses a revision without an author
                raise RenderError("the document marks changes but has no revision author")
            self.revision_when = revision_date(document)  # raises for a bad date
        self.revision_ids = iter(range(1, 1 << 31))

    # setup

    def write(self) -> bytes:
        self.doc = docx.Document(io.BytesIO(_template()))
        self.package = self.doc.part.package
        self._prepare_package()
        self._setup_section()
        self._body()
        self._footnotes()
        self._footer()
        self._core_properties()
        self._provenance()
        self._fonts()
        ooxml.configure_settings(
            self.doc.settings.element,
            language=self.language,
            footnotes=bool(self.model.footnotes),
            embedded_fonts=True,
            track_revisions=bool(self.model.revision_author),
        )
        return package_bytes(
            self.package, zip_date(self.day), {self.doc.part.partname: self.serial.document_xml()}
        )

    def _provenance(self) -> None:
        """Add the brief's provenance record as a custom XML part of the document, as Word keeps such data."""
        if not self.model.provenance:
            return
        item = Part(
            PackURI("/customXml/item1.xml"),
            ooxml.CT_XML,
            embedded.custom_xml_item(self.model.provenance),
            self.package,
        )
        properties = Part(
            PackURI("/customXml/itemProps1.xml"),
            "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
            embedded.custom_xml_properties(),
            self.package,
        )
        item.relate_to(properties, RT.CUSTOM_XML_PROPS)
        self.doc.part.relate_to(item, RT.CUSTOM_XML)

    def _prepare_package(self) -> None:
        app = Part(
            PackURI("/docProps/app.xml"),
            ooxml.CT_EXTENDED_PROPERTIES,
            ooxml.app_properties_xml(APPLICATION),
            self.package,
        )
        self.package.relate_to(app, RT.EXTENDED_PROPERTIES)
        ooxml.build_styles(self.doc.styles.element, S.PARAGRAPH_STYLES, S.CHARACTER_STYLES, self.language)
        self.styles = {style.style_id: style for style in self.doc.styles}
        ooxml.build_bullet_numbering(self.doc.part.numbering_part.element, S.LIST_BULLET, S.BULLET_CHAR)

    def _setup_section(self) -> None:
        section = self.doc.sections[0]
        letter = self.model.paper == "letter"
        width, height = (S.LETTER_WIDTH, S.LETTER_HEIGHT) if letter else (S.PAGE_WIDTH, S.PAGE_HEIGHT)
        side = (width - S.TEXT_WIDTH) // 2
        section.page_width = Twips(width)
        section.page_height = Twips(height)
        section.top_margin = Twips(S.MARGIN_TOP)
        section.bottom_margin = Twips(S.MARGIN_BOTTOM)
        section.left_margin = Twips(side)
        section.right_margin = Twips(width - S.TEXT_WIDTH - side)
        section.header_distance = Twips(S.HEADER_DISTANCE)
        section.footer_distance = Twips(S.FOOTER_DISTANCE)
        section.gutter = Twips(0)

    # change marks

    def _revision(self, change: str) -> tuple[str, str, str, int]:
        """Return (kind, author, date, id) arguments for a new revision mark."""
        return change, self.model.revision_author, self.revision_when, next(self.revision_ids)

    def _track(self, run: XmlElement, change: str) -> None:
        if change:
            kind, author, date, rid = self._revision(change)
            ooxml.track_run(run, kind, author, date, revision_id=rid)

    def _mark_paragraph(self, paragraph: XmlElement, change: str) -> None:
        if change:
            kind, author, date, rid = self._revision(change)
            ooxml.mark_paragraph_revision(paragraph, kind, author, date, revision_id=rid)

    # text

    def _text(
        self,
        paragraph: XmlElement,
        text: str,
        style: S.ParagraphStyle,
        bold: bool,
        italic: bool,
        change: str = "",
        lang: str = "",
    ) -> None:
        if not text:
            return
        # a line break of the model (<br/> in the markup) is a w:br; digit groups keep to one
        # line (a number and its unit are left to Word: a redline marks them as separate words)
        lines = [
            ooxml.clean_text(unbreakable_numbers(line, _GROUP_SPACE, units=False))
            for line in _LINE_BREAK.split(text)
        ]
        self.usage.add(face(style.family, style.bold or bold, style.italic or italic), "".join(lines))
        # text in another language than the document's (a quote) says so, for proofing and screen readers
        run_lang = _language(lang, "text language") if lang and lang != self.model.language else ""
        self._track(ooxml.text_run(paragraph, lines, bold, italic, run_lang), change)

    def _inlines(
        self, paragraph: XmlElement, inlines: Iterable[m.Inline], style: S.ParagraphStyle, change: str = ""
    ) -> None:
        """Write ``inlines``; ``change`` marks those without a mark of their own."""
        plain = face(style.family, style.bold, style.italic)
        # The note references since the last text: whether one survives accepting
        # (kept or inserted) and rejecting (kept or deleted) the changes.
        accepted = rejected = False
        for inline in inlines:
            if isinstance(inline, m.Text):
                if inline.text:
                    mark = inline.change or change
                    self._text(paragraph, inline.text, style, inline.bold, inline.italic, mark, inline.lang)
                    # text ends a run of references in each view it is part of
                    accepted = accepted and mark == m.DELETED
                    rejected = rejected and mark == m.INSERTED
            elif isinstance(inline, m.NoteRef):
                mark = inline.change or change
                # "1,2" rather than "12", as in the PDF; the comma is there in each view
                # (changes accepted, rejected) where a reference before this one is too.
                in_accepted = accepted and mark != m.DELETED
                in_rejected = rejected and mark != m.INSERTED
                if in_accepted or in_rejected:
                    run = ooxml.reference_separator(paragraph, S.REFERENCE_SEPARATOR)
                    self.usage.add(plain, S.REFERENCE_SEPARATOR)
                    if not (in_accepted and in_rejected):
                        self._track(run, m.INSERTED if in_accepted else m.DELETED)
                self._note_reference(paragraph, inline.number, mark)
                self.usage.add(plain, str(inline.number))
                accepted = accepted or mark != m.DELETED
                rejected = rejected or mark != m.INSERTED
            else:
                raise RenderError(f"cannot write inline content of type {type(inline).__name__}")

    def _note_reference(self, paragraph: XmlElement, number: int, change: str) -> None:
        """Write a reference to note ``number``: the note itself the first time, else a NOTEREF to it."""
        if number in self.referenced:
            for r in ooxml.add_note_cross_reference(paragraph, number):
                self._track(r, change)
            return
        self.referenced.add(number)
        self._track(ooxml.note_reference(paragraph, number), change)

    def _new_paragraph(self, style: S.ParagraphStyle) -> XmlElement:
        paragraph = ooxml.paragraph(self.body, style.style_id)
        if self.after_table and style is not S.CAPTION and style.space_before < S.TABLE_GAP:
            # a table has no space below it; the paragraph after one keeps its distance
            ooxml.space_before(paragraph, S.TABLE_GAP)
        self.after_table = False
        return paragraph

    def _paragraph(
        self, inlines: Iterable[m.Inline], style: S.ParagraphStyle, change: str = ""
    ) -> XmlElement:
        paragraph = self._new_paragraph(style)
        self._inlines(paragraph, inlines, style, change)
        self._mark_paragraph(paragraph, change)
        return paragraph

    # blocks

    @property
    def body(self) -> XmlElement:
        """Return the element the next block is appended to."""
        return self.serial.holder

    def _body(self) -> None:
        self.serial = ooxml.SerialBody(self.doc.element)
        blocks = self.model.blocks
        if not blocks:  # Word wants at least one paragraph in a body
            ooxml.paragraph(self.body, S.NORMAL.style_id)
        self.after_table = False
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if not isinstance(block, m.Table):
                self._block(block)
            else:
                self._table(
                    block,
                    keep_with_next=isinstance(following, m.Paragraph) and following.role == "caption",
                )
                if following is None or isinstance(following, m.Table):
                    # Word joins adjacent tables and wants a paragraph after the last one
                    ooxml.paragraph(self.body, S.NORMAL.style_id)
                self.after_table = True
            self.serial.block_done()
        self.serial.close()

    def _block(self, block: m.Block) -> None:
        if isinstance(block, m.Heading):
            style = S.HEADINGS.get(block.level)
            if style is None:
                raise RenderError(
                    f"heading level {block.level} is not supported (1 to {len(S.HEADINGS)}): "
                    f"{block.plain_text[:60]!r}"
                )
            self._paragraph(block.inlines, style, block.change)
        elif isinstance(block, m.Paragraph):
            self._paragraph(block.inlines, S.ROLES.get(block.role, S.NORMAL), block.change)
        elif isinstance(block, m.BulletList):
            if block.items:  # Word draws the bullets in the list style's font
                self.usage.add(face(S.LIST_BULLET.family), S.BULLET_CHAR)
            for index, item in enumerate(block.items):
                self._paragraph(item, S.LIST_BULLET, block.item_change(index))
        elif isinstance(block, m.Chart):
            self._chart(block)
        else:
            raise RenderError(f"cannot write block of type {type(block).__name__}")

    def _table(self, block: m.Table, keep_with_next: bool = False) -> None:
        columns = block.columns
        if columns == 0:
            raise RenderError("table has no columns")
        for number, row in enumerate(block.rows, start=1):
            if len(row) != columns:
                raise RenderError(f"table row {number} has {len(row)} cells, the header has {columns}")
        widths = _column_widths(block, self._measure)
        table = ooxml.table(self.body, widths)
        # The header keeps with the first two rows and the last row with the one before,
        # so no page holds a header alone or a lone row of a table that began before it.
        body = len(block.rows)
        kept = {0} | ({1} if body >= 2 else set()) | ({body - 1} if body >= 3 else set())
        if keep_with_next:  # a caption below the table stays on the last row's page
            kept.add(body)
        for index, cells in enumerate((block.header, *block.rows)):
            header = index == 0
            style = S.TABLE_HEADING if header else S.TABLE_TEXT
            change = block.change if header else block.row_change(index - 1)
            row, paragraphs = ooxml.table_row(
                table,
                widths,
                style.style_id,
                kept_whole=header or not _may_outgrow_a_page(cells, widths),
                header_fill=S.HEADER_FILL if header else "",
            )
            for paragraph, inlines in zip(paragraphs, cells):
                self._inlines(paragraph, inlines, style, change)
                if index in kept:
                    ooxml.keep_with_next(paragraph)
            if change:
                kind, author, date, rid = self._revision(change)
                ooxml.mark_row_revision(row, kind, author, date, revision_id=rid)

    def _measure(self, word: str, header: bool) -> int:
        """Return the width of ``word`` in a table cell, in twips (bold, as the widest a cell sets it)."""
        width = self.word_widths.get(word)
        if width is None:
            width = self.word_widths[word] = ooxml.twips(
                text_width(word, S.TABLE_TEXT.size, S.TABLE_TEXT.family, bold=True)
            )
        return width

    def _chart(self, chart: m.Chart) -> None:
        """Write a chart: its title and picture in one paragraph, its caption, its text alternative.

        The picture is :func:`~.chart_picture.chart_png` of the chart, drawn without
        the title (the paragraph's text shows it), as wide as the text and as high as
        its proportions make it. Its ``wp:docPr`` carries the text alternative as
        ``descr`` (Word's alt text, LibreOffice's description) and the title as
        ``title``. The title and the picture share a paragraph, kept on one page with
        the caption beneath.

        The text alternative is not printed: a screen reader reads it from ``descr``, and
        the tables before the chart give the same figures as text. A marked chart is
        marked as its text is: the picture's run in ``w:ins``/``w:del``, the paragraph
        marks with it, so a redline shows the old and the new picture.
        """
        from .chart_picture import chart_png  # Pillow: imported only for a chart

        paragraph = self._new_paragraph(S.CHART_TITLE)
        if chart.title:
            self._text(paragraph, chart.title, S.CHART_TITLE, False, False, chart.change)
        run = DocxParagraph(paragraph, self.doc._body).add_run()  # python-docx adds the picture's part
        if chart.title:
            run.add_break()
        png = chart_png(dataclasses.replace(chart, title=""))
        run.add_picture(io.BytesIO(png), width=Twips(S.TEXT_WIDTH))
        self.pictures += 1
        ooxml.describe_picture(
            ooxml._el(run),
            shape_id=self.pictures,
            name=f"Chart {self.pictures}",
            description=chart.alt_text,
            title=chart.title,
        )
        self._track(ooxml._el(run), chart.change)
        self._mark_paragraph(paragraph, chart.change)
        self._paragraph(chart.caption, S.CAPTION, chart.change)

    # parts

    def _footnotes(self) -> None:
        if not self.model.footnotes:
            return
        part = XmlPart(
            PackURI("/word/footnotes.xml"),
            ooxml.CT_FOOTNOTES,
            ooxml.footnotes_element(),
            self.package,
        )
        self.doc.part.relate_to(part, ooxml.RT_FOOTNOTES)
        style = S.FOOTNOTE_TEXT
        for note in self.model.footnotes:
            paragraph = ooxml.add_footnote(part.element, note.number)
            self.usage.add(face(style.family), str(note.number))
            self._inlines(paragraph, note.inlines, style)

    def _footer(self) -> None:
        footer = self.doc.sections[0].footer
        paragraph = footer.paragraphs[0]
        ooxml.set_paragraph_style(ooxml._el(paragraph), S.FOOTER.style_id)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Twips(S.TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
        self._text(ooxml._el(paragraph), self.model.footer, S.FOOTER, False, False)
        paragraph.add_run().add_tab()
        ooxml.add_page_of_pages(paragraph)
        self.usage.add(face(S.FOOTER.family), "Page of 0123456789")

    def _core_properties(self) -> None:
        props = self.doc.core_properties
        model = self.model
        props.title = _core_text(model.title)
        props.subject = _core_text(model.subject)
        props.author = _core_text(model.author)
        props.last_modified_by = _core_text(model.author)
        props.language = _core_text(model.language or "en")
        props.comments = ""
        props.keywords = ""
        props.category = ""
        props.revision = 1
        if self.day is None:
            ooxml.remove_core_dates(self.package.part_related_by(RT.CORE_PROPERTIES).element)
        else:
            moment = _dt.datetime(self.day.year, self.day.month, self.day.day)
            props.created = moment
            props.modified = moment

    def _fonts(self) -> None:
        table = XmlPart(
            PackURI("/word/fontTable.xml"),
            ooxml.CT_FONT_TABLE,
            ooxml.font_table_element(),
            self.package,
        )
        self.doc.part.relate_to(table, RT.FONT_TABLE)
        entries: dict[str, ooxml.FontEntry] = {}
        for family in sorted({s.family for s in S.PARAGRAPH_STYLES}):
            info = face_info(self.usage.path(face(family)))
            entries[family] = ooxml.FontEntry(
                family, info.panose, GENERIC_FAMILY.get(family, "auto"), info.signature
            )
        for number, used in enumerate(self.usage.used_faces(), start=1):
            data = self.usage.subset(used, S.BASE_CHARACTERS)
            key = ooxml.font_key(data)
            part = Part(
                PackURI(f"/word/fonts/font{number}.odttf"),
                ooxml.CT_OBFUSCATED_FONT,
                ooxml.obfuscate_font(data, key),
                self.package,
            )
            kind = ("Bold" if used.bold else "") + ("Italic" if used.italic else "")
            entries[used.family].faces.append(
                ooxml.EmbeddedFace(kind or "Regular", table.relate_to(part, ooxml.RT_FONT), key)
            )
        ooxml.add_font_entries(table.element, entries.values())


_LINE_BREAK = re.compile("\r\n|[\r\n]")
#: Between digit groups ("12 400"): a narrow no-break space, which Word never breaks at.
_GROUP_SPACE = "\u202f"
