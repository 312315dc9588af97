"""Raw WordprocessingML: the body's elements and every element python-docx has no API for.

The writer keeps python-docx for the package, the section, the footer and pictures.
The body's paragraphs, runs and tables, which a long brief has by the ten thousand,
are appended here as plain lxml elements, without python-docx's proxies; so is what
python-docx lacks: the footnotes part, ``w:footnotePr`` and font embedding in
``settings.xml``, the style sheet, bullet numbering, table borders and repeating
header rows, fields, the font table and its obfuscated fonts, tracked-change runs,
the description of pictures and the package's content types.

Elements are built with qualified names (lxml's ``SubElement``, or python-docx's
oxml parser), never by joining strings, so text is always escaped by lxml. Text content goes through
:func:`clean_text`, which states the rules for characters XML or Word cannot hold.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import OxmlElement
from lxml import etree

from factsheet.errors import RenderError

from . import word_styles as S

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

#: An lxml element; python-docx's oxml elements are lxml elements too. lxml ships no
#: type information, so the alias names what is meant without narrowing it.
XmlElement: TypeAlias = Any

# -- namespaces and content types ---------------------------------------------

W = nsmap["w"]
R = nsmap["r"]
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
EP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"

CT_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
CT_FONT_TABLE = "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"
CT_OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
CT_EXTENDED_PROPERTIES = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
CT_RELATIONSHIPS = "application/vnd.openxmlformats-package.relationships+xml"
CT_XML = "application/xml"

_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_FOOTNOTES = _RT + "footnotes"
RT_FONT = _RT + "font"

#: Separator notes, by Word's convention; content notes are numbered from 1.
SEPARATOR_ID = -1
CONTINUATION_SEPARATOR_ID = 0

#: Child order of ``w:settings`` (CT_Settings, ECMA-376 Part 1 §17.15.1.78).
SETTINGS_ORDER = (
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
    "embedTrueTypeFonts",
    "embedSystemFonts",
    "saveSubsetFonts",
    "saveFormsData",
    "mirrorMargins",
    "alignBordersAndEdges",
    "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter",
    "gutterAtTop",
    "hideSpellingErrors",
    "hideGrammaticalErrors",
    "activeWritingStyle",
    "proofState",
    "formsDesign",
    "attachedTemplate",
    "linkStyles",
    "stylePaneFormatFilter",
    "stylePaneSortMethod",
    "documentType",
    "mailMerge",
    "revisionView",
    "trackRevisions",
    "doNotTrackMoves",
    "doNotTrackFormatting",
    "documentProtection",
    "autoFormatOverride",
    "styleLockTheme",
    "styleLockQFSet",
    "defaultTabStop",
    "autoHyphenation",
    "consecutiveHyphenLimit",
    "hyphenationZone",
    "doNotHyphenateCaps",
    "showEnvelope",
    "summaryLength",
    "clickAndTypeStyle",
    "defaultTableStyle",
    "evenAndOddHeaders",
    "bookFoldRevPrinting",
    "bookFoldPrinting",
    "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing",
    "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery",
    "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin",
    "doNotShadeFormData",
    "noPunctuationKerning",
    "characterSpacingControl",
    "printTwoOnOne",
    "strictFirstAndLastChars",
    "noLineBreaksAfter",
    "noLineBreaksBefore",
    "savePreviewPicture",
    "doNotValidateAgainstSchema",
    "saveInvalidXml",
    "ignoreMixedContent",
    "alwaysShowPlaceholderText",
    "doNotDemarcateInvalidXml",
    "saveXmlDataOnly",
    "useXSLTWhenSaving",
    "saveThroughXslt",
    "showXMLTags",
    "alwaysMergeEmptyNamespace",
    "updateFields",
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "m:mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "sl:schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)

#: Child order of ``w:tblPr`` (CT_TblPr).
TBLPR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
)

#: Child order of ``w:tcPr`` (CT_TcPr).
TCPR_ORDER = (
    "cnfStyle",
    "tcW",
    "gridSpan",
    "hMerge",
    "vMerge",
    "tcBorders",
    "shd",
    "noWrap",
    "tcMar",
    "textDirection",
    "tcFitText",
    "vAlign",
    "hideMark",
)


# -- element building -----------------------------------------------------------


def _qname(name: str) -> str:
    """Return the Clark name of ``name``; a bare name is in the ``w`` namespace."""
    return qn(name if ":" in name else "w:" + name)


def element(
    tag: str,
    attrs: dict[str, object] | None = None,
    *children: XmlElement | None,
    nsdecls: dict[str, str] | None = None,
) -> XmlElement:
    """Return a new element ``tag`` with qualified ``attrs`` and ``children``.

    Names without a prefix are WordprocessingML (``w:``) names.
    """
    el = OxmlElement(tag if ":" in tag else "w:" + tag, nsdecls=nsdecls)
    for name, value in (attrs or {}).items():
        el.set(_qname(name), str(value))
    for child in children:
        if child is not None:
            el.append(child)
    return el


def sub(
    parent: XmlElement, tag: str, attrs: dict[str, object] | None = None, *children: XmlElement | None
) -> XmlElement:
    """Append a new element ``tag`` to ``parent`` and return it."""
    el = element(tag, attrs, *children)
    parent.append(el)
    return el


def _local(el: XmlElement) -> str:
    """Return the name of ``el`` as written in the order tables (``m:`` kept)."""
    ns, _, local = el.tag[1:].partition("}")
    return local if ns == W else f"{_PREFIXES.get(ns, '?')}:{local}"


_PREFIXES = {v: k for k, v in nsmap.items()}


def insert_in_order(parent: XmlElement, child: XmlElement, order: Sequence[str]) -> XmlElement:
    """Insert ``child`` into ``parent`` where the schema sequence ``order`` puts it.

    An existing child of the same name is replaced. Children whose names are not in
    ``order`` (extension elements) are taken to follow every listed one.
    """
    rank = {name: i for i, name in enumerate(order)}
    name = _local(child)
    mine = rank[name]
    for existing in parent.findall(child.tag):
        parent.remove(existing)
    for existing in parent:
        if not isinstance(existing.tag, str):
            continue
        if rank.get(_local(existing), len(order)) > mine:
            existing.addprevious(child)
            return child
    parent.append(child)
    return child


def _el(proxy: Run | Paragraph) -> XmlElement:
    """Return the lxml element behind a python-docx proxy object."""
    return proxy._element  # python-docx keeps it there for every proxy


# -- body: paragraphs and runs as plain lxml elements ---------------------------------
#
# A long brief has tens of thousands of paragraphs and runs: they are appended
# with lxml's SubElement and names resolved once here, without python-docx's proxies.

_Sub = etree.SubElement
(
    _P, _PPR, _PSTYLE, _KEEPNEXT, _SPACING, _R, _RPR, _RSTYLE, _T, _BR, _B, _I, _LANG,
    _FOOTNOTE, _FOOTNOTE_REF, _FOOTNOTE_REFERENCE, _BOOKMARK_START, _BOOKMARK_END,
    _FLDCHAR, _INSTRTEXT,
    _TBL, _TBLPR, _TBLW, _TBLBORDERS, _TBLLAYOUT, _TBLCELLMAR, _TBLLOOK, _TBLGRID, _GRIDCOL,
    _TR, _TRPR, _CANTSPLIT, _TBLHEADER, _TC, _TCPR, _TCW, _SHD, _BODY, _SECTPR,
) = (
    qn("w:" + name)
    for name in (
        "p", "pPr", "pStyle", "keepNext", "spacing", "r", "rPr", "rStyle", "t", "br", "b", "i", "lang",
        "footnote", "footnoteRef", "footnoteReference", "bookmarkStart", "bookmarkEnd",
        "fldChar", "instrText",
        "tbl", "tblPr", "tblW", "tblBorders", "tblLayout", "tblCellMar", "tblLook", "tblGrid", "gridCol",
        "tr", "trPr", "cantSplit", "tblHeader", "tc", "tcPr", "tcW", "shd", "body", "sectPr",
    )
)  # fmt: skip
#: The style id Word applies to a paragraph that names none.
DEFAULT_PARAGRAPH_STYLE = "Normal"

_VAL, _ID, _NAME, _W_ATTR, _TYPE, _COLOR, _FILL, _BEFORE, _FLDCHARTYPE = (
    qn("w:" + name) for name in ("val", "id", "name", "w", "type", "color", "fill", "before", "fldCharType")
)


class SerialBody:
    """The body of a document, serialized a few blocks at a time as they are written.

    A 1,000-claim record holds a quarter of a million elements, some 50 MiB as one
    tree. Blocks are appended to :attr:`holder`, an element declaring the document's
    namespaces, so they serialize exactly as they would inside the document; every
    :attr:`BATCH` blocks they are serialized and dropped. :meth:`document_xml` then
    writes the document part with them in the body, before its section properties.
    """

    BATCH = 32
    _MARKER = "w:factsheetBlocks"  # stands for the blocks in the body until the part is written

    def __init__(self, document_element: XmlElement):
        self.document = document_element
        self.namespaces = dict(document_element.nsmap)
        self.chunks: list[bytes] = []
        self.pending = 0
        self.holder = self._holder()

    def _holder(self) -> XmlElement:
        return OxmlElement("w:body", nsdecls=self.namespaces)

    def block_done(self) -> None:
        """Count a block written; serialize the held blocks once there are :attr:`BATCH` of them."""
        self.pending += 1
        if self.pending >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        """Serialize the held blocks (the holder's content, without its own tags) and start a new holder."""
        if len(self.holder):
            data = etree.tostring(self.holder, encoding="UTF-8", xml_declaration=False)
            self.chunks.append(data[data.index(b">") + 1 : data.rindex(b"</")])
            self.holder = self._holder()
        self.pending = 0

    def close(self) -> None:
        """Serialize what is held and mark the blocks' place in the body, before ``w:sectPr``."""
        self.flush()
        body = self.document.find(_BODY)
        marker = element(self._MARKER)
        section = body.find(_SECTPR)
        if section is None:
            body.append(marker)
        else:
            section.addprevious(marker)

    def document_xml(self) -> bytes:
        """Return the document part's XML, as python-docx writes a part, with the blocks in its body."""
        data: bytes = etree.tostring(self.document, encoding="UTF-8", standalone=True)
        before, marker, after = data.partition(f"<{self._MARKER}/>".encode())
        if not marker:
            raise RenderError("the document's body was not closed before it was written")
        return before + b"".join(self.chunks) + after


def paragraph(parent: XmlElement, style_id: str) -> XmlElement:
    """Append a paragraph of style ``style_id`` to ``parent`` and return it.

    Like python-docx, the default paragraph style is left implicit (an empty ``w:pPr``).
    """
    p = _Sub(parent, _P)
    ppr = _Sub(p, _PPR)
    if style_id != DEFAULT_PARAGRAPH_STYLE:
        _Sub(ppr, _PSTYLE, {_VAL: style_id})
    return p


def set_paragraph_style(paragraph_element: XmlElement, style_id: str) -> None:
    """Give an existing paragraph the paragraph style ``style_id``."""
    ppr = paragraph_element.find(_PPR)
    if ppr is None:
        ppr = paragraph_element.makeelement(_PPR, {})
        paragraph_element.insert(0, ppr)
    ps = ppr.find(_PSTYLE)
    if ps is None:
        ps = ppr.makeelement(_PSTYLE, {})
        ppr.insert(0, ps)
    ps.set(_VAL, style_id)


def space_before(paragraph_element: XmlElement, points: float) -> None:
    """Give a new paragraph (holding only its style) ``points`` of space above it."""
    _Sub(paragraph_element[0], _SPACING, {_BEFORE: str(twips(points))})


def text_run(
    paragraph_element: XmlElement, lines: Sequence[str], bold: bool, italic: bool, lang: str = ""
) -> XmlElement:
    """Append ``<w:r>[<w:rPr><w:b/><w:i/><w:lang/></w:rPr>]<w:t>line</w:t><w:br/><w:t>…</w:t></w:r>``; return the run.

    The lines are text already cleaned (:func:`clean_text`); lxml escapes them.
    """
    r = _Sub(paragraph_element, _R)
    if bold or italic or lang:
        rpr = _Sub(r, _RPR)
        if bold:
            _Sub(rpr, _B)
        if italic:
            _Sub(rpr, _I)
        if lang:
            _Sub(rpr, _LANG, {_VAL: lang})
    for index, text in enumerate(lines):
        if index:
            _Sub(r, _BR)
        if not text:
            continue
        t = _Sub(r, _T)
        t.text = text
        if len(text.strip()) < len(text):
            t.set(XML_SPACE, "preserve")
    return r


# -- text -----------------------------------------------------------------------

#: Characters XML 1.0 cannot hold or Word treats as control codes (C0 except the
#: whitespace handled below, DEL, C1), lone surrogates and the two non-characters.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("\r\n|[\r\n\t]")


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def clean_text(text: str) -> str:
    """Return ``text`` as it is written into a ``w:t``.

    Line breaks (``\\r\\n``, ``\\r``, ``\\n``) and tabs become one space each (the writer
    turns the model's line breaks into ``w:br`` before text gets here). Other control
    characters raise :class:`RenderError` naming the text.
    """
    bad = _FORBIDDEN.search(text)
    if bad:
        raise RenderError(
            f"text contains control character U+{ord(bad.group()):04X} and cannot be "
            f"written to DOCX: {_shorten(text)!r}"
        )
    return _BREAKS.sub(" ", text)


def _t(tag: str, text: str) -> XmlElement:
    el = element(tag)
    el.text = text
    if text != text.strip() or "  " in text:
        el.set(XML_SPACE, "preserve")
    return el


def _half_points(pt: float) -> int:
    return int(round(pt * 2))


def twips(pt: float) -> int:
    """Return ``pt`` points in twentieths of a point."""
    return int(round(pt * 20))


# -- style sheet ------------------------------------------------------------------


def _fonts(family: str) -> XmlElement:
    return element("rFonts", {"ascii": family, "hAnsi": family, "eastAsia": family, "cs": family})


def _run_props(style: S.ParagraphStyle, language: str | None = None) -> XmlElement:
    rpr = element("rPr", None, _fonts(style.family))
    if style.bold:
        sub(rpr, "b")
        sub(rpr, "bCs")
    if style.italic:
        sub(rpr, "i")
        sub(rpr, "iCs")
    if style.color:
        sub(rpr, "color", {"val": style.color})
    sub(rpr, "sz", {"val": _half_points(style.size)})
    sub(rpr, "szCs", {"val": _half_points(style.size)})
    if language:
        sub(rpr, "lang", {"val": language})
    return rpr


def _border(tag: str, color: str, size: int, space: int = 0) -> XmlElement:
    return element(tag, {"val": "single", "sz": size, "space": space, "color": color})


def _paragraph_props(style: S.ParagraphStyle) -> XmlElement:
    ppr = element("pPr")
    if style.keep_next:
        sub(ppr, "keepNext")
    if style.keep_lines:
        sub(ppr, "keepLines")
    if style.numbering_id is not None:
        sub(ppr, "numPr", None, element("numId", {"val": style.numbering_id}))
    if style.boxed:
        sub(
            ppr,
            "pBdr",
            None,
            *(_border(side, S.RULE, S.TABLE_RULE_SIZE, 4) for side in ("top", "left", "bottom", "right")),
        )
        sub(ppr, "shd", {"val": "clear", "color": "auto", "fill": S.BOX_FILL})
    sub(
        ppr,
        "spacing",
        {
            "before": twips(style.space_before),
            "after": twips(style.space_after),
            "line": int(round(240 * style.line)),
            "lineRule": "auto",
        },
    )
    if style.indent_left or style.hanging or style.boxed:
        # a boxed paragraph is drawn inset so its border lines up with the text
        inset = twips(4) if style.boxed else 0
        attrs: dict[str, object] = {"left": twips(style.indent_left) + inset}
        if style.boxed:
            attrs["right"] = inset
        if style.hanging:
            attrs["hanging"] = twips(style.hanging)
        sub(ppr, "ind", attrs)
    if style.outline_level is not None:
        sub(ppr, "outlineLvl", {"val": style.outline_level})
    return ppr


def _style_head(kind: str, style_id: str, name: str, default: bool = False) -> XmlElement:
    attrs: dict[str, object] = {"type": kind, "styleId": style_id}
    if default:
        attrs["default"] = 1
    el = element("style", attrs)
    sub(el, "name", {"val": name})
    return el


def paragraph_style_element(style: S.ParagraphStyle, language: str | None = None) -> XmlElement:
    """Return the ``w:style`` element of a paragraph style."""
    el = _style_head("paragraph", style.style_id, style.name, default=style.based_on is None)
    if style.based_on:
        sub(el, "basedOn", {"val": style.based_on})
    if style.next_style:
        sub(el, "next", {"val": style.next_style})
    if style.ui_priority is not None:
        sub(el, "uiPriority", {"val": style.ui_priority})
    if style.primary:
        sub(el, "qFormat")
    el.append(_paragraph_props(style))
    el.append(_run_props(style, language))
    return el


def character_style_element(style: S.CharacterStyle) -> XmlElement:
    """Return the ``w:style`` element of a character style."""
    el = _style_head("character", style.style_id, style.name)
    sub(el, "basedOn", {"val": "DefaultParagraphFont"})
    if style.ui_priority is not None:
        sub(el, "uiPriority", {"val": style.ui_priority})
    sub(el, "unhideWhenUsed")
    rpr = sub(el, "rPr")
    if style.superscript:
        sub(rpr, "vertAlign", {"val": "superscript"})
    return el


def build_styles(
    styles_part_element: XmlElement,
    paragraph_styles: Iterable[S.ParagraphStyle],
    character_styles: Iterable[S.CharacterStyle],
    language: str,
) -> None:
    """Replace the content of a ``w:styles`` element with the brief's style sheet.

    Every style carries an explicit ``w:styleId`` and Word's built-in name where it has
    one, fonts are named explicitly (no theme fonts), and the language is set on the
    document defaults and on the Normal style.
    """
    root = styles_part_element
    for child in list(root):
        root.remove(child)
    normal = next(s for s in paragraph_styles if s.based_on is None)
    defaults = sub(root, "docDefaults")
    sub(defaults, "rPrDefault", None, _run_props(normal, language))
    sub(
        defaults,
        "pPrDefault",
        None,
        element("pPr", None, element("spacing", {"after": 0, "line": 240, "lineRule": "auto"})),
    )
    for style in paragraph_styles:
        root.append(paragraph_style_element(style, language if style is normal else None))
    dpf = _style_head("character", "DefaultParagraphFont", "Default Paragraph Font", True)
    sub(dpf, "uiPriority", {"val": 1})
    sub(dpf, "semiHidden")
    sub(dpf, "unhideWhenUsed")
    root.append(dpf)
    for character_style in character_styles:
        root.append(character_style_element(character_style))
    table = _style_head("table", "TableNormal", "Normal Table", True)
    sub(table, "uiPriority", {"val": 99})
    sub(table, "semiHidden")
    sub(table, "unhideWhenUsed")
    tblpr = sub(table, "tblPr")
    sub(tblpr, "tblInd", {"w": 0, "type": "dxa"})
    sub(
        tblpr,
        "tblCellMar",
        None,
        element("top", {"w": 0, "type": "dxa"}),
        element("left", {"w": 108, "type": "dxa"}),
        element("bottom", {"w": 0, "type": "dxa"}),
        element("right", {"w": 108, "type": "dxa"}),
    )
    root.append(table)
    nolist = _style_head("numbering", "NoList", "No List", True)
    sub(nolist, "uiPriority", {"val": 99})
    sub(nolist, "semiHidden")
    sub(nolist, "unhideWhenUsed")
    root.append(nolist)


# -- numbering ------------------------------------------------------------------


def build_bullet_numbering(numbering_element: XmlElement, style: S.ParagraphStyle, bullet: str) -> None:
    """Replace the content of ``w:numbering`` with one bullet list linked to ``style``."""
    root = numbering_element
    for child in list(root):
        root.remove(child)
    abstract = sub(root, "abstractNum", {"abstractNumId": S.BULLET_ABSTRACT_ID})
    sub(abstract, "nsid", {"val": "4642ED01"})
    sub(abstract, "multiLevelType", {"val": "singleLevel"})
    lvl = sub(abstract, "lvl", {"ilvl": 0})
    sub(lvl, "start", {"val": 1})
    sub(lvl, "numFmt", {"val": "bullet"})
    sub(lvl, "pStyle", {"val": style.style_id})
    sub(lvl, "lvlText", {"val": bullet})
    sub(lvl, "lvlJc", {"val": "left"})
    ppr = sub(lvl, "pPr")
    sub(ppr, "ind", {"left": twips(style.indent_left), "hanging": twips(style.hanging)})
    num = sub(root, "num", {"numId": style.numbering_id})
    sub(num, "abstractNumId", {"val": S.BULLET_ABSTRACT_ID})


# -- settings ---------------------------------------------------------------------


def configure_settings(
    settings_element: XmlElement,
    *,
    language: str,
    footnotes: bool,
    embedded_fonts: bool,
    track_revisions: bool = False,
) -> None:
    """Set the brief's document settings, each element in CT_Settings order.

    ``footnotes`` adds ``w:footnotePr`` naming the two separator notes;
    ``embedded_fonts`` adds ``w:embedTrueTypeFonts`` and ``w:saveSubsetFonts``;
    ``track_revisions`` adds ``w:trackRevisions`` (Word and LibreOffice then track
    further edits).
    """
    root = settings_element
    for name in (
        "savePreviewPicture",
        "footnotePr",
        "embedTrueTypeFonts",
        "saveSubsetFonts",
        "trackRevisions",
    ):
        for old in root.findall(qn("w:" + name)):
            root.remove(old)
    if track_revisions:
        insert_in_order(root, element("trackRevisions"), SETTINGS_ORDER)
    if embedded_fonts:
        insert_in_order(root, element("embedTrueTypeFonts"), SETTINGS_ORDER)
        insert_in_order(root, element("saveSubsetFonts"), SETTINGS_ORDER)
    if footnotes:
        insert_in_order(
            root,
            element(
                "footnotePr",
                None,
                element("footnote", {"id": SEPARATOR_ID}),
                element("footnote", {"id": CONTINUATION_SEPARATOR_ID}),
            ),
            SETTINGS_ORDER,
        )
    insert_in_order(root, element("themeFontLang", {"val": language}), SETTINGS_ORDER)
    for setting in root.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


# -- footnotes ------------------------------------------------------------------


def _separator_note(kind: str, note_id: int) -> XmlElement:
    note = element("footnote", {"type": kind, "id": note_id})
    p = sub(note, "p")
    sub(p, "pPr", None, element("spacing", {"after": 0, "line": 240, "lineRule": "auto"}))
    sub(p, "r", None, element(kind))
    return note


def footnotes_element() -> XmlElement:
    """Return a new ``w:footnotes`` root holding the separator notes (ids -1 and 0)."""
    root = element("footnotes", nsdecls={"w": W, "r": R})
    root.append(_separator_note("separator", SEPARATOR_ID))
    root.append(_separator_note("continuationSeparator", CONTINUATION_SEPARATOR_ID))
    return root


def _reference_style() -> XmlElement:
    return element("rPr", None, element("rStyle", {"val": S.FOOTNOTE_REFERENCE.style_id}))


def add_footnote(footnotes: XmlElement, note_id: int) -> XmlElement:
    """Append content note ``note_id`` to ``footnotes`` and return its paragraph.

    The paragraph is styled FootnoteText and starts with the note's own number (a
    FootnoteReference run holding ``w:footnoteRef``) and a space; the note's text
    runs follow (:func:`text_run`).
    """
    if note_id <= CONTINUATION_SEPARATOR_ID:
        raise RenderError(f"footnote id {note_id} collides with a separator note")
    note = _Sub(footnotes, _FOOTNOTE, {_ID: str(note_id)})
    p = paragraph(note, S.FOOTNOTE_TEXT.style_id)
    _Sub(_reference_run(p), _FOOTNOTE_REF)
    _Sub(_Sub(p, _R), _T, {XML_SPACE: "preserve"}).text = " "
    return p


def note_reference(paragraph_element: XmlElement, note_id: int) -> XmlElement:
    """Append a reference to footnote ``note_id`` to a paragraph, in the bookmark a NOTEREF cites; return its run."""
    _Sub(paragraph_element, _BOOKMARK_START, {_ID: str(note_id), _NAME: note_bookmark(note_id)})
    r = _reference_run(paragraph_element)
    _Sub(r, _FOOTNOTE_REFERENCE, {_ID: str(note_id)})
    _Sub(paragraph_element, _BOOKMARK_END, {_ID: str(note_id)})
    return r


def reference_separator(paragraph_element: XmlElement, text: str) -> XmlElement:
    """Append ``text`` styled as a note reference (the comma in "1,2", so it never reads "12"); return its run."""
    r = _reference_run(paragraph_element)
    t = _Sub(r, _T)
    t.text = text
    if text != text.strip():
        t.set(XML_SPACE, "preserve")
    return r


def _reference_run(paragraph_element: XmlElement) -> XmlElement:
    """Append a run styled FootnoteReference (superscript) to a paragraph and return it."""
    r = _Sub(paragraph_element, _R)
    _Sub(_Sub(r, _RPR), _RSTYLE, {_VAL: S.FOOTNOTE_REFERENCE.style_id})
    return r


# -- tables ---------------------------------------------------------------------


def table(parent: XmlElement, widths: Sequence[int]) -> XmlElement:
    """Append a table of fixed column ``widths`` (twips), with rules and cell margins, and no rows yet."""
    tbl = _Sub(parent, _TBL)
    tblpr = _Sub(tbl, _TBLPR)
    _Sub(tblpr, _TBLW, {_W_ATTR: str(sum(widths)), _TYPE: "dxa"})
    borders = _Sub(tblpr, _TBLBORDERS)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_border(side, S.RULE, S.TABLE_RULE_SIZE))
    _Sub(tblpr, _TBLLAYOUT, {_TYPE: "fixed"})
    lr, tb = str(twips(S.TABLE_CELL_MARGIN)), str(twips(S.TABLE_CELL_MARGIN_V))
    margins = _Sub(tblpr, _TBLCELLMAR)
    for side, margin in (("top", tb), ("left", lr), ("bottom", tb), ("right", lr)):
        _Sub(margins, qn("w:" + side), {_W_ATTR: margin, _TYPE: "dxa"})
    _Sub(tblpr, _TBLLOOK, _TABLE_LOOK)
    grid = _Sub(tbl, _TBLGRID)
    for width in widths:
        _Sub(grid, _GRIDCOL, {_W_ATTR: str(width)})
    return tbl


