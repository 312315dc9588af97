"""Register the brief's TrueType faces with reportlab and check that text can be drawn."""

from __future__ import annotations

import struct
import threading
from collections.abc import Iterable, Sequence
from fnmatch import fnmatch
from operator import itemgetter
from typing import overload
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

from factsheet.errors import RenderError
from factsheet.rendering import fonts
from factsheet.rendering.sfnt import FontFile, Unsupported

#: reportlab font names of the faces the styles start from; bold and italic
#: runs reach the other faces through the family mapping (``<b>``, ``<i>``).
SERIF = fonts.face(fonts.SERIF).name
SERIF_ITALIC = fonts.face(fonts.SERIF, italic=True).name
SANS = fonts.face(fonts.SANS).name
SANS_BOLD = fonts.face(fonts.SANS, bold=True).name

_FACES_BY_NAME = {f.name: f for f in fonts.FACES}
_lock = threading.Lock()
_registered: dict[str, str] = {}  # face name -> file it was registered from


class _Bytes:
    """The font file's bytes, handed to reportlab as the open file it would otherwise read again."""

    def __init__(self, font: FontFile) -> None:
        self.name = font.path
        self._data = font.data

    def read(self) -> bytes:
        return self._data


class _Face(TTFontFace):  # type: ignore[misc] # reportlab ships no types
    """reportlab's face of a TrueType file, its per-glyph tables read in bulk from the bytes already read.

    reportlab reads the character map, the widths and the glyph locations one
    number at a time; that was most of the cost of parsing a face. The names,
    header and metrics are still read by reportlab itself, and a font these
    bulk reads do not cover is read entirely by reportlab, so the face is
    always the one reportlab would make.
    """

    #: Font programs of this many subsets are kept per face (a rebuild draws the same characters).
    KEPT_SUBSETS = 8

    def __init__(self, font: FontFile) -> None:
        self._font = font
        self._subsets: dict[tuple[int, ...], bytes] = {}
        super().__init__(_Bytes(font))

    def makeSubset(self, subset: list[int]) -> bytes:  # noqa: N802 - reportlab's name
        """Return the font program of the glyphs ``subset`` (reportlab's), kept for the next PDF to draw them."""
        key = tuple(subset)
        with _lock:
            made = self._subsets.get(key)
        if made is None:
            made = super().makeSubset(subset)
            with _lock:
                while len(self._subsets) >= self.KEPT_SUBSETS:
                    del self._subsets[next(iter(self._subsets))]
                self._subsets[key] = made
        return made

    def extractInfo(self, charInfo: int = 1) -> None:  # noqa: N802 - reportlab's name
        if not charInfo:
            super().extractInfo(charInfo)
            return
        super().extractInfo(0)  # names, header, OS/2, post, hhea and maxp, as reportlab reads them
        try:
            self._glyph_tables()
        except (Unsupported, struct.error, IndexError, KeyError):
            super().extractInfo(charInfo)  # reportlab reads it (or names what is wrong with it)

    def _glyph_tables(self) -> None:
        """Set the character map, widths and glyph locations exactly as reportlab's extractInfo does.

        The per-glyph metrics and the glyph-to-characters map are made when
        first used: a PDF's subsets ask for a few hundred of the thousands of
        glyphs, and only shaping reads the second.
        """
        font = self._font
        head, _ = font.table("head")
        loca_format, data_format = struct.unpack_from(">HH", font.data, head + 50)
        if data_format != 0:
            raise Unsupported("glyph data format")
        pairs = font.pairs(_reportlab_map(font))
        char_to_glyph = dict(pairs)
        advances, stated = font.advances()
        rest = max(0, self.numGlyphs - stated)  # glyphs with a side bearing only: they share the last width
        hmtx, _ = font.table("hmtx")
        lsbs = font.ushorts(hmtx, 2 * stated)[1::2].tolist() + font.ushorts(hmtx + 4 * stated, rest).tolist()
        # reportlab keeps the last width of those glyphs already scaled
        widths = _scaled(advances[:stated], self.unitsPerEm)
        widths += widths[-1:] * rest
        self.hmetrics = _Metrics(advances, lsbs, stated, widths[-1])
        self.defaultWidth = widths[0]
        count = len(widths)
        # reportlab's order: glyph by glyph, each glyph's characters as the map lists them
        self.charWidths = {c: widths[g] for c, g in sorted(pairs, key=itemgetter(1)) if g < count}
        self.glyphPos = _locations(font, loca_format, self.numGlyphs)
        self.charToGlyph = char_to_glyph
        self._pairs = pairs
        if 0x20 in char_to_glyph:
            char_to_glyph[0xA0] = char_to_glyph[0x20]
            self.charWidths[0xA0] = self.charWidths[0x20]
        elif 0xA0 in char_to_glyph:
            char_to_glyph[0x20] = char_to_glyph[0xA0]
            self.charWidths[0x20] = self.charWidths[0xA0]
        self._pos = font.table("loca")[0] + (self.numGlyphs + 1) * (2 if loca_format == 0 else 4)

    @property
    def glyphToChar(self) -> dict[int, list[int]]:  # noqa: N802 - reportlab's name
        """Each glyph's characters, as reportlab's extractInfo makes them (without the space's copy)."""
        made: dict[int, list[int]] | None = self.__dict__.get("_glyph_to_char")
        if made is None:
            try:
                pairs = self.__dict__["_pairs"]
            except KeyError:
                raise AttributeError("glyphToChar") from None
            made = {}
            for char, glyph in pairs:
                chars = made.get(glyph)
                if chars is None:
                    made[glyph] = [char]
                else:
                    chars.append(char)
            made = self.__dict__.setdefault("_glyph_to_char", made)  # the first made, if two threads race
        return made

    @glyphToChar.setter
    def glyphToChar(self, value: dict[int, list[int]]) -> None:  # noqa: N802 - as reportlab's reader sets it
        self.__dict__["_glyph_to_char"] = value


