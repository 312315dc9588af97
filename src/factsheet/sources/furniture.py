"""Page furniture: the lines of a stored capture that are not the article's own text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from factsheet.sources.loading import YamlMap, YamlPath
from factsheet.sources.quotes import Article

#: A line range in the catalog: "11-17" or a single line, 5.
_RANGE = re.compile(r"^([1-9][0-9]*)(?:-([1-9][0-9]*))?$")


@dataclass(frozen=True)
class Furniture:
    """A stretch of lines (1-based, inclusive) that is page furniture, and what it is."""

    first: int
    last: int
    what: str

    def describe(self) -> str:
        """Return "line 5: photo caption" or "lines 11-17: 'Read also' list"."""
        where = f"line {self.first}" if self.first == self.last else f"lines {self.first}-{self.last}"
        return f"{where}: {self.what}"


def parse_range(value: object) -> tuple[int, int] | None:
    """Return (first, last) from ``5`` or ``"11-17"``, or None when it is not a range."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value, value
    m = _RANGE.match(value) if isinstance(value, str) else None
    if not m:
        return None
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    return (first, last) if first <= last else None


def lines_of(article: Article) -> list[str]:
    """Return the article's lines as stored, without their line breaks."""
    return article.lines


def resolve(entry: YamlMap, article: Article) -> tuple[list[Furniture], list[tuple[YamlPath, str]]]:
    """Return the furniture a catalog entry marks in its article, and (path, message) for each bad mark.

    ``body: {lines: A-B}`` makes every line outside A-B furniture; each item of
    ``furniture`` marks ``lines: A-B``, every line that is exactly ``line: TEXT``,
    or the lines ``from: TEXT`` to the end of the article.
    """
    lines = lines_of(article)
    count = len(lines)
    found: list[Furniture] = []
    bad: list[tuple[YamlPath, str]] = []
    body = entry.get("body")
    if isinstance(body, dict) and "lines" in body:
        span = parse_range(body["lines"])
        if span is None or span[1] > count:
            bad.append((("body", "lines"), _range_problem(body["lines"], count)))
        else:
            if span[0] > 1:
                found.append(Furniture(1, span[0] - 1, "before the article body"))
            if span[1] < count:
                found.append(Furniture(span[1] + 1, count, "after the article body"))
    for k, item in enumerate(entry.get("furniture") or ()):
        if not isinstance(item, dict) or not isinstance(item.get("what"), str):
            continue  # the schema reports it
        what = item["what"]
        if "lines" in item:
            span = parse_range(item["lines"])
            if span is None or span[1] > count:
                bad.append((("furniture", k, "lines"), _range_problem(item["lines"], count)))
            else:
                found.append(Furniture(span[0], span[1], what))
        elif isinstance(item.get("line"), str):
            hits = [n for n, text in enumerate(lines, 1) if text.strip() == item["line"].strip()]
            if not hits:
                bad.append(
                    (("furniture", k, "line"), f"no line of {article.source_id} is exactly '{item['line']}'")
                )
            found += [Furniture(n, n, what) for n in hits]
        elif isinstance(item.get("from"), str):
            hits = [n for n, text in enumerate(lines, 1) if text.strip() == item["from"].strip()]
            if not hits:
                bad.append(
                    (("furniture", k, "from"), f"no line of {article.source_id} is exactly '{item['from']}'")
                )
            else:
                found.append(Furniture(hits[0], count, what))
    return sorted(found, key=lambda f: (f.first, f.last)), bad


def _range_problem(value: object, count: int) -> str:
    return (
        f"expected a line number or a range such as '11-17' within the article's {count} lines, "
        f"found {value!r}"
    )


def furniture_at(furniture: list[Furniture], article: Article, start: int, end: int) -> Furniture | None:
    """Return the furniture that the stored-text span ``start``-``end`` touches, if any."""
    first, last = article.line_of(start), article.line_of(max(start, end - 1))
    for f in furniture:
        if f.first <= last and first <= f.last:
            return f
    return None


