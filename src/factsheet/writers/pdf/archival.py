"""PDF/A-2 identification for the brief: sRGB output intent, XMP metadata matching the document info."""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDate, PDFDictionary, PDFObject, PDFString, format

from factsheet.errors import RenderError
from factsheet.writers import embedded
from factsheet.writers.pdf.pdffile import amend, stream
from factsheet.xmltext import escape

if TYPE_CHECKING:
    from reportlab.pdfbase.pdfdoc import PDFDocument

#: The output condition the brief's colours are meant for.
SRGB = "sRGB IEC61966-2.1"

_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})'?(\d{2})'?|Z)?")
_PRINT = 4  # the annotation flag "Print"
_NULL_MAPPING = re.compile(r"^<[0-9A-Fa-f]+>\s*<0000>\s*$")
#: The document info entries the XMP repeats, in the order it states them; any other is left out.
_INFO_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate")


@cache
def srgb_profile() -> bytes:
    """Return an sRGB ICC profile: the one pikepdf ships for PDF/A output intents, read without importing it."""
    spec = importlib.util.find_spec("pikepdf")
    folders = (spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        try:
            return (Path(folder) / "pdfa" / "data" / "sRGB.icc").read_bytes()
        except OSError:
            continue
    raise RenderError(
        "cannot write a PDF/A file: pikepdf's sRGB colour profile (pikepdf/pdfa/data/sRGB.icc) "
        "is missing; install pikepdf 10.18 or later"
    )


def add_output_intent(doc: PDFDocument) -> None:
    """Declare sRGB as the colour space every device colour in the file is meant in."""
    intent = PDFDictionary(
        {
            "Type": "/OutputIntent",
            "S": "/GTS_PDFA1",
            "OutputConditionIdentifier": PDFString(SRGB),
            "Info": PDFString(SRGB),
            "RegistryName": PDFString("http://www.color.org"),
            "DestOutputProfile": stream(srgb_profile(), N=3),
        }
    )
    amend(doc.Catalog, OutputIntents=PDFArray([intent]))


def print_annotations(doc: PDFDocument) -> None:
    """Flag every annotation to be printed as shown, as PDF/A asks (reportlab sets no flags)."""
    for page in doc.Pages.pages:
        for ref in page.Annots or ():
            amend(doc.idToObject[ref.name], F=_PRINT)


def drop_null_mappings(doc: PDFDocument) -> None:
    """Remove ToUnicode entries that map a character code to U+0000.

    reportlab maps the unused codes of a font subset to U+0000, which PDF/UA and
    PDF/A-2u forbid; no drawn text uses them, so leaving them unmapped loses nothing.
    Its fonts' objects must be made first (``pdffile.realize_fonts``).
    """
    for name, obj in doc.idToObject.items():
        if name.startswith("toUnicodeCMap:") and isinstance(obj.content, str):
            obj.content = without_null_mappings(obj.content)


def without_null_mappings(cmap: str) -> str:
    """Return a ToUnicode CMap without its entries that map to U+0000, 100 entries at most to a block."""
    out: list[str] = []
    lines = cmap.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip().endswith("beginbfchar"):
            entries = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("endbfchar"):
                if not _NULL_MAPPING.match(lines[i].strip()):
                    entries.append(lines[i])
                i += 1
            for start in range(0, len(entries), 100):  # a bfchar block holds at most 100 entries
                chunk = entries[start : start + 100]
                out.append(f"{len(chunk)} beginbfchar")
                out.extend(chunk)
                out.append("endbfchar")
        else:
            out.append(line)
        i += 1
    return "\n".join(out)


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


class _Info(PDFObject):  # type: ignore[misc]  # reportlab has no type stubs: its classes are Any
    """The document info dictionary: only the entries the XMP repeats, none empty."""

    def __init__(self, values: dict[str, str]):
        self.values = values

    def format(self, document: PDFDocument) -> bytes:
        entries = {key: PDFString(value) for key, value in self.values.items()}
        return bytes(format(PDFDictionary(entries), document))


def _info_values(doc: PDFDocument) -> dict[str, str]:
    """Return the document info reportlab would write, without its empty entries and those the XMP does not repeat."""
    info = doc.info
    date = format(PDFDate(ts=doc._timeStamp, dateFormatter=info._dateFormatter), doc).decode("latin-1")[1:-1]
    values = {
        "Title": info.title,
        "Author": info.author,
        "Subject": info.subject,
        "Keywords": info.keywords,
        "Creator": info.creator,
        "Producer": info.producer,
        "CreationDate": date,
        "ModDate": date,
    }
    return {key: str(values[key]) for key in _INFO_KEYS if values[key]}


def _described(values: dict[str, str], language: str) -> list[str]:
    """Return the XMP properties that repeat the document info ``values`` and state the language."""

    def text(key: str) -> str:
        return escape(values.get(key, ""))

    props = ["   <dc:format>application/pdf</dc:format>"]
    if values.get("Title"):
        props.append(
            f'   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{text("Title")}</rdf:li></rdf:Alt></dc:title>'
        )
    if values.get("Author"):
        props.append(f"   <dc:creator><rdf:Seq><rdf:li>{text('Author')}</rdf:li></rdf:Seq></dc:creator>")
    if values.get("Subject"):
        props.append(
            '   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
            f"{text('Subject')}</rdf:li></rdf:Alt></dc:description>"
        )
    if language:
        props.append(f"   <dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>")
    if values.get("Keywords"):
        props.append(f"   <pdf:Keywords>{text('Keywords')}</pdf:Keywords>")
    if values.get("Producer"):
        props.append(f"   <pdf:Producer>{text('Producer')}</pdf:Producer>")
    if values.get("Creator"):
        props.append(f"   <xmp:CreatorTool>{text('Creator')}</xmp:CreatorTool>")
    created, modified = xmp_date(values.get("CreationDate", "")), xmp_date(values.get("ModDate", ""))
    if created:
        props.append(f"   <xmp:CreateDate>{created}</xmp:CreateDate>")
    if modified:
        props.append(f"   <xmp:ModifyDate>{modified}</xmp:ModifyDate>")
        props.append(f"   <xmp:MetadataDate>{modified}</xmp:MetadataDate>")
    return props


def write_metadata(doc: PDFDocument, language: str, pdfa: str, pdfua: bool, provenance: str = "") -> None:
    """Write an XMP packet that repeats the document info, with PDF/A (``"2A"``, ``"2B"`` or "") and PDF/UA ids.

    The info dictionary keeps only entries the XMP repeats, so the two always agree.
    ``provenance``, the brief's provenance record, goes into a property of its own,
    declared as a PDF/A extension schema.
    """
    values = _info_values(doc)
    doc.info = _Info(values)
    props = _described(values, language) + _conformance(pdfa, pdfua, provenance)
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
    # not compressed, so that a reader that only scans the file finds it
    metadata = stream(packet.encode("utf-8"), compress=False, Type="/Metadata", Subtype="/XML")
    amend(doc.Catalog, Metadata=metadata)
