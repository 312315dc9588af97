"""What each command does, given parsed arguments; returns an exit code."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from factsheet.errors import Problem
from factsheet.project import Project
from factsheet.writers import WriterOptions

if TYPE_CHECKING:
    from factsheet.pipeline.renderprocess import RenderProcess
    from factsheet.pipeline.sidewriter import SideWriter
    from factsheet.sources.quotes import Article
    from factsheet.sources.seeds import SeedLibrary


def _project(args: argparse.Namespace) -> Project:
    return Project.for_paths(Path(args.root) if args.root else None, getattr(args, "paths", None) or ())


def _report(problems: list[Problem], stream: TextIO | None = None) -> None:
    for p in sorted(problems, key=lambda p: (p.path, p.line, p.col)):
        print(p, file=stream or sys.stdout)


def schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of fact sheets (or of the seed catalog)."""
    import json

    from factsheet.sources import schema as spec

    if args.catalog:
        doc = spec.json_schema(spec.CATALOG, "factsheet seed catalog")
    else:
        doc = spec.json_schema(spec.SHEET, "factsheet fact sheet")
    if getattr(args, "markdown", False):
        from factsheet.sources.fieldref import reference

        title = "The seed catalog's fields" if args.catalog else "The fact sheet's fields"
        sys.stdout.write(reference(doc, title))
        return 0
    print(json.dumps(doc, indent=2, ensure_ascii=False))
    return 0


def check(args: argparse.Namespace) -> int:
    """Check fact sheets; print every problem; exit 1 if any error was found."""
    from factsheet.cli.reporting import render
    from factsheet.pipeline.build import Pipeline

    project = _project(args)
    paths = project.sheet_paths(args.paths)
    report = Pipeline(project).check(
        paths, every_sheet=not args.paths, template=getattr(args, "template", None)
    )
    sys.stdout.write(render(report.problems, getattr(args, "format", "text"), report.summary()))
    errors, warnings, groups = report.errors, report.warnings, report.figure_groups
    print(
        f"checked {report.files} file{'s' * (report.files != 1)}, {report.claims} claims, "
        f"{report.quotes} quotes: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        f"{f'; {groups} figure group' + 's' * (groups != 1) if groups else ''}",
        file=sys.stderr,
    )
    return 1 if errors else 0


def _library_source(args: argparse.Namespace) -> tuple[SeedLibrary, Article]:
    """Return the project's seed library and the readable article of ``args.source``."""
    from factsheet.errors import InputError, UsageError
    from factsheet.sources.check import did_you_mean

    project = _project(args)
    from factsheet.sources.seeds import SeedLibrary

    library = SeedLibrary.of(project)
    if library.problems and not library.sources:
        raise InputError(library.problems)
    if args.source not in library.sources:
        raise UsageError(
            f"unknown source '{args.source}'{did_you_mean(args.source, library.sources)}; "
            f"expected one of: {', '.join(library.sources)}"
        )
    article = library.article(args.source)
    if article is None:
        raise InputError(library.problems)
    return library, article


