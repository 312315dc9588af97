"""The look of a DOCX brief: page geometry and every style, as plain data, from the shared theme.

Nothing here knows XML: :mod:`.ooxml` turns these descriptions into ``styles.xml``
and the writer asks them which font face draws a piece of text (for font embedding).
Sizes are in points, colours are RRGGBB hex strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from factsheet.rendering import theme
from factsheet.rendering.theme import SANS, SERIF, hex_digits, twips


@dataclass(frozen=True)
class ParagraphStyle:
    """A paragraph style; ``name`` is Word's built-in name where one exists."""

    style_id: str
    name: str
    family: str = SERIF
    size: float = 10.5
    bold: bool = False
    italic: bool = False
    color: str = ""
    space_before: float = 0.0
    space_after: float = 0.0
    line: float = 1.0  # line spacing as a multiple of single spacing
    keep_next: bool = False
    keep_lines: bool = False
    outline_level: int | None = None  # 0-based, for headings
    indent_left: float = 0.0
    hanging: float = 0.0
    numbering_id: int | None = None  # a w:num id (list paragraphs)
    boxed: bool = False  # thin border and light shading (placeholders)
    based_on: str | None = "Normal"
    next_style: str | None = None
    primary: bool = False  # shown in Word's quick style gallery
    ui_priority: int | None = None


@dataclass(frozen=True)
class CharacterStyle:
    """A character style."""

    style_id: str
    name: str
    superscript: bool = False
    ui_priority: int | None = None


# -- page -------------------------------------------------------------------

#: The theme's page, in twentieths of a point.
PAGE_WIDTH = twips(theme.PAGE.width)
PAGE_HEIGHT = twips(theme.PAGE.height)
MARGIN_TOP = twips(theme.PAGE.top)
MARGIN_BOTTOM = twips(theme.PAGE.bottom)
MARGIN_SIDE = twips(theme.PAGE.left)
HEADER_DISTANCE = twips(theme.PAGE.header)
FOOTER_DISTANCE = 567  # 10 mm: Word measures to the footer's top, the theme to its baseline
#: US Letter, with side margins that keep the A4 text width (so tables and charts are the same).
LETTER_WIDTH = twips(theme.LETTER.width)
LETTER_HEIGHT = twips(theme.LETTER.height)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_SIDE

# -- colours ----------------------------------------------------------------

INK = hex_digits(theme.INK)
ACCENT = hex_digits(theme.ACCENT)
GREY = hex_digits(theme.MUTED)
RULE = hex_digits(theme.RULE)
HEADER_FILL = hex_digits(theme.HEADER_FILL)
BOX_FILL = hex_digits(theme.BOX_FILL)

# -- lists and tables ---------------------------------------------------------

BULLET_NUM_ID = 1
BULLET_ABSTRACT_ID = 0
BULLET_CHAR = "\u2022"
BULLET_INDENT = 14.0  # pt, text indent of a bullet item
BULLET_HANGING = 10.0  # pt, bullet sits this far left of the text

TABLE_CELL_MARGIN = 4.0  # pt, left and right
TABLE_CELL_MARGIN_V = 1.5  # pt, top and bottom
TABLE_RULE_SIZE = 4  # eighths of a point
TABLE_GAP = 8.0  # pt, least space between a table and the paragraph after it

# -- styles -----------------------------------------------------------------

_ROLES = theme.ROLES
BODY_SIZE = _ROLES["body"].size


def _styled(style_id: str, name: str, role: str, **layout: Any) -> ParagraphStyle:
    """Return a paragraph style in the theme's family, size, weight, slant and colour of ``role``."""
    r = _ROLES[role]
    return ParagraphStyle(
        style_id, name, r.family, r.size, bold=r.bold, italic=r.italic, color=hex_digits(r.colour), **layout
    )


