"""What each command does, given parsed arguments; returns an exit code."""

from __future__ import annotations

import sys
from pathlib import Path

from factsheet.errors import Problem
from factsheet.project import Project


def _project(args) -> Project:
    return Project.find(Path(args.root) if args.root else None)


def _report(problems: list[Problem]) -> None:
    for p in sorted(problems, key=lambda p: (p.path, p.line, p.col)):
        print(p)


def schema(args) -> int:
    """Print the JSON Schema of fact sheets (or of the seed catalog)."""
    import json

    from factsheet.sources import schema as spec

    if args.catalog:
        doc = spec.json_schema(spec.CATALOG, "factsheet seed catalog")
    else:
        doc = spec.json_schema(spec.SHEET, "factsheet fact sheet")
    print(json.dumps(doc, indent=2, ensure_ascii=False))
    return 0


def check(args) -> int:
    """Check fact sheets; print every problem; exit 1 if any error was found."""
    from factsheet.content.figures import group_figures, group_problems
    from factsheet.content.publishing import publication_gaps
    from factsheet.sources.check import check_sheet, uncited_sources
    from factsheet.sources.seeds import SeedLibrary

    project = _project(args)
    paths = project.sheet_paths(args.paths)
    library = SeedLibrary(project.seeds_dir, project.display(project.seeds_dir / "catalog.yaml"))
    checked = [check_sheet(p, library, project.display(p)) for p in paths]
    problems = [p for c in checked for p in c.problems]
    groups = 0  # figures compared across claims, listed as information for the editor
    for c in checked:
        if c.sheet is not None and c.doc is not None:
            found = group_figures(c.sheet)
            groups += len(found)
            problems += group_problems(c.doc, c.sheet, found)
            problems += [c.doc.problem(path, message, severity="warning")
                         for path, message in publication_gaps(c.sheet)]
    if not args.paths:
        problems += uncited_sources(library, checked)
    problems += library.problems
    _report(problems)
    errors = sum(p.severity == "error" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    claims = sum(len(c.sheet.claims) for c in checked if c.sheet)
    quotes = sum(len(cl.citations) for c in checked if c.sheet for cl in c.sheet.claims)
    print(f"checked {len(paths)} file{'s' * (len(paths) != 1)}, {claims} claims, {quotes} quotes: "
          f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
          f"{f'; {groups} figure group' + 's' * (groups != 1) if groups else ''}", file=sys.stderr)
    return 1 if errors else 0


def build(args) -> int:
    """Build briefing sheets; write each output atomically; exit 1 if any sheet failed."""
    from factsheet.pipeline.sidewriter import SideWriter
    from factsheet.writers import parse_formats

    formats = parse_formats(args.format)
    # The slowest writer (PDF, last in order) starts loading now, in its own process,
    # while this one reads the sheets: that overlap is most of a brief's build time.
    side = SideWriter(formats[-1]) if SideWriter.worthwhile(formats) else None
    try:
        return _build(args, formats, side)
    finally:
        if side is not None:
            side.close()


def _build(args, formats, side) -> int:
    from factsheet.errors import UsageError
    from factsheet.rendering.templating import template_path

    project = _project(args)
    paths = project.sheet_paths(args.paths)
    template_path(project.templates_dir, args.template)  # a bad name is one usage error, not one per sheet
    stems: dict[str, Path] = {}
    for path in paths:
        if path.stem in stems:
            raise UsageError(f"{stems[path.stem]} and {path} would both be built as {path.stem}.*; rename one")
        stems[path.stem] = path
    out = Path(args.out) if args.out else project.default_out
    return _build_all(project, paths, formats, out, args.template, side)


def _build_all(project, paths, formats, out, template, side) -> int:
    from factsheet.pipeline import build as pipeline
    from factsheet.atomic import write_atomic
    from factsheet.errors import FactsheetError, InputError, UsageError
    from factsheet.sources.loading import printable
    from factsheet.sources.seeds import SeedLibrary
    from factsheet.writers import output_name

    library = SeedLibrary(project.seeds_dir, project.display(project.seeds_dir / "catalog.yaml"))
    failed = 0
    for path in paths:
        try:
            loaded = pipeline.load_sheet(project, path, library)
            document = pipeline.document_for(project, loaded, template)
            outputs = pipeline.render_all(document, formats, side)
        except InputError as exc:
            _report(exc.problems)
            failed += 1
            continue
        except FactsheetError as exc:
            print(printable(f"{project.display(path)}: {exc}"), file=sys.stderr)
            failed += 1
            continue
        try:
            out.mkdir(parents=True, exist_ok=True)
            for fmt, data in outputs.items():
                target = out / output_name(path.stem, fmt)
                write_atomic(target, data)
                notes = f", {len(document.footnotes)} notes" if fmt in ("docx", "pdf", "html") else ""
                print(printable(f"wrote {project.display(target)} ({len(data):,} bytes{notes})"),
                      file=sys.stderr)
        except OSError as exc:
            raise UsageError(f"--out: cannot write to {out}: {exc.strerror or exc}") from None
    return 1 if failed else 0


def export(args) -> int:
    """Build fact sheets into an export folder unattended: skip unchanged outputs, lock, summarise."""
    from factsheet.export import run

    return run(_project(args), args)


def diff(args) -> int:
    """Show claim-level changes: exit 0 when none, 1 when some, 2 on trouble (as diff(1))."""
    from factsheet.review.command import run

    return run(args)


def git_setup(args) -> int:
    """Set up git so that 'git diff' and 'git log -p' show fact sheets claim by claim."""
    from factsheet.review.command import git_setup as setup

    return setup(args)
