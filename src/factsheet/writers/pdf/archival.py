"""PDF/A-2 identification for the brief: sRGB output intent, XMP metadata matching the document info."""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from factsheet.errors import RenderError
from factsheet.writers import embedded

#: The output condition the brief's colours are meant for.
SRGB = "sRGB IEC61966-2.1"

_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})'?(\d{2})'?|Z)?")
_PRINT = 4  # the annotation flag "Print"
_NULL_MAPPING = re.compile(rb"^<[0-9A-Fa-f]+>\s*<0000>\s*$")


@cache
def srgb_profile() -> bytes:
    """Return an sRGB ICC profile (the one pikepdf ships for PDF/A output intents)."""
    try:
        return resources.files("pikepdf").joinpath("pdfa", "data", "sRGB.icc").read_bytes()
    except OSError:
        raise RenderError(
            "cannot write a PDF/A file: pikepdf's sRGB colour profile (pikepdf/pdfa/data/sRGB.icc) "
            "is missing; install pikepdf 10.18 or later"
        ) from None


def add_output_intent(pdf: pikepdf.Pdf) -> None:
    """Declare sRGB as the colour space every device colour in the file is meant in."""
    profile = pdf.make_stream(srgb_profile())
    profile.N = 3
    intent = Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFA1,
        OutputConditionIdentifier=String(SRGB),
        Info=String(SRGB),
        RegistryName=String("http://www.color.org"),
        DestOutputProfile=profile,
    )
    pdf.Root.OutputIntents = Array([intent])


def print_annotations(pdf: pikepdf.Pdf) -> None:
    """Flag every annotation to be printed as shown, as PDF/A asks (reportlab sets no flags)."""
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", ()):
            annotation.F = _PRINT


def drop_null_mappings(pdf: pikepdf.Pdf) -> None:
    """Remove ToUnicode entries that map a character code to U+0000.

    reportlab maps the unused codes of a font subset to U+0000, which PDF/UA and
    PDF/A-2u forbid; no drawn text uses them, so leaving them unmapped loses nothing.
    """
    seen: set[tuple[int, int]] = set()
    for font in _fonts(pdf):
        cmap = font.get("/ToUnicode")
        if not isinstance(cmap, pikepdf.Stream) or cmap.objgen in seen:
            continue
        seen.add(cmap.objgen)
        data = cmap.read_bytes()
        fixed = _without_null_mappings(data)
        if fixed != data:
            cmap.write(fixed)


def _fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    for page in pdf.pages:
        yield from _resource_fonts(page.obj.get("/Resources"), 0)


def _resource_fonts(resources_dict: object, depth: int) -> Iterator[pikepdf.Object]:
    if not isinstance(resources_dict, Dictionary) or depth > 8:
        return
    fonts = resources_dict.get("/Font")
    if isinstance(fonts, Dictionary):
        yield from fonts.values()
    xobjects = resources_dict.get("/XObject")
    if isinstance(xobjects, Dictionary):
        for xobject in xobjects.values():
            if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == Name.Form:
                yield from _resource_fonts(xobject.get("/Resources"), depth + 1)


def _without_null_mappings(data: bytes) -> bytes:
    out: list[bytes] = []
    lines = data.split(b"\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip().endswith(b"beginbfchar"):
            entries = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(b"endbfchar"):
                if not _NULL_MAPPING.match(lines[i].strip()):
                    entries.append(lines[i])
                i += 1
            for start in range(0, len(entries), 100):  # a bfchar block holds at most 100 entries
                chunk = entries[start : start + 100]
                out.append(b"%d beginbfchar" % len(chunk))
                out.extend(chunk)
                out.append(b"endbfchar")
        else:
            out.append(line)
        i += 1
    return b"\n".join(out)


def xmp_date(pdf_date: str) -> str:
    """Return the XMP form of a PDF date string (``D:YYYYMMDDHHmmSS+HH'mm'``), or "" if it is not one."""
    m = _PDF_DATE.match(pdf_date or "")
    if not m:
        return ""
    stamp = f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}:{m[6]}"
    return stamp + (f"{m[7]}{m[8]}:{m[9]}" if m[7] else "Z")


