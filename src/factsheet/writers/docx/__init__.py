"""DOCX output: native Word footnotes, embedded subset fonts, reproducible bytes.

``write_docx(document)`` is the entry point; :mod:`.writer` walks the document model
with python-docx and :mod:`.ooxml` holds every piece of raw WordprocessingML.
"""

from .writer import write_docx

__all__ = ["write_docx"]