def quote(args: argparse.Namespace) -> int:
    """Print the sentences of an article holding some words, as citation YAML to paste into a sheet."""
    from factsheet.errors import NotFoundError
    from factsheet.sources.factcheck import marks
    from factsheet.sources.furniture import furniture_at
    from factsheet.sources.loading import printable
    from factsheet.sources.quoting import MAX_FOUND, as_yaml, count, find, find_invisible

    library, article = _library_source(args)
    found = find(article, args.words, MAX_FOUND)
    invisible = find_invisible(article, args.words) if not found else None
    if invisible is not None:
        found = [invisible[0]]
    if not found:
        from factsheet.sources.check import captured_furniture

        furniture = captured_furniture(library, args.source, args.words)
        if furniture is not None:
            raise NotFoundError(
                printable(
                    f"'{args.words}' is not in the article body of {args.source}: it is in the page's "
                    f"{furniture}; quote the body, or cite it with allow_furniture: REASON"
                )
            )
        near = article.nearest(args.words)
        close = near is not None and near.similarity >= 0.5  # a passage sharing few words would only mislead
        shown = (
            f'; nearest passage is line {near.line}: "{article.marked(args.words, near)[0]}"'
            if near is not None and close
            else ""
        )
        raise NotFoundError(printable(f"'{args.words}' is not in {args.source}{shown}"))
    mark = marks(library).get(args.source)
    for f in found:
        print(printable(f"# line {f.line} of {args.source}"))
        for difference in invisible[1] if invisible else ():
            print(printable(f"# not as typed: {difference.describe(args.source, typed=True)}"))
        piece = furniture_at(mark.furniture, article, f.start, f.end) if mark else None
        if mark is not None and piece is not None:
            kind = "page furniture" if mark.recorded else "what looks like page furniture"
            print(printable(f"# {kind} ({piece.describe()}): quote the body, or add allow_furniture: REASON"))
        for slip in (e for e in (mark.errata if mark else ()) if e.overlaps(f.start, f.end)):
            print(printable(f"# known error: {' '.join(slip.note.split())} (give the claim a note)"))
        sys.stdout.write(as_yaml(args.source, f.text))
    if len(found) == MAX_FOUND:
        rest = count(article, args.words) - MAX_FOUND
        if rest > 0:
            print(
                printable(
                    f"# and {rest:,} more place{'s' * (rest != 1)} in {args.source} (the first {MAX_FOUND} "
                    "are shown); add words to the search to narrow it"
                )
            )
    return 0


def seeds(args: argparse.Namespace) -> int:
    """Run a seeds subcommand."""
    if args.seeds_command == "add":
        return seeds_add(args)
    if args.seeds_command == "update":
        return seeds_update(args)
    return seeds_scan(args)


def _seeds_project(args: argparse.Namespace) -> Project:
    """Return the project to add to: --root, else the working folder's (created when it has a seeds/ folder)."""
    from factsheet.errors import UsageError

    try:
        return Project.for_paths(Path(args.root) if args.root else None, ())
    except UsageError:
        here = Path(args.root or Path.cwd())
        if (here / "seeds").is_dir():
            return Project(here.resolve())
        raise


def seeds_add(args: argparse.Namespace) -> int:
    """Add an article from a saved page, a web archive or a text file."""
    from factsheet.sources.intake import add, read_capture
    from factsheet.sources.loading import printable

    project = _seeds_project(args)
    path = Path(args.path)
    intake = read_capture(path, args.path, args.url, args.captured)
    added = add(project.seeds_dir, intake, args.id)
    if not added.changed:
        print(
            printable(f"{args.path} is already in the catalog as '{added.source_id}'; nothing changed"),
            file=sys.stderr,
        )
        return 0
    for name in added.files:
        print(printable(f"wrote seeds/{name}"), file=sys.stderr)
    entry = added.entry
    stated = entry.get("stated") or {}
    print(printable(f"added '{added.source_id}' to seeds/catalog.yaml"), file=sys.stderr)
    for key in ("headline", "author", "outlet", "published", "modified", "url", "language"):
        if key in entry:
            value = entry[key]
            origin = f"  (from {stated[key]})" if key in stated else ""
            print(
                printable(f"  {key}: {value if value is not None else '(not stated)'}{origin}"),
                file=sys.stderr,
            )
    return 0


def seeds_update(args: argparse.Namespace) -> int:
    """Add a newer capture of an article and report what became of each quote citing it."""
    from factsheet.sources.intake import read_capture
    from factsheet.sources.revisions import update

    project = _project(args)
    intake = read_capture(Path(args.path), args.path, args.url, args.captured)
    report = update(project, args.source, intake)
    for line in report.lines():
        print(line)
    return 1 if report.failed else 0


