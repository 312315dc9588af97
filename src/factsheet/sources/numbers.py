"""Numbers as articles write them: "11,000", "11 000", "11.000", "eleven thousand", "1.5 million"."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
#: Thousands separators: comma, space, no-break space, narrow no-break space, thin space, apostrophe.
_SEP = "[,  \u00a0\u202f\u2009']"
_DIGITS = re.compile(
    r"(?<![\w.,])"
    rf"(?P<grouped>\d{{1,3}}(?:{_SEP}\d{{3}})+(?![\d]))"
    r"|(?<![\w.,])(?P<dotted>\d{1,3}(?:\.\d{3})+)(?![\d.,]\d)"
    r"|(?<![\w.,])(?P<plain>\d+(?:[.,]\d+)?)"
)
_WORD = re.compile(r"[A-Za-z]+")
_SCALE_AFTER = re.compile(r"^[ \u00a0\u202f\u2009]+(hundred|thousand|million|billion)\b", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"^\s*(and|to|or|-|–|—)\s*$")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


@dataclass(frozen=True)
class Number:
    """A number found in text: its possible values, its text and where it starts and ends."""

    values: frozenset[float]
    text: str
    start: int
    end: int
    scale: int = 1  # "million" in "60 million"

    @property
    def is_year(self) -> bool:
        """Return True for four plain digits 1800-2199, which in news text are years."""
        return bool(re.fullmatch(r"(18|19|20|21)\d\d", self.text))


def numbers_in(text: str) -> list[Number]:
    """Return every number in ``text``, in digits or in words, in order."""
    return list(_numbers_in(text))


@functools.lru_cache(maxsize=4096)
def _numbers_in(text: str) -> tuple[Number, ...]:
    # a sheet's quotes and texts are read again on every check; most did not change
    found: list[Number] = []
    taken = [False] * len(text)
    for m in _DIGITS.finditer(text):
        before = text[max(0, m.start() - 2) : m.start()]
        if before[-1:].isalpha() or (before[-1:] == "-" and before[:1].isalpha()):
            continue  # part of a name such as "F16" or "KN-23"
        if m.end() < len(text) and text[m.end()].isalpha():
            continue  # "2nd", "10th", "3D"
        values = _digit_values(m)
        end, factor = m.end(), 1
        scale = _SCALE_AFTER.match(text[end:])
        if scale:
            factor = _SCALES[scale.group(1).lower()]
            values = {v * factor for v in values}
            end += scale.end()
        found.append(Number(frozenset(values), text[m.start() : end], m.start(), end, factor))
        for i in range(m.start(), end):
            taken[i] = True
    found = sorted(found + _word_numbers(text, taken), key=lambda n: n.start)
    # "between 40 and 60 million": the first number may share the second's scale.
    for k in range(len(found) - 1):
        a, b = found[k], found[k + 1]
        if a.scale == 1 and b.scale > 1 and _RANGE_JOIN.match(text[a.end : b.start]):
            found[k] = Number(a.values | {v * b.scale for v in a.values}, a.text, a.start, a.end)
    return tuple(found)


def _digit_values(m: re.Match[str]) -> set[float]:
    raw = m.group()
    if m.group("grouped"):
        return {float(re.sub(_SEP, "", raw))}
    if m.group("dotted"):
        # "11.000" is eleven thousand in much of Europe, 11.0 in English: keep both readings.
        return {float(raw.replace(".", "")), float(raw)}
    if "," in raw:
        return {float(raw.replace(",", "."))}  # a decimal comma: "1,5"
    return {float(raw)}


def _word_numbers(text: str, taken: list[bool]) -> list[Number]:
    """Return numbers written in words: "eleven thousand", "three hundred and fifty", "a dozen"."""
    out: list[Number] = []
    words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text) if not taken[m.start()]]
    i = 0
    while i < len(words):
        start, _, word = words[i]
        if word not in _UNITS and not (word == "a" and i + 1 < len(words) and words[i + 1][2] in _SCALES):
            i += 1
            continue
        total = current = 0
        j, end, used = i, words[i][1], False
        while j < len(words):
            s, e, w = words[j]
            between = text[words[j - 1][1] : s] if j > i else ""
            if j > i and between.strip() not in ("", "-"):
                break
            if w in _UNITS:
                current += _UNITS[w]
            elif w in _SCALES:
                if _SCALES[w] == 100:
                    current = max(current, 1) * 100
                else:
                    total += max(current, 1) * _SCALES[w]
                    current = 0
            elif w == "a" and j == i:
                current = 1
            elif w == "and" and used and j + 1 < len(words) and words[j + 1][2] in _UNITS:
                j += 1
                continue
            else:
                break
            used, end = True, e
            j += 1
        out.append(Number(frozenset({float(total + current)}), text[start:end], start, end))
        i = max(j, i + 1)
    return out


def is_date_part(text: str, number: Number) -> bool:
    """Return True for a year, or a day next to a month name ("18 October", "October 18")."""
    if number.is_year:
        return True
    if not re.fullmatch(r"\d{1,2}", number.text):
        return False
    before = text[: number.start].split()[-1:]
    after = text[number.end :].split()[:1]
    return any(w.strip(",.").lower() in _MONTHS for w in before + after)


def values_of(numbers: list[Number]) -> set[float]:
    """Return every value any of ``numbers`` can be read as."""
    return {v for n in numbers for v in n.values}
