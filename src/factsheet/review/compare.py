"""Compare two fact sheets claim by claim (pure: models in, a list of changes out).

Claims are matched by id; order in the file never counts. A claim whose id
changed but whose content did not is a rename. Figures are matched by metric,
citations by source and quote (an unchanged quote under another source is a
move; a similar quote is an edit), ``contradicts``/``updates`` as sets.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from factsheet.review.words import Segment, word_diff
from factsheet.sources.model import Citation, Claim, FactSheet, Figure

#: Fields whose changes are shown word by word.
PROSE = frozenset({"title", "dek", "summary", "text", "note", "quote"})

#: Sheet-level fields, in the order the schema declares them.
SHEET_FIELDS = ("title", "dek", "as_of", "language", "author", "summary")

#: How similar two quotes must be (0–1) to count as one quote edited.
QUOTE_SIMILARITY = 0.6


@dataclass(frozen=True)
class Change:
    """One changed field: ``kind`` is added, removed, changed, moved or reordered.

    ``field`` is a dotted name: ``text``, ``attribution.who``, ``figures.deaths``,
    ``citations``, ``sections.deployment``… For citations ``old_source`` and
    ``new_source`` name the articles and ``old``/``new`` hold the quotes.
    """

    field: str
    kind: str
    old: str | None = None
    new: str | None = None
    words: tuple[Segment, ...] = ()
    old_source: str | None = None
    new_source: str | None = None


@dataclass(frozen=True)
class ClaimDiff:
    """What happened to one claim: added, removed, changed or renamed."""

    kind: str
    id: str
    old: Claim | None = None
    new: Claim | None = None
    changes: tuple[Change, ...] = ()

    @property
    def old_id(self) -> str | None:
        return self.old.id if self.old else None


@dataclass(frozen=True)
class SheetDiff:
    """The claim-level difference between two versions of one fact sheet file."""

    old_name: str
    new_name: str
    status: str  # modified | added (no old file) | removed (no new file)
    sheet: tuple[Change, ...]
    claims: tuple[ClaimDiff, ...]
    path: str | None = None  # the file's path, when the names also carry a revision

    @property
    def changed(self) -> bool:
        return bool(self.sheet or self.claims)

    def count(self, kind: str) -> int:
        """Return how many claims were ``kind`` (added, removed, changed, renamed)."""
        return sum(c.kind == kind for c in self.claims)


# -- canonical values ------------------------------------------------------------


def show(value) -> str | None:
    """Return a field value as the text every format prints (None stays None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def describe_figure(f: Figure) -> str:
    """Return a figure as a reader sees it, e.g. "at least 19 people (as of 2031-05)"."""
    try:
        text = f.describe()
    except (TypeError, ValueError):  # a value written as text in a sheet that fails check
        parts = [f.qualifier, show(f.value) if f.value is not None else
                 (f"{show(f.low)}–{show(f.high)}" if f.low is not None or f.high is not None else None), f.unit]
        text = " ".join(p for p in parts if p)
    return f"{text} (as of {f.as_of})" if f.as_of else text


def figure_keys(figures) -> dict[str, Figure]:
    """Return figures by metric; a repeated metric gets ``#2``, ``#3``…"""
    out: dict[str, Figure] = {}
    for f in figures:
        key, n = f.metric, 1
        while key in out:
            n += 1
            key = f"{f.metric}#{n}"
        out[key] = f
    return out


def _refs(ids) -> str | None:
    return ", ".join(sorted(set(ids))) if ids else None


def claim_fields(claim: Claim) -> list[tuple[str, str]]:
    """Return a claim's content (its id aside) as (field, text) pairs in canonical order.

    Figures are sorted by metric and quotes by source and text, so that two
    claims with equal content give equal lists whatever their order in the file.
    """
    a = claim.attribution
    out: list[tuple[str, str | None]] = [
        ("section", claim.section),
        ("text", claim.text),
        ("status", claim.status),
        ("attribution.who", a.who),
        ("attribution.role", a.role),
        ("attribution.organisation", a.organisation),
        ("attribution.on_record", show(a.on_record)),
        ("said_on", show(claim.said_on)),
        ("happened_on", show(claim.happened_on)),
    ]
    out += [(f"figures.{k}", describe_figure(f)) for k, f in sorted(figure_keys(claim.figures).items())]
    out += [(f"quote {c.source}", c.quote) for c in sorted(claim.citations, key=_citation_order)]
    out += [("note", claim.note), ("contradicts", _refs(claim.contradicts)), ("updates", _refs(claim.updates))]
    return [(k, v) for k, v in out if v is not None]


def _citation_order(c: Citation):
    return (c.source or "", c.quote or "")


def sheet_fields(sheet: FactSheet) -> list[tuple[str, str]]:
    """Return the sheet's own fields (claims aside) as (field, text) pairs in canonical order."""
    out = [(name, show(getattr(sheet, name))) for name in SHEET_FIELDS]
    if sheet.sections:
        out.append(("sections", ", ".join(show(s.id) or "" for s in sheet.sections)))
        out += [(f"sections.{s.id}", s.title) for s in sheet.sections]
    out += list(settings_fields(sheet).items())
    return [(k, v) for k, v in out if v is not None]


def settings_fields(sheet: FactSheet | None) -> dict[str, str]:
    """Return the sheet's settings and stated groups as named lines of text, e.g. ``groups.deaths``."""
    if sheet is None:
        return {}
    out: dict[str, str] = {}
    if getattr(sheet, "paper", "a4") != "a4":
        out["settings.paper"] = str(sheet.paper)
    for t in getattr(sheet, "topics", ()):
        out[f"settings.topics.{t.id}"] = f"{t.title}: {', '.join(t.metrics)}" + ("" if t.chart else " (no chart)")
    for p in getattr(sheet, "parties", ()):
        out[f"settings.parties.{p.name}"] = ", ".join(p.match)
    for g in getattr(sheet, "groups", ()):
        text = f"{g.title}: {', '.join(g.claims)}"
        if g.metrics:
            text += f"; metrics {', '.join(g.metrics)}"
        if g.final:
            text += f"; final {g.final}"
        out[f"groups.{g.id}"] = text
    return out


# -- comparing -------------------------------------------------------------------


def _field(name: str, old, new, prose: bool = False) -> list[Change]:
    old, new = show(old), show(new)
    if old == new:
        return []
    if old is None:
        return [Change(name, "added", None, new)]
    if new is None:
        return [Change(name, "removed", old, None)]
    words = word_diff(old, new) if prose else ()
    return [Change(name, "changed", old, new, words)]


def compare_claims(old: Claim, new: Claim) -> tuple[Change, ...]:
    """Return every changed field of a claim, in canonical order."""
    out: list[Change] = []
    out += _field("section", old.section, new.section)
    out += _field("text", old.text, new.text, prose=True)
    out += _field("status", old.status, new.status)
    for sub in ("who", "role", "organisation", "on_record"):
        out += _field(f"attribution.{sub}", getattr(old.attribution, sub), getattr(new.attribution, sub))
    out += _field("said_on", old.said_on, new.said_on)
    out += _field("happened_on", old.happened_on, new.happened_on)
    old_figs, new_figs = figure_keys(old.figures), figure_keys(new.figures)
    for key in list(new_figs) + [k for k in old_figs if k not in new_figs]:
        out += _field(f"figures.{key}", describe_figure(old_figs[key]) if key in old_figs else None,
                      describe_figure(new_figs[key]) if key in new_figs else None)
    out += compare_citations(old.citations, new.citations)
    out += _field("note", old.note, new.note, prose=True)
    out += _field("contradicts", _refs(old.contradicts), _refs(new.contradicts))
    out += _field("updates", _refs(old.updates), _refs(new.updates))
    return tuple(out)


def compare_citations(old: tuple[Citation, ...], new: tuple[Citation, ...]) -> list[Change]:
    """Return added, removed, moved (same quote, other source) and edited citations."""
    old_left = list(old)
    new_left: list[Citation] = []
    for c in new:
        if c in old_left:
            old_left.remove(c)
        else:
            new_left.append(c)
    found: dict[int, Change] = {}  # by index into new_left
    for j, c in enumerate(new_left):  # the same words under another source: a move
        match = next((o for o in old_left if o.quote == c.quote), None)
        if match is not None:
            old_left.remove(match)
            found[j] = Change("citations", "moved", match.quote, c.quote, (), match.source, c.source)
    pairs = sorted(
        ((_similarity(o.quote, n.quote) + (0.001 if o.source == n.source else 0), -i, -j)
         for i, o in enumerate(old_left) for j, n in enumerate(new_left) if j not in found),
        reverse=True,
    )
    used_old: set[int] = set()
    for score, i, j in pairs:
        i, j = -i, -j
        if score < QUOTE_SIMILARITY:
            break
        if i in used_old or j in found:
            continue
        used_old.add(i)
        o, n = old_left[i], new_left[j]
        found[j] = Change("citations", "changed", o.quote, n.quote, word_diff(o.quote or "", n.quote or ""),
                          o.source, n.source)
    out = [found.get(j) or Change("citations", "added", None, c.quote, (), None, c.source)
           for j, c in enumerate(new_left)]
    out += [Change("citations", "removed", o.quote, None, (), o.source, None)
            for i, o in enumerate(old_left) if i not in used_old]
    return out


def _similarity(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def compare_sheet_fields(old: FactSheet | None, new: FactSheet | None) -> tuple[Change, ...]:
    """Return the changes to title, dek, as_of, language, author, summary and sections."""
    out: list[Change] = []
    for name in SHEET_FIELDS:
        out += _field(name, getattr(old, name, None), getattr(new, name, None), prose=name in PROSE)
    old_sec = {s.id: s.title for s in (old.sections if old else ())}
    new_sec = {s.id: s.title for s in (new.sections if new else ())}
    for sid in list(new_sec) + [s for s in old_sec if s not in new_sec]:
        out += _field(f"sections.{sid}", old_sec.get(sid), new_sec.get(sid))
    old_order = [s for s in old_sec if s in new_sec]
    new_order = [s for s in new_sec if s in old_sec]
    if old_order != new_order:
        out.append(Change("sections", "reordered", ", ".join(old_sec), ", ".join(new_sec)))
    old_set, new_set = settings_fields(old), settings_fields(new)
    for name in list(new_set) + [n for n in old_set if n not in new_set]:
        out += _field(name, old_set.get(name), new_set.get(name))
    return tuple(out)


def compare(old: FactSheet | None, new: FactSheet | None, old_name: str = "old", new_name: str = "new") -> SheetDiff:
    """Return the claim-level difference from ``old`` to ``new`` (None: the file is absent)."""
    old_claims = {c.id: c for c in (old.claims if old else ())}
    new_claims = {c.id: c for c in (new.claims if new else ())}
    removed = [c for i, c in old_claims.items() if i not in new_claims]
    added = [c for i, c in new_claims.items() if i not in old_claims]
    renamed: dict[str, Claim] = {}  # new id → old claim
    by_content: dict[tuple, list[Claim]] = {}
    for c in removed:
        by_content.setdefault(tuple(claim_fields(c)), []).append(c)
    for c in added:
        candidates = by_content.get(tuple(claim_fields(c)))
        if candidates:
            renamed[c.id] = candidates.pop(0)
    renamed_old = {c.id for c in renamed.values()}

    diffs: list[ClaimDiff] = []
    for cid, claim in new_claims.items():
        if cid in renamed:
            diffs.append(ClaimDiff("renamed", cid, renamed[cid], claim))
        elif cid not in old_claims:
            diffs.append(ClaimDiff("added", cid, None, claim))
        else:
            changes = compare_claims(old_claims[cid], claim)
            if changes:
                diffs.append(ClaimDiff("changed", cid, old_claims[cid], claim, changes))
    diffs += [ClaimDiff("removed", c.id, c, None) for c in removed if c.id not in renamed_old]
    status = "added" if old is None and new is not None else "removed" if new is None and old is not None else "modified"
    return SheetDiff(old_name, new_name, status, compare_sheet_fields(old, new), tuple(diffs))


__all__ = [
    "Change", "ClaimDiff", "SheetDiff", "compare", "compare_claims", "compare_citations",
    "compare_sheet_fields", "claim_fields", "sheet_fields", "describe_figure", "show",
]
