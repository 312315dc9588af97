"""Figures compared across claims: which belong together, and how each relates to the others.

A *figure* is one number a claim reports (``claims[].figures[]``): a value, a
low/high range, or only a qualifier such as "several thousand". Who gave it is
the claim's attribution: its ``organisation``, else its ``who``. Its date is
the figure's ``as_of``, else the claim's ``said_on``, else its ``happened_on``.

Grouping
--------
1. **Groups an editor states** (``groups:`` in the sheet) come first: every
   figure of the listed claims (of the group's ``metrics`` when it names
   some), and each listed claim without a figure (a denial, "no siren
   sounded") as a row of its own. ``final`` names the claim
   whose figures are the authoritative count.
2. Every other figure is grouped with the figures of the same ``metric``; such
   a group needs at least two figures. Different metrics are different kinds
   of count ("planned", "sent", "more sent"): they are never grouped, compared
   or read as updates of each other, whatever the claims' links say.

A template may also ask for a *topic*: every figure of a list of metrics
(``FigureBook.topic``); the sheet's ``settings.topics`` are such topics.

Order
-----
Within a group, dated figures come first, earliest first (by year, month, day,
a year-only date before the months of that year), then figures whose date the
sources do not give; ties keep the order of the fact sheet.

Relations
---------
Each figure is compared with **the previous figure of its metric** in the
group, and with **each claim its claim is linked to** (``updates`` or
``contradicts``, either way round): that claim's figure of the same metric, or
the claim itself when it gives no figure. Nothing else is compared, so a group
of n figures costs n comparisons, and a table row lists at most one relation
per link plus one.

The relation is *stated* when it comes from the claims' links, which always
win, and *inferred* otherwise:

- update / updated by (stated): claim B lists claim A under ``updates``.
- contradiction (stated): either claim lists the other under ``contradicts``;
  "denied by" when the other claim is a denial (status ``denied``).
- final (stated): the figure belongs to a group's ``final`` claim. It is not
  compared with the estimates before it; each earlier figure of its metric
  reads "superseded by" it.

Inference compares only figures of the same metric and unit (the same metric
in another unit is "not compared"):

- same figure: the same value or range with the same qualifier, or the same
  words for a figure given only in words.
- consistent: both numeric and their ranges overlap. A value is the range
  [value, value]; a range ``low``/``high`` is [low, high]; "at least", "more
  than", "over" … make it open above; "at most", "up to", "fewer than" … open
  below; "about", "around", "some", "roughly", "nearly", "close to",
  "estimated", "an estimated" … widen it by 10 % either way.
- compatible: at least one figure has no number ("several thousand",
  "dozens"): there is no number to contradict, and none is invented.
- update: different numbers, both dated, the later one's date entirely after
  the earlier's ("February 2025" after "2024", but not "October 2024" after
  "2024"), from the same organisation or the same party (``settings.parties``:
  a party's ``match`` words found in the organisation, else the who).
- contradiction: different numbers at the same or overlapping date, or with
  either date not given, from different organisations.
- differs: different numbers that the rules above do not settle: from
  different parties at different dates (the situation may have changed), or
  from one organisation with no date to order them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from factsheet.content.timeline import before, date_key, overlaps
from factsheet.errors import Problem
from factsheet.sources.model import Claim, DraftSheet, Figure, PartialDate, Party

if TYPE_CHECKING:
    from factsheet.sources.loading import Located, YamlPath

# -- relation kinds ---------------------------------------------------------

UPDATE = "update"
UPDATED = "updated"
CONTRADICTION = "contradiction"
DENIED = "denied"
SUPERSEDED = "superseded"
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
    DENIED: ("Denied", "by"),
    SUPERSEDED: ("Superseded", "by"),
    SAME: ("Same figure", "as"),
    CONSISTENT: ("Consistent", "with"),
    COMPATIBLE: ("Compatible", "with"),
    DIFFERS: ("Differs", "from"),
    UNIT: ("Not compared", "(different unit) with"),
}

#: Said of a figure with nothing to compare with.
FIRST = "First figure of its kind"
#: Said of a figure of a group's final claim.
FINAL = "Final figure"

#: Qualifier openings that bound a value from below, from above, or make it approximate.
LOWER_BOUND = (
    "at least",
    "more than",
    "over",
    "above",
    "upwards of",
    "in excess of",
    "no fewer than",
    "no less than",
    "not less than",
)
UPPER_BOUND = (
    "at most",
    "up to",
    "fewer than",
    "less than",
    "under",
    "below",
    "no more than",
    "not more than",
)
APPROXIMATE = (
    "about",
    "around",
    "approximately",
    "some",
    "roughly",
    "nearly",
    "almost",
    "close to",
    "an estimated",
    "estimated",
    "circa",
    "approx",
)
#: How far an approximate figure reaches either way.
APPROXIMATION = 0.10

#: At most this many "info" lines per group in ``factsheet check``; the rest are counted.
INFO_LINES_PER_GROUP = 12


def _starts(qualifier: str, phrases: tuple[str, ...]) -> bool:
    return any(qualifier == p or qualifier.startswith(p + " ") for p in phrases)


@functools.lru_cache(maxsize=4096)
def _norm(text: str | None) -> str:
    # the same few names and units are compared for every pair of figures a brief shows
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


def side_of(claim: Claim, parties: Iterable[Party] = ()) -> str | None:
    """Return the party a claim's source belongs to, or None if it matches not exactly one."""
    a = claim.attribution
    name = _norm(a.organisation or a.who)
    found = [p.name for p in parties if any(_norm(w) in name for w in p.match)]
    return found[0] if len(found) == 1 else None


