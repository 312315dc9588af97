"""``factsheet check`` as a library call: every problem of some sheets and their sources, in one report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factsheet.content.figures import group_figures, group_problems
from factsheet.content.publishing import publication_gaps
from factsheet.errors import Problem
from factsheet.pipeline.glyphs import text_glyph_problems
from factsheet.project import Project
from factsheet.sources.check import CheckedSheet, check_sheet, uncited_sources
from factsheet.sources.factcheck import marks
from factsheet.sources.seeds import SeedLibrary


@dataclass(frozen=True)
class CheckReport:
    """What checking found: every problem (errors, warnings, notes) and what was checked."""

    files: int
    claims: int
    quotes: int
    figure_groups: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Return how many problems are errors."""
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        """Return how many problems are warnings."""
        return sum(p.severity == "warning" for p in self.problems)

    def summary(self) -> dict[str, int]:
        """Return the counts, as the JSON report shows them."""
        return {
            "files": self.files,
            "claims": self.claims,
            "quotes": self.quotes,
            "errors": self.errors,
            "warnings": self.warnings,
            "figure_groups": self.figure_groups,
        }


def check_sheets(
    project: Project,
    paths: Sequence[Path],
    library: SeedLibrary,
    every_sheet: bool = False,
    template: str | None = None,
) -> CheckReport:
    """Return the report of checking ``paths``.

    With ``every_sheet``, it also warns of sources no sheet cites; with
    ``template``, it notes each claim that template leaves out.
    """
    checked = [check_sheet(p, library, project.display(p), project.root) for p in paths]
    problems = [p for c in checked for p in c.problems]
    # what check accepts, every writer can draw
    problems += [
        p
        for c in checked
        if c.doc is not None and isinstance(c.doc.data, dict)
        for p in text_glyph_problems(c.doc)
    ]
    if template:
        problems += [p for c in checked for p in _left_out(project, c, template)]
    groups = 0  # figures compared across claims, listed as information for the editor
    for c in checked:
        found, more = _content_problems(c)
        groups += found
        problems += more
    if every_sheet:
        problems += uncited_sources(library, checked)
        marks(library).every()  # the whole project: every article's catalog marks checked, cited or not
    problems += library.problems
    # Counted from what was read, so a sheet with errors still shows what was checked.
    claims = [cl for c in checked for cl in _claims_read(c)]
    quotes = sum(len(_mappings(cl.get("citations"))) for cl in claims)
    return CheckReport(len(paths), len(claims), quotes, groups, problems)


def _left_out(project: Project, checked: CheckedSheet, template: str) -> list[Problem]:
    """Return one note per claim that ``template`` leaves out of a sheet checked without errors."""
    from factsheet.pipeline.build import left_out

    if checked.sheet is None or checked.doc is None or not checked.ok:
        return []
    index = {claim.id: i for i, claim in enumerate(checked.sheet.claims)}
    return [
        checked.doc.problem(
            ("claims", index[claim.id], "id"),
            f"claim '{claim.id}' is left out of the {template} template's output (counted there, not shown)",
            severity="info",
        )
        for claim in left_out(project, checked.sheet, template)
    ]


def _content_problems(checked: CheckedSheet) -> tuple[int, list[Problem]]:
    """Return how many figure groups a usable sheet has, and the content stage's problems with it."""
    if checked.sheet is None or checked.doc is None:
        return 0, []
    found = group_figures(checked.sheet)
    problems = group_problems(checked.doc, checked.sheet, found)
    problems += [
        checked.doc.problem(path, message, severity="warning")
        for path, message in publication_gaps(checked.sheet)
    ]
    return len(found), problems


def _claims_read(checked: CheckedSheet) -> list[dict[str, Any]]:
    if checked.doc is None or not isinstance(checked.doc.data, dict):
        return []
    return _mappings(checked.doc.data.get("claims"))


def _mappings(value: object) -> list[dict[str, Any]]:
    """Return the mappings in a list read from YAML (anything else: none)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
