"""Compare two documents of the document model and return a redline: the new one, changes marked.

Generic: it knows headings, paragraphs, lists, tables, charts and footnotes, not
what a template made of a fact sheet. Rules:

* Blocks are aligned with difflib on their signatures (type, heading level or
  paragraph role, text with formatting, and the text of the notes they
  reference). Among the blocks between two aligned ones, blocks of the same
  kind (same level or role; tables with the same header; lists; charts) are
  paired by word similarity, keeping their order (at least 0.5 for headings and
  paragraphs; tables, lists and charts of one kind always pair).
* A paired heading, paragraph, list item, table cell or footnote gets a
  word-level diff: deleted and inserted runs inside it. List items and table
  rows are aligned the same way as blocks, inside their list or table.
* An unpaired old block is written wholly deleted (its paragraph mark too), an
  unpaired new one wholly inserted; likewise for list items and table rows. A
  chart that changed in any way is written deleted (the old one) then inserted.
  Deletions come before insertions.
* Footnotes follow their references. A reference only in the old document is
  written as a deleted reference, with its note (its text marked deleted); one
  only in the new document as an inserted reference with its note (text marked
  inserted). Accepting the changes removes deleted references and their notes;
  rejecting them removes inserted ones. A reference kept from old to new keeps
  its note. When the note's text changed (references are paired by their
  place, and by the similarity of their notes), ``notes="replace"`` (the
  default) writes the old reference deleted and the new one inserted, each
  with its note; ``notes="inline"`` keeps one reference and marks the words
  that changed inside the note. Word handles both; LibreOffice (7.4) drops the
  tracked changes inside every footnote that follows a footnote referenced from
  a table cell, and then shows old and new words alike as plain text, so the
  inline form is only safe for documents read in Word. The redline's notes are
  numbered 1..N in reading order, one per reference, so the document stays a
  valid document of the model.

Accepting every change gives the new document's text, rejecting every change
the old one's.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from factsheet.rendering import document as m
from factsheet.review.words import tokens as word_tokens

INS, DEL = m.INSERTED, m.DELETED
#: How a kept note reference whose note changed is written (see the module's documentation).
NOTE_MODES = ("replace", "inline")
#: Word similarity from which two blocks (or rows, items, notes) of one kind are paired.
PAIR_AT = 0.5
#: Past this many candidate pairs between two aligned blocks, blocks are not paired
#: (the old ones are deleted, the new ones inserted): pairing costs a comparison each.
MAX_CANDIDATES = 20_000

#: A comparable, hashable picture of blocks or inlines: equal when they read the same.
Signature = tuple[object, ...]
#: An item of either document (a block, a list item, a table row).
T = TypeVar("T")


# -- signatures and similarity ---------------------------------------------------------


class _Side:
    """One of the two documents, with its notes' signatures at hand."""

    def __init__(self, document: m.Document):
        self.document = document
        self._sigs: dict[int, Signature] = {}

    def note(self, number: int) -> tuple[m.Inline, ...]:
        if 1 <= number <= len(self.document.footnotes):
            return self.document.footnotes[number - 1].inlines
        return ()

    def note_sig(self, number: int) -> Signature:
        if number not in self._sigs:
            self._sigs[number] = _inline_sig(self.note(number), self)
        return self._sigs[number]


def _inline_sig(inlines: Iterable[m.Inline], side: _Side) -> Signature:
    """Return ``inlines`` as a comparable value: texts with formatting, references by their note's text."""
    out: list[tuple[object, ...]] = []
    for inline in inlines:
        if isinstance(inline, m.Text):
            if inline.text:
                out.append(("t", inline.text, inline.bold, inline.italic))
        elif isinstance(inline, m.NoteRef):
            out.append(("r", side.note_sig(inline.number)))
        else:
            out.append(("?", repr(inline)))
    return tuple(out)


def _rows_sig(rows: Iterable[Iterable[Iterable[m.Inline]]], side: _Side) -> Signature:
    return tuple(tuple(_inline_sig(cell, side) for cell in row) for row in rows)