#: Word's table look of python-docx's new tables (header row and first column emphasised).
_TABLE_LOOK = {
    qn("w:" + name): value
    for name, value in (
        ("firstColumn", "1"),
        ("firstRow", "1"),
        ("lastColumn", "0"),
        ("lastRow", "0"),
        ("noHBand", "0"),
        ("noVBand", "1"),
        ("val", "04A0"),
    )
}


def table_row(
    tbl: XmlElement, widths: Sequence[int], style_id: str, *, kept_whole: bool, header_fill: str = ""
) -> tuple[XmlElement, list[XmlElement]]:
    """Append a row to ``tbl``, one cell per width holding one empty paragraph; return the row and the paragraphs.

    ``kept_whole`` keeps the row from breaking across pages; ``header_fill``
    makes it the header row, repeated on every page and shaded with that colour.
    """
    tr = _Sub(tbl, _TR)
    if kept_whole or header_fill:
        trpr = _Sub(tr, _TRPR)
        if kept_whole:
            _Sub(trpr, _CANTSPLIT)
        if header_fill:
            _Sub(trpr, _TBLHEADER)
    paragraphs = []
    for width in widths:
        tc = _Sub(tr, _TC)
        tcpr = _Sub(tc, _TCPR)
        _Sub(tcpr, _TCW, {_W_ATTR: str(width), _TYPE: "dxa"})
        if header_fill:
            _Sub(tcpr, _SHD, {_VAL: "clear", _COLOR: "auto", _FILL: header_fill})
        paragraphs.append(paragraph(tc, style_id))
    return tr, paragraphs


