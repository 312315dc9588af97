"""Locate the brief's fonts, check that they can draw a text, and measure it."""

from __future__ import annotations

import functools
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from factsheet.errors import RenderError
from factsheet.rendering import theme
from factsheet.rendering.sfnt import FontFile, Unsupported

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

#: The faces (family, bold, italic) the brief draws: the writers read them ahead of a first write,
#: and any other face (the dossier's bold serif) when a document first draws with it.
BRIEF_FACES = (
    (SERIF, False, False),
    (SERIF, False, True),
    (SANS, False, False),
    (SANS, True, False),
    (SANS, False, True),
)


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
        font_file.cache_clear()
        _coverage.cache_clear()
        _drawable.cache_clear()
        _advances.cache_clear()


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
def font_file(filename: str) -> FontFile | None:
    """Return a face's font file, read once per process; None when it is not one this tool reads itself.

    Every reader of a face in a process (the glyph check, text widths, the PDF
    writer's typefaces) starts from these bytes, so a face is read and its
    character map decoded once. Never from a disk cache: which glyph draws a
    character is decided by the font file alone, so no cache entry can make a
    brief draw "7" for "1".
    """
    path = str(face_path(next(f for f in FACES if f.filename == filename)))
    try:
        return FontFile.read(path)
    except Unsupported:
        return None
    except OSError as exc:
        raise RenderError(f"cannot read font file {path}: {exc.strerror or exc}") from None


def _character_map(filename: str) -> dict[int, int] | None:
    """Return a face's code point → glyph id map (the map Unicode text is read with), or None if unread."""
    font = font_file(filename)
    if font is None:
        return None
    try:
        return dict(font.pairs(font.best_map()))
    except (Unsupported, struct.error):
        return None


@cache
def _coverage(filename: str) -> frozenset[int]:
    """Return the code points a face maps to a glyph, read from the font file itself."""
    mapped = _character_map(filename)
    if mapped is not None:
        return frozenset(cp for cp, glyph in mapped.items() if glyph)
    from fontTools.ttLib import TTFont  # a format this tool does not read itself

    path = str(face_path(next(f for f in FACES if f.filename == filename)))
    return frozenset(TTFont(path, lazy=True).getBestCmap())


#: Characters that layout handles itself and that never need a glyph.
_LAYOUT_CHARS = frozenset(map(ord, "\n\t\r"))


@cache
def _drawable(filename: str) -> frozenset[str]:
    """Return the characters a face draws, and those layout handles itself."""
    return frozenset(map(chr, _coverage(filename))) | frozenset(map(chr, _LAYOUT_CHARS))


def missing_characters(text: str, family: str = SERIF) -> list[str]:
    """Return the characters of ``text`` that ``family`` cannot draw, in order of first use."""
    filename = face(family).filename
    if _drawable(filename).issuperset(text):  # nearly every text: one pass in C
        return []
    covered = _coverage(filename)
    seen: dict[str, None] = {}
    for ch in text:
        cp = ord(ch)
        if cp not in covered and cp not in _LAYOUT_CHARS and ch not in seen:
            seen[ch] = None
    return list(seen)


@functools.cache
def _advances(filename: str) -> tuple[dict[int, int], int]:
    """Return (code point -> advance width, units per em) of a face, read from the font file itself."""
    mapped = _character_map(filename)
    font = font_file(filename)
    if mapped is not None and font is not None:
        try:
            widths, _ = font.advances()
            count = len(widths)
            return {cp: widths[g] for cp, g in mapped.items() if g < count}, font.units_per_em()
        except (Unsupported, struct.error):
            pass
    from fontTools.ttLib import TTFont  # a font this tool does not read itself

    path = str(face_path(next(f for f in FACES if f.filename == filename)))
    ttfont = TTFont(path, lazy=True)
    metrics = ttfont["hmtx"].metrics
    return {cp: metrics[name][0] for cp, name in ttfont.getBestCmap().items()}, ttfont["head"].unitsPerEm


def text_width(text: str, size: float, family: str = SANS, bold: bool = False) -> float:
    """Return the width in points of ``text`` set in ``family`` at ``size`` (no kerning)."""
    widths, units = _advances(face(family, bold).filename)
    fallback = widths.get(ord("M"), units)
    return sum(widths.get(ord(ch), fallback) for ch in text) * size / units
