"""Marked content drawn with the PDF brief, and the logical structure it belongs to."""

# Tagging happens in two steps. Before layout, :func:`build_structure` turns the
# planned blocks into a tree of :class:`Node` (headings, paragraphs, lists,
# tables, the figure, references and their notes, in reading order). While
# drawing, every flowable that carries a node (``Marked``) wraps what it draws in
# a ``BDC``/``EMC`` marked-content sequence with a fresh MCID, and the
# :class:`Tagger` records which node each MCID (and each link annotation made
# while drawing it) belongs to. After layout, :mod:`factsheet.writers.pdf.structtree`
# writes that tree into the file. Anything drawn outside a node (page footer,
# page number, note separator, table grid and fills, repeated table headers)
# is marked as an artifact while drawing.
#
# Like the footnote engine, this reads reportlab internals (the canvas's
# ``_code`` and ``_annotationrefs``, a callback's ``_curr_tx_info``); pyproject.toml
# pins the reportlab major version and the tests validate the result.

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.pdfgen.textobject import PDFTextObject
    from reportlab.platypus import Flowable

#: The slots of a node that has none (see Node).
_NOTHING: Mapping[tuple[int, int], int] = MappingProxyType({})
#: Paragraph style -> structure type of a planned paragraph outside lists.
_ROLE_OF_STYLE = {"h1": "H1", "h2": "H2", "h3": "H3"}


@dataclass(eq=False, slots=True)
class Node:
    """One structure element: its type, children and the content drawn for it.

    A long brief has tens of thousands of nodes: what most of them never have
    (links, annotations, inline elements, slots) is an empty tuple or mapping
    shared by all, replaced by a new one when something is added (``with_``).
    """

    role: str
    kids: list[Node] = field(default_factory=list)
    #: (page, MCID) of every marked-content sequence drawn for this node, in drawing order
    content: list[tuple[int, int]] = field(default_factory=list)
    #: (page, index in the page's annotations) of the link annotations drawn with this node
    annotations: Sequence[tuple[int, int]] = ()
    #: the Link children that take this node's annotations, one each, in order
    links: Sequence[Node] = ()
    #: annotations drawn with repetitions of this node's content, one list per repetition
    repeated: Sequence[Sequence[tuple[int, int]]] = ()
    alt: str = ""  # text alternative (Figure)
    contents: str = ""  # the /Contents of a Link's annotation
    scope: str = ""  # Column or Row (TH)
    rowspan: int = 1  # the rows a row header (TH) spans
    ident: str = ""  # /ID (Note)
    bbox: tuple[float, float, float, float] | None = None  # Figure, in page coordinates
    #: for content drawn between children: (page, MCID) -> index of the child it comes before
    slots: Mapping[tuple[int, int], int] = field(default_factory=lambda: _NOTHING)
    #: the inline elements drawn inside this node's text (Reference, Strong, Em), in order,
    #: each with the index of the child after it (and after the notes a Reference brings)
    inline: Sequence[tuple[Node, int]] = ()
    label: Node | None = None  # the Lbl that takes the text drawn as the paragraph's bullet
    cursor: int = 0  # the child index before which text drawn next goes
    drawn_inline: int = 0  # how many of ``inline`` have started drawing
    drawn: bool | None = None  # whether anything of it was drawn, once asked (structtree)

    def add(self, role: str, **kw: Any) -> Node:
        """Return a new child node of type ``role``, appended after the others."""
        node = Node(role, **kw)
        self.kids.append(node)
        return node

    def place(self, page: int, mcid: int, slot: int) -> None:
        """Draw the marked content ``mcid`` of ``page`` before child ``slot``."""
        self.slots = {**self.slots, (page, mcid): slot}


def notes_alt(numbers: Iterable[int]) -> str:
    """Return how a group of note marks is read: "note 4", "notes 1 and 3", "notes 1, 2 and 3"."""
    words = [str(n) for n in numbers]
    if len(words) == 1:
        return f"note {words[0]}"
    return f"notes {', '.join(words[:-1])} and {words[-1]}"


@dataclass
class _Inline:
    """The inline structure being drawn in one paragraph's text (see Tagger.inline)."""

    node: Node
    first: int  # the MCID allocated for the text that starts this part of the paragraph
    element: Node | None = None  # the inline element open, if any
    links: int = 0  # Link children of the open Reference started so far