# --- Proposing furniture for a new capture ------------------------------------------------

#: Whole lines that are navigation, prompts or list headings on news pages (compared lowercased).
MARKERS = {
    "read also",
    "read more",
    "see also",
    "related",
    "related articles",
    "related news",
    "related stories",
    "more stories",
    "load next story",
    "next story",
    "previous story",
    "send push",
    "image",
    "photo",
    "video",
    "advertisement",
    "share",
    "share this article",
    "tags",
    "subscribe",
    "most read",
    "latest news",
    "top stories",
    "comments",
}
#: List headings after which the following list lines are other stories.
_LIST_HEADINGS = {
    "read also",
    "read more",
    "see also",
    "related",
    "related articles",
    "related news",
    "related stories",
    "more stories",
    "most read",
    "latest news",
    "top stories",
}
_LIST_ITEM = re.compile(r"^\s*([-•*–]|\d+[.)])\s+")
_CREDIT = re.compile(
    r"(\bphoto(?: source)?:|\bphoto by\b|\bimage:|\bcredit:|\(getty images\)|\bvia (?:ap|afp|reuters)\b|"
    r"\bpodpis źródła zdjęcia\b|\bźródło zdjęcia\b|\bfoto:|\bфото:)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(author|by|written by|autor|автор)\b:?\s+\S", re.IGNORECASE)
_LANGUAGES = re.compile(r"^([a-z]{2})( [a-z]{2})+$")
_APP_PROMPT = re.compile(r"\b(download the app|get the app|more in \w+|tags?:|share on)\b", re.IGNORECASE)
#: A sentence ends in . ! ? … or : possibly followed by closing quotes or brackets.
_ENDS_SENTENCE = re.compile(r"[.!?…:][\"'”’»)\]]*$")


def scan(article: Article, headline: str | None = None) -> list[Furniture]:
    """Return proposed furniture ranges for an article, by the heuristic in docs/errors.md."""
    lines = lines_of(article)
    reasons: dict[int, str] = {}
    seen: set[str] = set()
    in_list = False
    for n, raw in enumerate(lines, 1):
        text = " ".join(raw.split())
        low = text.lower()
        if not text:
            continue
        reason = None
        if in_list and _LIST_ITEM.match(raw):
            reason = "links to other stories"
        else:
            in_list = low.rstrip(":") in _LIST_HEADINGS
            if in_list or low in MARKERS:
                reason = "navigation or list heading"
            elif headline and text == " ".join(headline.split()):
                reason = "headline"
            elif _CREDIT.search(text):
                reason = "photo caption or credit"
            elif _BYLINE.match(text) and len(text.split()) <= 8:
                reason = "byline"
            elif _LANGUAGES.match(text):
                reason = "language switcher"
            elif _APP_PROMPT.search(text):
                reason = "prompt or link bar"
            elif low in seen:
                reason = "a repeated line (caption or teaser printed twice)"
            elif not _ENDS_SENTENCE.search(text):
                reason = "heading, label or cut-off standfirst (no sentence ending)"
        seen.add(low)
        if reason:
            reasons[n] = reason
    return _merge(reasons, lines)


def _merge(reasons: dict[int, str], lines: list[str]) -> list[Furniture]:
    """Return runs of proposed lines (blank lines between them joined in) as ranges."""
    out: list[Furniture] = []
    for n in sorted(reasons):
        if out:
            prev = out[-1]
            gap = range(prev.last + 1, n)
            if all(not lines[g - 1].strip() for g in gap):
                whats = prev.what.split("; ")
                what = prev.what if reasons[n] in whats else f"{prev.what}; {reasons[n]}"
                out[-1] = Furniture(prev.first, n, what)
                continue
        out.append(Furniture(n, n, reasons[n]))
    return out
