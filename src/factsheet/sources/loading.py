"""Read YAML safely into plain values with the line and column of every key and value.

What is read, and what is refused (docs/errors.md lists every message):

* UTF-8 text only. A UTF-8 byte-order mark and Windows (CRLF) or old Mac (CR)
  line endings are accepted and give exactly the same data and positions as
  the same file saved with LF endings. UTF-16/UTF-32, invalid UTF-8, NUL and
  other control characters, stray byte-order marks and the invisible line
  separators U+0085/U+2028/U+2029 are refused with their line and column (and
  the path of the field holding them, when they are inside a value).
* One YAML document holding a mapping. No tags beyond the plain ``!!str``,
  ``!!int``... (so nothing can construct Python objects), no anchors or aliases
  (so no alias bombs), no duplicate keys, no merge keys (``<<``).
* Scalars are read by the YAML 1.2 core rules, not PyYAML's YAML 1.1 ones:
  only ``true``/``false`` are booleans (``yes``, ``no``, ``on``, ``off`` stay
  text), numbers are decimal (``0700`` is 700, never octal 448; ``1:30``,
  ``1_000`` and ``0x1F`` stay text), and only ``YYYY-MM-DD`` becomes a date.
* Limits: :data:`MAX_FILE_BYTES`, :data:`MAX_DEPTH`, :data:`MAX_STRING_CHARS`,
  :data:`MAX_VALUES` and :data:`MAX_NUMBER_DIGITS`; each message quotes its limit.
* Bidirectional controls are refused outside values (in comments, where they
  can make a file display differently from what it holds); inside values the
  schema refuses them, naming the field.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import math
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import yaml

from factsheet.errors import InputError, Problem
from factsheet.oneline import one_line

#: libyaml's parser is several times faster; the pure-Python one behaves the same.
_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Limits on what one YAML file may hold; each error message quotes its limit.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 12
MAX_STRING_CHARS = 20_000
MAX_VALUES = 100_000
MAX_NUMBER_DIGITS = 30

_YAML = "tag:yaml.org,2002:"

#: Explicit tags that only restate what plain YAML already means.
_HARMLESS_TAGS = {
    _YAML + "str",
    _YAML + "int",
    _YAML + "float",
    _YAML + "bool",
    _YAML + "null",
    _YAML + "timestamp",
    _YAML + "map",
    _YAML + "seq",
}


def printable(text: str) -> str:
    """Return ``text`` as one printable line (see :func:`factsheet.oneline.one_line`)."""
    return one_line(text)


def display_path(path: YamlPath) -> str:
    """Return ``('claims', 3, 'quote')`` as ``claims[3].quote``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "top level"


_BIDI_NAMES = {
    "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override",
    "\u202e": "right-to-left override",
    "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate",
    "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate",
    "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark",
    "\u061c": "Arabic letter mark",
}
_CHARACTER_NAMES = {
    "\t": "control character (tab)",
    "\x00": "control character (NUL)",
    "\x85": "next-line character",
    "\u2028": "line separator",
    "\u2029": "paragraph separator",
    "\ufeff": "byte-order mark",
    "\ufffe": "non-character",
    "\uffff": "non-character",
    "\u200b": "zero-width space",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
    "\u00ad": "soft hyphen",
    "\u2061": "invisible function application",
    "\u2062": "invisible times",
    "\u2063": "invisible separator",
    "\u2064": "invisible plus",
    "\u034f": "combining grapheme joiner",
}


def describe_character(ch: str) -> str:
    """Return a reader's name for a refused character, e.g. "bidirectional control (right-to-left override) U+202E"."""
    if ch in _BIDI_NAMES:
        kind = f"bidirectional control ({_BIDI_NAMES[ch]})"
    elif ch in _CHARACTER_NAMES:
        kind = _CHARACTER_NAMES[ch]
    elif "\ud800" <= ch <= "\udfff":
        kind = "lone surrogate"
    else:
        kind = "control character"
    return f"{kind} U+{ord(ch):04X}"


def character_fix(description: str) -> str:
    """Return what to do about the refused character ``description`` names."""
    if (
        "(tab)" in description
        or ("separator" in description and "invisible" not in description)
        or "next-line" in description
    ):
        return "replace it with a space"
    return "delete it"


#: Where a value sits in a YAML document: its keys and list indexes, from the top.
YamlPath = tuple[str | int, ...]

