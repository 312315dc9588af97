"""Compare two fact sheets claim by claim (pure: models in, a list of changes out).

Claims are matched by id; order in the file never counts. A removed and an
added claim are a rename when their content is equal or similar enough (text,
quotes and figures, word by word), and the rename carries its field changes.
Figures are matched by metric, citations by source and quote (an unchanged
quote under another source is a move; a similar, shortened or extended quote is
an edit), ``contradicts``/``updates`` as sets.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from factsheet.review.words import Segment, word_diff
from factsheet.sources.model import Citation, Claim, DraftSheet, Figure
from factsheet.sources.schema import CLAIM, SHEET

#: The model's defaults of optional claim fields: a claim that leaves them out has no such content.
_CLAIM_DEFAULTS = {
    f.name: f.default for f in dataclasses.fields(Claim) if f.default is not dataclasses.MISSING
}

#: Sheet-level fields compared as single values, in the order the schema declares them.
SHEET_FIELDS = tuple(k for k, f in SHEET.fields.items() if f.diff in ("value", "prose"))

#: Fields whose changes are shown word by word, as the schema declares them.
PROSE = frozenset(k for k, f in SHEET.fields.items() if f.diff == "prose")

#: How similar two quotes must be (0–1) to count as one quote edited.
QUOTE_SIMILARITY = 0.6

#: How similar the content of a removed and an added claim must be (0–1) to count as one claim renamed.
CLAIM_SIMILARITY = 0.6


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

    @property
    def claim(self) -> Claim:
        """Return the claim as it is now, or as it was when it was removed."""
        claim = self.new or self.old
        if claim is None:  # every diff holds at least one side
            raise ValueError(f"claim diff {self.id!r} holds neither side")
        return claim


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


def show(value: object) -> str | None:
    """Return a field value as the text every format prints (None stays None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):  # a date or a PartialDate
        text: str = value.isoformat()
        return text
    return str(value)


def describe_figure(f: Figure) -> str:
    """Return a figure as a reader sees it, e.g. "at least 19 people (as of 2031-05)"."""
    try:
        text = f.describe()
    except (TypeError, ValueError):  # a value written as text in a sheet that fails check
        parts = [
            f.qualifier,
            show(f.value)
            if f.value is not None
            else (f"{show(f.low)}–{show(f.high)}" if f.low is not None or f.high is not None else None),
            f.unit,
        ]
        text = " ".join(p for p in parts if p)
    return f"{text} (as of {f.as_of})" if f.as_of else text


def figure_keys(figures: Iterable[Figure]) -> dict[str, Figure]:
    """Return figures by metric; a repeated metric gets ``#2``, ``#3``…"""
    out: dict[str, Figure] = {}
    for f in figures:
        key, n = f.metric, 1
        while key in out:
            n += 1
            key = f"{f.metric}#{n}"
        out[key] = f
    return out


def _refs(ids: Iterable[str]) -> str | None:
    return ", ".join(sorted(set(ids))) if ids else None


def claim_fields(claim: Claim) -> list[tuple[str, str]]:
    """Return a claim's content (its id aside) as (field, text) pairs in the schema's order.

    Figures are sorted by metric and quotes by source and text, so that two
    claims with equal content give equal lists whatever their order in the file.
    """
    out: list[tuple[str, str | None]] = []
    for name, f in CLAIM.fields.items():
        value = getattr(claim, name)
        if f.diff == "key":
            continue
        if f.diff == "object":
            out += [(f"{name}.{sub}", show(getattr(value, sub))) for sub in f.spec.fields]  # type: ignore[attr-defined]
        elif f.diff == "figures":
            out += [(f"{name}.{k}", describe_figure(fig)) for k, fig in sorted(figure_keys(value).items())]
        elif f.diff == "citations":
            out += [(f"quote {c.source}", c.quote) for c in sorted(value, key=_citation_order)]
        elif f.diff == "refs":
            out.append((name, _refs(value)))
        elif value != _CLAIM_DEFAULTS.get(name):  # a default (publish: false) is not content
            out.append((name, show(value)))
    return [(k, v) for k, v in out if v is not None]