class _Metrics(Sequence[tuple[float, int]]):
    """reportlab's ``hmetrics``, (advance, left side bearing) by glyph id, each pair made when asked for."""

    __slots__ = ("_advances", "_last", "_lsbs", "_stated")

    def __init__(self, advances: list[int], lsbs: list[int], stated: int, last: float) -> None:
        self._advances, self._lsbs, self._stated, self._last = advances, lsbs, stated, last

    def __len__(self) -> int:
        return len(self._lsbs)

    @overload
    def __getitem__(self, glyph: int) -> tuple[float, int]: ...

    @overload
    def __getitem__(self, glyph: slice) -> list[tuple[float, int]]: ...

    def __getitem__(self, glyph: int | slice) -> tuple[float, int] | list[tuple[float, int]]:
        if isinstance(glyph, slice):
            return [self[n] for n in range(*glyph.indices(len(self)))]
        lsb = self._lsbs[glyph]  # IndexError past the last glyph, as the list's
        if glyph < 0:
            glyph += len(self._lsbs)
        # the glyphs after the stated widths share the last, which reportlab keeps scaled
        return (self._advances[glyph], lsb) if glyph < self._stated else (self._last, lsb)


def _scaled(widths: list[int], units_per_em: int) -> list[float] | list[int]:
    """Return widths in thousandths of an em, computed as reportlab computes them (same floats)."""
    if units_per_em == 1000:
        return widths
    factor = 1000 / units_per_em
    return [w * factor for w in widths]


def _reportlab_map(font: FontFile) -> int:
    """Return the offset of the character map reportlab picks: the last Unicode one it accepts."""
    chosen, kind = None, 0
    for platform, encoding, offset in font.subtables():
        if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
            chosen, kind = offset, 1
        elif platform == 1 and encoding == 0 and kind != 1:
            chosen, kind = offset, 2
    if chosen is None:
        raise Unsupported("no character map reportlab reads")
    return chosen


def _locations(font: FontFile, loca_format: int, glyphs: int) -> list[int]:
    """Return where each glyph starts in the glyf table (and where the last ends)."""
    at, _ = font.table("loca")
    if loca_format == 0:
        return [n << 1 for n in font.ushorts(at, glyphs + 1)]
    if loca_format == 1:
        return font.ulongs(at, glyphs + 1).tolist()
    raise Unsupported("glyph location format")


class _Typeface(TTFont):  # type: ignore[misc] # reportlab ships no types
    """A reportlab TrueType font made from a font file this process has read (as ``TTFont(name, path)``)."""

    def __init__(self, name: str, font: FontFile) -> None:
        self.fontName = name
        self.face = _Face(font)
        self.encoding = TTEncoding()
        self.state: WeakKeyDictionary[object, object] = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, pattern) for pattern in rl_config.unShapedFontGlob)


def typeface(name: str, path: str) -> TTFont:
    """Return the reportlab font ``name`` of the TTF file at ``path``, from the bytes this process read of it."""
    face = _FACES_BY_NAME[name]
    font = fonts.font_file(face.filename)
    if font is None or font.path != path:
        return TTFont(name, path)
    return _Typeface(name, font)


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
                pdfmetrics.registerFont(typeface(name, path))
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
