"""``factsheet diff`` and ``factsheet git-setup``: arguments in, exit code out (0 same, 1 changed, 2 trouble)."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

from factsheet.review import formats
from factsheet.review.compare import SheetDiff, compare
from factsheet.review.load import DiffInputError, Side, read_side
from factsheet.errors import FactsheetError, InputError, UsageError
from factsheet.sources.loading import decode

EXIT_SAME, EXIT_CHANGED = 0, 1


class DiffFailure(FactsheetError):
    """The diff could not be completed (e.g. the redline could not be written); exit 2 as diff(1)."""

    exit_code = 2


def use_color(choice: str, stream=None, environ=None) -> bool:
    """Return True when output should carry ANSI colour (``--color auto|always|never``)."""
    environ = os.environ if environ is None else environ
    if choice == "always":
        return True
    if choice == "never":
        return False
    stream = stream or sys.stdout
    tty = hasattr(stream, "isatty") and stream.isatty()
    return tty and not environ.get("NO_COLOR") and environ.get("TERM") != "dumb"


def _read_file(path: Path, shown: str) -> str:
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise UsageError(f"{shown}: expected a fact sheet file, found a folder") from None
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read file: {exc.strerror}") from None
    try:
        return decode(raw, shown)
    except InputError as exc:
        raise DiffInputError(exc.problems) from None


def _sides_from_files(old: str, new: str) -> list[tuple[Side, Side, None]]:
    return [(read_side(_read_file(Path(old), old), old), read_side(_read_file(Path(new), new), new), None)]


def _default_pathspecs(args) -> list[str]:
    from factsheet.project import Project

    try:
        return [str(Project.find(Path(args.root) if args.root else None).factsheets_dir)]
    except UsageError:
        return [":(top)factsheets"]


def _sides_from_git(args) -> list[tuple[Side, Side, str]]:
    """Return (old side, new side, path) for each fact sheet whose bytes differ between the revisions."""
    from factsheet.review import git

    cwd = Path.cwd()
    top = git.toplevel(cwd)
    revs = git.parse_rev(args.rev, cwd)
    pathspecs = list(args.paths) or _default_pathspecs(args)
    pairs = []
    problems = []
    for pair in git.changed_sheets(revs, pathspecs, cwd):
        sides = []
        for rev, path in ((revs.old, pair.old_path), (revs.new, pair.new_path)):
            shown = revs.label(rev, path or (pair.new_path if rev == revs.old else pair.old_path))
            if path is None:
                sides.append(Side(shown, None))
                continue
            try:
                if rev is None:
                    text = _read_file(top / path, path)
                else:
                    text = decode(git.read_blob(rev, path, cwd), shown)
                sides.append(read_side(text, shown))
            except InputError as exc:
                problems += exc.problems
        if len(sides) == 2:
            pairs.append((*sides, pair.new_path or pair.old_path))
    if problems:
        raise DiffInputError(problems)
    return pairs


def _warn(sides: list[Side]) -> None:
    for side in sides:
        if side.warnings:
            n = len(side.warnings)
            print(f"factsheet diff: warning: {side.name} does not pass the schema "
                  f"({n} problem{'s' * (n != 1)}; first: {side.warnings[0]}); diffed as written. "
                  "Run 'factsheet check' for the full list.", file=sys.stderr)


def textconv(path: str) -> int:
    """Print the canonical claim-per-block text of one file for git; never fail git's diff.

    A file that cannot be read as a fact sheet is printed as it is, after a
    line saying why, so ``git diff`` and ``git log -p`` keep working.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"diff --textconv: cannot read {path}: {exc.strerror}") from None
    try:
        side = read_side(decode(raw, path), path)
        text = formats.textconv(side.sheet)
    except InputError as exc:
        first = exc.problems[0].message if exc.problems else "unreadable"
        header = f"# factsheet: shown as written, not claim by claim: {first}\n".encode("utf-8")
        sys.stdout.buffer.write(header + raw + (b"" if raw.endswith(b"\n") else b"\n"))
        sys.stdout.flush()
        return EXIT_SAME
    sys.stdout.write(text)
    sys.stdout.flush()
    return EXIT_SAME