#: A mapping as the loader builds it: text keys, any value YAML holds (text, numbers, dates,
#: lists, mappings); the schema checks the values before the model is built.
YamlMap = dict[str, Any]

#: A single value as YAML's core rules read it.
YamlScalar = str | int | float | bool | _dt.date | None


@dataclass
class Located:
    """Plain data read from one file, with positions (1-based line, column) by path."""

    file: str
    data: Any  # mappings, lists, text, numbers, dates: what the YAML holds
    value_pos: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    key_pos: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    #: the file's bytes as read (b"" for text given directly): what a record of the file hashes
    raw: bytes = b""

    def pos(self, path: YamlPath, key: bool = False) -> tuple[int, int]:
        """Return the position of the value at ``path`` (or of its key), else of its nearest parent."""
        table = self.key_pos if key else self.value_pos
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if p in self.value_pos:
                return self.value_pos[p]
            p = p[:-1]
        return self.value_pos.get((), (1, 1))

    def problem(self, path: YamlPath, message: str, key: bool = False, severity: str = "error") -> Problem:
        """Return a Problem located at ``path`` in this file (its message made one printable line)."""
        line, col = self.pos(path, key)
        return Problem(printable(self.file), line, col, printable(message), severity)

    def duplicate_ids(
        self, where: YamlPath, items: Iterable[tuple[int, YamlMap]], message: Callable[[str, int], str]
    ) -> tuple[dict[str, int], list[Problem]]:
        """Return the index of each id's first item under ``where``, and a problem at each later one.

        ``items`` are (index, mapping with a text ``id``); ``message(id, line)`` words the
        problem, given the line of the id's first use.
        """
        first: dict[str, int] = {}
        problems: list[Problem] = []
        for i, item in items:
            ident = item["id"]
            if ident in first:
                line = self.pos(where + (first[ident], "id"))[0]
                problems.append(self.problem(where + (i, "id"), message(ident, line)))
            else:
                first[ident] = i
        return first, problems


def _problem(file: str, line: int, col: int, message: str) -> Problem:
    return Problem(printable(file), line, col, printable(message))


def _position(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column (in characters) of ``offset`` in LF-only ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


_UTF8_BOM = b"\xef\xbb\xbf"
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode(raw: bytes, file: str) -> str:
    """Return the text of a UTF-8 file, accepting a BOM and CRLF or CR endings; raise InputError otherwise.

    The text returned has LF line endings and no byte-order mark, so a file saved
    either way reads identically.
    """
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(
            [
                _problem(
                    file,
                    1,
                    1,
                    f"file is larger than {MAX_FILE_BYTES:,} bytes, the limit for one YAML file; split it",
                )
            ]
        )
    if raw.startswith(_UTF32_BOMS):
        raise InputError(
            [
                _problem(
                    file, 1, 1, "file is UTF-32 (it starts with a UTF-32 byte-order mark); save it as UTF-8"
                )
            ]
        )
    if raw.startswith(_UTF16_BOMS):
        raise InputError(
            [
                _problem(
                    file, 1, 1, "file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"
                )
            ]
        )
    head = raw[:200]
    if len(head) >= 4 and (head[1::2].count(0) == len(head[1::2]) or head[0::2].count(0) == len(head[0::2])):
        raise InputError(
            [
                _problem(
                    file,
                    1,
                    1,
                    "file looks like UTF-16 without a byte-order mark (every other byte is 0); save it as UTF-8",
                )
            ]
        )
    bom = len(_UTF8_BOM) if raw.startswith(_UTF8_BOM) else 0
    try:
        text = raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start + bom
        before = _normalize_newlines(raw[bom:start].decode("utf-8"))
        line, col = _position(before, len(before))
        byte = raw[start]
        hint = "save the file as UTF-8"
        if byte >= 0x80:
            try:
                legacy = bytes([byte]).decode("cp1252")
                hint = f"in Windows-1252 this byte is {legacy!r}; save the file as UTF-8"
            except UnicodeDecodeError:
                pass
        raise InputError(
            [_problem(file, line, col, f"invalid UTF-8 byte 0x{byte:02x} at byte offset {start}; {hint}")]
        ) from None
    return _normalize_newlines(text)


#: Characters refused anywhere in a YAML file, with what to say about them.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_LINE_SEPARATORS = {
    "\x85": "next-line character",
    "\u2028": "line separator",
    "\u2029": "paragraph separator",
}

