"""Figures compared across claims: which belong together, and how each relates to the others.

A *figure* is one number a claim reports (``claims[].figures[]``): a value, a
low/high range, or only a qualifier such as "several thousand". Who gave it is
the claim's attribution: its ``organisation``, else its ``who``. Its date is
the figure's ``as_of``, else the claim's ``said_on``, else its ``happened_on``.

Grouping
--------
Figures are grouped automatically; a group needs at least two figures.

1. Figures with the same ``metric`` form a group.
2. An editor's link joins groups: when claim B lists claim A under ``updates``
   or ``contradicts`` (either way round), B's figures are joined with A's
   figures of the same metric; when the two claims share no metric, with A's
   figures of the same unit (so "11,000 troops sent" joins "several thousand
   troops in training" when the first claim updates the second).
3. Nothing else joins figures: metric names are never compared as words.

A template may also ask for a *topic*: every figure of a list of metrics,
whether or not the rules above join them (``FigureBook.topic``).

Order
-----
Within a group, dated figures come first, earliest first (by year, month, day,
a year-only date before the months of that year), then figures whose date the
sources do not give; ties keep the order of the fact sheet.

Relations
---------
Each figure is compared with every figure listed above it in its group. The
relation is *stated* when it comes from the claims' ``updates`` and
``contradicts`` lists, which always win, and *inferred* otherwise:

- update / updated by (stated): claim B lists claim A under ``updates``.
- contradiction (stated): either claim lists the other under ``contradicts``.

A stated link applies to figures of the same metric, or, when the two claims
share no metric, to figures of the same unit. Inference compares only figures
of the same metric and unit; figures of different metrics in one group are
otherwise not compared (they measure different things), and figures of the
same metric with different units are marked "not compared".

- same figure: the same value or range with the same qualifier, or the same
  words for a figure given only in words.
- consistent: both numeric and their ranges overlap. A value is the range
  [value, value]; "at least", "more than", "over" … make it open above,
  "at most", "up to", "fewer than" … open below; "about", "around",
  "some", "roughly", "nearly" … widen it by 10 % either way.
- compatible: at least one figure has no number ("several thousand",
  "hundreds"): there is no number to contradict, and none is invented.
- update: different numbers, both dated, the later one's date entirely after
  the earlier's ("February 2025" after "2024", but not "October 2024" after
  "2024"), from the same organisation or the same side (the country named in
  the organisation, see ``SIDES``).
- contradiction: different numbers at the same or overlapping date, or with
  either date not given, from different organisations.
- differs: different numbers that the rules above do not settle: from
  different sides at different dates (the situation may have changed), or
  from one organisation with no date to order them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from factsheet.errors import Problem
from factsheet.sources.model import Claim, FactSheet, Figure, PartialDate
from factsheet.content.timeline import NO_DATE, before, date_key, overlaps

# -- relation kinds ---------------------------------------------------------

UPDATE = "update"
UPDATED = "updated"
CONTRADICTION = "contradiction"
SAME = "same"
CONSISTENT = "consistent"
COMPATIBLE = "compatible"
DIFFERS = "differs"
UNIT = "unit"

#: How each kind reads before the other figure: "Update" "of" "11,000 (…)".
_PHRASES = {
    UPDATE: ("Update", "of"),
    UPDATED: ("Updated", "by"),
    CONTRADICTION: ("Contradicts", ""),
    SAME: ("Same figure", "as"),
    CONSISTENT: ("Consistent", "with"),
    COMPATIBLE: ("Compatible", "with"),
    DIFFERS: ("Differs", "from"),
    UNIT: ("Not compared", "(different unit) with"),
}

#: Said of a figure with nothing above it to compare with.
FIRST = "First figure of its kind"

#: Strongest first: the kind that sums up a figure's relations.
_RANK = (CONTRADICTION, UPDATE, UPDATED, DIFFERS, CONSISTENT, SAME, COMPATIBLE, UNIT)

#: Qualifier openings that bound a value from below, from above, or make it approximate.
LOWER_BOUND = ("at least", "more than", "over", "above", "upwards of", "in excess of",
               "no fewer than", "no less than", "not less than")
UPPER_BOUND = ("at most", "up to", "fewer than", "less than", "under", "below",
               "no more than", "not more than")
APPROXIMATE = ("about", "around", "approximately", "some", "roughly", "nearly", "almost",
               "close to", "an estimated", "estimated", "circa", "approx")
#: How far an approximate figure reaches either way.
APPROXIMATION = 0.10

#: Sides, found by name in an attribution's organisation (else its who).
#: A name that matches no side, or more than one, has no side.
SIDES = (
    ("Ukraine", ("ukrain", "kyiv", "zelenskyy")),
    ("Russia", ("russia", "kremlin", "moscow")),
    ("South Korea", ("south korea", "seoul")),
    ("North Korea", ("north korea", "pyongyang")),
    ("United States", ("united states", "u.s.")),
)


def _starts(qualifier: str, phrases: tuple[str, ...]) -> bool:
    return any(qualifier == p or qualifier.startswith(p + " ") for p in phrases)


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").strip().casefold())


def interval(figure: Figure) -> tuple[float, float] | None:
    """Return the numbers ``figure`` allows, as (low, high); None when it has no number."""
    bounds = figure.bounds
    if bounds is None:
        return None
    low, high = bounds
    q = _norm(figure.qualifier)
    if _starts(q, LOWER_BOUND):
        return (low, float("inf"))
    if _starts(q, UPPER_BOUND):
        return (float("-inf"), high)
    if _starts(q, APPROXIMATE):
        return (low * (1 - APPROXIMATION), high * (1 + APPROXIMATION))
    return (low, high)


def side_of(claim: Claim) -> str | None:
    """Return the side a claim's source belongs to ("Ukraine"), or None if not exactly one."""
    a = claim.attribution
    name = _norm(a.organisation or a.who)
    found = [side for side, words in SIDES if any(w in name for w in words)]
    return found[0] if len(found) == 1 else None


