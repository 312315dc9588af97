"""Read YAML safely into plain values with the line and column of every key and value."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

import yaml

from factsheet.errors import InputError, Problem

try:  # libyaml's parser is several times faster; the pure-Python one behaves the same
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

#: Limits on what one YAML file may hold; each error message quotes its limit.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 12
MAX_STRING_CHARS = 20_000

#: Explicit tags that only restate what plain YAML already means.
_HARMLESS_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}

Path_ = tuple  # a path into the data: keys and list indexes


@dataclass
class Located:
    """Plain data read from one file, with positions (1-based line, column) by path."""

    file: str
    data: object
    value_pos: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_pos: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def pos(self, path: tuple, key: bool = False) -> tuple[int, int]:
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

    def problem(self, path: tuple, message: str, key: bool = False, severity: str = "error") -> Problem:
        """Return a Problem located at ``path`` in this file."""
        line, col = self.pos(path, key)
        return Problem(self.file, line, col, message, severity)


def decode(raw: bytes, file: str) -> str:
    """Return the text of a UTF-8 file, accepting a BOM and CRLF; raise InputError otherwise."""
    if len(raw) > MAX_FILE_BYTES:
        raise InputError([Problem(file, 1, 1,
            f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError([Problem(file, 1, 1,
            "file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8")])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        if b"\x00" in raw[:200] and len(raw) > 1:
            hint = "it looks like UTF-16 without a byte-order mark; save it as UTF-8"
        else:
            hint = "save the file as UTF-8"
        raise InputError([Problem(file, line, col,
            f"invalid UTF-8 byte 0x{raw[exc.start]:02x} at byte offset {exc.start}; {hint}")])
    if "\x00" in text:
        off = text.index("\x00")
        line = text.count("\n", 0, off) + 1
        raise InputError([Problem(file, line, 1,
            "NUL character found: the file is binary or UTF-16; save it as UTF-8 text")])
    return text.replace("\r\n", "\n")


def load_file(path, display: str | None = None, expected: str = "title, as_of and claims") -> Located:
    """Return the located YAML content of the file at ``path``."""
    shown = display or str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise InputError([Problem(shown, 1, 1, "expected a YAML file, found a folder")]) from None
    except OSError as exc:
        raise InputError([Problem(shown, 1, 1, f"cannot read file: {exc.strerror}")]) from None
    return load_text(decode(raw, shown), shown, expected)


def load_text(text: str, file: str, expected: str = "title, as_of and claims") -> Located:
    """Return the located YAML content of ``text``; raise InputError on any YAML problem."""
    located = Located(file, None, lines=text.split("\n"))
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in located.lines
    ):
        what = "empty" if not text.strip() else "only comments"
        raise InputError([Problem(file, 1, 1,
            f"file is {what}: expected a mapping with {expected}")])
    builder = _Builder(located)
    loader = _Loader(text)
    try:
        located.data = builder.document(loader)
    except yaml.MarkedYAMLError as exc:
        raise InputError([_yaml_problem(file, exc, located.lines)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise InputError([Problem(file, 1, 1, f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if not isinstance(located.data, dict):
        raise InputError([Problem(file, *located.pos(()),
            f"the top level must be a mapping with {expected}, found {type_name(located.data)}")])
    return located


def type_name(value) -> str:
    """Return a reader's name for the type of a YAML value."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
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


def _yaml_problem(file: str, exc: yaml.MarkedYAMLError, lines: list[str]) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    if isinstance(exc, _Refused):
        return Problem(file, line, col, problem)
    if "'\\t'" in problem or _TAB_INDENT.match(text):
        return Problem(file, line, col, "tab character in indentation; indent YAML with spaces")
    context = f" ({exc.context})" if exc.context and exc.problem else ""
    return Problem(file, line, col, f"invalid YAML: {problem}{context}")


class _Builder:
    """Turn parser events into plain values, recording positions and refusing what is unsafe."""

    def __init__(self, located: Located):
        self.located = located

    def document(self, loader):
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

    def node(self, loader, path: tuple, depth: int):
        event = loader.get_event()
        if depth > MAX_DEPTH:
            raise _error(event, f"nesting is deeper than {MAX_DEPTH} levels")
        if isinstance(event, yaml.AliasEvent):
            raise _error(event, f"YAML aliases (*{event.anchor}) are not allowed; write the value out")
        if event.anchor is not None:
            raise _error(event, f"YAML anchors (&{event.anchor}) are not allowed; write the value out")
        self.located.value_pos[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
        tag = event.tag
        if isinstance(event, yaml.ScalarEvent):
            explicit = tag is not None and not event.implicit[0] and not event.implicit[1]
            if explicit and tag not in _HARMLESS_TAGS:
                raise _error(event, f"the YAML tag {_short_tag(tag)} is not allowed; tags never run code here, remove it")
            return self.scalar(loader, event)
        if tag is not None and not event.implicit and tag not in _HARMLESS_TAGS:
            raise _error(event, f"the YAML tag {_short_tag(tag)} is not allowed; tags never run code here, remove it")
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not loader.check_event(yaml.SequenceEndEvent):
                items.append(self.node(loader, path + (len(items),), depth + 1))
            loader.get_event()
            return items
        # MappingStartEvent
        mapping: dict = {}
        while not loader.check_event(yaml.MappingEndEvent):
            key_event = loader.peek_event()
            if not isinstance(key_event, yaml.ScalarEvent):
                raise _error(key_event, "a mapping key must be a plain name, found a list or mapping")
            key = self.node(loader, path + ("\0key",), depth + 1)
            del self.located.value_pos[path + ("\0key",)]
            if not isinstance(key, str):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            pos = (key_event.start_mark.line + 1, key_event.start_mark.column + 1)
            if key in mapping:
                first = self.located.key_pos[path + (key,)]
                raise _error(key_event,
                    f"duplicate key '{key}': first at line {first[0]}, again at line {pos[0]}; keep one")
            self.located.key_pos[path + (key,)] = pos
            mapping[key] = self.node(loader, path + (key,), depth + 1)
        loader.get_event()
        return mapping

    def scalar(self, loader, event):
        value = event.value
        if len(value) > MAX_STRING_CHARS:
            raise _error(event, f"a value is {len(value):,} characters long; the limit is {MAX_STRING_CHARS:,}")
        if event.tag and not (event.implicit[0] or event.implicit[1]):
            tag = event.tag
        else:
            tag = loader.resolve(yaml.ScalarNode, value, event.implicit)
        if tag == "tag:yaml.org,2002:str":
            return value
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        return loader.construct_object(node)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that factsheet refuses (aliases, tags, duplicate keys, limits)."""


def _error(event, message: str) -> yaml.MarkedYAMLError:
    return _Refused(problem=message, problem_mark=event.start_mark)
