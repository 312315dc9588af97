"""Print claim-level diffs: terminal (plain or ANSI colour), Markdown, JSON, and the textconv view."""

from __future__ import annotations

import json
import re

from factsheet.review.compare import Change, ClaimDiff, SheetDiff, claim_fields, describe_figure, sheet_fields, show
from factsheet.review.words import Segment, only_whitespace_changed
from factsheet.sources.model import Claim, FactSheet

JSON_FORMAT = "factsheet-diff"
JSON_VERSION = 1
ARROW = " → "


def _one_line(text: str | None) -> str:
    """Return ``text`` on one line: a line break inside a value prints as ``\\n``."""
    return "(none)" if text is None else text.replace("\n", "\\n")


def _edges(text: str) -> tuple[str, str, str]:
    """Split ``text`` into leading spaces, the rest, and trailing spaces."""
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core)
    return text[:start], core, text[start + len(core):]


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

    def _sgr(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color and text else text

    def bold(self, t): return self._sgr("1", t)
    def old(self, t): return self._sgr("31", t)
    def new(self, t): return self._sgr("32", t)
    def dim(self, t): return self._sgr("2", t)

    def kind(self, kind: str, text: str) -> str:
        code = {"added": "1;32", "removed": "1;31", "changed": "1;33", "renamed": "1;36"}.get(kind, "1")
        return self._sgr(code, text)

    def words(self, segments) -> str:
        out = []
        for s in segments:
            text = _one_line(s.text)
            if s.op == "=":
                out.append(text)
                continue
            lead, core, trail = _edges(text)
            if self.color:
                out.append(lead + (self.old(core) if s.op == "-" else self.new(core)) + trail)
            else:
                out.append(lead + (f"[-{core}-]" if s.op == "-" else f"{{+{core}+}}") + trail)
        return "".join(out)


def _change_line(c: Change, st: _Style) -> str:
    """Return one change as a terminal line (without indentation)."""
    if c.field == "citations":
        src = c.new_source if c.kind == "added" else c.old_source
        if c.kind == "added":
            return f"citation added ({src}): {st.new('“' + _one_line(c.new) + '”')}"
        if c.kind == "removed":
            return f"citation removed ({src}): {st.old('“' + _one_line(c.old) + '”')}"
        where = c.old_source if c.old_source == c.new_source else f"{c.old_source}{ARROW}{c.new_source}"
        if c.kind == "moved":
            return f"citation moved ({st.old(c.old_source)}{ARROW}{st.new(c.new_source)}): “{_one_line(c.new)}”"
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
        out.append(st.bold(f"diff {d.old_name} {d.new_name}"))
        if d.status != "modified":
            out.append(f"  (file {d.status})")
        if d.sheet:
            out.append(st.kind("changed", "sheet"))
            out += [f"  {_change_line(c, st)}" for c in d.sheet]
        for cd in d.claims:
            if cd.kind == "renamed":
                out.append(f"{st.kind('renamed', 'renamed')} {st.old(cd.old_id)}{ARROW}{st.new(cd.id)}")
                continue
            out.append(f"{st.kind(cd.kind, cd.kind)} {st.bold(cd.id)}")
            if cd.kind == "changed":
                out += [f"  {_change_line(c, st)}" for c in cd.changes]
            else:
                paint = st.new if cd.kind == "added" else st.old
                out += [f"  {paint(line)}" for line in _claim_body(cd.new or cd.old)]
        out.append(st.dim(summary_line(d)))
    return "\n".join(out) + ("\n" if out else "")


# -- markdown -------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~&])")


def md_escape(text: str | None) -> str:
    """Return ``text`` with Markdown punctuation escaped, on one line."""
    return _MD_SPECIAL.sub(r"\\\1", _one_line(text))


def _md_del(text: str) -> str:
    lead, core, trail = _edges(text)
    return f"{lead}~~{md_escape(core)}~~{trail}" if core else text


def _md_ins(text: str) -> str:
    lead, core, trail = _edges(text)
    return f"{lead}**{md_escape(core)}**{trail}" if core else text


def _md_words(segments: tuple[Segment, ...]) -> str:
    out = []
    for i, s in enumerate(segments):
        if s.op == "=":
            out.append(md_escape(s.text))
        elif s.op == "-":
            out.append(_md_del(s.text))
            if i + 1 < len(segments) and segments[i + 1].op == "+":
                out.append(" ")  # "~~old~~ **new**", not "~~old~~**new**"
        else:
            out.append(_md_ins(s.text))
    return "".join(out)


def _md_change(c: Change) -> str:
    if c.field == "citations":
        if c.kind == "added":
            return f"- **citation added** (`{c.new_source}`): **“{md_escape(c.new)}”**"
        if c.kind == "removed":
            return f"- **citation removed** (`{c.old_source}`): ~~“{md_escape(c.old)}”~~"
        if c.kind == "moved":
            return f"- **citation moved** (~~`{c.old_source}`~~ → **`{c.new_source}`**): “{md_escape(c.new)}”"
        where = f"`{c.old_source}`" if c.old_source == c.new_source else \
            f"~~`{c.old_source}`~~ → **`{c.new_source}`**"
        return f"- **quote** ({where}): “{_md_words_or_space(c)}”"
    name = f"`{c.field}`"
    if c.kind == "added":
        return f"- {name} added: **{md_escape(c.new)}**"
    if c.kind == "removed":
        return f"- {name} removed: ~~{md_escape(c.old)}~~"
    if c.words:
        return f"- {name}: {_md_words_or_space(c)}"
    return f"- {name}: ~~{md_escape(c.old)}~~ → **{md_escape(c.new)}**"


def _md_words_or_space(c: Change) -> str:
    if only_whitespace_changed(c.old or "", c.new or ""):
        return md_escape(c.new) + " *(only spaces or line breaks changed)*"
    return _md_words(c.words)


def markdown(diffs: list[SheetDiff]) -> str:
    """Return the diffs as GitHub-flavoured Markdown for a pull-request comment."""
    out: list[str] = []
    for d in diffs:
        if not d.changed:
            continue
        title = d.path or (d.new_name if d.status != "removed" else d.old_name)
        out += [f"### `{title}`", ""]
        note = {"added": " (new file)", "removed": " (file deleted)"}.get(d.status, "")
        out += [f"{summary_line(d)}{note} · `{d.old_name}` → `{d.new_name}`", ""]
        if d.sheet:
            out += ["#### Sheet", ""] + [_md_change(c) for c in d.sheet] + [""]
        for cd in d.claims:
            if cd.kind == "renamed":
                out += [f"#### Renamed: ~~`{cd.old_id}`~~ → `{cd.id}`", "",
                        "Content unchanged.", ""]
                continue
            out += [f"#### {cd.kind.capitalize()}: `{cd.id}`", ""]
            if cd.kind == "changed":
                out += [_md_change(c) for c in cd.changes]
            else:
                mark = "**" if cd.kind == "added" else "~~"
                out += [f"- `{f}`: {mark}{md_escape(v)}{mark}" for f, v in claim_fields(cd.new or cd.old)]
            out.append("")
    if not out:
        return "No claim-level changes.\n"
    return "\n".join(out).rstrip("\n") + "\n"


# -- json -----------------------------------------------------------------------


def claim_json(claim: Claim) -> dict:
    """Return a claim's content as plain JSON values."""
    a = claim.attribution
    return {
        "id": claim.id,
        "section": claim.section,
        "text": claim.text,
        "status": claim.status,
        "attribution": {"who": a.who, "role": a.role, "organisation": a.organisation, "on_record": a.on_record},
        "said_on": show(claim.said_on),
        "happened_on": show(claim.happened_on),
        "figures": [{
            "metric": f.metric, "unit": f.unit, "value": f.value, "low": f.low, "high": f.high,
            "qualifier": f.qualifier, "as_of": show(f.as_of), "text": describe_figure(f),
        } for f in claim.figures],
        "citations": [{"source": c.source, "quote": c.quote} for c in claim.citations],
        "note": claim.note,
        "contradicts": list(claim.contradicts),
        "updates": list(claim.updates),
    }


def change_json(c: Change) -> dict:
    """Return one change as JSON: field, change, old, new (+ sources, + words)."""
    out: dict = {"field": c.field, "change": c.kind, "old": c.old, "new": c.new}
    if c.field == "citations":
        out["old_source"], out["new_source"] = c.old_source, c.new_source
    if c.words:
        out["words"] = [{"op": s.op, "text": s.text} for s in c.words]
    return out


def _claim_diff_json(cd: ClaimDiff) -> dict:
    out: dict = {"id": cd.id, "old_id": cd.old_id, "change": cd.kind}
    if cd.kind == "changed":
        out["changes"] = [change_json(c) for c in cd.changes]
    elif cd.kind in ("added", "removed"):
        out["claim"] = claim_json(cd.new or cd.old)
    return out


def to_json(diffs: list[SheetDiff]) -> dict:
    """Return the diffs as the documented JSON structure (see docs/diff.md)."""
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "changed": any(d.changed for d in diffs),
        "files": [{
            "old": d.old_name,
            "new": d.new_name,
            "status": d.status,
            "changed": d.changed,
            "counts": {**{k: d.count(k) for k in ("added", "removed", "changed", "renamed")},
                       "sheet": len(d.sheet)},
            "sheet": [change_json(c) for c in d.sheet],
            "claims": [_claim_diff_json(cd) for cd in d.claims],
        } for d in diffs],
    }


def json_text(diffs: list[SheetDiff]) -> str:
    """Return the JSON document as text: two-space indent, keys in a fixed order, UTF-8 kept."""
    return json.dumps(to_json(diffs), indent=2, ensure_ascii=False) + "\n"


# -- textconv -------------------------------------------------------------------


def textconv(sheet: FactSheet) -> str:
    """Return the canonical claim-per-block, one-field-per-line text of a sheet.

    Claims are sorted by id, figures by metric and quotes by source, so git's
    line diff of two such texts is a claim-level diff: moving a claim changes
    nothing, and each changed line names its field.
    """
    out = ["sheet"]
    out += [f"  {k}: {_one_line(v)}" for k, v in sheet_fields(sheet)]
    for claim in sorted(sheet.claims, key=lambda c: c.id):
        out += ["", f"claim {claim.id}"]
        out += [f"  {line}" for line in _claim_body(claim)]
    return "\n".join(out) + "\n"
