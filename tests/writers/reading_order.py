"""What a screen reader reads from a tagged PDF: the structure tree in order, each element's marked content joined."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pikepdf

#: elements read as part of the text around them; every other element is read as a block of its own
INLINE = {"Span", "Strong", "Em", "Link", "Reference", "Lbl", "Quote", "Code"}


@dataclass
class Block:
    """One block as read: its structure type, its text (alternate text in brackets), the page it starts on."""

    role: str
    text: str
    page: int
    key: tuple[int, int]  # the element's object number and generation

    def __str__(self) -> str:
        return f"{self.role}: {self.text}"


def _texts(path: Path) -> dict[tuple[int, int], str]:
    """Return the text of each marked-content sequence, by (page object number, MCID)."""
    out: dict[tuple[int, int], list[str]] = {}
    with pdfplumber.open(path) as doc:
        for page in doc.pages:
            last: dict = {}
            for char in page.chars:
                mcid = char.get("mcid")
                if mcid is None:
                    continue
                chars = out.setdefault((page.page_obj.pageid, mcid), [])
                before = last.get(mcid)
                if before is not None and abs(char["bottom"] - before["bottom"]) > before["size"]:
                    chars.append(" ")  # a line break is a space, as a reader hears it
                chars.append(char["text"])
                last[mcid] = char
    return {key: "".join(chars) for key, chars in out.items()}


def _kids(element) -> list:
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def read_blocks(path: Path) -> list[Block]:
    """Return the blocks of the tagged PDF at ``path`` in reading order."""
    texts = _texts(path)
    pdf = pikepdf.open(path)
    numbers = {page.obj.objgen[0]: n for n, page in enumerate(pdf.pages, 1)}
    blocks: list[Block] = []

    def inline_text(element) -> tuple[str, int]:
        """Return an inline element as read (its alternate text instead of its content) and its page."""
        read = list(pieces(element, inline=True))
        page = next((on for _, on in read if on), 0)
        if "/Alt" in element:
            return f"[{element.Alt}]", page
        text = "".join(piece for piece, _ in read)
        return (text + " " if element.S == "/Lbl" else text), page

    def pieces(element, inline: bool):
        """Yield (text, page) of an element's content and inline children, emitting nested blocks."""
        for kid in _kids(element):
            if isinstance(kid, int):
                key = (element.Pg.objgen[0], int(kid))
                yield texts.get(key, ""), numbers[key[0]]
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                key = (kid.Pg.objgen[0], int(kid.MCID))
                yield texts.get(key, ""), numbers[key[0]]
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                role = str(kid.S)[1:]
                if role in INLINE or inline:
                    yield inline_text(kid)
                else:
                    yield None, 0  # a block inside: what came before is read first
                    walk(kid)

    def walk(element) -> None:
        role = str(element.S)[1:]
        if "/Alt" in element and role not in INLINE:
            blocks.append(Block(role, str(element.Alt), 0, element.objgen))
            return
        text, page = "", 0
        for piece, on in pieces(element, inline=False):
            if piece is None:
                if text.strip():
                    blocks.append(Block(role, text, page, element.objgen))
                text, page = "", 0
                continue
            text += piece
            page = page or on
        if text.strip():
            blocks.append(Block(role, text, page, element.objgen))

    walk(pdf.Root.StructTreeRoot.K)
    return blocks


def reading_text(path: Path, page: int | None = None) -> str:
    """Return the reading-order text, a block a line (only blocks starting on ``page``, if given)."""
    return "\n".join(str(b) for b in read_blocks(path) if page is None or b.page == page)


def elements(element, parent=None):
    """Yield (element, parent) for ``element`` and every structure element under it, in reading order."""
    yield element, parent
    for kid in _kids(element):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield from elements(kid, element)


def content_owners(pdf: pikepdf.Pdf) -> dict[tuple[int, int], str]:
    """Return the structure type owning each marked-content sequence, by (page object number, MCID)."""
    owners: dict[tuple[int, int], str] = {}
    for element, _ in elements(pdf.Root.StructTreeRoot.K):
        for kid in _kids(element):
            if isinstance(kid, int):
                owners[(element.Pg.objgen[0], int(kid))] = str(element.S)[1:]
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                owners[(kid.Pg.objgen[0], int(kid.MCID))] = str(element.S)[1:]
    return owners


def glued_note_marks(path: Path) -> list[str]:
    """Return the text of every marked-content sequence outside a Link that holds a raised, smaller digit.

    A note mark is drawn smaller and raised; read inside the text of a figure it
    joins the figure ("11,000 soldiers4"). Drawn inside its Link, it is read apart.
    """
    pdf = pikepdf.open(path)
    owners = content_owners(pdf)
    found = []
    with pdfplumber.open(path) as doc:
        for page in doc.pages:
            by_mcid: dict[int, list[dict]] = {}
            for char in page.chars:
                if char.get("mcid") is not None:
                    by_mcid.setdefault(char["mcid"], []).append(char)
            for mcid, chars in by_mcid.items():
                if owners.get((page.page_obj.pageid, mcid)) in ("Link", "Figure"):
                    continue  # a note mark, or a chart, read as its alternate text
                size = max(c["size"] for c in chars)
                if any(c["text"].isdigit() and c["size"] < 0.9 * size for c in chars):
                    found.append("".join(c["text"] for c in chars))
    return found


def own_texts(path: Path) -> dict[tuple[int, int], str]:
    """Return the text each structure element marks directly (not its children's), by object number."""
    texts = _texts(path)
    pdf = pikepdf.open(path)
    out: dict[tuple[int, int], str] = {}
    for element, _ in elements(pdf.Root.StructTreeRoot.K):
        pieces = []
        for kid in _kids(element):
            if isinstance(kid, int):
                pieces.append(texts.get((element.Pg.objgen[0], int(kid)), ""))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                pieces.append(texts.get((kid.Pg.objgen[0], int(kid.MCID)), ""))
        out[element.objgen] = "".join(pieces)
    return out
