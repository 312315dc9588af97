"""A process that compiles a build's templates while the sheets are checked, then renders each one."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from pathlib import Path
from typing import TYPE_CHECKING

from factsheet import startup
from factsheet.errors import FactsheetError, RenderError
from factsheet.pipeline.budget import Budget
from factsheet.pipeline.sidewriter import SideWriter

if TYPE_CHECKING:
    from factsheet.pipeline.build import LoadedSheet
    from factsheet.pipeline.parcel import Parcel
    from factsheet.project import Project
    from factsheet.sources.seeds import SeedLibrary
    from factsheet.writers import WriterOptions


class RenderProcess:
    """A forked process that compiles one template (and loads the content stage) as a build starts.

    Compiling a template does not depend on the sheet, so it overlaps the
    check in this process. Each sheet is then rendered as it would be here:
    in a child of that process held to the sheet's budget
    (:func:`factsheet.pipeline.build.render_here`); the template never runs
    in the render process itself, which only compiles, forks and passes on
    what comes back.
    """

    def __init__(self, templates_dir: Path, template: str, sheets: int | None = None):
        """Start the process; given ``sheets``, it ends by itself once it has rendered that many."""
        self.template = template
        # The pipeline's modules, which this process needs as well, are loaded once before the fork:
        # loading them twice on two cores would slow the compile for no gain.
        from factsheet.pipeline import build  # noqa: F401

        to_child, self._to_child = os.pipe()
        self._from_child, from_parent = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - runs in the child
            os.close(self._to_child)
            os.close(self._from_child)
            for fd in SideWriter._parent_fds:  # the writer processes must see the end of their input
                with contextlib.suppress(OSError):
                    os.close(fd)
            _serve(templates_dir, template, to_child, from_parent, sheets)
        os.close(to_child)
        os.close(from_parent)
        self._out = os.fdopen(self._to_child, "wb")
        self._in = os.fdopen(self._from_child, "rb")
        SideWriter._parent_fds.update((self._to_child, self._from_child))
        self.alive = True
        self._used = False
        self._reaped = False

    @classmethod
    def start(cls, templates_dir: Path, template: str, sheets: int) -> RenderProcess | None:
        """Return a started render process, or None where one cannot save time (no fork, one core, no sheet)."""
        if sheets < 1 or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
            return None
        return cls(templates_dir, template, sheets)

    def send(
        self,
        project: Project,
        loaded: LoadedSheet,
        formats: list[str],
        options: WriterOptions | None,
        library: SeedLibrary | None,
        budget: Budget,
    ) -> RemoteRender:
        """Send ``loaded`` to be rendered, with its bytes in ``formats``, within ``budget``; collect it with result()."""
        self._used = True
        try:
            pickle.dump((project, loaded, self.template, formats, options, library, budget), self._out, 5)
            self._out.flush()
        except OSError:
            self.alive = False
        return RemoteRender(self)

    def _reply(self) -> tuple[str, object]:
        """Return the next reply; RenderError when the process is gone."""
        try:
            if not self.alive:
                raise EOFError
            kind, value = pickle.load(self._in)
        except (OSError, EOFError, pickle.UnpicklingError):
            self.alive = False
            raise RenderError(
                f"template '{self.template}': the render process ended without output"
            ) from None
        return kind, value

    def close(self) -> None:
        """End the process and wait for it; one never given a sheet (all had problems) is stopped at once."""
        self.end()
        self.wait()

    def end(self) -> None:
        """Tell the process to stop, without waiting: it ends at the end of its input (or its last sheet)."""
        SideWriter._parent_fds.difference_update((self._to_child, self._from_child))
        if not self._used and not self._reaped:  # it may still be compiling: nothing will need the template
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self._out.close()
        self._in.close()

    def wait(self) -> None:
        """Wait for the process to end (after :meth:`end`)."""
        if not self._reaped:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self._reaped = True


class RemoteRender:
    """A render sent to a :class:`RenderProcess`: its result, as :class:`~factsheet.pipeline.budget.Running`'s."""

    def __init__(self, process: RenderProcess):
        self._process = process
        self._done: tuple[tuple[Parcel, dict[str, bytes]], Budget] | None = None

    def result(self) -> tuple[tuple[Parcel, dict[str, bytes]], Budget]:
        """Return the document and its bytes, and what is left of the budget; raise the render's error."""
        if self._done is None:
            kind, value = self._process._reply()
            if kind == "error":
                raise value  # type: ignore[misc]  # a FactsheetError, pickled by the render process
            made: tuple[Parcel, dict[str, bytes], Budget] = value  # type: ignore[assignment]  # as _serve sends it
            self._done = ((made[0], made[1]), made[2])
        return self._done

    def cancel(self) -> None:
        """Wait for the reply and drop it (the next sheet's reply must be its own)."""
        with contextlib.suppress(FactsheetError):
            self.result()


def _serve(  # pragma: no cover
    templates_dir: Path, template: str, read_fd: int, write_fd: int, sheets: int | None = None
) -> None:
    """Compile the template, then render each sheet sent (at most ``sheets``), replying with the result or the error.

    After the last sheet it ends at once: its exit then overlaps the writing of that sheet.
    """
    from factsheet.pipeline import build

    try:
        with contextlib.suppress(Exception):  # a template that does not compile is reported by its render
            build.prepare_render(templates_dir, template)
        startup.loaded()
        rendered = 0
        with os.fdopen(read_fd, "rb") as inbox, os.fdopen(write_fd, "wb") as outbox:
            while sheets is None or rendered < sheets:
                try:
                    project, loaded, name, formats, options, library, budget = pickle.load(inbox)
                except EOFError:
                    break
                reply: tuple[str, object]
                try:
                    reply = (
                        "ok",
                        build.render_here(project, loaded, name, formats, options, library, budget),
                    )
                except FactsheetError as exc:
                    reply = ("error", exc)
                except Exception as exc:  # a bug: this sheet's failure, never a traceback
                    reply = ("error", RenderError(f"internal error: {type(exc).__name__}: {exc}"))
                try:
                    data = pickle.dumps(reply, 5)
                except Exception as exc:  # an error that does not pickle: its words do
                    data = pickle.dumps(("error", RenderError(str(reply[1]) or type(exc).__name__)), 5)
                outbox.write(data)
                outbox.flush()
                rendered += 1
    finally:
        os._exit(0)
