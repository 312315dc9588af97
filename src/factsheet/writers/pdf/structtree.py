"""Write the brief's logical structure into the laid-out PDF (PDF/UA-1): tree, artifacts and tagged links."""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from factsheet.errors import RenderError
from factsheet.writers.pdf.tagging import Mark, Node, Tagger

#: Operators that paint or start painting; state-only operators stay outside artifacts.
_BARRIERS = {"q", "Q"}
_PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh", "INLINE IMAGE"}
#: Annotation print flag: PDF/A wants annotations printed as they are shown.
_PRINT = 4


def write_structure(pdf: pikepdf.Pdf, root: Node, tagger: Tagger) -> None:
    """Add the structure tree of ``root`` to ``pdf``, tag its links and mark untagged content as artifacts."""
    pages = list(pdf.pages)
    _assign_annotations(tagger.marks, pages)
    writer = _TreeWriter(pdf, pages)
    document = writer.element(root, None)
    if document is None:
        raise RenderError("the PDF has no tagged content: nothing was drawn for the document's blocks")

    nums = Array()
    for index, page in enumerate(pages):
        numbered = writer.by_page.get(index + 1)
        if numbered:
            page.obj.StructParents = index
            nums.extend([index, Array([numbered[m] for m in range(len(numbered))])])
        if "/Annots" in page.obj and len(page.obj.Annots):
            page.obj.Tabs = Name.S
        _mark_artifacts(pdf, page)
    for key, element in writer.annotation_parents:
        nums.extend([key, element])
    ids = Array()
    for ident, element in sorted(writer.ids):
        ids.extend([String(ident), element])

    tree = Dictionary(
        Type=Name.StructTreeRoot,
        K=document,
        ParentTree=pdf.make_indirect(Dictionary(Nums=nums)),
        ParentTreeNextKey=writer.next_key,
    )
    if len(ids):
        tree.IDTree = Dictionary(Names=ids)
    document.P = pdf.make_indirect(tree)
    pdf.Root.StructTreeRoot = document.P
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)


def _assign_annotations(marks: list[Mark], pages: list) -> None:
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
        for index in range(count):
            owner = None
            for mark in page_marks:
                if mark.annotations_before <= index:
                    owner = mark
                else:
                    break
            if owner is None:
                raise RenderError(f"link {index + 1} on page {number} was drawn outside any tagged content")
            owner.node.annotations.append((number, index))
    _hand_to_links(_walk(by_page))


def _walk(by_page: dict[int, list[Mark]]):
    seen: set[int] = set()
    for marks in by_page.values():
        for mark in marks:
            if id(mark.node) not in seen:
                seen.add(id(mark.node))
                yield mark.node


def _hand_to_links(nodes) -> None:
    for node in nodes:
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

    def __init__(self, pdf: pikepdf.Pdf, pages: list):
        self.pdf = pdf
        self.pages = pages
        #: page number -> MCID -> structure element that owns it
        self.by_page: dict[int, dict[int, pikepdf.Object]] = {}
        self.annotation_parents: list[tuple[int, pikepdf.Object]] = []
        self.next_key = len(pages)
        self.ids: list[tuple[str, pikepdf.Object]] = []

    def element(self, node: Node, parent) -> pikepdf.Object | None:
        """Return the indirect structure element of ``node``, or None if nothing of it was drawn."""
        element = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + node.role)))
        if parent is not None:
            element.P = parent
        kids = Array()
        if node.content:
            home = node.content[0][0]
            element.Pg = self.pages[home - 1].obj
        for page, mcid in node.content:
            # content on the element's own page is a bare MCID; elsewhere a reference naming its page
            kids.append(mcid if page == home else Dictionary(Type=Name.MCR, Pg=self.pages[page - 1].obj, MCID=mcid))
            self.by_page.setdefault(page, {})[mcid] = element
        if node.role == "Link":
            for page, index in node.annotations:
                annotation = self.pages[page - 1].obj.Annots[index]
                annotation.StructParent = self.next_key
                annotation.Contents = String(node.contents)
                annotation.F = _PRINT
                self.annotation_parents.append((self.next_key, element))
                self.next_key += 1
                kids.append(Dictionary(Type=Name.OBJR, Obj=annotation, Pg=self.pages[page - 1].obj))
        for kid in node.kids:
            child = self.element(kid, element)
            if child is not None:
                kids.append(child)
        if not len(kids):
            return None
        element.K = kids[0] if len(kids) == 1 else kids
        if node.alt:
            element.Alt = String(node.alt)
        if node.scope:
            element.A = Dictionary(O=Name.Table, Scope=Name("/" + node.scope))
        if node.bbox is not None:
            element.A = Dictionary(O=Name.Layout, BBox=Array([round(v, 3) for v in node.bbox]))
        if node.ident:
            element.ID = String(node.ident)
            self.ids.append((node.ident, element))
        return element


def _mark_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Wrap every painting operator drawn outside marked content in an /Artifact sequence."""
    out: list = []
    run: list = []
    depth = 0

    def flush() -> None:
        if any(_op(i) in _PAINTING for i in run):
            out.append(([Name.Artifact], pikepdf.Operator("BMC")))
            out.extend(run)
            out.append(([], pikepdf.Operator("EMC")))
        else:
            out.extend(run)
        run.clear()

    for instruction in pikepdf.parse_content_stream(page):
        op = _op(instruction)
        if depth == 0:
            if op in ("BDC", "BMC"):
                flush()
                out.append(instruction)
                depth = 1
            elif op in _BARRIERS:
                # keep q/Q outside marked content so the two nestings never cross
                flush()
                out.append(instruction)
            else:
                run.append(instruction)
            continue
        out.append(instruction)
        if op in ("BDC", "BMC"):
            depth += 1
        elif op == "EMC":
            depth -= 1
    flush()
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))


def _op(instruction) -> str:
    return str(instruction.operator)