#: Bidirectional controls: refused outside values here, inside values by the schema.
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _check_characters(text: str, file: str) -> None:
    m = _BAD_CHARACTER.search(text)
    if not m:
        return
    ch = m.group()
    line, col = _position(text, m.start())
    cp = f"U+{ord(ch):04X}"
    if ch == "\x00":
        message = "NUL character found: the file is binary or UTF-16; save it as UTF-8 text"
    else:
        holder = _value_holding(text, m.start())
        if holder is not None:
            path, index = holder
            what = describe_character(ch)
            message = f"{display_path(path)}: {what} at character {index} is not allowed in text; {character_fix(what)}"
        elif ch in _LINE_SEPARATORS:
            message = (
                f"{_LINE_SEPARATORS[ch]} {cp} found: YAML reads it as a line break but it is invisible; "
                "replace it with a space or a normal line break"
            )
        elif ch == "\ufeff":
            message = (
                f"byte-order mark {cp} in the middle of the file (often left by joining files); delete it"
            )
        elif ch in "\ufffe\uffff" or "\ud800" <= ch <= "\udfff":
            message = f"{cp} is not a character; delete it"
        else:
            message = f"control character {cp} found: a YAML file holds printable text only; delete it"
    raise InputError([_problem(file, line, col, message)])


def _value_holding(text: str, offset: int) -> tuple[YamlPath, int] | None:
    """Return the path of the value holding the character at ``offset``, and its place in the value.

    YAML refuses such characters before parsing, so they are first replaced by a
    private-use character that the file does not contain, and the file parsed again.
    """
    sentinel = next((c for c in map(chr, range(0xE000, 0xF900)) if c not in text), None)
    if sentinel is None:  # pragma: no cover - a file using every private-use character
        return None
    builder = _Builder(Located("", None), spans=True)
    loader = _Loader(_BAD_CHARACTER.sub(lambda m: m.group() if m.group() == "\x00" else sentinel, text))
    try:
        builder.document(loader)
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    for start, end, path, value in builder.spans or ():
        if start <= offset < end and sentinel in value:
            return path, value.index(sentinel) + 1
    return None


def load_file(
    path: str | os.PathLike[str], display: str | None = None, expected: str = "title, as_of and claims"
) -> Located:
    """Return the located YAML content of the file at ``path``."""
    shown = display or str(path)
    raw = read_file(path, shown)
    located = load_text(decode(raw, shown), shown, expected)
    located.raw = raw
    return located


def read_file(path: str | os.PathLike[str], shown: str) -> bytes:
    """Return the bytes of the YAML file at ``path`` (shown as ``shown`` in problems), up to one byte too many."""
    try:
        # O_NONBLOCK: a named pipe given as a fact sheet is refused, not waited on.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except IsADirectoryError:
        raise InputError([_problem(shown, 1, 1, "expected a YAML file, found a folder")]) from None
    except OSError as exc:
        raise InputError([_problem(shown, 1, 1, f"cannot read file: {exc.strerror}")]) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError([_problem(shown, 1, 1, "expected a YAML file, found a folder")])
        if not stat.S_ISREG(mode):
            raise InputError([_problem(shown, 1, 1, "expected a YAML file, found a device, pipe or socket")])
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError([_problem(shown, 1, 1, f"cannot read file: {exc.strerror}")]) from None
    finally:
        os.close(fd)
    return raw


