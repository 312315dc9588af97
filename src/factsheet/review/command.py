"""``factsheet diff`` and ``factsheet git-setup``: arguments in, exit code out (0 same, 1 changed, 2 trouble)."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, TextIO

from factsheet.errors import FactsheetError, InputError, InvocationError, UsageError
from factsheet.oneline import one_line
from factsheet.regularfile import FileTooLarge, NotRegularFile, read_regular
from factsheet.review import formats
from factsheet.review.compare import SheetDiff, compare
from factsheet.review.load import DiffInputError, Side, read_side
from factsheet.sources.loading import MAX_FILE_BYTES, decode

if TYPE_CHECKING:
    from factsheet.project import Project
    from factsheet.sources.revisions import StaleQuote

EXIT_SAME, EXIT_CHANGED = 0, 1


class DiffFailure(FactsheetError):
    """The diff could not be completed (e.g. the redline could not be written); exit 2 as diff(1)."""

    exit_code = 2


def use_color(
    choice: str, stream: TextIO | None = None, no_color: bool = False, dumb_terminal: bool = False
) -> bool:
    """Return True when output should carry ANSI colour (``--color auto|always|never``).

    ``no_color`` and ``dumb_terminal`` are what the environment says (``NO_COLOR``
    set, ``TERM=dumb``): ``auto`` then gives no colour even on a terminal.
    """
    if choice == "always":
        return True
    if choice == "never":
        return False
    stream = stream or sys.stdout
    tty = hasattr(stream, "isatty") and stream.isatty()
    return tty and not no_color and not dumb_terminal


def _read_file(path: Path, shown: str) -> str:
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except IsADirectoryError:
        raise UsageError(f"{shown}: expected a fact sheet file, found a folder") from None
    except NotRegularFile as exc:
        raise UsageError(
            f"{shown}: {(exc.strerror or '').replace('a regular file', 'a fact sheet file')}"
        ) from None
    except FileTooLarge:
        raise UsageError(
            f"{shown}: file is larger than {MAX_FILE_BYTES:,} bytes, the limit for one YAML file"
        ) from None
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{shown}: cannot read file: {exc.strerror}") from None
    try:
        return decode(raw, shown)
    except InputError as exc:
        raise DiffInputError(exc.problems) from None


#: The old side, the new side, and the sheet's path in git (None for two files named).
SidePair = tuple[Side, Side, str | None]


def _sides_from_files(old: str, new: str) -> list[SidePair]:
    return [(read_side(_read_file(Path(old), old), old), read_side(_read_file(Path(new), new), new), None)]


def _default_pathspecs(args: argparse.Namespace) -> list[str]:
    from factsheet.project import Project

    try:
        return [str(Project.find(Path(args.root) if args.root else None).factsheets_dir)]
    except UsageError:
        return [":(top)factsheets"]


def _sides_from_git(args: argparse.Namespace) -> list[SidePair]:
    """Return (old side, new side, path) for each fact sheet whose bytes differ between the revisions."""
    from factsheet.review import git

    cwd = Path.cwd()
    top = git.toplevel(cwd)
    revs = git.parse_rev(args.rev, cwd)
    pathspecs = list(args.paths) or _default_pathspecs(args)
    missing = git.missing_paths(revs, list(args.paths), cwd)
    if missing:
        where = (
            " or ".join(dict.fromkeys(f"'{r}'" for r in (revs.old, revs.new) if r)) + " or the working tree"
        )
        raise UsageError(f"{missing[0]}: no such file or folder in {where}")
    pairs: list[SidePair] = []
    problems = []
    for pair in git.changed_sheets(revs, pathspecs, cwd):
        sides: list[Side] = []
        for rev, path in ((revs.old, pair.old_path), (revs.new, pair.new_path)):
            shown = revs.label(rev, path or (pair.new_path if rev == revs.old else pair.old_path) or "")
            if path is None:
                sides.append(Side(shown, None))
                continue
            try:
                if rev is None:
                    text = _read_file(top / path, path)
                else:
                    text = decode(_read_blob(git, rev, path, cwd, shown), shown)
                sides.append(read_side(text, shown))
            except InputError as exc:
                problems += exc.problems
        if len(sides) == 2:
            pairs.append((sides[0], sides[1], pair.new_path or pair.old_path))
    if problems:
        raise DiffInputError(problems)
    return pairs


def _read_blob(git: ModuleType, rev: str, path: str, cwd: Path, shown: str) -> bytes:
    try:
        data: bytes = git.read_blob(rev, path, cwd, MAX_FILE_BYTES)
    except FileTooLarge:
        raise UsageError(
            f"{one_line(shown)}: file is larger than {MAX_FILE_BYTES:,} bytes, the limit for one YAML file"
        ) from None
    return data


def _warn(sides: list[Side]) -> None:
    for side in sides:
        if side.warnings:
            n = len(side.warnings)
            print(
                one_line(
                    f"factsheet diff: warning: {side.name} does not pass the schema "
                    f"({n} problem{'s' * (n != 1)}; first: {side.warnings[0]}); diffed as written. "
                    "Run 'factsheet check' for the full list."
                ),
                file=sys.stderr,
            )


def textconv(path: str) -> int:
    """Print the canonical claim-per-block text of one file for git; never fail git's diff.

    A file that cannot be read as a fact sheet is printed as it is, after a
    line saying why, so ``git diff`` and ``git log -p`` keep working.
    """
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except FileTooLarge:
        raw = None  # git shows it as written would flood the terminal: say so in one line instead
    except OSError as exc:
        raise UsageError(f"diff --textconv: cannot read {path}: {exc.strerror}") from None
    if raw is None:
        sys.stdout.write(
            f"# factsheet: not shown: file is larger than {MAX_FILE_BYTES:,} bytes, "
            "the limit for one YAML file\n"
        )
        sys.stdout.flush()
        return EXIT_SAME
    try:
        side = read_side(decode(raw, path), path)
        text = formats.textconv(side.sheet) if side.sheet is not None else ""
    except InputError as exc:
        first = exc.problems[0].message if exc.problems else "unreadable"
        header = f"# factsheet: shown as written, not claim by claim: {first}\n".encode()
        sys.stdout.buffer.write(header + raw + (b"" if raw.endswith(b"\n") else b"\n"))
        sys.stdout.flush()
        return EXIT_SAME
    sys.stdout.write(text)
    sys.stdout.flush()
    return EXIT_SAME


def _paths_without_rev(n: int) -> str:
    found = "one PATH" if n == 1 else f"{n} PATHs"
    return (
        f"expected two files to compare (OLD.yaml NEW.yaml), found {found}; "
        "to compare through git, pass --rev (e.g. --rev HEAD)"
    )


def run(args: argparse.Namespace) -> int:
    """Run ``factsheet diff``; return 0 when nothing changed at claim level, 1 when something did."""
    if args.textconv:
        if len(args.paths) != 1 or args.rev or args.docx:
            raise InvocationError("diff --textconv: expected exactly one FILE and no --rev or --docx")
        return textconv(args.paths[0])
    if args.rev is None and len(args.paths) == 2:
        pairs = _sides_from_files(*args.paths)
    elif args.rev is None and args.paths:
        raise InvocationError(_paths_without_rev(len(args.paths)))
    else:
        pairs = _sides_from_git(args)
    if args.docx and len(pairs) != 1:
        found = f"{len(pairs)} changed fact sheets" if pairs else "no changed fact sheet"
        raise InvocationError(
            f"--docx: expected exactly one fact sheet to compare, found {found}; name one PATH"
        )
    project = _redline_project(args) if args.docx else None
    if args.docx:
        compared = [Path(p) for p in args.paths[:2]] if args.rev is None and len(args.paths) == 2 else []
        if not compared and pairs:
            from factsheet.review import git

            compared = [git.toplevel(Path.cwd()) / str(pairs[0][2])]
        _redline_target(args, compared, project)
    _warn([s for old, new, _ in pairs for s in (old, new)])
    diffs: list[SheetDiff] = [
        dataclasses.replace(compare(old.sheet, new.sheet, old.name, new.name), path=path)
        for old, new, path in pairs
    ]
    if args.format == "json":
        out = formats.json_text(diffs)
    elif args.format == "markdown":
        out = formats.markdown(diffs, _stale(args, pairs))
    else:
        out = formats.terminal(
            diffs,
            use_color(
                args.color,
                no_color=getattr(args, "no_color", False),
                dumb_terminal=getattr(args, "dumb_terminal", False),
            ),
        )
    sys.stdout.write(out)
    sys.stdout.flush()
    if project is not None:  # --docx
        _write_redline(args, project, pairs, diffs)
    return EXIT_CHANGED if any(d.changed for d in diffs) else EXIT_SAME


def _stale(args: argparse.Namespace, pairs: list[SidePair]) -> dict[str, list[StaleQuote]]:
    """Return, per compared sheet, the quotes of its new side that a newer capture no longer holds."""
    from factsheet.errors import FactsheetError
    from factsheet.project import Project
    from factsheet.sources.revisions import stale_quotes

    try:
        project = Project.for_paths(Path(args.root) if args.root else None, args.paths)
    except FactsheetError:
        return {}  # no project here: the diff is of the sheets alone
    from factsheet.sources.seeds import SeedLibrary

    library = SeedLibrary.of(project)
    found: dict[str, list[StaleQuote]] = {}
    for _, new, path in pairs:
        if new.sheet is not None:
            found[path or new.name] = stale_quotes(new.sheet.claims, library)
    return found


def _redline_project(args: argparse.Namespace) -> Project:
    """Return the project whose templates and seed catalog make the redline; check --template."""
    from factsheet.project import Project
    from factsheet.rendering.templating import template_path

    try:
        project = Project.for_paths(Path(args.root) if args.root else None, list(args.paths)[-1:])
    except UsageError as exc:
        raise UsageError(
            f"--docx: the redline is the brief, built from a project's templates: {exc}"
        ) from None
    template_path(project.templates_dir, getattr(args, "template", None) or "brief")
    return project


def _redline_target(args: argparse.Namespace, compared: list[Path], project: Project | None = None) -> Path:
    """Return the --docx path after refusing anything it must not overwrite (UsageError, exit 2).

    The redline may replace only a DOCX this tool wrote: never a sheet being
    compared, nothing in the project's seeds/, factsheets/ or templates/, and
    no other existing file.
    """
    target = Path(args.docx)
    shown = f"--docx: {one_line(args.docx)}"
    if target.is_dir():
        raise UsageError(f"{shown} is a folder; name the .docx file to write, e.g. {target / 'redline.docx'}")
    folder = target.parent
    if not folder.is_dir():
        raise UsageError(f"{shown}: the folder {folder} does not exist; create it first")
    where = target.resolve()
    for path in compared:
        if where == Path(path).resolve():
            raise UsageError(f"{shown} is one of the fact sheets being compared; write the redline elsewhere")
    if project is not None:
        for inputs in (project.seeds_dir, project.factsheets_dir, project.templates_dir):
            if where.is_relative_to(inputs.resolve()):
                raise UsageError(
                    f"{shown} is inside {inputs.name}/, which holds the project's inputs; "
                    "write the redline elsewhere"
                )
    if os.path.lexists(target) and not _written_by_factsheet(target):
        raise UsageError(
            f"{shown} exists and is not a Word redline factsheet wrote; remove it or choose another name"
        )
    return target


def _written_by_factsheet(path: Path) -> bool:
    """Return True when ``path`` is a regular file holding a DOCX whose app.xml names factsheet."""
    import io
    import zipfile

    from factsheet import APPLICATION

    try:
        data = read_regular(path, 256 * 1024 * 1024)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            info = package.getinfo("docProps/app.xml")
            if info.file_size > 64 * 1024:
                return False
            app = package.read(info)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, RuntimeError):
        return False
    return f"<Application>{APPLICATION}</Application>".encode() in app


def _write_redline(
    args: argparse.Namespace, project: Project, pairs: list[SidePair], diffs: list[SheetDiff]
) -> None:
    from factsheet.atomic import write_atomic
    from factsheet.pipeline.build import render
    from factsheet.review.docdiff import count_changes
    from factsheet.review.redline import redline_for

    (old, new, _), d = pairs[0], diffs[0]
    template = getattr(args, "template", None) or "brief"
    try:
        document = redline_for(
            old.sheet,
            new.sheet,
            project,
            template=template,
            author=args.author,
            epoch=getattr(args, "source_date_epoch", None),
            names=(old.name, new.name),
        )
        data = render(document, "docx")
    except UsageError:
        raise
    except FactsheetError as exc:  # a sheet the template cannot render, a character the fonts cannot draw
        raise DiffFailure(f"--docx: {exc}") from None
    target = Path(args.docx)
    try:
        write_atomic(target, data)
    except OSError as exc:  # a full disk, a read-only folder, /proc: nothing half-written is left
        raise DiffFailure(
            f"--docx: cannot write {one_line(target)}: {one_line(exc.strerror or exc)}; nothing was written"
        ) from None
    inserted, deleted = count_changes(document)
    print(
        f"wrote {one_line(target)} ({len(data):,} bytes): the brief of {one_line(d.new_name)} (template '{template}') with "
        f"{inserted} insertion{'s' * (inserted != 1)} and {deleted} deletion{'s' * (deleted != 1)} "
        f"tracked against {one_line(d.old_name)}",
        file=sys.stderr,
    )


def git_setup(args: argparse.Namespace) -> int:
    """Run ``factsheet git-setup``: attributes + git config so git diff shows claims (or ``--check`` them)."""
    from factsheet.project import Project
    from factsheet.review import git

    try:
        folder = Project.find(Path(args.root) if args.root else None).root
    except UsageError:
        folder = git.toplevel(Path.cwd())
    if getattr(args, "check", False):
        return _git_check(folder)
    done = git.install(folder, getattr(args, "command_line", None))
    for line in done or ["already set up: nothing to change"]:
        print(line)
    if done and any(".gitattributes" in line for line in done):
        print(
            "commit .gitattributes so every clone shares it; each clone runs 'factsheet git-setup' once",
            file=sys.stderr,
        )
    return EXIT_SAME


def _git_check(folder: Path) -> int:
    """Say whether git's configured textconv command still runs; return 0 when it does, 1 when not."""
    from factsheet.review import git

    git.toplevel(folder)
    command = git.configured_command(folder)
    if command is None:
        print(f"not set up: git has no diff.{git.DRIVER}.textconv; run 'factsheet git-setup'")
        return EXIT_CHANGED
    trouble = git.probe(command)
    missing = git.missing_attributes(folder)
    if trouble:
        print(
            f"broken: git runs '{command}', which fails from a shell outside any environment ({trouble}); "
            "run 'factsheet git-setup' again from the environment factsheet is installed in"
        )
    else:
        print(f"ok: git runs '{command}'")
    if missing:
        print(
            f"not set up: {folder / '.gitattributes'} lacks: {'; '.join(missing)}; run 'factsheet git-setup'"
        )
    return EXIT_CHANGED if trouble or missing else EXIT_SAME
