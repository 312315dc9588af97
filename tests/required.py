"""What a test needs from the machine: missing, it skips the test here and fails it under CI (``CI`` set)."""

from __future__ import annotations

import importlib
import os
import shutil
from types import ModuleType
from typing import NoReturn

import pytest


def under_ci() -> bool:
    """Return True when the tests run under CI, where nothing a test needs may be missing."""
    return bool(os.environ.get("CI"))


def missing(what: str) -> NoReturn:
    """Fail the calling test under CI, else skip it, saying what is missing."""
    if under_ci():
        pytest.fail(f"{what}: CI must have it (see .ci/run)")
    pytest.skip(what)


def tool(*names: str, hint: str = "") -> str:
    """Return the path of the first of ``names`` on PATH; else :func:`missing`."""
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    missing(f"{' or '.join(names)} is not installed{f' ({hint})' if hint else ''}")


def tools(*names: str, hint: str = "") -> list[str]:
    """Return the paths of every one of ``names``; :func:`missing` names the first absent."""
    return [tool(name, hint=hint) for name in names]


def module(name: str, hint: str = "") -> ModuleType:
    """Return the module ``name``; else :func:`missing`."""
    try:
        return importlib.import_module(name)
    except ImportError:
        missing(f"the Python module {name} is not installed{f' ({hint})' if hint else ''}")


def present(condition: bool, what: str) -> None:
    """Go on when ``condition`` holds (a folder, a working install); else :func:`missing` with ``what``."""
    if not condition:
        missing(what)