def load_text(text: str, file: str, expected: str = "title, as_of and claims") -> Located:
    """Return the located YAML content of ``text``; raise InputError on any YAML problem.

    CRLF and CR line endings and a leading byte-order mark are accepted here too.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = _normalize_newlines(text)
    _check_characters(text, file)
    located = Located(file, None, lines=text.split("\n"))
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in located.lines):
        what = "empty" if not text.strip() else "only comments"
        raise InputError([_problem(file, 1, 1, f"file is {what}: expected a mapping with {expected}")])
    builder = _Builder(located)
    loader = _Loader(text)
    try:
        located.data = builder.document(loader)
    except yaml.MarkedYAMLError as exc:
        raise InputError([_yaml_problem(file, exc, located.lines)]) from None
    except yaml.reader.ReaderError as exc:  # characters are checked above; kept as a safety net
        line, col = _position(text, min(exc.position, len(text)))
        raise InputError([_problem(file, line, col, f"invalid YAML: {exc.reason}")]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise InputError([_problem(file, 1, 1, f"invalid YAML: {' '.join(str(exc).split())}")]) from None
    finally:
        loader.dispose()
    bidi = builder.stray_bidi(text)
    if bidi is not None:
        line, col = _position(text, bidi)
        raise InputError(
            [
                _problem(
                    file,
                    line,
                    col,
                    f"bidirectional control U+{ord(text[bidi]):04X} outside any value (in a comment or between "
                    "values): it makes the file display differently from what it holds; delete it",
                )
            ]
        )
    if not isinstance(located.data, dict):
        raise InputError(
            [
                _problem(
                    file,
                    *located.pos(()),
                    # only the type: this may be a file that is not YAML at all, and its content stays unquoted
                    f"the top level must be a mapping with {expected}, found {_kind_only(located.data)}",
                )
            ]
        )
    return located


def _kind_only(value: object) -> str:
    """Return the type of ``value`` as type_name does, without quoting any of its text or digits."""
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return "a number"
    return type_name(value)


def type_name(value: object) -> str:
    """Return a reader's name for the type of a YAML value."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, float) and not math.isfinite(value):
        return "not-a-number (.nan)" if value != value else f"infinity ({'-' if value < 0 else ''}.inf)"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"a string ({shown!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, _dt.date):
        return f"a date ({value.isoformat()})"
    return type(value).__name__


_TAB_INDENT = re.compile(r"^ *\t")

#: The YAML parser's wording of common mistakes, and what to tell the person who made them.
_COLON_IN_VALUE = (
    "found ': ' inside an unquoted value; put a value holding ': ' in quotes (or write it as a "
    "'>-' block), or check this line's indentation"
)
_AFTER_END = "found more content after the end of the document ('...'); keep one document per file"
_FRIENDLY = {
    "mapping values are not allowed here": _COLON_IN_VALUE,  # PyYAML's pure-Python parser
    "expected '<document start>'": _AFTER_END,
    "mapping values are not allowed in this context": _COLON_IN_VALUE,
    "found unknown escape character": "unknown backslash escape in a double-quoted value; use single quotes, or write \\\\ for a backslash",
    "found character that cannot start any token": "found a character that cannot start a value (such as @ or `); put the value in quotes",
    "found invalid Unicode character escape code": "a \\u escape names half of a UTF-16 pair, which is not a character; write the character itself "
    "or a \\U0001F600-style escape",
    "did not find expected key": "this line is indented differently from the keys above it; line up the keys of one mapping",
    "did not find expected '-' indicator": "this line is indented differently from the lines above it; line up "
    "the keys of one mapping, and the '- ' of one list",
    "could not find expected ':'": "expected 'key: value', found no ': ' (a missing colon, or text continuing on a line of its own)",
    "did not find expected <document start>": _AFTER_END,
    "found incompatible YAML document": "the %YAML directive names a version other than 1.x; remove the directive",
}


def _yaml_problem(file: str, exc: yaml.MarkedYAMLError, lines: list[str]) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    if isinstance(exc, _Refused):
        return _problem(file, line, col, problem)
    if _past_last_line(line, lines) and not _STARTED_AT.search(exc.context or ""):
        return _ended_early(file, exc, problem, lines)
    if "'\\t'" in problem or "tab character" in problem or _TAB_INDENT.match(text):
        return _problem(file, line, col, "tab character in indentation; indent YAML with spaces")
    quote = _unclosed_quote(lines, line)
    if quote is not None:
        return _problem(
            file, *quote, "invalid YAML: this quoted value is never closed; add the closing quote"
        )
    if exc.context and "quoted scalar" in exc.context and "end of stream" in problem and exc.context_mark:
        start = exc.context_mark
        return _problem(
            file,
            start.line + 1,
            start.column + 1,
            "invalid YAML: this quoted value is never closed; add the closing quote",
        )
    if problem.startswith("could not find expected ':'") and exc.context_mark:
        # the line without a colon is where the simple key started, not where the parser gave up
        line, col = exc.context_mark.line + 1, exc.context_mark.column + 1
        colon = _colon_in_text(lines, line)
        if colon is not None:
            return _problem(file, *colon, f"invalid YAML: {_COLON_IN_VALUE}")
    for known, friendly in _FRIENDLY.items():
        if problem.startswith(known):
            return _problem(file, line, col, f"invalid YAML: {friendly}")
    context = f" ({exc.context})" if exc.context and exc.problem else ""
    return _problem(file, line, col, f"invalid YAML: {problem}{context}")


