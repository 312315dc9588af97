"""Prove that quotes are in their articles, and find the nearest passage when not."""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass
from functools import cached_property

#: Quote marks treated as equal: curly and low-9 single marks match an
#: apostrophe, curly and low-9 double marks match a straight double quote.
_QUOTE_MARKS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
})
#: Whitespace that line wrapping can introduce or remove (not non-breaking spaces).
_WORD = re.compile(r"[^ \t\r\n]+")


def normalize(text: str) -> str:
    """Return ``text`` with quote marks made straight and whitespace runs made single spaces."""
    return " ".join(_WORD.findall(text.translate(_QUOTE_MARKS)))


@dataclass(frozen=True)
class Passage:
    """A stretch of an article: its first line number and its text (whitespace folded)."""

    line: int
    text: str
    similarity: float


class Article:
    """A source article's text, prepared once for any number of quote look-ups."""

    def __init__(self, source_id: str, text: str):
        self.source_id = source_id
        self.text = text

    @cached_property
    def _words(self) -> list[tuple[int, str]]:
        translated = self.text.translate(_QUOTE_MARKS)
        return [(m.start(), m.group()) for m in _WORD.finditer(translated)]

    @cached_property
    def normalized(self) -> str:
        """Return the article's text normalized as quotes are."""
        return " ".join(w for _, w in self._words)

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.text)]

    def contains(self, quote: str) -> bool:
        """Return True when ``quote`` is in the article, up to whitespace and quote marks."""
        q = normalize(quote)
        return bool(q) and q in self.normalized

    def line_of(self, offset: int) -> int:
        """Return the 1-based line number of a character offset in the original text."""
        return bisect.bisect_right(self._line_starts, offset)

    def nearest(self, quote: str) -> Passage | None:
        """Return the passage of the article most like ``quote``."""
        q_words = normalize(quote).split(" ")
        words = [w for _, w in self._words]
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
        best_starts = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:12]
        # Compare word by word: character-level matching of long quotes is quadratic.
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(q_words)
        ranked = []
        for start in best_starts:
            matcher.set_seq1(words[start:start + n])
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
            scores = []
            for candidate in tied:
                chars.set_seq1(" ".join(words[candidate:candidate + n]))
                scores.append((-chars.ratio(), candidate))
            start = min(scores)[1]
        return Passage(self.line_of(self._words[start][0]), " ".join(words[start:start + n]), top)
