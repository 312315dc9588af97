"""Fact sheets, claims, figures and sources as plain objects (no I/O)."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day ("2024", "2024-10", "2024-10-18")."""

    iso: str

    @classmethod
    def of(cls, value: object) -> PartialDate | None:
        """Return a PartialDate from a YAML value (string or date), or None."""
        if value is None:
            return None
        if isinstance(value, _dt.date):
            return cls(value.isoformat())
        return cls(str(value))

    @property
    def precision(self) -> str:
        """Return ``year``, ``month`` or ``day``."""
        return ("year", "month", "day")[self.iso.count("-")]

    @property
    def start(self) -> _dt.date:
        """Return the first day this date can mean."""
        parts = [int(p) for p in self.iso.split("-")] + [1, 1]
        return _dt.date(parts[0], parts[1], parts[2])

    def isoformat(self) -> str:
        """Return the date in ISO 8601 at its precision: "2024", "2024-10" or "2024-10-18"."""
        return self.iso

    def human(self) -> str:
        """Return the date as a reader would write it: "18 October 2024", "October 2024", "2024"."""
        parts = self.iso.split("-")
        if len(parts) == 1:
            return parts[0]
        month = _MONTHS[int(parts[1]) - 1]
        if len(parts) == 2:
            return f"{month} {parts[0]}"
        return f"{int(parts[2])} {month} {parts[0]}"

    def __str__(self) -> str:
        return self.iso


@dataclass(frozen=True)
class Source:
    """A stored source article and what is known about it (None = not recorded)."""

    id: str
    file: str
    sha256: str
    original: str | None = None
    outlet: str | None = None
    headline: str | None = None
    author: str | None = None
    published: PartialDate | None = None
    url: str | None = None
    language: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Attribution:
    """Who said a claim, in what role, for which organisation, on or off the record."""

    who: str
    on_record: bool
    role: str | None = None
    organisation: str | None = None

    def describe(self) -> str:
        """Return "who, role, organisation" without repeats, e.g. for a table cell."""
        parts = [self.who]
        for extra in (self.role, self.organisation):
            if extra and all(extra.lower() not in p.lower() for p in parts):
                parts.append(extra)
        return ", ".join(parts)


@dataclass(frozen=True)
class Figure:
    """A number a claim reports: a value, a range, or only a qualifier such as "several thousand"."""

    metric: str
    unit: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None
    as_of: PartialDate | None = None

    @property
    def is_numeric(self) -> bool:
        """Return True when the figure carries a value or a range."""
        return self.value is not None or self.low is not None

    @property
    def bounds(self) -> tuple[float, float] | None:
        """Return (low, high); a single value gives (value, value); None if not numeric."""
        if self.value is not None:
            return (self.value, self.value)
        if self.low is not None and self.high is not None:
            return (self.low, self.high)
        return None

    def amount(self) -> str:
        """Return the figure as words and digits, e.g. "at least 3,000" or "10,000–12,000"."""
        if self.value is not None:
            number = format_number(self.value)
        elif self.low is not None and self.high is not None:
            number = f"{format_number(self.low)}–{format_number(self.high)}"
        else:
            return self.qualifier or ""
        return f"{self.qualifier} {number}" if self.qualifier else number

    def describe(self) -> str:
        """Return the amount with its unit as English: "1,200 people", "hundreds of houses".

        A figure given only as a plural of magnitude ("hundreds", "tens of thousands")
        takes "of" before its unit.
        """
        amount = self.amount()
        if self.unit and not self.is_numeric and _MAGNITUDE_PLURAL.search(amount):
            return f"{amount} of {self.unit}"
        return f"{amount} {self.unit}".strip()

    @property
    def metric_label(self) -> str:
        """Return the metric as words: ``people_missing`` → "People missing"."""
        return self.metric.replace("_", " ").capitalize()


#: A qualifier that is itself a count ("hundreds", "tens of thousands") and needs "of" before a unit.
_MAGNITUDE_PLURAL = re.compile(r"\b(dozens|scores|hundreds|thousands|millions|billions)\Z", re.IGNORECASE)


def format_number(n: float) -> str:
    """Return ``n`` with thousands separators, without a needless ".0"."""
    if float(n).is_integer():
        return f"{int(n):,}"
    return f"{n:,}"