def _last_line(lines: list[str]) -> tuple[int, str]:
    """Return the number and text of the last line holding YAML (not blank, not a comment), or (1, "")."""
    return next(_content_lines(lines, len(lines) + 1), (1, ""))


def _past_last_line(line: int, lines: list[str]) -> bool:
    """Return True when ``line`` is after the last line holding YAML: the parser reached the end of the file.

    After a final line break (or trailing blank lines and comments) that is a
    line no editor shows the mistake on.
    """
    return line > _last_line(lines)[0]


#: Contexts whose start the messages below point at themselves (a quote never closed, a key without ': ').
_STARTED_AT = re.compile("quoted scalar|simple key")

_UNCLOSED = {
    "[": "this [ list is never closed; add the closing ]",
    "{": "this { mapping is never closed; add the closing }",
}


def _ended_early(file: str, exc: yaml.MarkedYAMLError, problem: str, lines: list[str]) -> Problem:
    """Return the problem of a file that ends before its YAML does: where the open part starts, else its last line."""
    if "flow" in (exc.context or ""):
        opened = _last_open_bracket(lines)
        if opened is not None:
            line, col, bracket = opened
            return _problem(file, line, col, f"invalid YAML: {_UNCLOSED[bracket]}")
    number, text = _last_line(lines)
    friendly = next((f for known, f in _FRIENDLY.items() if problem.startswith(known)), None)
    context = f" ({exc.context})" if exc.context and exc.problem else ""
    said = friendly or f"{problem}{context}"
    return _problem(file, number, len(text.rstrip()) + 1, f"invalid YAML: the file ends too early: {said}")


_FLOW_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"\\]|\\.)*"|(?:^|\s)#.*|[\[\]{}]""")


def _last_open_bracket(lines: list[str]) -> tuple[int, int, str] | None:
    """Return the line, column and character of the innermost [ or { left open at the end of the file."""
    opened: list[tuple[int, int, str]] = []
    for number, text in enumerate(lines, 1):
        for m in _FLOW_TOKEN.finditer(text):
            token = m.group()
            if token in "[{":
                opened.append((number, m.start() + 1, token))
            elif token in "]}" and opened:
                opened.pop()
    return opened[-1] if opened else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_lines(lines: list[str], before: int) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) of the non-blank, non-comment lines above line ``before``, nearest first."""
    for number in range(min(before, len(lines) + 1) - 1, 0, -1):
        text = lines[number - 1]
        if text.strip() and not text.lstrip().startswith("#"):
            yield number, text


def _colon_in_text(lines: list[str], line: int) -> tuple[int, int] | None:
    """Return the position of the ': ' that made a plain text value read as a mapping, if that is what happened.

    ``text:`` with its words on the next lines, one of which holds ': ', makes YAML
    read those words as a key; the next line of words then lacks a colon. The
    fault is the ': ' on the first line of the block, not that later line.
    """
    if not 0 < line <= len(lines):
        return None
    indent = _indent(lines[line - 1])
    first = None
    for number, text in _content_lines(lines, line):
        if _indent(text) > indent:
            continue
        if _indent(text) < indent:
            parent = text.split(" #", 1)[0].rstrip()
            return first if first is not None and parent.endswith(":") else None
        if ": " in text:
            before = text[: text.index(": ")].strip().removeprefix("- ")
            # words, not a key: a key of a sheet is one name ("on_record: false" lacking
            # a colon on the next line is a missing colon, not this)
            first = (number, text.index(": ") + 1) if not _KEY_NAME.fullmatch(before) else None
    return None


_KEY_NAME = re.compile(r"[A-Za-z_][\w-]*")
_KEY_LINE = re.compile(r"\s*(- +)?[A-Za-z_][\w-]*:( |$)")
_OPENING_QUOTE = re.compile(r"""^\s*(?:- +)?(?:[A-Za-z_][\w-]*: +)?(?:- +)?(["'])""")


def _closes(text: str, quote: str) -> bool:
    """Return True when ``text`` (what follows an opening quote) holds its closing quote."""
    if quote == "'":
        return "'" in text.replace("''", "")
    return re.search(r'(?<!\\)(?:\\\\)*"', text) is not None


def _unclosed_quote(lines: list[str], line: int) -> tuple[int, int] | None:
    """Return where a quoted value opens that runs on over later keys up to line ``line``, if one does.

    A missing closing quote makes YAML read on until the next quote mark, often
    several keys further down, and fail there; the fault is where the quote opens.
    A quoted value that spans lines and closes before any key is left alone.
    """
    for number, text in _content_lines(lines, line + 1):
        opening = _OPENING_QUOTE.match(text)
        if opening and not _closes(text[opening.end() :], opening.group(1)):
            for later in range(number + 1, min(line, len(lines)) + 1):
                following = lines[later - 1]
                if _KEY_LINE.match(following):
                    return number, opening.start(1) + 1
                if _closes(following, opening.group(1)):
                    return None
            return None
    return None


# -- scalars: the YAML 1.2 core schema, nothing more -------------------------

_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOATS = {
    **{
        f"{sign}.{word}": float(f"{sign or '+'}inf")
        for sign in ("", "+", "-")
        for word in ("inf", "Inf", "INF")
    },
    **{f".{word}": math.nan for word in ("nan", "NaN", "NAN")},
}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_NO_VALUE = object()


def _plain(value: str) -> YamlScalar:
    """Return the value a plain (unquoted) scalar stands for, by the YAML 1.2 core rules."""
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    if value in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[value]
    if _DATE.match(value):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            return value  # not a real date: kept as text for the schema to name
    return value


_TAG_EXPECTS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "null": "null",
    "timestamp": "a date YYYY-MM-DD",
    "map": "a mapping",
    "seq": "a list",
}


