"""The brief's look, shared by every writer: page, fonts, colours, chart marks and paragraph roles.

Lengths are in points (1/72 inch), colours are ``#rrggbb``. A writer converts
them to its own units (Word's twentieths of a point, reportlab's points) and
adds only what its format needs on top (Word's line spacing rules, reportlab's
leading); a new writer reads the same values.
"""

from __future__ import annotations

from dataclasses import dataclass

#: One millimetre in points, computed as reportlab computes it (so PDF bytes stay the same).
MM = 72 / 2.54 * 0.1


@dataclass(frozen=True)
class Page:
    """The page and its margins, in points."""

    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float
    header: float  # from the top edge to the running header
    footer: float  # from the bottom edge to the footer's baseline

    @property
    def text_width(self) -> float:
        """Return the width between the side margins."""
        return self.width - self.left - self.right


#: A4 portrait.
PAGE = Page(
    width=210 * MM,
    height=297 * MM,
    top=20 * MM,
    bottom=22 * MM,
    left=24 * MM,
    right=24 * MM,
    header=10 * MM,
    footer=12 * MM,
)

#: US Letter portrait, with side margins that keep the A4 text width (tables and charts are the same).
LETTER = Page(
    width=612.0,
    height=792.0,
    top=PAGE.top,
    bottom=PAGE.bottom,
    left=(612.0 - PAGE.text_width) / 2,
    right=(612.0 - PAGE.text_width) / 2,
    header=PAGE.header,
    footer=PAGE.footer,
)
#: The paper sizes a sheet's settings may name.
PAPERS = {"a4": PAGE, "letter": LETTER}


def page_for(paper: str) -> Page:
    """Return the page of ``paper`` ("a4" or "letter"); A4 for anything else."""
    return PAPERS.get(paper, PAGE)


#: Font families: a serif for reading, a sans for headings, tables, captions and furniture.
SERIF = "DejaVu Serif"
SANS = "DejaVu Sans"

#: Text colour, and the accent of section headings and the dek.
INK = "#1a1a1a"
ACCENT = "#1f3a5f"
#: Quieter text: meta lines, captions, footers and axis labels; editor's notes and verbatim passages.
MUTED = "#5f6368"
QUIET = "#333333"
#: Links and note references.
LINK = "#1f4e8c"
#: Rules (the footnote separator, table borders), a chart's grid, a table's header row,
#: a boxed placeholder, and every other row of a long table on screen.
RULE = "#9aa0a6"
GRID = "#c3c7cc"
HEADER_FILL = "#e8ebef"
BOX_FILL = "#f3f3f3"
BAND = "#f3f5f7"
#: The paper behind everything.
PAPER = "#ffffff"

#: Chart series colours, in order, and one marker shape per series so a chart reads in black and white.
#: Dark enough for the labels a chart writes in its series' colours.
PALETTE = ("#1f5a96", "#b35c00", "#1d7a6e", "#b5343c", "#6c4f9c", "#5d6166")
SHAPES = ("circle", "square", "triangle", "diamond")


@dataclass(frozen=True)
class Role:
    """How a kind of paragraph is set: family, size in points, weight, slant and colour."""

    family: str
    size: float
    bold: bool = False
    italic: bool = False
    colour: str = INK


#: Paragraph roles, set alike by every writer: sizes in whole or half points (what Word
#: can set). A writer adds only what its format needs on top (leading, spacing).
ROLES = {
    "body": Role(SERIF, 10.5),
    "lead": Role(SERIF, 11),
    "dek": Role(SERIF, 12.5, italic=True, colour=ACCENT),
    "meta": Role(SANS, 8.5, colour=MUTED),
    "caption": Role(SANS, 8.5, colour=MUTED),
    "note": Role(SERIF, 9, colour=QUIET),
    "quote": Role(SERIF, 9, colour=QUIET),
    "h1": Role(SANS, 20, bold=True),
    "h2": Role(SANS, 13, bold=True, colour=ACCENT),
    "h3": Role(SANS, 11, bold=True),
    "cell": Role(SANS, 8.5),
    "cell_head": Role(SANS, 8.5, bold=True),
    "footnote": Role(SERIF, 8),
    "footer": Role(SANS, 7.5, colour=MUTED),
}

#: Paragraph roles a template may give a ``<p>``; any other paragraph is body text.
PARAGRAPH_ROLES = ("", "dek", "lead", "meta", "caption", "note")


def hex_digits(colour: str) -> str:
    """Return ``#1a1a1a`` as Word writes it: ``1A1A1A``."""
    return colour.lstrip("#").upper()


def twips(points: float) -> int:
    """Return a length in points as Word's twentieths of a point."""
    return round(points * 20)
