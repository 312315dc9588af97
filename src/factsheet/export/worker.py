"""Build one fact sheet's outputs; runs in the exporting process or in a worker process."""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factsheet.pipeline.build import LoadedSheet, Pipeline


@dataclass
class SheetResult:
    """What building one sheet gave; plain data, so it crosses process boundaries.

    ``outputs`` holds the bytes of each format built (none, ``b""``, for a
    format with nothing to write: a ClaimReview of no published claim), ``errors`` the problem
    lines of each format that failed, ``problems`` the lines that stopped every
    format, and ``seconds`` the time each format took, loading included.
    """

    outputs: dict[str, bytes] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    title: str | None = None
    as_of: str | None = None


def build_sheet(root: str, path: str, display: str, formats: list[str], template: str) -> SheetResult:
    """Return the rendered bytes of each format, or the problems that stopped each one."""
    from factsheet.errors import FactsheetError, InputError
    from factsheet.pipeline.budget import Budget, run_within
    from factsheet.pipeline.build import Pipeline
    from factsheet.project import Project

    started = time.perf_counter()
    result = SheetResult()
    # No shared library: a problem found in one sheet's sources never fails another sheet.
    pipeline = Pipeline(Project(Path(root)), template)
    try:
        loaded = pipeline.load(Path(path))
    except InputError as exc:
        result.problems = [str(p) for p in sorted(exc.problems, key=lambda p: (p.path, p.line, p.col))]
        return result
    except FactsheetError as exc:
        result.problems = [f"{display}: {exc}"]
        return result
    except Exception as exc:  # a bug must fail this sheet, not the whole export
        result.problems = [f"{display}: internal error: {type(exc).__name__}: {exc}"]
        return result
    result.title = loaded.sheet.title
    result.as_of = str(loaded.sheet.as_of)
    loading = time.perf_counter() - started
    budget = Budget.for_sheet(len(loaded.sheet.claims), template)
    try:  # the render and every format within the sheet's one budget, in a child the system limits
        written, _ = run_within(budget, lambda: _write_formats(pipeline, loaded, display, formats))
    except FactsheetError as exc:
        result.problems = [f"{display}: {exc}"]
        return result
    result.outputs, result.errors, seconds = written
    result.seconds = {fmt: loading + s for fmt, s in seconds.items()}
    return result


def _write_formats(
    pipeline: Pipeline, loaded: LoadedSheet, display: str, formats: list[str]
) -> tuple[dict[str, bytes], dict[str, list[str]], dict[str, float]]:
    """Return the bytes, the problems and the seconds of each format of a sheet (runs in the budgeted child)."""
    from factsheet.errors import FactsheetError
    from factsheet.pipeline.build import has_content

    t0 = time.perf_counter()
    document = pipeline.loaded_document(loaded)
    rendering = time.perf_counter() - t0
    outputs: dict[str, bytes] = {}
    errors: dict[str, list[str]] = {}
    seconds: dict[str, float] = {}
    for fmt in formats:
        t0 = time.perf_counter()
        try:
            outputs[fmt] = pipeline.render(document, fmt) if has_content(fmt, document) else b""
        except FactsheetError as exc:
            errors[fmt] = [f"{display}: {fmt}: {exc}"]
        except ImportError as exc:
            errors[fmt] = [f"{display}: {fmt}: the {fmt} writer is not available: {exc}"]
        except Exception as exc:
            errors[fmt] = [f"{display}: {fmt}: internal error: {type(exc).__name__}: {exc}"]
        seconds[fmt] = rendering + time.perf_counter() - t0
    return outputs, errors, seconds


def warm_up(formats: list[str], templates_dir: Path | None = None, template: str = "brief") -> None:
    """Load what building needs (modules, writers, fonts, the compiled template) here, before building.

    Each sheet's render runs in a child forked from here (its budget), and with
    ``--jobs`` each worker is forked from here too: they all start with this
    loaded, so nothing is imported, parsed or compiled once per sheet.
    """

    from factsheet.pipeline import build
    from factsheet.rendering import fonts

    for fmt in formats:
        try:
            build.prepare([fmt])
        except Exception:  # a writer that cannot load fails each of its sheets, as reported by the worker
            continue
    if templates_dir is not None:  # the template compiled and the render's modules loaded
        build.prepare_render(templates_dir, template)
    try:  # the characters the fonts draw, asked of every sheet's text (the glyph check)
        fonts.missing_characters("", fonts.SERIF)
        fonts.missing_characters("", fonts.SANS)
    except Exception:  # noqa: BLE001 - a missing font is reported by the sheet that needs it
        pass


def init_worker(lock_fd: int | None) -> None:
    """Prepare a forked worker: let only the parent hold the lock, and die with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if lock_fd is not None:
        try:
            os.close(lock_fd)  # the flock must end when the parent ends, not when its workers do
        except OSError:
            pass
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:  # the export was killed: do not linger as an orphan
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
