"""reportlab paragraphs whose markup is parsed once per process: a rebuild lays out mostly the same text."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from reportlab.platypus.paragraph import Paragraph, cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser

#: Parsed paragraphs kept, the least recently used going first (a brief has about a hundred).
KEPT = 512

#: (markup, style, case sensitivity) → (cleaned markup, style, bullet fragments, fragments), as parsed.
_parsed: OrderedDict[tuple[str, Any, int], tuple[str, Any, list[Any] | None, list[Any]]] = OrderedDict()
_lock = threading.Lock()


def parsed(text: str, style: Any, case_sensitive: int) -> tuple[str, Any, list[Any] | None, list[Any]]:
    """Return what reportlab's parser makes of a paragraph's markup, as copies the caller may change.

    reportlab marks and clones the fragments it is given as it lays them out,
    so each paragraph gets its own copies; the ones kept are never laid out.
    """
    key = (text, style, case_sensitive)
    with _lock:
        kept = _parsed.get(key)
        if kept is not None:
            _parsed.move_to_end(key)
    if kept is None:
        kept = _parse(text, style, case_sensitive)
        with _lock:
            _parsed[key] = kept
            while len(_parsed) > KEPT:
                _parsed.popitem(last=False)
    cleaned, style, bullet, frags = kept
    return cleaned, style, _copies(bullet), _copies(frags) or []


def _parse(text: str, style: Any, case_sensitive: int) -> tuple[str, Any, list[Any] | None, list[Any]]:
    """Parse as reportlab's Paragraph does; raise its ValueError for markup it cannot read."""
    cleaned = cleanBlockQuotedText(text)
    parser = ParaParser()
    parser.caseSensitive = case_sensitive
    style, frags, bullet = parser.parse(cleaned, style)
    if frags is None:
        excerpt = cleaned[: min(30, len(cleaned))]
        raise ValueError(f"xml parser error ({parser.errors[0]}) in paragraph beginning\n'{excerpt}'")
    return cleaned, style, bullet, frags


def _copies(frags: list[Any] | None) -> list[Any] | None:
    return [f.clone() for f in frags] if frags else frags


class ParsedOnce(Paragraph):  # type: ignore[misc]  # reportlab has no type stubs: its classes are Any
    """A reportlab Paragraph made from the markup's parse kept by :func:`parsed`: the same paragraph otherwise."""

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:  # noqa: N803
        if frags is not None or not isinstance(text, str) or cleaner is not cleanBlockQuotedText:
            super()._setup(text, style, bulletText, frags, cleaner)  # split parts, other cleaners
            return
        cleaned, style, bullet, frags = parsed(text, style, self.caseSensitive)
        textTransformFrags(frags, style)
        super()._setup(cleaned, style, bullet or bulletText, frags, cleaner)