@dataclass(frozen=True)
class Mark:
    """A marked-content sequence: the page, its MCID, its node and the page's annotation count before it."""

    page: int
    mcid: int  # -1 for a repetition, drawn as an artifact
    node: Node
    annotations_before: int


class Tagger:
    """Numbers marked content per page while the canvas draws, and remembers its nodes.

    Page content is always inside exactly one marked-content sequence: a node's
    content while a ``Marked`` flowable draws, else an artifact (the page's
    footer, page number, note separator, table grid and fills). Marked-content
    operators need only nest with text objects, and they are written between
    flowables, never inside one's text or path.
    """

    def __init__(self) -> None:
        self.marks: list[Mark] = []
        self._next: dict[int, int] = {}
        self._depth = 0  # open Marked draws (a table cell inside a table, if ever marked)
        self._repeats = 0  # open repetitions, already inside the page's artifact
        self._spans: list[str] = []  # languages of the spans open in the text being drawn
        self._code_start = 0  # where the current Marked draw's code starts in the page's code
        self._inline: _Inline | None = None  # the paragraph whose text carries inline elements

    def start_page(self, canv: Canvas) -> None:
        """Open the artifact that holds whatever the page draws outside marked flowables."""
        canv._code.append("/Artifact BMC")

    def end_page(self, canv: Canvas) -> None:
        """Close the page's artifact."""
        canv._code.append("EMC")

    def begin(self, canv: Canvas, flowable: Flowable, node: Node, x: float, y: float) -> None:
        """Open a marked-content sequence for ``flowable``'s drawing."""
        page = canv.getPageNumber()
        if self._repeats or self._depth or getattr(flowable, "_fs_drawn", False):
            # the same flowable drawn again is a repetition (a table's header row on a
            # continuation page): reading it twice would be wrong, so it stays an artifact;
            # its links (a note's link back to a reference on this page) still belong to it
            self.marks.append(Mark(page, -1, node, len(canv._annotationrefs)))
            self._repeats += 1
            return
        flowable._fs_drawn = True
        mcid = self._mcid(page)
        self.marks.append(Mark(page, mcid, node, len(canv._annotationrefs)))
        node.content.append((page, mcid))
        if node.inline or node.label is not None:
            # marked inside its text object, where inline elements split it (see end)
            node.place(page, mcid, node.cursor)
            self._inline = _Inline(node, mcid)
            self._code_start = len(canv._code)
            self._depth += 1
            return
        if node.role == "Figure":
            w, h = getattr(flowable, "width", 0), getattr(flowable, "height", 0)
            node.bbox = (x, y, x + w, y + h)
        canv._code.append(f"EMC /{node.role} <</MCID {mcid}>> BDC")
        self._code_start = len(canv._code)
        self._depth += 1

    def _mcid(self, page: int) -> int:
        mcid = self._next.get(page, 0)
        self._next[page] = mcid + 1
        return mcid

    def end(self, canv: Canvas) -> None:
        """Close the sequence opened last and go back to the page's artifact."""
        if self._repeats:
            self._repeats -= 1
            return
        self._depth -= 1
        self._close_spans(canv)
        if self._inline is not None:
            self._mark_text(canv, self._inline.node, self._inline.first)
            self._inline = None
            return
        canv._code.append("EMC /Artifact BMC")

    def _close_spans(self, canv: Canvas) -> None:
        if self._spans:
            # a paragraph split inside a foreign-language span: close the span before the
            # text object ends; the part on the next page opens it again (language_end)
            for i in range(len(canv._code) - 1, self._code_start - 1, -1):
                code = canv._code[i]
                if isinstance(code, str) and code.rstrip().endswith("ET"):
                    cut = code.rstrip().rfind("ET")
                    canv._code[i] = code[:cut] + "EMC " * len(self._spans) + code[cut:]
                    break
            self._spans.clear()

    def _mark_text(self, canv: Canvas, node: Node, first: int) -> None:
        """Mark a paragraph's text inside its text object, its bullet as its Lbl; the rest stays artifact.

        The paragraph's own marked content opens right after ``BT`` and closes right
        before ``ET``, so that the inline elements drawn in between can close and reopen
        it (marked content must nest with text objects).
        """
        page = canv.getPageNumber()
        code = canv._code
        texts = [
            i
            for i in range(self._code_start, len(code))
            if isinstance(code[i], str) and code[i].startswith("BT") and code[i].rstrip().endswith("ET")
        ]
        if node.label is not None and len(texts) > 1:
            label = self._mcid(page)
            node.label.content.append((page, label))
            i = texts.pop(0)
            code[i] = f"EMC /Lbl <</MCID {label}>> BDC {code[i]} EMC /Artifact BMC"
        for n, i in enumerate(texts):
            mcid = first if n == 0 else self._mcid(page)
            if n:
                node.content.append((page, mcid))
                node.place(page, mcid, node.cursor)
            body = code[i].rstrip()
            code[i] = f"EMC BT /{node.role} <</MCID {mcid}>> BDC{body[2:-2]}EMC ET /Artifact BMC"
        if not texts:  # nothing drawn as text: the MCID opened in begin marks nothing
            code.append(f"EMC /{node.role} <</MCID {first}>> BDC EMC /Artifact BMC")

    def inline(self, canv: Canvas, kind: str, label: str) -> None:
        """Canvas callback where an inline element or one of its parts starts or ends.

        ``start``/``end``: a reference group or a Strong/Em element (the paragraph's
        own text stops and starts again); ``link``/``/link``: one note mark of the group;
        ``sep``/``/sep``: the comma between two marks, the Reference's own content.
        """
        state = self._inline
        tx = self._text_object(canv)
        if state is None or tx is None:
            return
        page = canv.getPageNumber()
        node = state.node
        if label == "start":
            element, _ = node.inline[node.drawn_inline]
            state.element, state.links = element, 0
            tx._code.append("EMC")
            if element.role != "Reference":
                tx._code.append(self._open(element, page, 0))
        elif label == "end":
            element, after = node.inline[node.drawn_inline]
            node.drawn_inline += 1
            if element.role != "Reference":
                tx._code.append("EMC")
            node.cursor = after
            tx._code.append(self._open(node, page, after))
            state.element = None
        elif label == "link" and state.element is not None:
            tx._code.append(self._open(state.element.kids[state.links], page, 0))
            state.links += 1
        elif label == "sep" and state.element is not None:
            tx._code.append(self._open(state.element, page, state.links))
        elif label in ("/link", "/sep"):
            tx._code.append("EMC")

    def _open(self, node: Node, page: int, slot: int) -> str:
        """Return the operator that opens new marked content of ``node``, placed before child ``slot``."""
        mcid = self._mcid(page)
        node.content.append((page, mcid))
        if slot:
            node.place(page, mcid, slot)
        return f"/{node.role} <</MCID {mcid}>> BDC"

    def language_start(self, canv: Canvas, kind: str, label: str) -> None:
        """Canvas callback where text in language ``label`` starts: open a span with /Lang."""
        tx = self._text_object(canv)
        if tx is not None:
            tx._code.append(f"/Span <</Lang ({label})>> BDC")
            self._spans.append(label)

    def language_end(self, canv: Canvas, kind: str, label: str) -> None:
        """Canvas callback where text in language ``label`` ends: close its span."""
        tx = self._text_object(canv)
        if tx is None:
            return
        if self._spans:
            self._spans.pop()
        else:  # the span started in the part of the paragraph on the page before
            at = 1 if tx._code[:1] == ["BT"] else 0  # just inside the text object
            tx._code.insert(at, f"/Span <</Lang ({label})>> BDC")
        tx._code.append("EMC")

    def _text_object(self, canv: Canvas) -> PDFTextObject | None:
        """Return the text object being drawn inside a marked flowable, or None."""
        if not self._depth or self._repeats:
            return None
        return getattr(canv, "_curr_tx_info", {}).get("tx")