# -- entries and relations --------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """How a figure relates to another figure, or to a linked claim without one."""

    kind: str
    other: Entry
    stated: bool

    @property
    def word(self) -> str:
        """Return the relation in a word or two: "Update", "Contradicts", "Denied"."""
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
        """Return "stated" (from the sheet's links and groups) or "inferred"."""
        return "stated" if self.stated else "inferred"

    @property
    def basis_text(self) -> str:
        """Return "as stated" or "inferred", to follow the description."""
        return "as stated" if self.stated else "inferred"

    def describe(self) -> str:
        """Return the relation for a reader: "Update of 1,200 (Interior Ministry, 2031), as stated"."""
        return f"{self.phrase} {self.other.short()}, {self.basis_text}"

    def describe_for_editor(self) -> str:
        """Return the relation naming the other claim: "update of first-toll (stated)"."""
        return f"{self.phrase.lower()} {self.other.claim.id} ({self.basis})"


_MINOR_WORDS = frozenset({"of", "the", "and", "for", "government", "ministry", "office"})


def _named_in(organisation: str, text: str) -> bool:
    """Return True when every main word of ``organisation`` (or its stem) is already in ``text``."""
    words = [w for w in re.findall(r"[\w.]+", organisation.lower()) if w not in _MINOR_WORDS]
    lower = text.lower()
    return bool(words) and all(w[:5] in lower for w in words)