@dataclass(frozen=True)
class Citation:
    """A verbatim quote from a source article."""

    source: str
    quote: str


@dataclass(frozen=True)
class Claim:
    """An editorial statement with its figures, attribution, status and citations."""

    id: str
    text: str
    status: str
    attribution: Attribution
    citations: tuple[Citation, ...]
    figures: tuple[Figure, ...] = ()
    section: str | None = None
    said_on: PartialDate | None = None
    happened_on: PartialDate | None = None
    note: str | None = None
    contradicts: tuple[str, ...] = ()
    updates: tuple[str, ...] = ()
    publish: bool = False
    short: str | None = None

    @property
    def when(self) -> PartialDate | None:
        """Return the date a reader should see: when it was said, else when it happened."""
        return self.said_on or self.happened_on


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True)
class Topic:
    """Figures an editor wants shown first, and charted: a title and the metrics it gathers."""

    id: str
    title: str
    metrics: tuple[str, ...]
    chart: bool = True


@dataclass(frozen=True)
class Party:
    """A side of the story, recognised by words in a claim's organisation (else its who)."""

    name: str
    match: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """Claims an editor compares, with or without figures; ``final`` names the authoritative one."""

    id: str
    title: str
    claims: tuple[str, ...]
    final: str | None = None
    metrics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """A sheet's settings: paper size, topics and parties."""

    paper: str = "a4"
    topics: tuple[Topic, ...] = ()
    parties: tuple[Party, ...] = ()


@dataclass(frozen=True)
class Publication:
    """Where and by whom the web fact box is published."""

    url: str | None = None
    publisher: str | None = None


@dataclass(frozen=True)
class Update:
    """One published version of a sheet: its date and, in one line, what changed."""

    on: PartialDate
    what: str


@dataclass
class FactSheet:
    """A fact sheet: its metadata, sections and claims, with the sources they cite."""

    title: str
    as_of: PartialDate  # as precise as the sources allow: a year, a month or a day
    claims: list[Claim]
    dek: str | None = None
    language: str = "en"
    author: str | None = None
    summary: str | None = None
    sections: list[Section] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    topics: tuple[Topic, ...] = ()
    parties: tuple[Party, ...] = ()
    groups: tuple[Group, ...] = ()
    paper: str = "a4"
    publication: Publication = field(default_factory=Publication)
    contact: str | None = None  # who to ask about the brief
    unknowns: tuple[str, ...] = ()  # what the sources do not say
    correction: str | None = None  # what an earlier version got wrong
    updates: tuple[Update, ...] = ()  # the published versions, oldest first
    #: The version a brief states (sources.history): set when the sheet is loaded, never read from YAML.
    version: Update | None = None

    def claim(self, claim_id: str) -> Claim:
        """Return the claim with ``claim_id``."""
        for c in self.claims:
            if c.id == claim_id:
                return c
        raise KeyError(claim_id)

    def cited_sources(self) -> list[Source]:
        """Return the sources the claims cite, in order of first citation."""
        seen: dict[str, Source] = {}
        for c in self.claims:
            for cit in c.citations:
                if cit.source in self.sources and cit.source not in seen:
                    seen[cit.source] = self.sources[cit.source]
        return list(seen.values())

    def claims_in(self, section_id: str) -> list[Claim]:
        """Return the claims of a section, in file order."""
        return [c for c in self.claims if c.section == section_id]


def sheet_from_data(data: dict[str, Any], sources: dict[str, Source]) -> FactSheet:
    """Return a FactSheet from validated YAML data; claims are built as the schema declares them."""
    from factsheet.sources.schema import claim_from_data, notes_from_data, story_from_data

    return FactSheet(
        title=data["title"],
        as_of=PartialDate(str(data["as_of"])),
        claims=[claim_from_data(c) for c in data["claims"]],
        dek=data.get("dek"),
        language=data.get("language") or "en",
        author=data.get("author"),
        summary=data.get("summary"),
        sections=[Section(s["id"], s["title"]) for s in data.get("sections") or ()],
        sources=sources,
        **story_from_data(data),
        publication=Publication(**(data.get("publication") or {})),
        **notes_from_data(data),
    )