def keep_with_next(paragraph_element: XmlElement) -> None:
    """Keep a paragraph on the page of the next one (``w:keepNext``, right after its style)."""
    ppr = paragraph_element[0]
    if ppr.find(_KEEPNEXT) is None:
        at = 1 if len(ppr) and ppr[0].tag == _PSTYLE else 0
        ppr.insert(at, ppr.makeelement(_KEEPNEXT, {}))


# -- fields ---------------------------------------------------------------------


def add_simple_field(paragraph: Paragraph, instruction: str, placeholder: str) -> XmlElement:
    """Append a simple field (e.g. ``PAGE``) with a placeholder result to a paragraph."""
    fld = sub(_el(paragraph), "fldSimple", {"instr": f" {instruction} "})
    sub(fld, "r", None, element("rPr", None, element("noProof")), _t("t", placeholder))
    return fld


def note_bookmark(note_id: int) -> str:
    """Return the name of the bookmark around the first reference to footnote ``note_id``.

    A leading underscore hides it from Word's bookmark list, as Word's own
    cross-reference bookmarks (``_Ref…``) are.
    """
    return f"_RefNote{note_id}"


def bookmark_run(run_element: XmlElement, name: str, bookmark_id: int) -> None:
    """Put a bookmark called ``name`` around ``run_element`` (in its paragraph)."""
    run_element.addprevious(element("bookmarkStart", {"id": bookmark_id, "name": name}))
    run_element.addnext(element("bookmarkEnd", {"id": bookmark_id}))


