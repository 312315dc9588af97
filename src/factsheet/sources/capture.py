"""Captured web pages: read a saved page, a web archive or a text file, and extract the article and what the page states."""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from factsheet.sources.loading import YamlMap

if TYPE_CHECKING:
    from configparser import ConfigParser

    from lxml.html import HtmlElement

#: A JSON-LD object of a page, as ``json.loads`` reads it.
JsonObject = dict[str, Any]

#: A news page, even saved with its pictures inlined, stays well under this; a web archive of one article too.
MAX_CAPTURE_BYTES = 20 * 1024 * 1024  # as seeds.CAPTURE_LIMIT

#: The body must hold at least this much text to be an article, not a section front or a list of links.
MIN_BODY_CHARS = 200

#: What a page or archive is, by its name.
HTML, WARC, TEXT = "html", "warc", "text"
_NAME_KINDS = ((".warc.gz", WARC), (".warc", WARC), (".txt", TEXT))

#: The metadata fields a catalog entry takes from the page, in the order the entry lists them.
STATED_FIELDS = ("headline", "author", "outlet", "published", "modified", "url", "language")

#: Paragraph openings that announce a correction or an update of the article.
_NOTICE = re.compile(
    r"^\s*(?:\*+\s*)?(?:correction|clarification|update|updated|editor['’]s note|"
    r"this (?:article|story|report) (?:has been|was) (?:updated|amended|corrected|changed)|"
    r"an earlier version of this (?:article|story|report))\b",
    re.IGNORECASE,
)


class CaptureProblem(Exception):
    """A capture that cannot be added: not HTML, no article, too large; the message says which."""


@dataclass(frozen=True)
class Page:
    """The article page a capture holds: its HTML, and where and when it was captured, when stated."""

    html: bytes
    url: str | None = None
    captured: str | None = None  # ISO date or date-time
    captured_from: str | None = None  # "WARC-Date", "--captured"


@dataclass(frozen=True)
class Stated:
    """A value the page states, and where on the page it was found."""

    value: str
    origin: str


@dataclass(frozen=True)
class Extraction:
    """An article taken from a page: its body text, what the page states about it, and a notice."""

    body: str
    stated: dict[str, Stated] = field(default_factory=dict)
    notice: str | None = None  # a correction or update notice, as the page words it
    extractor: str = ""


# -- reading a capture -----------------------------------------------------------------------


def kind_of(name: str, raw: bytes) -> str:
    """Return what a capture is (HTML, WARC or TEXT), from its name and its first bytes."""
    low = name.lower()
    for suffix, kind in _NAME_KINDS:
        if low.endswith(suffix):
            return kind
    if raw[:4] == b"WARC" or (raw[:2] == b"\x1f\x8b" and _gunzipped_start(raw).startswith(b"WARC/")):
        return WARC
    return HTML


