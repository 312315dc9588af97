"""Problems as lines for people, as JSON, or as GitHub workflow-command annotations."""

from __future__ import annotations

import json

from factsheet.errors import Problem

FORMATS = ("text", "json", "github")
#: GitHub annotation levels for each severity.
_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def ordered(problems: list[Problem]) -> list[Problem]:
    """Return problems by file, line and column."""
    return sorted(problems, key=lambda p: (p.path, p.line, p.col))


def render(problems: list[Problem], fmt: str, summary: dict[str, int]) -> str:
    """Return the report of ``problems`` in ``fmt`` (text, json or github), ending in a line break."""
    problems = ordered(problems)
    if fmt == "json":
        return (
            json.dumps(
                {
                    "summary": summary,
                    "problems": [
                        {
                            "file": p.path,
                            "line": p.line,
                            "column": p.col,
                            "severity": p.severity,
                            "message": p.message,
                        }
                        for p in problems
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    if fmt == "github":
        return "".join(f"{annotation(p)}\n" for p in problems)
    return "".join(f"{p}\n" for p in problems)


def annotation(p: Problem) -> str:
    """Return ``p`` as a workflow command: ``::error file=F,line=L,col=C::message``."""
    return (
        f"::{_LEVELS.get(p.severity, 'error')} file={_property(p.path)},line={p.line},col={p.col}"
        f"::{_data(p.message)}"
    )


def _data(text: str) -> str:
    # The escapes GitHub's runner decodes in a command's message.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
