"""Register the brief's TrueType faces with reportlab and check that text can be drawn."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from factsheet.writers import fonts
from factsheet.errors import RenderError

#: reportlab font names of the faces the styles start from; bold and italic
#: runs reach the other faces through the family mapping (``<b>``, ``<i>``).
SERIF = fonts.face(fonts.SERIF).name
SERIF_ITALIC = fonts.face(fonts.SERIF, italic=True).name
SANS = fonts.face(fonts.SANS).name
SANS_BOLD = fonts.face(fonts.SANS, bold=True).name

_FACES_BY_NAME = {f.name: f for f in fonts.FACES}
_lock = threading.Lock()
_registered: dict[str, str] = {}  # face name -> file it was registered from


def _map_families() -> None:
    """Map each family's regular face name plus bold/italic flags to the right face.

    reportlab maps a newly registered TrueType face to itself for every style,
    so this runs after each registration.
    """
    for family in (fonts.SERIF, fonts.SANS):
        for bold in (False, True):
            for italic in (False, True):
                addMapping(
                    fonts.face(family).name, int(bold), int(italic), fonts.face(family, bold, italic).name
                )


def face_name(family: str, bold: bool, italic: bool) -> str:
    """Return the reportlab font name of a face of ``family``."""
    return fonts.face(family, bold, italic).name


def register(names: Iterable[str]) -> None:
    """Register the named faces with reportlab unless already registered from the same file.

    Parsing a TTF file costs milliseconds, so each face is parsed only when a
    document first uses it and kept for the life of the process. reportlab
    embeds the subset of each TrueType face that a document draws with.
    """
    wanted = {name: str(fonts.face_path(_FACES_BY_NAME[name])) for name in names}
    if all(_registered.get(n) == p for n, p in wanted.items()):
        return
    with _lock:
        for name, path in wanted.items():
            if _registered.get(name) != path:
                pdfmetrics.registerFont(TTFont(name, path))
                _registered[name] = path
            _map_families()


def _fail(missing: list[str], font: str, text: str, where: str) -> None:
    shown = ", ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in missing)
    excerpt = text if len(text) <= 70 else text[:67] + "..."
    raise RenderError(f"the font {font} has no glyph for {shown} in {where}: {excerpt!r}")


def check_text(text: str, family: str, where: str) -> None:
    """Raise RenderError if ``family`` lacks a glyph for a character of ``text``."""
    missing = fonts.missing_characters(text, family)
    if missing:
        _fail(missing, family, text, where)


def check_styled(runs: Iterable[tuple[str, str, str]]) -> None:
    """Check (text, face name, where) runs against the registered bold or italic face itself.

    A family's bold and italic faces lack some glyphs its regular face has (DejaVu
    Sans Oblique has no Arabic, the bold faces no double-struck letters), and a
    missing glyph would be drawn as an empty box without any error.
    """
    for text, name, where in runs:
        cmap = pdfmetrics.getFont(name).face.charToGlyph
        missing = list(dict.fromkeys(ch for ch in text if ord(ch) not in cmap and ch not in "\n\t\r"))
        if missing:
            face = _FACES_BY_NAME[name]
            style = " ".join(w for w, on in (("Bold", face.bold), ("Italic", face.italic)) if on)
            _fail(missing, f"{face.family} {style}", text, where)