def _gunzipped_start(raw: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as f:
            return f.read(8)
    except (OSError, EOFError):
        return b""


_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


def is_html(raw: bytes) -> bool:
    """Return True when ``raw`` starts as an HTML document does."""
    return bool(_HTML_START.match(raw.removeprefix(b"\xef\xbb\xbf")[:4096]))


def page_of(raw: bytes, kind: str, url: str | None = None) -> Page:
    """Return the article page a saved page or an archive holds; raise CaptureProblem when there is none."""
    if kind == WARC:
        return _archived_page(raw, url)
    if not is_html(raw):
        raise CaptureProblem("not an HTML page: save the article from the browser as a web page (HTML)")
    return Page(raw, url)


def _archived_page(raw: bytes, url: str | None) -> Page:
    """Return the HTML response of ``url`` in a WARC (the only one when ``url`` is None)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pages: dict[str, Page] = {}
    records = 0
    try:
        for record in ArchiveIterator(io.BytesIO(raw)):
            if not str(record.format).startswith("warc"):
                continue  # warcio reads anything as an old ARC record; only WARC records count
            records += 1
            if record.rec_type not in ("response", "resource"):
                continue
            target = record.rec_headers.get_header("WARC-Target-URI") or ""
            if record.rec_type == "response":
                status = record.http_headers.get_statuscode() if record.http_headers else None
                ctype = record.http_headers.get_header("Content-Type", "") if record.http_headers else ""
                if status != "200" or "html" not in ctype.lower():
                    continue
            body = record.content_stream().read()
            if record.rec_type == "resource" and not is_html(body):
                continue
            pages.setdefault(
                target, Page(body, target or None, record.rec_headers.get_header("WARC-Date"), "WARC-Date")
            )
    except (ArchiveLoadFailed, ValueError, OSError, EOFError) as exc:
        raise CaptureProblem(f"not a readable web archive (WARC): {exc}") from None
    if not records:
        raise CaptureProblem("not a readable web archive (WARC): it holds no WARC record")
    if url is not None:
        found = pages.get(url) or pages.get(url.rstrip("/")) or pages.get(url + "/")
        if found is None:
            held = ", ".join(sorted(pages)) or "no HTML page"
            raise CaptureProblem(f"the archive holds no page for {url}; it holds: {held}")
        return found
    if not pages:
        raise CaptureProblem("the archive holds no HTML page (no response with status 200 and an HTML type)")
    if len(pages) > 1:
        raise CaptureProblem(
            f"the archive holds {len(pages)} pages; name the article with --url: {', '.join(sorted(pages))}"
        )
    return next(iter(pages.values()))


# -- extracting the article ------------------------------------------------------------------


def extractor_name() -> str:
    """Return the extractor's name and version, as the catalog records it."""
    import trafilatura

    return f"trafilatura {trafilatura.__version__}"


@lru_cache(maxsize=1)
def _config() -> ConfigParser:
    """Return trafilatura's settings pinned here, so no settings file changes what a capture gives."""
    from trafilatura.settings import use_config

    config = use_config()
    pinned = {
        "MIN_EXTRACTED_SIZE": "250",
        "MIN_OUTPUT_SIZE": "1",
        "MIN_OUTPUT_COMM_SIZE": "1",
        "MAX_TREE_SIZE": "",
        "EXTRACTION_TIMEOUT": "0",  # no signal alarm: the command runs in any thread
        "MIN_DUPLCHECK_SIZE": "100",
        "MAX_REPETITIONS": "2",
        "EXTENSIVE_DATE_SEARCH": "off",
    }
    for key, value in pinned.items():
        config.set("DEFAULT", key, value)
    return config


def body_text(html: bytes) -> str | None:
    """Return the article body trafilatura finds in ``html``, one paragraph a line, or None."""
    import trafilatura

    return trafilatura.extract(
        html,
        output_format="txt",
        fast=False,
        favor_precision=False,
        favor_recall=False,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_formatting=False,
        include_links=False,
        deduplicate=False,
        with_metadata=False,
        config=_config(),
    )


def extract(page: Page) -> Extraction:
    """Return the article of ``page``: its body (headline left out) and what the page states."""
    tree = _tree(page.html)
    if tree is None:
        raise CaptureProblem("not an HTML page: nothing could be read from it")
    if _script_only(tree):
        raise CaptureProblem(
            "the page's text is built by a script and the saved file holds none; save the page from the "
            "browser after it has loaded, or capture it with a browser-based crawler"
        )
    stated = stated_metadata(tree, page)
    text = body_text(page.html)
    paragraphs = [" ".join(p.split()) for p in (text or "").split("\n")]
    paragraphs = [p for p in paragraphs if p]
    headline = stated.get("headline")
    if paragraphs and headline is not None and paragraphs[0] == " ".join(headline.value.split()):
        paragraphs = paragraphs[1:]  # the headline is page furniture, not the article's own text
    body = "\n".join(paragraphs)
    if len(body) < MIN_BODY_CHARS:
        raise CaptureProblem(
            "no article body found: the page looks like a section front, a list of links or a stub; "
            "capture the article's own page"
        )
    notice = _notice(paragraphs, tree)
    return Extraction(body, stated, visible(notice) if notice else None, extractor_name())


def visible(text: str) -> str:
    """Return ``text`` on one line, without the invisible and control characters a catalog value may not hold."""
    from factsheet.sources.schema import without_forbidden

    return " ".join(without_forbidden(text).split())


def _tree(html: bytes) -> HtmlElement | None:
    from trafilatura.utils import load_html

    return load_html(html)


_SKIPPED = {"script", "style", "noscript", "template", "svg"}


def _visible_text(element: HtmlElement) -> str:
    """Return the text of ``element`` outside scripts, styles and templates."""
    from copy import deepcopy

    clone = deepcopy(element)
    for node in list(clone.iter(*_SKIPPED)):
        node.drop_tree()  # keeps the text that follows the element
    return " ".join(clone.text_content().split())


def _script_only(tree: HtmlElement) -> bool:
    """Return True when the page has scripts but next to no text of its own."""
    body = tree.find(".//body")
    scripts = tree.findall(".//script")
    if body is None or not scripts:
        return False
    return len(_visible_text(body)) < MIN_BODY_CHARS


def _notice(paragraphs: list[str], tree: HtmlElement) -> str | None:
    """Return the first paragraph of the body (else of the page) that is a correction or update notice."""
    for p in paragraphs:
        if _NOTICE.match(p):
            return p
    for node in tree.iter("p", "div", "aside", "section", "em", "strong"):
        text = " ".join(node.text_content().split()) if isinstance(node.tag, str) else ""
        if text and len(text) < 600 and _NOTICE.match(text):
            return text
    return None


# -- what the page states about itself -------------------------------------------------------

_ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
                  "OpinionNewsArticle", "ReviewNewsArticle", "BackgroundNewsArticle", "LiveBlogPosting",
                  "ScholarlyArticle", "TechArticle", "Report"}  # fmt: skip


