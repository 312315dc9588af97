"""Text as XML character data: ``&``, ``<`` and ``>`` escaped."""

from __future__ import annotations


def escape(text: str) -> str:
    """Return ``text`` with ``&``, ``<`` and ``>`` escaped, as ``xml.sax.saxutils.escape`` does.

    Written out because ``xml.sax.saxutils`` imports ``urllib.request`` (and
    with it HTTP, e-mail and TLS): a cost a PDF writer's start pays for nothing.
    """
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