@dataclass(frozen=True, eq=False)
class Entry:
    """One row of a group: a figure with its relations, or a claim that gives no figure."""

    claim: Claim
    figure: Figure | None
    claim_index: int
    figure_index: int
    relations: tuple[Relation, ...] = ()
    side: str | None = None
    final: bool = False

    @property
    def id(self) -> tuple[str, int]:
        return (self.claim.id, self.figure_index)

    @property
    def date(self) -> PartialDate | None:
        """Return the date the figure refers to: its as_of, else the claim's date."""
        own = self.figure.as_of if self.figure is not None else None
        return own or self.claim.when

    @property
    def when(self) -> str:
        """Return the date as a reader writes it ("autumn 2024"), or "" when the sources give none."""
        return self.date.human() if self.date else ""

    @property
    def dated(self) -> str:
        """Return the date and, when it differs, when it was reported: "autumn 2024, reported in 2025"."""
        parts = [self.when] if self.when else []
        if self.reported and self.claim.said_on is not None:
            parts.append(f"reported {self.claim.said_on.phrase()}")
        return ", ".join(parts)

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
    def speaker(self) -> str:
        """Return who gave the figure with their organisation, unless who and role already name it.

        "Ana Ruiz, Mayor of Lisbon, City of Lisbon" would say
        Lisbon twice, so an organisation whose every main word the name or the role
        already holds is left out.
        """
        a = self.claim.attribution
        shown = ", ".join(p for p in (a.who, a.role) if p)
        if a.role and a.role.lower() in a.who.lower():
            shown = a.who
        if a.organisation and not _named_in(a.organisation, shown):
            shown += f", {a.organisation}"
        return shown

    @property
    def metric(self) -> str:
        """Return the figure's metric, or "" for a claim without a figure."""
        return self.figure.metric if self.figure is not None else ""

    @property
    def value(self) -> str:
        """Return the figure's amount with its unit ("at least 3,000 people"), or the claim's text."""
        return self.figure.describe() if self.figure is not None else self.claim.text

    @property
    def status(self) -> str:
        """Return the claim's status, with "final" for the figure of a group's final claim."""
        return f"{self.claim.status}, final" if self.final else self.claim.status

    def short(self) -> str:
        """Return the row in a few words: "1,200 (Interior Ministry, 2031)", "the statement by X (2031)"."""
        if self.figure is None:  # "Denied by <who> (<when>)", "Contradicts the statement by …"
            said = f"{self.source} ({self.when})" if self.when else self.source
            return said if self.claim.status == "denied" or self.claim.denies else f"the statement by {said}"
        said = f"{self.source}, {self.when}" if self.when else self.source
        return f"{self.figure.amount()} ({said})"


@dataclass(frozen=True)
class FigureGroup:
    """Figures compared with each other, ordered by date, each with its relations."""

    title: str
    metrics: tuple[str, ...]
    entries: tuple[Entry, ...]
    #: The editor's group id, or "" for a group of one metric or a topic.
    id: str = ""

    @property
    def key(self) -> str:
        """Return a stable name for the group: its metrics joined by spaces."""
        return " ".join(self.metrics)

    @property
    def figures(self) -> tuple[Entry, ...]:
        """Return the entries that carry a figure."""
        return tuple(e for e in self.entries if e.figure is not None)

    @property
    def units(self) -> tuple[str, ...]:
        """Return the units of the group's figures, in order of first use."""
        return tuple(dict.fromkeys(e.figure.unit for e in self.figures))  # type: ignore[union-attr]

    @property
    def unit(self) -> str:
        """Return the unit, or the units joined by " / "."""
        return " / ".join(self.units)

    @property
    def sources(self) -> tuple[str, ...]:
        """Return who gave the figures, in order of first appearance."""
        return tuple(dict.fromkeys(e.source for e in self.entries))

    @property
    def final(self) -> tuple[Entry, ...]:
        """Return the figures of the group's final claim."""
        return tuple(e for e in self.entries if e.final)

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


# -- comparing two figures --------------------------------------------------


def _same_source(a: Entry, b: Entry) -> bool:
    if _norm(a.source) == _norm(b.source):
        return True
    return a.side is not None and a.side == b.side


def _stated(a: Entry, b: Entry) -> Relation | None:
    """Return the stated relation of ``b`` to ``a`` from the claims' links, or None."""
    if a.claim.id in b.claim.updates:
        return Relation(UPDATE, a, True)
    if b.claim.id in a.claim.updates:
        return Relation(UPDATED, a, True)
    if a.claim.id in b.claim.opposes or b.claim.id in a.claim.opposes:
        denial = b.claim.id in a.claim.denies or a.claim.id in b.claim.denies or a.claim.status == "denied"
        return Relation(DENIED if denial else CONTRADICTION, a, True)
    return None


