"""Page geometry, colours and paragraph styles of the PDF brief, from the shared theme."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from factsheet.rendering import fonts, theme


@dataclass(frozen=True)
class PageGeometry:
    """Where the body frame, the note band and the footer sit on the theme's page."""

    width: float = theme.PAGE.width
    height: float = theme.PAGE.height
    left: float = theme.PAGE.left
    right: float = theme.PAGE.right
    top: float = theme.PAGE.top
    bottom: float = theme.PAGE.bottom
    footer_baseline: float = theme.PAGE.footer

    @property
    def frame_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.height - self.top - self.bottom


PAGE = PageGeometry()


def page_for(paper: str) -> PageGeometry:
    """Return the page of ``paper`` ("a4", "letter"): the same text width, centred on the sheet."""
    page = theme.page_for(paper)
    return (
        PAGE
        if page is theme.PAGE
        else PageGeometry(width=page.width, height=page.height, left=page.left, right=page.right)
    )


INK = colors.HexColor(theme.INK)
ACCENT = colors.HexColor(theme.ACCENT)
GREY = colors.HexColor(theme.MUTED)
RULE = colors.HexColor(theme.RULE)
GRID = colors.HexColor(theme.GRID)
HEADER_FILL = colors.HexColor(theme.HEADER_FILL)
LINK = colors.HexColor(theme.LINK)


def _role(name: str) -> dict[str, Any]:
    """Return the theme's font, size and colour of a role as reportlab style settings."""
    r = theme.ROLES[name]
    font = fonts.face(r.family, r.bold, r.italic).name
    return dict(fontName=font, bulletFontName=font, fontSize=r.size, textColor=colors.HexColor(r.colour))


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base = dict(
        **_role("body"),
        leading=14,
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
    # ragged right: justified lines in a column this narrow open rivers of space
    "body": _style("body", spaceAfter=7),
    "lead": _style("lead", **_role("lead"), leading=14.5, spaceAfter=8),
    "dek": _style("dek", **_role("dek"), leading=17, spaceAfter=9),
    "meta": _style("meta", **_role("meta"), leading=11, spaceAfter=10),
    "caption": _style("caption", **_role("caption"), leading=10.5, spaceBefore=3, spaceAfter=12),
    "note": _style("note", **_role("note"), leading=12.5, leftIndent=10, spaceBefore=2, spaceAfter=9),
    "quote": _style("quote", **_role("quote"), leading=11.5, leftIndent=10, spaceAfter=4),
    "h1": _style("h1", **_role("h1"), leading=24, spaceAfter=8),
    "h2": _style("h2", **_role("h2"), leading=16, spaceBefore=12, spaceAfter=5),
    "h3": _style("h3", **_role("h3"), leading=13.5, spaceBefore=8, spaceAfter=3),
    "bullet": _style("bullet", leftIndent=14, bulletIndent=3, spaceAfter=3),
    "bullet_last": _style("bullet_last", leftIndent=14, bulletIndent=3, spaceAfter=8),
    # a word never breaks inside a table cell: columns are widened to fit their longest word
    "cell": _style("cell", **_role("cell"), leading=10.5, splitLongWords=0),
    "cell_head": _style("cell_head", **_role("cell_head"), leading=10.5, splitLongWords=0),
    "footnote": _style(
        "footnote", **_role("footnote"), leading=10, leftIndent=16, bulletIndent=11, bulletAnchor="end"
    ),
    "footer": _style("footer", **_role("footer"), leading=9.5),
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
