"""A command's start: the garbage collector waits until the modules it needs are loaded, then runs full collections less often."""

from __future__ import annotations

import gc

#: The collector's thresholds once a command has loaded: full collections (the third) ten times
#: rarer than Python's default. A build's processes hold a document and its layout, hundreds of
#: thousands of long-lived objects that each full collection walks again: a 2,500-claim
#: dossier's PDF spent a seventh of its time there, and the walks grew with the sheet.
THRESHOLDS = (700, 10, 100)


def loading() -> None:
    """Hold off the garbage collector: importing modules makes long-lived objects, not garbage."""
    gc.disable()


def loaded() -> None:
    """Collect garbage from now on, among the objects made from now on, if :func:`loading` held it off.

    What a process made while it loaded (modules, compiled templates, fonts
    read ahead) lives as long as the process: it is frozen out of every later
    collection, and a forked process shares it untouched.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.set_threshold(*THRESHOLDS)
        gc.enable()
