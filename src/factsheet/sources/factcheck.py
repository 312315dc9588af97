"""A fact-checker's rules past verbatim: quotes from the article body, known errors, numbers backed, dates."""

from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass, field

from factsheet.errors import Problem
from factsheet.sources import chronology, errata, furniture, schema
from factsheet.sources.loading import Located, YamlMap, YamlPath
from factsheet.sources.model import format_number
from factsheet.sources.numbers import is_date_part, numbers_in, values_of
from factsheet.sources.quotes import Article, normalize
from factsheet.sources.seeds import SeedLibrary


@dataclass
class Marks:
    """What the catalog records about one article's text: furniture (or a proposal) and errata."""

    article: Article
    #: The furniture the catalog records; None: not recorded, and ``furniture`` is the heuristic's proposal.
    recorded_furniture: list[furniture.Furniture] | None = None
    errata: list[errata.Erratum] = field(default_factory=list)
    headline: str | None = None  # the catalog's, which the heuristic recognises

    @property
    def recorded(self) -> bool:
        """Return True when the catalog records the article's furniture (or its text is the body by construction)."""
        return self.recorded_furniture is not None

    @functools.cached_property
    def furniture(self) -> list[furniture.Furniture]:
        """Return the recorded furniture, else the heuristic's proposal (made when first asked: only cited
        articles' quotes are looked up in it)."""
        if self.recorded_furniture is not None:
            return self.recorded_furniture
        return furniture.scan(self.article, self.headline)  # the module (methods do not see class names)


class CatalogMarks:
    """The marks of each readable article of a library, read and checked on first use of each.

    A sheet cites a few of a catalog's articles: reading and checking every one
    of them for each sheet would make a check grow with the whole catalog. Each
    article's problems (its furniture, its errata) go to the library's problems
    when it is first read; :meth:`every` reads them all (a whole project's check).
    """

    def __init__(self, library: SeedLibrary):
        self.library = library
        self._done: dict[str, Marks | None] = {}

    def get(self, source_id: object) -> Marks | None:
        """Return the marks of ``source_id``'s article, or None when it is unknown or unreadable."""
        if not isinstance(source_id, str):
            return None
        if source_id not in self._done:
            self._done[source_id] = self._read(source_id)
        return self._done[source_id]

    def __contains__(self, source_id: object) -> bool:
        return self.get(source_id) is not None

    def __getitem__(self, source_id: str) -> Marks:
        found = self.get(source_id)
        if found is None:
            raise KeyError(source_id)
        return found

    def every(self) -> dict[str, Marks]:
        """Return the marks of every readable article (each read and checked now if it was not)."""
        return {i: m for i in self.library.sources if (m := self.get(i)) is not None}

    def _read(self, source_id: str) -> Marks | None:
        library = self.library
        catalog = library.catalog
        entry = library.entry(source_id) if source_id in library.sources else None
        article = library.article(source_id) if entry else None
        if entry is None or article is None or catalog is None:
            return None
        index = next(i for i, e in enumerate(catalog.data["sources"]) if e is entry)  # where its problems are
        # a text extracted from a captured page is the article body by construction
        recorded = "furniture" in entry or "body" in entry or library.first_capture(source_id) is not None
        pieces, bad = furniture.resolve(entry, article) if recorded else (None, [])
        slips, bad_errata = errata.resolve(entry, article)
        for path, message in bad + bad_errata:
            library.problems.append(catalog.problem(("sources", index) + path, message))
        headline = entry.get("headline")
        return Marks(article, pieces, slips, headline if isinstance(headline, str) else None)


_MARKS: weakref.WeakKeyDictionary[SeedLibrary, CatalogMarks] = weakref.WeakKeyDictionary()


def marks(library: SeedLibrary) -> CatalogMarks:
    """Return the marks of a library's articles, each read and checked once per library, when first needed."""
    found = _MARKS.get(library)
    if found is None:
        found = _MARKS[library] = CatalogMarks(library)
    return found


def check(doc: Located, library: SeedLibrary) -> list[Problem]:
    """Return the rules' problems for a fact sheet whose quotes have been verified."""
    data = doc.data if isinstance(doc.data, dict) else {}
    claims = data.get("claims")
    known = marks(library)
    out: list[Problem] = []
    first_citation: dict[str, YamlPath] = {}
    for i, claim in enumerate(claims if isinstance(claims, list) else ()):
        refused: list[Problem] = []
        schema.CLAIM.check(claim, ("claims", i), doc, refused)
        if refused:
            continue  # one line per mistake: the schema's
        name = f"claim '{claim['id']}'" if isinstance(claim.get("id"), str) else f"claims[{i}]"
        quotes: list[str] = []
        verified = True  # numbers are compared only with quotes proven to be in their articles
        for j, cit in enumerate(claim.get("citations") or ()):
            source_id = cit.get("source") if isinstance(cit, dict) else None
            if (
                not isinstance(source_id, str)
                or source_id not in known
                or not isinstance(cit.get("quote"), str)
            ):
                verified = False
                continue
            first_citation.setdefault(source_id, ("claims", i, "citations", j, "source"))
            if not known[source_id].article.contains(cit["quote"]):
                verified = False
                continue
            quotes.append(cit["quote"])
            out += _citation(doc, ("claims", i, "citations", j), cit, claim, known[source_id])
        if verified and quotes:
            out += _numbers(doc, i, name, claim, quotes)
    published = {s: (src.published.iso if src.published else None) for s, src in library.sources.items()}
    out += chronology.problems(doc, published)
    out += chronology.source_problems(
        doc, {s: (published[s], path) for s, path in first_citation.items() if published.get(s) is not None}
    )
    return out


