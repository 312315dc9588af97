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

from dataclasses import dataclass, field

#: Paragraph style -> structure type of a planned paragraph outside lists.
_ROLE_OF_STYLE = {"h1": "H1", "h2": "H2", "h3": "H3"}


@dataclass(eq=False)
class Node:
    """One structure element: its type, children and the content drawn for it."""

    role: str
    kids: list[Node] = field(default_factory=list)
    #: (page, MCID) of every marked-content sequence drawn for this node, in drawing order
    content: list[tuple[int, int]] = field(default_factory=list)
    #: (page, index in the page's annotations) of the link annotations drawn with this node
    annotations: list[tuple[int, int]] = field(default_factory=list)
    #: the Link children that take this node's annotations, one each, in order
    links: list[Node] = field(default_factory=list)
    #: annotations drawn with repetitions of this node's content, one list per repetition
    repeated: list[list[tuple[int, int]]] = field(default_factory=list)
    alt: str = ""  # text alternative (Figure)
    contents: str = ""  # the /Contents of a Link's annotation
    scope: str = ""  # Column or Row (TH)
    ident: str = ""  # /ID (Note)
    bbox: tuple[float, float, float, float] | None = None  # Figure, in page coordinates

    def add(self, role: str, **kw) -> Node:
        """Return a new child node of type ``role``, appended after the others."""
        node = Node(role, **kw)
        self.kids.append(node)
        return node


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

    def start_page(self, canv) -> None:
        """Open the artifact that holds whatever the page draws outside marked flowables."""
        canv._code.append("/Artifact BMC")

    def end_page(self, canv) -> None:
        """Close the page's artifact."""
        canv._code.append("EMC")

    def begin(self, canv, flowable, node: Node, x: float, y: float) -> None:
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
        mcid = self._next.get(page, 0)
        self._next[page] = mcid + 1
        self.marks.append(Mark(page, mcid, node, len(canv._annotationrefs)))
        node.content.append((page, mcid))
        if node.role == "Figure":
            w, h = getattr(flowable, "width", 0), getattr(flowable, "height", 0)
            node.bbox = (x, y, x + w, y + h)
        canv._code.append(f"EMC /{node.role} <</MCID {mcid}>> BDC")
        self._code_start = len(canv._code)
        self._depth += 1

    def end(self, canv) -> None:
        """Close the sequence opened last and go back to the page's artifact."""
        if self._repeats:
            self._repeats -= 1
            return
        self._depth -= 1
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
        canv._code.append("EMC /Artifact BMC")

    def language_start(self, canv, kind, label) -> None:
        """Canvas callback where text in language ``label`` starts: open a span with /Lang."""
        tx = self._text_object(canv)
        if tx is not None:
            tx._code.append(f"/Span <</Lang ({label})>> BDC")
            self._spans.append(label)

    def language_end(self, canv, kind, label) -> None:
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

    def _text_object(self, canv):
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

    def drawOn(self, canvas, x, y, _sW=0):
        tagger = getattr(canvas, "fs_tagger", None)
        if tagger is None or self.struct is None:
            return super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        tagger.begin(canvas, self, self.struct, x, y)
        try:
            return super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        finally:
            tagger.end(canvas)

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)  # type: ignore[misc]
        for part in parts:
            if isinstance(part, Marked):
                part.struct = self.struct
        return parts


def _add_table(root: Node, block, attach) -> None:
    """Add a planned table's element: a header row of column headings, then its rows."""
    table = root.add("Table")
    head = table.add("TR")
    for cell in block.header:
        attach(cell, head.add("TH", scope="Column"))
    for row in block.rows:
        tr = table.add("TR")
        for cell in row:
            attach(cell, tr.add("TD"))


def build_structure(blocks, notes: dict) -> tuple[Node, dict[int, Node]]:
    """Return the Document node for planned ``blocks`` and the Note node of each note number.

    Each planned paragraph gets its node as ``.node``. A note sits in the element
    that cites it, right after its Reference, so it is read after the text that
    cites it and not where it is drawn at the foot of the page.
    """
    root = Node("Document")
    note_nodes: dict[int, Node] = {}

    def attach(para, node: Node) -> None:
        para.node = node
        # A repeated reference (a note cited again) is a link to the note as well, with no Note
        # of its own; the links are taken in the order they are drawn.
        for number in getattr(para, "links", ()) or para.refs:
            reference = node.add("Reference")
            link = reference.add("Link", contents=f"Footnote {number}")
            node.links.append(link)
            if number not in note_nodes and number in notes:
                note = node.add("Note", ident=f"fsnote-{number}")
                back = note.add("Link", contents=f"Back to the reference to footnote {number}")
                note.links.append(back)
                note_nodes[number] = note

    current_list: Node | None = None
    for block in blocks:
        kind = type(block).__name__
        if kind != "_Para" or not block.bullet or not block.style.startswith("bullet"):
            current_list = None
        if kind == "_Para":
            if block.bullet and block.style.startswith("bullet"):
                if current_list is None:
                    current_list = root.add("L")
                attach(block, current_list.add("LI").add("LBody"))
                if block.style == "bullet_last":
                    current_list = None
            else:
                attach(block, root.add(_ROLE_OF_STYLE.get(block.style, "P")))
        elif kind == "_Table":
            _add_table(root, block, attach)
        elif kind == "_Chart":
            chart = block.chart
            block.node = root.add("Figure", alt=" ".join((chart.alt_text or chart.title or "Chart").split()))
            if block.caption is not None:
                attach(block.caption, root.add("P"))
    return root, note_nodes
