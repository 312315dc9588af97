"""Word-level differences between two texts (pure)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\s+|\w+(?:[’'.,-]\w+)*|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    """A piece of a word diff: ``=`` kept, ``-`` only in the old text, ``+`` only in the new."""

    op: str
    text: str


def tokens(text: str) -> list[str]:
    """Return ``text`` as words (numbers such as 11,000 stay whole), punctuation and spaces."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Return the segments that turn ``old`` into ``new``, deletions before insertions."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    raw: list[list[str]] = []  # [op, old, new] where op is "=" or "~"
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            raw.append(["=", old_part, new_part])
        elif raw and raw[-1][0] == "~":
            raw[-1][1] += old_part
            raw[-1][2] += new_part
        else:
            raw.append(["~", old_part, new_part])
    # Fold a kept stretch of only spaces between two changes into them: "[-a b-]{+c d+}"
    # reads better than "[-a-]{+c+} [-b-]{+d+}".
    merged: list[list[str]] = []
    for item in raw:
        if (
            item[0] == "~"
            and len(merged) >= 2
            and merged[-1][0] == "="
            and not merged[-1][1].strip()
            and merged[-2][0] == "~"
        ):
            space = merged.pop()[1]
            merged[-1][1] += space + item[1]
            merged[-1][2] += space + item[2]
        else:
            merged.append(item)
    out: list[Segment] = []
    for op, old_part, new_part in merged:
        if op == "=":
            out.append(Segment("=", old_part))
            continue
        # Keep shared leading/trailing spaces outside the marks.
        lead = len(old_part) - len(old_part.lstrip()) if old_part.strip() else 0
        lead = min(lead, len(new_part) - len(new_part.lstrip())) if new_part.strip() else lead
        if not (old_part.strip() and new_part.strip()):
            lead = 0
        if lead:
            out.append(Segment("=", old_part[:lead]))
            old_part, new_part = old_part[lead:], new_part[lead:]
        if old_part:
            out.append(Segment("-", old_part))
        if new_part:
            out.append(Segment("+", new_part))
    return tuple(_join(out))


def _join(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for s in segments:
        if out and out[-1].op == s.op:
            out[-1] = Segment(s.op, out[-1].text + s.text)
        elif s.text:
            out.append(s)
    return out


def only_whitespace_changed(old: str, new: str) -> bool:
    """Return True when two different texts hold the same words."""
    return old != new and old.split() == new.split()