_UA_SCHEMA = """<rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>part</pdfaProperty:name>
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
     <pdfaProperty:category>internal</pdfaProperty:category>
     <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li>"""


def _kept_info(pdf: pikepdf.Pdf) -> dict[str, str]:
    """Return the info dictionary's entries the XMP repeats, after dropping every other (and empty) one."""
    info = pdf.trailer.get("/Info")
    if not isinstance(info, Dictionary):
        info = pdf.make_indirect(Dictionary())
        pdf.trailer.Info = info
    keys = (
        "/Title",
        "/Author",
        "/Subject",
        "/Keywords",
        "/Creator",
        "/Producer",
        "/CreationDate",
        "/ModDate",
    )
    values = {k: str(info[k]) for k in keys if k in info}
    for key in list(info.keys()):
        if key not in values or not values[key]:
            del info[key]
    return values


def _conformance(pdfa: str, pdfua: bool, provenance: str) -> list[str]:
    """Return the XMP properties that declare PDF/A (``"2A"``, ``"2B"`` or "") and PDF/UA-1, and the provenance."""
    props = []
    if pdfa:
        props.append(f"   <pdfaid:part>{pdfa[0]}</pdfaid:part>")
        props.append(f"   <pdfaid:conformance>{pdfa[1]}</pdfaid:conformance>")
    if pdfua:
        props.append("   <pdfuaid:part>1</pdfuaid:part>")
    if provenance:
        props.append(embedded.xmp_property(provenance))
    schemas = ([_UA_SCHEMA] if pdfua else []) + ([embedded.XMP_SCHEMA] if provenance else [])
    if pdfa and schemas:  # PDF/A knows only its own schemas: describe the others
        props.append(
            "   <pdfaExtension:schemas><rdf:Bag>" + "".join(schemas) + "</rdf:Bag></pdfaExtension:schemas>"
        )
    return props


def write_metadata(pdf: pikepdf.Pdf, language: str, pdfa: str, pdfua: bool, provenance: str = "") -> None:
    """Write an XMP packet that repeats the document info, with PDF/A (``"2A"``, ``"2B"`` or "") and PDF/UA ids.

    The info dictionary keeps only entries the XMP repeats, so the two always agree.
    ``provenance``, the brief's provenance record, goes into a property of its own,
    declared as a PDF/A extension schema.
    """
    values = _kept_info(pdf)

    def text(key: str) -> str:
        return escape(values.get(key, ""))

    props = ["   <dc:format>application/pdf</dc:format>"]
    if values.get("/Title"):
        props.append(
            f'   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text("/Title")}</rdf:li></rdf:Alt></dc:title>'
        )
    if values.get("/Author"):
        props.append(f"   <dc:creator><rdf:Seq><rdf:li>{text('/Author')}</rdf:li></rdf:Seq></dc:creator>")
    if values.get("/Subject"):
        props.append(
            '   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
            f"{text('/Subject')}</rdf:li></rdf:Alt></dc:description>"
        )
    if language:
        props.append(f"   <dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>")
    if values.get("/Keywords"):
        props.append(f"   <pdf:Keywords>{text('/Keywords')}</pdf:Keywords>")
    if values.get("/Producer"):
        props.append(f"   <pdf:Producer>{text('/Producer')}</pdf:Producer>")
    if values.get("/Creator"):
        props.append(f"   <xmp:CreatorTool>{text('/Creator')}</xmp:CreatorTool>")
    created, modified = xmp_date(values.get("/CreationDate", "")), xmp_date(values.get("/ModDate", ""))
    if created:
        props.append(f"   <xmp:CreateDate>{created}</xmp:CreateDate>")
    if modified:
        props.append(f"   <xmp:ModifyDate>{modified}</xmp:ModifyDate>")
        props.append(f"   <xmp:MetadataDate>{modified}</xmp:MetadataDate>")
    props += _conformance(pdfa, pdfua, provenance)
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"'
        ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"'
        f' xmlns:{embedded.PREFIX}="{embedded.NAMESPACE}"'
        ' xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"'
        ' xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"'
        ' xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\n'
        + "\n".join(props)
        + '\n  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="w"?>'
    )
    stream = pdf.make_stream(packet.encode("utf-8"))
    stream.Type = Name.Metadata
    stream.Subtype = Name.XML
    pdf.Root.Metadata = stream


