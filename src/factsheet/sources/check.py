"""Validate fact sheets: schema, references between claims, and every quote against its article."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factsheet.errors import InputError, Problem
from factsheet.project import leads_outside
from factsheet.sources import dating, disputes, factcheck, labels, renderable, revisions, schema
from factsheet.sources.loading import Located, YamlMap, YamlPath, display_path, load_file
from factsheet.sources.model import FactSheet
from factsheet.sources.quotes import InvisibleMatch, invisible_match, too_short
from factsheet.sources.schema import sheet_from_data
from factsheet.sources.seeds import SeedLibrary
from factsheet.sources.vocabulary import vocabulary_problems


@dataclass
class CheckedSheet:
    """A fact sheet file after checking: its model (when usable) and its problems."""

    path: Path
    display: str
    doc: Located | None = None
    sheet: FactSheet | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when no error (warnings aside) was found."""
        return not any(p.severity == "error" for p in self.problems)


def check_sheet(
    path: Path,
    library: SeedLibrary,
    display: str | None = None,
    root: Path | None = None,
    doc: Located | None = None,
) -> CheckedSheet:
    """Return the checked fact sheet at ``path``, with every problem found.

    With ``root`` (the project folder), a sheet inside it that is a link leading
    out of it is refused before it is read, as a linked seed is. ``doc`` is the
    sheet's YAML when it has been read already: what is checked is what was read.
    """
    checked = CheckedSheet(Path(path), display or str(path))
    if root is not None and leads_outside(root, path):
        checked.problems.append(
            Problem(
                checked.display,
                1,
                1,
                f"the fact sheet is a link pointing outside {root}; store the sheet itself in the project",
            )
        )
        return checked
    try:
        doc = doc if doc is not None else load_file(path, checked.display)
    except InputError as exc:
        checked.problems.extend(exc.problems)
        return checked
    checked.doc = doc
    checked.problems.extend(schema.validate(schema.SHEET, doc))
    checked.problems.extend(renderable.problems(doc))
    # Cross-checks run on whatever is well-formed, so one run reports every problem.
    suggest = _Suggestions()
    checked.problems.extend(_cross_references(doc, suggest))
    checked.problems.extend(_settings_references(doc, suggest))
    checked.problems.extend(disputes.problems(doc))
    checked.problems.extend(_metric_labels(doc))
    checked.problems.extend(labels.problems(doc))
    checked.problems.extend(vocabulary_problems(doc))
    checked.problems.extend(_citations(doc, library, suggest))
    checked.problems.extend(factcheck.check(doc, library))
    checked.problems.extend(revisions.stale_problems(doc, library))
    checked.problems.extend(dating.suggestions(doc))
    if checked.ok:
        checked.sheet = sheet_from_data(doc.data, library.sources)
    return checked


def _mappings(value: object, key: str = "id") -> list[tuple[int, YamlMap]]:
    """Return (index, item) for the items of a list that are mappings with a string ``key``."""
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict) and isinstance(v.get(key), str)]


def _mapping(value: object) -> dict[str, Any]:
    """Return ``value`` if it is a mapping read from YAML, else an empty one."""
    return value if isinstance(value, dict) else {}


def _items(value: object) -> list[Any]:
    """Return ``value`` if it is a list read from YAML, else an empty one."""
    return value if isinstance(value, list) else []


