"""Fact sheets, claims, figures and sources as plain objects (no I/O)."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

#: The months, as an editor writes them.
MONTHS = (
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

#: The seasons (northern hemisphere, by whole months): first month, number of months.
SEASONS = {"spring": (3, 3), "summer": (6, 3), "autumn": (9, 3), "winter": (12, 3)}
#: Parts of a month: first day, last day (None: the month's last).
MONTH_PARTS: dict[str, tuple[int, int | None]] = {"early": (1, 10), "mid": (11, 20), "late": (21, None)}
#: Parts of a year: first month, last month.
YEAR_PARTS = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}

_Y = "[0-9]{4}"
_M = f"{_Y}-(0[1-9]|1[0-2])"
_POINT = (
    f"{_M}-(0[1-9]|[12][0-9]|3[01])|{_M}-(early|mid|late)|{_M}"
    f"|{_Y}-(spring|summer|autumn|winter)|{_Y}-(early|mid|late)|{_Y}"
)
_PLAIN = f"{_M}-(0[1-9]|[12][0-9]|3[01])|{_M}|{_Y}"
#: Every date a sheet may give, as a JSON Schema pattern.
DATE_PATTERN = f"^((by|before) )?(({_PLAIN})/({_PLAIN})|{_POINT})$"
_DATE = re.compile(DATE_PATTERN)


def _month_end(year: int, month: int) -> _dt.date:
    following = _dt.date(year + month // 12, month % 12 + 1, 1)
    return following - _dt.timedelta(days=1)


def _point_span(text: str) -> tuple[_dt.date, _dt.date, str]:
    """Return (first day, last day, kind) of one date without a span or "by"; ValueError if not real."""
    parts = text.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return _dt.date(year, 1, 1), _dt.date(year, 12, 31), "year"
    if parts[1] in SEASONS:
        first, count = SEASONS[parts[1]]
        start = _dt.date(year, first, 1)
        end_month = first + count - 1
        return start, _month_end(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1), "season"
    if parts[1] in YEAR_PARTS:
        a, b = YEAR_PARTS[parts[1]]
        return _dt.date(year, a, 1), _month_end(year, b), "part of year"
    month = int(parts[1])
    if len(parts) == 2:
        return _dt.date(year, month, 1), _month_end(year, month), "month"
    if parts[2] in MONTH_PARTS:
        first_day, last_day = MONTH_PARTS[parts[2]]
        end = _dt.date(year, month, last_day) if last_day else _month_end(year, month)
        return _dt.date(year, month, first_day), end, "part of month"
    day = _dt.date(year, month, int(parts[2]))
    return day, day, "day"


def _point_words(text: str) -> str:
    """Return one date without a span or "by" as an editor writes it."""
    parts = text.split("-")
    if len(parts) == 1:
        return parts[0]
    if parts[1] in SEASONS:
        if parts[1] == "winter":
            return f"winter {parts[0]}–{(int(parts[0]) + 1) % 100:02d}"
        return f"{parts[1]} {parts[0]}"
    if parts[1] in YEAR_PARTS:
        return f"{parts[1]}-{parts[0]}" if parts[1] == "mid" else f"{parts[1]} {parts[0]}"
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    if parts[2] in MONTH_PARTS:
        return f"mid-{month} {parts[0]}" if parts[2] == "mid" else f"{parts[2]} {month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def _span_words(a: str, b: str) -> str:
    """Return a span as an editor writes it: "January–February 2025", "18–20 October 2024"."""
    pa, pb = a.split("-"), b.split("-")
    if len(pa) == len(pb) and pa[0] == pb[0] and len(pa) > 1:
        if len(pa) == 2:
            return f"{MONTHS[int(pa[1]) - 1]}–{_point_words(b)}"
        if pa[1] == pb[1]:
            return f"{int(pa[2])}–{_point_words(b)}"
        return f"{int(pa[2])} {MONTHS[int(pa[1]) - 1]}–{_point_words(b)}"
    return f"{_point_words(a)}–{_point_words(b)}"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date as precise as its source: a day, a month, part of a month, a season, a span or a year.

    Written as ``2024-10-18``, ``2024-10``, ``2024-10-early`` (``mid``, ``late``),
    ``2024-autumn`` (``spring``, ``summer``, ``winter`` = December to February),
    ``2025-early`` (``mid``, ``late``: thirds of a year), ``2025-01/2025-02`` (a span
    from the first day of one to the last day of the other), ``2024``, and any of these
    after ``by`` or ``before`` ("by 2024": at the latest by the end of 2024).
    ``first`` and ``last`` are the days it covers; ``words`` is how a brief prints it.
    """

    iso: str

    @classmethod
    def of(cls, value: object) -> PartialDate | None:
        """Return a PartialDate from a YAML value (string, year number or date), or None."""
        if value is None:
            return None
        if isinstance(value, _dt.date):
            return cls(value.isoformat())
        return cls(str(value))

    @staticmethod
    def problem(text: str) -> str | None:
        """Return why ``text`` is not a date this class reads, or None when it is."""
        if "\n" in text or not _DATE.match(text):
            return "not a date"
        try:
            body = _split(text)[1]
            if "/" in body:
                a, b = body.split("/")
                if _point_span(a)[0] > _point_span(b)[1]:
                    return f"the span ends ({b}) before it begins ({a})"
            else:
                _point_span(body)
        except ValueError as exc:
            return str(exc)
        return None

    @property
    def bound(self) -> str:
        """Return "by" or "before" for a date that only bounds when something happened, else ""."""
        return _split(self.iso)[0]

    @property
    def precision(self) -> str:
        """Return ``day``, ``part of month``, ``month``, ``season``, ``part of year``, ``span`` or ``year``."""
        body = _split(self.iso)[1]
        return "span" if "/" in body else _point_span(body)[2]

    def _covered(self) -> tuple[_dt.date, _dt.date]:
        body = _split(self.iso)[1]
        if "/" in body:
            a, b = body.split("/")
            return _point_span(a)[0], _point_span(b)[1]
        first, last, _ = _point_span(body)
        return first, last

    @property
    def first(self) -> _dt.date | None:
        """Return the first day this date can mean; None for "by"/"before" (no first day is known)."""
        return None if self.bound else self._covered()[0]

    @property
    def last(self) -> _dt.date:
        """Return the last day this date can mean ("before October 2024": 30 September 2024)."""
        first, last = self._covered()
        return first - _dt.timedelta(days=1) if self.bound == "before" else last

    @property
    def span(self) -> tuple[_dt.date | None, _dt.date]:
        """Return (first day, last day) this date covers; first is None for "by"/"before"."""
        return self.first, self.last

    @property
    def start(self) -> _dt.date:
        """Return the first day of the period named (for "by"/"before", of the period after the word)."""
        return self._covered()[0]

    def sort_key(self) -> tuple[int, int]:
        """Return a key that orders dates by the span they cover: by first day, a longer span first."""
        first = self.first or self.last
        return (first.toordinal(), -self.last.toordinal())

    def isoformat(self) -> str:
        """Return the date as written in the sheet ("2024", "2024-autumn", "2025-01/2025-02")."""
        return self.iso

    def human(self) -> str:
        """Return the date as an editor writes it: "18 October 2024", "autumn 2024", "by December 2024"."""
        bound, body = _split(self.iso)
        if "/" in body:
            words = _span_words(*body.split("/"))
        elif bound and "-" not in body:
            words = f"the end of {body}" if bound == "by" else body
        else:
            words = _point_words(body)
        return f"{bound} {words}" if bound else words

    def phrase(self) -> str:
        """Return the date after a verb: "on 18 October 2024", "in autumn 2024", "by December 2024"."""
        if self.bound:
            return self.human()
        return f"{'on' if self.precision == 'day' else 'in'} {self.human()}"

    @property
    def words(self) -> str:
        """Return the date as an editor writes it (the same as ``human()``)."""
        return self.human()

    def __str__(self) -> str:
        return self.iso


