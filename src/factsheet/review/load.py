"""Read one side of a diff: YAML text → FactSheet, tolerant of sheets that do not pass ``check``.

Policy (documented in docs/diff.md):

* The text must be readable YAML with a top-level mapping (the loader's own
  rules: no tags, aliases or duplicate keys). Otherwise DiffInputError, exit 2.
* Claims must be matchable: ``claims`` is a list of mappings, each with a
  text ``id`` that is unique in the file. Otherwise DiffInputError, exit 2.
* Everything else is diffed as written. A schema-valid sheet goes through
  ``model.sheet_from_data``; any other sheet is built field by field with
  missing values left empty and odd values (``said_on: 2024`` as a number, a
  figure value written as text) kept as their text. The schema problems are
  returned as warnings. Quotes are never verified against their articles.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from factsheet.sources import schema
from factsheet.errors import InputError, Problem
from factsheet.sources.loading import Located, load_text
from factsheet.sources.model import (
    Attribution, Citation, Claim, FactSheet, Figure, Group, PartialDate, Party, Section, Topic, sheet_from_data,
)


class DiffInputError(InputError):
    """A side of the diff cannot be read as a fact sheet; diff(1) reports trouble with exit 2."""

    exit_code = 2


@dataclass
class Side:
    """One side of a diff: a display name and its sheet (None when the file does not exist there)."""

    name: str
    sheet: FactSheet | None
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
    seen: dict[str, int] = {}
    for i, c in enumerate(claims):
        if not isinstance(c, dict):
            out.append(doc.problem(("claims", i), f"claims[{i}]: expected a mapping (claim); cannot diff it"))
        elif not isinstance(c.get("id"), str) or not c["id"].strip():
            out.append(doc.problem(("claims", i),
                f"claims[{i}]: a claim needs a text id to be matched with the other side"))
        elif c["id"] in seen:
            first = doc.pos(("claims", seen[c["id"]], "id"))[0]
            out.append(doc.problem(("claims", i, "id"),
                f"duplicate claim id '{c['id']}': first at line {first}; claims are matched by id"))
        else:
            seen[c["id"]] = i
    return out


# -- tolerant construction -------------------------------------------------------


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return repr(value)
    return str(value)


def _number(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return _text(value)  # kept as written; describe_figure shows it verbatim


def _date(value) -> PartialDate | None:
    text = _text(value)
    return PartialDate(text) if text is not None else None


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _items(value) -> list:
    return value if isinstance(value, list) else ([] if value is None else [value])


def lenient_sheet(data: dict) -> FactSheet:
    """Return a FactSheet from data that may not pass the schema, keeping every value as written."""
    claims = []
    for c in _items(data.get("claims")):
        a = _mapping(c.get("attribution"))
        on_record = a.get("on_record")
        claims.append(Claim(
            id=c["id"],
            text=_text(c.get("text")),
            status=_text(c.get("status")),
            attribution=Attribution(
                _text(a.get("who")),
                on_record if isinstance(on_record, bool) or on_record is None else _text(on_record),
                _text(a.get("role")), _text(a.get("organisation")),
            ),
            citations=tuple(
                Citation(_text(x.get("source")), _text(x.get("quote")))
                for x in map(_mapping, _items(c.get("citations")))
            ),
            figures=tuple(
                Figure(metric=_text(f.get("metric")) or "", unit=_text(f.get("unit")),
                       value=_number(f.get("value")), low=_number(f.get("low")), high=_number(f.get("high")),
                       qualifier=_text(f.get("qualifier")), as_of=_date(f.get("as_of")))
                for f in map(_mapping, _items(c.get("figures")))
            ),
            section=_text(c.get("section")),
            said_on=_date(c.get("said_on")),
            happened_on=_date(c.get("happened_on")),
            note=_text(c.get("note")),
            contradicts=tuple(_text(x) for x in _items(c.get("contradicts"))),
            updates=tuple(_text(x) for x in _items(c.get("updates"))),
        ))
    settings = _mapping(data.get("settings"))
    as_of = data.get("as_of")
    if isinstance(as_of, str):
        try:
            as_of = _dt.date.fromisoformat(as_of)
        except ValueError:
            pass
    return FactSheet(
        title=_text(data.get("title")), as_of=as_of if isinstance(as_of, _dt.date) else _text(as_of),
        claims=claims, dek=_text(data.get("dek")), language=_text(data.get("language")) or "en",
        author=_text(data.get("author")), summary=_text(data.get("summary")),
        sections=[Section(_text(s.get("id")), _text(s.get("title")))
                  for s in map(_mapping, _items(data.get("sections")))],
        topics=tuple(Topic(_text(t.get("id")), _text(t.get("title")), tuple(_text(m) for m in _items(t.get("metrics"))),
                           t.get("chart") is not False) for t in map(_mapping, _items(settings.get("topics")))),
        parties=tuple(Party(_text(p.get("name")), tuple(_text(m) for m in _items(p.get("match"))))
                      for p in map(_mapping, _items(settings.get("parties")))),
        groups=tuple(Group(_text(g.get("id")), _text(g.get("title")), tuple(_text(c) for c in _items(g.get("claims"))),
                           _text(g.get("final")), tuple(_text(m) for m in _items(g.get("metrics"))))
                     for g in map(_mapping, _items(data.get("groups")))),
        paper=_text(settings.get("paper")) or "a4",
    )
