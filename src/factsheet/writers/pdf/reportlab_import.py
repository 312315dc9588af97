"""Import reportlab with the patterns it compiles on import, and a brief never uses, compiled on first use."""

from __future__ import annotations

import re
import sys
import threading
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


def import_reportlab() -> None:
    """Import ``reportlab.platypus`` (once), the patterns of :data:`DEFERRED` left for their first use."""
    if "reportlab.platypus" in sys.modules:
        return
    with _lock:
        compile_now = re.compile

        def compile_or_defer(text: Any, flags: int = 0) -> Any:
            return DeferredPattern(text, flags) if deferred(text, flags) else compile_now(text, flags)

        re.compile = compile_or_defer  # type: ignore[assignment]  # only while reportlab's modules load
        try:
            import reportlab.platypus  # noqa: F401 - for its cost, paid here
        finally:
            re.compile = compile_now
