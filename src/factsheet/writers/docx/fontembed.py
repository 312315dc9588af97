"""Subset the brief's TrueType faces for embedding, deterministically.

Which characters each face draws is collected by :class:`FontUsage` while the document
is written; :func:`subset_face` cuts a face down to them with fontTools. Results are
kept for the life of the process per (font file, character set), so a watch that
writes the same brief again costs nothing; they are never kept on disk.

Subsets keep TrueType outlines, hinting, the ``kern`` table and every name record (the
family name must stay what the font table says; the licence stays with the font).
They drop the OpenType layout tables (GSUB, GPOS, GDEF) and MATH: decoding those is
most of fontTools' time for DejaVu, and a brief in Latin or Cyrillic script needs none
of them (kerning comes from ``kern``). The font's own timestamps are kept, so the
bytes depend only on the font file and the characters.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from factsheet.errors import RenderError
from factsheet.rendering.fonts import SANS, SERIF, Face, face_path

if TYPE_CHECKING:
    from fontTools.subset import Options
    from fontTools.ttLib import TTFont

#: Tables removed before subsetting (see the module docstring).
DROPPED_TABLES = ("GSUB", "GPOS", "GDEF", "MATH", "FFTM", "BASE", "JSTF")

#: Word's generic family classification (``w:family``) of each family.
GENERIC_FAMILY = {SERIF: "roman", SANS: "swiss"}


@dataclass(frozen=True)
class FaceInfo:
    """What the font table says about a face: PANOSE class and Unicode signature."""

    panose: str
    signature: dict[str, str]


@functools.cache
def face_info(path: str) -> FaceInfo:
    """Return the classification of the TTF file at ``path`` (reads only its OS/2 table)."""

    return _read_face_info(path)


def _read_face_info(path: str) -> FaceInfo:
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, lazy=True) as font:
            os2 = font["OS/2"]
        panose = os2.panose
        panose_bytes = bytes(
            getattr(panose, name)
            for name in (
                "bFamilyType",
                "bSerifStyle",
                "bWeight",
                "bProportion",
                "bContrast",
                "bStrokeVariation",
                "bArmStyle",
                "bLetterForm",
                "bMidline",
                "bXHeight",
            )
        )
        signature = {
            "usb0": f"{os2.ulUnicodeRange1:08X}",
            "usb1": f"{os2.ulUnicodeRange2:08X}",
            "usb2": f"{os2.ulUnicodeRange3:08X}",
            "usb3": f"{os2.ulUnicodeRange4:08X}",
            "csb0": f"{os2.ulCodePageRange1:08X}",
            "csb1": f"{os2.ulCodePageRange2:08X}",
        }
    except Exception as exc:  # a damaged or foreign file
        raise RenderError(f"cannot read font file {path}: {exc}") from None
    return FaceInfo(panose_bytes.hex().upper(), signature)


@dataclass(frozen=True)
class Subset:
    """A subset font and the requested characters the font could not provide."""

    data: bytes
    missing: frozenset[int]


def _options() -> Options:
    from fontTools import subset

    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.layout_features = []
    options.drop_tables = list(options.drop_tables) + list(DROPPED_TABLES)
    return options


@lru_cache(maxsize=64)
def subset_face(path: str, characters: frozenset[int]) -> Subset:
    """Return the TTF at ``path`` cut down to ``characters`` (code points).

    Made from the font file each time a process first needs it, never kept on
    disk: the glyphs a brief embeds come from the font file alone.
    """
    return _subset_face(path, characters)


#: Faces read ahead of a first write (:func:`preload`), by font file; each is used by one subset.
_preloaded: dict[str, TTFont] = {}


def preload(path: str) -> None:
    """Read the TTF at ``path`` now, so that the first subset of it need not (a writer process's idle time).

    A process forked afterwards finds its own copy here. A file that cannot be
    read is left for the subset, which reports it.
    """
    if path in _preloaded:
        return
    try:
        font = _open(path)
        for tag in list(font.keys()):
            font[tag]  # noqa: B018 - decompiled now, for the subset
    except Exception:  # noqa: BLE001 - reported by the subset that needs it
        return
    _preloaded[path] = font


def _open(path: str) -> TTFont:
    from fontTools.ttLib import TTFont

    # like fontTools' own subsetter: keep the (still valid) bounds of the full font
    font = TTFont(path, recalcTimestamp=False, recalcBBoxes=False)
    for tag in DROPPED_TABLES:
        if tag in font:
            del font[tag]
    return font


def _subset_face(path: str, characters: frozenset[int]) -> Subset:
    from fontTools import subset

    try:
        with _preloaded.pop(path, None) or _open(path) as font:
            missing = frozenset(characters - set(font.getBestCmap()))
            subsetter = subset.Subsetter(_options())
            subsetter.populate(unicodes=sorted(characters - missing))
            subsetter.subset(font)
            out = io.BytesIO()
            font.save(out)
    except Exception as exc:  # a damaged or foreign file
        raise RenderError(f"cannot subset font file {path}: {exc}") from None
    return Subset(out.getvalue(), missing)


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def face_label(face: Face) -> str:
    """Return a face's name as a reader knows it, e.g. ``DejaVu Serif Bold Italic``."""
    return face.family + (" Bold" if face.bold else "") + (" Italic" if face.italic else "")


@dataclass
class FontUsage:
    """The characters each face draws in one document, and where each was first used."""

    faces: dict[Face, dict[str, str]] = field(default_factory=dict)
    paths: dict[Face, str] = field(default_factory=dict)

    def path(self, face: Face) -> str:
        """Return the font file of ``face`` (RenderError naming the install step if missing)."""
        if face not in self.paths:
            self.paths[face] = str(face_path(face))
        return self.paths[face]

    def add(self, face: Face, text: str) -> None:
        """Record that ``face`` draws ``text``."""
        first_use = self.faces.setdefault(face, {})
        for ch in text:
            if ch not in first_use:
                first_use[ch] = text

    def used_faces(self) -> list[Face]:
        """Return the faces that draw any text, in a fixed order."""
        return sorted(self.faces, key=lambda f: (f.family, f.bold, f.italic))

    def characters(self, face: Face) -> frozenset[int]:
        """Return the code points ``face`` must carry."""
        return frozenset(map(ord, self.faces.get(face, ())))

    def subset(self, face: Face, extra: str = "") -> bytes:
        """Return ``face`` cut down to its characters plus ``extra`` (where the face has them).

        Raises RenderError naming the first text that uses a character the face lacks.
        """
        used = self.characters(face)
        result = subset_face(self.path(face), used | frozenset(map(ord, extra)))
        lacking = sorted(result.missing & used)
        if lacking:
            first = self.faces[face][chr(lacking[0])]
            listed = ", ".join(f"{chr(cp)!r} (U+{cp:04X})" for cp in lacking[:5])
            raise RenderError(
                f"font {face_label(face)} has no glyph for {listed}; first used in {_shorten(first)!r}"
            )
        return result.data