def _citation(doc: Located, path: YamlPath, cit: YamlMap, claim: YamlMap, mark: Marks) -> list[Problem]:
    spans = mark.article.spans(cit["quote"])
    if not spans:
        return []  # not found: reported by the quote check
    out: list[Problem] = []
    source_id = mark.article.source_id
    hits = [furniture.furniture_at(mark.furniture, mark.article, a, b) for a, b in spans]
    reason = cit.get("allow_furniture")
    if all(hits) and hits[0] is not None:
        where = hits[0].describe()
        if reason is not None:
            pass  # the editor has said why this furniture is quoted
        elif mark.recorded:
            out.append(
                doc.problem(
                    path + ("quote",),
                    f"quote is in page furniture of {source_id} ({where}), not the article's own text; "
                    "quote the article body, or give the citation allow_furniture: REASON",
                )
            )
        else:
            out.append(
                doc.problem(
                    path + ("quote",),
                    f"quote looks like page furniture of {source_id} ({where}) and its furniture is not recorded; "
                    f"run 'factsheet seeds scan {source_id}' and mark it in seeds/catalog.yaml",
                    severity="warning",
                )
            )
    elif reason is not None:
        out.append(
            doc.problem(
                path + ("allow_furniture",),
                f"allow_furniture is given, but the quote is in the body of {source_id}; remove allow_furniture",
                severity="warning",
            )
        )
    slips = [next((e for e in mark.errata if e.overlaps(a, b)), None) for a, b in spans]
    slip = slips[0] if all(slips) else None
    if slip is not None and not claim.get("note"):
        out.append(
            doc.problem(
                path + ("quote",),
                f'quote overlaps a known error in {source_id} ("{_short(slip.passage)}": {slip.note}); '
                "add a note to the claim saying how the brief treats it",
                severity="warning",
            )
        )
    return out


def _short(text: str, words: int = 12) -> str:
    parts = normalize(text).split(" ")
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _numbers(doc: Located, i: int, name: str, claim: YamlMap, quotes: list[str]) -> list[Problem]:
    """Return an error for each figure no quote gives (unless ``derived:`` says how it was worked out),
    and a warning for each number in the text nothing backs."""
    out: list[Problem] = []
    found = [n for q in quotes for n in numbers_in(q)]
    backed = values_of(found)
    folded = " ".join(normalize(q).lower() for q in quotes)
    given = ", ".join(dict.fromkeys(n.text for n in found if not n.is_year)) or "no number"
    figure_values: set[float] = set()
    for k, figure in enumerate(claim.get("figures") or ()):
        if not isinstance(figure, dict):
            continue
        numbers = [figure[key] for key in ("value", "low", "high") if _is_number(figure.get(key))]
        figure_values.update(float(v) for v in numbers)
        what = f"figure {k + 1} ({figure.get('metric')})"
        missing = [key for key in ("value", "low", "high") if _is_number(figure.get(key))]
        missing = [key for key in missing if float(figure[key]) not in backed]
        derived = figure.get("derived")
        if missing and not (isinstance(derived, str) and derived.strip()):
            shown = "–".join(format_number(v) for v in numbers)
            out.append(
                doc.problem(
                    ("claims", i, "figures", k, missing[0]),
                    f"{name}: {what} {shown} is in none of the claim's quotes (they give {given}); "
                    "check the figure, quote the passage that gives it, or say how it was worked out "
                    "with derived: and a reason",
                )
            )
        qualifier = figure.get("qualifier")
        if isinstance(qualifier, str) and normalize(qualifier).lower() not in folded:
            out.append(
                doc.problem(
                    ("claims", i, "figures", k, "qualifier"),
                    f"{name}: {what} qualifier '{qualifier}' is in none of the claim's quotes; "
                    "use the source's words",
                    severity="warning",
                )
            )
    text = claim.get("text")
    if isinstance(text, str):
        for n in numbers_in(text):
            if is_date_part(text, n) or (not any(c.isdigit() for c in n.text) and max(n.values) < 10):
                continue  # dates are checked as dates; "one of the reports" is not a figure
            if not n.values & (backed | figure_values):
                out.append(
                    doc.problem(
                        ("claims", i, "text"),
                        f"{name}: the text gives {n.text}, which no figure and no quote of the claim gives",
                        severity="warning",
                    )
                )
    return out


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
