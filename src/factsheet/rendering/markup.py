"""Parse the document markup that templates emit into the document model.

The markup is a small XML vocabulary. Templates are rendered with autoescaping,
so text from YAML arrives here escaped and leaves as literal Text nodes: it can
never become markup in any writer.

    <brief title=".." subject=".." author=".." lang="en" date="2025-01-14" footer="..">
      <h1>..</h1> <h2>..</h2> <h3>..</h3>
      <p role="dek|meta|caption|note">.. <em>..</em> <strong>..</strong> <note>..</note>
         <span lang="uk">text in another language</span></p>
      <ul><li>..</li></ul>
      <table widths="3,2,2"><tr><th>..</th></tr><tr><td>..</td></tr></table>
      <chart name="..">caption inlines</chart>
    </brief>

A document type declaration is refused: it could define entities that expand
to anything (or to gigabytes), and the vocabulary above needs none. Nesting is
limited to :data:`MAX_DEPTH` elements.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from factsheet.rendering.document import (
    LANGUAGE_TAG, BulletList, Chart, Document, Footnote, Heading, NoteRef, Paragraph, Table, Text,
)
from factsheet.errors import TemplateError
from factsheet.sources.loading import printable

_SPACE = re.compile(r"[ \t\r\n]+")
_DOCTYPE = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
MAX_DEPTH = 50
_ROLES = {"", "dek", "meta", "caption", "note", "lead"}


class _Reader:
    def __init__(self, source_name: str, charts: dict[str, Chart]):
        self.source_name = source_name
        self.charts = charts
        self.footnotes: list[Footnote] = []

    def fail(self, element, message: str):
        raise TemplateError(f"template {self.source_name} produced invalid markup: <{element.tag}>: {message}")

    # -- inlines ------------------------------------------------------------

    def inlines(self, element, bold=False, italic=False, in_note=False, lang="") -> list:
        out: list = []
        if element.text:
            out.append(Text(element.text, bold, italic, lang=lang))
        for child in element:
            tag = child.tag
            if tag in ("em", "i"):
                out.extend(self.inlines(child, bold, True, in_note, lang))
            elif tag in ("strong", "b"):
                out.extend(self.inlines(child, True, italic, in_note, lang))
            elif tag == "span":
                value = child.get("lang", "")
                if not LANGUAGE_TAG.match(value):
                    self.fail(child, f"lang must be a language tag such as 'uk' or 'pt-BR', found '{value}'")
                out.extend(self.inlines(child, bold, italic, in_note, value))
            elif tag == "note":
                if in_note:
                    self.fail(child, "a note cannot hold another note")
                number = len(self.footnotes) + 1
                # Reserve the number before reading the body so notes keep reading order.
                self.footnotes.append(None)  # type: ignore[arg-type]
                body = _tidy(self.inlines(child, in_note=True))
                self.footnotes[number - 1] = Footnote(number, tuple(body))
                out.append(NoteRef(number))
            elif tag == "br":
                out.append(Text("\n", bold, italic, lang=lang))
            else:
                self.fail(child, "not allowed inside text (expected em, strong, span, note or br)")
            if child.tail:
                out.append(Text(child.tail, bold, italic, lang=lang))
        return out

    def block_inlines(self, element) -> tuple:
        return tuple(_tidy(self.inlines(element)))

    # -- blocks -------------------------------------------------------------

    def blocks(self, root) -> list:
        out = []
        for el in root:
            tag = el.tag
            if tag in ("h1", "h2", "h3"):
                out.append(Heading(int(tag[1]), self.block_inlines(el)))
            elif tag == "p":
                role = el.get("role", "")
                if role not in _ROLES:
                    self.fail(el, f"unknown role '{role}' (expected one of {', '.join(sorted(_ROLES - {''}))})")
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
                out.append(Chart(chart.title, caption or chart.caption, chart.alt_text, chart.y_label,
                                 chart.series, chart.x_ticks))
            else:
                self.fail(el, "unknown block (expected h1, h2, h3, p, ul, table or chart)")
        return out

    def _is(self, el, tag: str) -> bool:
        if el.tag != tag:
            self.fail(el, f"expected <{tag}>")
        return True

    def table(self, el) -> list:
        rows = [r for r in el if self._is(r, "tr")]
        if len(rows) < 2:
            return []  # a table with no data rows is left out, as an empty list would be
        header = tuple(self.block_inlines(c) for c in rows[0] if self._is(c, "th"))
        body = []
        for r in rows[1:]:
            cells = tuple(self.block_inlines(c) for c in r if self._is(c, "td"))
            if len(cells) != len(header):
                self.fail(r, f"row has {len(cells)} cells, the header has {len(header)}")
            body.append(cells)
        widths = ()
        if el.get("widths"):
            try:
                widths = tuple(float(w) for w in el.get("widths").split(","))
            except ValueError:
                self.fail(el, f"widths must be numbers separated by commas, found '{el.get('widths')}'")
            if len(widths) != len(header):
                self.fail(el, f"{len(widths)} widths for {len(header)} columns")
        return [Table(header, tuple(body), widths)]


def _tidy(inlines: list) -> list:
    """Fold whitespace as HTML does, merge adjacent runs, and trim the ends."""
    out: list = []
    for node in inlines:
        if isinstance(node, Text):
            text = _SPACE.sub(" ", node.text) if node.text != "\n" else "\n"
            last = out[-1] if out and isinstance(out[-1], Text) else None
            if last is not None and (last.bold, last.italic, last.lang) == (node.bold, node.italic, node.lang):
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


def _check_depth(root, reader: _Reader) -> None:
    """Refuse markup nested deeper than MAX_DEPTH (without recursion, so any depth is safe)."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            reader.fail(element, f"elements are nested deeper than {MAX_DEPTH} levels, the limit")
        stack.extend((child, depth + 1) for child in element)


PAPERS = ("a4", "letter")


def _paper(root, reader) -> str:
    paper = root.get("paper", "a4") or "a4"
    if paper not in PAPERS:
        reader.fail(root, f"paper: expected one of {' | '.join(PAPERS)}, found {paper!r}")
    return paper


def parse(markup: str, source_name: str, charts: dict[str, Chart] | None = None) -> Document:
    """Return the Document described by ``markup``; raise TemplateError naming the bad spot."""
    doctype = _DOCTYPE.search(markup)
    if doctype:
        line = markup.count("\n", 0, doctype.start()) + 1
        raise TemplateError(f"template {source_name} produced a document type declaration at output line {line}; "
                            "entity definitions are not allowed in the markup")
    try:
        root = ET.fromstring(markup)
    except ET.ParseError as exc:
        line, col = exc.position
        lines = markup.split("\n")
        shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        raise TemplateError(
            f"template {source_name} produced malformed markup at output line {line}, column {col + 1}: "
            f"{exc.msg if hasattr(exc, 'msg') else exc}: {printable(shown[:120])}"
        ) from None
    reader = _Reader(source_name, charts or {})
    if root.tag != "brief":
        reader.fail(root, "the markup must start with <brief>")
    _check_depth(root, reader)
    blocks = reader.blocks(root)
    return Document(
        title=root.get("title", ""), subject=root.get("subject", ""), author=root.get("author", ""),
        language=root.get("lang", "en"), date=root.get("date", ""), footer=root.get("footer", ""),
        paper=_paper(root, reader), blocks=blocks, footnotes=reader.footnotes,
    )
