"""The format-neutral document model that templates produce and writers consume.

Change marks (for a redline, see :mod:`factsheet.review.docdiff`): a ``change``
of ``"ins"`` or ``"del"`` marks content as inserted or deleted, as a tracked
change. It is found on inline text and note references, on whole blocks
(paragraph marks included), on list items and on table rows. The empty string,
the default, means unchanged, so documents that never set a mark are ordinary
documents. A writer that knows change marks writes them as revisions by
``Document.revision_author`` dated ``Document.revision_date``; one that does not
may draw every piece of text as it would unmarked text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from factsheet.chartdata import Series as Series  # re-exported: a chart block holds them

# -- inline content ---------------------------------------------------------


#: A language tag as ``Text.lang`` takes it (BCP 47 in its common forms: en, pt-BR, sr-Latn).
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")

#: The change marks: inserted and deleted (and "" for unchanged).
INSERTED, DELETED = "ins", "del"
CHANGES = ("", INSERTED, DELETED)


@dataclass(frozen=True, slots=True)
class Text:
    """A run of literal text, optionally bold and/or italic; ``change`` marks it inserted or deleted.

    ``lang`` is the language tag of text in another language than the document's
    (a quote from a Polish article in an English brief), else empty.
    """

    text: str
    bold: bool = False
    italic: bool = False
    change: str = ""
    lang: str = ""


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A reference to a footnote; ``number`` is the note's number, 1-based.

    A reference marked inserted or deleted takes its note with it when the
    change is accepted (deleted) or rejected (inserted).
    """

    number: int
    change: str = ""


Inline = Text | NoteRef


