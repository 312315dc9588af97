"""The Jinja2 sandbox templates run in, with a budget of time, memory and text size.

Jinja's immutable sandbox keeps a template from reaching Python internals or
changing its data. This module adds what it leaves open: one expression that
asks for a gigantic string (``'%0900000000d' % 1``, ``'x'.center(900000000)``,
``'{:>900000000}'.format(1)``, ``2 ** 10**7``, ``'x' * 10**10``) is refused
before it is built, and a whole render has a deadline, a cap on the text it
writes and a cap on the memory it may take, so loops such as two nested
``range(100000)`` end with a clear error instead of running for hours or
exhausting the machine's memory.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from string import Formatter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2 import nodes
    from jinja2.compiler import CodeGenerator, Frame
    from jinja2.runtime import Context
    from jinja2.sandbox import ImmutableSandboxedEnvironment

try:  # the render's memory cap (each render is a forked child: imported here, not once per render)
    import resource
except ImportError:  # pragma: no cover - not POSIX
    resource = None  # type: ignore[assignment]

#: The largest number of bits ``**`` may produce, and items ``*`` may repeat.
MAX_POWER_BITS = 4096
MAX_REPEAT_ITEMS = 1_000_000
#: The widest padding, width or precision a template may ask a string or number for.
MAX_WIDTH = 10_000
#: The longest string one expression may build (joins, replacements, ``+``).
MAX_STRING_CHARS = 10_000_000
#: Processor seconds a render may take: a base plus an allowance per claim (big sheets, slow machines).
RENDER_SECONDS = 3.0
RENDER_SECONDS_PER_CLAIM = 0.03
#: Characters a render may write: a base plus an allowance per claim.
OUTPUT_CHARS = 5_000_000
OUTPUT_CHARS_PER_CLAIM = 20_000
#: Memory a render may add to the process, in bytes.
RENDER_MEMORY = 512 * 1024 * 1024
#: Answers about attributes kept per environment (a template naming attributes by the
#: million gets the rest answered afresh).
SAFE_ATTRIBUTES_KEPT = 10_000


class BudgetExceeded(Exception):
    """A template asked for more time, memory or text than a brief needs."""


class OutputTooLong(BudgetExceeded):
    """The render wrote more text than a brief of its sheet's size needs."""


class TimeUp(BudgetExceeded):
    """Raised inside the rendering thread when its deadline passes."""


# printf-style conversions: %[(key)][flags][width][.precision][length]type
_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")


def _too_wide(number: str | None) -> bool:
    return number is not None and number != "*" and int(number) > MAX_WIDTH


def check_printf(template: str, args: Any) -> None:
    """Raise BudgetExceeded if the %-format ``template`` pads or rounds to more than MAX_WIDTH."""
    for m in _PRINTF.finditer(template):
        width, precision = m.group(1), m.group(2)
        if _too_wide(width) or _too_wide(precision):
            raise BudgetExceeded(f"the format {m.group()[:20]!r} asks for more than {MAX_WIDTH:,} characters")
        if "*" in (width, precision):
            values = args if isinstance(args, tuple) else (args,)
            if any(_is_int(v) and abs(v) > MAX_WIDTH for v in values):
                raise BudgetExceeded(
                    f"the format {m.group()!r} is given a width or precision above {MAX_WIDTH:,}"
                )


def check_format(template: str) -> None:
    """Raise BudgetExceeded if ``str.format`` template asks for widths above MAX_WIDTH or nested fields."""
    try:
        fields = list(Formatter().parse(template))
    except ValueError:
        return  # str.format itself reports the malformed template
    for _, name, spec, _ in fields:
        if name is None or not spec:
            continue
        if "{" in spec:
            raise BudgetExceeded(
                "a format width taken from another field ('{:{}}') is not allowed in templates"
            )
        if any(int(n) > MAX_WIDTH for n in re.findall(r"\d+", spec)):
            raise BudgetExceeded(f"the format spec {spec[:20]!r} asks for more than {MAX_WIDTH:,} characters")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_width(width: Any) -> None:
    if _is_int(width) and width > MAX_WIDTH:
        raise BudgetExceeded(f"a width of {width:,} characters is more than the limit of {MAX_WIDTH:,}")