def seeds_scan(args: argparse.Namespace) -> int:
    """Print proposed page furniture for articles, as catalog YAML to review and paste."""
    import json

    from factsheet.errors import InputError, UsageError
    from factsheet.sources.check import did_you_mean
    from factsheet.sources.furniture import lines_of, scan
    from factsheet.sources.loading import printable

    project = _project(args)
    from factsheet.sources.seeds import SeedLibrary

    library = SeedLibrary.of(project)
    if library.problems and not library.sources:
        raise InputError(library.problems)
    for name in args.sources:
        if name not in library.sources:
            raise UsageError(
                f"unknown source '{name}'{did_you_mean(name, library.sources)}; "
                f"expected one of: {', '.join(library.sources)}"
            )
    catalog = library.catalog.data if library.catalog is not None else {}
    entries = {e.get("id"): e for e in catalog["sources"] if isinstance(e, dict)}
    wanted = args.sources or [
        s
        for s in library.sources
        if args.all or not ({"furniture", "body"} & set(entries[s]) or library.first_capture(s))
    ]
    if not wanted:
        print(
            "every article's page furniture is recorded in seeds/catalog.yaml; "
            "name an article (or pass --all) to scan it again",
            file=sys.stderr,
        )
    for n, source_id in enumerate(wanted):
        article = library.article(source_id)
        if article is None:
            continue
        lines = lines_of(article)
        print(
            ("\n" if n else "") + f"# {source_id}: proposed page furniture; check each against the article, "
            "then add it to the article's entry in seeds/catalog.yaml"
        )
        found = scan(article, entries[source_id].get("headline"))
        print("furniture:" + ("" if found else " []"))
        for f in found:
            where = str(f.first) if f.first == f.last else f"{f.first}-{f.last}"
            first = " ".join(lines[f.first - 1].split())
            shown = first if len(first) <= 50 else first[:49] + "…"
            print(
                printable(
                    f"  - {{lines: {where}, what: {json.dumps(f.what, ensure_ascii=False)}}}  # {shown}"
                )
            )
    problems = [p for p in library.problems if p.severity == "error"]
    if problems:
        raise InputError(problems)
    return 0


def verify(args: argparse.Namespace) -> int:
    """Verify built briefs against the project's captures; exit 1 when a note or a record fails."""
    from factsheet.errors import UsageError
    from factsheet.pipeline.verify import verify as check_output
    from factsheet.sources.loading import printable
    from factsheet.writers.embedded import UnknownFormat, read_record

    root = args.project or args.root
    project = Project.for_paths(Path(root) if root else None, args.outputs)
    from factsheet.sources.seeds import SeedLibrary

    library = SeedLibrary.of(project)
    failed = False
    for name in args.outputs:
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
        try:
            record = read_record(data)
        except UnknownFormat as exc:
            raise UsageError(f"{name}: {exc}") from None
        result = check_output(name, record, library, project.root)
        for line in result.lines():
            print(printable(line))
        failed = failed or result.failed
    problems = [p for p in library.problems if p.severity == "error"]
    _report(problems, sys.stderr)
    return 1 if failed or problems else 0


def build(args: argparse.Namespace) -> int:
    """Build briefing sheets; write each output atomically; exit 1 if any sheet failed."""
    from factsheet import cache
    from factsheet.pipeline.sidewriter import SideWriter
    from factsheet.writers import parse_formats

    formats = parse_formats(args.format)
    cache.cache_dir()  # an unsafe cache folder is reported once, before the writer processes are forked
    # Each writer starts loading now, in its own process, and the template compiles in
    # another, while this one reads the sheets: that overlap is most of a brief's build time.
    sides = SideWriter.for_formats(formats)
    started: list[RenderProcess] = []
    try:
        return _build(args, formats, sides, started)
    finally:
        processes: list[SideWriter | RenderProcess] = [*sides, *started]
        for process in processes:  # all told first, so they end side by side
            process.end()
        for process in processes:
            process.wait()


