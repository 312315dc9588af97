"""Notes on their page: is each note printed on the page of its reference?"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from factbench.synthetic import OUTLET, TOKEN

NOTE_START = re.compile(r"(?<![\d,.])(\d{1,5})\.?\s*" + OUTLET + r"\b")


def reference_anchors(doc) -> tuple[dict[int, tuple[str, int]], dict[str, int]]:
    """Return, per note number, the claim or attribution token just before its reference.

    The value is (token, k): the reference follows the k-th occurrence (0-based,
    in reading order) of that token in the body, which the PDF check looks up.
    Also returns how often each token occurs in the body.
    """
    from factsheet.rendering.document import BulletList, Heading, NoteRef, Paragraph, Table

    units = []
    for block in doc.blocks:
        if isinstance(block, (Heading, Paragraph)):
            units.append(block.inlines)
        elif isinstance(block, BulletList):
            units.extend(block.items)
        elif isinstance(block, Table):
            units.append(tuple(node for cell in block.header for node in cell))
            units.extend(tuple(node for cell in row for node in cell) for row in block.rows)
    seen: dict[str, int] = {}
    anchors: dict[int, tuple[str, int]] = {}
    for unit in units:
        last = None
        for node in unit:
            if isinstance(node, NoteRef):
                if last is not None:
                    anchors[node.number] = last
            else:
                for token in TOKEN.findall(node.text):
                    last = (token, seen.get(token, 0))
                    seen[token] = seen.get(token, 0) + 1
    return anchors, seen


@dataclass
class Placement:
    notes: int
    off_page: int = 0
    unlocated: int = 0
    pages: int = 0
    examples: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.off_page == 0 and self.unlocated == 0

    def __str__(self) -> str:
        if self.ok:
            return f"all {self.notes} on their page ({self.pages} pages)"
        s = f"{self.off_page} of {self.notes} off their page"
        if self.unlocated:
            s += f", {self.unlocated} not located"
        return s + f" ({self.pages} pages)"


def check_placement(pdf: Path, doc) -> Placement:
    """Compare, for every note, the page of its reference with the page its text starts on."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8", "replace")
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    anchors, counts = reference_anchors(doc)
    token_pages: dict[str, list[int]] = {}
    note_pages: dict[int, list[int]] = {}
    for p, page in enumerate(pages, 1):
        for token in TOKEN.findall(page):
            token_pages.setdefault(token, []).append(p)
        for m in NOTE_START.finditer(page):
            note_pages.setdefault(int(m.group(1)), []).append(p)
    result = Placement(len(doc.footnotes), pages=len(pages))
    for note in doc.footnotes:
        n = note.number
        anchor = anchors.get(n)
        found = note_pages.get(n, [])
        if anchor is None or len(found) != 1 or len(token_pages.get(anchor[0], [])) != counts[anchor[0]]:
            result.unlocated += 1
            if len(result.examples) < 5:
                result.examples.append(f"note {n}: not located (anchor {anchor}, note found on {found})")
            continue
        ref_page = token_pages[anchor[0]][anchor[1]]
        if found[0] != ref_page:
            result.off_page += 1
            if len(result.examples) < 5:
                result.examples.append(f"note {n}: reference on page {ref_page}, note on page {found[0]}")
    return result


def docx_notes(path: Path) -> int | None:
    """Return the number of content footnotes (separators aside) in a DOCX file."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/footnotes.xml").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    notes = re.findall(r"<w:footnote\b([^>]*)>", xml)
    return sum(1 for attrs in notes if "w:type=" not in attrs)