def _citation_order(c: Citation) -> tuple[str, str]:
    return (c.source or "", c.quote or "")


def sheet_fields(sheet: DraftSheet) -> list[tuple[str, str]]:
    """Return the sheet's own fields (claims aside) as (field, text) pairs in canonical order."""
    out = [(name, show(getattr(sheet, name, None))) for name in SHEET_FIELDS]
    if sheet.sections:
        out.append(("sections", ", ".join(show(s.id) or "" for s in sheet.sections)))
        out += [(f"sections.{s.id}", s.title) for s in sheet.sections]
    out += list(settings_fields(sheet).items())
    return [(k, v) for k, v in out if v is not None]


def settings_fields(sheet: DraftSheet | None) -> dict[str, str]:
    """Return the sheet's settings and stated groups as named lines of text, e.g. ``groups.deaths``."""
    if sheet is None:
        return {}
    out: dict[str, str] = {}
    if getattr(sheet, "paper", "a4") != "a4":
        out["settings.paper"] = str(sheet.paper)
    for t in getattr(sheet, "topics", ()):
        out[f"settings.topics.{t.id}"] = f"{t.title}: {', '.join(t.metrics)}" + (
            "" if t.chart else " (no chart)"
        )
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


def _field(name: str, old: object, new: object, prose: bool = False) -> list[Change]:
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
    """Return every changed field of a claim, in the schema's order."""
    out: list[Change] = []
    for name, f in CLAIM.fields.items():
        before, after = getattr(old, name), getattr(new, name)
        if f.diff == "key":
            continue
        if f.diff == "object":
            for sub in f.spec.fields:  # type: ignore[attr-defined]
                out += _field(f"{name}.{sub}", getattr(before, sub), getattr(after, sub))
        elif f.diff == "figures":
            old_figs, new_figs = figure_keys(before), figure_keys(after)
            for key in list(new_figs) + [k for k in old_figs if k not in new_figs]:
                out += _field(
                    f"{name}.{key}",
                    describe_figure(old_figs[key]) if key in old_figs else None,
                    describe_figure(new_figs[key]) if key in new_figs else None,
                )
        elif f.diff == "citations":
            out += compare_citations(before, after)
        elif f.diff == "refs":
            out += _field(name, _refs(before), _refs(after))
        else:
            out += _field(name, before, after, prose=f.diff == "prose")
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
        (
            (
                _similarity(o.quote, n.quote, o.source == n.source) + (0.001 if o.source == n.source else 0),
                -i,
                -j,
            )
            for i, o in enumerate(old_left)
            for j, n in enumerate(new_left)
            if j not in found
        ),
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
        found[j] = Change(
            "citations",
            "changed",
            o.quote,
            n.quote,
            word_diff(o.quote or "", n.quote or ""),
            o.source,
            n.source,
        )
    out = [
        found.get(j) or Change("citations", "added", None, c.quote, (), None, c.source)
        for j, c in enumerate(new_left)
    ]
    out += [
        Change("citations", "removed", o.quote, None, (), o.source, None)
        for i, o in enumerate(old_left)
        if i not in used_old
    ]
    return out


def _similarity(a: str | None, b: str | None, same_source: bool = False) -> float:
    """Return how alike two quotes are, word by word (0–1).

    From the same source, a quote that was only shortened or extended (one is
    inside the other) counts as fully alike: it is an edit of one citation.
    """
    if not a or not b:
        return 0.0
    wa, wb = a.split(), b.split()
    matcher = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    ratio = matcher.ratio()
    if same_source:
        shorter = min(len(wa), len(wb))
        longest = max((m.size for m in matcher.get_matching_blocks()), default=0)
        if longest == shorter:
            ratio = 1.0
    return ratio