def relate(a: Entry, b: Entry) -> Relation | None:
    """Return how ``b`` relates to ``a``, or None when they are not compared."""
    if a.claim.id == b.claim.id:
        return None
    if a.figure is None or b.figure is None:  # a claim without a figure: only its links say anything
        return _stated(a, b)
    if a.metric != b.metric:
        return None  # different kinds of count
    stated = _stated(a, b)
    if stated is not None:
        return stated
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


# -- building groups --------------------------------------------------------


def _order_key(e: Entry) -> tuple[bool, tuple[int, int], int, int]:
    return (e.date is None, date_key(e.date) if e.date else (0, 0), e.claim_index, e.figure_index)


def _title(metrics: tuple[str, ...], labels: dict[str, str]) -> str:
    """Return a group's title from its metrics' labels, as the sheet declares them."""
    text = ", ".join(labels.get(m, m) for m in metrics)
    return text[:1].upper() + text[1:]


class _Links:
    """The claims each claim is linked to (``updates``/``contradicts``, either way), and the sheet's finals."""

    def __init__(self, sheet: DraftSheet):
        self.sheet = sheet
        self.index = {c.id: i for i, c in enumerate(sheet.claims)}
        self.linked: dict[str, list[str]] = {}
        for c in sheet.claims:
            for other in (*c.updates, *c.opposes):
                if other in self.index and other != c.id:
                    for x, y in ((c.id, other), (other, c.id)):
                        seen = self.linked.setdefault(x, [])
                        if y not in seen:
                            seen.append(y)
        self.finals = {g.final for g in sheet.groups if g.final}
        #: A claim in a stated group with metrics speaks of those metrics only.
        self.scope: dict[str, set[str]] = {}
        for g in sheet.groups:
            for cid in g.claims:
                if g.metrics:
                    self.scope.setdefault(cid, set()).update(g.metrics)

    def entry(self, claim_id: str) -> Entry:
        """Return the claim as a row without a figure."""
        i = self.index[claim_id]
        claim = self.sheet.claims[i]
        return Entry(claim, None, i, -1, side=side_of(claim, self.sheet.parties))


def _entries(
    sheet: DraftSheet, claim_ids: Iterable[str] | None = None, metrics: set[str] | None = None
) -> list[Entry]:
    wanted = None if claim_ids is None else set(claim_ids)
    out = []
    for ci, c in enumerate(sheet.claims):
        if wanted is not None and c.id not in wanted:
            continue
        side = side_of(c, sheet.parties)
        for fi, f in enumerate(c.figures):
            if metrics is None or f.metric in metrics:
                out.append(Entry(c, f, ci, fi, side=side))
        if wanted is not None and not c.figures:
            out.append(Entry(c, None, ci, -1, side=side))
    return out


