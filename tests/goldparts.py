"""A built brief cut into reviewed golden parts, feature by feature: header, each section, chart, notes, metadata.

Each format is cut the same way: the blocks before the first section heading are
the ``header``; each section heading starts the part named after it (the editor's
heading, made a file name); the chart is ``chart``, and the blocks after it go back
to the section it stands in. The notes, the page set-up, the styles, the metadata
and the provenance record are parts of their own. The PDF adds its text page by
page. A change to one feature changes its own parts only.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from collections.abc import Callable, Iterable
from io import BytesIO

import pikepdf
from lxml import etree, html

import required

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: where a commit of the sheet stands in a provenance record: it moves with every commit of the fixture
_COMMIT = re.compile(r'("commit": )"[0-9a-f]{40}"')


def slug(text: str) -> str:
    """Return ``text`` as a file name: lower-case words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "untitled"


def masked(record: str) -> str:
    """Return a provenance record with the sheet's commit masked, so a commit of the fixture changes nothing."""
    return _COMMIT.sub(r'\1"<commit>"', record.strip()) + "\n"


def _pretty(element) -> str:
    return etree.tostring(element, pretty_print=True, encoding="unicode")


def _pretty_xml(xml: bytes) -> str:
    return _pretty(etree.fromstring(xml))


class _Cutter:
    """Sorts a flat run of blocks into features: ``header``, one per section heading, ``chart``."""

    def __init__(self) -> None:
        self.parts: dict[str, list[str]] = {}
        self.section = "header"
        self.current = "header"

    def add(self, text: str) -> None:
        self.parts.setdefault(self.current, []).append(text)

    def start_section(self, title: str) -> None:
        self.section = self.current = slug(title)

    def start_chart(self) -> None:
        self.current = "chart"

    def end_chart(self) -> None:
        self.current = self.section

    def joined(self) -> dict[str, str]:
        return {name: "".join(texts) for name, texts in self.parts.items()}


# -- DOCX ---------------------------------------------------------------------------------------


def _style(element) -> str:
    style = element.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val") if style is not None else ""


def _docx_body(document_xml: bytes) -> tuple[dict[str, str], str]:
    """Return the body's blocks by feature, and its section properties (the page set-up)."""
    body = etree.fromstring(document_xml).find(f"{W}body")
    cutter = _Cutter()
    page = ""
    for element in body:
        style = _style(element)
        is_chart = style in ("ChartTitle", "Caption") or element.find(f".//{W}drawing") is not None
        if element.tag == f"{W}sectPr":
            page = _pretty(element)
            continue
        if style == "Heading2":
            cutter.start_section("".join(element.itertext()))
        elif is_chart:
            cutter.start_chart()
        elif cutter.current == "chart":
            cutter.end_chart()
        cutter.add(_pretty(element))
    return cutter.joined(), page


def _entries(archive: zipfile.ZipFile) -> str:
    return "".join(f"{i.filename} {i.date_time} {i.compress_type}\n" for i in archive.infolist())


def _parts(archive: zipfile.ZipFile, names: Iterable[str]) -> str:
    return "".join(
        f"== {name}\n{_pretty_xml(archive.read(name))}" for name in names if name in archive.namelist()
    )


def docx_features(data: bytes) -> dict[str, str]:
    """Return the DOCX's golden parts by feature: ``{feature: text}``."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        features, page = _docx_body(archive.read("word/document.xml"))
        features["notes"] = _pretty_xml(archive.read("word/footnotes.xml"))
        features["page"] = page + _parts(archive, ["word/footer1.xml", "word/settings.xml"])
        features["styles"] = _parts(archive, ["word/styles.xml", "word/numbering.xml"])
        features["metadata"] = _parts(archive, ["docProps/core.xml", "docProps/app.xml"])
        features["package"] = _entries(archive) + _parts(
            archive,
            [
                "[Content_Types].xml",
                "_rels/.rels",
                "word/_rels/document.xml.rels",
                "customXml/_rels/item1.xml.rels",
                "customXml/itemProps1.xml",
            ],
        )
        record = etree.fromstring(archive.read("customXml/item1.xml")).text or ""
        features["provenance"] = masked(record)
    return features


# -- HTML ---------------------------------------------------------------------------------------


def _html(element) -> str:
    return html.tostring(element, pretty_print=True, encoding="unicode")


def html_features(data: bytes) -> dict[str, str]:
    """Return the fact box's golden parts by feature: ``{feature: text}``."""
    page = html.fromstring(data)
    cutter = _Cutter()
    features: dict[str, str] = {}
    for element in page.find(".//article"):
        if element.tag == "h2":
            cutter.start_section(element.text_content())
        elif element.tag == "figure":
            cutter.start_chart()
        elif cutter.current == "chart":
            cutter.end_chart()
        if element.tag == "section" and "notes" in element.get("class", ""):
            features["notes"] = _html(element)
            continue
        cutter.add(_html(element))
    features.update(cutter.joined())
    head = page.find("head")
    provenance = head.find("script[@id='factsheet-provenance']")
    features["provenance"] = masked(provenance.text or "")
    features["styles"] = "".join(_html(style) for style in head.iter("style"))
    features["metadata"] = "".join(_html(e) for e in head if e.tag not in ("style", "script")) + "".join(
        _json_ld(script) for script in page.iter("script") if script.get("type") == "application/ld+json"
    )
    features["page"] = "".join(_html(e) for e in page.iter("footer"))
    return features


