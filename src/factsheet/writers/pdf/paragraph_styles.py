"""Page geometry, colours and paragraph styles of the PDF brief."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from factsheet.writers import fonts
from factsheet.writers.pdf.typefaces import SANS, SANS_BOLD, SERIF, SERIF_ITALIC


@dataclass(frozen=True)
class PageGeometry:
    """Where the body frame, the note band and the footer sit on an A4 page."""

    width: float = A4[0]
    height: float = A4[1]
    left: float = 24 * mm
    right: float = 24 * mm
    top: float = 20 * mm
    bottom: float = 22 * mm
    footer_baseline: float = 12 * mm

    @property
    def frame_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.height - self.top - self.bottom


PAGE = PageGeometry()


def page_for(paper: str) -> PageGeometry:
    """Return the page of ``paper`` ("a4", "letter"): the same text width, centred on the sheet."""
    if paper == "letter":
        width, height = LETTER
        side = (width - PAGE.frame_width) / 2
        return PageGeometry(width=width, height=height, left=side, right=side)
    return PAGE

INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#1f3a5f")
GREY = colors.HexColor("#5f6368")
RULE = colors.HexColor("#9aa0a6")
GRID = colors.HexColor("#c3c7cc")
HEADER_FILL = colors.HexColor("#e8ebef")
LINK = colors.HexColor("#1f4e8c")


def _style(name: str, **kw) -> ParagraphStyle:
    base = dict(
        fontName=SERIF,
        bulletFontName=SERIF,
        fontSize=10.25,
        leading=14,
        textColor=INK,
        alignment=TA_LEFT,
        spaceBefore=0,
        spaceAfter=0,
        allowWidows=0,
        splitLongWords=1,
    )
    base.update(kw)
    base.setdefault("bulletFontSize", base["fontSize"])
    return ParagraphStyle(name, **base)


#: Font family (as fonts.py names it) that each style draws with, for glyph checks.
FAMILY: dict[str, str] = {}

STYLES: dict[str, ParagraphStyle] = {
    "body": _style("body", alignment=TA_JUSTIFY, spaceAfter=7),
    "dek": _style("dek", fontName=SERIF_ITALIC, fontSize=12.5, leading=17, textColor=ACCENT, spaceAfter=9),
    "meta": _style("meta", fontName=SANS, bulletFontName=SANS, fontSize=8, leading=11, textColor=GREY,
                   spaceAfter=10),
    "caption": _style("caption", fontName=SANS, bulletFontName=SANS, fontSize=8, leading=10.5, textColor=GREY,
                      spaceBefore=3, spaceAfter=12),
    "note": _style("note", fontSize=9, leading=12.5, textColor=colors.HexColor("#333333"), leftIndent=10,
                   spaceBefore=2, spaceAfter=9),
    "h1": _style("h1", fontName=SANS_BOLD, bulletFontName=SANS_BOLD, fontSize=20, leading=24,
                 textColor=INK, spaceAfter=8),
    "h2": _style("h2", fontName=SANS_BOLD, bulletFontName=SANS_BOLD, fontSize=13, leading=16,
                 textColor=ACCENT, spaceBefore=12, spaceAfter=5),
    "h3": _style("h3", fontName=SANS_BOLD, bulletFontName=SANS_BOLD, fontSize=10.5, leading=13.5,
                 textColor=INK, spaceBefore=8, spaceAfter=3),
    "bullet": _style("bullet", leftIndent=14, bulletIndent=3, spaceAfter=3),
    "bullet_last": _style("bullet_last", leftIndent=14, bulletIndent=3, spaceAfter=8),
    "cell": _style("cell", fontName=SANS, bulletFontName=SANS, fontSize=8.5, leading=10.5),
    "cell_head": _style("cell_head", fontName=SANS_BOLD, bulletFontName=SANS_BOLD, fontSize=8.5, leading=10.5),
    "footnote": _style("footnote", fontSize=8, leading=10, leftIndent=16, bulletIndent=11, bulletAnchor="end"),
    "footer": _style("footer", fontName=SANS, bulletFontName=SANS, fontSize=7.5, leading=9.5, textColor=GREY),
}

_FACES = {f.name: f for f in fonts.FACES}
for _name, _st in STYLES.items():
    FAMILY[_name] = _FACES[_st.fontName].family


def base_face(style_name: str) -> fonts.Face:
    """Return the face a style's plain text is drawn in."""
    return _FACES[STYLES[style_name].fontName]

#: Space above and below a table.
TABLE_SPACE = 6
#: Height of a chart drawing.
CHART_HEIGHT = 195


def heading_style(level: int) -> str:
    """Return the style name of a heading level (1 headline, 2 section, 3 and deeper subsection)."""
    return "h1" if level <= 1 else "h2" if level == 2 else "h3"
