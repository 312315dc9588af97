"""Parse the document markup that templates emit into the document model.

The markup is a small XML vocabulary. Templates are rendered with autoescaping,
so text from YAML arrives here escaped and leaves as literal Text nodes: it can
never become markup in any writer.

    <brief title=".." subject=".." author=".." lang="en" date="2025-01-14" footer="..">
      <h1>..</h1> <h2>..</h2> <h3>..</h3>
      <p role="dek|meta|caption|note|lead|quote">.. <em>..</em> <strong>..</strong> <q>..</q> <note>..</note>
         <span lang="uk">text in another language</span></p>
      <ul><li>..</li></ul>
      <table widths="3,2,2"><tr><th>..</th></tr><tr><th rowspan="2">group</th><td>..</td></tr><tr><td>..</td></tr></table>
      <chart name="..">caption inlines</chart>
    </brief>

Typography: straight quotes and apostrophes in text become typographic ones (see
:func:`factsheet.typography.smart_quotes`), except inside ``<q>``, which holds a
verbatim quote and is left exactly as the source has it.

Notes: ``<note claim="ID">`` names the claim the note is for (recorded in the
document's provenance, never shown). A note's text may cite a source article with
``<cite key="ID"><first>full form</first><again>short form</again></cite>``: the
first note that cites ``ID`` shows the full form, every later one the short form.
A note identical to an earlier one (the same text once every citation in it is
taken in its full form, or the same text as shown) is not made twice: the
reference points to the earlier note again (a repeated ``NoteRef`` number), so
no two notes of a document are the same. Note marks at one place (references
with no text between them) are put in ascending order, each number once.

A note may name the claim it is for, ``<note claim="ID">``: the document
records, per note, the sources it cites and the claims it is for
(:attr:`Document.note_origins`), so a template's second run can count what
the brief shows and number its source annex.

Tables: a data row's leading ``th`` is a row header; with ``rowspan`` it heads
a group of rows, which leave out their first cell (``Table.row_spans``).

A document type declaration is refused: it could define entities that expand
to anything (or to gigabytes), and the vocabulary above needs none. Nesting is
limited to :data:`MAX_DEPTH` elements.
"""

from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import NoReturn

from factsheet.errors import TemplateError
from factsheet.rendering.document import (
    LANGUAGE_TAG,
    Block,
    BulletList,
    Chart,
    ChartFields,
    Document,
    Footnote,
    Heading,
    Inline,
    NoteOrigin,
    NoteRef,
    Paragraph,
    Table,
    Text,
)
from factsheet.rendering.typography import smart_quotes
from factsheet.sources.loading import printable

_SPACE = re.compile(r"[ \t\r\n]+")
_DOCTYPE = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
MAX_DEPTH = 50
_ROLES = {"", "dek", "meta", "caption", "note", "lead", "quote"}


class MarkupError(TemplateError):
    """The markup a template wrote is not valid; knows where in that output the trouble is.

    ``line`` and ``col`` (1-based) are positions in the template's output;
    :func:`factsheet.templating.render` turns them into the template file and line.
    """

    def __init__(self, source_name: str, detail: str, line: int, col: int, excerpt: str = ""):
        self.source_name, self.detail, self.line, self.col, self.excerpt = (
            source_name,
            detail,
            line,
            col,
            excerpt,
        )
        shown = f": {excerpt}" if excerpt else ""
        super().__init__(f"template {source_name} wrote {detail} at output line {line}, column {col}{shown}")

    def offset(self, text: str) -> int:
        """Return the position in ``text`` (the output) of the trouble."""
        lines = text.split("\n")
        return sum(len(x) + 1 for x in lines[: self.line - 1]) + self.col - 1


class _Invalid(Exception):
    """An element the vocabulary does not allow, found while reading the tree (located afterwards)."""

    def __init__(self, element: ET.Element, message: str):
        super().__init__(message)
        self.element, self.message = element, message


