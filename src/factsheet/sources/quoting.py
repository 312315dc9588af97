"""Find the sentences of an article that hold some words, and write them as a citation to paste."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from factsheet.sources.quotes import Article, Invisible, invisible_match, normalize

#: Where a sentence may end: . ! ? … then closing quotes or brackets, then white space.
_END = re.compile(r"[.!?…][\"'”’»)\]]*(?=\s)")
#: Words whose full stop does not end a sentence: initials and short abbreviations ("U.S.", "St. Louis").
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b[A-Z]\.[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|St|No|vs|etc|e\.g|i\.e))\.$"
)


_SPACES = re.compile(r"[ \t\r\n]+")


@dataclass(frozen=True)
class Found:
    """The sentences holding a match: their text as stored, first line, and where they are."""

    text: str
    line: int
    start: int
    end: int


def _lower(text: str) -> str:
    """Return ``text`` lowercased character by character, so offsets stay the same."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the start and end of the sentences of ``text`` around ``start``-``end``."""
    left = max(text.rfind("\n", 0, start) + 1, 0)
    for m in _END.finditer(text, left, start):
        if not _ABBREVIATION.search(text[left : m.start() + 1]):
            left = m.end()
    while left < start and text[left].isspace():
        left += 1
    line_end = text.find("\n", end)
    right = len(text) if line_end < 0 else line_end
    for m in _END.finditer(text, max(end - 1, left), right):
        if not _ABBREVIATION.search(text[left : m.start() + 1]):
            right = m.end()
            break
    return left, right


#: The most places ``factsheet quote`` prints; the rest are counted.
MAX_FOUND = 20


def count(article: Article, words: str) -> int:
    """Return how many places of ``article`` hold ``words`` (not overlapping one another)."""
    wanted = _lower(normalize(words))
    return _lower(article.normalized).count(wanted) if wanted else 0


def find(article: Article, words: str, limit: int = MAX_FOUND) -> list[Found]:
    """Return the sentences of ``article`` holding ``words`` (case, spacing and quote marks aside), at most ``limit``."""
    folded = _lower(article.normalized)
    wanted = _lower(normalize(words))
    out: list[Found] = []
    if not wanted:
        return out
    at = folded.find(wanted)
    while at >= 0 and len(out) < limit:
        a, b = article.original_offset(at), article.original_offset(at + len(wanted) - 1) + 1
        left, right = sentence_bounds(article.text, a, b)
        # Line breaks fold to spaces as quotes allow; no-break spaces stay: they are the article's.
        found = Found(_SPACES.sub(" ", article.text[left:right]), article.line_of(left), left, right)
        if not out or out[-1].start != found.start:
            out.append(found)
        at = folded.find(wanted, at + 1)
    return out


def find_invisible(article: Article, words: str) -> tuple[Found, tuple[Invisible, ...]] | None:
    """Return the sentences holding ``words`` when only invisible characters keep them from matching.

    A no-break space typed as an ordinary one, a soft hyphen or a zero-width
    space: the sentences are the article's own, and each difference is named.
    """
    match = invisible_match(article, words, ignore_case=True)
    if match is None:
        return None
    left, right = sentence_bounds(article.text, match.start, match.end)
    found = Found(_SPACES.sub(" ", article.text[left:right]), article.line_of(left), left, right)
    return found, match.differences


def as_yaml(source_id: str, quote: str) -> str:
    """Return a citation as YAML list item lines, the quote double-quoted and escaped."""
    # JSON strings are valid YAML double-quoted scalars: \" \\ and control escapes; characters
    # that would reorder or hide text on the terminal (U+202E, U+200B) are escaped as \\uXXXX too;
    # spaces (a no-break space) stay the article's own.
    text = json.dumps(quote, ensure_ascii=False)
    shown = "".join(c if c.isprintable() or unicodedata.category(c) == "Zs" else _escape(c) for c in text)
    return f"- source: {source_id}\n  quote: {shown}\n"


def _escape(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}"
