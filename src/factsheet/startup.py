"""A command's start: the garbage collector waits until the modules it needs are loaded."""

from __future__ import annotations

import gc


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
        gc.enable()
