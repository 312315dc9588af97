"""Dates a claim's quotes give more precisely than the sheet does, suggested as the YAML to write."""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from factsheet.errors import Problem
from factsheet.sources.chronology import span
from factsheet.sources.loading import Located, YamlMap, YamlPath
from factsheet.sources.model import MONTHS, PartialDate

_MONTH = "|".join(MONTHS)
#: "May" is a month only where a date is plainly meant ("in May", "May 2024", "3 May").
_MONTH_WORD = rf"(?:{_MONTH})(?!\s+(?:be|have|not|also|still|well|soon|yet)\b)"
_YEAR = r"(?P<year>(?:19|20)[0-9]{2})"
_SEASON = "(?i:spring|summer|autumn|fall|winter)"
_PART = {
    "early": "early",
    "mid": "mid",
    "late": "late",
    "beginning": "early",
    "start": "early",
    "end": "late",
}

#: Date expressions, most precise first; each names its parts. A season or a lone month needs a
#: word that makes it a date ("in autumn", "autumn of 2024", "autumn last year"), so "a summer
#: offensive" is not one.
_FORMS = [
    ("day", rf"\b(?P<day>[0-3]?[0-9])(?:st|nd|rd|th)?\s+(?P<month>{_MONTH_WORD})(?:,?\s+{_YEAR})?\b"),
    ("day", rf"\b(?P<month>{_MONTH_WORD})\s+(?P<day>[0-3]?[0-9])(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR})?"),
    (
        "span",
        rf"\b(?P<month>{_MONTH_WORD})\s*(?:and|to|through|until|–|-)\s*(?P<month2>{_MONTH_WORD})"
        rf"(?:,?\s+(?:of\s+)?{_YEAR})?\b",
    ),
    (
        "part",
        rf"\b(?:(?P<part>(?i:early|mid|late))[\s-]+|(?i:the)\s+(?P<edge>beginning|start|end)\s+of\s+)"
        rf"(?P<month>{_MONTH_WORD})(?:,?\s+(?:of\s+)?{_YEAR})?\b",
    ),
    (
        "season",
        rf"\b(?:(?i:in|during|since|this|last|early|late)\s+(?:the\s+)?)?(?P<season>{_SEASON})"
        rf"(?:\s+(?:of\s+)?{_YEAR}|(?P<relative>\s+(?:of\s+)?(?:last|this)\s+year))?\b",
    ),
    ("month", rf"\b(?P<lead>(?i:in|since|from|during))\s+(?P<month>{_MONTH_WORD})(?:,?\s+{_YEAR})?\b"),
    ("month", rf"\b(?P<month>{_MONTH_WORD})\s+{_YEAR}\b"),
]
_COMPILED = [(kind, re.compile(pattern)) for kind, pattern in _FORMS]
#: Words just before a date that make it the date something was said, not when it happened.
#: What follows the verb must not start a clause of its own ("said that the dam broke in May").
_SPEECH = re.compile(
    r"\b(?:said|says|told|stated|announced|reported|confirmed|warned|added)\b"
    r"(?:(?!\b(?:that|which|who|when|after|before|as|while)\b)[^.;:]){0,40}?\s(?:on|in)?\s*$"
)
#: "by the end of ...": a bound, which a precise date does not refine.
_BOUND = re.compile(r"\b(?:by|before|until)\s+(?:the\s+)?$")


@dataclass(frozen=True)
class Found:
    """A date a quote gives: the words, what it means (year unknown: 0000), and whether it dates speech."""

    words: str
    iso: str  # with "0000" for a year the words do not give
    speech: bool
    explicit_year: bool

    def in_year(self, year: int) -> PartialDate:
        """Return the date, in ``year`` when the words give none."""
        return PartialDate(self.iso.replace("0000", f"{year:04d}"))


def dates_in(quote: str) -> list[Found]:
    """Return the dates ``quote`` gives, each once, in the order they appear ("by" and "before" dates aside)."""
    return list(_dates_in(quote))


@functools.lru_cache(maxsize=4096)
def _dates_in(quote: str) -> tuple[Found, ...]:
    # a sheet's quotes are read again on every check; most did not change
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Found]] = []
    for kind, pattern in _COMPILED:
        for m in pattern.finditer(quote):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            date = _date(kind, m, quote)
            if date is None:
                continue
            taken.append((m.start(), m.end()))
            if not _BOUND.search(quote[: m.start()]):
                found.append((m.start(), date))
    return tuple(date for _, date in sorted(found, key=lambda item: item[0]))


