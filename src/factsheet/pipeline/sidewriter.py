"""A forked process that writes one output format beside the main process."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading

from factsheet import startup
from factsheet.errors import FactsheetError, RenderError
from factsheet.pipeline.budget import Budget, limits, stopped_by_time
from factsheet.pipeline.parcel import Parcel
from factsheet.writers import WriterOptions, prepare, write


class SideWriter:
    """A forked process that writes one format while this process writes the others.

    It is started before the fact sheet is even read, so importing its writer (the
    slowest step for reportlab) overlaps loading, checking and templating here.
    Documents go to it through a pipe and bytes come back; the bytes are the same
    as from a serial run.
    """

    #: this process's ends of the pipes to every writer process it started and has not closed
    _parent_fds: set[int] = set()

    def __init__(self, fmt: str):
        self.fmt = fmt
        to_child, self._to_child = os.pipe()
        self._from_child, from_parent = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self._to_child)
            os.close(self._from_child)
            # the pipes of writer processes started earlier: only this process's parent may hold them,
            # or those processes would never see the end of their input
            for fd in SideWriter._parent_fds:
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._serve(to_child, from_parent)
        os.close(to_child)
        os.close(from_parent)
        self._out = os.fdopen(self._to_child, "wb")
        self._in = os.fdopen(self._from_child, "rb")
        SideWriter._parent_fds.update((self._to_child, self._from_child))
        self._sender: threading.Thread | None = None
        self._budget: Budget | None = None
        #: How many documents this process will be sent (None: until told to end). After the last it
        #: ends by itself, its exit overlapping the writing of the files rather than following it.
        self.documents: int | None = None
        self._sent = 0
        self.alive = True
        self._reaped = False

    def _serve(self, read_fd: int, write_fd: int) -> None:  # pragma: no cover - runs in the child
        try:
            failed = _prepared_aside(self.fmt)
            startup.loaded()
            with os.fdopen(read_fd, "rb") as inbox, os.fdopen(write_fd, "wb") as outbox:
                while True:
                    try:
                        parcel, budget, options = pickle.load(inbox)
                    except EOFError:
                        break
                    reply: tuple[str, bytes | FactsheetError]
                    try:
                        if failed is not None:
                            raise failed
                        with limits(budget) if budget is not None else contextlib.nullcontext():
                            reply = ("ok", write(self.fmt, parcel.open(), options))
                    except MemoryError:
                        reply = ("error", budget.memory_error() if budget else RenderError("out of memory"))
                    except BaseException as exc:  # sent back and raised in the parent
                        reply = (
                            "error",
                            exc if isinstance(exc, FactsheetError) else RenderError(f"{self.fmt}: {exc!r}"),
                        )
                    pickle.dump(reply, outbox, protocol=pickle.HIGHEST_PROTOCOL)
                    outbox.flush()
        finally:
            os._exit(0)

    def send(
        self, parcel: Parcel, budget: Budget | None = None, options: WriterOptions | None = None
    ) -> None:
        """Start writing the document ``parcel`` holds with ``options`` within ``budget``; collect it with receive()."""
        self._budget = budget
        self._sent += 1
        last = self.documents is not None and self._sent >= self.documents
        # A thread sends, so a document larger than the pipe's buffer never blocks this process.
        self._sender = threading.Thread(
            target=self._send, args=((parcel, budget, options), last), daemon=True
        )
        self._sender.start()

    def _send(self, message: tuple[object, ...], last: bool) -> None:
        try:
            pickle.dump(message, self._out, pickle.HIGHEST_PROTOCOL)
            self._out.flush()
            if last:  # the end of its input: it replies, then ends
                self._out.close()
        except OSError:  # the process was stopped: receive() says why
            pass

    def receive(self) -> bytes:
        """Return the bytes of the document last sent, or raise the writer's error."""
        if self._sender is not None:
            self._sender.join()
        try:
            kind, value = pickle.load(self._in)
        except (EOFError, pickle.UnpicklingError):
            self.alive = False  # the system stopped it; the next documents are written elsewhere
            _, status = os.waitpid(self.pid, 0)
            self._reaped = True
            if self._budget is not None and stopped_by_time(status):
                raise self._budget.time_error() from None
            raise RenderError(f"the {self.fmt} writer process ended without output") from None
        if kind == "error":
            raise value
        data: bytes = value
        return data

    def close(self) -> None:
        """Stop the process and wait for it."""
        self.end()
        self.wait()

    def end(self) -> None:
        """Tell the process to stop, without waiting: it ends once it reads the end of its input."""
        SideWriter._parent_fds.difference_update((self._to_child, self._from_child))
        if self._sender is None and not self._reaped:
            # never given a document (the sheet had problems): it has nothing to write,
            # so do not wait for it to finish loading its writer
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self._out.close()
        self._in.close()

    def wait(self) -> None:
        """Wait for the process to end (after :meth:`end`)."""
        if not self._reaped:
            os.waitpid(self.pid, 0)
            self._reaped = True

    @staticmethod
    def worthwhile(formats: list[str]) -> bool:
        """Return True when writing formats in processes of their own can save time here.

        Each writer's imports and fonts then load while this process reads the
        sheet, and no writer process holds the sheet's YAML: a long sheet's peak
        memory is split between processes.
        """
        return bool(formats) and hasattr(os, "fork") and (os.cpu_count() or 1) > 1

    #: Writers slow enough to start (imports, fonts) and to run that a process of their own pays.
    SLOW_FORMATS = ("pdf", "docx")

    @classmethod
    def for_formats(cls, formats: list[str]) -> list[SideWriter]:
        """Return a started writer process per slow format (PDF first), or none where not worthwhile."""
        if not cls.worthwhile(formats):
            return []
        return [cls(fmt) for fmt in cls.SLOW_FORMATS if fmt in formats]


#: How much less CPU a writer's preparation asks for than the build's other processes (added to
#: the build's nice value, up to the largest, 19).
PREPARE_NICENESS = 10
#: The writers whose preparation yields: the PDF writer is ready long before its document arrives
#: (a brief's build: loaded at a little over half the build's time, sent the document at four
#: fifths); the DOCX writer is not, and yielding made the default formats slower.
YIELDING_FORMATS = frozenset({"pdf"})


def _prepared_aside(fmt: str) -> BaseException | None:  # pragma: no cover - runs in the child
    """Load the writer of ``fmt`` ahead of its first document, yielding the CPU to the rest of the build.

    While the writer loads, the main process checks the sheet and the render
    process compiles the template, three processes or more on as few as two
    cores, and a writer of :data:`YIELDING_FORMATS` is needed only once the
    document is rendered. So it loads in a thread of lower priority (Linux sets
    it per thread), and writes, later, at the build's own. Returns what stopped
    the preparation, to be raised by the write.
    """
    failed: list[BaseException] = []

    def load() -> None:
        # Linux only: elsewhere the priority would be the whole process's, its writes' too
        if fmt in YIELDING_FORMATS and sys.platform == "linux":
            thread = threading.get_native_id()
            with contextlib.suppress(OSError):
                niceness = os.getpriority(os.PRIO_PROCESS, thread) + PREPARE_NICENESS
                os.setpriority(os.PRIO_PROCESS, thread, min(19, niceness))
        try:
            import factsheet.rendering.document  # noqa: F401 - the documents it is sent are of its classes

            prepare(fmt)
        except BaseException as exc:
            failed.append(exc)

    loader = threading.Thread(target=load, name=f"prepare {fmt}")
    loader.start()
    loader.join()
    return failed[0] if failed else None
