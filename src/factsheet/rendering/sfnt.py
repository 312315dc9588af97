"""The tables of a TrueType file read without a font library: its character maps and advance widths."""

from __future__ import annotations

import struct
import sys
from array import array
from dataclasses import dataclass, field

#: The first four bytes of a single TrueType font (not a collection).
_TRUETYPE = (b"\x00\x01\x00\x00", b"true")
#: Character map formats read here; any other is left to the font libraries.
FORMATS = (4, 12)
#: Which character map a reader of Unicode text prefers, best first (as fontTools' getBestCmap).
PREFERRED = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


class Unsupported(ValueError):
    """A font file or table this reader does not handle: the font libraries read it instead."""


@dataclass(frozen=True)
class FontFile:
    """A TrueType file's bytes and table directory; its character maps decoded on first use."""

    path: str
    data: bytes
    #: Table tag → (offset, length) in ``data``.
    tables: dict[str, tuple[int, int]]
    _maps: dict[int, tuple[tuple[int, int], ...]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def read(cls, path: str) -> FontFile:
        """Return the font file at ``path``; raise OSError if unreadable, Unsupported if not a TrueType font."""
        with open(path, "rb") as fh:
            return cls.parse(path, fh.read())

    @classmethod
    def parse(cls, path: str, data: bytes) -> FontFile:
        """Return the font file holding ``data``; raise Unsupported unless it is a single TrueType font."""
        if data[:4] not in _TRUETYPE or len(data) < 12:
            raise Unsupported(f"{path}: not a single TrueType font")
        (count,) = struct.unpack_from(">H", data, 4)
        tables = {}
        for tag, _checksum, offset, length in struct.iter_unpack(">4sLLL", data[12 : 12 + 16 * count]):
            if offset + length > len(data):
                raise Unsupported(f"{path}: table {tag!r} runs past the end of the file")
            tables[tag.decode("latin-1")] = (offset, length)
        return cls(path, data, tables)

    def table(self, tag: str) -> tuple[int, int]:
        """Return the (offset, length) of table ``tag``; raise Unsupported if the font has none."""
        try:
            return self.tables[tag]
        except KeyError:
            raise Unsupported(f"{self.path}: no {tag!r} table") from None

    def ushorts(self, offset: int, count: int) -> array[int]:
        """Return ``count`` big-endian unsigned 16-bit numbers at ``offset``."""
        return _numbers("H", self.data, offset, count)

    def ulongs(self, offset: int, count: int) -> array[int]:
        """Return ``count`` big-endian unsigned 32-bit numbers at ``offset``."""
        return _numbers("I" if array("I").itemsize == 4 else "L", self.data, offset, count)

    def subtables(self) -> list[tuple[int, int, int]]:
        """Return the character maps as (platform, encoding, offset in the file), in the table's order."""
        start, _ = self.table("cmap")
        _, count = struct.unpack_from(">HH", self.data, start)
        records = self.data[start + 4 : start + 4 + 8 * count]
        return [
            (platform, encoding, start + offset)
            for platform, encoding, offset in struct.iter_unpack(">HHL", records)
        ]

    def best_map(self) -> int:
        """Return the offset of the character map a Unicode text is read with (see PREFERRED)."""
        found = {(p, e): offset for p, e, offset in reversed(self.subtables())}  # the first of each pair
        for pair in PREFERRED:
            if pair in found:
                return found[pair]
        raise Unsupported(f"{self.path}: no Unicode character map")

    def pairs(self, offset: int) -> tuple[tuple[int, int], ...]:
        """Return the (code point, glyph id) pairs of the character map at ``offset``, in the table's order.

        Formats 4 and 12 are read, each mapping kept as the table states it
        (a glyph id of 0 included); any other format is Unsupported.
        """
        if offset not in self._maps:
            (fmt,) = struct.unpack_from(">H", self.data, offset)
            if fmt == 4:
                self._maps[offset] = tuple(_format4(self, offset))
            elif fmt == 12:
                self._maps[offset] = tuple(_format12(self, offset))
            else:
                raise Unsupported(f"{self.path}: character map format {fmt}")
        return self._maps[offset]

    def advances(self) -> tuple[list[int], int]:
        """Return each glyph's advance width (by glyph id) and the number of widths the font states."""
        hmtx, _ = self.table("hmtx")
        hhea, _ = self.table("hhea")
        maxp, _ = self.table("maxp")
        (stated,) = struct.unpack_from(">H", self.data, hhea + 34)
        (glyphs,) = struct.unpack_from(">H", self.data, maxp + 4)
        if stated == 0:
            raise Unsupported(f"{self.path}: no horizontal metrics")
        pairs = self.ushorts(hmtx, 2 * stated)
        widths = list(pairs[0::2])
        widths += [widths[-1]] * max(0, glyphs - stated)  # the rest share the last width
        return widths, stated

    def units_per_em(self) -> int:
        """Return the font's design units per em (the unit of its widths)."""
        head, _ = self.table("head")
        (units,) = struct.unpack_from(">H", self.data, head + 18)
        return int(units)


def _numbers(code: str, data: bytes, offset: int, count: int) -> array[int]:
    """Return ``count`` big-endian numbers of ``array`` type ``code`` at ``offset``."""
    numbers = array(code)
    size = numbers.itemsize * count
    if offset < 0 or offset + size > len(data):
        raise Unsupported("a table runs past the end of the file")
    numbers.frombytes(data[offset : offset + size])
    if sys.byteorder == "little":
        numbers.byteswap()
    return numbers


def _format4(font: FontFile, offset: int) -> list[tuple[int, int]]:
    """Return the mappings of a format 4 character map (segments of 16-bit code points)."""
    data = font.data
    length, _language, doubled = struct.unpack_from(">HHH", data, offset + 2)
    segments = doubled // 2
    ends = font.ushorts(offset + 14, segments)
    starts = font.ushorts(offset + 16 + 2 * segments, segments)
    deltas = font.ushorts(offset + 16 + 4 * segments, segments)
    range_at = offset + 16 + 6 * segments
    ranges = font.ushorts(range_at, segments)
    limit = offset + length
    out: list[tuple[int, int]] = []
    for n in range(segments):
        start, end, delta, rng = starts[n], ends[n], deltas[n], ranges[n]
        if rng == 0:
            out.extend((c, (c + delta) & 0xFFFF) for c in range(start, end + 1))
            continue
        base = range_at + 2 * n + rng - 2 * start
        for c in range(start, end + 1):
            at = base + 2 * c
            glyph = struct.unpack_from(">H", data, at)[0] if at < limit else 0  # past the table: none
            out.append((c, (glyph + delta) & 0xFFFF if glyph else 0))
    return out


def _format12(font: FontFile, offset: int) -> list[tuple[int, int]]:
    """Return the mappings of a format 12 character map (groups of 32-bit code points)."""
    (groups,) = struct.unpack_from(">L", font.data, offset + 12)
    out: list[tuple[int, int]] = []
    table = font.data[offset + 16 : offset + 16 + 12 * groups]
    if len(table) != 12 * groups:
        raise Unsupported(f"{font.path}: character map runs past the end of the file")
    for start, end, glyph in struct.iter_unpack(">LLL", table):
        out.extend(zip(range(start, end + 1), range(glyph, glyph + end - start + 1)))
    return out
