"""A Word redline of a fact sheet: the new version, with every change as a native tracked change.

The document lists the sheet's sections and claims in the new order. Each claim
is a heading (its id), its statement, and one paragraph per field (status,
attribution, dates, figures, quotes, note, references). What changed is written
as ``w:del``/``w:ins`` revisions by ``author`` dated ``date``: a changed word or
value inside its paragraph, an added or removed field, quote or claim as whole
inserted or deleted paragraphs (paragraph marks included). Accepting every
change gives the new sheet; rejecting every change gives the old one.

How it is built: the paragraphs, with old and new text both present, go to the
DOCX writer as an ordinary document (so styles and embedded fonts cover every
character); then, in ``word/document.xml``, the runs of each paragraph that
carries a change are rebuilt as plain, inserted and deleted runs.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from factsheet import document as m
from factsheet.diff.compare import Change, ClaimDiff, SheetDiff, describe_figure, figure_keys, show
from factsheet.diff.words import word_diff
from factsheet.errors import RenderError
from factsheet.model import Claim, FactSheet

DEFAULT_AUTHOR = "factsheet"
_STATUS = {"reported": "Reported", "confirmed": "Confirmed", "disputed": "Disputed", "denied": "Denied"}


@dataclass(frozen=True)
class Piece:
    """Text in a redline paragraph: ``=`` unchanged, ``-`` deleted, ``+`` inserted."""

    op: str
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Para:
    """A paragraph of the redline; ``op`` ``+``/``-`` marks a wholly inserted or deleted paragraph."""

    kind: str  # h1, h2, h3, or a paragraph role: "", dek, meta, note
    pieces: list[Piece] = field(default_factory=list)
    op: str = "="

    @property
    def tracked(self) -> bool:
        return self.op != "=" or any(p.op != "=" for p in self.pieces)


# -- building the paragraphs -------------------------------------------------------


def _value(old: str | None, new: str | None, prose: bool = False, bold: bool = False) -> list[Piece]:
    """Return pieces showing a value that went from ``old`` to ``new``."""
    if old == new:
        return [Piece("=", old, bold)] if old else []
    if prose and old and new:
        return [Piece(s.op, s.text, bold) for s in word_diff(old, new)]
    out = []
    if old:
        out.append(Piece("-", old, bold))
    if new:
        out.append(Piece("+", new, bold))
    return out


def _line(kind: str, label: str, old: str | None, new: str | None, prose: bool = False) -> Para | None:
    """Return a "Label: value" paragraph; a value only on one side makes the whole paragraph tracked."""
    if old is None and new is None:
        return None
    head = [Piece("=", f"{label}: ", bold=True)]
    if old is None or new is None:
        op = "+" if old is None else "-"
        return Para(kind, [Piece(op, p.text, p.bold) for p in head + [Piece("=", old or new)]], op)
    return Para(kind, head + _value(old, new, prose))


def _whole(paras: list[Para], op: str) -> list[Para]:
    """Return ``paras`` as wholly inserted (``+``) or deleted (``-``) paragraphs."""
    return [Para(p.kind, [Piece(op, x.text, x.bold, x.italic) for x in p.pieces if x.op in ("=", op)], op)
            for p in paras]


def _record(value) -> str | None:
    if value is None:
        return None
    if value is True:
        return "on the record"
    if value is False:
        return "not on the record"
    return show(value)


def _attribution(old: Claim, new: Claim) -> Para:
    pieces = [Piece("=", "Attribution: ", bold=True)]
    first = True
    for name in ("who", "role", "organisation", "on_record"):
        a, b = getattr(old.attribution, name), getattr(new.attribution, name)
        if name == "on_record":
            a, b = _record(a), _record(b)
        if a is None and b is None:
            continue
        if not first:
            pieces.append(Piece("=", " · "))
        first = False
        pieces += _value(a, b)
    return Para("note", pieces)


def _citation_lines(old: Claim, new: Claim, changes: tuple[Change, ...]) -> list[Para]:
    pending = [c for c in changes if c.field == "citations"]
    out: list[Para] = []
    for cit in new.citations:
        match = next((c for c in pending if c.kind != "removed" and c.new_source == cit.source and c.new == cit.quote),
                     None)
        if match is None:
            out.append(_quote_para(cit.source, cit.source, cit.quote, cit.quote))
            continue
        pending.remove(match)
        if match.kind == "added":
            out.append(_whole([_quote_para(cit.source, cit.source, cit.quote, cit.quote)], "+")[0])
        else:
            out.append(_quote_para(match.old_source, match.new_source, match.old, match.new))
    for c in pending:
        if c.kind == "removed":
            out.append(_whole([_quote_para(c.old_source, c.old_source, c.old, c.old)], "-")[0])
    return out


def _quote_para(old_source, new_source, old_quote, new_quote) -> Para:
    pieces = [Piece("=", "Quote (", bold=True)] + _value(old_source, new_source, bold=True)
    pieces += [Piece("=", "): “", bold=True)] + _value(old_quote, new_quote, prose=True) + [Piece("=", "”")]
    return Para("note", pieces)


def claim_paras(old: Claim | None, new: Claim | None, changes: tuple[Change, ...] = ()) -> list[Para]:
    """Return the paragraphs of one claim, tracked from ``old`` to ``new``.

    With only ``new`` (an added claim) or only ``old`` (a removed one) every
    paragraph is wholly inserted or deleted.
    """
    if old is None or new is None:
        only = new or old
        return _whole(claim_paras(only, only), "+" if old is None else "-")
    out: list[Para] = [Para("h3", _value(old.id, new.id)),
                       Para("", _value(old.text, new.text, prose=True))]
    lines: list[Para | None] = []
    if old.section != new.section:
        lines.append(_line("note", "Section", old.section, new.section))
    lines.append(_line("note", "Status", _STATUS.get(old.status, old.status), _STATUS.get(new.status, new.status)))
    lines.append(_attribution(old, new))
    lines.append(_line("note", "Said on", show(old.said_on), show(new.said_on)))
    lines.append(_line("note", "Happened on", show(old.happened_on), show(new.happened_on)))
    old_figs, new_figs = figure_keys(old.figures), figure_keys(new.figures)
    for key in list(new_figs) + [k for k in old_figs if k not in new_figs]:
        lines.append(_line("note", f"Figure {key}",
                           describe_figure(old_figs[key]) if key in old_figs else None,
                           describe_figure(new_figs[key]) if key in new_figs else None))
    lines += _citation_lines(old, new, changes)
    lines.append(_line("note", "Editor’s note", old.note, new.note, prose=True))
    for name in ("contradicts", "updates"):
        a, b = getattr(old, name), getattr(new, name)
        lines.append(_line("note", name.capitalize(), ", ".join(sorted(set(a))) or None,
                           ", ".join(sorted(set(b))) or None))
    return out + [p for p in lines if p is not None]


def sheet_paras(old: FactSheet | None, new: FactSheet | None, diff: SheetDiff) -> list[Para]:
    """Return every paragraph of the redline, in the new sheet's order."""
    o = old or FactSheet(title=None, as_of=None, claims=[])
    n = new or FactSheet(title=None, as_of=None, claims=[])
    out: list[Para] = [Para("h1", _value(o.title, n.title, prose=True) or [Piece("=", "Fact sheet")])]
    if o.dek or n.dek:
        out.append(Para("dek", _value(o.dek, n.dek, prose=True)))
    counts = ", ".join(f"{diff.count(k)} {k}" for k in ("changed", "added", "removed", "renamed"))
    out.append(Para("meta", [Piece("=", f"Redline of {diff.new_name} against {diff.old_name} · "
                                        f"claims: {counts} · sheet fields changed: {len(diff.sheet)}")]))
    for label, name in (("As of", "as_of"), ("Language", "language"), ("Author", "author")):
        a, b = show(getattr(o, name)), show(getattr(n, name))
        line = _line("meta", label, a, b)
        if line is not None and (name != "language" or a != b):  # the language only when it changed
            out.append(line)
    if o.summary or n.summary:
        out.append(Para("", _value(o.summary, n.summary, prose=True)))

    by_id = {cd.id: cd for cd in diff.claims if cd.kind != "removed"}
    removed = [cd for cd in diff.claims if cd.kind == "removed"]
    old_titles = {s.id: s.title for s in o.sections}
    new_titles = {s.id: s.title for s in n.sections}
    order = list(new_titles) + [s for s in old_titles if s not in new_titles]
    placed: set[str] = set()

    def claims_of(section_id, claims):
        return [c for c in claims if c.section == section_id]

    groups: list[tuple[str | None, list[Para]]] = []
    for sid in order:
        heading = Para("h2", _value(old_titles.get(sid), new_titles.get(sid)))
        if sid not in new_titles:
            heading.op = "-"
        elif sid not in old_titles:
            heading.op = "+"
        body: list[Para] = []
        for claim in claims_of(sid, n.claims):
            body += _claim(claim, by_id)
            placed.add(claim.id)
        for cd in removed:
            if cd.old.section == sid:
                body += claim_paras(cd.old, None)
                placed.add("\0" + cd.id)
        groups.append((sid, [heading] + body))
    rest = [c for c in n.claims if c.id not in placed]
    rest_removed = [cd for cd in removed if "\0" + cd.id not in placed]
    if rest or rest_removed:
        body = [Para("h2", [Piece("=", "Claims" if not order else "Claims without a listed section")])]
        for claim in rest:
            body += _claim(claim, by_id)
        for cd in rest_removed:
            body += claim_paras(cd.old, None)
        groups.append((None, body))
    for _, paras in groups:
        out += paras
    return out


