"""Read one side of a diff: YAML text → DraftSheet, tolerant of sheets that do not pass ``check``.

Policy (documented in docs/diff.md):

* The text must be readable YAML with a top-level mapping (the loader's own
  rules: no tags, aliases or duplicate keys). Otherwise DiffInputError, exit 2.
* Claims must be matchable: ``claims`` is a list of mappings, each with a
  text ``id`` that is unique in the file. Otherwise DiffInputError, exit 2.
* Everything else is diffed as written. A schema-valid sheet goes through
  ``schema.sheet_from_data``; any other sheet is built field by field with
  missing values left empty and odd values (``said_on: 2024`` as a number, a
  figure value written as text) kept as their text. The schema problems are
  returned as warnings. Quotes are never verified against their articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from factsheet.errors import InputError, Problem
from factsheet.sources import schema
from factsheet.sources.loading import Located, YamlMap, load_text
from factsheet.sources.model import DraftSection, DraftSheet, PartialDate, labelled
from factsheet.sources.schema import sheet_from_data


class DiffInputError(InputError):
    """A side of the diff cannot be read as a fact sheet; diff(1) reports trouble with exit 2."""

    exit_code = 2


@dataclass
class Side:
    """One side of a diff: a display name and its sheet (None when the file does not exist there)."""

    name: str
    sheet: DraftSheet | None
    warnings: list[Problem] = field(default_factory=list)


def read_side(text: str | None, name: str) -> Side:
    """Return the side named ``name`` read from ``text``; None text means the file is absent."""
    if text is None:
        return Side(name, None)
    try:
        doc = load_text(text.replace("\r\n", "\n"), name)
    except InputError as exc:
        raise DiffInputError(exc.problems) from None
    fatal = _unmatchable(doc)
    if fatal:
        raise DiffInputError(fatal)
    problems = schema.validate(schema.SHEET, doc)
    if not problems:
        try:
            return Side(name, sheet_from_data(doc.data, {}))
        except (KeyError, TypeError, ValueError):  # pragma: no cover - validated data builds
            pass
    warnings = [Problem(p.path, p.line, p.col, p.message, "warning") for p in problems]
    return Side(name, lenient_sheet(doc.data), warnings)


def _unmatchable(doc: Located) -> list[Problem]:
    """Return the problems that make claims impossible to match by id."""
    claims = doc.data.get("claims")
    if claims is None:
        return []
    if not isinstance(claims, list):
        return [doc.problem(("claims",), "claims: expected a list of claims; cannot diff claims by id")]
    out: list[Problem] = []
    matchable: list[tuple[int, YamlMap]] = []
    for i, c in enumerate(claims):
        if not isinstance(c, dict):
            out.append(doc.problem(("claims", i), f"claims[{i}]: expected a mapping (claim); cannot diff it"))
        elif not isinstance(c.get("id"), str) or not c["id"].strip():
            out.append(
                doc.problem(
                    ("claims", i), f"claims[{i}]: a claim needs a text id to be matched with the other side"
                )
            )
        else:
            matchable.append((i, c))
    _, duplicates = doc.duplicate_ids(
        ("claims",),
        matchable,
        lambda ident, line: f"duplicate claim id '{ident}': first at line {line}; claims are matched by id",
    )
    return sorted(out + duplicates, key=lambda p: (p.line, p.col))


# -- tolerant construction -------------------------------------------------------


def _mapping(value: object) -> YamlMap:
    return value if isinstance(value, dict) else {}


def _items(value: object) -> list[object]:
    return value if isinstance(value, list) else ([] if value is None else [value])


def lenient_sheet(data: YamlMap) -> DraftSheet:
    """Return a DraftSheet from data that may not pass the schema, keeping every value as written.

    Claims are built as the schema declares them (:func:`schema.lenient_claim`).
    """
    _text = schema.as_text
    as_of = _text(data.get("as_of"))
    labels = {
        m["id"]: m["label"]
        for m in map(_mapping, _items(data.get("metrics")))
        if isinstance(m.get("id"), str) and isinstance(m.get("label"), str)
    }
    return DraftSheet(
        title=_text(data.get("title")),
        as_of=PartialDate(as_of) if as_of is not None else None,
        claims=[labelled(schema.lenient_claim(c), labels) for c in _items(data.get("claims"))],
        metric_labels=labels,
        dek=_text(data.get("dek")),
        language=_text(data.get("language")) or "en",
        author=_text(data.get("author")),
        summary=_text(data.get("summary")),
        sections=[
            DraftSection(_text(s.get("id")), _text(s.get("title")))
            for s in map(_mapping, _items(data.get("sections")))
        ],
        **schema.story_from_data(data, lenient=True),
    )