def add_note_cross_reference(paragraph_element: XmlElement, note_id: int) -> list[XmlElement]:
    """Append a ``NOTEREF`` field citing footnote ``note_id`` again; return its runs.

    The field points at the bookmark of the note's first reference (see
    :func:`note_bookmark`): ``\\f`` formats its result as a footnote reference and
    ``\\h`` makes it a link to the note. The result, the note's number, is stored in
    the file, so it shows without updating fields.
    """
    runs = [_reference_run(paragraph_element) for _ in range(5)]
    begin, instruction, separate, result, end = runs
    _Sub(begin, _FLDCHAR, {_FLDCHARTYPE: "begin"})
    _Sub(
        instruction, _INSTRTEXT, {XML_SPACE: "preserve"}
    ).text = f" NOTEREF {note_bookmark(note_id)} \\f \\h "
    _Sub(separate, _FLDCHAR, {_FLDCHARTYPE: "separate"})
    _Sub(result, _T).text = str(note_id)
    _Sub(end, _FLDCHAR, {_FLDCHARTYPE: "end"})
    return runs


def add_page_of_pages(paragraph: Paragraph) -> None:
    """Append "Page N of M" to a paragraph: text with the PAGE and NUMPAGES fields."""
    p = _el(paragraph)
    sub(p, "r", None, _t("t", "Page "))
    add_simple_field(paragraph, "PAGE", "1")
    sub(p, "r", None, _t("t", " of "))
    add_simple_field(paragraph, "NUMPAGES", "1")


