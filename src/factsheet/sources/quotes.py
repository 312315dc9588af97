"""Prove that quotes are in their articles, and find the nearest passage when not."""

from __future__ import annotations

import bisect
import difflib
import heapq
import operator
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate

#: Quote marks treated as equal: curly and low-9 single marks match an
#: apostrophe, curly and low-9 double marks match a straight double quote.
_QUOTE_MARKS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
    }
)
#: Whitespace that line wrapping can introduce or remove (not non-breaking spaces).
_WORD = re.compile(r"[^ \t\r\n]+")
_GAPS = re.compile(r"[ \t\r\n]+")
_LINE_BREAK = re.compile("\r\n|\r|\n")
_START = operator.methodcaller("start")
_END = operator.methodcaller("end")


def normalize(text: str) -> str:
    """Return ``text`` with quote marks made straight and whitespace runs made single spaces."""
    return " ".join(_WORD.findall(text.translate(_QUOTE_MARKS)))


#: The most places of one quote looked at in an article.
MAX_SPANS = 100

#: The shortest quote that can prove a claim: a single word or a short phrase is found
#: in almost any article, so it shows nothing about what the source said.
MIN_QUOTE_WORDS = 3
MIN_QUOTE_CHARS = 15


def too_short(quote: str) -> str | None:
    """Return why ``quote`` is too short to prove anything, or None."""
    folded = normalize(quote)
    words = len(folded.split(" ")) if folded else 0
    if words >= MIN_QUOTE_WORDS and len(folded) >= MIN_QUOTE_CHARS:
        return None
    return (
        f"a quote of {words} word{'s' * (words != 1)} ({len(folded)} characters) proves nothing; "
        f"quote at least {MIN_QUOTE_WORDS} words and {MIN_QUOTE_CHARS} characters of the article"
    )


@dataclass(frozen=True)
class Passage:
    """A stretch of an article: its first line number and its text (whitespace folded)."""

    line: int
    text: str
    similarity: float
    start: int = 0  # character offsets of the passage in the article as stored
    end: int = 0