def _cross_references(doc: Located, did_you_mean: _Suggestions) -> list[Problem]:
    data = doc.data
    sections = _mappings(data.get("sections"))
    claims = _mappings(data.get("claims"))
    section_ids, problems = doc.duplicate_ids(
        ("sections",), sections, lambda ident, line: f"duplicate section id '{ident}' (first at line {line})"
    )
    claim_ids, duplicates = doc.duplicate_ids(
        ("claims",),
        claims,
        lambda ident, line: f"duplicate claim id '{ident}': first at line {line}; claim ids must be unique",
    )
    problems += duplicates
    for i, c in claims:
        if section_ids and "section" not in c:
            problems.append(
                doc.problem(
                    ("claims", i),
                    f"claim '{c['id']}' has no section; expected one of: {', '.join(section_ids)}",
                )
            )
        elif isinstance(c.get("section"), str) and c["section"] not in section_ids:
            problems.append(
                doc.problem(
                    ("claims", i, "section"),
                    f"unknown section '{c['section']}'{did_you_mean(c['section'], section_ids)}; "
                    f"expected one of: {', '.join(section_ids) or '(no sections are defined)'}",
                )
            )
        for key in ("contradicts", "disputes", "denies", "updates"):
            refs = c.get(key)
            for j, ref in enumerate(refs if isinstance(refs, list) else ()):
                if not isinstance(ref, str):
                    continue
                if ref == c["id"]:
                    problems.append(
                        doc.problem(("claims", i, key, j), f"claim '{ref}' cannot list itself under {key}")
                    )
                elif ref not in claim_ids:
                    problems.append(
                        doc.problem(
                            ("claims", i, key, j),
                            f"{key}: unknown claim id '{ref}'{did_you_mean(ref, claim_ids)}",
                        )
                    )
    return problems


def _metric_labels(doc: Located) -> list[Problem]:
    """Return an error for each metric a figure uses with no label, and each label declared twice."""
    data = doc.data if isinstance(doc.data, dict) else {}
    declared, problems = doc.duplicate_ids(
        ("metrics",),
        _mappings(data.get("metrics")),
        lambda ident, line: (
            f"metric '{ident}' is labelled twice: first at line {line}; declare each label once"
        ),
    )
    for i, claim in _mappings(data.get("claims")):
        for k, figure in _mappings(claim.get("figures"), "metric"):
            metric = figure["metric"]
            if metric not in declared:
                problems.append(
                    doc.problem(
                        ("claims", i, "figures", k, "metric"),
                        f"claims[{i}].figures[{k}].metric: '{metric}' has no label; outputs name a metric by "
                        f"the editor's label, never its id: add it under metrics: "
                        f"(- {{id: {metric}, label: …}})",
                    )
                )
                declared[metric] = -1  # one message per metric
    return problems


def _duplicate_id_message(kind: str) -> Callable[[str, int], str]:
    return lambda ident, line: f"duplicate {kind} id '{ident}' (first at line {line})"


def _settings_references(doc: Located, did_you_mean: _Suggestions) -> list[Problem]:
    """Return problems in the ids that topics and groups use: duplicates, unknown claims, a stray final."""
    problems: list[Problem] = []
    data = _mapping(doc.data)
    claim_ids = {c["id"] for _, c in _mappings(data.get("claims"))}
    settings = _mapping(data.get("settings"))
    for where, items in (
        (("settings", "topics"), _mappings(settings.get("topics"))),
        (("groups",), _mappings(data.get("groups"))),
    ):
        kind = "topic" if where[0] == "settings" else "group"
        problems += doc.duplicate_ids(
            where,
            items,
            _duplicate_id_message(kind),
        )[1]
    for i, g in _mappings(data.get("groups")):
        listed = _items(g.get("claims"))
        for j, ref in enumerate(listed):
            if isinstance(ref, str) and ref not in claim_ids:
                problems.append(
                    doc.problem(
                        ("groups", i, "claims", j),
                        f"group '{g['id']}': unknown claim id '{ref}'{did_you_mean(ref, claim_ids)}",
                    )
                )
        metrics = _items(g.get("metrics"))
        counted = {
            f.get("metric")
            for _, c in _mappings(data.get("claims"))
            if c["id"] in listed
            for f in _items(c.get("figures"))
            if isinstance(f, dict)
        }
        for k, metric in enumerate(metrics):
            if isinstance(metric, str) and metric not in counted:
                problems.append(
                    doc.problem(
                        ("groups", i, "metrics", k),
                        f"group '{g['id']}': no figure of its claims has metric '{metric}'; expected one of: "
                        f"{', '.join(sorted(m for m in counted if isinstance(m, str))) or '(none)'}",
                    )
                )
        final = g.get("final")
        if isinstance(final, str) and final not in listed:
            problems.append(
                doc.problem(
                    ("groups", i, "final"),
                    f"group '{g['id']}': final claim '{final}' is not one of the group's claims; "
                    f"expected one of: {', '.join(r for r in listed if isinstance(r, str)) or '(none)'}",
                )
            )
        elif isinstance(final, str) and not _figures_of(data, final):
            problems.append(
                doc.problem(
                    ("groups", i, "final"),
                    f"group '{g['id']}': final claim '{final}' gives no figure; a final figure "
                    "needs a claim with figures",
                )
            )
    return problems