def _split(text: str) -> tuple[str, str]:
    """Return ("by"/"before"/"", the date after it)."""
    for word in ("by ", "before "):
        if text.startswith(word):
            return word.strip(), text[len(word) :]
    return "", text


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
    derived: str | None = None  # how it was worked out, when no quote gives it
    label: str | None = None  # the metric as the editor names it (the sheet's metrics:)

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
        """Return the metric as the editor labelled it; check refuses a printed metric without a label.

        A sheet read leniently (for a diff) may lack one: the metric is then shown as written.
        """
        return self.label or self.metric


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
    denies: tuple[str, ...] = ()
    disputes: tuple[str, ...] = ()
    disputes_own_claim: bool = False
    publish: bool = False
    short: str | None = None

    @property
    def when(self) -> PartialDate | None:
        """Return the date a reader should see: when it was said, else when it happened."""
        return self.said_on or self.happened_on

    @property
    def opposes(self) -> tuple[str, ...]:
        """Return the ids of the claims this one contradicts, disputes or denies."""
        return (*self.contradicts, *self.disputes, *self.denies)


@dataclass(frozen=True)
class DraftSection:
    """A section of a sheet under review, as written: its id or title may be missing."""

    id: str | None
    title: str | None


@dataclass(frozen=True)
class Section(DraftSection):
    """A section of the brief: the id claims name it by, and its heading."""

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
class MetricLabel:
    """What a metric counts, in the editor's words: printed wherever the metric is named."""

    id: str
    label: str


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
class DraftSheet:
    """A fact sheet as written, read leniently for a diff: its title, date or a section's id may be missing.

    ``diff`` and the redline compare and render sheets under review that need
    not pass ``check``; a :class:`FactSheet` is a draft that passed.
    """

    title: str | None
    as_of: PartialDate | None
    claims: list[Claim]
    dek: str | None = None
    language: str = "en"
    author: str | None = None
    summary: str | None = None
    sections: Sequence[DraftSection] = field(default_factory=list)
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
    #: The file the sheet was loaded from and its project folder, for its git history (set when loaded).
    origin: tuple[str, str] | None = None
    metric_labels: dict[str, str] = field(default_factory=dict)

    def metric_label(self, metric: str) -> str:
        """Return the editor's label of ``metric`` (the metric as written when a lenient read has none)."""
        return self.metric_labels.get(metric, metric)

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


@dataclass
class FactSheet(DraftSheet):
    """A fact sheet that passed the schema: its metadata, sections and claims, with the sources they cite."""

    title: str
    as_of: PartialDate  # as precise as the sources allow: a year, a month or a day
    sections: list[Section] = field(default_factory=list)


def labelled(claim: Claim, labels: dict[str, str]) -> Claim:
    """Return ``claim`` with each figure carrying its metric's label from the sheet."""
    import dataclasses

    if not any(f.metric in labels for f in claim.figures):
        return claim
    figures = tuple(dataclasses.replace(f, label=labels.get(f.metric)) for f in claim.figures)
    return dataclasses.replace(claim, figures=figures)
