"""Read a written DOCX back for the tests: zip entries, parsed parts, text, relationships."""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS = {"w": W, "r": R, "pr": PR, "ct": CT}


def w(name: str) -> str:
    """Return the Clark name of a WordprocessingML element or attribute."""
    return f"{{{W}}}{name}"


class Package:
    """The entries of a DOCX, with parsed XML and resolved relationships."""

    def __init__(self, data: bytes):
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.entries = {info.filename: self.zip.read(info) for info in self.zip.infolist()}

    def names(self) -> list[str]:
        return [info.filename for info in self.zip.infolist()]

    def xml(self, name: str):
        return etree.fromstring(self.entries[name])

    def content_types(self) -> dict[str, str]:
        """Return the content type of every part (by part name, leading slash)."""
        root = self.xml("[Content_Types].xml")
        defaults = {d.get("Extension").lower(): d.get("ContentType") for d in root.findall("ct:Default", NS)}
        overrides = {o.get("PartName"): o.get("ContentType") for o in root.findall("ct:Override", NS)}
        types = {}
        for name in self.entries:
            if name == "[Content_Types].xml":
                continue
            part = "/" + name
            types[part] = overrides.get(part) or defaults.get(name.rpartition(".")[2].lower())
        return types

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Return ``{rId: (type, target entry name)}`` for the part named ``part``."""
        folder, base = posixpath.split(part)
        name = posixpath.join(folder, "_rels", base + ".rels").lstrip("/")
        if name not in self.entries:
            return {}
        result = {}
        for rel in self.xml(name).findall("pr:Relationship", NS):
            target = posixpath.normpath(posixpath.join(folder, rel.get("Target")))
            result[rel.get("Id")] = (rel.get("Type"), target)
        return result


def paragraph_text(p) -> str:
    """Return the text of a ``w:p`` (``w:t`` only; note references contribute nothing)."""
    return "".join(t.text or "" for t in p.iter(w("t")))


def paragraph_style(p) -> str | None:
    style = p.find(f"{w('pPr')}/{w('pStyle')}")
    return None if style is None else style.get(w("val"))
