"""The build pipeline: checked fact sheet → template → document → writer → bytes.

:class:`Pipeline` is the one place that assembles these steps; ``build``,
``export`` and the redline of ``diff --docx`` all go through it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factsheet.errors import FactsheetError, InputError, Problem
from factsheet.pipeline.budget import Budget, run_within
from factsheet.pipeline.sidewriter import SideWriter
from factsheet.project import Project
from factsheet.rendering.document import Document
from factsheet.sources.check import check_sheet
from factsheet.sources.history import Log
from factsheet.pipeline.glyphs import text_glyph_problems
from factsheet.sources.loading import Located
from factsheet.sources.model import Claim, FactSheet
from factsheet.sources.seeds import SeedLibrary
from factsheet.writers import WRITERS


def writer(fmt: str) -> Callable[[Document], bytes]:
    """Return the function that turns a Document into bytes of ``fmt``."""
    module, name = WRITERS[fmt]
    write: Callable[[Document], bytes] = getattr(importlib.import_module(module), name)
    return write


@dataclass
class LoadedSheet:
    """A fact sheet ready to render, with the file it came from."""

    path: Path
    display: str
    doc: Located
    sheet: FactSheet
    #: The seed library the sheet was checked against (its provenance record is read from it).
    library: SeedLibrary | None = None


def load_sheet(
    project: Project, path: Path, library: SeedLibrary | None = None, since: str | None = None
) -> LoadedSheet:
    """Return the checked fact sheet at ``path``, with its version; raise InputError with every problem found.

    ``since`` names the git revision a brief's "what changed" line compares with
    (default: the sheet's ``updates:`` log, else its previous commit).
    """
    from factsheet.sources import history

    library = library or project.library()
    checked = check_sheet(path, library, project.display(path), project.root)
    errors = [p for p in checked.problems + library.problems if p.severity == "error"]
    if errors or checked.sheet is None or checked.doc is None:
        raise InputError(errors)
    data = checked.doc.data if isinstance(checked.doc.data, dict) else {}
    checked.sheet.version = history.version(Path(path), project.root, data, checked.sheet.updates, since)
    checked.sheet.origin = (str(path), str(project.root))
    loaded = LoadedSheet(Path(path), checked.display, checked.doc, checked.sheet, library)
    missing = glyph_problems(loaded)
    if missing:
        raise InputError(missing)
    return loaded


def glyph_problems(loaded: LoadedSheet) -> list[Problem]:
    """Return a problem for each text field of a loaded sheet holding a character the fonts cannot draw."""
    return text_glyph_problems(loaded.doc)


def document_for(
    project: Project, loaded: LoadedSheet, template: str = "brief", library: SeedLibrary | None = None
) -> Document:
    """Return the document that ``template`` makes of a loaded fact sheet, with its provenance record."""
    document = sheet_document(project, loaded.sheet, template)
    return with_provenance(project, loaded, document, library)


def with_provenance(
    project: Project, loaded: LoadedSheet, document: Document, library: SeedLibrary | None = None
) -> Document:
    """Return ``document`` carrying the provenance record of the sheet it was made of."""
    from factsheet.pipeline.provenance import record_for

    document.provenance = record_for(
        project, loaded.path, loaded.sheet, document, library or loaded.library or project.library()
    )
    return document


def sheet_document(project: Project, sheet: FactSheet, template: str = "brief") -> Document:
    """Return the document that ``template`` makes of a fact sheet whose sources are resolved.

    The template runs twice when its notes say which claims they support
    (``<note claim="…">``): the second run knows what the first one showed
    (``shown_claims``, ``left_out``), the sources its notes cite in note
    order (``cited_sources``) and each source's note numbers (``notes_of``),
    so a brief counts what it shows and numbers its source annex truly.
    """
    from factsheet.content.charting import ChartShelf
    from factsheet.content.disputes import contests
    from factsheet.content.figures import FigureBook
    from factsheet.content.timeline import build_timeline
    from factsheet.rendering import templating

    figures = FigureBook(sheet)
    charts = ChartShelf(figures)
    context = {
        "sources": sheet.sources,
        "cited_sources": sheet.cited_sources(),
        "figures": figures,  # groups of figures compared across claims, and topics on request
        "timeline": build_timeline(sheet),
        "versions": _versions(sheet),  # the dossier's log: updates:, else git history (read on first use)
        "disputes": contests(sheet),  # each contested claim with who disputes or denies it
        "shown_claims": list(sheet.claims),
        "left_out": [],
        "notes_of": {},
    }
    from factsheet.content.publishing import claim_reviews, csl_items

    document = templating.render(sheet, project.templates_dir, template, context, charts=charts)
    if document.cited_claims:
        context.update(shown_context(sheet, document))
        document = templating.render(sheet, project.templates_dir, template, context, charts=charts)
    document.linked_data = claim_reviews(sheet)
    document.references = csl_items(sheet)
    return document


def _versions(sheet: FactSheet) -> Log:
    """Return the sheet's versions for the dossier, read from git only when a template asks."""
    if sheet.origin is None:
        return Log(None, None, sheet.updates)
    return Log(Path(sheet.origin[0]), Path(sheet.origin[1]), sheet.updates)


def shown_context(sheet: FactSheet, document: Document) -> dict[str, Any]:
    """Return what a first run of a template showed: its claims, the claims it left out, its sources in note order."""
    cited = set(document.cited_claims)
    by_id = {c.id: c for c in sheet.claims}
    notes = document.source_notes
    sources = [s for s in sheet.cited_sources() if s.id in notes]
    return {
        "shown_claims": [by_id[i] for i in document.cited_claims if i in by_id],
        "left_out": [c for c in sheet.claims if c.id not in cited],
        "cited_sources": sorted(sources, key=lambda s: notes[s.id][0]),
        "notes_of": dict(notes),
    }


def left_out(project: Project, sheet: FactSheet, template: str) -> list[Claim]:
    """Return the claims of ``sheet`` that ``template`` does not show (cite in a note)."""
    document = sheet_document(project, sheet, template)
    if not document.cited_claims:  # a template whose notes name no claims cannot tell
        return []
    cited = set(document.cited_claims)
    return [c for c in sheet.claims if c.id not in cited]


def render(document: Document, fmt: str) -> bytes:
    """Return the bytes of ``document`` in format ``fmt``."""
    data: bytes = writer(fmt)(document)
    return data


def render_all(
    document: Document, formats: list[str], side: SideWriter | list[SideWriter] | None = None
) -> dict[str, bytes]:
    """Return the bytes of ``document`` in each format, a side writer's formats from its process."""
    sides = [side] if isinstance(side, SideWriter) else list(side or ())
    sides = [s for s in sides if s.fmt in formats]
    for s in sides:
        s.send(document)
    here = [fmt for fmt in formats if fmt not in {s.fmt for s in sides}]
    outputs: dict[str, bytes] = {}
    error = None
    try:
        outputs.update((fmt, render(document, fmt)) for fmt in here)
    finally:
        for s in sides:
            try:  # always collect every reply, so the next document's replies are its own
                outputs[s.fmt] = s.receive()
            except FactsheetError as exc:
                error = error or exc
    if error is not None:
        raise error
    return {fmt: outputs[fmt] for fmt in formats}


def render_within_budget(
    project: Project,
    loaded: LoadedSheet,
    template: str,
    formats: list[str],
    side: SideWriter | list[SideWriter] | None = None,
    pdf_profiles: tuple[str, ...] | None = None,
    library: SeedLibrary | None = None,
) -> tuple[Document, dict[str, bytes]]:
    """Return the document ``template`` makes of ``sheet`` and its bytes in each format, within one budget.

    The render and the writers of this process run in a child process, the side
    writers in theirs, each held by the system to the sheet's budget of
    processor time and memory (:mod:`factsheet.pipeline.budget`); past it, a
    BudgetError names the template.
    """
    from factsheet.rendering import templating

    budget = Budget.for_sheet(len(loaded.sheet.claims), template)
    sides = [s for s in ([side] if isinstance(side, SideWriter) else list(side or ())) if s.alive]
    sides = [s for s in sides if s.fmt in formats]
    here = [fmt for fmt in formats if fmt not in {s.fmt for s in sides}]
    templating.prepare(project.templates_dir)  # compiled here, so every build's child starts warm

    def work() -> tuple[Document, dict[str, bytes]]:
        document = document_for(project, loaded, template, library)
        if pdf_profiles is not None:
            document.pdf_profiles = pdf_profiles
        return document, {fmt: render(document, fmt) for fmt in here}

    (document, outputs), budget = run_within(budget, work)
    for s in sides:  # what the render left of the budget, for each writer
        s.send(document, budget)
    error = None
    for s in sides:
        try:  # always collect every reply, so the next document's replies are its own
            outputs[s.fmt] = s.receive()
        except FactsheetError as exc:
            error = error or exc
    if error is not None:
        raise error
    return document, {fmt: outputs[fmt] for fmt in formats}


@dataclass(frozen=True)
class Built:
    """One fact sheet built: the checked sheet, its document, and the bytes of each format."""

    loaded: LoadedSheet
    document: Document
    outputs: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Pipeline:
    """Load → check → template → document → write, for one project and template.

    ``library`` is the seed library shared by the sheets this pipeline builds;
    without one, each load reads the catalog afresh (so a problem in one
    sheet's sources never fails another's).
    """

    project: Project
    template: str = "brief"
    library: SeedLibrary | None = None
    #: The PDF profiles to write ("ua1", "a2", …); None keeps the document's default.
    pdf_profiles: tuple[str, ...] | None = None
    #: The git revision the brief's "what changed" line compares with (None: the default, see load_sheet).
    since: str | None = None

    def load(self, path: Path) -> LoadedSheet:
        """Return the checked fact sheet at ``path``; raise InputError with every problem found."""
        return load_sheet(self.project, Path(path), self.library, self.since)

    def document(self, sheet: FactSheet) -> Document:
        """Return the document this pipeline's template makes of ``sheet``."""
        document = sheet_document(self.project, sheet, self.template)
        if self.pdf_profiles is not None:
            document.pdf_profiles = self.pdf_profiles
        return document

    def loaded_document(self, loaded: LoadedSheet) -> Document:
        """Return the document of a loaded sheet, with its provenance record."""
        return with_provenance(self.project, loaded, self.document(loaded.sheet), self.library)

    def render(self, document: Document, fmt: str) -> bytes:
        """Return the bytes of ``document`` in format ``fmt``."""
        return render(document, fmt)

    def build(
        self, path: Path, formats: list[str], side: SideWriter | list[SideWriter] | None = None
    ) -> Built:
        """Return the sheet at ``path`` built in each of ``formats``; raise FactsheetError on failure."""
        loaded = self.load(path)
        document, outputs = render_within_budget(
            self.project, loaded, self.template, formats, side, self.pdf_profiles, self.library
        )
        return Built(loaded, document, outputs)
