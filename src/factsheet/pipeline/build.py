"""The pipeline: load → check → model → content → render → write.

:class:`Pipeline` is the one place that assembles these stages; ``check``,
``build``, ``watch`` (and ``serve``), ``export`` and ``diff`` (its redline) all
go through it. The functions below are its steps.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factsheet.errors import FactsheetError, InputError, Problem, RenderError
from factsheet.pipeline.budget import Budget, Running, start_within
from factsheet.pipeline.parcel import Parcel
from factsheet.project import Project
from factsheet.rendering import fonts
from factsheet.rendering.document import Document
from factsheet.sources.history import Log, SheetLog
from factsheet.sources.loading import Located
from factsheet.sources.model import Claim, DraftSheet, FactSheet
from factsheet.sources.seeds import SeedLibrary
from factsheet.writers import WRITERS, WriteFunction, WriterOptions
from factsheet.writers import format_help as format_help  # re-exported: the layers above name formats
from factsheet.writers import has_content as has_content
from factsheet.writers import output_name as output_name
from factsheet.writers import parse_formats as parse_formats
from factsheet.writers import write as write_format
from factsheet.writers import written as written_formats

#: The output formats, in the order they are written.
FORMATS = tuple(WRITERS)
__all__ = [
    "FORMATS",
    "Pipeline",
    "WriterOptions",
    "format_help",
    "has_content",
    "output_name",
    "parse_formats",
]


if TYPE_CHECKING:
    from factsheet.pipeline.checking import CheckReport
    from factsheet.pipeline.renderprocess import RemoteRender, RenderProcess
    from factsheet.pipeline.sidewriter import SideWriter


def __getattr__(name: str) -> Any:
    # SideWriter is imported on first use: check and diff never load a writer process
    if name == "SideWriter":
        from factsheet.pipeline.sidewriter import SideWriter

        return SideWriter
    raise AttributeError(name)


def writer(fmt: str) -> WriteFunction:
    """Return the function that turns a Document into bytes of ``fmt``."""
    from factsheet.writers import writer as registered

    return registered(fmt)


def prepare(formats: Sequence[str]) -> None:
    """Load the writers of ``formats`` and what they need ahead of a first write."""
    from factsheet.writers import prepare as prepare_format

    for fmt in formats:
        prepare_format(fmt)


@dataclass
class LoadedSheet:
    """A fact sheet ready to render, with the file it came from."""

    path: Path
    display: str
    doc: Located
    sheet: FactSheet
    #: The seed library the sheet was checked against (its provenance record is read from it).
    library: SeedLibrary | None = None
    #: What git said of the sheet when it was loaded (None: not asked yet).
    log: SheetLog | None = None


def load_sheet(
    project: Project,
    path: Path,
    library: SeedLibrary | None = None,
    since: str | None = None,
    doc: Located | None = None,
) -> LoadedSheet:
    """Return the checked fact sheet at ``path``, with its version; raise InputError with every problem found.

    ``since`` names the git revision a brief's "what changed" line compares with
    (default: the sheet's ``updates:`` log, else its previous commit). ``doc``
    is the sheet's YAML when it has been read already (see :func:`unchecked_sheet`).
    """
    from factsheet.sources.check import check_sheet  # here: a render process never checks

    library = library or SeedLibrary.of(project)
    checked = check_sheet(path, library, project.display(path), project.root, doc)
    errors = [p for p in checked.problems + library.problems if p.severity == "error"]
    if errors or checked.sheet is None or checked.doc is None:
        raise InputError(errors)
    loaded = _dated(
        project, LoadedSheet(Path(path), checked.display, checked.doc, checked.sheet, library), since
    )
    missing = glyph_problems(loaded)
    if missing:
        raise InputError(missing)
    return loaded


def _dated(project: Project, loaded: LoadedSheet, since: str | None) -> LoadedSheet:
    """Return ``loaded`` with the version its brief states and the files it came from."""
    from factsheet.sources import history

    data = loaded.doc.data if isinstance(loaded.doc.data, dict) else {}
    sheet = loaded.sheet
    loaded.log = history.sheet_log(loaded.path, project.root)  # one git log: the version and the provenance
    sheet.version = history.version(loaded.path, project.root, data, sheet.updates, since, loaded.log)
    sheet.origin = (str(loaded.path), str(project.root))
    return loaded


def unchecked_sheet(
    project: Project, path: Path, library: SeedLibrary, since: str | None = None
) -> LoadedSheet | None:
    """Return the sheet at ``path`` read but not yet checked, or None when its model cannot be made.

    A warm process renders this while it checks the same YAML (``doc``, given
    to :func:`load_sheet`): a sheet that passes gives the same model, so the
    same document; one with problems has its render stopped and discarded.
    """
    from factsheet.project import leads_outside
    from factsheet.sources.loading import load_file
    from factsheet.sources.schema import sheet_from_data

    display = project.display(path)
    if leads_outside(project.root, path):
        return None  # refused unread by the check
    try:
        doc = load_file(path, display)
        sheet = sheet_from_data(doc.data, library.sources)
        return _dated(project, LoadedSheet(Path(path), display, doc, sheet, library), since)
    except Exception:  # noqa: BLE001 - a sheet the check will refuse, with its reasons
        return None


def glyph_problems(loaded: LoadedSheet) -> list[Problem]:
    """Return a problem for each text field of a loaded sheet holding a character the fonts cannot draw."""
    from factsheet.pipeline.glyphs import text_glyph_problems

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
        project,
        loaded.path,
        loaded.doc.raw,
        loaded.sheet,
        document,
        library or loaded.library or SeedLibrary.of(project),
        loaded.log,
    )
    return document


def sheet_document(project: Project, sheet: DraftSheet, template: str = "brief") -> Document:
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


def _versions(sheet: DraftSheet) -> Log:
    """Return the sheet's versions for the dossier, read from git only when a template asks."""
    if sheet.origin is None:
        return Log(None, None, sheet.updates)
    return Log(Path(sheet.origin[0]), Path(sheet.origin[1]), sheet.updates)


def shown_context(sheet: DraftSheet, document: Document) -> dict[str, Any]:
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


def render(document: Document, fmt: str, options: WriterOptions | None = None) -> bytes:
    """Return the bytes of ``document`` in format ``fmt`` (checked first, by every writer alike)."""
    return write_format(fmt, document, options)


@dataclass
class Rendering:
    """A sheet's render started in the budget's child, to be finished.

    The render and the writers of this process run in a child process, the side
    writers in theirs, each held by the system to the sheet's budget of
    processor time and memory (:mod:`factsheet.pipeline.budget`); past it, a
    BudgetError names the template. Given a ``renderer`` that compiled the
    template, that child is forked from it instead of from this process.
    """

    running: Running[tuple[Parcel, dict[str, bytes]]] | RemoteRender
    formats: list[str]
    sides: list[SideWriter]
    options: WriterOptions | None

    @classmethod
    def start(
        cls,
        project: Project,
        loaded: LoadedSheet,
        template: str,
        formats: list[str],
        side: SideWriter | list[SideWriter] | None = None,
        options: WriterOptions | None = None,
        library: SeedLibrary | None = None,
        renderer: RenderProcess | None = None,
    ) -> Rendering:
        """Start the render and the writers of this process in the budget's child.

        Given a ``renderer`` that compiled the template, the child is forked from it.
        """
        budget = Budget.for_sheet(len(loaded.sheet.claims), template)
        sides = [s for s in (list(side) if isinstance(side, list) else ([side] if side else [])) if s.alive]
        sides = [s for s in sides if s.fmt in formats]
        here = [fmt for fmt in formats if fmt not in {s.fmt for s in sides}]
        if renderer is not None and renderer.alive and renderer.template == template:
            return cls(
                renderer.send(project, loaded, here, options, library, budget), formats, sides, options
            )
        return cls(
            start_here(project, loaded, template, here, options, library, budget), formats, sides, options
        )

    def finish(self) -> tuple[Document, dict[str, bytes]]:
        """Return the document and its bytes in each format: the child's, then each side writer's."""
        (parcel, outputs), budget = self.running.result()
        for s in self.sides:  # what the render left of the budget, for each writer
            s.send(parcel, budget, self.options)
        document = parcel.open()  # while the writers write
        error = None
        for s in self.sides:
            try:  # always collect every reply, so the next document's replies are its own
                outputs[s.fmt] = s.receive()
            except FactsheetError as exc:
                error = error or exc
        if error is not None:
            raise error
        return document, {fmt: outputs[fmt] for fmt in self.formats if fmt in outputs}

    def cancel(self) -> None:
        """Stop the render: its sheet has problems."""
        self.running.cancel()


def prepare_render(templates_dir: Path, template: str) -> None:
    """Compile ``template`` and load the content stage, ahead of a first render."""
    from factsheet.content import charting, disputes, figures, publishing, timeline  # noqa: F401 - for their cost
    from factsheet.pipeline import provenance  # noqa: F401 - for its cost
    from factsheet.rendering import markup, templating  # noqa: F401 - markup for its cost

    templating.prepare(templates_dir, template)


def render_here(
    project: Project,
    loaded: LoadedSheet,
    template: str,
    formats: list[str],
    options: WriterOptions | None,
    library: SeedLibrary | None,
    budget: Budget,
) -> tuple[Parcel, dict[str, bytes], Budget]:
    """Return the document of ``loaded`` (pickled), its bytes in ``formats`` and what is left of ``budget``."""
    (parcel, outputs), left = start_here(
        project, loaded, template, formats, options, library, budget
    ).result()
    return parcel, outputs, left


def start_here(
    project: Project,
    loaded: LoadedSheet,
    template: str,
    formats: list[str],
    options: WriterOptions | None,
    library: SeedLibrary | None,
    budget: Budget,
) -> Running[tuple[Parcel, dict[str, bytes]]]:
    """Start the render of ``loaded`` and its bytes in ``formats`` in a forked child the system holds to ``budget``.

    The template is compiled and the render's modules loaded here first, so
    every child starts warm; the child sends the document back pickled once.
    """
    prepare_render(project.templates_dir, template)

    def work() -> tuple[Parcel, dict[str, bytes]]:
        document = document_for(project, loaded, template, library)
        outputs = {fmt: render(document, fmt, options) for fmt in written_formats(formats, document)}
        return Parcel.of(document), outputs

    return start_within(budget, work)


@dataclass(frozen=True)
class Built:
    """One fact sheet built: the checked sheet, its document, and the bytes of each format.

    A format with nothing to write (a ClaimReview when no claim is published) has
    no bytes: :func:`clear_unwritten` removes its file of an earlier build.
    """

    loaded: LoadedSheet
    document: Document
    outputs: dict[str, bytes] = field(default_factory=dict)


def clear_unwritten(
    out: Path, stem: str, formats: list[str], outputs: dict[str, bytes]
) -> list[tuple[Path, str, bool]]:
    """Delete the earlier output of each format of ``formats`` that has nothing to write now.

    Return (file, why nothing is written, whether an earlier file was deleted) for each such format.
    """
    cleared = []
    for fmt in (f for f in formats if f not in outputs):
        target = out / output_name(stem, fmt)
        earlier = target.is_file() and not target.is_symlink()
        if earlier:
            target.unlink()
        cleared.append((target, empty_reason(fmt), earlier))
    return cleared


def empty_reason(fmt: str) -> str:
    """Return why ``fmt`` can have nothing to write, for the line saying no file is written."""
    return WRITERS[fmt].empty_when or "nothing to write"


@dataclass
class Pipeline:
    """The stages, in order, for one project and template: every command that reads a sheet uses it.

    ``check`` (the report of ``factsheet check``), ``load`` (load → check → model:
    a sheet that passes, or InputError), ``lenient`` (the model of a sheet under
    review, for ``diff``: sources resolved, quotes not verified), ``document``
    (content → render), ``write`` (a document in one format) and ``build`` (all
    of them for one file).

    ``library`` is the seed library shared by the sheets this pipeline builds;
    without one, each load reads the catalog afresh (so a problem in one
    sheet's sources never fails another's).
    """

    project: Project
    template: str = "brief"
    library: SeedLibrary | None = None
    #: The fonts, cache, PDF profiles and paper every writer is given.
    options: WriterOptions = field(default_factory=WriterOptions)
    #: The git revision the brief's "what changed" line compares with (None: the default, see load_sheet).
    since: str | None = None
    #: Render while checking, on another core (a warm process: ``watch``); see :meth:`build`.
    overlap: bool = False

    def seeds(self) -> SeedLibrary:
        """Return the seed library: the shared one, else the catalog read now."""
        return self.library or SeedLibrary.of(self.project)

    def check(
        self, paths: Sequence[Path], every_sheet: bool = False, template: str | None = None
    ) -> CheckReport:
        """Return every problem of the sheets at ``paths`` and their sources (``factsheet check``)."""
        from factsheet.pipeline.checking import check_sheets

        return check_sheets(self.project, paths, self.seeds(), every_sheet, template)

    def load(self, path: Path) -> LoadedSheet:
        """Return the checked fact sheet at ``path``; raise InputError with every problem found."""
        return load_sheet(self.project, Path(path), self.library, self.since)

    def lenient(self, sheet: DraftSheet, name: str) -> DraftSheet:
        """Return ``sheet`` (read leniently, as ``diff`` does) with its sources from the catalog.

        Quotes are not verified; a source missing from the catalog, or a
        character the fonts cannot draw, is a RenderError naming the file.
        """
        library = self.seeds()
        unknown = sorted(
            {c.source for claim in sheet.claims for c in claim.citations if c.source not in library.sources},
            key=str,
        )
        if unknown:
            several = len(unknown) > 1
            listed = ", ".join(f"'{u}'" for u in unknown)
            raise RenderError(
                f"{name} cites {'sources' if several else 'source'} {listed}, not in "
                f"{library.catalog_file}: the brief cannot cite {'them' if several else 'it'}"
            )
        missing = undrawable(sheet)
        if missing:
            chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
            raise RenderError(f"{name}: {chars} cannot be drawn by the brief's fonts (DejaVu)")
        return dataclasses.replace(sheet, sources=dict(library.sources))

    def document(self, sheet: DraftSheet) -> Document:
        """Return the document this pipeline's template makes of ``sheet`` (content → render)."""
        return sheet_document(self.project, sheet, self.template)

    def loaded_document(self, loaded: LoadedSheet) -> Document:
        """Return the document of a loaded sheet, with its provenance record."""
        return with_provenance(self.project, loaded, self.document(loaded.sheet), self.library)

    def write(self, document: Document, fmt: str) -> bytes:
        """Return the bytes of ``document`` in format ``fmt``."""
        return render(document, fmt, self.options)

    render = write  # the name the export workers use

    def build(
        self,
        path: Path,
        formats: list[str],
        side: SideWriter | list[SideWriter] | None = None,
        renderer: RenderProcess | None = None,
    ) -> Built:
        """Return the sheet at ``path`` built in each of ``formats``; raise FactsheetError on failure.

        With ``overlap`` the render starts from the sheet as read while this
        process checks it, so the check costs no time on a second core.
        """
        early = unchecked_sheet(self.project, Path(path), self.seeds(), self.since) if self.overlap else None
        if early is None:
            loaded = self.load(path)
            rendering = self._start(loaded, formats, side, renderer)
        else:
            rendering = self._start(early, formats, side, renderer)
            try:
                loaded = load_sheet(self.project, Path(path), early.library, self.since, early.doc)
            except BaseException:
                rendering.cancel()
                raise
        document, outputs = rendering.finish()
        return Built(loaded, document, outputs)

    def _start(
        self,
        loaded: LoadedSheet,
        formats: list[str],
        side: SideWriter | list[SideWriter] | None,
        renderer: RenderProcess | None = None,
    ) -> Rendering:
        return Rendering.start(
            self.project, loaded, self.template, formats, side, self.options, self.library, renderer
        )


def undrawable(sheet: DraftSheet) -> list[str]:
    """Return the characters of a sheet's text the brief's fonts cannot draw, in order of first use."""
    seen: dict[str, None] = {}
    for text in _texts(sheet):
        for c in fonts.missing_characters(text, fonts.SERIF) or fonts.missing_characters(text, fonts.SANS):
            seen[c] = None
    return list(seen)


def _texts(value: object) -> Iterator[str]:
    """Yield every string held by a model object, its fields, lists and mappings."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name != "sources":  # articles are data the sheet quotes, checked when they are stored
                yield from _texts(getattr(value, f.name))
    elif isinstance(value, dict):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _texts(v)
