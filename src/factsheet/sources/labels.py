"""Names the outputs print (labels, titles, party names, who said what): words, each naming one thing."""

from __future__ import annotations

import re
from collections.abc import Iterator

from factsheet.errors import Problem
from factsheet.sources.loading import Located, YamlMap, YamlPath, display_path

#: Where a sheet declares a name an output prints: (path of the list, key of the name, key of the
#: id it names, what a reader calls the thing).
DECLARED: tuple[tuple[YamlPath, str, str | None, str], ...] = (
    (("metrics",), "label", "id", "metric"),
    (("settings", "topics"), "title", "id", "topic"),
    (("groups",), "title", "id", "group"),
    (("sections",), "title", "id", "section"),
    (("settings", "parties"), "name", None, "party"),
)
#: Names whose headings share a page: a topic's and a group's tables stand side by side.
_SHARED = {"topic": "table", "group": "table"}

#: A name written as an identifier: words joined by "_", with no space ("killed_near_port").
_IDENTIFIER = re.compile(r"[^\s_]*(?:_[^\s_]*)+")


def problems(doc: Located) -> list[Problem]:
    """Return an error for each printed name written as an identifier, and each naming two things."""
    data = doc.data if isinstance(doc.data, dict) else {}
    out: list[Problem] = []
    first: dict[tuple[str, str], tuple[str, str, int]] = {}
    for path, name_key, id_key, kind in DECLARED:
        for i, item in _items(data, path):
            name, ident = item.get(name_key), item.get(id_key) if id_key else None
            if not isinstance(name, str) or not name.strip():
                continue  # the schema reports it
            where = path + (i, name_key)
            if _IDENTIFIER.fullmatch(name.strip()) or name.strip() == ident:
                out.append(
                    doc.problem(
                        where,
                        f"{kind} {name_key} '{name}' is an identifier, not words a reader uses; outputs "
                        f"print it as written: say what it is ({_example(kind)})",
                    )
                )
                continue
            key = (_SHARED.get(kind, kind), " ".join(name.split()).casefold())
            if key in first:
                other_kind, other, line = first[key]
                out.append(
                    doc.problem(
                        where,
                        f"{kind} {name_key} '{name}' also names {other_kind} '{other}' (line {line}): a reader "
                        f"could not tell them apart; give each its own words",
                    )
                )
            else:
                first[key] = (kind, ident if isinstance(ident, str) else name, doc.pos(where)[0])
    out.extend(_claim_words(doc, data))
    return out


def _claim_words(doc: Located, data: YamlMap) -> Iterator[Problem]:
    """Yield an error for each attribution (who, role, organisation) or figure unit written as an identifier."""
    for i, claim in _items(data, ("claims",)):
        said = claim.get("attribution")
        attribution = said if isinstance(said, dict) else {}
        values: list[tuple[YamlPath, object]] = [
            (("claims", i, "attribution", key), attribution.get(key))
            for key in ("who", "role", "organisation")
        ]
        values += [
            (("claims", i, "figures", k, "unit"), f.get("unit")) for k, f in _items(claim, ("figures",))
        ]
        for path, value in values:
            if isinstance(value, str) and _IDENTIFIER.fullmatch(value.strip()):
                field = display_path(path[2:])
                yield doc.problem(
                    path,
                    f"claim '{claim.get('id')}': {field} '{value}' is an identifier, not words a reader "
                    "uses; outputs print it as written: write it out",
                )


def _items(data: YamlMap, path: YamlPath) -> Iterator[tuple[int, YamlMap]]:
    """Yield (index, item) of the mappings in the list at ``path`` of the sheet's data."""
    value: object = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    for i, item in enumerate(value if isinstance(value, list) else ()):
        if isinstance(item, dict):
            yield i, item


def _example(kind: str) -> str:
    return {
        "metric": "'People displaced'",
        "topic": "'People displaced and missing'",
        "group": "'Deaths: the official counts'",
        "section": "'Casualties'",
        "party": "'The port authority'",
    }[kind]