# -- tracked changes ------------------------------------------------------------


def revision_date(when: str | _dt.date) -> str:
    """Return ``when`` (date, datetime or ISO string) as a ``w:date`` value (UTC)."""
    if isinstance(when, str):
        try:
            when = _dt.datetime.fromisoformat(when)
        except ValueError:
            raise RenderError(f"revision date {when!r} is not an ISO date") from None
    if isinstance(when, _dt.datetime):
        if when.tzinfo is not None:
            when = when.astimezone(_dt.UTC).replace(tzinfo=None)
    elif isinstance(when, _dt.date):
        when = _dt.datetime(when.year, when.month, when.day)
    else:
        raise RenderError(f"revision date {when!r} is not a date")
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def revision_mark(kind: str, author: str, date: str | _dt.date, revision_id: int) -> XmlElement:
    """Return an empty ``w:ins`` or ``w:del`` element by ``author`` at ``date``."""
    if kind not in ("ins", "del"):
        raise RenderError(f"revision kind must be 'ins' or 'del', not {kind!r}")
    if not isinstance(revision_id, int) or isinstance(revision_id, bool) or revision_id < 0:
        raise RenderError(f"revision id {revision_id!r} must be a non-negative integer")
    return element(kind, {"id": revision_id, "author": clean_text(author), "date": revision_date(date)})


