"""Import reportlab with what it prepares on import, and a brief never uses, made on first use.

Two things: the patterns of :data:`DEFERRED`, and ``urllib.request``, which
reportlab imports to fetch images given by URL and which brings HTTP, e-mail
and TLS with it (a third of reportlab's import).
"""

from __future__ import annotations

import importlib
import re
import sys
import threading
import types
from typing import Any

#: (start of the pattern, flags) of module-level patterns reportlab compiles as it is imported:
#: ``reportlab.platypus.paragraph.uri_pat``, case-insensitive over most of Unicode, takes longer to
#: compile than the rest of reportlab together and is used only to split a long URL in a style with
#: ``uriWasteReduce``; ``reportlab.lib.textsplit.rx`` serves only ``cjkwrap``.
DEFERRED = (
    ("(^(?:[a-z0-9\\.\\-\\+]*)://)", re.IGNORECASE),
    ("([\u2e80-\uffff])", re.UNICODE),
)

_lock = threading.Lock()


class DeferredPattern:
    """A regular expression compiled when first used; used, it is the compiled pattern."""

    __slots__ = ("_compiled", "_flags", "_text")

    def __init__(self, text: str, flags: int):
        self._text, self._flags = text, flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> bool:
        """Whether the pattern has been compiled (it was used)."""
        return self._compiled is not None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(self._text, self._flags)
        return getattr(self._compiled, name)

    def __repr__(self) -> str:
        return f"DeferredPattern({self._text[:40]!r}…, {self._flags})"


def deferred(text: object, flags: int) -> bool:
    """Return True when ``re.compile(text, flags)`` is one of the patterns compiled on first use."""
    return isinstance(text, str) and any(text.startswith(start) and flags == f for start, f in DEFERRED)


def _network() -> types.ModuleType:
    """Return the real ``urllib.request``, imported now if it was not."""
    if sys.modules.get("urllib.request") is _URLLIB_REQUEST:  # pragma: no cover - only while reportlab loads
        del sys.modules["urllib.request"]
    return importlib.import_module("urllib.request")


def _urlopen(*args: Any, **kwargs: Any) -> Any:
    return _network().urlopen(*args, **kwargs)


def _request(*args: Any, **kwargs: Any) -> Any:
    return _network().Request(*args, **kwargs)


#: What reportlab.lib.utils takes from ``urllib.request`` (``urlopen`` and ``Request``), importing it when called.
_URLLIB_REQUEST = types.ModuleType("urllib.request", "urllib.request, imported when first called")
_URLLIB_REQUEST.urlopen = _urlopen  # type: ignore[attr-defined]
_URLLIB_REQUEST.Request = _request  # type: ignore[attr-defined]


def import_reportlab() -> None:
    """Import ``reportlab.platypus`` (once), the patterns of :data:`DEFERRED` and ``urllib.request`` left for first use."""
    if "reportlab.platypus" in sys.modules:
        return
    with _lock:
        compile_now = re.compile

        def compile_or_defer(text: Any, flags: int = 0) -> Any:
            return DeferredPattern(text, flags) if deferred(text, flags) else compile_now(text, flags)

        stand_in = "urllib.request" not in sys.modules
        if stand_in:
            sys.modules["urllib.request"] = _URLLIB_REQUEST
        re.compile = compile_or_defer  # type: ignore[assignment]  # only while reportlab's modules load
        try:
            import reportlab.platypus  # noqa: F401 - for its cost, paid here
        finally:
            re.compile = compile_now
            if stand_in and sys.modules.get("urllib.request") is _URLLIB_REQUEST:
                del sys.modules["urllib.request"]