def _json_ld(script) -> str:
    return json.dumps(json.loads(script.text or "null"), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# -- PDF ----------------------------------------------------------------------------------------


def pdf_pages(data: bytes) -> list[str]:
    """Return the text of each page as poppler's pdftotext lays it out."""
    tool = required.tool("pdftotext", hint="poppler-utils")
    text = subprocess.run([tool, "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    pages = text.decode("utf-8").split("\f")
    return pages[:-1] if pages and pages[-1] == "" else pages


def _outline_titles(pdf: pikepdf.Pdf) -> list[str]:
    titles: list[str] = []

    def walk(items) -> None:
        for item in items:
            titles.append(item.title)
            walk(item.children)

    with pdf.open_outline() as outline:
        walk(outline.root)
    return titles


def _element_line(element, depth: int, title: Callable[[], str]) -> str:
    role = str(element.get("/S"))[1:]
    said = [role]
    if role in ("H1", "H2", "H3", "H4", "H5", "H6"):
        said.append(repr(title()))
    for key in ("/Alt", "/ID", "/Lang"):
        if key in element:
            said.append(f"{key[1:]}={str(element[key])!r}")
    attributes = element.get("/A")
    if attributes is not None:
        for key in ("/Scope", "/RowSpan"):
            if key in attributes:
                said.append(f"{key[1:]}={attributes[key]}")
    kids = element.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else ([] if kids is None else [kids])
    marks = sum(1 for k in kids if not isinstance(k, pikepdf.Dictionary) or k.get("/Type") == "/MCR")
    if marks:
        said.append(f"[{marks} marked]")
    return "  " * depth + " ".join(said) + "\n"


def _structure(element, depth: int, title: Callable[[], str]) -> str:
    text = _element_line(element, depth, title)
    kids = element.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else ([] if kids is None else [kids])
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            text += _structure(kid, depth + 1, title)
    return text


def _known(heading: str) -> Callable[[], str]:
    return lambda: heading


def pdf_features(data: bytes) -> dict[str, str]:
    """Return the PDF's golden parts by feature (its structure tree cut by section), its metadata and pages."""
    pdf = pikepdf.open(BytesIO(data))
    titles = iter(_outline_titles(pdf))

    def title() -> str:
        return next(titles, "?")

    cutter = _Cutter()
    for element in pdf.Root.StructTreeRoot.K.K:
        role = str(element.get("/S"))
        heading = ""
        if role == "/H2":
            heading = title()
            cutter.start_section(heading)
        elif role == "/Figure":
            cutter.start_chart()
        elif cutter.current == "chart":
            cutter.end_chart()
        cutter.add(_structure(element, 0, _known(heading) if heading else title))
    features = cutter.joined()
    metadata = str(pdf.open_metadata())
    record = re.search(r"<fsprov:record>(.*?)</fsprov:record>", metadata, re.S)
    features["provenance"] = masked(
        html.fromstring(f"<p>{record.group(1)}</p>").text_content() if record else ""
    )
    features["metadata"] = (
        re.sub(
            r"<fsprov:record>.*?</fsprov:record>",
            "<fsprov:record>(see provenance)</fsprov:record>",
            metadata,
            flags=re.S,
        )
        + "\n"
        + "".join(f"{key} {str(value)!r}\n" for key, value in sorted(pdf.docinfo.items()))
    )
    return features
