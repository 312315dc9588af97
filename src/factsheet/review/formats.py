"""Print claim-level diffs: terminal (plain or ANSI colour), Markdown, JSON, and the textconv view."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from factsheet.oneline import one_line
from factsheet.review.compare import Change, ClaimDiff, SheetDiff, claim_fields, describe_figure, sheet_fields
from factsheet.review.words import Segment, only_whitespace_changed
from factsheet.sources.model import Claim, DraftSheet
from factsheet.sources.revisions import StaleQuote
from factsheet.sources.schema import CLAIM

JSON_FORMAT = "factsheet-diff"
JSON_VERSION = 1
ARROW = " → "


def _one_line(text: str | None) -> str:
    """Return ``text`` as one printable line (a line break prints as ``\\n``), "(none)" for no value."""
    return "(none)" if text is None else one_line(text)


def _edges(text: str) -> tuple[str, str, str]:
    """Split ``text`` into leading spaces, the rest, and trailing spaces."""
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core)
    return text[:start], core, text[start + len(core) :]


def summary_line(diff: SheetDiff) -> str:
    """Return e.g. "3 claims changed, 1 added, 0 removed, 0 renamed; 2 sheet fields changed"."""
    if not diff.changed:
        return "no claim-level changes"
    parts = [f"{diff.count('changed')} claim{'s' * (diff.count('changed') != 1)} changed"]
    parts += [f"{diff.count(k)} {k}" for k in ("added", "removed", "renamed")]
    n = len(diff.sheet)
    return ", ".join(parts) + f"; {n} sheet field{'s' * (n != 1)} changed"


# -- terminal -------------------------------------------------------------------


class _Style:
    """ANSI styles, or none at all."""

    def __init__(self, color: bool):
        self.color = color

    def _sgr(self, code: str, text: str | None) -> str:
        # no text (a field a sheet under review leaves out) prints as an f-string prints it
        return f"\x1b[{code}m{text}\x1b[0m" if self.color and text else str(text)

    def bold(self, t: str) -> str:
        return self._sgr("1", t)

    def old(self, t: str | None) -> str:
        return self._sgr("31", t)

    def new(self, t: str | None) -> str:
        return self._sgr("32", t)

    def dim(self, t: str) -> str:
        return self._sgr("2", t)

    def kind(self, kind: str, text: str) -> str:
        code = {"added": "1;32", "removed": "1;31", "changed": "1;33", "renamed": "1;36"}.get(kind, "1")
        return self._sgr(code, text)

    def words(self, segments: Iterable[Segment]) -> str:
        out = []
        for s in segments:
            text = _one_line(s.text)
            if s.op == "=":
                out.append(text)
                continue
            lead, core, trail = _edges(text)
            # The marks stay in colour too: with the colour stripped (a log, a pasted snippet)
            # "11,000" and "14,000" must not run together.
            out.append(lead + (self.old(f"[-{core}-]") if s.op == "-" else self.new(f"{{+{core}+}}")) + trail)
        return "".join(out)


def _printable(c: Change) -> Change:
    """Return ``c`` with its names and values made one printable line each (words are done when shown)."""
    shown: dict[str, Any] = {
        k: one_line(v) for k in ("field", "old", "new", "old_source", "new_source") if (v := getattr(c, k))
    }
    return dataclasses.replace(c, **shown)


def _change_line(c: Change, st: _Style) -> str:
    """Return one change as a terminal line (without indentation)."""
    c = _printable(c)
    if c.field == "citations":
        src = c.new_source if c.kind == "added" else c.old_source
        if c.kind == "added":
            return f"citation added ({src}): {st.new('“' + _one_line(c.new) + '”')}"
        if c.kind == "removed":
            return f"citation removed ({src}): {st.old('“' + _one_line(c.old) + '”')}"
        where = c.old_source if c.old_source == c.new_source else f"{c.old_source}{ARROW}{c.new_source}"
        if c.kind == "moved":
            return (
                f"citation moved ({st.old(c.old_source)}{ARROW}{st.new(c.new_source)}): “{_one_line(c.new)}”"
            )
        return f"quote ({where}): “{_words_or_space(c, st)}”"
    if c.kind == "added":
        return f"{c.field} added: {st.new(_one_line(c.new))}"
    if c.kind == "removed":
        return f"{c.field} removed: {st.old(_one_line(c.old))}"
    if c.kind == "reordered":
        return f"{c.field} reordered: {st.old(c.old)}{ARROW}{st.new(c.new)}"
    if c.words:
        return f"{c.field}: {_words_or_space(c, st)}"
    return f"{c.field}: {st.old(_one_line(c.old))}{ARROW}{st.new(_one_line(c.new))}"


def _words_or_space(c: Change, st: _Style) -> str:
    if only_whitespace_changed(c.old or "", c.new or ""):
        return _one_line(c.new) + " " + st.dim("(only spaces or line breaks changed)")
    return st.words(c.words)


def _claim_body(claim: Claim) -> list[str]:
    return [f"{field}: {_one_line(value)}" for field, value in claim_fields(claim)]


def terminal(diffs: list[SheetDiff], color: bool = False) -> str:
    """Return the diffs for a terminal; ``color`` adds ANSI colour."""
    st = _Style(color)
    out: list[str] = []
    for d in diffs:
        if not d.changed:
            continue
        out.append(st.bold(f"diff {_one_line(d.old_name)} {_one_line(d.new_name)}"))
        if d.status != "modified":
            out.append(f"  (file {d.status})")
        if d.sheet:
            out.append(st.kind("changed", "sheet"))
            out += [f"  {_change_line(c, st)}" for c in d.sheet]
        for cd in d.claims:
            if cd.kind == "renamed":
                out.append(
                    f"{st.kind('renamed', 'renamed')} {st.old(_one_line(cd.old_id))}{ARROW}{st.new(_one_line(cd.id))}"
                )
                out += [f"  {_change_line(c, st)}" for c in cd.changes]
                continue
            out.append(f"{st.kind(cd.kind, cd.kind)} {st.bold(_one_line(cd.id))}")
            if cd.kind == "changed":
                out += [f"  {_change_line(c, st)}" for c in cd.changes]
            else:
                paint = st.new if cd.kind == "added" else st.old
                out += [f"  {paint(line)}" for line in _claim_body(cd.claim)]
        out.append(st.dim(summary_line(d)))
    return "\n".join(out) + ("\n" if out else "")


# -- markdown -------------------------------------------------------------------
#
# The Markdown carries its meaning without raw HTML, so it reads the same where
# HTML is dropped (cmark-gfm's default, chat tools, mail), where GitHub filters
# tags, and as plain text. A deletion is [-~~old~~-] and an insertion {+**new**+}:
# the brackets are git's word-diff marks, legible as text; the strike and bold
# show where Markdown is rendered. The bracket's punctuation next to each
# delimiter lets the strike and bold open and close whatever the changed text
# starts or ends with ("year~~.~~”" would not strike without it). Values escape
# every bracket, so the marks' own brackets never make a link.

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&:@])")
#: GitHub's autolinks ("www.…", "https://…", "a@b.c") would read escapes after them as text;
#: escaping ":", "@" and the dot of "www." keeps every value plain text.
_WWW = re.compile(r"(?i)(www)\.")

#: GitHub refuses a comment longer than 65,536 characters; the diff stops short of it, leaving
#: room for the heading and marker a pull-request check puts around it.
COMMENT_LIMIT = 60_000
#: What a deletion or insertion of nothing but spaces shows (in italics: a value's own words never are).
SPACE = "(space)"


def md_escape(text: str | None) -> str:
    """Return ``text`` with Markdown punctuation escaped, on one line, never turned into a link or a mention."""
    return md_quiet(_one_line(text), lambda part: _WWW.sub(r"\1\\.", _MD_SPECIAL.sub(r"\\\1", part)))


#: What GitHub turns into a notification or a link in Markdown text: @user and @org/team,
#: #123, GH-9, owner/repo#1 and e-mail addresses. A backslash does not stop it; a code span does.
_NOTIFIES = re.compile(r"[\w.+-]*@[\w./-]*\w|(?:[\w.-]+/[\w.-]+)?#\d+|\bGH-\d+", re.IGNORECASE)


def md_quiet(text: str, escape: Callable[[str], str]) -> str:
    """Return one line of text for Markdown: ``escape`` applied, each mention, reference or e-mail in a code span."""
    spans: list[list[int]] = []
    for m in _NOTIFIES.finditer(text):
        if spans and spans[-1][1] == m.start():  # "@a@a": two spans side by side would read as one
            spans[-1][1] = m.end()
        else:
            spans.append([m.start(), m.end()])
    out, at = [], 0
    for start, end in spans:
        out += [escape(text[at:start]), md_code(text[start:end])]
        at = end
    out.append(escape(text[at:]))
    return "".join(out)


def md_code(text: str | None) -> str:
    """Return ``text`` as an inline code span that no backtick inside it can close."""
    text = _one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.strip()) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_marked(markdown: str, op: str, lead: str = "", trail: str = "") -> str:
    """Return escaped Markdown as a deletion (``op`` "-") or an insertion ("+").

    Spaces at the edges of the changed text stay inside the brackets, outside the
    strike or bold, which a space next to its delimiter would undo.
    """
    if op == "-":
        return f"[-{lead}~~{markdown}~~{trail}-]"
    return f"{{+{lead}**{markdown}**{trail}+}}"


def _md_side(text: str, op: str) -> str:
    """Return plain ``text`` as a deletion or insertion."""
    lead, core, trail = _edges(_one_line(text))
    if not core:  # only spaces, which no strike or bold shows: name them
        return f"[-*{SPACE}*-]" if op == "-" else f"{{+*{SPACE}*+}}"
    return _md_marked(md_escape(core), op, lead, trail)


def _md_del(text: str) -> str:
    return _md_side(text, "-")


def _md_ins(text: str) -> str:
    return _md_side(text, "+")


def _md_words(segments: tuple[Segment, ...]) -> str:
    out = []
    for i, s in enumerate(segments):
        if s.op == "=":
            text = md_escape(s.text)
            if i and segments[i - 1].op == "-" and text.startswith("("):
                text = "\\" + text  # "-](" would open a link
            out.append(text)
        elif s.op == "-":
            out.append(_md_del(s.text))
            if i + 1 < len(segments) and segments[i + 1].op == "+":
                out.append(" ")  # copied as text, "11,000 14,000", never "11,00014,000"
        else:
            out.append(_md_ins(s.text))
    return "".join(out)


def _md_code_change(old: str | None, new: str | None) -> str:
    """Return a change of names, each as code: ``[-~~`old`~~-] → {+**`new`**+}``."""
    return f"{_md_marked(md_code(old), '-')} → {_md_marked(md_code(new), '+')}"


def _md_change(c: Change) -> str:
    if c.field == "citations":
        if c.kind == "added":
            return f"- **citation added** ({md_code(c.new_source)}): {_md_ins('“' + (c.new or '') + '”')}"
        if c.kind == "removed":
            return f"- **citation removed** ({md_code(c.old_source)}): {_md_del('“' + (c.old or '') + '”')}"
        if c.kind == "moved":
            return (
                f"- **citation moved** ({_md_code_change(c.old_source, c.new_source)}): “{md_escape(c.new)}”"
            )
        where = (
            md_code(c.old_source)
            if c.old_source == c.new_source
            else _md_code_change(c.old_source, c.new_source)
        )
        return f"- **quote** ({where}): “{_md_words_or_space(c)}”"
    name = md_code(c.field)
    if c.kind == "added":
        return f"- {name} added: {_md_ins(_one_line(c.new))}"
    if c.kind == "removed":
        return f"- {name} removed: {_md_del(_one_line(c.old))}"
    if c.kind == "reordered":
        return f"- {name} reordered: {_md_del(_one_line(c.old))} → {_md_ins(_one_line(c.new))}"
    if c.words:
        return f"- {name}: {_md_words_or_space(c)}"
    return f"- {name}: {_md_del(_one_line(c.old))} → {_md_ins(_one_line(c.new))}"


def _md_words_or_space(c: Change) -> str:
    if only_whitespace_changed(c.old or "", c.new or ""):
        return md_escape(c.new) + " *(only spaces or line breaks changed)*"
    return _md_words(c.words)


def _md_file_head(d: SheetDiff) -> list[str]:
    title = d.path or (d.new_name if d.status != "removed" else d.old_name)
    note = {"added": " (new file)", "removed": " (file deleted)"}.get(d.status, "")
    return [
        f"### {md_code(title)}",
        "",
        f"{summary_line(d)}{note} · {md_code(d.old_name)} → {md_code(d.new_name)}",
        "",
    ]


def _md_claim(cd: ClaimDiff) -> list[str]:
    if cd.kind == "renamed":
        head = [f"#### Renamed: {_md_code_change(cd.old_id, cd.id)}", ""]
        return head + ([_md_change(c) for c in cd.changes] if cd.changes else ["Content unchanged."]) + [""]
    out = [f"#### {cd.kind.capitalize()}: {md_code(cd.id)}", ""]
    if cd.kind == "changed":
        out += [_md_change(c) for c in cd.changes]
    else:
        mark = _md_ins if cd.kind == "added" else _md_del
        out += [f"- {md_code(f)}: {mark(_one_line(v))}" for f, v in claim_fields(cd.claim)]
    return out + [""]


def _md_stale(stale: Sequence[StaleQuote]) -> list[str]:
    """Return the Markdown lines listing quotes whose source the outlet has changed since they were checked."""
    if not stale:
        return []
    out = ["#### Sources changed by their outlets", ""]
    for q in stale:
        when = f" (captured {md_escape(q.captured)})" if q.captured else ""
        diff = f": {md_escape(q.fate.diff)}" if q.fate.diff else ""
        out.append(
            f"- {md_code(q.claim)}: the newer capture of {md_code(q.source)}{when} no longer holds "
            f"“{md_escape(q.quote)}”: **{q.fate.kind}**{diff}"
        )
        if q.notice:
            out.append(f"  - the page now says: {md_escape(q.notice)}")
    return out + [""]


def _md_blocks(diffs: list[SheetDiff], stale: dict[str, list[StaleQuote]]) -> list[tuple[bool, list[str]]]:
    """Return the Markdown as blocks of lines, each marked True when it is one claim's changes.

    ``stale`` maps a diff's path (or new name) to the quotes of its new side that a
    newer capture of their source no longer holds; they are listed for reviewers.
    """
    blocks: list[tuple[bool, list[str]]] = []
    for d in diffs:
        changed_sources = _md_stale(stale.get(d.path or d.new_name) or [])
        if not d.changed:
            if changed_sources:
                blocks.append((False, [f"### {md_code(d.path or d.new_name)}", "", *changed_sources]))
            continue
        blocks.append((False, _md_file_head(d) + changed_sources))
        if d.sheet:
            blocks.append((True, ["#### Sheet", ""] + [_md_change(c) for c in d.sheet] + [""]))
        blocks += [(True, _md_claim(cd)) for cd in d.claims]
    return blocks


def _md_cut_note(shown: int, total: int, limit: int) -> str:
    left = total - shown
    return (
        f"**Cut short:** {left} of {total} changed claim{'s' * (total != 1)} (or sheet fields) "
        f"{'are' if left != 1 else 'is'} not shown in full, to keep this under {limit:,} characters "
        "(a pull-request comment holds at most 65,536). Run `factsheet diff` for the whole diff."
    )


def markdown(
    diffs: list[SheetDiff], stale: dict[str, list[StaleQuote]] | None = None, limit: int = COMMENT_LIMIT
) -> str:
    """Return the diffs as Markdown for a pull-request comment, at most ``limit`` characters long.

    Past the limit whole claims are left out, and a closing line says how many. ``stale``
    lists quotes whose source changed since (see ``_md_blocks``).
    """
    blocks = _md_blocks(diffs, stale or {})
    if not blocks:
        return "No claim-level changes.\n"
    total = sum(1 for is_claim, _ in blocks if is_claim)
    room = limit - len(_md_cut_note(total, total, limit)) - 2
    out: list[str] = []
    size = shown = 0
    for is_claim, lines in blocks:
        text = "\n".join(lines) + "\n"
        if size + len(text) > room:
            out.append(_md_cut_note(shown, total, limit))
            break
        out += lines
        size += len(text)
        shown += is_claim
    return "\n".join(out).rstrip("\n") + "\n"


# -- json -----------------------------------------------------------------------


def claim_json(claim: Claim) -> dict[str, Any]:
    """Return a claim's content as plain JSON values, field by field as the schema declares them."""
    out: dict[str, Any] = CLAIM.plain(claim)
    for data, figure in zip(out["figures"], claim.figures):
        data["text"] = describe_figure(figure)  # as a reader sees it
    return out