class _Reader:
    def __init__(self, source_name: str, charts: Mapping[str, ChartFields]):
        self.source_name = source_name
        self.charts = charts
        self.footnotes: list[Footnote] = []
        self._by_full: dict[
            tuple[Inline, ...], int
        ] = {}  # a note's text with every citation in full -> number
        self._by_shown: dict[tuple[Inline, ...], int] = {}  # a note's text as shown -> number
        self._cited: set[str] = set()  # keys of the sources cited in a note so far
        self._keys: list[str] = []  # keys of the sources cited in the note being read
        #: per note number: the keys it cites and the claims (the note's claim attribute) it is for
        self.origins: dict[int, tuple[list[str], list[str]]] = {}
        self._last = ""  # the last character written, for typographic quotes

    def fail(self, element: ET.Element, message: str) -> NoReturn:
        raise _Invalid(element, message)

    # -- inlines ------------------------------------------------------------

    def _text(self, text: str, bold: bool, italic: bool, verbatim: bool, lang: str = "") -> Text:
        if not verbatim:
            text = smart_quotes(text, self._last)
        if text:
            self._last = text[-1]
        return Text(text, bold, italic, lang=lang)

    def inlines(
        self,
        element: ET.Element,
        bold: bool = False,
        italic: bool = False,
        in_note: bool = False,
        verbatim: bool = False,
        forms: str = "",
        lang: str = "",
    ) -> list[Inline]:
        """Return the inlines of ``element``; ``forms`` picks citation forms in a note ("first" or "")."""
        out: list[Inline] = []
        if element.text:
            out.append(self._text(element.text, bold, italic, verbatim, lang))
        for child in element:
            tag = child.tag
            if tag in ("em", "i"):
                out.extend(self.inlines(child, bold, True, in_note, verbatim, forms, lang))
            elif tag in ("strong", "b"):
                out.extend(self.inlines(child, True, italic, in_note, verbatim, forms, lang))
            elif tag == "q":
                out.extend(self.inlines(child, bold, italic, in_note, True, forms, lang))
            elif tag == "span":
                value = child.get("lang", "")
                if not LANGUAGE_TAG.match(value):
                    self.fail(child, f"lang must be a language tag such as 'uk' or 'pt-BR', found '{value}'")
                out.extend(self.inlines(child, bold, italic, in_note, verbatim, forms, value))
            elif tag == "note":
                if in_note:
                    self.fail(child, "a note cannot hold another note")
                out.append(self.note(child))
            elif tag == "cite":
                if not in_note:
                    self.fail(child, "a citation belongs inside a note")
                out.extend(self.cite(child, bold, italic, forms))
            elif tag == "br":
                out.append(Text("\n", bold, italic, lang=lang))
                self._last = "\n"
            else:
                self.fail(child, "not allowed inside text (expected em, strong, q, span, note or br)")
            if child.tail:
                out.append(self._text(child.tail, bold, italic, verbatim, lang))
        return out

    def cite(self, element: ET.Element, bold: bool, italic: bool, forms: str) -> list[Inline]:
        """Return the full form of a citation, or its short form when its source was cited before."""
        key = element.get("key", "")
        if not key:
            self.fail(element, "a citation needs a key (the source's id)")
        parts = {child.tag: child for child in element}
        if set(parts) - {"first", "again"} or "first" not in parts:
            self.fail(
                element, "a citation holds <first> (the full form) and optionally <again> (the short form)"
            )
        again = forms != "first" and key in self._cited and "again" in parts
        self._cited.add(key)
        self._keys.append(key)
        return self.inlines(parts["again" if again else "first"], bold, italic, True, False, forms)

    def note(self, element: ET.Element) -> NoteRef:
        """Return the reference to the note ``element`` makes: a new note, or an earlier identical one."""
        last, cited = self._last, set(self._cited)
        self._last = ""
        self._keys = []
        full = tuple(_tidy(self.inlines(element, in_note=True, forms="first")))
        keys = list(dict.fromkeys(self._keys))
        number = self._by_full.get(full)
        if number is None:
            self._cited, self._last = cited, ""
            shown = tuple(_tidy(self.inlines(element, in_note=True)))
            number = self._by_shown.get(shown)
            if number is None:
                number = len(self.footnotes) + 1
                self.footnotes.append(Footnote(number, shown))
                self._by_full[full] = self._by_shown[shown] = number
            else:
                self._cited = cited
        else:
            self._cited = cited
        self._last = last
        sources, claims = self.origins.setdefault(number, ([], []))
        sources.extend(k for k in keys if k not in sources)
        claim = element.get("claim")
        if claim and claim not in claims:
            claims.append(claim)
        return NoteRef(number)

    def block_inlines(self, element: ET.Element) -> tuple[Inline, ...]:
        self._last = ""
        return tuple(_ascending_marks(_tidy(self.inlines(element))))

    # -- blocks -------------------------------------------------------------

    def blocks(self, root: ET.Element) -> list[Block]:
        out: list[Block] = []
        for el in root:
            tag = el.tag
            if tag in ("h1", "h2", "h3"):
                out.append(Heading(int(tag[1]), self.block_inlines(el)))
            elif tag == "p":
                role = el.get("role", "")
                if role not in _ROLES:
                    self.fail(
                        el, f"unknown role '{role}' (expected one of {', '.join(sorted(_ROLES - {''}))})"
                    )
                inl = self.block_inlines(el)
                if inl:
                    out.append(Paragraph(inl, role))
            elif tag == "ul":
                items = tuple(self.block_inlines(li) for li in el if self._is(li, "li"))
                if items:
                    out.append(BulletList(items))
            elif tag == "table":
                out.extend(self.table(el))
            elif tag == "chart":
                name = el.get("name", "")
                if name not in self.charts:
                    self.fail(el, f"unknown chart '{name}'")
                chart = self.charts[name]
                caption = self.block_inlines(el)
                out.append(Chart.of(chart, caption))
            else:
                self.fail(el, "unknown block (expected h1, h2, h3, p, ul, table or chart)")
        return out

    def _is(self, el: ET.Element, tag: str) -> bool:
        if el.tag != tag:
            self.fail(el, f"expected <{tag}>")
        return True

    def table(self, el: ET.Element) -> list[Table]:
        rows = [r for r in el if self._is(r, "tr")]
        if len(rows) < 2:
            return []  # a table with no data rows is left out, as an empty list would be
        header = tuple(self.block_inlines(c) for c in rows[0] if self._is(c, "th"))
        body = []
        spans: list[int] = []
        covered = 0  # rows still covered by the row header above
        group: tuple[Text, ...] = ()  # and its text
        for index, r in enumerate(rows[1:]):
            cells = list(r)
            if covered:
                first: tuple[Inline, ...] | None = group
                spans.append(0)
                covered -= 1
            elif cells and cells[0].tag == "th":
                span = self._rowspan(cells[0], len(rows) - 1 - index)
                first = self.block_inlines(cells[0])
                group = tuple(i for i in first if isinstance(i, Text))  # its notes are read once
                spans.append(span)
                covered = span - 1
                cells = cells[1:]
            else:
                first = None
                spans.append(-1)
            row = tuple(self.block_inlines(c) for c in cells if self._is(c, "td"))
            if first is not None:
                row = (first, *row)
            if len(row) != len(header):
                self.fail(r, f"row has {len(row)} cells, the header has {len(header)}")
            body.append(row)
        widths: tuple[float, ...] = ()
        given = el.get("widths")
        if given:
            try:
                widths = tuple(float(w) for w in given.split(","))
            except ValueError:
                self.fail(el, f"widths must be numbers separated by commas, found '{given}'")
            if len(widths) != len(header):
                self.fail(el, f"{len(widths)} widths for {len(header)} columns")
        grouped = any(span >= 0 for span in spans)
        return [Table(header, tuple(body), widths, row_spans=tuple(spans) if grouped else ())]

    def _rowspan(self, cell: ET.Element, left: int) -> int:
        """Return the number of rows a row header spans: its ``rowspan``, 1 without one."""
        text = cell.get("rowspan", "1")
        if not text.isdigit() or not 1 <= int(text) <= left:
            self.fail(
                cell, f"rowspan must be a whole number from 1 to {left} (the rows left), found '{text}'"
            )
        return int(text)


