"""The PDF standards the brief conforms to, written into the file as reportlab writes it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from factsheet.writers.pdf.tagging import Node, Tagger

#: Profiles by name: tagged PDF/UA-1; archival PDF/A-2 at the highest level the file meets
#: (A when tagged too, else B); or PDF/A-2 declared as level B, for archives that expect it.
PROFILES = {"ua1": "PDF/UA-1", "a2": "PDF/A-2", "a2b": "PDF/A-2b"}
#: What a brief conforms to unless told otherwise.
DEFAULT = ("ua1", "a2")


def parse_profiles(value: str) -> tuple[str, ...]:
    """Return the profile names in a comma-separated option value ("none" for a plain PDF)."""
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    if names == ["none"]:
        return ()
    unknown = [n for n in names if n not in PROFILES]
    if unknown or not names:
        from factsheet.errors import UsageError

        raise UsageError(
            f"--pdf-profiles: expected 'none' or a comma-separated list of {', '.join(PROFILES)}, "
            f"found {value!r}"
        )
    return tuple(n for n in PROFILES if n in names)


def conformance(profiles: Collection[str]) -> str:
    """Return the PDF/A part and level a file with ``profiles`` claims ("2A", "2B"), or ""."""
    if "a2b" in profiles:
        return "2B"
    if "a2" not in profiles:
        return ""
    return "2A" if "ua1" in profiles else "2B"


@dataclass
class Drawn:
    """The pages a canvas has drawn and, when tagged, the structure drawn with them."""

    canvas: Canvas
    structure: Node | None = None
    tagger: Tagger | None = None


def finish(drawn: Drawn, profiles: Collection[str], language: str, provenance: str = "") -> bytes:
    """Return the PDF ``drawn`` on its canvas, written to conform to ``profiles``: structure tree, identification, output intent.

    The structure is given up as soon as it is written (``drawn`` no longer holds
    it): a long brief's tree takes more memory than the file being written.
    """
    from reportlab.pdfbase.pdfdoc import PDFString

    from factsheet.writers.pdf import archival, pdffile, structtree

    doc = drawn.canvas._doc
    pdffile.realize_fonts(doc)
    archival.drop_null_mappings(doc)
    if language:
        pdffile.amend(doc.Catalog, Lang=PDFString(language))
    structure, tagger = drawn.structure, drawn.tagger
    drawn.structure = drawn.tagger = None
    if "ua1" in profiles and structure is not None and tagger is not None:
        structtree.write_structure(doc, structure, tagger)
    del structure, tagger
    if conformance(profiles):
        archival.add_output_intent(doc)
        archival.print_annotations(doc)
    if profiles or provenance:  # a plain PDF carries the provenance record too
        archival.write_metadata(doc, language, conformance(profiles), "ua1" in profiles, provenance)
    return pdffile.write(doc, drawn.canvas)
