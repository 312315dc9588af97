"""Table column widths that keep every word of a cell on one line."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from factsheet.rendering.document import Inline, plain_text

_BREAKS = re.compile(r"[ \t\n\u2009\u2007\u202f]+")


def longest_words(
    inlines: Sequence[Inline], count: int = 3, prepare: Callable[[str], str] | None = None
) -> tuple[str, ...]:
    """Return the longest words of a cell, the ones a line can never break.

    ``prepare`` turns the cell's text into the text a writer lays out (a no-break
    space glues a number to its unit, which makes them one word).
    """
    text = plain_text(inlines)
    words = sorted(set(_BREAKS.split(prepare(text) if prepare else text)), key=len, reverse=True)
    return tuple(w for w in words[:count] if w)


def fit_words(widths: Sequence[float], need: Sequence[float]) -> list[float]:
    """Return ``widths`` with each column at least as wide as it ``need``s, the total unchanged.

    A column too narrow for its longest word would break it mid-word ("Confirme/d");
    the room it needs is taken from the other columns in proportion to their spare
    width. When the columns cannot all fit their words, the widths are returned as
    they are.
    """
    short = sum(max(0.0, n - w) for n, w in zip(need, widths))
    if short <= 0:
        return list(widths)
    spare = [max(0.0, w - n) for n, w in zip(need, widths)]
    if sum(spare) < short:
        return list(widths)
    scale = short / sum(spare)
    return [n if n > w else w - s * scale for n, w, s in zip(need, widths, spare)]


def column_needs(
    rows: Sequence[Sequence[Sequence[Inline]]], measure: Callable[[str, bool], float], padding: float
) -> list[float]:
    """Return the least width of each column: its widest word (``measure(word, header)``) plus ``padding``."""
    need = [0.0] * (len(rows[0]) if rows else 0)
    for index, row in enumerate(rows):
        for c, cell in enumerate(row):
            for word in longest_words(cell):
                need[c] = max(need[c], measure(word, index == 0) + padding)
    return need