def _ascending_marks(inlines: list[Inline]) -> list[Inline]:
    """Return ``inlines`` with each run of adjacent note references in ascending order, each number once."""
    out: list[Inline] = []
    run: list[NoteRef] = []
    for node in [*inlines, None]:
        if isinstance(node, NoteRef):
            run.append(node)
            continue
        seen: set[int] = set()
        for ref in sorted(run, key=lambda r: r.number):
            if ref.number not in seen:
                seen.add(ref.number)
                out.append(ref)
        run = []
        if node is not None:
            out.append(node)
    return out


def _tidy(inlines: list[Inline]) -> list[Inline]:
    """Fold whitespace as HTML does, merge adjacent runs, and trim the ends."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            text = _SPACE.sub(" ", node.text) if node.text != "\n" else "\n"
            last = out[-1] if out and isinstance(out[-1], Text) else None
            if last is not None and (last.bold, last.italic, last.lang) == (
                node.bold,
                node.italic,
                node.lang,
            ):
                merged = last.text + text
                out[-1] = Text(merged.replace("  ", " "), node.bold, node.italic, lang=node.lang)
            elif text:
                if last is not None and last.text.endswith(" ") and text.startswith(" "):
                    text = text[1:]
                out.append(Text(text, node.bold, node.italic, lang=node.lang))
        else:
            out.append(node)
    if out and isinstance(out[0], Text):
        out[0] = Text(out[0].text.lstrip(" "), out[0].bold, out[0].italic, lang=out[0].lang)
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip(" "), out[-1].bold, out[-1].italic, lang=out[-1].lang)
    return [n for n in out if not (isinstance(n, Text) and not n.text)]


def _check_depth(root: ET.Element, reader: _Reader) -> None:
    """Refuse markup nested deeper than MAX_DEPTH (without recursion, so any depth is safe)."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            reader.fail(element, f"elements are nested deeper than {MAX_DEPTH} levels, the limit")
        stack.extend((child, depth + 1) for child in element)


