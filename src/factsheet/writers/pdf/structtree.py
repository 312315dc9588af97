"""Write the brief's logical structure into the PDF as reportlab writes it (PDF/UA-1): the tree and its tagged links."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObjectReference, PDFString, format

from factsheet.errors import RenderError
from factsheet.writers.pdf import pdffile
from factsheet.writers.pdf.tagging import Mark, Node, Tagger

if TYPE_CHECKING:
    from reportlab.pdfbase.pdfdoc import PDFDocument

#: A structure element's kid as it stands in the file: an MCID, a reference, a dictionary.
_Kid = bytes


def write_structure(doc: PDFDocument, root: Node, tagger: Tagger) -> None:
    """Add the structure tree of ``root`` to ``doc``, whose pages are drawn, and tag its links.

    The elements are written as bytes at once, in a block of object numbers of
    their own (``pdffile.reserve``): tens of thousands of them in a long brief
    would take many times the memory as reportlab's objects.
    """
    pages = list(doc.Pages.pages)
    _assign_annotations(tagger.marks, [len(_annotations(page)) for page in pages])
    tree, parent_tree = pdffile.reserve(doc), pdffile.reserve(doc)
    writer = _TreeWriter(doc, pages)
    document = writer.element(root, tree)
    if document is None:  # a document with nothing in it
        document = pdffile.reserve(doc)
        pdffile.put(doc, document, b"<< /Type /StructElem /S /Document /P %s /K [] >>" % _ref(tree))

    nums: list[bytes] = []
    for index, page in enumerate(pages):
        numbered = writer.by_page.get(index + 1)
        entries: dict[str, object] = {}
        if numbered:
            entries["StructParents"] = index
            nums.append(b"%d [%s]" % (index, b" ".join(_ref(numbered[m]) for m in range(len(numbered)))))
        if _annotations(page):
            entries["Tabs"] = "/S"
        if entries:
            pdffile.amend(page, **entries)
    nums += [b"%d %s" % (key, _ref(element)) for key, element in writer.annotation_parents]
    pdffile.put(doc, parent_tree, b"<< /Nums [%s] >>" % b"\n".join(nums))
    writer.by_page.clear()

    said = [b"/Type /StructTreeRoot", b"/K " + _ref(document), b"/ParentTree " + _ref(parent_tree)]
    said.append(b"/ParentTreeNextKey %d" % writer.next_key)
    if writer.ids:
        names = b" ".join(
            writer.string(i) + b" " + _ref(e) for i, e in sorted(writer.ids, key=lambda p: p[0])
        )
        said.append(b"/IDTree << /Names [%s] >>" % names)
    if writer.roles & set(_ROLE_MAP):
        # PDF 1.7 has no Strong or Em: name each for what it is, read as the standard Span
        roles = sorted(writer.roles & set(_ROLE_MAP))
        said.append(b"/RoleMap << %s >>" % b" ".join(b"/%s /Span" % r.encode() for r in roles))
    pdffile.put(doc, tree, b"<< %s >>" % b" ".join(said))
    pdffile.amend(
        doc.Catalog,
        StructTreeRoot=_ref(tree),
        MarkInfo=PDFDictionary({"Marked": "true"}),
        ViewerPreferences=PDFDictionary({"DisplayDocTitle": "true"}),
    )


def _ref(number: int) -> bytes:
    return b"%d 0 R" % number


def _annotations(page: Any) -> list[PDFObjectReference]:
    """Return the references to a drawn page's annotations, in the order they were made."""
    return list(page.Annots or ())


#: structure types beyond PDF 1.7's standard ones, and the standard type each is read as
_ROLE_MAP = {"Strong": "Span", "Em": "Span"}


def _assign_annotations(marks: list[Mark], counts: list[int]) -> None:
    """Give each link annotation to the node drawn when it was made, then to that node's Link children.

    An annotation belongs to the marked content open when it was made, or to the
    one drawn last before it on its page (a note's link back to its reference is
    made right after the note is drawn). ``counts`` are the pages' numbers of annotations.
    """
    by_page: dict[int, list[Mark]] = {}
    for mark in marks:
        by_page.setdefault(mark.page, []).append(mark)
    for number, count in enumerate(counts, 1):
        page_marks = by_page.get(number, [])
        owned: dict[int, list[tuple[int, int]]] = {}
        for index in range(count):
            owner = None
            for i, mark in enumerate(page_marks):
                if mark.annotations_before <= index:
                    owner = i
                else:
                    break
            if owner is None:
                raise RenderError(f"link {index + 1} on page {number} was drawn outside any tagged content")
            owned.setdefault(owner, []).append((number, index))
        for i, made in owned.items():
            mark = page_marks[i]
            if mark.mcid < 0:
                mark.node.repeated = [*mark.node.repeated, made]
            else:
                mark.node.annotations = [*mark.node.annotations, *made]
    _hand_to_links(_walk(by_page))


def _walk(by_page: dict[int, list[Mark]]) -> Iterator[Node]:
    seen: set[int] = set()
    for marks in by_page.values():
        for mark in marks:
            if id(mark.node) not in seen:
                seen.add(id(mark.node))
                yield mark.node


