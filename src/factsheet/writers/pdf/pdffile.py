"""Write reportlab's document out as PDF 1.7 bytes an archival validator accepts, the same bytes every time."""

# reportlab's own writer (``PDFDocument.format``) puts no end-of-line marker
# before ``endstream``, encodes page streams in ASCII85 as well as Flate, and
# names its document id after the metadata alone. This writes the same object
# graph with an end-of-line before every ``endstream``, Flate only, no stream
# whose bytes end in a carriage return, and an id that is a digest of the
# file's objects. Like the footnote engine it reads reportlab internals
# (``idToObject``, ``numberToId``, ``delayedFonts``); pyproject.toml pins the
# reportlab major version and the tests validate the result.

from __future__ import annotations

import hashlib
import io
import threading
import zlib
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from reportlab.pdfbase.pdfdoc import (
    LinkAnnotation,
    PDFCatalog,
    PDFDictionary,
    PDFFormXObject,
    PDFName,
    PDFPage,
    PDFStream,
    PDFZCompress,
    format,
)

from factsheet.errors import RenderError

if TYPE_CHECKING:
    from reportlab.pdfbase.pdfdoc import PDFDocument
    from reportlab.pdfgen.canvas import Canvas

#: The header: the version the structure tree's types come from, then bytes above 127 (PDF/A asks for four).
HEADER = b"%PDF-1.7\n%\x93\x8c\x8b\x9e\n"
_CR = 0x0D

#: Streams at least this long are kept compressed for the next PDF this process writes: a rebuild
#: embeds the same font programs and colour profile, and most of the same pages.
KEPT_MIN_BYTES = 1024