def make_group(
    entries: list[Entry],
    title: str | None = None,
    metrics: tuple[str, ...] | None = None,
    links: _Links | None = None,
    group_id: str = "",
) -> FigureGroup:
    """Return a group of ``entries``: ordered by date, each with its relations (see the module's rules)."""
    ordered = sorted(entries, key=_order_key)
    finals = links.finals if links else set()
    # Rows by claim, so a link finds the other claim's row of the same metric in one step.
    rows: dict[str, dict[str, Entry]] = {}
    for e in ordered:
        rows.setdefault(e.claim.id, {}).setdefault(e.metric, e)
    final_of_metric = {e.metric: e for e in ordered if e.claim.id in finals and e.figure is not None}
    previous: dict[str, Entry] = {}
    done: list[Entry] = []
    for b in ordered:
        relations: list[Relation] = []
        final = b.figure is not None and b.claim.id in finals
        prev = previous.get(b.metric) if b.figure is not None else None
        if prev is not None and not final:
            r = relate(prev, b)
            if r is not None:
                relations.append(r)
        for other_id in links.linked.get(b.claim.id, ()) if links else ():
            if prev is not None and other_id == prev.claim.id and relations:
                continue  # already compared as the previous figure
            own = rows.get(other_id, {})
            other = own.get(b.metric) or own.get("")
            if other is None and b.figure is None and own:
                other = next(iter(own.values()))  # a statement is linked to the claim, whatever it counts
            if other is None and links is not None and not links.sheet.claims[links.index[other_id]].figures:
                other = links.entry(other_id)  # a linked claim without a figure, outside the group
            if other is None:
                continue  # the linked claim counts something else
            if (
                b.figure is not None
                and other.figure is None
                and links is not None
                and b.metric not in links.scope.get(other_id, {b.metric})
            ):
                continue  # a statement about another count of the same claim
            r = relate(other, b)
            if r is not None and r.stated:
                relations.append(r)
        superseding = final_of_metric.get(b.metric)
        if (
            superseding is not None
            and not final
            and superseding.claim.id != b.claim.id
            and _order_key(b) < _order_key(superseding)
        ):
            relations.append(Relation(SUPERSEDED, superseding, True))
        if b.figure is not None:
            previous[b.metric] = b
        done.append(Entry(b.claim, b.figure, b.claim_index, b.figure_index, tuple(relations), b.side, final))
    if metrics is None:
        by_file = sorted(entries, key=lambda e: (e.claim_index, e.figure_index))
        metrics = tuple(dict.fromkeys(e.metric for e in by_file if e.figure is not None))
    labels = {e.metric: e.figure.metric_label for e in entries if e.figure is not None}
    return FigureGroup(title or _title(metrics, labels), tuple(metrics), tuple(done), group_id)


def editor_groups(sheet: DraftSheet, links: _Links | None = None) -> list[FigureGroup]:
    """Return the groups the sheet states (``groups:``), in the sheet's order."""
    links = links or _Links(sheet)
    return [
        make_group(_entries(sheet, g.claims, set(g.metrics) or None), g.title, links=links, group_id=g.id)
        for g in sheet.groups
    ]


def group_figures(sheet: DraftSheet) -> list[FigureGroup]:
    """Return the stated groups, then every metric's group of two or more figures outside them."""
    links = _Links(sheet)
    stated = editor_groups(sheet, links)
    taken = {e.id for g in stated for e in g.entries}
    by_metric: dict[str, list[Entry]] = {}
    for e in _entries(sheet):
        if e.id not in taken:
            by_metric.setdefault(e.metric, []).append(e)
    automatic = [make_group(es, links=links) for es in by_metric.values() if len(es) >= 2]
    return stated + automatic


def topic(sheet: DraftSheet, metrics: str | Iterable[str], title: str | None = None) -> FigureGroup:
    """Return every figure of ``metrics`` (names, or one string of names) as one group.

    The claims without a figure of a stated group that counts one of these
    metrics (a denial of a death toll) are rows of the topic too, so the topic
    shows all that group shows.
    """
    wanted = _metric_list(metrics)
    entries = _entries(sheet, metrics=set(wanted))
    counting = {e.claim.id for e in entries}
    statements: list[str] = []
    for g in sheet.groups:
        if counting & set(g.claims) and (not g.metrics or set(g.metrics) & set(wanted)):
            statements += [cid for cid in g.claims if cid not in statements]
    entries += [e for e in _entries(sheet, statements, set()) if e.figure is None]
    return make_group(entries, title, wanted, _Links(sheet))


