"""Serialize a python-docx package to reproducible zip bytes.

python-docx's own ``save`` stamps every zip entry with the current time; here every
entry gets the same fixed date, permissions and compression, and entries come in a
fixed order: ``[Content_Types].xml``, the package relationships, then each part
(sorted by name) followed by its relationships.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from collections.abc import Mapping
from typing import TYPE_CHECKING

from . import ooxml

if TYPE_CHECKING:
    from docx.opc.package import OpcPackage
    from docx.opc.part import Part

#: The earliest date a zip entry can carry; used when a brief has no date.
#: A zip entry's timestamp: year, month, day, hours, minutes, seconds.
ZipDate = tuple[int, int, int, int, int, int]

ZIP_EPOCH: ZipDate = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 6


def zip_date(day: _dt.date | None) -> ZipDate:
    """Return the zip timestamp for a brief dated ``day``."""
    if day is None or day.year < 1980:
        return ZIP_EPOCH
    return (day.year, day.month, day.day, 0, 0, 0)


def _parts(package: OpcPackage) -> list[Part]:
    """Return every part reachable from the package relationships, each once.

    (Walked here rather than with ``OpcPackage.iter_parts``, whose visited list is a
    mutable default argument that grows with every document written.)
    """
    seen: dict[int, object] = {}
    order: list[Part] = []
    stack: list[OpcPackage | Part] = [package]
    while stack:
        source = stack.pop()
        for rel in source.rels.values():
            if rel.is_external:
                continue
            part = rel.target_part
            if id(part) in seen:
                continue
            seen[id(part)] = part
            order.append(part)
            stack.append(part)
    return order


def _entry(archive: zipfile.ZipFile, name: str, data: bytes, date: ZipDate) -> None:
    info = zipfile.ZipInfo(name, date_time=date)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, so the permission bits below are meaningful
    info.external_attr = 0o100644 << 16
    archive.writestr(info, data, compresslevel=COMPRESS_LEVEL)


def package_bytes(package: OpcPackage, date: ZipDate, blobs: Mapping[str, bytes] | None = None) -> bytes:
    """Return the package as DOCX bytes, every entry dated ``date`` (a zip tuple).

    ``blobs`` gives the bytes of parts written by the caller (by part name), in
    place of the part's own.
    """
    blobs = blobs or {}
    parts = _parts(package)
    for part in parts:
        part.before_marshal()  # type: ignore[no-untyped-call]  # python-docx leaves it unannotated
    parts.sort(key=lambda p: str(p.partname))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _entry(
            archive,
            "[Content_Types].xml",
            ooxml.content_types_xml((str(p.partname), p.content_type) for p in parts),
            date,
        )
        _entry(archive, "_rels/.rels", package.rels.xml, date)
        for part in parts:
            blob = blobs.get(part.partname)
            _entry(archive, part.partname.membername, part.blob if blob is None else blob, date)
            if len(part.rels):
                _entry(archive, part.partname.rels_uri.membername, part.rels.xml, date)
    return buffer.getvalue()
