"""Register the brief's TrueType faces with reportlab and check that text can be drawn."""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from factsheet import fonts
from factsheet.errors import RenderError

#: reportlab font names of the two families' regular faces; bold and italic
#: variants are reached through the family mapping (``<b>``, ``<i>``).
SERIF = fonts.face(fonts.SERIF).name
SERIF_BOLD = fonts.face(fonts.SERIF, bold=True).name
SERIF_ITALIC = fonts.face(fonts.SERIF, italic=True).name
SANS = fonts.face(fonts.SANS).name
SANS_BOLD = fonts.face(fonts.SANS, bold=True).name

_lock = threading.Lock()
_registered: dict[str, str] = {}  # face name -> path it was registered from


def register() -> None:
    """Register every face of both families with reportlab, once per font folder.

    Registration parses the TTF files, so it is done on first use and kept for
    the life of the process. reportlab embeds a subset of each TrueType face it
    draws with, so the PDF carries its own glyphs.
    """
    paths = {f.name: str(fonts.face_path(f)) for f in fonts.FACES}
    if _registered == paths:
        return
    with _lock:
        if _registered == paths:
            return
        for name, path in paths.items():
            if _registered.get(name) != path:
                pdfmetrics.registerFont(TTFont(name, path))
        for family in (fonts.SERIF, fonts.SANS):
            for bold in (False, True):
                for italic in (False, True):
                    addMapping(
                        fonts.face(family).name, int(bold), int(italic), fonts.face(family, bold, italic).name
                    )
        _registered.clear()
        _registered.update(paths)


def check_text(text: str, family: str, where: str = "") -> None:
    """Raise RenderError if ``family`` lacks a glyph for a character of ``text``."""
    missing = fonts.missing_characters(text, family)
    if missing:
        shown = ", ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in missing)
        excerpt = text if len(text) <= 70 else text[:67] + "..."
        place = f" in {where}" if where else ""
        raise RenderError(f"{family} cannot draw {shown}{place}: {excerpt!r}")