def _block_sig(block: m.Block, side: _Side) -> Signature:
    if isinstance(block, m.Heading):
        return ("h", block.level, _inline_sig(block.inlines, side))
    if isinstance(block, m.Paragraph):
        return ("p", block.role, _inline_sig(block.inlines, side))
    if isinstance(block, m.BulletList):
        return ("ul", tuple(_inline_sig(item, side) for item in block.items))
    if isinstance(block, m.Table):
        return ("table", _rows_sig((block.header,), side), _rows_sig(block.rows, side), tuple(block.widths))
    if isinstance(block, m.Chart):
        return (
            "chart",
            block.title,
            block.alt_text,
            block.y_label,
            block.series,
            block.x_ticks,
            _inline_sig(block.caption, side),
        )
    return ("?", repr(block))


def _block_kind(block: m.Block, side: _Side) -> Signature:
    """Return what two blocks must share to be paired."""
    if isinstance(block, m.Heading):
        return ("h", block.level)
    if isinstance(block, m.Paragraph):
        return ("p", block.role)
    if isinstance(block, m.Table):
        return ("table", block.columns, _rows_sig((block.header,), side))
    return (type(block).__name__,)


def _text(inlines: Iterable[m.Inline]) -> str:
    return m.plain_text(inlines)


def _block_text(block: m.Block) -> str:
    if isinstance(block, (m.Heading, m.Paragraph)):
        return _text(block.inlines)
    if isinstance(block, m.BulletList):
        return "\n".join(_text(item) for item in block.items)
    if isinstance(block, m.Table):
        return "\n".join("\t".join(_text(c) for c in row) for row in block.rows)
    if isinstance(block, m.Chart):
        return "\n".join((block.title, block.alt_text, _text(block.caption)))
    return ""


def _words(text: str) -> list[str]:
    return [t for t in word_tokens(text) if not t.isspace()]


def similarity(old: str, new: str) -> float:
    """Return the word-sequence similarity of two texts (0 to 1); below PAIR_AT, any value below it."""
    a, b = _words(old), _words(new)
    if not a and not b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for bound in (matcher.real_quick_ratio, matcher.quick_ratio):
        value = bound()
        if value < PAIR_AT:
            return value
    return matcher.ratio()


# -- alignment -------------------------------------------------------------------------


