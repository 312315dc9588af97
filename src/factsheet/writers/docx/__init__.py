"""DOCX output: native Word footnotes, embedded subset fonts, reproducible bytes.

``write_docx(document)`` is the entry point; :mod:`.writer` walks the document model
with python-docx and :mod:`.ooxml` holds every piece of raw WordprocessingML.
"""

from .writer import write_docx

__all__ = ["prepare", "write_docx"]


def prepare() -> None:
    """Load what a first write needs (fontTools' subsetter, the cut-down template, the faces' classes) now."""
    import codecs

    from fontTools import subset  # noqa: F401 - imported for its cost

    codecs.lookup("utf-32-be")  # the codec the subsetter reads a text's characters with

    from factsheet.rendering import fonts

    from . import chart_picture, fontembed, writer  # noqa: F401 - chart_picture for its cost

    writer.prepare()
    try:
        for family in (fonts.SERIF, fonts.SANS):
            fontembed.face_info(str(fonts.face_path(fonts.face(family))))
        for family, bold, italic in fonts.BRIEF_FACES:
            fontembed.preload(str(fonts.face_path(fonts.face(family, bold, italic))))
    except Exception:  # noqa: BLE001 - a missing or damaged font is reported by the write that needs it
        pass
