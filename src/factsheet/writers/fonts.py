"""Locate the brief's fonts and check that they can draw a text."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from factsheet.errors import RenderError

#: Debian's fonts-dejavu-core and fonts-dejavu-extra install here.
DEFAULT_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class Face:
    """One font file: family name, style flags and its file name."""

    family: str
    bold: bool
    italic: bool
    filename: str

    @property
    def name(self) -> str:
        """Return a unique PostScript-like name for this face."""
        suffix = ("Bold" if self.bold else "") + ("Italic" if self.italic else "")
        return f"{self.family.replace(' ', '')}{'-' + suffix if suffix else ''}"


#: The faces a brief uses: a serif for body text, a sans for headings and tables.
FACES = (
    Face("DejaVu Serif", False, False, "DejaVuSerif.ttf"),
    Face("DejaVu Serif", True, False, "DejaVuSerif-Bold.ttf"),
    Face("DejaVu Serif", False, True, "DejaVuSerif-Italic.ttf"),
    Face("DejaVu Serif", True, True, "DejaVuSerif-BoldItalic.ttf"),
    Face("DejaVu Sans", False, False, "DejaVuSans.ttf"),
    Face("DejaVu Sans", True, False, "DejaVuSans-Bold.ttf"),
    Face("DejaVu Sans", False, True, "DejaVuSans-Oblique.ttf"),
    Face("DejaVu Sans", True, True, "DejaVuSans-BoldOblique.ttf"),
)

SERIF = "DejaVu Serif"
SANS = "DejaVu Sans"


def font_dir() -> Path:
    """Return the folder holding the DejaVu TTF files (``FACTSHEET_FONT_DIR`` overrides)."""
    return Path(os.environ.get("FACTSHEET_FONT_DIR") or DEFAULT_FONT_DIR)


def face(family: str, bold: bool = False, italic: bool = False) -> Face:
    """Return the face of ``family`` with the given style."""
    for f in FACES:
        if f.family == family and f.bold == bold and f.italic == italic:
            return f
    raise KeyError((family, bold, italic))


def face_path(f: Face) -> Path:
    """Return the path of a face's TTF file, or raise RenderError naming the install step."""
    path = font_dir() / f.filename
    if not path.is_file():
        raise RenderError(
            f"font file {path} not found: install Debian's fonts-dejavu-core and "
            f"fonts-dejavu-extra, or set FACTSHEET_FONT_DIR to a folder holding {f.filename}"
        )
    return path


@lru_cache(maxsize=None)
def _coverage(filename: str) -> frozenset[int]:
    from array import array

    from factsheet import cache

    path = str(face_path(next(f for f in FACES if f.filename == filename)))

    def read_cmap() -> bytes:
        from fontTools.ttLib import TTFont  # only needed when the cache has no answer

        return array("I", sorted(TTFont(path, lazy=True).getBestCmap())).tobytes()

    return frozenset(array("I", cache.memo("font-coverage", (cache.file_identity(path),), read_cmap)))


#: Characters that layout handles itself and that never need a glyph.
_LAYOUT_CHARS = frozenset(map(ord, "\n\t\r"))


def missing_characters(text: str, family: str = SERIF) -> list[str]:
    """Return the characters of ``text`` that ``family`` cannot draw, in order of first use."""
    covered = _coverage(face(family).filename)
    seen: dict[str, None] = {}
    for ch in text:
        cp = ord(ch)
        if cp not in covered and cp not in _LAYOUT_CHARS and ch not in seen:
            seen[ch] = None
    return list(seen)
