"""Fingerprints of everything an exported file depends on, computed without rendering.

Nothing here imports Jinja2, the writers or their libraries: deciding that an
output is up to date must stay cheap enough to run every few minutes.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import factsheet
from factsheet.project import Project, inside
from factsheet.regularfile import sha256_regular
from factsheet.rendering import fonts
from factsheet.sources.loading import YamlMap

#: Bump when the meaning of a fingerprint changes, so older records never match.
FINGERPRINT_VERSION = 1


def sha256_bytes(data: bytes) -> str:
    """Return the hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    """Return the hex sha256 of a file's bytes, or None if it cannot be read or is not a regular file."""
    return sha256_regular(path)


def _canonical(value: object) -> bytes:
    """Return stable bytes for plain YAML data (dates become ISO strings)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


#: Package files that never change what a writer produces: the command line and this export code.
_NOT_RENDERING = {"cli.py", "commands.py", "__main__.py", "export"}


def _tree_digest(folder: Path, skip: frozenset[str] | set[str] = frozenset()) -> str:
    """Return a hash of the names and bytes of every file below ``folder`` (hidden files aside).

    ``skip`` names top-level files and folders to leave out.
    """
    h = hashlib.sha256()
    if not folder.is_dir():
        return "missing"
    for dirpath, dirnames, filenames in os.walk(folder):
        top = Path(dirpath) == folder
        dirnames[:] = sorted(
            d for d in dirnames if d != "__pycache__" and not d.startswith(".") and not (top and d in skip)
        )
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith((".pyc", "~")) or (top and name in skip):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(folder).as_posix()
            h.update(rel.encode() + b"\0" + (sha256_file(path) or "unreadable").encode() + b"\n")
    return h.hexdigest()


def fonts_identity() -> str:
    """Return a hash of the brief's font files' identity: path, size and modification time."""
    parts = []
    folder = fonts.font_dir()
    for face in fonts.FACES:
        path = folder / face.filename
        try:
            st = path.stat()
            parts.append([face.filename, str(path.resolve()), st.st_size, st.st_mtime_ns])
        except OSError:
            parts.append([face.filename, str(path), None, None])
    return sha256_bytes(_canonical(parts))


def cited_sources(data: object) -> list[str]:
    """Return the source ids a fact sheet's claims cite (sorted, unique), from its plain data."""
    cited = set()
    claims = data.get("claims") if isinstance(data, dict) else None
    for claim in claims if isinstance(claims, list) else ():
        citations = claim.get("citations") if isinstance(claim, dict) else None
        for cit in citations if isinstance(citations, list) else ():
            if isinstance(cit, dict) and isinstance(cit.get("source"), str):
                cited.add(cit["source"])
    return sorted(cited)


class Fingerprints:
    """Hashes of a project's shared inputs, and of each output's own, cached for one run."""

    def __init__(self, project: Project, catalog_entries: list[object]):
        self.project = project
        self._entries: dict[str, list[YamlMap]] = {}
        for entry in catalog_entries:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                self._entries.setdefault(entry["id"], []).append(entry)
        self._seeds: dict[str, str] = {}
        package = Path(factsheet.__file__).resolve().parent
        self.shared = {
            "fingerprint": FINGERPRINT_VERSION,
            "tool": factsheet.__version__,
            "code": _tree_digest(package, _NOT_RENDERING),
            "templates": _tree_digest(project.templates_dir),
            "fonts": fonts_identity(),
        }

    def seed(self, source_id: str) -> str:
        """Return a hash of a cited source: its catalog entry (sha256 included) and its file's bytes."""
        if source_id not in self._seeds:
            entries = self._entries.get(source_id)
            if not entries:
                self._seeds[source_id] = "unknown"
            else:
                h = hashlib.sha256()
                for entry in entries:
                    h.update(_canonical(entry) + b"\n")
                    name = entry.get("file")
                    path = inside(self.project.seeds_dir, name) if isinstance(name, str) else None
                    h.update(((sha256_file(path) if path else None) or "unreadable").encode() + b"\n")
                self._seeds[source_id] = h.hexdigest()
        return self._seeds[source_id]

    def output(self, sheet_sha256: str, cites: list[str], fmt: str, template: str) -> str:
        """Return the fingerprint of one output: shared inputs, the sheet, its sources, format, template."""
        record = dict(self.shared)
        record.update(
            {
                "format": fmt,
                "template": template,
                "sheet": sheet_sha256,
                "sources": {sid: self.seed(sid) for sid in sorted(cites)},
            }
        )
        return sha256_bytes(_canonical(record))