def _build(
    args: argparse.Namespace, formats: list[str], side: list[SideWriter], started: list[RenderProcess]
) -> int:
    from factsheet.errors import UsageError
    from factsheet.pipeline.renderprocess import RenderProcess
    from factsheet.writers.pdf.profiles import parse_profiles

    profiles = parse_profiles(args.pdf_profiles)
    project = _project(args)
    paths = project.sheet_paths(args.paths)
    # started before the sheets are read here: compiling the template takes longest
    renderer = RenderProcess.start(project.templates_dir, args.template, len(paths))
    started.extend([renderer] if renderer else [])
    for writer in side:  # each ends by itself after the last sheet's document, as the render process does
        writer.documents = len(paths)
    from factsheet.rendering.templating import template_path

    template_path(project.templates_dir, args.template)  # a bad name is one usage error, not one per sheet
    stems: dict[str, Path] = {}
    for path in paths:
        if path.stem in stems:
            raise UsageError(
                f"{stems[path.stem]} and {path} would both be built as {path.stem}.*; rename one"
            )
        stems[path.stem] = path
    out = Path(args.out) if args.out else project.default_out
    project.refuse_as_output(out, "build into a folder of its own such as build/")
    options = dataclasses.replace(_options(args), pdf_profiles=profiles)
    return _build_all(
        project, paths, formats, out, args.template, side, options, getattr(args, "since", None), renderer
    )


def _options(args: argparse.Namespace) -> WriterOptions:
    """Return the writer options main() read from the environment (the defaults when called directly)."""
    return getattr(args, "options", None) or WriterOptions()


def _build_all(
    project: Project,
    paths: list[Path],
    formats: list[str],
    out: Path,
    template: str,
    side: list[SideWriter],
    options: WriterOptions,
    since: str | None = None,
    renderer: RenderProcess | None = None,
) -> int:
    from factsheet import startup
    from factsheet.atomic import write_atomic
    from factsheet.errors import FactsheetError, InputError, UsageError
    from factsheet.pipeline.build import Pipeline, clear_unwritten
    from factsheet.sources.loading import printable
    from factsheet.sources.seeds import SeedLibrary
    from factsheet.writers import output_name

    pipeline = Pipeline(project, template, SeedLibrary.of(project), options=options, since=since)
    startup.loaded()
    failed = 0
    for path in paths:
        try:
            built = pipeline.build(path, formats, side, renderer)
        except InputError as exc:
            _report(exc.problems, sys.stderr)  # diagnostics of build, as every command but check
            failed += 1
            continue
        except FactsheetError as exc:
            print(printable(f"{project.display(path)}: {exc}"), file=sys.stderr)
            failed += 1
            continue
        try:
            out.mkdir(parents=True, exist_ok=True)
            for fmt, data in built.outputs.items():
                target = out / output_name(path.stem, fmt)
                write_atomic(target, data)
                notes = f", {len(built.document.footnotes)} notes" if fmt in ("docx", "pdf", "html") else ""
                print(
                    printable(f"wrote {project.display(target)} ({len(data):,} bytes{notes})"),
                    file=sys.stderr,
                )
            for target, why, earlier in clear_unwritten(out, path.stem, formats, built.outputs):
                removed = f"; removed the earlier {project.display(target)}" if earlier else ""
                print(printable(f"no {project.display(target)}: {why}{removed}"), file=sys.stderr)
        except OSError as exc:
            raise UsageError(f"--out: cannot write to {out}: {exc.strerror or exc}") from None
    return 1 if failed else 0


def watch(args: argparse.Namespace) -> int:
    """Build, then rebuild the briefs a change affects, until interrupted (exit 130)."""
    from factsheet.pipeline.watch import run

    return run(args)


def export(args: argparse.Namespace) -> int:
    """Build fact sheets into an export folder unattended: skip unchanged outputs, lock, summarise."""
    from factsheet import cache
    from factsheet.export import run

    cache.cache_dir()  # an unsafe cache folder is reported once, before any worker process starts
    return run(_project(args), args)


def diff(args: argparse.Namespace) -> int:
    """Show claim-level changes: exit 0 when none, 1 when some, 2 on trouble (as diff(1))."""
    from factsheet.review.command import run

    return run(args)


def git_setup(args: argparse.Namespace) -> int:
    """Set up git so that 'git diff' and 'git log -p' show fact sheets claim by claim."""
    from factsheet.review.command import git_setup as setup

    return setup(args)