def _figures_of(data: YamlMap, claim_id: str) -> list[object]:
    """Return the figures of the claim ``claim_id`` in raw sheet data ([] if none or unknown)."""
    for _, c in _mappings(data.get("claims")):
        if c["id"] == claim_id and isinstance(c.get("figures"), list):
            figures: list[object] = c["figures"]
            return figures
    return []


def _citations(doc: Located, library: SeedLibrary, did_you_mean: _Suggestions) -> list[Problem]:
    problems: list[Problem] = []
    nearest_budget = _Budget(MAX_NEAREST_WORDS)
    for i, c in _mappings(doc.data.get("claims")):
        for j, cit in _mappings(c.get("citations"), "source"):
            path = ("claims", i, "citations", j)
            source_id, quote = cit["source"], cit.get("quote")
            if _refused("source", source_id, path, doc) or _refused("quote", quote, path, doc):
                continue  # the schema check has reported it; one line per mistake
            if not isinstance(quote, str):
                continue  # refused above: a quote is required text
            if library.catalog is None or not library.sources:
                continue  # the catalog itself is broken and reported once
            if source_id not in library.sources:
                known = ", ".join(library.sources) or "(none)"
                problems.append(
                    doc.problem(
                        path + ("source",),
                        f"unknown source '{source_id}'{did_you_mean(source_id, library.sources)}; "
                        f"expected one of: {known}",
                    )
                )
                continue
            short = too_short(quote) if isinstance(quote, str) else None
            if short:
                problems.append(doc.problem(path + ("quote",), f"{display_path(path + ('quote',))}: {short}"))
                continue
            article = library.article(source_id)
            if article is None or article.contains(quote):
                continue  # an unreadable article is reported once, by the library
            furniture = captured_furniture(library, source_id, quote)
            if furniture is not None:
                if cit.get("allow_furniture") is None:
                    problems.append(
                        doc.problem(
                            path + ("quote",),
                            f"quote is in page furniture of {source_id} ({furniture}), not the article's "
                            "own text; quote the article body, or give the citation allow_furniture: REASON",
                        )
                    )
                continue
            elsewhere = [
                a.source_id for a in library.articles() if a.source_id != source_id and a.contains(quote)
            ]
            if elsewhere:
                problems.append(
                    doc.problem(
                        path + ("quote",),
                        f"quote found in {', '.join(elsewhere)}, not in {source_id}; fix the citation's source",
                    )
                )
                continue
            invisible = invisible_match(article, quote)
            if invisible is not None:
                problems.append(doc.problem(path + ("quote",), _invisible_message(source_id, invisible)))
                continue
            if not nearest_budget.take(article.word_count):
                problems.append(
                    doc.problem(
                        path + ("quote",),
                        f"quote not found in {source_id}; no nearest passage shown (this sheet's search "
                        f"budget of {MAX_NEAREST_WORDS:,} article words is spent: fix the quotes above first)",
                    )
                )
                continue
            near = article.nearest(quote)
            if near is None:
                shown = "the article is empty"
            else:  # the article's own characters, differing words in ⟦ ⟧, so the fix can be copied
                passage, differences = article.marked(quote, near)
                shown = f'line {near.line} of {source_id}: "{passage}"; {"; ".join(differences)}'
            problems.append(
                doc.problem(path + ("quote",), f"quote not found in {source_id}; nearest passage is {shown}")
            )
    return problems