def _claim(claim: Claim, by_id: dict[str, ClaimDiff]) -> list[Para]:
    cd = by_id.get(claim.id)
    if cd is None:
        return claim_paras(claim, claim)
    if cd.kind == "added":
        return claim_paras(None, claim)
    return claim_paras(cd.old, claim, cd.changes)


# -- writing the document ------------------------------------------------------------


def revision_moment(sheet: FactSheet | None, environ=None) -> _dt.datetime:
    """Return the date of every revision: SOURCE_DATE_EPOCH if set, else the new sheet's as_of."""
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            raise RenderError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
    as_of = getattr(sheet, "as_of", None)
    if isinstance(as_of, _dt.date):
        return _dt.datetime(as_of.year, as_of.month, as_of.day)
    return _dt.datetime(1980, 1, 1)


def _model(paras: list[Para], sheet: FactSheet | None, title: str, when: _dt.datetime) -> m.Document:
    blocks = []
    for p in paras:
        inlines = tuple(m.Text(x.text, x.bold, x.italic) for x in p.pieces if x.text)
        if p.kind in ("h1", "h2", "h3"):
            blocks.append(m.Heading(int(p.kind[1]), inlines))
        else:
            blocks.append(m.Paragraph(inlines, p.kind))
    return m.Document(
        title=f"Redline: {title}", blocks=blocks, subject=f"Tracked changes to {title}",
        author=(getattr(sheet, "author", None) or ""), language=getattr(sheet, "language", None) or "en",
        date=when.date().isoformat(), footer=f"Redline · {title}",
    )


