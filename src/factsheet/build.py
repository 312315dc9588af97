"""The build pipeline: checked fact sheet → template → document → writer → bytes."""

from __future__ import annotations

import importlib
import os
import pickle
import threading
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


class SideWriter:
    """A forked process that writes one format while this process writes the others.

    It is started before the fact sheet is even read, so importing its writer (the
    slowest step for reportlab) overlaps loading, checking and templating here.
    Documents go to it through a pipe and bytes come back; the bytes are the same
    as from a serial run.
    """

    def __init__(self, fmt: str):
        self.fmt = fmt
        to_child, self._to_child = os.pipe()
        self._from_child, from_parent = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self._to_child)
            os.close(self._from_child)
            self._serve(to_child, from_parent)
        os.close(to_child)
        os.close(from_parent)
        self._out = os.fdopen(self._to_child, "wb")
        self._in = os.fdopen(self._from_child, "rb")
        self._sender: threading.Thread | None = None

    def _serve(self, read_fd: int, write_fd: int) -> None:  # pragma: no cover - runs in the child
        try:
            try:
                write = writer(self.fmt)
            except BaseException as exc:
                write = exc
            with os.fdopen(read_fd, "rb") as inbox, os.fdopen(write_fd, "wb") as outbox:
                while True:
                    try:
                        document = pickle.load(inbox)
                    except EOFError:
                        break
                    try:
                        if isinstance(write, BaseException):
                            raise write
                        reply = ("ok", write(document))
                    except BaseException as exc:  # sent back and raised in the parent
                        reply = ("error", exc if isinstance(exc, FactsheetError) else RenderError(f"{self.fmt}: {exc!r}"))
                    pickle.dump(reply, outbox, protocol=pickle.HIGHEST_PROTOCOL)
                    outbox.flush()
        finally:
            os._exit(0)

    def send(self, document: Document) -> None:
        """Start writing ``document``; collect the bytes with receive()."""
        # A thread sends, so a document larger than the pipe's buffer never blocks this process.
        self._sender = threading.Thread(
            target=pickle.dump, args=(document, self._out, pickle.HIGHEST_PROTOCOL), daemon=True)
        self._sender.start()

    def receive(self) -> bytes:
        """Return the bytes of the document last sent, or raise the writer's error."""
        self._sender.join()
        self._out.flush()
        try:
            kind, value = pickle.load(self._in)
        except EOFError:
            raise RenderError(f"the {self.fmt} writer process ended without output") from None
        if kind == "error":
            raise value
        return value

    def close(self) -> None:
        """Stop the process."""
        try:
            self._out.close()
        except OSError:
            pass
        self._in.close()
        os.waitpid(self.pid, 0)

    @staticmethod
    def worthwhile(formats: list[str]) -> bool:
        """Return True when writing formats side by side can save time here."""
        return len(formats) > 1 and hasattr(os, "fork") and (os.cpu_count() or 1) > 1


def render_all(document: Document, formats: list[str], side: SideWriter | None = None) -> dict[str, bytes]:
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