class _Recent:
    """Compressed streams by their bytes, up to ``limit`` bytes in all; the least recently used go first."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self.items: OrderedDict[bytes, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, data: bytes) -> bytes | None:
        with self.lock:
            encoded = self.items.get(data)
            if encoded is not None:
                self.items.move_to_end(data)
            return encoded

    def put(self, data: bytes, encoded: bytes) -> None:
        with self.lock:
            if data in self.items:
                return
            self.items[data] = encoded
            self.size += len(data) + len(encoded)
            while self.size > self.limit and len(self.items) > 1:
                old, old_encoded = self.items.popitem(last=False)
                self.size -= len(old) + len(old_encoded)


_recent = _Recent(2 * 1024 * 1024)  # a brief's streams take a few hundred kilobytes


def realize_fonts(doc: PDFDocument) -> None:
    """Add the font subsets drawn so far to ``doc`` as objects, so they can be amended before writing."""
    for font in doc.delayedFonts:
        font.addObjects(doc)
    doc.delayedFonts = []


def stream(content: bytes, compress: bool = True, **entries: Any) -> PDFStream:
    """Return a stream object holding ``content``, with the dictionary ``entries``."""
    return PDFStream(PDFDictionary(entries), content, [PDFZCompress] if compress else None)


def reserve(doc: PDFDocument) -> int:
    """Return the number of a new object of ``doc`` whose bytes are given later (``put``)."""
    doc.objectcounter += 1
    number: int = doc.objectcounter
    return number


def put(doc: PDFDocument, number: int, body: bytes) -> None:
    """Give the reserved object ``number`` of ``doc`` its bytes, as they stand between ``obj`` and ``endobj``."""
    doc.__dict__.setdefault("fs_written", {})[number] = body


def write(doc: PDFDocument, canvas: Canvas) -> bytes:
    """Return the bytes of ``doc``, whose pages ``canvas`` has drawn."""
    realize_fonts(doc)
    doc.Reference(doc.Catalog)
    doc.Reference(doc.info)
    doc.Outlines.prepare(doc, canvas)
    if doc.Outlines.ready < 0:
        doc.Catalog.Outlines = None
    return _file(doc)


def _file(doc: PDFDocument) -> bytes:
    out = io.BytesIO()
    out.write(HEADER)
    offsets: list[int] = []
    digest = hashlib.md5(usedforsecurity=False)
    number = 1
    written: dict[int, bytes] = doc.__dict__.pop("fs_written", {})
    # formatting an object may register more (a page's content stream): count until none is left
    while number <= doc.objectcounter:
        if number in written:
            data = b"%d 0 obj\n%s\nendobj\n" % (number, written.pop(number))
        elif number in doc.numberToId:
            data = _indirect(doc, number, doc.idToObject[doc.numberToId[number]])
        else:
            raise RenderError(f"cannot write PDF object {number}: reserved but never written")
        offsets.append(out.tell())
        out.write(data)
        digest.update(data)
        number += 1
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    ident = digest.hexdigest().encode()
    root = format(doc.Reference(doc.Catalog), doc)
    info = format(doc.Reference(doc.info), doc)
    entries = b"/Size %d /Root %s /Info %s /ID [<%s> <%s>]" % (len(offsets) + 1, root, info, ident, ident)
    out.write(b"trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n" % (entries, start))
    return out.getvalue()


def _indirect(doc: PDFDocument, number: int, obj: Any) -> bytes:
    """Return object ``number`` as it stands in the file."""
    if isinstance(obj, PDFFormXObject):
        obj.format(doc)  # fills in its stream's dictionary
        obj = obj.Contents
    if type(obj) is PDFStream:
        if obj.content is None or "Filter" in obj.dictionary.dict:
            raise RenderError(
                f"cannot write PDF object {number}: a stream without content, or encoded beforehand"
            )
        body = _stream(doc, obj)
        obj.content = b""  # written: a long brief's page drawings need not stay in memory
    else:
        body = format(obj, doc, toplevel=1)
        if body.rstrip().endswith(b"endstream"):
            raise RenderError(f"cannot write PDF object {number}: a stream of kind {type(obj).__name__}")
        if isinstance(obj, PDFPage):
            obj.stream = None  # its content stream, written later, holds the drawing
    return b"%d 0 obj\n" % number + body + (b"" if body.endswith(b"\n") else b"\n") + b"endobj\n"


def _stream(doc: PDFDocument, obj: PDFStream) -> bytes:
    """Return a stream: Flate if reportlab meant it compressed, its bytes never ending in a carriage return.

    A stream whose bytes end in ``\\r`` reads, before the end-of-line and
    ``endstream``, as if that byte began the end-of-line, so a validator finds
    its /Length one byte too long (PDF/A's STREAM-LENGTH). A Flate stream ends
    with the Adler-32 checksum of its data, so the data gets a trailing newline
    until the checksum's last byte is another: a newline after a drawing, a
    CMap or a font program changes nothing shown.
    """
    data = obj.content.encode("utf-8") if isinstance(obj.content, str) else bytes(obj.content)
    entries = dict(obj.dictionary.dict)
    compress = bool(obj.filters)  # Flate alone: ASCII85 only makes it longer
    if compress:
        while zlib.adler32(data) & 0xFF == _CR:
            data += b"\n"
        encoded = compressed(data)
        entries["Filter"] = PDFName("FlateDecode")
    else:
        if data.endswith(b"\r"):
            data += b"\n"
        encoded = data
    if "Length1" in entries:  # a font program's own length
        entries["Length1"] = len(data)
    entries["Length"] = len(encoded)
    head: bytes = format(PDFDictionary(entries), doc)
    return head + b"\nstream\n" + encoded + b"\nendstream\n"


def compressed(data: bytes) -> bytes:
    """Return ``zlib.compress(data)``, kept from an earlier PDF of this process when it compressed the same bytes."""
    if len(data) < KEPT_MIN_BYTES:
        return zlib.compress(data)
    encoded = _recent.get(data)
    if encoded is None:
        encoded = zlib.compress(data)
        _recent.put(data, encoded)
    return encoded


def amend(obj: object, **entries: object) -> None:
    """Set dictionary ``entries`` of a reportlab object: a dictionary, a link annotation, a page or the catalog.

    Pages and the catalog write only the keys their class lists; a link
    annotation only those it permits and its /Contents from an attribute.
    """
    if isinstance(obj, PDFDictionary):
        obj.dict.update(entries)
    elif isinstance(obj, LinkAnnotation):
        if "Contents" in entries:
            obj.Contents = entries.pop("Contents")
        obj.otherkw.update(entries)
        obj.permitted = tuple(dict.fromkeys((*obj.permitted, *entries)))
    elif isinstance(obj, PDFCatalog):  # pages too
        obj.__NoDefault__ = list(dict.fromkeys((*obj.__NoDefault__, *entries)))
        for key, value in entries.items():
            setattr(obj, key, value)
    else:
        raise RenderError(f"cannot amend a PDF object of kind {type(obj).__name__}")
