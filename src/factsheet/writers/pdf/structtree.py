"""Write the brief's logical structure into the PDF as reportlab writes it (PDF/UA-1): the tree and its tagged links."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObjectReference, PDFString

from factsheet.errors import RenderError
from factsheet.writers.pdf.pdffile import amend
from factsheet.writers.pdf.tagging import Mark, Node, Tagger

if TYPE_CHECKING:
    from reportlab.pdfbase.pdfdoc import PDFDocument

#: A structure element's kid: a marked-content id, a marked-content or object reference, an element.
_Kid = Any


def write_structure(doc: PDFDocument, root: Node, tagger: Tagger) -> None:
    """Add the structure tree of ``root`` to ``doc``, whose pages are drawn, and tag its links."""
    pages = list(doc.Pages.pages)
    _assign_annotations(tagger.marks, [len(_annotations(page)) for page in pages])
    writer = _TreeWriter(doc, pages)
    document = writer.element(root, None)
    if document is None:  # a document with nothing in it
        document = doc.Reference(PDFDictionary({"Type": "/StructElem", "S": "/Document", "K": PDFArray([])}))

    nums: list[_Kid] = []
    for index, page in enumerate(pages):
        numbered = writer.by_page.get(index + 1)
        entries: dict[str, object] = {}
        if numbered:
            entries["StructParents"] = index
            nums += [index, PDFArray([numbered[m] for m in range(len(numbered))])]
        if _annotations(page):
            entries["Tabs"] = "/S"
        if entries:
            amend(page, **entries)
    for key, element in writer.annotation_parents:
        nums += [key, element]
    ids: list[_Kid] = []
    for ident, element in sorted(writer.ids, key=lambda pair: pair[0]):
        ids += [PDFString(ident), element]

    tree = PDFDictionary(
        {
            "Type": "/StructTreeRoot",
            "K": document,
            "ParentTree": doc.Reference(PDFDictionary({"Nums": PDFArray(nums)})),
            "ParentTreeNextKey": writer.next_key,
        }
    )
    if ids:
        tree["IDTree"] = PDFDictionary({"Names": PDFArray(ids)})
    if writer.roles & set(_ROLE_MAP):
        # PDF 1.7 has no Strong or Em: name each for what it is, read as the standard Span
        tree["RoleMap"] = PDFDictionary({r: "/Span" for r in sorted(writer.roles & set(_ROLE_MAP))})
    tree_ref = doc.Reference(tree)
    writer.element_dict(document)["P"] = tree_ref
    amend(
        doc.Catalog,
        StructTreeRoot=tree_ref,
        MarkInfo=PDFDictionary({"Marked": "true"}),
        ViewerPreferences=PDFDictionary({"DisplayDocTitle": "true"}),
    )


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
                mark.node.repeated.append(made)
            else:
                mark.node.annotations.extend(made)
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
                link.annotations.append(annotation)
        if not node.annotations:
            continue
        if len(node.annotations) != len(node.links):
            raise RenderError(
                f"a {node.role} element drew {len(node.annotations)} links for {len(node.links)} "
                "references: the tagged PDF would not match its links"
            )
        for link, annotation in zip(node.links, node.annotations):
            link.annotations.append(annotation)


class _TreeWriter:
    """Turns Nodes into structure element dictionaries and collects the parent tree."""

    def __init__(self, doc: PDFDocument, pages: list[Any]):
        self.doc = doc
        self.pages = [doc.Reference(page) for page in pages]
        self.annotations = [_annotations(page) for page in pages]
        #: page number -> MCID -> structure element that owns it
        self.by_page: dict[int, dict[int, PDFObjectReference]] = {}
        self.annotation_parents: list[tuple[int, PDFObjectReference]] = []
        self.next_key = len(pages)
        self.ids: list[tuple[str, PDFObjectReference]] = []
        self.roles: set[str] = set()  # every structure type written

    def element_dict(self, ref: PDFObjectReference) -> PDFDictionary:
        """Return the structure element dictionary ``ref`` refers to."""
        return self.doc.idToObject[ref.name]

    def element(self, node: Node, parent: PDFObjectReference | None) -> PDFObjectReference | None:
        """Return a reference to the structure element of ``node``, or None if nothing of it was drawn."""
        if not _drawn(node):
            return None
        home = node.content[0][0] if node.content else 0
        entries = self._entries(node, parent, home)
        element = self.doc.Reference(entries)
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
                kids.append(child)
        kids += [item for slot, item in placed if slot >= max(len(node.kids), 1)]
        entries["K"] = kids[0] if len(kids) == 1 else PDFArray(kids)
        return element

    def _entries(self, node: Node, parent: PDFObjectReference | None, home: int) -> PDFDictionary:
        """Return the entries of ``node``'s structure element, without its kids."""
        entries = PDFDictionary({"Type": "/StructElem", "S": PDFName(node.role)})
        self.roles.add(node.role)
        if parent is not None:
            entries["P"] = parent
        if home:
            entries["Pg"] = self.pages[home - 1]
        if node.alt:
            entries["Alt"] = PDFString(node.alt)
        if node.scope:
            entries["A"] = self._table_attributes(node)
        if node.bbox is not None:
            box = PDFArray([round(v, 3) for v in node.bbox])
            entries["A"] = PDFDictionary({"O": "/Layout", "BBox": box})
        if node.ident:
            entries["ID"] = PDFString(node.ident)
        return entries

    def _table_attributes(self, node: Node) -> PDFDictionary:
        table: dict[str, object] = {"O": "/Table", "Scope": PDFName(node.scope)}
        if node.rowspan > 1:
            table["RowSpan"] = node.rowspan
        return PDFDictionary(table)

    def _content(self, node: Node, home: int, element: PDFObjectReference) -> list[tuple[int, _Kid]]:
        """Return ``node``'s marked content as (slot, item), sorted by slot, and record its owner by page.

        Content comes before the children, or between them where its slot says (text
        around inline elements); stable sorting keeps the drawing order within a slot.
        """
        placed: list[tuple[int, _Kid]] = []
        for page, mcid in node.content:
            # content on the element's own page is a bare MCID; elsewhere a reference naming its page
            item = (
                mcid
                if page == home
                else PDFDictionary({"Type": "/MCR", "Pg": self.pages[page - 1], "MCID": mcid})
            )
            placed.append((node.slots.get((page, mcid), 0), item))
            self.by_page.setdefault(page, {})[mcid] = element
        placed.sort(key=lambda pair: pair[0])
        return placed

    def _annotations(self, node: Node, element: PDFObjectReference) -> list[PDFDictionary]:
        """Return object references to a Link's annotations, each given its structure parent."""
        kids: list[PDFDictionary] = []
        for page, index in node.annotations:
            annotation = self.annotations[page - 1][index]
            amend(
                self.doc.idToObject[annotation.name],
                StructParent=self.next_key,
                Contents=PDFString(node.contents),
            )
            self.annotation_parents.append((self.next_key, element))
            self.next_key += 1
            kids.append(PDFDictionary({"Type": "/OBJR", "Obj": annotation, "Pg": self.pages[page - 1]}))
        return kids


def _drawn(node: Node) -> bool:
    """Return whether anything of ``node`` was drawn: its content, a link of it, or a child's."""
    drawn = node.__dict__.get("_drawn")
    if drawn is None:
        drawn = (
            bool(node.content)
            or (node.role == "Link" and bool(node.annotations))
            or any([_drawn(kid) for kid in node.kids])
        )
        node.__dict__["_drawn"] = drawn
    return drawn