def _tagged(tag: str, value: str) -> object:
    """Return the value of a scalar with an explicit harmless tag, or _NO_VALUE if it does not fit."""
    kind = tag[len(_YAML) :]
    if kind == "str":
        return value
    plain = _plain(value)
    fits = {
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "bool": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "timestamp": lambda v: isinstance(v, _dt.date),
    }.get(kind)
    if fits is None or not fits(plain):
        return _NO_VALUE
    return float(plain) if kind == "float" and isinstance(plain, (int, float)) else plain


#: An event of PyYAML's parser (a scalar, the start of a mapping, ...); the parser's
#: stubs leave its events untyped, so they are ``Any`` here, read by their kind.
ParserEvent = Any


class _Events(Protocol):
    """What the builder reads from a YAML parser (the C one or the Python one): its events."""

    def get_event(self) -> ParserEvent: ...

    def peek_event(self) -> ParserEvent: ...

    def check_event(self, *choices: type[yaml.Event]) -> bool: ...


class _Builder:
    """Turn parser events into plain values, recording positions and refusing what is unsafe."""

    def __init__(self, located: Located, spans: bool = False):
        self.located = located
        self.count = 0
        #: (start, end, path, value) of every text value, when asked for.
        self.spans: list[tuple[int, int, YamlPath, str]] | None = [] if spans else None
        #: (start, end) character offsets of values holding bidirectional controls.
        self.bidi_spans: list[tuple[int, int]] = []

    def document(self, loader: _Events) -> object:
        loader.get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            return None
        loader.get_event()  # DocumentStart
        value = self.node(loader, (), 0)
        loader.get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.peek_event()
            raise _error(event, "the file holds more than one YAML document ('---'); keep one per file")
        return value

    def _common(self, event: ParserEvent, depth: int) -> None:
        """Refuse what no node may be: too deep, too many, an alias, an anchor."""
        if depth > MAX_DEPTH:
            raise _error(event, f"nesting is deeper than {MAX_DEPTH} levels, the limit")
        self.count += 1
        if self.count > MAX_VALUES:
            raise _error(event, f"the file holds more than {MAX_VALUES:,} keys and values, the limit")
        if isinstance(event, yaml.AliasEvent):
            raise _error(event, f"YAML aliases (*{event.anchor}) are not allowed; write the value out")
        if event.anchor is not None:
            raise _error(event, f"YAML anchors (&{event.anchor}) are not allowed; write the value out")

    def node(self, loader: _Events, path: YamlPath, depth: int) -> object:
        event = loader.get_event()
        self._common(event, depth)
        self.located.value_pos[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        tag = event.tag
        if isinstance(event, yaml.ScalarEvent):
            if self.spans is not None and event.start_mark and event.end_mark:
                self.spans.append((event.start_mark.index, event.end_mark.index, path, event.value))
            return self.scalar(event)
        if tag is not None and not event.implicit and tag not in _HARMLESS_TAGS:
            raise _error(
                event, f"the YAML tag {_short_tag(tag)} is not allowed; tags never run code here, remove it"
            )
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            while not loader.check_event(yaml.SequenceEndEvent):
                items.append(self.node(loader, path + (len(items),), depth + 1))
            loader.get_event()
            return items
        # MappingStartEvent
        mapping: dict[str, object] = {}
        while not loader.check_event(yaml.MappingEndEvent):
            key_event = loader.get_event()
            key = self.key(key_event, depth + 1)
            pos = (key_event.start_mark.line + 1, key_event.start_mark.column + 1)
            if key in mapping:
                first = self.located.key_pos[path + (key,)]
                raise _error(
                    key_event,
                    f"duplicate key '{key}': first at line {first[0]}, again at line {pos[0]}; keep one",
                )
            self.located.key_pos[path + (key,)] = pos
            mapping[key] = self.node(loader, path + (key,), depth + 1)
        loader.get_event()
        return mapping

    def key(self, event: ParserEvent, depth: int) -> str:
        """Return a mapping key: always the name as written, never a number, boolean or date."""
        self._common(event, depth)
        if not isinstance(event, yaml.ScalarEvent):
            raise _error(event, "a mapping key must be a plain name, found a list or mapping")
        if (
            event.tag is not None
            and not (event.implicit[0] or event.implicit[1])
            and event.tag != _YAML + "str"
        ):
            raise _error(event, f"the YAML tag {_short_tag(event.tag)} is not allowed on a key; remove it")
        name = event.value
        if len(name) > MAX_STRING_CHARS:
            raise _error(event, f"a key is {len(name):,} characters long; the limit is {MAX_STRING_CHARS:,}")
        if name == "<<" and event.implicit[0]:
            raise _error(event, "YAML merge keys (<<) are not allowed; write the keys out")
        bad = _BAD_CHARACTER.search(name) or BIDI.search(name) or re.search("[\t\n]", name)
        if bad:
            raise _error(
                event, f"key '{name}' holds the invisible character U+{ord(bad.group()):04X}; delete it"
            )
        return name

    def scalar(self, event: ParserEvent) -> object:
        value = event.value
        if len(value) > MAX_STRING_CHARS:
            raise _error(
                event, f"a value is {len(value):,} characters long; the limit is {MAX_STRING_CHARS:,}"
            )
        if BIDI.search(value):
            self.bidi_spans.append((event.start_mark.index, event.end_mark.index))
        plain, quoted = event.implicit
        numeric = plain or (not quoted and event.tag != _YAML + "str")
        if numeric and _INT.match(value):
            digits = len(value.lstrip("+-"))
            if digits > MAX_NUMBER_DIGITS:
                raise _error(
                    event, f"a number has {digits:,} digits; the limit is {MAX_NUMBER_DIGITS} digits"
                )
        if event.tag is not None and not plain and not quoted:
            if event.tag not in _HARMLESS_TAGS:
                raise _error(
                    event,
                    f"the YAML tag {_short_tag(event.tag)} is not allowed; tags never run code here, remove it",
                )
            result = _tagged(event.tag, value)
            if result is _NO_VALUE:
                what = _TAG_EXPECTS.get(event.tag[len(_YAML) :], "no plain value")
                raise _error(
                    event,
                    f"the YAML tag {_short_tag(event.tag)} expects {what}, found {value!r}; remove the tag",
                )
        elif plain:
            result = _plain(value)
        else:
            return value  # quoted, or a block scalar: always text
        return result

    def stray_bidi(self, text: str) -> int | None:
        """Return the offset of the first bidirectional control outside every value, or None."""
        starts = [s for s, _ in self.bidi_spans]
        for m in BIDI.finditer(text):
            i = bisect.bisect_right(starts, m.start()) - 1
            if i < 0 or m.start() >= self.bidi_spans[i][1]:
                return m.start()
        return None


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that factsheet refuses (aliases, tags, duplicate keys, limits)."""


def _error(event: ParserEvent, message: str) -> yaml.MarkedYAMLError:
    return _Refused(problem=message, problem_mark=event.start_mark)