def claim_similarity(old: Claim, new: Claim) -> float:
    """Return how alike two claims' content is (0–1): their text, people, dates, figures and quotes, word by word."""
    a = " ".join(v for _, v in claim_fields(old)).split()
    b = " ".join(v for _, v in claim_fields(new)).split()
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _pair_renames(removed: list[Claim], added: list[Claim]) -> dict[str, Claim]:
    """Return new id → old claim for added claims that are removed ones under a new id.

    Equal content pairs first; then the most similar pairs, best first, down to
    CLAIM_SIMILARITY. Ties go to the earlier claims in the files.
    """
    renamed: dict[str, Claim] = {}
    by_content: dict[tuple[tuple[str, str], ...], list[Claim]] = {}
    for c in removed:
        by_content.setdefault(tuple(claim_fields(c)), []).append(c)
    for c in added:
        candidates = by_content.get(tuple(claim_fields(c)))
        if candidates:
            renamed[c.id] = candidates.pop(0)
    old_left = [c for c in removed if all(c is not o for o in renamed.values())]
    new_left = [c for c in added if c.id not in renamed]
    scored = sorted(
        ((claim_similarity(o, n), -i, -j) for i, o in enumerate(old_left) for j, n in enumerate(new_left)),
        reverse=True,
    )
    used: set[int] = set()
    for score, i, j in scored:
        if score < CLAIM_SIMILARITY:
            break
        i, j = -i, -j
        if i in used or new_left[j].id in renamed:
            continue
        used.add(i)
        renamed[new_left[j].id] = old_left[i]
    return renamed


def _ids(ids: Iterable[str | None]) -> str:
    """Return section ids in one line; a section under review without an id shows as empty."""
    return ", ".join(i or "" for i in ids)


def compare_sheet_fields(old: DraftSheet | None, new: DraftSheet | None) -> tuple[Change, ...]:
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
        out.append(Change("sections", "reordered", _ids(old_sec), _ids(new_sec)))
    old_set, new_set = settings_fields(old), settings_fields(new)
    for name in list(new_set) + [n for n in old_set if n not in new_set]:
        out += _field(name, old_set.get(name), new_set.get(name))
    return tuple(out)


def compare(
    old: DraftSheet | None, new: DraftSheet | None, old_name: str = "old", new_name: str = "new"
) -> SheetDiff:
    """Return the claim-level difference from ``old`` to ``new`` (None: the file is absent)."""
    old_claims = {c.id: c for c in (old.claims if old else ())}
    new_claims = {c.id: c for c in (new.claims if new else ())}
    removed = [c for i, c in old_claims.items() if i not in new_claims]
    added = [c for i, c in new_claims.items() if i not in old_claims]
    renamed = _pair_renames(removed, added)  # new id → old claim
    renamed_old = {c.id for c in renamed.values()}

    diffs: list[ClaimDiff] = []
    for cid, claim in new_claims.items():
        if cid in renamed:
            diffs.append(ClaimDiff("renamed", cid, renamed[cid], claim, compare_claims(renamed[cid], claim)))
        elif cid not in old_claims:
            diffs.append(ClaimDiff("added", cid, None, claim))
        else:
            changes = compare_claims(old_claims[cid], claim)
            if changes:
                diffs.append(ClaimDiff("changed", cid, old_claims[cid], claim, changes))
    diffs += [ClaimDiff("removed", c.id, c, None) for c in removed if c.id not in renamed_old]
    status = (
        "added"
        if old is None and new is not None
        else "removed"
        if new is None and old is not None
        else "modified"
    )
    return SheetDiff(old_name, new_name, status, compare_sheet_fields(old, new), tuple(diffs))


__all__ = [
    "Change",
    "ClaimDiff",
    "SheetDiff",
    "compare",
    "compare_claims",
    "compare_citations",
    "compare_sheet_fields",
    "claim_fields",
    "claim_similarity",
    "sheet_fields",
    "describe_figure",
    "show",
]