# -- entries and relations --------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """How a figure relates to another listed above it in its group."""

    kind: str
    other: "Entry"
    stated: bool

    @property
    def word(self) -> str:
        """Return the relation in a word or two: "Update", "Contradicts", "Compatible"."""
        return _PHRASES[self.kind][0]

    @property
    def preposition(self) -> str:
        """Return the word between ``word`` and the other figure: "of", "with" (may be empty)."""
        return _PHRASES[self.kind][1]

    @property
    def phrase(self) -> str:
        """Return the words that go before the other figure: "Update of", "Contradicts"."""
        return f"{self.word} {self.preposition}".strip()

    @property
    def basis(self) -> str:
        """Return "stated" (from updates/contradicts) or "inferred"."""
        return "stated" if self.stated else "inferred"

    @property
    def basis_text(self) -> str:
        """Return "as stated" or "inferred", to follow the description."""
        return "as stated" if self.stated else "inferred"

    def describe(self) -> str:
        """Return the relation for a reader: "Update of several thousand (Ukrainian …, 2024), as stated"."""
        return f"{self.phrase} {self.other.short()}, {self.basis_text}"

    def describe_for_editor(self) -> str:
        """Return the relation naming the other claim: "update of troops-training (stated)"."""
        return f"{self.phrase.lower()} {self.other.claim.id} ({self.basis})"


@dataclass(frozen=True, eq=False)
class Entry:
    """One figure in a group, with its relations to the figures listed above it."""

    claim: Claim
    figure: Figure
    claim_index: int
    figure_index: int
    relations: tuple[Relation, ...] = ()

    @property
    def id(self) -> tuple[str, int]:
        return (self.claim.id, self.figure_index)

    @property
    def date(self) -> PartialDate | None:
        """Return the date the figure refers to: its as_of, else the claim's date."""
        return self.figure.as_of or self.claim.when

    @property
    def when(self) -> str:
        """Return the date as a reader writes it, or that the sources give none."""
        return self.date.human() if self.date else NO_DATE

    @property
    def reported(self) -> str | None:
        """Return when the figure was reported, when that differs from the date it refers to."""
        said = self.claim.said_on
        if said is not None and said != self.date:
            return said.human()
        return None

    @property
    def source(self) -> str:
        """Return who gave the figure: the attribution's organisation, else its who."""
        a = self.claim.attribution
        return a.organisation or a.who

    @property
    def who(self) -> str:
        """Return the attribution in full ("who, role, organisation")."""
        return self.claim.attribution.describe()

    @property
    def side(self) -> str | None:
        return side_of(self.claim)

    @property
    def metric(self) -> str:
        return self.figure.metric

    @property
    def value(self) -> str:
        """Return the figure's amount with its unit: "at least 3,000 soldiers"."""
        return self.figure.describe()

    @property
    def verdict(self) -> str:
        """Return the strongest relation kind of this figure, or "first" when it has none."""
        kinds = {r.kind for r in self.relations}
        for kind in _RANK:
            if kind in kinds:
                return kind
        return "first"

    def short(self) -> str:
        """Return the figure in a few words: "11,000 (South Korean intelligence services, 2024)"."""
        return f"{self.figure.amount()} ({self.source}, {self.when})"

    def describe_relations(self) -> str:
        """Return every relation for a reader, or "First figure of its kind" when there are none."""
        if not self.relations:
            return FIRST
        return "; ".join(r.describe() for r in self.relations)


