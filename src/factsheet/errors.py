"""Exceptions and located problems reported by factsheet."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """A located finding in an input file: an error, a warning or information."""

    path: str
    line: int
    col: int
    message: str
    severity: str = "error"  # error | warning | info

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.path}:{self.line}:{self.col}: {tag}{self.message}"


class FactsheetError(Exception):
    """Base class of every error the tool reports to its user."""

    exit_code = 1


class UsageError(FactsheetError):
    """The command line cannot be acted on (missing file, bad option value)."""

    exit_code = 2


class InvocationError(UsageError):
    """The command line itself is wrong (an option's value, how many names): the command's help explains it."""


class InputError(FactsheetError):
    """One or more inputs are invalid; carries every problem found."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class TemplateError(FactsheetError):
    """A template failed to load or render; the message names file and line."""


class RenderError(FactsheetError):
    """A document could not be written (missing glyph, note taller than a page)."""


class LockedError(FactsheetError):
    """Another export holds the export folder's lock."""

    exit_code = 3


class NotFoundError(FactsheetError):
    """Words looked up in an article are not in it."""