PAPERS = ("a4", "letter")


def _paper(root: ET.Element, reader: _Reader) -> str:
    paper = root.get("paper", "a4") or "a4"
    if paper not in PAPERS:
        reader.fail(root, f"paper: expected one of {' | '.join(PAPERS)}, found {paper!r}")
    return paper


def _excerpt(markup: str, line: int) -> str:
    lines = markup.split("\n")
    return printable(lines[line - 1].strip()[:120]) if 0 < line <= len(lines) else ""


def _element_position(markup: str, wanted: int) -> tuple[int, int]:
    """Return the 1-based line and column where the ``wanted``-th element (document order) starts.

    Read again with expat, which reports positions; only ever called for an
    error, so the fast parse of good markup pays nothing for it.
    """
    import xml.parsers.expat as expat

    parser = expat.ParserCreate()
    seen = [0]
    found: list[tuple[int, int]] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if seen[0] == wanted and not found:
            found.append((parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))
        seen[0] += 1

    parser.StartElementHandler = start
    with contextlib.suppress(expat.ExpatError):  # the element sought comes before any error
        parser.Parse(markup, True)
    return found[0] if found else (1, 1)


def parse(markup: str, source_name: str, charts: Mapping[str, ChartFields] | None = None) -> Document:
    """Return the Document described by ``markup``; raise MarkupError naming the bad spot in it."""
    doctype = _DOCTYPE.search(markup)
    if doctype:
        line = markup.count("\n", 0, doctype.start()) + 1
        col = doctype.start() - (markup.rfind("\n", 0, doctype.start()) + 1) + 1
        raise MarkupError(
            source_name, "a document type declaration (entity definitions are not allowed)", line, col
        )
    try:
        root = ET.fromstring(markup)
    except ET.ParseError as exc:
        line, col = exc.position
        detail = exc.msg if hasattr(exc, "msg") else str(exc)
        raise MarkupError(
            source_name, f"malformed markup ({detail.split(':')[0]})", line, col + 1, _excerpt(markup, line)
        ) from None
    reader = _Reader(source_name, charts or {})
    try:
        if root.tag != "brief":
            reader.fail(root, "the markup must start with <brief>")
        _check_depth(root, reader)
        blocks = reader.blocks(root)
        paper = _paper(root, reader)
    except _Invalid as exc:
        index = next(i for i, el in enumerate(root.iter()) if el is exc.element)
        line, col = _element_position(markup, index)
        raise MarkupError(
            source_name,
            f"invalid markup: <{exc.element.tag}>: {exc.message}",
            line,
            col,
            _excerpt(markup, line),
        ) from None
    return Document(
        title=smart_quotes(root.get("title", "")),
        subject=smart_quotes(root.get("subject", "")),
        author=root.get("author", ""),
        language=root.get("lang", "en"),
        date=root.get("date", ""),
        footer=smart_quotes(root.get("footer", "")),
        paper=paper,
        blocks=blocks,
        footnotes=reader.footnotes,
        note_origins=[
            NoteOrigin(n, tuple(sources), tuple(claims))
            for n, (sources, claims) in sorted(reader.origins.items())
        ],
    )