@dataclass(frozen=True)
class FigureGroup:
    """Figures compared with each other, ordered by date, each with its relations."""

    title: str
    metrics: tuple[str, ...]
    entries: tuple[Entry, ...]

    @property
    def key(self) -> str:
        """Return a stable name for the group: its metrics joined by spaces."""
        return " ".join(self.metrics)

    @property
    def units(self) -> tuple[str, ...]:
        """Return the units of the group's figures, in order of first use."""
        return tuple(dict.fromkeys(e.figure.unit for e in self.entries))

    @property
    def unit(self) -> str:
        """Return the unit, or the units joined by " / "."""
        return " / ".join(self.units)

    @property
    def sources(self) -> tuple[str, ...]:
        """Return who gave the figures, in order of first appearance."""
        return tuple(dict.fromkeys(e.source for e in self.entries))

    @property
    def conflicting(self) -> bool:
        """Return True when any figure contradicts another."""
        return any(r.kind == CONTRADICTION for e in self.entries for r in e.relations)

    @property
    def evolving(self) -> bool:
        """Return True when any figure updates another."""
        return any(r.kind in (UPDATE, UPDATED) for e in self.entries for r in e.relations)

    @property
    def dated(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.date is not None)

    @property
    def undated(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.date is None)

    def __len__(self) -> int:
        return len(self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)


# -- building groups --------------------------------------------------------


def _all_entries(sheet: FactSheet) -> list[Entry]:
    return [Entry(c, f, ci, fi) for ci, c in enumerate(sheet.claims) for fi, f in enumerate(c.figures)]


def _linked(a: Claim, b: Claim) -> bool:
    return a.id in b.updates or a.id in b.contradicts or b.id in a.updates or b.id in a.contradicts


def _link_applies(a: Entry, b: Entry) -> bool:
    """Return True when a stated link between the two claims covers these two figures."""
    shared = {f.metric for f in a.claim.figures} & {f.metric for f in b.claim.figures}
    if shared:
        return a.metric == b.metric
    return _norm(a.figure.unit) == _norm(b.figure.unit)


def _same_source(a: Entry, b: Entry) -> bool:
    if _norm(a.source) == _norm(b.source):
        return True
    return a.side is not None and a.side == b.side


def relate(a: Entry, b: Entry) -> Relation | None:
    """Return how ``b`` relates to ``a`` (listed above it), or None when they are not compared."""
    if a.claim.id == b.claim.id:
        return None
    if _linked(a.claim, b.claim) and _link_applies(a, b):
        if a.claim.id in b.claim.updates:
            return Relation(UPDATE, a, True)
        if b.claim.id in a.claim.updates:
            return Relation(UPDATED, a, True)
        if a.claim.id in b.claim.contradicts or b.claim.id in a.claim.contradicts:
            return Relation(CONTRADICTION, a, True)
    if a.metric != b.metric:
        return None
    if _norm(a.figure.unit) != _norm(b.figure.unit):
        return Relation(UNIT, a, False)
    ia, ib = interval(a.figure), interval(b.figure)
    if ia is None or ib is None:
        if ia is None and ib is None and _norm(a.figure.qualifier) == _norm(b.figure.qualifier):
            return Relation(SAME, a, False)
        return Relation(COMPATIBLE, a, False)
    if a.figure.bounds == b.figure.bounds and _norm(a.figure.qualifier) == _norm(b.figure.qualifier):
        return Relation(SAME, a, False)
    if ia[0] <= ib[1] and ib[0] <= ia[1]:
        return Relation(CONSISTENT, a, False)
    da, db = a.date, b.date
    if da is not None and db is not None and not overlaps(da, db):
        if before(da, db) and _same_source(a, b):
            return Relation(UPDATE, a, False)
        if before(db, da) and _same_source(a, b):
            return Relation(UPDATED, a, False)
        return Relation(DIFFERS, a, False)
    if _norm(a.source) != _norm(b.source):
        return Relation(CONTRADICTION, a, False)
    return Relation(DIFFERS, a, False)


def _order_key(e: Entry):
    return (e.date is None, date_key(e.date) if e.date else (0, 0, 0), e.claim_index, e.figure_index)