def _date(kind: str, m: re.Match[str], quote: str) -> Found | None:
    """Return what the match means, or None when it is no date (a season word used as an adjective)."""
    groups = m.groupdict()
    year = groups.get("year") or "0000"
    if kind == "season":
        said_so = m.group(0) != groups["season"]  # a leading "in"/"last" or a trailing year says it is a date
        if not said_so:
            return None
        season = groups["season"].lower().replace("fall", "autumn")
        iso = f"{year}-{season}"
    else:
        month = MONTHS.index(groups["month"]) + 1
        if kind == "day":
            day = int(groups["day"])
            if not 1 <= day <= 31:
                return None
            iso = f"{year}-{month:02d}-{day:02d}"
        elif kind == "span":
            month2 = MONTHS.index(groups["month2"]) + 1
            if month2 <= month:
                return None
            iso = f"{year}-{month:02d}/{year}-{month2:02d}"
        elif kind == "part":
            iso = f"{year}-{month:02d}-{_PART[(groups['part'] or groups['edge']).lower()]}"
        else:
            iso = f"{year}-{month:02d}"
    speech = bool(_SPEECH.search(quote[: m.start()]))
    return Found(m.group(0).strip(), iso, speech, groups.get("year") is not None)


@dataclass(frozen=True)
class Suggestion:
    """A more precise date for one date field of a claim, from the words of one of its quotes."""

    path: YamlPath
    field: str
    current: str
    date: PartialDate
    words: str
    source: str


def suggestions(doc: Located) -> list[Problem]:
    """Return an info line for each claim date that a quote of the claim gives more precisely."""
    out: list[Problem] = []
    data = doc.data if isinstance(doc.data, dict) else {}
    claims = data.get("claims")
    for i, claim in enumerate(claims if isinstance(claims, list) else ()):
        if not isinstance(claim, dict) or not isinstance(claim.get("id"), str):
            continue
        for s in _claim_suggestions(i, claim):
            out.append(
                doc.problem(
                    s.path,
                    f"claim '{claim['id']}': {s.field} says {s.current}, but its quote from {s.source} says "
                    f'"{s.words}": if that is the date meant, write {s.field}: {s.date.iso} ({s.date.human()})',
                    severity="info",
                )
            )
    return out


def _claim_suggestions(i: int, claim: YamlMap) -> Iterator[Suggestion]:
    """Yield a suggestion per date the claim gives that its quotes give more precisely (a date it lacks is never guessed)."""
    quoted = [
        (c["source"], c["quote"], date)
        for c in claim.get("citations") or ()
        if isinstance(c, dict) and isinstance(c.get("quote"), str) and isinstance(c.get("source"), str)
        for date in dates_in(c["quote"])
    ]
    if not quoted:
        return
    fields: list[tuple[YamlPath, str, object, bool]] = [
        (("claims", i, "said_on"), "said_on", claim.get("said_on"), True)
    ]
    fields.append((("claims", i, "happened_on"), "happened_on", claim.get("happened_on"), False))
    for k, figure in enumerate(claim.get("figures") or ()):
        if isinstance(figure, dict):
            fields.append(
                (("claims", i, "figures", k, "as_of"), f"figures[{k}].as_of", figure.get("as_of"), False)
            )
    for path, name, value, speech in fields:
        current = span(value) if value is not None else None
        if current is None:
            continue  # no date, or not one (the schema reports that)
        found = _refinement(current, [(s, d) for s, _, d in quoted if d.speech == speech])
        if found is not None:
            date, words, source = found
            yield Suggestion(path, name, current[2], date, words, source)


def _refinement(
    current: tuple[_dt.date, _dt.date, str], quoted: list[tuple[str, Found]]
) -> tuple[PartialDate, str, str] | None:
    """Return the one date the quotes give within ``current`` and more precisely, with its words and source."""
    first, last, written = current
    if PartialDate(written).bound:
        return None  # "by 2024" bounds a date; a date inside it would say more than the sheet means
    candidates: dict[str, tuple[PartialDate, str, str]] = {}
    for source, found in quoted:
        if not found.explicit_year and first.year != last.year:
            continue  # no year to place it in: never guessed
        date = found.in_year(first.year)
        if PartialDate.problem(date.iso) or not (first <= date.start and date.last <= last):
            continue
        if (date.start, date.last) != (first, last):  # else as precise already
            candidates.setdefault(date.iso, (date, found.words, source))
    return next(iter(candidates.values())) if len(candidates) == 1 else None
