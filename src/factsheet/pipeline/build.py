"""The build pipeline: checked fact sheet → template → document → writer → bytes."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from factsheet.writers import fonts
from factsheet.sources.check import check_sheet
from factsheet.rendering.document import Document
from factsheet.errors import FactsheetError, InputError, Problem
from factsheet.pipeline.sidewriter import SideWriter
from factsheet.writers import WRITERS
from factsheet.sources.loading import Located
from factsheet.sources.model import FactSheet
from factsheet.project import Project
from factsheet.sources.seeds import SeedLibrary



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
    from factsheet.rendering import templating
    from factsheet.content.charting import ChartShelf
    from factsheet.content.figures import FigureBook
    from factsheet.content.timeline import build_timeline

    sheet = loaded.sheet
    figures = FigureBook(sheet)
    context = {
        "sources": sheet.sources,
        "cited_sources": sheet.cited_sources(),
        "figures": figures,  # groups of figures compared across claims, and topics on request
        "timeline": build_timeline(sheet),
    }
    from factsheet.content.publishing import claim_reviews, csl_items

    document = templating.render(sheet, project.templates_dir, template, context, charts=ChartShelf(figures))
    document.linked_data = claim_reviews(sheet)
    document.references = csl_items(sheet)
    return document


def render(document: Document, fmt: str) -> bytes:
    """Return the bytes of ``document`` in format ``fmt``."""
    return writer(fmt)(document)


def render_all(document: Document, formats: list[str], side: "SideWriter | None" = None) -> dict[str, bytes]:
    """Return the bytes of ``document`` in each format, ``side``'s format from that process."""
    if side is None or side.fmt not in formats:
        return {fmt: render(document, fmt) for fmt in formats}
    side.send(document)
    side_error = None
    try:
        outputs = {fmt: render(document, fmt) for fmt in formats if fmt != side.fmt}
    finally:
        try:  # always collect the reply, so the next document's reply is its own
            side_bytes = side.receive()
        except FactsheetError as exc:
            side_error = exc
    if side_error is not None:
        raise side_error
    outputs[side.fmt] = side_bytes
    return {fmt: outputs[fmt] for fmt in formats}