def _ends_in_cr(data: bytes) -> list[str]:
    """Return the /Type of each stream of the PDF ``data`` whose raw bytes end in b"\\r" ("" for none)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [
            str(o.get("/Type", ""))
            for o in pdf.objects
            if isinstance(o, pikepdf.Stream) and o.read_raw_bytes().endswith(b"\r")
        ]


#: An object stream's header as qpdf writes it: its dictionary holds no other dictionary.
_OBJECT_STREAM = re.compile(rb"\d+ 0 obj\s*<<([^<>]*?/Type\s*/ObjStm\b[^<>]*)>>\s*stream\r?\n")
_DIRECT_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")


def _object_stream_ends_in_cr(data: bytes) -> bool | None:
    """Return whether an object stream of the saved PDF ``data`` ends in b"\\r", read off its bytes.

    None when the file is not laid out as qpdf writes it (then ask pikepdf): this
    reads no object, so a long brief is not parsed a second time after saving.
    """
    found = 0
    for m in _OBJECT_STREAM.finditer(data):
        length = _DIRECT_LENGTH.search(m.group(1))
        if length is None:
            return None
        end = m.end() + int(length.group(1))
        if not data[end : end + 12].lstrip(b"\r\n").startswith(b"endstream"):
            return None
        if data[end - 1 : end] == b"\r":
            return True
        found += 1
    return None if found != data.count(b"/ObjStm") else False


def _xref_stream_ends_in_cr(data: bytes) -> bool:
    """Return whether the cross-reference stream of the saved PDF ``data`` (its last stream) ends in b"\r"."""
    if b"/XRef" not in data:
        return False
    end = data.rfind(b"endstream")
    return end > 1 and data[end - 2 : end] == b"\r\n"


def _content_streams(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Stream]:
    """Yield the page content streams and form XObjects: streams whose trailing white space means nothing."""
    for o in pdf.objects:
        if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Form":
            yield o
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
            if isinstance(stream, pikepdf.Stream):
                yield stream


def _pad_content_streams(pdf: pikepdf.Pdf) -> None:
    """Give each content stream whose compressed bytes would end in b"\\r" a trailing newline.

    A zlib stream ends with the Adler-32 checksum of its data, whatever the
    compression level, so only different data gives a different last byte; a
    newline at the end of a content stream changes nothing drawn.
    """
    for stream in _content_streams(pdf):
        if stream.get("/Filter") not in (None, Name.FlateDecode) or "/DecodeParms" in stream:
            continue
        data = stream.read_bytes()
        if (zlib.adler32(data) & 0xFF) != 0x0D and not stream.read_raw_bytes().endswith(b"\r"):
            continue
        while (zlib.adler32(data) & 0xFF) == 0x0D:
            data += b"\n"
        stream.write(zlib.compress(data), filter=Name.FlateDecode)


def save(pdf: pikepdf.Pdf, **options: Any) -> bytes:
    """Return ``pdf`` saved with ``options``, no stream's bytes ending in a carriage return.

    A stream whose bytes end in ``\\r`` reads, before the ``endstream``
    keyword, as if that byte began the end-of-line marker, so a PDF/A validator
    finds its /Length one byte too long (STREAM-LENGTH-001). Content streams (a
    chart's drawing) get a trailing newline, which changes their checksum and so
    their last byte; an object stream or cross-reference stream that still ends
    so is not made: the file is saved again without object streams (and so with
    a plain cross-reference table). The same brief gives the same bytes.
    """
    _pad_content_streams(pdf)
    out = io.BytesIO()
    pdf.save(out, **options)
    data = out.getvalue()
    ends_in_cr = _object_stream_ends_in_cr(data)
    if ends_in_cr is None:
        ends_in_cr = "/ObjStm" in _ends_in_cr(data)
    if ends_in_cr or _xref_stream_ends_in_cr(data):  # without object streams, no cross-reference stream
        out = io.BytesIO()
        pdf.save(out, **{**options, "object_stream_mode": pikepdf.ObjectStreamMode.disable})
        data = out.getvalue()
    return data
