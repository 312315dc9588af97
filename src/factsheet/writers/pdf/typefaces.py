"""Register the brief's TrueType faces with reportlab and check that text can be drawn."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from fnmatch import fnmatch
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace, unShapedFontGlob

from factsheet import cache
from factsheet.errors import RenderError
from factsheet.rendering import fonts

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
                pdfmetrics.registerFont(_load_font(name, path))
                _registered[name] = path
            _map_families()


def _load_font(name: str, path: str) -> TTFont:
    """Return the reportlab font for ``path``, from the disk cache when it holds the parsed face.

    reportlab parses a whole TTF file in Python (about 40 ms a DejaVu face). The
    parsed face is plain data apart from the file's bytes and a scaling function;
    it is kept as JSON (never a pickle: a cache entry is data, not code), and the
    bytes and the function are restored here exactly as reportlab makes them;
    everything else about the font object is set up as ``TTFont.__init__`` does.
    """

    def parse() -> bytes:
        parsed = TTFontFace(path)
        state = {k: v for k, v in vars(parsed).items() if k not in ("_ttf_data", "_pdfScale")}
        return json.dumps(_to_json(state), separators=(",", ":")).encode("ascii")

    try:
        state = cache.memo(
            "pdf-face-json", (cache.file_identity(path), reportlab.Version), parse, _face_state
        )
        face = TTFontFace.__new__(TTFontFace)
        face.__dict__.update(state)
        with open(path, "rb") as fh:
            face._ttf_data = fh.read()
        units = face.unitsPerEm
        face._pdfScale = (lambda x: x) if units == 1000 else (lambda x, m=1000 / units: x * m)
    except Exception:  # an unusable cache entry: let reportlab parse the file itself
        return TTFont(name, path)
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob)
    return font


#: Attributes a parsed face must have, with their types, for reportlab to draw with it.
_FACE_TYPES: dict[str, type | tuple[type, ...]] = {
    "name": bytes,
    "unitsPerEm": int,
    "charToGlyph": dict,
    "charWidths": dict,
    "hmetrics": list,
    "glyphPos": list,
    "ascent": (int, float),
    "descent": (int, float),
}


def _face_state(data: bytes) -> dict:
    """Return a parsed face's attributes from their JSON; raise ValueError unless they look like one."""
    state = _from_json(json.loads(data))
    if (
        not isinstance(state, dict)
        or not all(isinstance(k, str) and not k.startswith("__") for k in state)
        or not all(isinstance(state.get(k), t) for k, t in _FACE_TYPES.items())
        or state["unitsPerEm"] <= 0
    ):
        raise ValueError("not a parsed font face")
    return state


# JSON has no bytes, tuples or integer keys; a one-key object marks each: {"b": hex} bytes,
# {"n": hex} a TrueType name, {"t": [...]} a tuple, {"d": [keys, values]} a mapping, and
# {"j": [...]} a list of plain JSON values and {"p": [[...], ...]} a list of tuples of
# them, which stay as read (the bulk of a face: widths and glyph maps, decoded at C speed).
_SCALARS = (type(None), bool, int, float, str)


def _plain(value) -> bool:
    return isinstance(value, _SCALARS) or (type(value) is list and all(map(_plain, value)))


def _to_json(value):
    if isinstance(value, _SCALARS) and not isinstance(value, bytes):
        return value
    if isinstance(value, TTFNameBytes):
        return {"n": bytes(value).hex()}
    if isinstance(value, bytes):
        return {"b": value.hex()}
    if isinstance(value, tuple):
        return {"t": [_to_json(v) for v in value]}
    if isinstance(value, list):
        if _plain(value):
            return {"j": value}
        if all(type(v) is tuple and all(isinstance(x, _SCALARS) for x in v) for v in value):
            return {"p": [list(v) for v in value]}
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {"d": [_to_json(list(value)), _to_json(list(value.values()))]}
    raise TypeError(f"cannot keep a {type(value).__name__} in the font cache")


def _from_json(value):
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, list):
        return [_from_json(v) for v in value]
    if isinstance(value, dict) and len(value) == 1:
        ((tag, inner),) = value.items()
        if tag == "j" and isinstance(inner, list):
            return inner
        if tag == "p" and isinstance(inner, list):
            return [tuple(v) for v in inner]
        if tag == "n" and isinstance(inner, str):
            return TTFNameBytes(bytes.fromhex(inner))
        if tag == "b" and isinstance(inner, str):
            return bytes.fromhex(inner)
        if tag == "t" and isinstance(inner, list):
            return tuple(_from_json(v) for v in inner)
        if tag == "d" and isinstance(inner, list) and len(inner) == 2:
            keys, values = (_from_json(v) for v in inner)
            if (
                isinstance(keys, list)
                and isinstance(values, list)
                and len(keys) == len(values)
                and all(type(k) in (int, str) for k in keys)
            ):
                return dict(zip(keys, values))
    raise ValueError("not a font cache entry")


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