def _check_length(length: int, what: str) -> None:
    if length > MAX_STRING_CHARS:
        raise BudgetExceeded(f"{what} would make {length:,} characters (the limit is {MAX_STRING_CHARS:,})")


def _check_str_method(name: str, text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Raise BudgetExceeded when calling the str method ``name`` would build an oversized string."""
    values = list(args) + list(kwargs.values())
    if name in ("center", "ljust", "rjust", "zfill", "expandtabs"):
        for value in values[:1]:
            _check_width(value)
    elif name == "replace" and len(values) >= 2 and isinstance(values[0], str) and isinstance(values[1], str):
        hits = len(text) + 1 if values[0] == "" else text.count(values[0])
        _check_length(len(text) + hits * len(values[1]), "replace()")
    elif name == "join" and values and hasattr(values[0], "__len__"):
        items = values[0]
        _check_length(
            len(text) * max(len(items) - 1, 0) + sum(len(i) for i in items if isinstance(i, str)), "join()"
        )
    elif name == "__mod__" and values:
        check_printf(text, values[0])


def _checked_text(value: Any, what: str) -> Any:
    """Return ``value``; raise BudgetExceeded if it is a string longer than MAX_STRING_CHARS."""
    if isinstance(value, str):
        _check_length(len(value), what)
    return value


def checked_concat(parts: tuple[Any, ...], markup: bool) -> str:
    """Return ``a ~ b ~ …`` as Jinja makes it, refusing a result longer than MAX_STRING_CHARS first."""
    from jinja2.runtime import markup_join, str_join

    total = 0
    texts = []
    for part in parts:  # each part is made a string once, and counted before the next is made
        text = part if isinstance(part, str) else str(part)
        total += len(text)
        _check_length(total, "~")
        texts.append(part if hasattr(part, "__html__") else text)
    return markup_join(texts) if markup else str_join(texts)


def _check_power(left: Any, right: Any) -> None:
    if _is_int(left) and _is_int(right) and abs(left) > 1 and right > 0:
        if abs(left).bit_length() * right > MAX_POWER_BITS:
            raise BudgetExceeded(f"{left} ** {right} is too large (the limit is {MAX_POWER_BITS} bits)")


def _check_repeat(left: Any, right: Any) -> None:
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and _is_int(times) and len(seq) * times > MAX_REPEAT_ITEMS:
            raise BudgetExceeded(
                f"repeating {len(seq):,} items {times:,} times is too large "
                f"(the limit is {MAX_REPEAT_ITEMS:,} items)"
            )


def _check_concat(left: Any, right: Any) -> None:
    if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
        _check_length(len(left) + len(right), "+")


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Raise BudgetExceeded if ``left operator right`` would build a number or sequence over the limits."""
    if operator == "**":
        _check_power(left, right)
    elif operator == "*":
        _check_repeat(left, right)
    elif operator == "%" and isinstance(left, str):
        check_printf(left, right)
    elif operator == "+":
        _check_concat(left, right)


def _code_generator() -> type[CodeGenerator]:
    """Return Jinja's code generator with ``~`` compiled to a checked concatenation."""
    from jinja2.compiler import CodeGenerator

    class CheckedConcat(CodeGenerator):
        def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:  # noqa: N802 - Jinja's visitor name
            self.write("environment.checked_concat((")
            for arg in node.nodes:
                self.visit(arg, frame)
                self.write(", ")
            self.write("), context.eval_ctx.autoescape)")

    return CheckedConcat


def sandbox_class() -> type[ImmutableSandboxedEnvironment]:
    """Return the sandboxed environment class with the budget checks."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"**", "*", "%", "+"})
        code_generator_class = _code_generator()

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.safe_attributes: dict[tuple[type, type, str], bool] = {}

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            # Jinja's answer depends only on the object's class and the attribute's name
            # (isinstance tests, name lists), and a long brief asks it a million times: it is
            # kept per class (as the object states it and as it is) and name.
            key = (type(obj), obj.__class__, attr)
            safe = self.safe_attributes.get(key)
            if safe is None:
                safe = super().is_safe_attribute(obj, attr, value)
                if len(self.safe_attributes) < SAFE_ATTRIBUTES_KEPT:
                    self.safe_attributes[key] = safe
            return safe

        def checked_concat(self, parts: tuple[Any, ...], markup: bool) -> str:
            try:
                return checked_concat(parts, markup)
            except BudgetExceeded as exc:
                raise SecurityError(str(exc)) from None

        def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
            try:
                check_binop(operator, left, right)
            except BudgetExceeded as exc:
                raise SecurityError(str(exc)) from None
            return super().call_binop(context, operator, left, right)

        def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
            wrapped = super().wrap_str_format(value)
            if wrapped is not None:
                try:
                    check_format(value.__self__)
                except BudgetExceeded as exc:
                    raise SecurityError(str(exc)) from None
            return wrapped

        def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's own signature
            owner = getattr(__obj, "__self__", None)
            name = getattr(__obj, "__name__", "") or type(__obj).__name__
            try:
                if isinstance(owner, str) and not isinstance(__obj, type):
                    _check_str_method(name, owner, args, kwargs)
                # whatever else builds a string (a method, a macro) is measured once it has
                return _checked_text(super().call(__context, __obj, *args, **kwargs), f"{name}()")
            except BudgetExceeded as exc:
                raise SecurityError(str(exc)) from None

    return Sandbox


def guard_filters(filters: dict[str, Callable[..., Any]]) -> None:
    """Replace the string filters that pad, repeat or format with ones that check their sizes first."""
    from jinja2.exceptions import SecurityError

    def guarded(name: str, check: Callable[..., None]) -> None:
        original = filters[name]

        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                check(*args, **kwargs)
            except BudgetExceeded as exc:
                raise SecurityError(f"{name} filter: {exc}") from None
            return original(*args, **kwargs)

        # keep Jinja's pass_context/pass_environment marks, which tell it what to pass first
        for mark in ("jinja_pass_arg",):
            if hasattr(original, mark):
                setattr(run, mark, getattr(original, mark))
        filters[name] = run

    for name in list(filters):  # every filter's result is measured: tojson, wordwrap, urlize, sum, …
        filters[name] = _measured(name, filters[name], SecurityError)
    guarded("center", lambda value, width=80: _check_width(width))
    guarded("indent", lambda s, width=4, *a, **k: _check_width(width if _is_int(width) else len(str(width))))
    guarded("format", lambda value, *args, **kwargs: check_printf(str(value), kwargs or args))
    guarded("join", lambda ctx, value, d="", attribute=None: _check_join(value, d))
    guarded(
        "replace", lambda ctx, s, old, new, count=None: _check_str_method("replace", str(s), (old, new), {})
    )


def _measured(name: str, original: Callable[..., Any], error: type[Exception]) -> Callable[..., Any]:
    """Return filter ``original`` with its result refused when it is a string over MAX_STRING_CHARS."""

    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return _checked_text(original(*args, **kwargs), f"the {name} filter")
        except BudgetExceeded as exc:
            raise error(str(exc)) from None

    if hasattr(original, "jinja_pass_arg"):  # Jinja's mark of what to pass first (context, environment)
        run.jinja_pass_arg = original.jinja_pass_arg  # type: ignore[attr-defined]
    run.__name__ = getattr(original, "__name__", name)
    return run


def _check_join(value: Any, separator: Any) -> None:
    if hasattr(value, "__len__") and isinstance(separator, str):
        _check_length(len(separator) * max(len(value) - 1, 0), "join")


class Deadline:
    """Interrupt the current thread with TimeUp once it has run for ``seconds``.

    Templates are compiled to Python, and a loop in one never calls back into
    factsheet, so the exception is raised inside the rendering thread itself,
    between two steps of the loop: in a process's main thread by the signal of
    the system's profiling timer (the process's processor time), in another
    thread by a watcher thread (CPython's asynchronous exceptions; the thread's
    own processor time where the system can tell it). Either way a busy
    machine does not make a sound template fail.
    """

    #: How often the watcher looks at the clock, in seconds.
    POLL = 0.05

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._thread = threading.get_ident()
        self._clock = self._thread_clock()
        self._start = self._now()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.fired = False
        self._watcher = threading.Thread(target=self._watch, name="template-deadline", daemon=True)
        self._signalled = self._armed = False
        self._previous: Any = None  # the profiling signal's handler before this deadline's
        self._ctypes: Any = None  # imported when a watcher thread is started

    def _thread_clock(self) -> int | None:
        try:
            return time.pthread_getcpuclockid(self._thread)
        except (AttributeError, OSError):  # not POSIX: wall-clock time instead
            return None

    def _now(self) -> float:
        return time.clock_gettime(self._clock) if self._clock is not None else time.monotonic()

    def _watch(self) -> None:
        while not self._stop.wait(self.POLL):
            if self._now() - self._start > self.seconds:
                with self._lock:
                    if self._stop.is_set():
                        return
                    self.fired = True
                    ctypes = self._ctypes
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(
                        ctypes.c_ulong(self._thread), ctypes.py_object(TimeUp)
                    )
                return

    def __enter__(self) -> Deadline:
        # In a process's main thread the system's profiling timer counts the processor time
        # and its signal interrupts the template: no watcher thread to start and join, which
        # on a busy machine waits for the scheduler twice per render.
        self._signalled = (
            hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        )
        if self._signalled:
            self._armed = True
            self._previous = signal.signal(signal.SIGPROF, self._expired)
            signal.setitimer(signal.ITIMER_PROF, max(self.seconds, 0.001))
        else:
            import ctypes  # here, not in the watcher: only a render outside the main thread needs it

            self._ctypes = ctypes
            self._watcher.start()
        return self

    def _expired(self, signum: int, frame: object) -> None:
        if self._armed:
            self._armed = False
            self.fired = True
            raise TimeUp()

    def __exit__(self, *exc: object) -> None:
        if self._signalled:
            self._armed = False  # a signal still on its way finds the deadline lifted
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, self._previous)
            return
        with self._lock:
            self._stop.set()
        self._watcher.join()
        if self.fired:  # the exception may not have been delivered yet: take it back
            ctypes = self._ctypes
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._thread), None)


@contextlib.contextmanager
def memory_cap(extra: int = RENDER_MEMORY) -> Iterator[None]:
    """Let the process grow by at most ``extra`` bytes of address space inside the block (POSIX).

    An allocation beyond it raises MemoryError instead of waking the
    out-of-memory killer. The soft limit is restored afterwards; an existing,
    tighter limit is left alone.
    """
    if resource is None:  # pragma: no cover - not POSIX
        yield
        return
    size = _address_space()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if size is None:
        yield
        return
    cap = size + extra
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        yield
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _address_space() -> int | None:
    """Return the process's current virtual memory size in bytes, where the system tells it."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def render_seconds(claims: int) -> float:
    """Return the time a render of a sheet of ``claims`` claims may take."""
    return RENDER_SECONDS + RENDER_SECONDS_PER_CLAIM * claims


def output_chars(claims: int) -> int:
    """Return how many characters a render of a sheet of ``claims`` claims may write."""
    return OUTPUT_CHARS + OUTPUT_CHARS_PER_CLAIM * claims


def collect(chunks: Iterator[str], limit: int) -> str:
    """Return the joined ``chunks`` of a render; raise BudgetExceeded once they pass ``limit`` characters."""
    out: list[str] = []
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise OutputTooLong(f"the template wrote more than {limit:,} characters")
        out.append(chunk)
    return "".join(out)