def _title(metrics: tuple[str, ...]) -> str:
    words = [m.replace("_", " ") for m in metrics]
    text = ", ".join(words)
    return text[:1].upper() + text[1:]


def make_group(entries: list[Entry], title: str | None = None, metrics: tuple[str, ...] | None = None) -> FigureGroup:
    """Return a group of ``entries``: ordered by date, each with its relations to those above it."""
    ordered = sorted(entries, key=_order_key)
    done: list[Entry] = []
    for b in ordered:
        relations = tuple(r for r in (relate(a, b) for a in done) if r is not None)
        done.append(Entry(b.claim, b.figure, b.claim_index, b.figure_index, relations))
    if metrics is None:
        metrics = tuple(dict.fromkeys(e.metric for e in sorted(entries, key=lambda e: (e.claim_index, e.figure_index))))
    return FigureGroup(title or _title(metrics), tuple(metrics), tuple(done))


def group_figures(sheet: FactSheet) -> list[FigureGroup]:
    """Return the sheet's groups of two or more figures, in order of their first figure in the file."""
    entries = _all_entries(sheet)
    parent = list(range(len(entries)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    first_of_metric: dict[str, int] = {}
    for i, e in enumerate(entries):
        if e.metric in first_of_metric:
            union(first_of_metric[e.metric], i)
        else:
            first_of_metric[e.metric] = i
    # Only claims an editor linked can join: visit those pairs, not every pair of figures.
    by_claim: dict[str, list[int]] = {}
    for i, e in enumerate(entries):
        by_claim.setdefault(e.claim.id, []).append(i)
    pairs = set()
    for c in sheet.claims:
        for other in (*c.updates, *c.contradicts):
            if other != c.id and other in by_claim and c.id in by_claim:
                pairs.add((min(c.id, other), max(c.id, other)))
    for x, y in pairs:
        for i in by_claim[x]:
            for j in by_claim[y]:
                if _link_applies(entries[i], entries[j]):
                    union(min(i, j), max(i, j))
    members: dict[int, list[Entry]] = {}
    for i, e in enumerate(entries):
        members.setdefault(find(i), []).append(e)
    return [make_group(group) for root, group in sorted(members.items()) if len(group) >= 2]


def topic(sheet: FactSheet, metrics, title: str | None = None) -> FigureGroup:
    """Return every figure of ``metrics`` (names, or one string of names) as one group."""
    wanted = _metric_list(metrics)
    entries = [e for e in _all_entries(sheet) if e.metric in wanted]
    return make_group(entries, title, wanted)


def _metric_list(metrics) -> tuple[str, ...]:
    if isinstance(metrics, str):
        metrics = re.split(r"[\s,]+", metrics)
    return tuple(dict.fromkeys(m for m in metrics if m))


# -- for templates and for ``factsheet check`` -------------------------------


@dataclass
class FigureBook:
    """What templates see as ``figures``: the automatic groups, and topics on request."""

    sheet: FactSheet
    _groups: list[FigureGroup] | None = field(default=None, repr=False)
    #: Titles given to topics, by their key (metrics joined by spaces); charts use them.
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def groups(self) -> list[FigureGroup]:
        """Return the automatic groups (two or more figures each)."""
        if self._groups is None:
            self._groups = group_figures(self.sheet)
        return self._groups

    def topic(self, metrics, title: str | None = None) -> FigureGroup:
        """Return every figure of ``metrics`` as one group, titled ``title`` (remembered for its chart)."""
        group = topic(self.sheet, metrics, title)
        if title:
            self.titles[group.key] = title
        return group

    def groups_outside(self, metrics) -> list[FigureGroup]:
        """Return the automatic groups not wholly made of ``metrics`` (those a topic already shows)."""
        wanted = set(_metric_list(metrics))
        return [g for g in self.groups if not set(g.metrics) <= wanted]


def group_problems(doc, sheet: FactSheet, groups: list[FigureGroup] | None = None) -> list[Problem]:
    """Return one "info" Problem per figure in a group, located at the figure in ``doc``."""
    out: list[Problem] = []
    for group in group_figures(sheet) if groups is None else groups:
        n = len(group.entries)
        for k, e in enumerate(group.entries, 1):
            relations = "; ".join(r.describe_for_editor() for r in e.relations) or FIRST.lower()
            metric = f" ({e.metric})" if len(group.metrics) > 1 else ""
            message = (f'figure group "{group.title}" ({n} figures), {k} of {n}: '
                       f"{e.value}{metric}, {e.source}, {e.when}: {relations}")
            out.append(doc.problem(("claims", e.claim_index, "figures", e.figure_index), message, severity="info"))
    return out