def _hand_to_links(nodes: Iterable[Node]) -> None:
    for node in nodes:
        for made in node.repeated:  # a repeated note's link back: its Link has one more
            if len(made) > len(node.links):
                raise RenderError(
                    f"a repeated {node.role} element drew {len(made)} links for {len(node.links)} references"
                )
            for link, annotation in zip(node.links, made):
                link.annotations = [*link.annotations, annotation]
        if not node.annotations:
            continue
        if len(node.annotations) != len(node.links):
            raise RenderError(
                f"a {node.role} element drew {len(node.annotations)} links for {len(node.links)} "
                "references: the tagged PDF would not match its links"
            )
        for link, annotation in zip(node.links, node.annotations):
            link.annotations = [*link.annotations, annotation]


class _TreeWriter:
    """Writes Nodes as structure element objects and collects the parent tree."""

    def __init__(self, doc: PDFDocument, pages: list[Any]):
        self.doc = doc
        self.pages = [format(doc.Reference(page), doc) for page in pages]
        self.annotations = [_annotations(page) for page in pages]
        #: page number -> MCID -> object number of the structure element that owns it
        self.by_page: dict[int, dict[int, int]] = {}
        self.annotation_parents: list[tuple[int, int]] = []
        self.next_key = len(pages)
        self.ids: list[tuple[str, int]] = []
        self.roles: set[str] = set()  # every structure type written

    def string(self, text: str) -> bytes:
        """Return ``text`` as a PDF string."""
        return bytes(format(PDFString(text), self.doc))

    def element(self, node: Node, parent: int) -> int | None:
        """Write the structure element of ``node`` and return its object number, or None if nothing of it was drawn."""
        if not _drawn(node):
            return None
        home = node.content[0][0] if node.content else 0
        element = pdffile.reserve(self.doc)
        if node.ident:
            self.ids.append((node.ident, element))
        placed = self._content(node, home, element)
        kids: list[_Kid] = [item for slot, item in placed if slot == 0]
        if node.role == "Link":
            kids += self._annotations(node, element)
        for index, kid in enumerate(node.kids):
            if index:
                kids += [item for slot, item in placed if slot == index]
            child = self.element(kid, element)
            if child is not None:
                kids.append(_ref(child))
        kids += [item for slot, item in placed if slot >= max(len(node.kids), 1)]
        entries = self._entries(node, parent, home)
        entries.append(b"/K " + (kids[0] if len(kids) == 1 else b"[%s]" % b" ".join(kids)))
        pdffile.put(self.doc, element, b"<< %s >>" % b" ".join(entries))
        return element

    def _entries(self, node: Node, parent: int, home: int) -> list[bytes]:
        """Return the entries of ``node``'s structure element, without its kids."""
        entries = [b"/Type /StructElem", b"/S " + PDFName(node.role).encode(), b"/P " + _ref(parent)]
        self.roles.add(node.role)
        if home:
            entries.append(b"/Pg " + self.pages[home - 1])
        if node.alt:
            entries.append(b"/Alt " + self.string(node.alt))
        if node.scope:
            entries.append(b"/A " + self._table_attributes(node))
        if node.bbox is not None:
            box = b" ".join(format(round(v, 3), self.doc) for v in node.bbox)
            entries.append(b"/A << /O /Layout /BBox [%s] >>" % box)
        if node.ident:
            entries.append(b"/ID " + self.string(node.ident))
        return entries

    def _table_attributes(self, node: Node) -> bytes:
        table = b"/O /Table /Scope " + PDFName(node.scope).encode()
        if node.rowspan > 1:
            table += b" /RowSpan %d" % node.rowspan
        return b"<< %s >>" % table

    def _content(self, node: Node, home: int, element: int) -> list[tuple[int, _Kid]]:
        """Return ``node``'s marked content as (slot, item), sorted by slot, and record its owner by page.

        Content comes before the children, or between them where its slot says (text
        around inline elements); stable sorting keeps the drawing order within a slot.
        """
        placed: list[tuple[int, _Kid]] = []
        for page, mcid in node.content:
            # content on the element's own page is a bare MCID; elsewhere a reference naming its page
            item = (
                b"%d" % mcid
                if page == home
                else b"<< /Type /MCR /Pg %s /MCID %d >>" % (self.pages[page - 1], mcid)
            )
            placed.append((node.slots.get((page, mcid), 0), item))
            self.by_page.setdefault(page, {})[mcid] = element
        placed.sort(key=lambda pair: pair[0])
        return placed

    def _annotations(self, node: Node, element: int) -> list[_Kid]:
        """Return object references to a Link's annotations, each given its structure parent."""
        kids: list[_Kid] = []
        for page, index in node.annotations:
            annotation = self.annotations[page - 1][index]
            pdffile.amend(
                self.doc.idToObject[annotation.name],
                StructParent=self.next_key,
                Contents=PDFString(node.contents),
            )
            self.annotation_parents.append((self.next_key, element))
            self.next_key += 1
            kids.append(
                b"<< /Type /OBJR /Obj %s /Pg %s >>" % (format(annotation, self.doc), self.pages[page - 1])
            )
        return kids


def _drawn(node: Node) -> bool:
    """Return whether anything of ``node`` was drawn: its content, a link of it, or a child's."""
    if node.drawn is None:
        node.drawn = (
            bool(node.content)
            or (node.role == "Link" and bool(node.annotations))
            or any([_drawn(kid) for kid in node.kids])
        )
    return node.drawn