# -- blocks -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading; level 1 is the document's headline."""

    level: int
    inlines: tuple[Inline, ...]
    change: str = ""  # the whole heading, paragraph mark included

    @property
    def plain_text(self) -> str:
        """Return the heading's text without formatting or note references."""
        return plain_text(self.inlines)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph; ``role`` names its purpose (``dek``, ``lead``, ``meta``, ``caption``, ``note``,
    ``quote`` for a verbatim passage) or is empty."""

    inlines: tuple[Inline, ...]
    role: str = ""
    change: str = ""  # the whole paragraph, paragraph mark included


@dataclass(frozen=True, slots=True)
class BulletList:
    """An unordered list; each item is a sequence of inlines.

    ``change`` marks every item; ``item_changes``, when given, one mark per item.
    """

    items: tuple[tuple[Inline, ...], ...]
    change: str = ""
    item_changes: tuple[str, ...] = ()

    def item_change(self, index: int) -> str:
        """Return the change mark of item ``index`` (its own, else the list's)."""
        own = self.item_changes[index] if index < len(self.item_changes) else ""
        return own or self.change


@dataclass(frozen=True, slots=True)
class Table:
    """A table with one header row; ``widths`` are relative column widths.

    ``change`` marks the whole table (every row, the header included);
    ``row_changes``, when given, one mark per row of ``rows``.

    ``row_spans``, when given, one number per row of ``rows``: ``n`` ≥ 1 where the
    row's first cell is a row header for ``n`` rows (this one and the ``n - 1``
    after it: a group), 0 where the row is covered by the row header above (its
    first cell repeats that header's text, without its notes, for writers that
    cannot merge cells), -1 where the row has no row header.
    """

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    widths: tuple[float, ...] = ()
    change: str = ""
    row_changes: tuple[str, ...] = ()
    row_spans: tuple[int, ...] = ()

    @property
    def columns(self) -> int:
        """Return the number of columns."""
        return len(self.header)

    def row_span(self, index: int) -> int:
        """Return the row-header span of body row ``index`` (see ``row_spans``): -1 for none."""
        return self.row_spans[index] if index < len(self.row_spans) else -1

    def row_change(self, index: int) -> str:
        """Return the change mark of body row ``index`` (its own, else the table's)."""
        own = self.row_changes[index] if index < len(self.row_changes) else ""
        return own or self.change


@dataclass(frozen=True, slots=True)
class Chart:
    """A line/point chart with a caption and a text alternative.

    ``x`` values are days since 1970-01-01; ``x_ticks`` pairs a value with its
    label so every writer draws the same axis.
    """

    title: str
    caption: tuple[Inline, ...]
    alt_text: str
    y_label: str
    series: tuple[Series, ...]
    x_ticks: tuple[tuple[float, str], ...] = ()
    change: str = ""  # the whole chart

    @classmethod
    def of(cls, data: ChartFields, caption: tuple[Inline, ...] = ()) -> Chart:
        """Return the chart block of ``data``; ``caption`` replaces its caption text when given."""
        inlines = caption or ((Text(data.caption),) if data.caption else ())
        return cls(data.title, inlines, data.alt_text, data.y_label, data.series, data.x_ticks)


class ChartFields(Protocol):
    """What a chart block is made of: the chart data of :mod:`factsheet.content.charting`."""

    @property
    def title(self) -> str: ...
    @property
    def caption(self) -> str: ...
    @property
    def alt_text(self) -> str: ...
    @property
    def y_label(self) -> str: ...
    @property
    def series(self) -> tuple[Series, ...]: ...
    @property
    def x_ticks(self) -> tuple[tuple[float, str], ...]: ...


Block = Heading | Paragraph | BulletList | Table | Chart


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote; numbered once, in reading order, for every writer."""

    number: int
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class NoteOrigin:
    """What a footnote cites: the source ids in it, and the ids of the claims whose note it is."""

    number: int
    sources: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()


@dataclass
class Document:
    """A whole brief: metadata, blocks in reading order, and its footnotes."""

    title: str
    blocks: list[Block] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    subject: str = ""
    author: str = ""
    language: str = "en"
    date: str = ""  # ISO date the document is current to (also its build date)
    footer: str = ""
    paper: str = "a4"  # a4 | letter: the page size; the text width is the same on both
    #: Who made the changes marked in the document, and when (an ISO date or date-time).
    #: A document with a revision author is a redline: writers that can switch on
    #: change tracking (DOCX) do, so further edits are tracked too.
    revision_author: str = ""
    revision_date: str = ""
    #: Structured data a web page carries for machines: schema.org JSON-LD objects
    #: (ClaimReview) and the cited articles as CSL-JSON items. Plain JSON values; writers
    #: that publish to the web embed or write them, the others ignore them.
    linked_data: list[dict[str, Any]] = field(default_factory=list)
    references: list[dict[str, Any]] = field(default_factory=list)
    #: Per footnote, in number order: the sources it cites and the claims it is for.
    note_origins: list[NoteOrigin] = field(default_factory=list)
    #: The provenance record (JSON text) every writer embeds as it is, for ``factsheet verify``;
    #: empty for a document not built from a sheet.
    provenance: str = ""

    @property
    def cited_claims(self) -> tuple[str, ...]:
        """Return the claims the notes are for, in order of first mention."""
        return tuple(dict.fromkeys(c for origin in self.note_origins for c in origin.claims))

    @property
    def source_notes(self) -> dict[str, tuple[int, ...]]:
        """Return, for each cited source, the numbers of the notes citing it, ascending."""
        out: dict[str, list[int]] = {}
        for origin in self.note_origins:
            for source in origin.sources:
                out.setdefault(source, []).append(origin.number)
        return {source: tuple(numbers) for source, numbers in out.items()}

    def note(self, number: int) -> Footnote:
        """Return the footnote with the given number."""
        return self.footnotes[number - 1]

    def headings(self) -> list[Heading]:
        """Return every heading in reading order."""
        return [b for b in self.blocks if isinstance(b, Heading)]


def plain_text(inlines: Iterable[Inline]) -> str:
    """Return the text of ``inlines`` with note references dropped."""
    return "".join(i.text for i in inlines if isinstance(i, Text))