def _metric_list(metrics: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(metrics, str):
        metrics = re.split(r"[\s,]+", metrics)
    return tuple(dict.fromkeys(m for m in metrics if m))


# -- for templates and for ``factsheet check`` -------------------------------


@dataclass
class FigureBook:
    """What templates see as ``figures``: the sheet's topics and groups, and topics on request."""

    sheet: DraftSheet
    _groups: list[FigureGroup] | None = field(default=None, repr=False)
    #: Titles given to topics, by their key (metrics joined by spaces); charts use them.
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def groups(self) -> list[FigureGroup]:
        """Return the stated groups, then the groups of one metric (two or more figures each)."""
        if self._groups is None:
            self._groups = group_figures(self.sheet)
        return self._groups

    def topic(self, metrics: str | Iterable[str], title: str | None = None) -> FigureGroup:
        """Return every figure of ``metrics`` as one group, titled ``title`` (remembered for its chart)."""
        group = topic(self.sheet, metrics, title)
        if title:
            self.titles[group.key] = title
        return group

    @property
    def topics(self) -> list[FigureGroup]:
        """Return the sheet's ``settings.topics``, each as a group of its metrics' figures."""
        return [self.topic(t.metrics, t.title) for t in self.sheet.topics]

    @property
    def final_claims(self) -> frozenset[str]:
        """Return the ids of the claims the sheet's groups name as final."""
        return frozenset(g.final for g in self.sheet.groups if g.final)

    @property
    def glance(self) -> list[FigureGroup]:
        """Return the groups a brief shows first: the topics, then every group whose rows they do not all show."""
        topics = self.topics
        shown = {e.id for t in topics for e in t.entries}
        return topics + [g for g in self.groups if not all(e.id in shown for e in g.entries)]

    @property
    def rest(self) -> FigureGroup | None:
        """Return the figures no group of the glance shows, as one group "Other figures" (None if none).

        A brief that shows only the glance would otherwise leave out every kind of
        count given once (a single death toll); the rest keeps them in file order.
        """
        shown = {e.id for g in self.glance for e in g.entries}
        entries = [e for e in _entries(self.sheet) if e.id not in shown]
        if not entries:
            return None
        return make_group(entries, "Other figures", tuple(dict.fromkeys(e.metric for e in entries)))

    @property
    def charted(self) -> list[FigureGroup]:
        """Return what a brief charts: topics with ``chart`` on; without topics, the automatic choice.

        The automatic choice is the group with the most figures that have both a
        number and a date (at least two), the first in the sheet on a tie; it is
        charted under the group's title.
        """
        if self.sheet.topics:
            return [self.topic(t.metrics, t.title) for t in self.sheet.topics if t.chart]
        best, most = None, 1
        for g in self.groups:
            count = len(
                [e for e in g.figures if e.date is not None and e.figure is not None and e.figure.is_numeric]
            )
            if count > most:
                best, most = g, count
        return [self.topic(best.metrics, best.title)] if best is not None else []


def group_problems(doc: Located, sheet: DraftSheet, groups: list[FigureGroup] | None = None) -> list[Problem]:
    """Return "info" Problems for each group's rows, located at the figure (at most a dozen per group)."""
    out: list[Problem] = []
    for group in group_figures(sheet) if groups is None else groups:
        n = len(group.entries)
        for k, e in enumerate(group.entries, 1):
            if k > INFO_LINES_PER_GROUP:
                last = group.entries[-1]
                out.append(
                    doc.problem(
                        _where(last),
                        f'figure group "{group.title}" ({n} figures): '
                        f"{n - INFO_LINES_PER_GROUP:,} more not listed",
                        severity="info",
                    )
                )
                break
            relations = (
                "; ".join(
                    ([FINAL.lower()] if e.final else []) + [r.describe_for_editor() for r in e.relations]
                )
                or FIRST.lower()
            )
            metric = f" ({e.metric})" if len(group.metrics) > 1 and e.figure is not None else ""
            what = e.value if e.figure is not None else f"claim {e.claim.id} (no figure)"
            message = (
                f'figure group "{group.title}" ({n} figures), {k} of {n}: '
                f"{what}{metric}, {e.source}, {e.when}: {relations}"
            )
            out.append(doc.problem(_where(e), message, severity="info"))
    return out


def _where(e: Entry) -> YamlPath:
    if e.figure is None:
        return ("claims", e.claim_index)
    return ("claims", e.claim_index, "figures", e.figure_index)
