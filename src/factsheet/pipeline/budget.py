"""One budget of processor time and memory for a sheet's render and write, enforced by the system."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import math
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

from factsheet.errors import FactsheetError, RenderError

T = TypeVar("T")

#: Processor seconds a sheet's render and write may take: a base plus an allowance per claim.
BUILD_SECONDS = 6.0
BUILD_SECONDS_PER_CLAIM = 0.1
#: Memory a sheet's render and write may add, in bytes: a base plus an allowance per claim.
BUILD_MEMORY = 768 * 2**20
BUILD_MEMORY_PER_CLAIM = 2**20


class BudgetError(RenderError):
    """A sheet's render and write needed more processor time or memory than its budget."""


@dataclass(frozen=True)
class Budget:
    """What one sheet's render and write may use, and how to name it in a message."""

    seconds: float
    memory: int
    template: str
    claims: int
    #: Processor seconds already spent on this sheet (the render, before the writer processes).
    spent: float = 0.0

    @classmethod
    def for_sheet(cls, claims: int, template: str) -> Budget:
        return cls(
            BUILD_SECONDS + BUILD_SECONDS_PER_CLAIM * claims,
            BUILD_MEMORY + BUILD_MEMORY_PER_CLAIM * claims,
            template,
            claims,
        )

    def left(self) -> float:
        """Return the processor seconds still to spend (at least one, so a writer can start)."""
        return max(self.seconds - self.spent, 1.0)

    def _limit_for(self) -> str:
        return f"the limit for a sheet of {self.claims:,} claim{'s' * (self.claims != 1)}"

    def time_error(self) -> BudgetError:
        return BudgetError(
            f"template '{self.template}': rendering and writing used more than {self.seconds:g} s of "
            f"processor time ({self._limit_for()}); look for loops inside loops in the template"
        )

    def memory_error(self) -> BudgetError:
        return BudgetError(
            f"template '{self.template}': rendering and writing needed more than "
            f"{self.memory // 2**20:,} MiB of memory ({self._limit_for()}); look for loops inside loops "
            "in the template"
        )


def _address_space() -> int:
    """Return this process's virtual memory size in bytes (0 where the system does not tell)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


def _lower(limit: int, value: int) -> tuple[int, int]:
    """Return the (soft, hard) pair that lowers ``limit`` to ``value``, never above its hard limit."""
    import resource

    soft, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    if soft != resource.RLIM_INFINITY:
        value = min(value, soft)
    return value, hard


@contextmanager
def limits(budget: Budget) -> Iterator[None]:
    """Let the block use ``budget``'s processor time and memory beyond what this process used so far.

    Past the time the system stops the process (SIGXCPU); past the memory an
    allocation fails with MemoryError. The limits are lifted afterwards, so a
    long-lived writer process can take the next document.
    """
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    saved = {r: resource.getrlimit(r) for r in (resource.RLIMIT_CPU, resource.RLIMIT_AS)}
    try:
        resource.setrlimit(resource.RLIMIT_CPU, _lower(resource.RLIMIT_CPU, math.ceil(used + budget.left())))
        size = _address_space()
        if size:
            resource.setrlimit(resource.RLIMIT_AS, _lower(resource.RLIMIT_AS, size + budget.memory))
        yield
    finally:
        for r, pair in saved.items():
            resource.setrlimit(r, pair)


def stopped_by_time(status: int) -> bool:
    """Return True when a child's wait status says the system stopped it for its processor time."""
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL)


def run_within(budget: Budget, work: Callable[[], T]) -> tuple[T, Budget]:
    """Return ``work()`` run in a child process held to ``budget``, and what is left of the budget.

    Raise the work's error, or BudgetError when the system stopped it.

    A template's filter is one call into C that no exception interrupts, and a
    writer laying out 100,000 rows never calls back: only the system can stop
    them. So the work runs in a forked child whose processor time and address
    space the system limits, and the result comes back through a pipe.
    """
    return start_within(budget, work).result()


class Running(Generic[T]):
    """Work running in a child process held to a budget (see :func:`run_within`): its result, or cancelled."""

    def __init__(self, budget: Budget, work: Callable[[], T]):
        self.budget = budget
        self._reply: list[bytes] = []
        self._done: tuple[T, Budget] | None = None
        self._reaped = False
        if not hasattr(os, "fork"):  # pragma: no cover - not POSIX: no system limits to use
            self._done = (work(), budget)
            return
        readable, writable = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # pragma: no cover - runs in the child
            os.close(readable)
            _serve(budget, work, writable)
        os.close(writable)
        # read as the child writes, so a reply larger than the pipe never holds the child up
        self._reader = threading.Thread(target=self._read, args=(readable,), daemon=True)
        self._reader.start()

    def _read(self, readable: int) -> None:
        with os.fdopen(readable, "rb") as inbox:
            self._reply.append(inbox.read())

    def result(self) -> tuple[T, Budget]:
        """Return the work's result and what is left of the budget; raise its error or a BudgetError."""
        if self._done is not None:
            return self._done
        self._reader.join()
        _, status, usage = os.wait4(self.pid, 0)
        self._reaped = True
        budget = self.budget
        try:
            kind, value = pickle.loads(self._reply[0])
        except Exception:  # nothing, or half a reply: the system stopped the child
            if stopped_by_time(status):
                raise budget.time_error() from None
            raise RenderError(
                f"template '{budget.template}': the build process ended without output"
            ) from None
        if kind == "memory":
            raise budget.memory_error()
        if kind == "error":
            raise value
        result: T = value
        spent = budget.spent + usage.ru_utime + usage.ru_stime
        self._done = (result, dataclasses.replace(budget, spent=spent))
        return self._done

    def cancel(self) -> None:
        """Stop the work, if it still runs, and forget its result."""
        if self._done is not None or self._reaped:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self._reader.join()
        os.waitpid(self.pid, 0)
        self._reaped = True


def start_within(budget: Budget, work: Callable[[], T]) -> Running[T]:
    """Start ``work()`` in a child process held to ``budget``; its ``result()`` is :func:`run_within`'s."""
    return Running(budget, work)


def _serve(budget: Budget, work: Callable[[], object], writable: int) -> None:  # pragma: no cover - child
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C is the parent's to report
    # What the child inherits (modules, the checked sheet) lives until it exits: the cycle
    # collector leaves it alone, so a long sheet's render is not slowed by walking it again
    # and again, nor are the parent's pages copied into the child by the walk.
    gc.freeze()
    try:
        with limits(budget):
            try:
                reply: tuple[str, object] = ("ok", work())
            except MemoryError:
                reply = ("memory", None)
            except FactsheetError as exc:
                reply = ("error", exc)
            except BaseException as exc:  # a bug: reported as this sheet's failure, never a traceback
                reply = ("error", RenderError(f"internal error: {type(exc).__name__}: {exc}"))
            try:
                payload = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
            except MemoryError:
                payload = pickle.dumps(("memory", None))
            except Exception as exc:  # an error that does not pickle: its words do
                payload = pickle.dumps(("error", RenderError(str(reply[1]) or type(exc).__name__)))
        with os.fdopen(writable, "wb") as out:
            out.write(payload)
    finally:
        os._exit(0)