def run(args) -> int:
    """Run ``factsheet diff``; return 0 when nothing changed at claim level, 1 when something did."""
    if args.textconv:
        if len(args.paths) != 1 or args.rev or args.docx:
            raise UsageError("diff --textconv: expected exactly one FILE and no --rev or --docx")
        return textconv(args.paths[0])
    if args.rev is None and len(args.paths) == 2:
        pairs = _sides_from_files(*args.paths)
    else:
        pairs = _sides_from_git(args)
    if args.docx and len(pairs) != 1:
        found = f"{len(pairs)} changed fact sheets" if pairs else "no changed fact sheet"
        raise UsageError(f"--docx: expected exactly one fact sheet to compare, found {found}; name one PATH")
    project = _redline_project(args) if args.docx else None
    _warn([s for old, new, _ in pairs for s in (old, new)])
    diffs: list[SheetDiff] = [
        dataclasses.replace(compare(old.sheet, new.sheet, old.name, new.name), path=path)
        for old, new, path in pairs
    ]
    if args.format == "json":
        out = formats.json_text(diffs)
    elif args.format == "markdown":
        out = formats.markdown(diffs)
    else:
        out = formats.terminal(diffs, use_color(args.color))
    sys.stdout.write(out)
    sys.stdout.flush()
    if args.docx:
        _write_redline(args, project, pairs, diffs)
    return EXIT_CHANGED if any(d.changed for d in diffs) else EXIT_SAME


def _redline_project(args):
    """Return the project whose templates and seed catalog make the redline; check --template."""
    from factsheet.project import Project
    from factsheet.rendering.templating import template_path

    try:
        project = Project.find(Path(args.root) if args.root else None)
    except UsageError as exc:
        raise UsageError(f"--docx: the redline is the brief, built from a project's templates: {exc}") from None
    template_path(project.templates_dir, getattr(args, "template", None) or "brief")
    return project


def _write_redline(args, project, pairs, diffs) -> None:
    from factsheet.atomic import write_atomic
    from factsheet.review.docdiff import count_changes
    from factsheet.review.redline import redline_for
    from factsheet.writers.docx import write_docx

    (old, new, _), d = pairs[0], diffs[0]
    template = getattr(args, "template", None) or "brief"
    try:
        document = redline_for(old.sheet, new.sheet, project, template=template, author=args.author,
                               names=(old.name, new.name))
        data = write_docx(document)
    except UsageError:
        raise
    except FactsheetError as exc:  # a sheet the template cannot render, a character the fonts cannot draw
        raise DiffFailure(f"--docx: {exc}") from None
    target = Path(args.docx)
    write_atomic(target, data)
    inserted, deleted = count_changes(document)
    print(f"wrote {target} ({len(data):,} bytes): the brief of {d.new_name} (template '{template}') with "
          f"{inserted} insertion{'s' * (inserted != 1)} and {deleted} deletion{'s' * (deleted != 1)} "
          f"tracked against {d.old_name}", file=sys.stderr)


def git_setup(args) -> int:
    """Run ``factsheet git-setup``: attributes + git config so git diff shows claims."""
    from factsheet.review import git
    from factsheet.project import Project

    try:
        folder = Project.find(Path(args.root) if args.root else None).root
    except UsageError:
        folder = git.toplevel(Path.cwd())
    done = git.install(folder, getattr(args, "command_line", None))
    for line in done or ["already set up: nothing to change"]:
        print(line)
    if done and any(".gitattributes" in line for line in done):
        print("commit .gitattributes so every clone shares it; each clone runs 'factsheet git-setup' once",
              file=sys.stderr)
    return EXIT_SAME