class Marked:
    """Mixin for flowables whose drawing belongs to a structure node (``struct``).

    Without a node, or on a canvas with no tagger, it draws as the base class does.
    Parts made by splitting keep the node: a paragraph continued on the next page is
    still one paragraph.
    """

    struct: Node | None = None

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        tagger = getattr(canvas, "fs_tagger", None)
        if tagger is None or self.struct is None:
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
            return
        tagger.begin(canvas, self, self.struct, x, y)
        try:
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        finally:
            tagger.end(canvas)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)  # type: ignore[misc]
        for part in parts:
            if isinstance(part, Marked):
                part.struct = self.struct
        return parts


#: A block or note of the PDF writer's plan (``render``'s ``_Para``, ``_Table``, ``_Chart``),
#: told apart by class name: ``render`` imports this module, so the types are not named here.
Planned: TypeAlias = Any


def build_structure(blocks: Iterable[Planned], notes: dict[int, Planned]) -> tuple[Node, dict[int, Node]]:
    """Return the Document node for planned ``blocks`` and the Note node of each note number.

    Each planned paragraph gets its node as ``.node``. A note sits in the element
    that cites it, right after its Reference, so it is read after the text that
    cites it and not where it is drawn at the foot of the page.
    """
    builder = _StructureBuilder(notes)
    for block in blocks:
        builder.block(block)
    return builder.root, builder.note_nodes