def align(
    old: Sequence[T],
    new: Sequence[T],
    sig: Callable[[int, T], Hashable],
    score: Callable[[T, T], float],
) -> list[tuple[T | None, T | None]]:
    """Return ``(old item or None, new item or None)`` pairs covering both sequences, in order.

    Items with equal signatures are aligned by difflib; between two aligned items,
    the items left over are paired where ``score(old item, new item)`` reaches
    PAIR_AT, keeping their order and making the sum of scores as large as it can
    be. Unpaired old items come before unpaired new ones.
    """
    matcher = difflib.SequenceMatcher(
        None, [sig(0, x) for x in old], [sig(1, x) for x in new], autojunk=False
    )
    out: list[tuple[T | None, T | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += list(zip(old[i1:i2], new[j1:j2]))
        else:
            region: list[tuple[T | None, T | None]] = _pair_region(old[i1:i2], new[j1:j2], score)
            out += region
    return out


def _pair_region(
    old: Sequence[T], new: Sequence[T], score: Callable[[T, T], float]
) -> list[tuple[T | None, T | None]]:
    n, k = len(old), len(new)
    if not n or not k or n * k > MAX_CANDIDATES:
        return _unpaired(old, new)
    scores = [[score(a, b) for b in new] for a in old]
    # best[i][j]: the largest total score pairing old[i:] with new[j:] in order
    best = [[0.0] * (k + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(k - 1, -1, -1):
            value = max(best[i + 1][j], best[i][j + 1])
            if scores[i][j] >= PAIR_AT:
                value = max(value, best[i + 1][j + 1] + scores[i][j])
            best[i][j] = value
    out: list[tuple[T | None, T | None]] = []
    dels: list[T] = []
    inss: list[T] = []
    i = j = 0
    while i < n and j < k:
        if scores[i][j] >= PAIR_AT and best[i][j] == best[i + 1][j + 1] + scores[i][j]:
            out += _unpaired(dels, inss) + [(old[i], new[j])]
            dels, inss = [], []
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            dels.append(old[i])
            i += 1
        else:
            inss.append(new[j])
            j += 1
    dels += old[i:]
    inss += new[j:]
    return out + _unpaired(dels, inss)


def _unpaired(old: Iterable[T], new: Iterable[T]) -> list[tuple[T | None, T | None]]:
    """Return the old items alone, then the new ones alone."""
    out: list[tuple[T | None, T | None]] = [(a, None) for a in old]
    return out + [(None, b) for b in new]


# -- inline diff -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    key: Signature
    inline: m.Inline  # a Text holding one word, space or sign; or a NoteRef


#: One step of an inline diff: "=" (kept: old and new token), "-" (old token) or "+" (new token).
_Op = tuple[str, _Token | None, _Token | None]


def _tokens(inlines: Iterable[m.Inline], side: _Side) -> list[_Token]:
    out = []
    for inline in inlines:
        if isinstance(inline, m.Text):
            for piece in word_tokens(inline.text):
                out.append(
                    _Token(
                        ("t", piece, inline.bold, inline.italic), m.Text(piece, inline.bold, inline.italic)
                    )
                )
        elif isinstance(inline, m.NoteRef):
            out.append(_Token(("r", side.note_sig(inline.number)), inline))
        else:
            out.append(_Token(("?", repr(inline)), inline))
    return out


def _is_ref(token: _Token) -> bool:
    return isinstance(token.inline, m.NoteRef)


def _is_space(token: _Token) -> bool:
    return isinstance(token.inline, m.Text) and token.inline.text.isspace()


class Redliner:
    """Builds the redline's blocks in reading order and numbers its footnotes as it goes."""

    def __init__(self, old: m.Document, new: m.Document, notes: str = "replace"):
        if notes not in NOTE_MODES:
            raise ValueError(f"notes must be one of {', '.join(NOTE_MODES)}, not {notes!r}")
        self.old, self.new = _Side(old), _Side(new)
        self.notes = notes
        self.footnotes: list[m.Footnote] = []
        self._cited: dict[tuple[int, int, str], int] = {}  # (side, note number there, change) -> number here

    # notes

    def _note(self, inlines: Iterable[m.Inline], key: tuple[int, int, str] | None = None) -> int:
        """Return the number of a new note with ``inlines``; a note a brief cites again
        (the same ``key``: side, its number there, and the change) keeps one number."""
        if key is not None and key in self._cited:
            return self._cited[key]
        number = len(self.footnotes) + 1
        self.footnotes.append(m.Footnote(number, tuple(inlines)))
        if key is not None:
            self._cited[key] = number
        return number

    def _ref(self, ref: m.NoteRef, side: _Side, change: str) -> m.NoteRef:
        key = (id(side), ref.number, change)
        return m.NoteRef(self._note(_marked(side.note(ref.number), change), key), change)

    # inlines

    def marked(self, inlines: Iterable[m.Inline], side: _Side, change: str) -> tuple[m.Inline, ...]:
        """Return ``inlines`` of one side wholly marked ``change`` ("" to keep), their notes renumbered."""
        out: list[m.Inline] = []
        for inline in inlines:
            if isinstance(inline, m.NoteRef):
                out.append(self._ref(inline, side, change))
            elif isinstance(inline, m.Text):
                out.append(m.Text(inline.text, inline.bold, inline.italic, change))
            else:
                out.append(inline)
        return _coalesce(out)

    def inlines(self, old: Iterable[m.Inline], new: Iterable[m.Inline]) -> tuple[m.Inline, ...]:
        """Return the word-level redline of two inline sequences."""
        a, b = _tokens(old, self.old), _tokens(new, self.new)
        matcher = difflib.SequenceMatcher(None, [t.key for t in a], [t.key for t in b], autojunk=False)
        ops: list[_Op] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                ops += [("=", x, y) for x, y in zip(a[i1:i2], b[j1:j2])]
            else:
                ops += self._region(a[i1:i2], b[j1:j2])
        out: list[m.Inline] = []
        for op, x, y in _grouped(ops):
            if op == "=" and x is not None and y is not None:
                if isinstance(x.inline, m.NoteRef) and isinstance(y.inline, m.NoteRef):
                    old_note, new_note = self.old.note(x.inline.number), self.new.note(y.inline.number)
                    if self.old.note_sig(x.inline.number) == self.new.note_sig(y.inline.number):
                        key = (id(self.new), y.inline.number, "")
                        out.append(m.NoteRef(self._note(self.marked(new_note, self.new, ""), key)))
                    elif self.notes == "inline":
                        out.append(m.NoteRef(self._note(self.inlines(old_note, new_note))))
                    else:
                        out += [self._ref(x.inline, self.old, DEL), self._ref(y.inline, self.new, INS)]
                else:
                    out.append(y.inline)
            elif op == "-" and x is not None:
                out.append(_as(x.inline, DEL, lambda ref: self._ref(ref, self.old, DEL)))
            elif y is not None:
                out.append(_as(y.inline, INS, lambda ref: self._ref(ref, self.new, INS)))
        return _coalesce(out)

    def _region(self, a: list[_Token], b: list[_Token]) -> list[_Op]:
        """Return the ops for a stretch that differs; references on both sides are paired when their notes are alike."""
        if not (any(map(_is_ref, a)) and any(map(_is_ref, b))):
            return [("-", x, None) for x in a] + [("+", None, y) for y in b]

        def loose(t: _Token) -> Signature:
            return ("r",) if _is_ref(t) else t.key

        matcher = difflib.SequenceMatcher(None, [loose(t) for t in a], [loose(t) for t in b], autojunk=False)
        ops: list[_Op] = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                ops += [("-", x, None) for x in a[i1:i2]] + [("+", None, y) for y in b[j1:j2]]
                continue
            for x, y in zip(a[i1:i2], b[j1:j2]):
                if (
                    isinstance(x.inline, m.NoteRef)
                    and isinstance(y.inline, m.NoteRef)  # matched with a reference: equal keys
                    and similarity(
                        _text(self.old.note(x.inline.number)), _text(self.new.note(y.inline.number))
                    )
                    < PAIR_AT
                ):
                    ops += [("-", x, None), ("+", None, y)]
                else:
                    ops.append(("=", x, y))
        return ops

    # blocks

    def blocks(self) -> list[m.Block]:
        """Return the redline's blocks (and fill ``footnotes``)."""
        old, new = self.old, self.new
        pairs = align(
            self.old.document.blocks,
            self.new.document.blocks,
            lambda side, b: _block_sig(b, (old, new)[side]),
            self._block_score,
        )
        out: list[m.Block] = []
        for a, b in pairs:
            if a is not None and b is not None:
                out += self.pair(a, b)
            elif a is not None:
                out.append(self.block(a, old, DEL))
            elif b is not None:
                out.append(self.block(b, new, INS))
        return out

    def _block_score(self, a: m.Block, b: m.Block) -> float:
        if _block_kind(a, self.old) != _block_kind(b, self.new):
            return 0.0
        if isinstance(a, (m.Table, m.BulletList, m.Chart)):
            # same kind of table (same header), a list, a chart: always paired, the closest first
            return 0.5 + 0.5 * similarity(_block_text(a), _block_text(b))
        return similarity(_block_text(a), _block_text(b))

    def block(self, block: m.Block, side: _Side, change: str) -> m.Block:
        """Return ``block`` of one side, wholly marked ``change`` ("" to keep as it is)."""

        def mark(inlines: Iterable[m.Inline]) -> tuple[m.Inline, ...]:
            return self.marked(inlines, side, change)

        if isinstance(block, m.Heading):
            return m.Heading(block.level, mark(block.inlines), change)
        if isinstance(block, m.Paragraph):
            return m.Paragraph(mark(block.inlines), block.role, change)
        if isinstance(block, m.BulletList):
            return m.BulletList(tuple(mark(item) for item in block.items), change)
        if isinstance(block, m.Table):
            return m.Table(
                tuple(mark(c) for c in block.header),
                tuple(tuple(mark(c) for c in row) for row in block.rows),
                block.widths,
                change,
            )
        if isinstance(block, m.Chart):
            return m.Chart(
                block.title,
                mark(block.caption),
                block.alt_text,
                block.y_label,
                block.series,
                block.x_ticks,
                change,
            )
        return block

    def pair(self, a: m.Block, b: m.Block) -> list[m.Block]:
        """Return the redline of two paired blocks (of one kind)."""
        if _block_sig(a, self.old) == _block_sig(b, self.new):
            return [self.block(b, self.new, "")]
        if isinstance(a, m.Heading) and isinstance(b, m.Heading):
            return [m.Heading(b.level, self.inlines(a.inlines, b.inlines))]
        if isinstance(a, m.Paragraph) and isinstance(b, m.Paragraph):
            return [m.Paragraph(self.inlines(a.inlines, b.inlines), b.role)]
        if isinstance(a, m.BulletList) and isinstance(b, m.BulletList):
            items, changes = self._items(
                a.items,
                b.items,
                lambda x, y: self.inlines(x, y),
                lambda item, side, change: self.marked(item, side, change),
                lambda item, side: _inline_sig(item, side),
                _text,
            )
            return [m.BulletList(tuple(items), item_changes=tuple(changes))]
        if isinstance(a, m.Table) and isinstance(b, m.Table):
            header = tuple(self.inlines(x, y) for x, y in zip(a.header, b.header))
            rows, changes = self._items(
                a.rows,
                b.rows,
                lambda x, y: tuple(self.inlines(c, d) for c, d in zip(x, y)),
                lambda row, side, change: tuple(self.marked(c, side, change) for c in row),
                lambda row, side: tuple(_inline_sig(c, side) for c in row),
                lambda row: "\t".join(_text(c) for c in row),
            )
            return [m.Table(header, tuple(rows), b.widths, row_changes=tuple(changes))]
        # a chart (or a block type this module does not know) that changed: old out, new in
        return [self.block(a, self.old, DEL), self.block(b, self.new, INS)]

    def _items(
        self,
        old: Sequence[T],
        new: Sequence[T],
        diff: Callable[[T, T], T],
        mark: Callable[[T, _Side, str], T],
        sig: Callable[[T, _Side], Hashable],
        text: Callable[[T], str],
    ) -> tuple[list[T], list[str]]:
        """Return (items, their change marks): list items or table rows aligned and diffed."""
        sides = (self.old, self.new)
        pairs = align(
            old, new, lambda side, x: sig(x, sides[side]), lambda x, y: similarity(text(x), text(y))
        )
        items: list[T] = []
        changes: list[str] = []
        for x, y in pairs:
            if x is not None and y is not None:
                items.append(diff(x, y))
                changes.append("")
            elif x is not None:
                items.append(mark(x, self.old, DEL))
                changes.append(DEL)
            elif y is not None:
                items.append(mark(y, self.new, INS))
                changes.append(INS)
        return items, changes


def _with(text: m.Text, change: str) -> m.Text:
    return m.Text(text.text, text.bold, text.italic, change)


def _as(inline: m.Inline, change: str, ref: Callable[[m.NoteRef], m.NoteRef]) -> m.Inline:
    """Return a whole inline marked ``change``: a reference through ``ref``, a text as it is."""
    return ref(inline) if isinstance(inline, m.NoteRef) else _with(inline, change)


def _marked(inlines: Iterable[m.Inline], change: str) -> tuple[m.Inline, ...]:
    """Return a note's inlines (no references) with every text marked ``change``."""
    return tuple(_with(i, change) if isinstance(i, m.Text) else i for i in inlines)


@dataclass
class _Stretch:
    """Ops in a row: kept ones (``kept``), or a change's deletions and insertions."""

    kept: bool
    first: list[_Op] = field(default_factory=list)  # the kept ops, or the deletions
    second: list[_Op] = field(default_factory=list)  # the insertions

    def ops(self) -> list[_Op]:
        return self.first + self.second


def _grouped(ops: list[_Op]) -> list[_Op]:
    """Return ops with each stretch of changes as its deletions, then its insertions.

    A kept stretch of nothing but spaces between two changes joins them:
    "[-a b-]{+c d+}" reads better than "[-a-]{+c+} [-b-]{+d+}".
    """
    stretches: list[_Stretch] = []
    for op in ops:
        if op[0] == "=":
            if stretches and stretches[-1].kept:
                stretches[-1].first.append(op)
            else:
                stretches.append(_Stretch(True, [op]))
        else:
            if not stretches or stretches[-1].kept:
                stretches.append(_Stretch(False))
            (stretches[-1].first if op[0] == "-" else stretches[-1].second).append(op)
    merged: list[_Stretch] = []
    for s in stretches:
        if (
            not s.kept
            and len(merged) >= 2
            and merged[-1].kept
            and not merged[-2].kept
            and all(y is not None and _is_space(y) for _, _, y in merged[-1].first)
        ):
            spaces = merged.pop().first
            merged[-1].first += [("-", x, None) for _, x, _ in spaces] + s.first
            merged[-1].second += [("+", None, y) for _, _, y in spaces] + s.second
        else:
            merged.append(s)
    out: list[_Op] = []
    for s in merged:
        out += s.ops()
    return out


def _coalesce(inlines: Iterable[m.Inline]) -> tuple[m.Inline, ...]:
    """Return ``inlines`` with neighbouring texts of the same formatting and mark joined."""
    out: list[m.Inline] = []
    for inline in inlines:
        if isinstance(inline, m.Text) and not inline.text:
            continue
        last = out[-1] if out else None
        if (
            isinstance(inline, m.Text)
            and isinstance(last, m.Text)
            and (last.bold, last.italic, last.change) == (inline.bold, inline.italic, inline.change)
        ):
            out[-1] = m.Text(last.text + inline.text, last.bold, last.italic, last.change)
        else:
            out.append(inline)
    return tuple(out)


def redline(
    old: m.Document, new: m.Document, author: str, date: str = "", notes: str = "replace"
) -> m.Document:
    """Return ``new`` with the changes from ``old`` marked, by ``author`` at ``date`` (ISO).

    The metadata (title, language, date, footer…) are the new document's.
    ``notes`` says how a changed note is written: "replace" or "inline".
    """
    builder = Redliner(old, new, notes)
    blocks = builder.blocks()
    # every other field (paper, profiles, linked data) is the new document's
    return dataclasses.replace(
        new, blocks=blocks, footnotes=builder.footnotes, revision_author=author, revision_date=date
    )


def count_changes(document: m.Document) -> tuple[int, int]:
    """Return (insertions, deletions): the marked runs of text and note references of ``document``."""
    counts = {INS: 0, DEL: 0, "": 0}

    def inlines(items: Iterable[m.Inline], change: str = "") -> None:
        for inline in items:
            mark = getattr(inline, "change", "") or change
            if isinstance(inline, m.NoteRef) or (isinstance(inline, m.Text) and inline.text):
                counts[mark] = counts.get(mark, 0) + 1

    for block in document.blocks:
        change = getattr(block, "change", "")
        if isinstance(block, (m.Heading, m.Paragraph)):
            inlines(block.inlines, change)
        elif isinstance(block, m.BulletList):
            for index, item in enumerate(block.items):
                inlines(item, block.item_change(index))
        elif isinstance(block, m.Table):
            for cell in block.header:
                inlines(cell, change)
            for index, row in enumerate(block.rows):
                for cell in row:
                    inlines(cell, block.row_change(index))
        elif isinstance(block, m.Chart):
            inlines((m.Text(block.title), m.Text(block.alt_text), *block.caption), change)
    for note in document.footnotes:
        inlines(note.inlines)
    return counts[INS], counts[DEL]