def _offer_meta(meta: dict[str, str], offer: Callable[[str, object, str], None]) -> None:
    """Offer what the page's <meta> elements state (OpenGraph first), each field from its first name found."""
    for key, names in (
        ("headline", ("og:title", "twitter:title")),
        ("outlet", ("og:site_name", "application-name")),
        ("author", ("author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author")),
        ("published", ("article:published_time", "datepublished", "pubdate", "dc.date.issued", "dc.date",
                       "date", "parsely-pub-date", "og:article:published_time")),
        ("modified", ("article:modified_time", "og:updated_time", "datemodified", "dc.date.modified",
                      "last-modified")),
        ("url", ("og:url",)),
        ("language", ("og:locale", "content-language", "dc.language", "language")),
    ):  # fmt: skip
        for name in names:
            if name in meta:
                value: str | None = meta[name]
                if key in ("published", "modified"):
                    value = _date(value)
                elif key == "language":
                    value = _language(value)
                elif key == "author" and meta[name].startswith(("http://", "https://")):
                    continue  # a profile page's address, not a name
                elif key == "url":
                    value = _url(value)
                offer(key, value, _meta_origin(name))


def stated_metadata(tree: HtmlElement, page: Page) -> dict[str, Stated]:
    """Return headline, author, outlet, dates, URL and language as the page states them, with origins.

    The first source that states a field wins: JSON-LD (schema.org NewsArticle),
    then <link rel=canonical> for the address, OpenGraph and other <meta>
    elements, <html lang>, <title>, then the capture itself (a WARC's target URL,
    --url) and htmldate for the publication date.
    """
    found: dict[str, Stated] = {}

    def offer(key: str, value: object, origin: str) -> None:
        text = visible(value) if isinstance(value, str) else ""
        if key not in found and text:
            found[key] = Stated(text, origin)

    article = _json_ld_article(tree)
    if article is not None:
        kind = _types(article)[0] if _types(article) else "Article"
        offer("headline", _text(article.get("headline")), f"JSON-LD {kind} headline")
        offer("author", _names(article.get("author")), f"JSON-LD {kind} author")
        offer("outlet", _names(article.get("publisher")), f"JSON-LD {kind} publisher")
        offer("published", _date(article.get("datePublished")), f"JSON-LD {kind} datePublished")
        offer("modified", _date(article.get("dateModified")), f"JSON-LD {kind} dateModified")
        offer("url", _url(article.get("url")) or _url(article.get("mainEntityOfPage")), f"JSON-LD {kind} url")
        offer("language", _language(_text(article.get("inLanguage"))), f"JSON-LD {kind} inLanguage")
    canonical = tree.find(".//link[@rel='canonical']")
    if canonical is not None:
        offer("url", _url(canonical.get("href")), "<link rel=canonical>")
    _offer_meta(_meta(tree), offer)
    html = tree if tree.tag == "html" else tree.find(".//html")
    if html is not None:
        offer("language", _language(html.get("lang") or html.get("xml:lang")), "<html lang>")
    title = tree.find(".//title")
    if title is not None and "headline" not in found and title.text:
        offer("headline", title.text, "<title>")
    if page.url:
        offer("url", page.url, "WARC-Target-URI" if page.captured_from == "WARC-Date" else "--url")
    if "published" not in found:
        offer("published", _htmldate(tree, original=True), "htmldate (original date)")
    return found


def _meta(tree: HtmlElement) -> dict[str, str]:
    """Return the page's <meta> values by lowercased name or property (the first of each)."""
    out: dict[str, str] = {}
    for el in tree.iter("meta"):
        name = (
            el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or ""
        ).lower()
        content = el.get("content")
        if name and content and name not in out:
            out[name] = content
    return out


def _meta_origin(name: str) -> str:
    if name.startswith(("og:", "article:")):
        return f"OpenGraph {name}"
    if name == "content-language":
        return "<meta http-equiv=content-language>"
    return f"<meta name={name}>"


