"""Locate the brief's fonts, check that they can draw a text, and measure it."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from factsheet.errors import RenderError
from factsheet.rendering import theme

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

SERIF, SANS = theme.SERIF, theme.SANS


def search_dirs(environ: Mapping[str, str]) -> tuple[Path, ...]:
    """Return where an environment says the fonts are: ``FACTSHEET_FONT_DIR`` alone, else the usual folders.

    The usual folders are Debian's, then where macOS and Windows keep fonts a user
    installed (DejaVu from its site or Homebrew).
    """
    chosen = environ.get("FACTSHEET_FONT_DIR")
    if chosen:
        return (Path(chosen),)
    home = Path(environ.get("HOME") or Path.home())
    dirs = [DEFAULT_FONT_DIR, home / "Library" / "Fonts", Path("/Library/Fonts")]  # macOS
    if environ.get("LOCALAPPDATA"):
        dirs.append(Path(environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    dirs.append(Path(environ.get("WINDIR") or "C:\\Windows") / "Fonts")
    return tuple(dirs)


#: The folders looked in, in order; set by :func:`use_dirs` (the CLI, from the environment).
_search: tuple[Path, ...] = ()


def use_dirs(folders: Sequence[Path]) -> None:
    """Look for the fonts in ``folders`` from now on (empty: Debian's folder)."""
    global _search
    if tuple(folders) != _search:
        _search = tuple(folders)
        _found_font_dir.cache_clear()


@cache
def _found_font_dir() -> Path:
    """Return the first folder searched that holds every face, else the first (whose absence is then reported)."""
    folders = _search or (DEFAULT_FONT_DIR,)
    for folder in folders:
        if all((folder / f.filename).is_file() for f in FACES):
            return folder
    return folders[0]


def font_dir() -> Path:
    """Return the folder holding the DejaVu TTF files: the first of the folders searched that has them all."""
    return _found_font_dir()


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


@cache
def _coverage(filename: str) -> frozenset[int]:
    """Return the code points a face maps to a glyph, read from the font file itself.

    Never from a disk cache: which glyph draws a character is decided by the font
    file alone, so no cache entry can make a brief draw "7" for "1".
    """
    from fontTools.ttLib import TTFont

    path = str(face_path(next(f for f in FACES if f.filename == filename)))
    return frozenset(TTFont(path, lazy=True).getBestCmap())


#: Characters that layout handles itself and that never need a glyph.
_LAYOUT_CHARS = frozenset(map(ord, "\n\t\r"))


def missing_characters(text: str, family: str = SERIF) -> list[str]:
    """Return the characters of ``text`` that ``family`` cannot draw, in order of first use."""
    covered = _coverage(face(family).filename)
    if covered.issuperset(map(ord, text)):  # nearly every text: one pass in C
        return []
    seen: dict[str, None] = {}
    for ch in text:
        cp = ord(ch)
        if cp not in covered and cp not in _LAYOUT_CHARS and ch not in seen:
            seen[ch] = None
    return list(seen)


@functools.cache
def _advances(filename: str) -> tuple[dict[int, int], int]:
    """Return (code point -> advance width, units per em) of a face, read from the font file itself."""
    from fontTools.ttLib import TTFont

    path = str(face_path(next(f for f in FACES if f.filename == filename)))
    font = TTFont(path, lazy=True)
    metrics = font["hmtx"].metrics
    widths = {cp: metrics[name][0] for cp, name in font.getBestCmap().items()}
    return widths, font["head"].unitsPerEm


def text_width(text: str, size: float, family: str = SANS, bold: bool = False) -> float:
    """Return the width in points of ``text`` set in ``family`` at ``size`` (no kerning)."""
    widths, units = _advances(face(family, bold).filename)
    fallback = widths.get(ord("M"), units)
    return sum(widths.get(ord(ch), fallback) for ch in text) * size / units