def _is_bullet(block: Planned) -> bool:
    return type(block).__name__ == "_Para" and bool(block.bullet) and block.style.startswith("bullet")


class _StructureBuilder:
    """The structure tree of planned blocks, built block by block."""

    def __init__(self, notes: dict[int, Planned]):
        self.notes = notes
        self.root = Node("Document")
        self.note_nodes: dict[int, Node] = {}
        self.current_list: Node | None = None

    def block(self, block: Planned) -> None:
        kind = type(block).__name__
        if not _is_bullet(block):
            self.current_list = None
        if kind == "_Para":
            self.para(block)
        elif kind == "_Table":
            self.table(block)
        elif kind == "_Chart":
            self.chart(block)

    def para(self, block: Planned) -> None:
        if not _is_bullet(block):
            self.attach(block, self.root.add(_ROLE_OF_STYLE.get(block.style, "P")))
            return
        if self.current_list is None:
            self.current_list = self.root.add("L")
        item = self.current_list.add("LI")
        label = item.add("Lbl")
        body = item.add("LBody")
        body.label = label
        self.attach(block, body)
        if block.style == "bullet_last":
            self.current_list = None

    def table(self, block: Planned) -> None:
        table = self.root.add("Table")
        head = table.add("THead").add("TR")
        for cell in block.header:
            self.attach(cell, head.add("TH", scope="Column"))
        body = table.add("TBody")
        for r, row in enumerate(block.rows):
            tr = body.add("TR")
            span = block.spans[r] if r < len(block.spans) else -1
            for c, cell in enumerate(row):
                if c == 0 and span == 0:
                    continue  # under the row header above, which spans this row
                if c == 0 and span > 0:
                    self.attach(cell, tr.add("TH", scope="Row", rowspan=span))
                else:
                    self.attach(cell, tr.add("TD"))

    def chart(self, block: Planned) -> None:
        chart = block.chart
        block.node = self.root.add("Figure", alt=" ".join((chart.alt_text or chart.title or "Chart").split()))
        if block.caption is not None:
            self.attach(block.caption, self.root.add("P"))

    def attach(self, para: Planned, node: Node) -> None:
        para.node = node
        # Each group of note marks is a Reference with a Link per mark, read as "notes 1
        # and 3", followed by the Notes it cites first. A repeated reference (a note cited
        # again) is a link to the note as well, with no Note of its own; the links are taken
        # in the order they are drawn.
        inline = getattr(para, "inline", ())
        groups = [numbers for role, numbers in inline if role == "Reference"]
        if not groups:  # an untagged-style plan: one reference per note mark
            groups = [(n,) for n in (getattr(para, "links", ()) or para.refs)]
        elements = iter(inline) if inline else iter(("Reference", g) for g in groups)
        for role, numbers in elements:
            if role != "Reference":
                node.inline = [*node.inline, (node.add(role), len(node.kids))]
                continue
            reference = self.reference(node, numbers)
            if inline:
                node.inline = [*node.inline, (reference, len(node.kids))]

    def reference(self, node: Node, numbers: tuple[int, ...]) -> Node:
        """Add a Reference with a Link per note mark, then the Notes it cites first."""
        reference = node.add("Reference", alt=notes_alt(numbers))
        for number in numbers:
            link = reference.add("Link", contents=f"Note {number}")
            node.links = [*node.links, link]
        for number in numbers:
            if number not in self.note_nodes and number in self.notes:
                self.note_nodes[number] = self.cite(node, number)
        return reference

    def cite(self, node: Node, number: int) -> Node:
        note = node.add("Note", ident=f"fsnote-{number}")
        note.label = note.add("Lbl")
        note.cursor = 1  # the note's text follows its number
        for role, _ in getattr(self.notes[number], "inline", ()):
            note.inline = [*note.inline, (note.add(role), len(note.kids))]
        back = note.add("Link", contents=f"Back to the reference to note {number}")
        note.links = [*note.links, back]
        return note