class Article:
    """A source article's text, prepared once for any number of quote look-ups."""

    def __init__(self, source_id: str, text: str):
        self.source_id = source_id
        self.text = text

    @cached_property
    def _translated(self) -> str:
        return self.text.translate(_QUOTE_MARKS)

    # Word offsets are kept as arrays of machine integers and found by C loops (map,
    # accumulate): a 5 MB article of two-letter words has 1.7 million of them.
    @cached_property
    def _starts(self) -> array[int]:
        """The offset in the stored text where each word starts."""
        return array("q", map(_START, _WORD.finditer(self._translated)))

    @cached_property
    def _ends(self) -> array[int]:
        """The offset in the stored text where each word ends."""
        return array("q", map(_END, _WORD.finditer(self._translated)))

    @cached_property
    def normalized(self) -> str:
        """Return the article's text normalized as quotes are."""
        return _GAPS.sub(" ", self._translated).strip(" \t\r\n")

    @cached_property
    def _line_starts(self) -> list[int]:
        """The offset where each line starts; a line ends at LF, CRLF or a lone CR (articles are kept as received)."""
        return [0] + [m.end() for m in _LINE_BREAK.finditer(self.text)]

    @cached_property
    def lines(self) -> list[str]:
        """The article's lines as stored, without line breaks; a final line break ends the last line, it starts none."""
        found = _LINE_BREAK.split(self.text)
        return found[:-1] if len(found) > 1 and not found[-1] else found

    def contains(self, quote: str) -> bool:
        """Return True when ``quote`` is in the article, up to whitespace and quote marks."""
        q = normalize(quote)
        return bool(q) and q in self.normalized

    @cached_property
    def _normalized_starts(self) -> array[int]:
        """The offset in ``normalized`` where each word starts (words joined by one space)."""
        steps = map(operator.sub, self._ends, self._starts)  # each word's length ...
        return array("q", accumulate(map((1).__add__, steps), initial=0))[:-1]  # ... and a space

    def original_offset(self, offset: int) -> int:
        """Return the article offset of a character offset in ``normalized`` (never a folded space)."""
        k = bisect.bisect_right(self._normalized_starts, offset) - 1
        start: int = self._starts[k] + (offset - self._normalized_starts[k])
        return start

    def spans(self, quote: str, limit: int = MAX_SPANS) -> list[tuple[int, int]]:
        """Return the (start, end) offsets in the stored text of the first ``limit`` places ``quote`` matches.

        A quote such as "ha ha ha" matches a long run of laughter at every word;
        what the callers ask (is this quote furniture? where is this erratum?) is
        answered by the first few places.
        """
        q = normalize(quote)
        if not q:
            return []
        out: list[tuple[int, int]] = []
        at = self.normalized.find(q)
        while at >= 0 and len(out) < limit:
            out.append((self.original_offset(at), self.original_offset(at + len(q) - 1) + 1))
            at = self.normalized.find(q, at + 1)
        return out

    @property
    def word_count(self) -> int:
        """Return the number of words in the article (what a nearest-passage search reads)."""
        return len(self._starts)

    def line_of(self, offset: int) -> int:
        """Return the 1-based line number of a character offset in the original text."""
        return bisect.bisect_right(self._line_starts, offset)

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column (in characters) of an offset in the original text."""
        line = self.line_of(offset)
        return line, offset - self._line_starts[line - 1] + 1

    def nearest(self, quote: str) -> Passage | None:
        """Return the passage of the article most like ``quote``."""
        q_words = normalize(quote).split(" ")
        words = self.normalized.split(" ") if self.normalized else []
        if not words or not q_words:
            return None
        n = min(len(q_words), len(words))
        wanted = {w.lower() for w in q_words}
        # Cheap pass: count shared words per window; then compare the best few exactly.
        hits = [1 if w.lower() in wanted else 0 for w in words]
        running = sum(hits[:n])
        scores = [running]
        for i in range(1, len(words) - n + 1):
            running += hits[i + n - 1] - hits[i - 1]
            scores.append(running)
        best_starts = heapq.nsmallest(12, range(len(scores)), key=lambda i: (-scores[i], i))
        # Compare word by word: character-level matching of long quotes is quadratic.
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(q_words)
        ranked = []
        for start in best_starts:
            matcher.set_seq1(words[start : start + n])
            ranked.append((matcher.ratio(), start))
        top = max(r for r, _ in ranked)
        tied = sorted(start for r, start in ranked if r == top)
        start = tied[0]
        target = " ".join(q_words)
        if len(tied) > 1 and len(target) <= 400:
            # Break ties by characters, where a short quote makes that cheap: the window
            # that lines up with the quote's first and last words wins.
            chars = difflib.SequenceMatcher(None, autojunk=False)
            chars.set_seq2(target)
            by_chars: list[tuple[float, int]] = []
            for candidate in tied:
                chars.set_seq1(" ".join(words[candidate : candidate + n]))
                by_chars.append((-chars.ratio(), candidate))
            start = min(by_chars)[1]
        first, end = self._starts[start], self._ends[start + n - 1]
        return Passage(self.line_of(first), " ".join(words[start : start + n]), top, first, end)

    def marked(self, quote: str, passage: Passage, limit: int = 3) -> tuple[str, list[str]]:
        """Return the passage as stored with the words that differ from ``quote`` in ⟦ ⟧, and those differences."""
        lo = bisect.bisect_left(self._starts, passage.start)
        hi = bisect.bisect_left(self._starts, passage.end)
        words = [
            (o, self.text[o:e].translate(_QUOTE_MARKS))
            for o, e in zip(self._starts[lo:hi], self._ends[lo:hi])
        ]
        q_words = normalize(quote).split(" ")
        matcher = difflib.SequenceMatcher(None, [w for _, w in words], q_words, autojunk=False)
        marks: list[tuple[int, int]] = []
        differences: list[str] = []
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                continue
            ours = self.text[words[a1][0] : words[a2 - 1][0] + len(words[a2 - 1][1])] if a2 > a1 else ""
            theirs = " ".join(q_words[b1:b2])
            if a2 > a1:
                marks.append((words[a1][0], words[a2 - 1][0] + len(words[a2 - 1][1])))
            if op == "replace":
                differences.append(f'the quote has "{theirs}" where the article has "{ours}"')
            elif op == "delete":
                differences.append(f'the article has "{ours}" that the quote lacks')
            else:
                after = f' after "{words[a1 - 1][1]}"' if a1 else " at the start"
                differences.append(f'the quote adds "{theirs}"{after}')
        out, at = [], passage.start
        for a, b in marks:
            out += [self.text[at:a], "⟦", self.text[a:b], "⟧"]
            at = b
        out.append(self.text[at : passage.end])
        more = len(differences) - limit
        return "".join(out), differences[:limit] + ([f"{more} more differences"] if more > 0 else [])


#: Characters a reader cannot tell from an ordinary space...
_LOOK_LIKE_SPACE = {
    "\u00a0": "no-break space",
    "\u202f": "narrow no-break space",
    "\u2007": "figure space",
    "\u2008": "punctuation space",
    "\u2009": "thin space",
    "\u200a": "hair space",
    "\u2002": "en space",
    "\u2003": "em space",
    "\u205f": "medium mathematical space",
    "\u3000": "ideographic space",
}
#: ... and from nothing at all.
_LOOK_LIKE_NOTHING = {
    "\u00ad": "soft hyphen",
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
    "\ufeff": "zero-width no-break space",
}
INVISIBLE = {**_LOOK_LIKE_SPACE, **_LOOK_LIKE_NOTHING}
_FOLD_INVISIBLE = str.maketrans(
    {**dict.fromkeys(_LOOK_LIKE_SPACE, " "), **dict.fromkeys(_LOOK_LIKE_NOTHING, None)}
)
_TYPED_SPACE = " \t\r\n"


@dataclass(frozen=True)
class Invisible:
    """One place where an article and a quote differ only by a character no one sees."""

    char: str
    in_article: bool  # True: the article has ``char``; False: the quote has it
    instead: (
        str  # what the other side has there: " " (an ordinary space), "" (nothing) or another such character
    )
    line: int  # where, in the article
    column: int

    def describe(self, source_id: str, typed: bool = False) -> str:
        """Return the difference in words: "the article has a no-break space (U+00A0) where the quote has ...".

        ``typed``: the other side is what the user typed ("where you typed ...").
        """
        quote = "you typed" if typed else "the quote has"
        article, other = "the article has", _named(self.instead)
        said = (
            f"{article} {_named(self.char)} where {quote} {other}"
            if self.in_article
            else f"{quote} {_named(self.char)} where {article} {other}"
        )
        return f"{said}, at line {self.line}, column {self.column} of {source_id}"


def _named(char: str) -> str:
    if char in INVISIBLE:
        return f"a {INVISIBLE[char]} (U+{ord(char):04X})"
    return "an ordinary space" if char else "nothing"


@dataclass(frozen=True)
class InvisibleMatch:
    """Where a quote is in an article once invisible characters are set aside, and how they differ."""

    start: int
    end: int
    differences: tuple[Invisible, ...]


def invisible_match(article: Article, quote: str, ignore_case: bool = False) -> InvisibleMatch | None:
    """Return where ``quote`` is in ``article`` if the only differences are invisible characters, else None.

    No-break, thin and other spaces count as ordinary spaces, soft hyphens and
    zero-width characters as nothing; each place they differ is named.
    """
    text = article.text
    if not any(c in INVISIBLE for c in quote) and not any(c in text for c in INVISIBLE):
        return None
    origin = [i for i, c in enumerate(text) if c not in _LOOK_LIKE_NOTHING]
    folded = Article(article.source_id, text.translate(_FOLD_INVISIBLE))
    wanted, haystack = normalize(quote.translate(_FOLD_INVISIBLE)), folded.normalized
    if ignore_case:  # character by character, so offsets stay the same
        wanted, haystack = _lower(wanted), _lower(haystack)
    at = haystack.find(wanted) if wanted else -1
    if at < 0:
        return None
    start = origin[folded.original_offset(at)]
    end = origin[folded.original_offset(at + len(wanted) - 1)] + 1
    differences = tuple(_differences(article, start, end, quote.strip(_TYPED_SPACE)))
    return InvisibleMatch(start, end, differences) if differences else None


def _lower(text: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _run(text: str, at: int, end: int) -> int:
    """Return where the run of spaces (typed or invisible) starting at ``at`` ends."""
    while at < end and (text[at] in _TYPED_SPACE or text[at] in _LOOK_LIKE_SPACE):
        at += 1
    return at


def _differences(article: Article, start: int, end: int, quote: str) -> Iterator[Invisible]:
    """Yield the invisible differences between ``article.text[start:end]`` and ``quote``, which match once folded."""
    text, i, j = article.text, start, 0
    while i < end or j < len(quote):
        ours, theirs = text[i] if i < end else "", quote[j] if j < len(quote) else ""
        if ours in _LOOK_LIKE_NOTHING or theirs in _LOOK_LIKE_NOTHING:
            if ours and ours == theirs:
                i, j = i + 1, j + 1
            elif ours in _LOOK_LIKE_NOTHING:
                yield Invisible(ours, True, "", *article.position(i))
                i += 1
            else:
                yield Invisible(theirs, False, "", *article.position(min(i, end - 1)))
                j += 1
            continue
        i_end, j_end = _run(text, i, end), _run(quote, j, len(quote))
        if i_end > i and j_end > j:  # a space on both sides: which kind?
            mine, yours = set(text[i:i_end]) & INVISIBLE.keys(), set(quote[j:j_end]) & INVISIBLE.keys()
            for char in sorted(mine - yours):
                yield Invisible(char, True, next(iter(sorted(yours - mine)), " "), *article.position(i))
            for char in sorted(yours - mine) if not mine - yours else ():
                yield Invisible(char, False, " ", *article.position(i))
            i, j = i_end, j_end
        else:
            i, j = i + 1, j + 1
