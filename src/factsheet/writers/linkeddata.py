"""Writers of a document's structured data: ClaimReview JSON-LD and CSL-JSON files."""

from __future__ import annotations

import json

from factsheet.rendering.document import Document
from factsheet.writers import WriterOptions


def _json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_claimreview(document: Document, options: WriterOptions | None = None) -> bytes:
    """Return the document's ClaimReview objects as a JSON-LD array."""
    return _json(document.linked_data)


def write_csl(document: Document, options: WriterOptions | None = None) -> bytes:
    """Return the document's cited articles as a CSL-JSON array."""
    return _json(document.references)