NORMAL = _styled(
    "Normal",
    "Normal",
    "body",
    space_after=6,
    line=1.15,
    based_on=None,
    primary=True,
)
HEADING_1 = _styled(
    "Heading1",
    "heading 1",
    "h1",
    space_after=4,
    line=1.0,
    keep_next=True,
    keep_lines=True,
    outline_level=0,
    next_style="Normal",
    primary=True,
    ui_priority=9,
)
HEADING_2 = _styled(
    "Heading2",
    "heading 2",
    "h2",
    space_before=14,
    space_after=4,
    line=1.0,
    keep_next=True,
    keep_lines=True,
    outline_level=1,
    next_style="Normal",
    primary=True,
    ui_priority=9,
)
HEADING_3 = _styled(
    "Heading3",
    "heading 3",
    "h3",
    space_before=10,
    space_after=3,
    line=1.0,
    keep_next=True,
    keep_lines=True,
    outline_level=2,
    next_style="Normal",
    primary=True,
    ui_priority=9,
)
DEK = _styled(
    "Dek",
    "Dek",
    "dek",
    space_after=8,
    line=1.15,
    next_style="Normal",
    primary=True,
)
LEAD = _styled(
    "Lead",
    "Lead",
    "lead",
    space_after=8,
    line=1.15,
    primary=True,
)
META = _styled(
    "Meta",
    "Meta",
    "meta",
    space_after=10,
    line=1.1,
    primary=True,
)
CAPTION = _styled(
    "Caption",
    "caption",
    "caption",
    space_before=3,
    space_after=9,
    line=1.1,
    primary=True,
    ui_priority=35,
)
NOTE = _styled(
    "Note",
    "Note",
    "note",
    space_after=6,
    line=1.1,
    keep_lines=True,
    primary=True,
)
QUOTE = _styled(
    "Quote",
    "Quote",
    "quote",
    space_after=4,
    line=1.1,
    keep_lines=True,
    indent_left=10,
    primary=True,
    ui_priority=29,
)  # a verbatim passage in the source annex
LIST_BULLET = _styled(
    "ListBullet",
    "List Bullet",
    "body",
    space_after=3,
    line=1.15,
    indent_left=BULLET_INDENT,
    hanging=BULLET_HANGING,
    numbering_id=BULLET_NUM_ID,
    primary=True,
)
TABLE_TEXT = _styled(
    "TableText",
    "Table Text",
    "cell",
    line=1.05,
)
TABLE_HEADING = _styled(
    "TableHeading",
    "Table Heading",
    "cell_head",
    line=1.05,
    based_on="TableText",
    keep_next=True,
)
CHART_TITLE = ParagraphStyle(
    "ChartTitle",
    "Chart Title",
    SANS,
    9.5,
    bold=True,
    color=INK,
    space_before=6,
    space_after=3,
    line=1.0,
    keep_next=True,
    keep_lines=True,
)  # the title, a line break and the chart's picture: kept on one page, with the caption
FOOTNOTE_TEXT = _styled(
    "FootnoteText",
    "footnote text",
    "footnote",
    space_after=1,
    line=1.0,
    ui_priority=99,
)
FOOTER = _styled("Footer", "footer", "footer", line=1.0)

FOOTNOTE_REFERENCE = CharacterStyle(
    "FootnoteReference", "footnote reference", superscript=True, ui_priority=99
)

#: Written (superscript) between two adjacent note references.
REFERENCE_SEPARATOR = ","

PARAGRAPH_STYLES = (
    NORMAL,
    HEADING_1,
    HEADING_2,
    HEADING_3,
    DEK,
    LEAD,
    META,
    CAPTION,
    NOTE,
    QUOTE,
    LIST_BULLET,
    TABLE_TEXT,
    TABLE_HEADING,
    CHART_TITLE,
    FOOTNOTE_TEXT,
    FOOTER,
)
CHARACTER_STYLES = (FOOTNOTE_REFERENCE,)

HEADINGS = {1: HEADING_1, 2: HEADING_2, 3: HEADING_3}

#: Paragraph roles of the document model and the style each is drawn with; a role
#: not listed here is drawn as body text (as the PDF writer does).
ROLES = {"": NORMAL, "dek": DEK, "lead": LEAD, "meta": META, "caption": CAPTION, "note": NOTE, "quote": QUOTE}

#: Characters every embedded face carries besides the text it draws: printable ASCII.
#: Note and page numbers are drawn by Word itself in whichever face the paragraph uses,
#: a reader fixing a typo should not fall back to another font, and LibreOffice
#: ignores a subsetted face with fewer than 26 glyphs when a document is edited.
BASE_CHARACTERS = "".join(map(chr, range(0x20, 0x7F)))
