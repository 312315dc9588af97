"""Render any value as one printable line, for messages, logs and diffs."""

from __future__ import annotations


def one_line(value: object) -> str:
    """Return ``value`` as text on one line, with every character that is not plainly visible escaped.

    Line breaks (``\\n``, a lone ``\\r``, U+2028), control characters, bidirectional
    controls (U+202E) and invisible format characters are shown as Python escapes
    (``\\n``, ``\\u202e``), so a name read from a file can neither start a line of
    its own in a log (``::set-output``), reorder what follows it, nor hide
    characters. Every file name, id and message that repeats an input passes
    through here.
    """
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii") for ch in text
    )
