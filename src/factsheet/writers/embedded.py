"""The provenance record inside each output: where each format keeps it, and reading it back.

PDF: an XMP property (``fsprov:record``) in the document's metadata, its schema
declared as a PDF/A extension schema. DOCX: a custom XML part
(``customXml/item1.xml`` with its properties part). HTML: a JSON data block
(``<script type="application/json" id="factsheet-provenance">``), which no
browser runs. The record is JSON text the writers embed as it is.
"""

from __future__ import annotations

import io
import json
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile

from factsheet.xmltext import escape

#: The namespace of the record in XMP and in the DOCX custom XML part.
NAMESPACE = "urn:factsheet:provenance:1#"
PREFIX = "fsprov"
#: The custom XML part's fixed id (the same brief gives the same bytes).
ITEM_ID = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, NAMESPACE)).upper() + "}"
HTML_ID = "factsheet-provenance"

#: The PDF/A extension schema that declares the XMP property.
XMP_SCHEMA = f"""<rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>factsheet provenance record</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>{NAMESPACE}</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>{PREFIX}</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>record</pdfaProperty:name>
     <pdfaProperty:valueType>Text</pdfaProperty:valueType>
     <pdfaProperty:category>external</pdfaProperty:category>
     <pdfaProperty:description>The brief's sources, captures and quoted passages, as JSON, for factsheet verify</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li>"""


def xmp_property(record: str) -> str:
    """Return the XMP element holding ``record``."""
    return f"   <{PREFIX}:record>{escape(record)}</{PREFIX}:record>"


def custom_xml_item(record: str) -> bytes:
    """Return the DOCX custom XML part holding ``record``."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<provenance xmlns="{NAMESPACE}">'
        f"{escape(record)}</provenance>"
    ).encode()


def custom_xml_properties() -> bytes:
    """Return the properties part of the custom XML part: its id and the namespace it uses."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<ds:datastoreItem ds:itemID="{ITEM_ID}" '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()


def html_block(record: str) -> str:
    """Return the HTML data block holding ``record`` (JSON that cannot end its element)."""
    data = record.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{HTML_ID}">\n{data}\n</script>'


# -- reading it back -------------------------------------------------------------------------

_HTML_BLOCK = re.compile(rf'<script type="application/json" id="{HTML_ID}">\n?(.*?)\n?</script>', re.DOTALL)


class UnknownFormat(ValueError):
    """The bytes are not a PDF, a DOCX or an HTML page."""


def read_record(data: bytes) -> str | None:
    """Return the provenance record embedded in a PDF, DOCX or HTML output, or None when it has none."""
    if data.startswith(b"%PDF"):
        return _from_pdf(data)
    if data.startswith(b"PK"):
        return _from_docx(data)
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        m = _HTML_BLOCK.search(data.decode("utf-8", "replace"))
        return _json_text(m.group(1)) if m else None
    raise UnknownFormat("not a PDF, DOCX or HTML file")


def _json_text(text: str) -> str | None:
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True, indent=1)
    except ValueError:
        return text  # altered: verification says so


def _from_pdf(data: bytes) -> str | None:
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            metadata = pdf.Root.get("/Metadata")
            xmp = metadata.read_bytes() if isinstance(metadata, pikepdf.Stream) else b""
    except pikepdf.PdfError as exc:
        raise UnknownFormat(f"not a readable PDF: {exc}") from None
    return _xml_record(xmp, f"{{{NAMESPACE}}}record")


def _from_docx(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in sorted(archive.namelist()):
                if re.fullmatch(r"customXml/item\d+\.xml", name):
                    found = _xml_record(archive.read(name), f"{{{NAMESPACE}}}provenance")
                    if found is not None:
                        return found
    except zipfile.BadZipFile as exc:
        raise UnknownFormat(f"not a readable DOCX: {exc}") from None
    return None


def _xml_record(xml: bytes, tag: str) -> str | None:
    if not xml:
        return None
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        return None
    found = root if root.tag == tag else root.find(f".//{tag}")
    return _json_text(found.text or "") if found is not None else None
