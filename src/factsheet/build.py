"""The build pipeline: checked fact sheet → template → document → writer → bytes."""

from __future__ import annotations

import importlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from factsheet import fonts
from factsheet.check import check_sheet
from factsheet.document import Document
from factsheet.errors import FactsheetError, InputError, Problem, RenderError, UsageError
from factsheet.loading import Located
from factsheet.model import FactSheet
from factsheet.project import Project
from factsheet.seeds import SeedLibrary

#: Writers by format name: module and function, imported only when that format is built.
WRITERS = {
    "docx": ("factsheet.writers.docx", "write_docx"),
    "pdf": ("factsheet.writers.pdf", "write_pdf"),
}


def parse_formats(value: str) -> list[str]:
    """Return the formats named in a comma-separated option value, in WRITERS order."""
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in WRITERS]
    if unknown or not names:
        raise UsageError(f"--format: expected a comma-separated list of {', '.join(WRITERS)}, found {value!r}")
    return [n for n in WRITERS if n in names]


def writer(fmt: str):
    """Return the function that turns a Document into bytes of ``fmt``."""
    module, name = WRITERS[fmt]
    return getattr(importlib.import_module(module), name)


@dataclass
class LoadedSheet:
    """A fact sheet ready to render, with the file it came from."""

    path: Path
    display: str
    doc: Located
    sheet: FactSheet


def load_sheet(project: Project, path: Path, library: SeedLibrary | None = None) -> LoadedSheet:
    """Return the checked fact sheet at ``path``; raise InputError with every problem found."""
    library = library or SeedLibrary(project.seeds_dir, project.display(project.seeds_dir / "catalog.yaml"))
    checked = check_sheet(path, library, project.display(path))
    errors = [p for p in checked.problems + library.problems if p.severity == "error"]
    if errors or checked.sheet is None:
        raise InputError(errors)
    loaded = LoadedSheet(Path(path), checked.display, checked.doc, checked.sheet)
    missing = glyph_problems(loaded)
    if missing:
        raise InputError(missing)
    return loaded


def glyph_problems(loaded: LoadedSheet) -> list[Problem]:
    """Return a problem for each text field holding a character the brief's fonts cannot draw."""
    problems: list[Problem] = []

    def visit(value, path):
        if isinstance(value, str):
            missing = fonts.missing_characters(value, fonts.SERIF) or fonts.missing_characters(value, fonts.SANS)
            if missing:
                chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
                owner = ""
                if len(path) > 1 and path[0] == "claims":
                    owner = f"claim '{loaded.doc.data['claims'][path[1]]['id']}': "
                problems.append(loaded.doc.problem(path,
                    f"{owner}{chars} cannot be drawn by the brief's fonts (DejaVu); replace or remove it"))
        elif isinstance(value, dict):
            for k, v in value.items():
                visit(v, path + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                visit(v, path + (i,))

    visit(loaded.doc.data, ())
    return problems


def document_for(project: Project, loaded: LoadedSheet, template: str = "brief") -> Document:
    """Return the document that ``template`` makes of a loaded fact sheet."""
    from factsheet import templating
    from factsheet.charting import ChartShelf
    from factsheet.figures import FigureBook
    from factsheet.timeline import build_timeline

    sheet = loaded.sheet
    figures = FigureBook(sheet)
    context = {
        "sources": sheet.sources,
        "cited_sources": sheet.cited_sources(),
        "figures": figures,  # groups of figures compared across claims, and topics on request
        "timeline": build_timeline(sheet),
    }
    return templating.render(sheet, project.templates_dir, template, context, charts=ChartShelf(figures))


def render(document: Document, fmt: str) -> bytes:
    """Return the bytes of ``document`` in format ``fmt``."""
    return writer(fmt)(document)


def render_all(document: Document, formats: list[str]) -> dict[str, bytes]:
    """Return the bytes of ``document`` in each format.

    With more than one format and more than one core, the first format is written
    in a forked process while this one writes the rest: each writer's imports and
    layout run side by side. The bytes are the same as from a serial run.
    """
    if len(formats) < 2 or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return {fmt: render(document, fmt) for fmt in formats}
    side, rest = formats[0], formats[1:]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: write one format, send it back, leave without cleanup
        os.close(read_end)
        try:
            try:
                payload = ("ok", render(document, side))
            except BaseException as exc:  # sent to the parent, which raises it
                payload = ("error", exc if isinstance(exc, FactsheetError) else RenderError(f"{side}: {exc!r}"))
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(payload, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        outputs = {fmt: render(document, fmt) for fmt in rest}
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            received = pipe.read()
        _, status = os.waitpid(pid, 0)
    if not received:
        raise RenderError(f"the {side} writer process ended without output (wait status {status})")
    kind, value = pickle.loads(received)
    if kind == "error":
        raise value
    return {side: value, **outputs}
