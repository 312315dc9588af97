"""The format-neutral document model that templates produce and writers consume."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


# -- inline content ---------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A run of literal text, optionally bold and/or italic."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class NoteRef:
    """A reference to a footnote; ``number`` is the note's number, 1-based."""

    number: int


Inline = Union[Text, NoteRef]


# -- blocks -----------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is the document's headline."""

    level: int
    inlines: tuple[Inline, ...]

    @property
    def plain_text(self) -> str:
        """Return the heading's text without formatting or note references."""
        return plain_text(self.inlines)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``role`` names its purpose (``dek``, ``meta``, ``caption``, ``note``) or is empty."""

    inlines: tuple[Inline, ...]
    role: str = ""


@dataclass(frozen=True)
class BulletList:
    """An unordered list; each item is a sequence of inlines."""

    items: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True)
class Table:
    """A table with one header row; ``widths`` are relative column widths."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    widths: tuple[float, ...] = ()

    @property
    def columns(self) -> int:
        """Return the number of columns."""
        return len(self.header)


@dataclass(frozen=True)
class Series:
    """One named line of points in a chart; ``points`` are (x, y) pairs.

    Optional, and drawn by writers that know them (a writer that does not still
    draws every point at its y value):

    - ``ranges``: one (low, high) per point when the figure is a range; the
      point sits at the middle and a vertical bar spans low to high. A point
      with low == high has no bar.
    - ``spans``: one (first, last) day per point: the period its date covers
      when known only to the month or year; drawn as a horizontal bar.
    - ``markers``: (x, label) for figures given only in words ("several
      thousand"): drawn on the date axis at no height, since there is no number.
    """

    name: str
    points: tuple[tuple[float, float], ...]
    labels: tuple[str, ...] = ()
    ranges: tuple[tuple[float, float], ...] = ()
    spans: tuple[tuple[float, float], ...] = ()
    markers: tuple[tuple[float, str], ...] = ()


@dataclass(frozen=True)
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


Block = Union[Heading, Paragraph, BulletList, Table, Chart]


@dataclass(frozen=True)
class Footnote:
    """A footnote; numbered once, in reading order, for every writer."""

    number: int
    inlines: tuple[Inline, ...]


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

    def note(self, number: int) -> Footnote:
        """Return the footnote with the given number."""
        return self.footnotes[number - 1]

    def headings(self) -> list[Heading]:
        """Return every heading in reading order."""
        return [b for b in self.blocks if isinstance(b, Heading)]


def plain_text(inlines) -> str:
    """Return the text of ``inlines`` with note references dropped."""
    return "".join(i.text for i in inlines if isinstance(i, Text))
