"""The PDF standards the brief conforms to, applied to the laid-out file with pikepdf."""

from __future__ import annotations

import io
from collections.abc import Collection
from typing import TYPE_CHECKING

from factsheet.errors import RenderError

if TYPE_CHECKING:
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


def apply(
    data: bytes,
    profiles: Collection[str],
    language: str,
    structure: Node | None = None,
    tagger: Tagger | None = None,
    provenance: str = "",
) -> bytes:
    """Return ``data`` made to conform to ``profiles``: structure tree, identification, output intent."""
    import pikepdf

    from factsheet.writers.pdf import archival, structtree

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:  # reportlab wrote it a moment ago: a bug, not bad input
        raise RenderError(f"cannot reopen the laid-out PDF: {exc}") from None
    with pdf:
        archival.drop_null_mappings(pdf)
        if language:
            pdf.Root.Lang = pikepdf.String(language)
        if "ua1" in profiles and structure is not None and tagger is not None:
            structtree.write_structure(pdf, structure, tagger)
        if conformance(profiles):
            archival.add_output_intent(pdf)
            archival.print_annotations(pdf)
        archival.write_metadata(pdf, language, conformance(profiles), "ua1" in profiles, provenance)
        # the file ID is a hash of the content, so the same brief gives the same bytes
        return archival.save(
            pdf,
            deterministic_id=True,
            compress_streams=True,
            fix_metadata_version=False,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            min_version="1.7",
        )