def redline_docx(old: FactSheet | None, new: FactSheet | None, diff: SheetDiff,
                 author: str | None = None, environ=None) -> bytes:
    """Return the DOCX bytes of the redline from ``old`` to ``new``."""
    from factsheet.writers.docx import write_docx

    author = author or DEFAULT_AUTHOR
    when = revision_moment(new or old, environ)
    paras = sheet_paras(old, new, diff)
    title = show(getattr(new or old, "title", None)) or diff.new_name
    base = write_docx(_model(paras, new or old, title, when))
    return _track(base, paras, author, when)


# -- tracked-change markup ------------------------------------------------------------


def _track(docx_bytes: bytes, paras: list[Para], author: str, when: _dt.datetime) -> bytes:
    from docx.oxml.ns import qn

    from factsheet.writers.docx import ooxml

    source = zipfile.ZipFile(io.BytesIO(docx_bytes))
    root = etree.fromstring(source.read("word/document.xml"))
    body = root.find(qn("w:body"))
    written = body.findall(qn("w:p"))
    if len(written) < len(paras):
        raise RenderError(f"redline: the writer produced {len(written)} paragraphs for {len(paras)}")
    revision = iter(range(1, 1_000_000))
    for para, p in zip(paras, written):
        expected = "".join(ooxml.clean_text(x.text) for x in para.pieces)
        found = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if found != expected:
            raise RenderError(f"redline: paragraph {found[:40]!r} does not match {expected[:40]!r}")
        if not para.tracked:
            continue
        for r in p.findall(qn("w:r")):
            p.remove(r)
        for piece in para.pieces:
            if not piece.text:
                continue
            if piece.op == "=":
                p.append(ooxml.text_run(piece.text, bold=piece.bold, italic=piece.italic))
            else:
                make = ooxml.inserted_run if piece.op == "+" else ooxml.deleted_run
                p.append(make(piece.text, author, when, revision_id=next(revision),
                              bold=piece.bold, italic=piece.italic))
        if para.op != "=":
            ooxml.mark_paragraph_revision(p, "ins" if para.op == "+" else "del", author, when,
                                          revision_id=next(revision))
    settings = etree.fromstring(source.read("word/settings.xml"))
    ooxml.insert_in_order(settings, ooxml.element("trackRevisions"), ooxml.SETTINGS_ORDER)
    replaced = {
        "word/document.xml": etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),
        "word/settings.xml": etree.tostring(settings, xml_declaration=True, encoding="UTF-8", standalone=True),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = replaced.get(info.filename) or source.read(info.filename)
            target.writestr(info, data, compress_type=info.compress_type)
    return out.getvalue()