def _json_ld_article(tree: HtmlElement) -> JsonObject | None:
    """Return the page's first JSON-LD object of an article type, looking into lists and @graph."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for item in _ld_items(data):
            if set(_types(item)) & _ARTICLE_TYPES:
                return item
    return None


def _ld_items(data: object, depth: int = 0) -> Iterator[JsonObject]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_items(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _ld_items(data["@graph"], depth + 1)


def _types(item: JsonObject) -> list[str]:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return [k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)]


def _text(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None


def _names(value: object) -> str | None:
    """Return the name(s) of a schema.org Person or Organization (or a list of them), joined as a byline."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        name = _text(name)
        if name and name.strip() and not name.startswith(("http://", "https://")):
            names.append(" ".join(name.split()))
    names = list(dict.fromkeys(names))
    if not names:
        return None
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def _date(value: object) -> str | None:
    """Return the calendar date an ISO date or date-time states (as written, in its own time zone)."""
    m = _ISO_DATE.match(_text(value) or "")
    if not m:
        return None
    year, month, day = m.groups()
    return f"{year}-{month}-{day}" if "01" <= month <= "12" and "01" <= day <= "31" else None


def _url(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    text = _text(value)
    return text.strip() if text and re.match(r"^https?://\S+$", text.strip()) else None


def _language(value: str | None) -> str | None:
    m = re.match(r"^\s*([A-Za-z]{2})(?:[-_][A-Za-z0-9]+)*\s*$", value or "")
    return m.group(1).lower() if m else None


def _htmldate(tree: HtmlElement, original: bool) -> str | None:
    from copy import deepcopy

    from htmldate import find_date

    try:
        return find_date(
            deepcopy(tree), original_date=original, extensive_search=False, outputformat="%Y-%m-%d"
        )
    except (ValueError, TypeError):
        return None


# -- page furniture --------------------------------------------------------------------------

#: Where on a page text sits, by element or by a word in its class or id; the first that fits wins.
_FURNITURE_TAGS = (
    ("nav", "navigation"),
    ("header", "page header"),
    ("footer", "footer"),
    ("figcaption", "photo caption"),
    ("figure", "photo caption"),
    ("aside", "sidebar"),
    ("h1", "headline"),
    ("title", "page title"),
)
_FURNITURE_WORDS = (
    ("comment", "comments"),
    ("related", "related links"),
    ("read-more", "related links"),
    ("readmore", "related links"),
    ("recommend", "related links"),
    ("more-stories", "related links"),
    ("caption", "photo caption"),
    ("byline", "byline"),
    ("author", "byline"),
    ("share", "share bar"),
    ("newsletter", "newsletter prompt"),
    ("promo", "promotion"),
    ("breadcrumb", "navigation"),
    ("menu", "navigation"),
    ("footer", "footer"),
)


def furniture_holding(html: bytes, quote: str) -> str | None:
    """Return what part of the page around the article holds ``quote`` ("navigation", "photo caption"), or None."""
    from factsheet.sources.quotes import normalize

    wanted = normalize(quote)
    tree = _tree(html)
    if tree is None or not wanted:
        return None
    best: tuple[int, str] | None = None
    for node in tree.iter():
        if not isinstance(node.tag, str) or node.tag in _SKIPPED:
            continue
        what = _furniture_kind(node)
        if what is None:
            continue
        if wanted in normalize(node.text_content()):
            depth = sum(1 for _ in node.iterancestors())
            if best is None or depth > best[0]:
                best = (depth, what)  # the innermost part names it best
    if best is not None:
        return best[1]
    if wanted in normalize(tree.text_content()):
        return "the page around the article"
    return None


_ROLES = {
    "navigation": "navigation",
    "banner": "page header",
    "contentinfo": "footer",
    "complementary": "sidebar",
}


def _furniture_kind(node: HtmlElement) -> str | None:
    """Return what part of a page an element is, by its class or id, its ARIA role, then its tag."""
    marks = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
    for word, what in _FURNITURE_WORDS:
        if word in marks:
            return what
    role = (node.get("role") or "").lower()
    if role in _ROLES:
        return _ROLES[role]
    for tag, what in _FURNITURE_TAGS:
        if node.tag == tag:
            return what
    return None


def furniture_in_capture(raw: bytes, record: YamlMap, quote: str) -> str | None:
    """Return what part of a stored capture's page, outside its article, holds ``quote``, or None."""
    name = str(record.get("file", ""))
    try:
        page = page_of(raw, kind_of(name, raw), record.get("url") if kind_of(name, raw) == WARC else None)
    except CaptureProblem:
        return None
    return furniture_holding(page.html, quote)