def track_run(
    run_element: XmlElement, kind: str, author: str, date: str | _dt.date, *, revision_id: int
) -> XmlElement:
    """Wrap an existing ``w:r`` (in its place) in a ``w:ins`` or ``w:del`` revision; return the mark.

    A deleted run's ``w:t`` become ``w:delText``, as Word requires. The run may hold
    anything a run holds (text, a footnote reference).
    """
    mark = revision_mark(kind, author, date, revision_id)
    if run_element.tag != qn("w:r"):
        raise RenderError("only a run (w:r) can be marked as a tracked change")
    run_element.addprevious(mark)
    mark.append(run_element)
    if kind == "del":
        for t in run_element.findall(qn("w:t")):
            t.tag = qn("w:delText")
        for t in run_element.findall(qn("w:instrText")):
            t.tag = qn("w:delInstrText")
    return mark


#: Child order of ``w:trPr`` (CT_TrPr: CT_TrPrBase's choice, then the row's revision marks).
TRPR_ORDER = (
    "cnfStyle",
    "divId",
    "gridBefore",
    "gridAfter",
    "wBefore",
    "wAfter",
    "cantSplit",
    "trHeight",
    "tblHeader",
    "tblCellSpacing",
    "jc",
    "hidden",
    "ins",
    "del",
    "trPrChange",
)