def _invisible_message(source_id: str, match: InvisibleMatch) -> str:
    """Return the message for a quote that differs from its article only by characters no one sees."""
    shown = "; ".join(d.describe(source_id) for d in match.differences[:3])
    more = len(match.differences) - 3
    return (
        f"quote not found in {source_id}, which differs from it only by invisible characters: {shown}"
        f"{f' (and {more} more)' if more > 0 else ''}; write the article's character (\\uXXXX in a "
        f'double-quoted value), or paste the quote `factsheet quote {source_id} "…"` prints'
    )


def captured_furniture(library: SeedLibrary, source_id: str, quote: str) -> str | None:
    """Return the part of the captured page around the article that holds ``quote``, if the source has a capture."""
    record = library.first_capture(source_id)
    raw = library.capture_bytes(source_id, record) if record is not None else None
    if raw is None or record is None:
        return None
    from factsheet.sources.capture import furniture_in_capture

    return furniture_in_capture(raw, record, quote)


def _refused(key: str, value: object, path: YamlPath, doc: Located) -> bool:
    """Return True when the schema refuses ``value`` as the citation field ``key`` (and so reports it)."""
    found: list[Problem] = []
    schema.CITATION.fields[key].spec.check(value, path + (key,), doc, found)
    return bool(found)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ' (did you mean 'x'?)' for the choice closest to ``word``, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


#: Article words a sheet's nearest-passage searches may read in all: each search
#: scores every word of its article, so a sheet of many unfound quotes in long
#: articles would otherwise keep a check busy for minutes.
MAX_NEAREST_WORDS = 2_000_000


class _Budget:
    """A count of work one sheet may still spend."""

    def __init__(self, total: int) -> None:
        self.left = total

    def take(self, amount: int) -> bool:
        """Spend ``amount`` and return True, or return False when less than that is left."""
        if amount > self.left:
            return False
        self.left -= amount
        return True


#: Suggestions looked for per sheet: each compares one word with every choice,
#: so a bounded number keeps a check linear in the size of the sheet.
MAX_SUGGESTIONS = 50


class _Suggestions:
    """Return " (did you mean 'x'?)" for the choice closest to a word, or "", for one sheet.

    Only the first MAX_SUGGESTIONS distinct misspellings get a search; a sheet
    with thousands of unknown ids is still reported in linear time.
    """

    def __init__(self) -> None:
        self._found: dict[tuple[str, int], str] = {}

    def __call__(self, word: str, choices: Iterable[str]) -> str:
        key = (word, id(choices))
        if key not in self._found:
            if len(self._found) >= MAX_SUGGESTIONS:
                return ""
            self._found[key] = did_you_mean(word, choices)
        return self._found[key]


def uncited_sources(library: SeedLibrary, sheets: list[CheckedSheet]) -> list[Problem]:
    """Return a warning for each stored source that no checked claim cites.

    None while a sheet could not be read: what it cites is unknown, and a warning
    about the catalog would only bury that sheet's error.
    """
    if any(s.doc is None for s in sheets):
        return []
    cited = {
        cit["source"]
        for s in sheets
        if s.doc is not None and isinstance(s.doc.data, dict)
        for c in s.doc.data.get("claims") or ()
        if isinstance(c, dict)
        for cit in c.get("citations") or ()
        if isinstance(cit, dict)
    }
    doc = library.catalog
    out = []
    for index, source_id in enumerate(library.sources):
        if source_id not in cited and doc is not None:
            out.append(
                doc.problem(
                    ("sources", index, "id"),
                    f"source '{source_id}' is not cited by any claim",
                    severity="warning",
                )
            )
    return out
