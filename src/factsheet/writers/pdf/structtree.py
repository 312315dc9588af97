"""Write the brief's logical structure into the laid-out PDF (PDF/UA-1): the tree and its tagged links."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from factsheet.errors import RenderError
from factsheet.writers.pdf.tagging import Mark, Node, Tagger


def write_structure(pdf: pikepdf.Pdf, root: Node, tagger: Tagger) -> None:
    """Add the structure tree of ``root`` to ``pdf`` and tag its links."""
    pages = list(pdf.pages)
    _assign_annotations(tagger.marks, pages)
    writer = _TreeWriter(pdf, pages)
    document = writer.element(root, None)
    if document is None:  # a document with nothing in it
        document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))

    nums: list[int | pikepdf.Object] = []
    for index, page in enumerate(writer.pages):
        numbered = writer.by_page.get(index + 1)
        if numbered:
            page.StructParents = index
            nums += [index, Array([numbered[m] for m in range(len(numbered))])]
        if "/Annots" in page and len(page.Annots):
            page.Tabs = Name.S
    for key, element in writer.annotation_parents:
        nums += [key, element]
    ids: list[pikepdf.Object] = []
    for ident, element in sorted(writer.ids, key=lambda pair: pair[0]):
        ids += [String(ident), element]

    tree = Dictionary(
        Type=Name.StructTreeRoot,
        K=document,
        ParentTree=pdf.make_indirect(Dictionary(Nums=Array(nums))),
        ParentTreeNextKey=writer.next_key,
    )
    if ids:
        tree.IDTree = Dictionary(Names=Array(ids))
    if writer.roles & set(_ROLE_MAP):
        # PDF 1.7 has no Strong or Em: name each for what it is, read as the standard Span
        tree.RoleMap = Dictionary({f"/{r}": Name.Span for r in sorted(writer.roles & set(_ROLE_MAP))})
    document.P = pdf.make_indirect(tree)
    pdf.Root.StructTreeRoot = document.P
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)


#: structure types beyond PDF 1.7's standard ones, and the standard type each is read as
_ROLE_MAP = {"Strong": "Span", "Em": "Span"}


def _assign_annotations(marks: list[Mark], pages: list[pikepdf.Page]) -> None:
    """Give each link annotation to the node drawn when it was made, then to that node's Link children.

    An annotation belongs to the marked content open when it was made, or to the
    one drawn last before it on its page (a note's link back to its reference is
    made right after the note is drawn).
    """
    by_page: dict[int, list[Mark]] = {}
    for mark in marks:
        by_page.setdefault(mark.page, []).append(mark)
    for number, page in enumerate(pages, 1):
        count = len(page.obj.Annots) if "/Annots" in page.obj else 0
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

    def __init__(self, pdf: pikepdf.Pdf, pages: list[pikepdf.Page]):
        self.pdf = pdf
        self.pages = [page.obj for page in pages]
        #: page number -> MCID -> structure element that owns it
        self.by_page: dict[int, dict[int, pikepdf.Object]] = {}
        self.annotation_parents: list[tuple[int, pikepdf.Object]] = []
        self.next_key = len(pages)
        self.ids: list[tuple[str, pikepdf.Object]] = []
        self._names: dict[str, Name] = {}
        self.roles: set[str] = set()  # every structure type written

    def _name(self, text: str) -> Name:
        name = self._names.get(text)
        if name is None:
            name = self._names[text] = Name("/" + text)
        return name

    def element(self, node: Node, parent: pikepdf.Object | None) -> pikepdf.Object | None:
        """Return the indirect structure element of ``node``, or None if nothing of it was drawn."""
        if not _drawn(node):
            return None
        home = node.content[0][0] if node.content else 0
        element = self.pdf.make_indirect(Dictionary(self._entries(node, parent, home)))
        if node.ident:
            self.ids.append((node.ident, element))
        placed = self._content(node, home, element)
        kids: list[int | pikepdf.Object] = [item for slot, item in placed if slot == 0]
        if node.role == "Link":
            kids += self._annotations(node, element)
        for index, kid in enumerate(node.kids):
            if index:
                kids += [item for slot, item in placed if slot == index]
            child = self.element(kid, element)
            if child is not None:
                kids.append(child)
        kids += [item for slot, item in placed if slot >= max(len(node.kids), 1)]
        element.K = kids[0] if len(kids) == 1 else Array(kids)
        return element

    def _entries(self, node: Node, parent: pikepdf.Object | None, home: int) -> dict[str, object]:
        """Return the entries of ``node``'s structure element, without its kids."""
        entries: dict[str, object] = {"/Type": Name.StructElem, "/S": self._name(node.role)}
        self.roles.add(node.role)
        if parent is not None:
            entries["/P"] = parent
        if home:
            entries["/Pg"] = self.pages[home - 1]
        if node.alt:
            entries["/Alt"] = String(node.alt)
        if node.scope:
            entries["/A"] = self._table_attributes(node)
        if node.bbox is not None:
            entries["/A"] = Dictionary({"/O": Name.Layout, "/BBox": Array([round(v, 3) for v in node.bbox])})
        if node.ident:
            entries["/ID"] = String(node.ident)
        return entries

    def _table_attributes(self, node: Node) -> Dictionary:
        table: dict[str, object] = {"/O": Name.Table, "/Scope": self._name(node.scope)}
        if node.rowspan > 1:
            table["/RowSpan"] = node.rowspan
        return Dictionary(table)

    def _content(
        self, node: Node, home: int, element: pikepdf.Object
    ) -> list[tuple[int, int | pikepdf.Object]]:
        """Return ``node``'s marked content as (slot, item), sorted by slot, and record its owner by page.

        Content comes before the children, or between them where its slot says (text
        around inline elements); stable sorting keeps the drawing order within a slot.
        """
        placed: list[tuple[int, int | pikepdf.Object]] = []
        for page, mcid in node.content:
            # content on the element's own page is a bare MCID; elsewhere a reference naming its page
            item = (
                mcid
                if page == home
                else Dictionary({"/Type": Name.MCR, "/Pg": self.pages[page - 1], "/MCID": mcid})
            )
            placed.append((node.slots.get((page, mcid), 0), item))
            self.by_page.setdefault(page, {})[mcid] = element
        placed.sort(key=lambda pair: pair[0])
        return placed

    def _annotations(self, node: Node, element: pikepdf.Object) -> list[pikepdf.Object]:
        """Return object references to a Link's annotations, each given its structure parent."""
        kids: list[pikepdf.Object] = []
        for page, index in node.annotations:
            annotation = self.pages[page - 1].Annots[index]
            annotation.StructParent = self.next_key
            annotation.Contents = String(node.contents)
            self.annotation_parents.append((self.next_key, element))
            self.next_key += 1
            kids.append(Dictionary({"/Type": Name.OBJR, "/Obj": annotation, "/Pg": self.pages[page - 1]}))
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
