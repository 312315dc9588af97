"""Serialise a Document as an HTML page: semantic blocks, notes linked both ways, inline CSS and SVG."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from html import escape

from factsheet.rendering.document import (
    DELETED,
    INSERTED,
    Block,
    BulletList,
    Chart,
    Document,
    Heading,
    Inline,
    NoteRef,
    Paragraph,
    Table,
    Text,
    plain_text,
)
from factsheet.writers import embedded
from factsheet.writers.html.style import CSS

#: No request of any kind may leave the page: styles are inline, the chart is inline SVG,
#: and linked data is not script that runs.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_ROLE_CLASSES = {
    "dek": "dek",
    "meta": "meta",
    "lead": "lead",
    "caption": "caption",
    "note": "note-para",
    "quote": "quote-para",
}
_SLUG = re.compile(r"[^a-z0-9]+")


def text(value: str) -> str:
    """Return ``value`` escaped for HTML text."""
    return escape(value, quote=False)


def attr(value: str) -> str:
    """Return ``value`` escaped for a double-quoted HTML attribute value."""
    return escape(value, quote=True)


def script_json(value: object) -> str:
    """Return ``value`` as JSON that cannot end the <script> element it sits in."""
    data = json.dumps(value, ensure_ascii=False, indent=2)
    return data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class _Page:
    """Writes one document; keeps the ids it has handed out so every id is unique."""

    def __init__(self, document: Document):
        self.document = document
        self.ids: set[str] = set()
        self.ref_ids: dict[int, list[str]] = defaultdict(list)  # note number → ids of its references
        self.last_heading_id = ""
        self.last_heading_text = ""
        self.charts = 0

    def unique_id(self, base: str) -> str:
        base = base or "section"
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        self.ids.add(candidate)
        return candidate

    # -- inlines --------------------------------------------------------------

    def inlines(self, inlines: Iterable[Inline], in_note: bool = False) -> str:
        out: list[str] = []
        for node in inlines:
            if isinstance(node, NoteRef):
                html = self.note_ref(node.number)
            elif isinstance(node, Text):
                html = self.run(node)
            else:  # pragma: no cover - the model has no other inline
                continue
            out.append(_changed(html, getattr(node, "change", "")))
        return "".join(out)

    def run(self, node: Text) -> str:
        html = "<br>".join(text(part) for part in node.text.split("\n"))
        lang = getattr(node, "lang", "")
        if lang and lang != self.document.language:
            html = f'<span lang="{attr(lang)}">{html}</span>'
        if node.italic:
            html = f"<em>{html}</em>"
        if node.bold:
            html = f"<strong>{html}</strong>"
        return html

    def note_ref(self, number: int) -> str:
        refs = self.ref_ids[number]
        ref_id = self.unique_id(f"ref-{number}" if not refs else f"ref-{number}-{len(refs) + 1}")
        refs.append(ref_id)
        return (
            f'<sup><a id="{ref_id}" href="#note-{number}" role="doc-noteref" '
            f'aria-label="Note {number}">{number}</a></sup>'
        )

    # -- blocks ---------------------------------------------------------------

    def block(self, block: Block) -> str:
        if isinstance(block, Heading):
            return self.heading(block)
        if isinstance(block, Paragraph):
            cls = _ROLE_CLASSES.get(block.role, "")
            attr = f' class="{cls}"' if cls else ""
            return _changed_block(f"<p{attr}>{self.inlines(block.inlines)}</p>", block.change)
        if isinstance(block, BulletList):
            items = "".join(
                f"<li>{_changed(self.inlines(item), block.item_change(i))}</li>"
                for i, item in enumerate(block.items)
            )
            return f"<ul>{items}</ul>"
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Chart):
            return self.chart(block)
        return ""

    def heading(self, heading: Heading) -> str:
        level = min(max(heading.level, 1), 6)
        anchor = self.unique_id(_SLUG.sub("-", heading.plain_text.lower()).strip("-")[:60])
        self.last_heading_id = anchor
        self.last_heading_text = " ".join(heading.plain_text.split())
        html = f'<h{level} id="{anchor}">{self.inlines(heading.inlines)}</h{level}>'
        return _changed_block(html, heading.change)

    def table(self, table: Table) -> str:
        """Return a table; a row header spanning rows heads its own row group (``tbody``).

        On a narrow screen each row is stacked, every cell under its column's name
        (``data-label``); the explicit roles keep it a table for screen readers, which
        some browsers stop exposing once table parts are displayed as blocks.
        """
        labels = [" ".join(plain_text(cell).split()) for cell in table.header]
        head = "".join(
            f'<th scope="col" role="columnheader">{self.inlines(cell)}</th>' for cell in table.header
        )
        groups: list[list[str]] = []
        headed = False  # whether the group open is a row header's
        for i, row in enumerate(table.rows):
            change = table.row_change(i)
            span = table.row_span(i)
            cells = []
            for c, cell in enumerate(row):
                body = _changed(self.inlines(cell), change)
                if c == 0 and span == 0:
                    continue  # under the row header above, which spans this row
                if c == 0 and span > 0:
                    scope = f'scope="rowgroup" rowspan="{span}"' if span > 1 else 'scope="row"'
                    cells.append(f'<th {scope} role="rowheader">{body}</th>')
                else:
                    label = f' data-label="{attr(labels[c])}"' if c < len(labels) and labels[c] else ""
                    cells.append(f'<td role="cell"{label}>{body}</td>')
            cls = {INSERTED: ' class="inserted"', DELETED: ' class="deleted"'}.get(change, "")
            if not groups or span > 0 or (span < 0 and headed):
                groups.append([])  # a row header's rows are a group of their own
                headed = span > 0
            groups[-1].append(f'<tr role="row"{cls}>{"".join(cells)}</tr>')
        bodies = "".join(f'<tbody role="rowgroup">{"".join(rows)}</tbody>' for rows in groups)
        # A wide table scrolls inside its own region; a scrollable region must be reachable by
        # keyboard, so it is focusable and named after its section, as the table is by its caption.
        name = self.last_heading_text or "Table"
        label = f'aria-labelledby="{self.last_heading_id}"' if self.last_heading_id else 'aria-label="Table"'
        return (
            f'<div class="table-wrap" role="region" tabindex="0" {label}>'
            f'<table role="table"><caption class="visually-hidden">{text(name)}</caption>'
            f'<thead role="rowgroup"><tr role="row">{head}</tr></thead>{bodies}</table></div>'
        )

    def chart(self, chart: Chart) -> str:
        from factsheet.writers.html.svg import chart_svg

        self.charts += 1
        base = self.unique_id(f"chart-{self.charts}")
        svg = chart_svg(chart, base)
        caption = self.inlines(chart.caption)
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
        return _changed_block(f"<figure>{svg}{figcaption}</figure>", chart.change)

    # -- notes ----------------------------------------------------------------

    def notes(self) -> str:
        if not self.document.footnotes:
            return ""
        items = []
        for note in self.document.footnotes:
            body = self.inlines(note.inlines, in_note=True)
            refs = self.ref_ids.get(note.number, [])
            back = " ".join(
                f'<a href="#{ref}" role="doc-backlink" aria-label="Back to reference {note.number}'
                f'{"" if len(refs) == 1 else f", use {i}"}">↩{"" if len(refs) == 1 else i}</a>'
                for i, ref in enumerate(refs, 1)
            )
            backlinks = f' <span class="backlinks">{back}</span>' if back else ""
            items.append(f'<li id="note-{note.number}" value="{note.number}">{body}{backlinks}</li>')
        heading = self.unique_id("notes-heading")
        return (
            f'<section class="notes" role="doc-endnotes" aria-labelledby="{heading}">'
            f'<h2 id="{heading}">Notes</h2><ol>{"".join(items)}</ol></section>'
        )


def _changed(html: str, change: str) -> str:
    if change == INSERTED:
        return f"<ins>{html}</ins>"
    if change == DELETED:
        return f"<del>{html}</del>"
    return html


def _changed_block(html: str, change: str) -> str:
    if change in (INSERTED, DELETED):
        tag = "ins" if change == INSERTED else "del"
        return f'<{tag} class="block">{html}</{tag}>'
    return html


def page(document: Document) -> str:
    """Return the whole HTML page for ``document``."""
    writer = _Page(document)
    body = "\n".join(filter(None, (writer.block(b) for b in document.blocks)))
    notes = writer.notes()
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">',
        f"<title>{text(document.title)}</title>",
    ]
    if document.subject:
        head.append(f'<meta name="description" content="{attr(document.subject)}">')
    if document.author:
        head.append(f'<meta name="author" content="{attr(document.author)}">')
    head.append(f"<style>{CSS}</style>")
    linked = getattr(document, "linked_data", None)
    if linked:
        head.append(f'<script type="application/ld+json">\n{script_json(linked)}\n</script>')
    if document.provenance:  # a data block: no browser runs it, 'factsheet verify' reads it
        head.append(embedded.html_block(document.provenance))
    footer = f"<footer>{text(document.footer)}</footer>" if document.footer else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{attr(document.language or "en")}">\n<head>\n' + "\n".join(head) + "\n</head>\n"
        '<body>\n<main class="factbox">\n<article>\n'
        f"{body}\n{notes}\n</article>\n{footer}\n</main>\n</body>\n</html>\n"
    )
