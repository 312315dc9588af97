"""Known errors in a source article: passages the catalog flags, with a note on what is wrong."""

from __future__ import annotations

from dataclasses import dataclass

from factsheet.sources.loading import YamlMap, YamlPath
from factsheet.sources.quotes import Article


@dataclass(frozen=True)
class Erratum:
    """A passage of an article known to be wrong, where it is, and the note saying why."""

    passage: str
    note: str
    start: int
    end: int

    def overlaps(self, start: int, end: int) -> bool:
        """Return True when the stored-text span ``start``-``end`` shares a character with this passage."""
        return start < self.end and self.start < end


def resolve(entry: YamlMap, article: Article) -> tuple[list[Erratum], list[tuple[YamlPath, str]]]:
    """Return the errata of a catalog entry located in its article, and (path, message) for each not found."""
    found: list[Erratum] = []
    bad: list[tuple[YamlPath, str]] = []
    for k, item in enumerate(entry.get("errata") or ()):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("passage"), str)
            or not isinstance(item.get("note"), str)
        ):
            continue  # the schema reports it
        spans = article.spans(item["passage"])
        if not spans:
            bad.append(
                (
                    ("errata", k, "passage"),
                    f"erratum passage not found in {article.source_id}; copy it from the article",
                )
            )
        found += [Erratum(item["passage"], item["note"], a, b) for a, b in spans]
    return found, bad
