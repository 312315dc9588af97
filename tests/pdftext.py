"""The text a PDF draws, as poppler's pdftotext reads it (its tool required: see required.py)."""

from __future__ import annotations

import subprocess

import required


def pdf_text(data: bytes) -> str:
    """Return the text of every page of ``data``, pages separated by form feeds, spaces collapsed."""
    tool = required.tool("pdftotext", hint="poppler-utils")
    out = subprocess.run([tool, "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    return "\f".join(" ".join(page.split()) for page in out.decode("utf-8").split("\f"))