def mark_row_revision(
    row_element: XmlElement, kind: str, author: str, date: str | _dt.date, *, revision_id: int
) -> XmlElement:
    """Mark a table row (``w:tr``) as inserted or deleted: ``w:trPr/w:ins`` or ``w:del``.

    Rejecting an inserted row, or accepting a deleted one, removes the whole row.
    """
    mark = revision_mark(kind, author, date, revision_id)
    trpr = row_element.find(qn("w:trPr"))
    if trpr is None:
        trpr = element("trPr")
        following = row_element.find(qn("w:tc"))
        tblpr_ex = row_element.find(qn("w:tblPrEx"))
        if tblpr_ex is not None:
            tblpr_ex.addnext(trpr)
        elif following is not None:
            following.addprevious(trpr)
        else:
            row_element.append(trpr)
    for old in trpr.findall(qn("w:ins")) + trpr.findall(qn("w:del")):
        trpr.remove(old)
    insert_in_order(trpr, mark, TRPR_ORDER)
    return mark


#: What may follow ``w:rPr`` inside ``w:pPr`` (CT_PPr).
_AFTER_PARAGRAPH_MARK = ("sectPr", "pPrChange")


def mark_paragraph_revision(
    paragraph_element: XmlElement, kind: str, author: str, date: str | _dt.date, *, revision_id: int
) -> XmlElement:
    """Mark a paragraph's mark as inserted (``kind="ins"``) or deleted (``"del"``).

    A paragraph whose mark is inserted or deleted is joined to or split from the next
    one when the change is accepted; the mark lives in ``w:pPr/w:rPr``, first.
    """
    if kind not in ("ins", "del"):
        raise RenderError(f"paragraph revision kind must be 'ins' or 'del', not {kind!r}")
    mark = revision_mark(kind, author, date, revision_id)
    ppr = paragraph_element.find(qn("w:pPr"))
    if ppr is None:
        ppr = element("pPr")
        paragraph_element.insert(0, ppr)
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = element("rPr")
        following = [c for c in ppr if _local(c) in _AFTER_PARAGRAPH_MARK]
        if following:
            following[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    for old in rpr.findall(qn("w:ins")) + rpr.findall(qn("w:del")):
        rpr.remove(old)
    rpr.insert(0, mark)
    return mark


# -- pictures -------------------------------------------------------------------

_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"


def describe_picture(
    run_element: XmlElement, *, shape_id: int, name: str, description: str, title: str = ""
) -> XmlElement:
    """Name and describe the last inline picture of a run (as python-docx's ``add_picture`` makes it).

    ``wp:docPr`` gets ``id`` (unique among the document's drawings), ``name``, ``descr``
    (the text alternative: Word shows it as the picture's alt text, LibreOffice as its
    description) and ``title`` (left out when empty); the picture's own ``pic:cNvPr``
    gets the same name and description. Text goes through :func:`clean_text`.
    """
    if not isinstance(shape_id, int) or isinstance(shape_id, bool) or shape_id < 1:
        raise RenderError(f"picture id {shape_id!r} must be a positive integer")
    inlines = run_element.findall(f"{qn('w:drawing')}/{{{_WP}}}inline")
    doc_pr = inlines[-1].find(f"{{{_WP}}}docPr") if inlines else None
    nv_pr = inlines[-1].find(f".//{{{_PIC}}}nvPicPr/{{{_PIC}}}cNvPr") if inlines else None
    if doc_pr is None or nv_pr is None:
        raise RenderError("the run holds no inline picture (wp:inline with wp:docPr and pic:cNvPr)")
    name, description, title = clean_text(name), clean_text(description), clean_text(title)
    for key in ("descr", "title"):
        doc_pr.attrib.pop(key, None)
    doc_pr.set("id", str(shape_id))
    doc_pr.set("name", name)
    doc_pr.set("descr", description)
    if title:
        doc_pr.set("title", title)
    nv_pr.set("name", name)
    nv_pr.set("descr", description)
    return doc_pr


# -- fonts ----------------------------------------------------------------------


def font_key(data: bytes) -> str:
    """Return a ``w:fontKey`` GUID derived from the font's bytes (so output is stable)."""
    guid = uuid.UUID(bytes=hashlib.sha256(data).digest()[:16], version=4)
    return "{" + str(guid).upper() + "}"


def obfuscate_font(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes of a font with its GUID key (ECMA-376 Part 1 §17.8.1).

    The key's 16 bytes are taken from the GUID's hex digits in reverse order. The
    operation is its own inverse.
    """
    digits = key.strip("{}").replace("-", "")
    if len(digits) != 32:
        raise RenderError(f"font key {key!r} is not a GUID")
    mask = bytes.fromhex(digits)[::-1]
    head = bytes(b ^ mask[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


@dataclass(frozen=True)
class EmbeddedFace:
    """One embedded face of a font table entry: ``kind`` is Regular, Bold, Italic or BoldItalic."""

    kind: str
    rel_id: str
    key: str
    subsetted: bool = True


@dataclass
class FontEntry:
    """A ``w:font`` entry: the family's classification and its embedded faces."""

    name: str
    panose: str  # 20 hex digits
    generic: str  # roman, swiss, modern, ...
    signature: dict[str, str]  # usb0..usb3, csb0, csb1 as 8 hex digits
    faces: list[EmbeddedFace] = field(default_factory=list)


def font_table_element(entries: Iterable[FontEntry] = ()) -> XmlElement:
    """Return a ``w:fonts`` root for the font table part."""
    root = element("fonts", nsdecls={"w": W, "r": R})
    add_font_entries(root, entries)
    return root


def add_font_entries(root: XmlElement, entries: Iterable[FontEntry]) -> None:
    """Append a ``w:font`` entry to a ``w:fonts`` root for each of ``entries``."""
    for entry in entries:
        font = sub(root, "font", {"name": entry.name})
        sub(font, "panose1", {"val": entry.panose})
        sub(font, "charset", {"val": "00"})
        sub(font, "family", {"val": entry.generic})
        sub(font, "pitch", {"val": "variable"})
        sub(font, "sig", {k: entry.signature[k] for k in ("usb0", "usb1", "usb2", "usb3", "csb0", "csb1")})
        for kind in ("Regular", "Bold", "Italic", "BoldItalic"):
            for face in entry.faces:
                if face.kind == kind:
                    attrs: dict[str, object] = {"r:id": face.rel_id, "fontKey": face.key}
                    if face.subsetted:
                        attrs["subsetted"] = 1
                    sub(font, "embed" + kind, attrs)


# -- package-level XML ------------------------------------------------------------


def remove_core_dates(core_properties_element: XmlElement) -> None:
    """Drop ``dcterms:created`` and ``dcterms:modified`` (for a brief without a date)."""
    for name in ("dcterms:created", "dcterms:modified"):
        for el in core_properties_element.findall(qn(name)):
            core_properties_element.remove(el)


def app_properties_xml(application: str) -> bytes:
    """Return ``docProps/app.xml`` naming ``application`` and nothing that varies."""
    root = etree.Element(f"{{{EP_NS}}}Properties", nsmap={None: EP_NS})
    for name, value in (
        ("Application", application),
        ("DocSecurity", "0"),
        ("ScaleCrop", "false"),
        ("LinksUpToDate", "false"),
        ("SharedDoc", "false"),
        ("HyperlinksChanged", "false"),
    ):
        etree.SubElement(root, f"{{{EP_NS}}}{name}").text = value
    data: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=True, standalone=True)
    return data


def content_types_xml(parts: Iterable[tuple[str, str]]) -> bytes:
    """Return ``[Content_Types].xml`` for ``(partname, content type)`` pairs.

    ``.rels`` and ``.xml`` get Default entries, and so does the extension of each image
    type present (``png``: ``image/png``), as Word writes them; every other part an
    Override, sorted.
    """
    parts = sorted(parts)
    root = etree.Element(f"{{{CT_NS}}}Types", nsmap={None: CT_NS})
    defaults = {"rels": CT_RELATIONSHIPS, "xml": CT_XML}
    for partname, ctype in parts:
        ext = partname.rpartition(".")[2].lower()
        if ctype.startswith("image/") and ext not in defaults:
            defaults[ext] = ctype
    for ext, ctype in sorted(defaults.items()):
        etree.SubElement(root, f"{{{CT_NS}}}Default", Extension=ext, ContentType=ctype)
    for partname, ctype in sorted(parts):
        ext = partname.rpartition(".")[2].lower()
        if defaults.get(ext) == ctype:
            continue
        etree.SubElement(root, f"{{{CT_NS}}}Override", PartName=partname, ContentType=ctype)
    data: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=True, standalone=True)
    return data