def change_json(c: Change) -> dict[str, Any]:
    """Return one change as JSON: field, change, old, new (+ sources, + words)."""
    out: dict[str, Any] = {"field": c.field, "change": c.kind, "old": c.old, "new": c.new}
    if c.field == "citations":
        out["old_source"], out["new_source"] = c.old_source, c.new_source
    if c.words:
        out["words"] = [{"op": s.op, "text": s.text} for s in c.words]
    return out


def _claim_diff_json(cd: ClaimDiff) -> dict[str, Any]:
    out: dict[str, Any] = {"id": cd.id, "old_id": cd.old_id, "change": cd.kind}
    if cd.kind in ("changed", "renamed"):
        out["changes"] = [change_json(c) for c in cd.changes]
    elif cd.kind in ("added", "removed"):
        out["claim"] = claim_json(cd.claim)
    return out


def to_json(diffs: list[SheetDiff]) -> dict[str, Any]:
    """Return the diffs as the documented JSON structure (see docs/diff.md)."""
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "changed": any(d.changed for d in diffs),
        "files": [
            {
                "old": d.old_name,
                "new": d.new_name,
                "status": d.status,
                "changed": d.changed,
                "counts": {
                    **{k: d.count(k) for k in ("added", "removed", "changed", "renamed")},
                    "sheet": len(d.sheet),
                },
                "sheet": [change_json(c) for c in d.sheet],
                "claims": [_claim_diff_json(cd) for cd in d.claims],
            }
            for d in diffs
        ],
    }


def json_text(diffs: list[SheetDiff]) -> str:
    """Return the JSON document as text: two-space indent, keys in a fixed order, UTF-8 kept."""
    return json.dumps(to_json(diffs), indent=2, ensure_ascii=False) + "\n"


# -- textconv -------------------------------------------------------------------


def textconv(sheet: DraftSheet) -> str:
    """Return the canonical claim-per-block, one-field-per-line text of a sheet.

    Claims are sorted by id, figures by metric and quotes by source, so git's
    line diff of two such texts is a claim-level diff: moving a claim changes
    nothing, and each changed line names its field.
    """
    out = ["sheet"]
    out += [f"  {k}: {_one_line(v)}" for k, v in sheet_fields(sheet)]
    for claim in sorted(sheet.claims, key=lambda c: c.id):
        out += ["", f"claim {_one_line(claim.id)}"]
        out += [f"  {line}" for line in _claim_body(claim)]
    return "\n".join(out) + "\n"
