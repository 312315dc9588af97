"""The ``factsheet`` command: a thin layer mapping arguments to library calls and errors to exit codes."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Sequence
from typing import NoReturn

from factsheet import __version__, startup
from factsheet.errors import FactsheetError, InputError, InvocationError, LockedError, UsageError
from factsheet.writers import formats_help

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

# argparse's own words ("usage:", "options") stay in English like every message of the tool; looking
# each one up in the system's translations cost a cold command tens of milliseconds.
argparse._ = str  # type: ignore[attr-defined]
argparse.ngettext = lambda singular, plural, n: singular if n == 1 else plural  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own exit code 2 matches "unusable invocation"
        raise InvocationError(f"{message}{see_help(self.prog)}")

    def parse_known_args(  # type: ignore[override]  # one signature for argparse's overloads: no namespace is passed
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        try:
            return super().parse_known_args(args, namespace)
        except InvocationError as exc:
            # argparse reports a missing argument before an unknown option; the option is the slip
            unknown = [
                a
                for a in args or ()
                if a.startswith("-") and a != "-" and a.split("=", 1)[0] not in self._option_string_actions
            ]
            if unknown and "arguments are required" in str(exc):
                raise InvocationError(
                    f"unrecognized arguments: {' '.join(unknown)}{see_help(self.prog)}"
                ) from None
            raise


def see_help(prog: str) -> str:
    """Return the pointer to the help of the command ``prog`` ("factsheet diff") that every usage error ends with."""
    return f" (see '{prog} --help')"


#: Options of the whole tool, accepted before or after the command ("factsheet --root DIR check" or
#: "factsheet check --root DIR"); each takes a value.
GLOBAL_OPTIONS = ("--root",)


_STREAMS = (
    "Output: what the command was asked for goes to standard output; progress, summaries and "
    "diagnostics go to standard error."
)


def _exits(*lines: str) -> str:
    codes = [line.split(None, 1) for line in lines]
    width = max(len(code) for code, _ in codes)
    table = "\n".join(f"  {code:<{width}}  {text}" for code, text in codes)
    return "exit codes:\n" + table + "\n\n" + _fill(_STREAMS)


def _fill(text: str) -> str:
    return textwrap.fill(text, 79)


def _global_options() -> _Parser:
    """Return the parser of the options every command accepts after its name too.

    Their default is "not given" (SUPPRESS), so a command that does not repeat
    them keeps what was given before the command.
    """
    common = _Parser(add_help=False)
    common.add_argument("--root", metavar="DIR", default=argparse.SUPPRESS, help=_ROOT_HELP)
    return common


_ROOT_HELP = (
    "project folder (default: found from the first PATH, else the working folder, "
    "walking up to the nearest folder with seeds/catalog.yaml)"
)


def _sub(
    sub: argparse._SubParsersAction[_Parser],
    name: str,
    summary: str,
    description: str,
    exits: tuple[str, ...],
) -> argparse.ArgumentParser:
    command = sub.add_parser(
        name,
        help=summary,
        description=_fill(description),
        epilog=_exits(*exits),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_global_options()],
    )
    command.set_defaults(help_of=command.prog)  # the help a usage error points to
    return command


def _capture_options(command: argparse.ArgumentParser, example_date: str) -> None:
    """Add the options that pick a page in a web archive and say when it was saved."""
    command.add_argument(
        "--url", metavar="URL", help="the article's address: picks it in a web archive holding several pages"
    )
    command.add_argument(
        "--captured",
        metavar="DATE",
        help=f"when the page was saved, e.g. {example_date} (a web archive records it)",
    )


_USAGE_EXIT = "2  unusable invocation (unknown option, missing file, no project found)"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="factsheet",
        description="Turn curated, sourced claims kept in YAML into footnoted DOCX and PDF briefing sheets.",
        epilog=_exits(
            "0  success",
            "1  problems found in an input (diff: changes found)",
            _USAGE_EXIT,
            "3  another export holds the export folder's lock",
        )
        + "\n\n"
        + _fill(
            "Run 'factsheet COMMAND --help' for each command. The project is the nearest "
            "folder, from the first PATH given (else the working folder) upwards, that "
            "holds seeds/catalog.yaml."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"factsheet {__version__}")
    parser.add_argument("--root", metavar="DIR", help=_ROOT_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = _sub(
        sub,
        "check",
        "validate fact sheets and verify every quote",
        "Validate fact sheets against the claim format and verify that every quote is in its stored "
        "source article. Every problem is printed on standard output (as file:line:col: message, "
        "one JSON document, or GitHub annotations); the count goes to standard error.",
        ("0  no errors (warnings may have been printed)", "1  at least one error", _USAGE_EXIT),
    )
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="fact sheet files or folders (default: factsheets/*.yaml)"
    )
    p.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text lines, one JSON document, or GitHub annotations for pull-request checks (default: text)",
    )
    p.add_argument(
        "--template",
        metavar="NAME",
        help="also list, as notes, the claims that template (e.g. brief) leaves out of its output",
    )

    p = _sub(
        sub,
        "quote",
        "print the sentences of an article holding some words, ready to paste as a citation",
        "Find a few words in a stored article and print the sentences holding them as citation YAML "
        "(source and quote) on standard output, ready to paste into a fact sheet.",
        (
            "0  found and printed",
            "1  the words are not in the article (the nearest passage is shown)",
            _USAGE_EXIT + "; an unknown SOURCE",
        ),
    )
    p.add_argument("source", metavar="SOURCE", help="an id from seeds/catalog.yaml")
    p.add_argument("words", metavar="WORDS", help="a few words of the passage, as in the article")

    p = _sub(
        sub,
        "seeds",
        "work with the stored source articles",
        "Work with the stored source articles. 'factsheet seeds add' adds an article from a saved "
        "page, a web archive or a text file; 'factsheet seeds update' adds a newer capture and "
        "reports what became of the quotes; 'factsheet seeds scan' proposes page furniture "
        "(navigation, captions, link lists) of text files, as catalog YAML to review and paste.",
        ("0  done", "1  the catalog has problems", _USAGE_EXIT + "; an unknown SOURCE"),
    )
    seeds = p.add_subparsers(dest="seeds_command", metavar="SUBCOMMAND", parser_class=_Parser)
    seeds.required = True
    s = _sub(
        seeds,
        "scan",
        "propose page furniture (navigation, captions, link lists) for articles",
        "Propose page furniture (navigation, captions, link lists) for "
        "articles, as catalog YAML on standard output.",
        ("0  done", "1  the catalog has problems", _USAGE_EXIT),
    )
    s.add_argument(
        "sources", nargs="*", metavar="SOURCE", help="ids from seeds/catalog.yaml (default: every article)"
    )
    s.add_argument(
        "--all", action="store_true", help="also scan articles whose furniture is already recorded"
    )
    s = _sub(
        seeds,
        "add",
        "add an article from a saved web page, a web archive (WARC) or a text file",
        "Add an article: keep the capture byte for byte under seeds/captures/ID/, write the "
        "article body extracted from it as seeds/ID.txt (the text quotes are checked against), and "
        "append a catalog entry with what the page states (headline, author, outlet, dates, URL, "
        "language) and where each value was found. A text file is stored as it is. Adding the same "
        "capture again changes nothing.",
        (
            "0  added, or already in the catalog",
            "1  the capture cannot be used (not HTML, no article body, over the size limit, …)",
            _USAGE_EXIT + "; an id already in use",
        ),
    )
    s.add_argument(
        "path",
        metavar="PATH",
        help="a saved page (.html), a web archive (.warc, .warc.gz) or a text file (.txt)",
    )
    s.add_argument("--id", metavar="ID", help="the new source's id (default: made of the file name)")
    _capture_options(s, "2024-10-18")
    s = _sub(
        seeds,
        "update",
        "add a newer capture of an article and report what became of every quote from it",
        "Add a newer capture of an article already in the catalog, keeping the earlier ones. For "
        "every quote citing it, report whether it still holds byte for byte, holds after a "
        "whitespace or typography change, was reworded (shown word by word) or is gone; report a "
        "correction or update notice and the page's modified date.",
        (
            "0  recorded, and every quote still holds",
            "1  recorded, and at least one quote was reworded or is gone; or the capture cannot be used",
            _USAGE_EXIT + "; an unknown SOURCE",
        ),
    )
    s.add_argument("source", metavar="SOURCE", help="an id from seeds/catalog.yaml")
    s.add_argument("path", metavar="PATH", help="the newer capture: a saved page or a web archive")
    _capture_options(s, "2024-10-20")

    p = _sub(
        sub,
        "build",
        "build DOCX and PDF briefing sheets",
        "Build each fact sheet into build/<stem>.docx and build/<stem>.pdf (or --out DIR). Every "
        "file is written atomically; a sheet with problems writes nothing and its problems go to "
        "standard error.",
        ("0  every sheet built", "1  at least one sheet had problems (the others were built)", _USAGE_EXIT),
    )
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="fact sheet files or folders (default: factsheets/*.yaml)"
    )
    p.add_argument("--format", default="docx,pdf", help=formats_help("docx,pdf"))
    p.add_argument("--out", metavar="DIR", help="output folder (default: build/ in the project)")
    p.add_argument(
        "--template", default="brief", metavar="NAME", help="template in templates/ (default: brief)"
    )
    p.add_argument(
        "--pdf-profiles",
        default="ua1,a2",
        metavar="LIST",
        help="standards the PDF meets: ua1 (tagged, PDF/UA-1), a2 (archival, PDF/A-2; a2b to "
        "declare level B), or none for an untagged PDF (default: ua1,a2)",
    )
    p.add_argument(
        "--since",
        metavar="REV",
        help="git revision the brief's 'what changed' line compares the sheet with (default: the "
        "sheet's updates: log, else the previous commit that changed it)",
    )

    p = _sub(
        sub,
        "watch",
        "build, then rebuild the affected briefs whenever a sheet, seed or template changes",
        "Build the sheets, then watch the project: a saved sheet is rebuilt, a changed seed rebuilds "
        "the sheets citing it, a changed template or catalog rebuilds all. The writers stay loaded, so "
        "a rebuild takes a fraction of a cold build. A sheet with problems prints them and keeps its "
        "last good outputs. One line per rebuild goes to standard error. Stop with Ctrl-C.",
        (
            "1  the project's catalog or a template could not be read at the start",
            _USAGE_EXIT,
            "130  stopped with Ctrl-C or SIGTERM (every output is whole)",
        ),
    )
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="fact sheet files (default: every sheet in factsheets/)"
    )
    p.add_argument("--format", default="docx,pdf", help=formats_help("docx,pdf"))
    p.add_argument("--out", metavar="DIR", help="output folder (default: build/ in the project)")
    p.add_argument(
        "--template", default="brief", metavar="NAME", help="template in templates/ (default: brief)"
    )
    p.add_argument("--poll", action="store_true", help="look for changes by polling instead of inotify")
    p.add_argument(
        "--serve",
        nargs="?",
        type=int,
        const=8000,
        metavar="PORT",
        help="also show the PDF at http://127.0.0.1:PORT/, reloaded after each rebuild (default port: 8000)",
    )

    p = _sub(
        sub,
        "verify",
        "check a built brief's notes against the project's captures, offline",
        "Read the provenance record a brief carries (PDF, DOCX or HTML) and check it against the "
        "project's captures: one line per note and source, saying whether it holds, changed (the "
        "stored text, or a newer capture of the article, no longer holds a quoted passage), is "
        "missing (the text the brief was checked against is not in the project) or names an unknown "
        "source. A brief whose record was stripped or altered says so.",
        (
            "0  every note of every brief holds",
            "1  a note changed, is missing or names an unknown source; or a record is missing or altered",
            _USAGE_EXIT,
        ),
    )
    p.add_argument(
        "outputs", nargs="+", metavar="OUTPUT", help="briefs built by factsheet (.pdf, .docx, .html)"
    )
    p.add_argument(
        "--project",
        metavar="DIR",
        help="the project holding the captures (default: found from the first OUTPUT, else the working folder)",
    )

    p = _sub(
        sub,
        "schema",
        "print the JSON Schema of the claim format",
        "Print the JSON Schema of fact sheets (or of seeds/catalog.yaml) on standard output, for "
        "editors' YAML tooling.",
        ("0  printed", _USAGE_EXIT),
    )
    p.add_argument("--catalog", action="store_true", help="print the seed catalog's schema instead")
    p.add_argument(
        "--markdown",
        action="store_true",
        help="print the field reference as Markdown (docs/format.md, docs/catalog-format.md) instead",
    )

    p = _sub(
        sub,
        "export",
        "build every fact sheet into an export folder, skipping unchanged ones (for cron)",
        "Build fact sheets into an export folder unattended: rebuild only outputs whose inputs "
        "changed, write every file atomically, hold a lock, carry on past a broken sheet, and write "
        "manifest.json, index.json and index.html. Text progress and the summary go to standard "
        "error; --log-format json writes one JSON object per event on standard output instead.",
        (
            "0  every sheet exported or unchanged",
            "1  at least one sheet failed (the others were exported)",
            _USAGE_EXIT,
            "3  another export held the folder's lock for the whole --wait",
        ),
    )
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="fact sheet files or folders (default: factsheets/*.yaml)"
    )
    p.add_argument("--out", metavar="DIR", help="export folder (default: export/ in the project)")
    p.add_argument("--format", default="pdf", help=formats_help("pdf"))
    p.add_argument(
        "--template", default="brief", metavar="NAME", help="template in templates/ (default: brief)"
    )
    p.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="worker processes; 0 = one per core (default: 1)"
    )
    p.add_argument("--force", action="store_true", help="rebuild every output, changed or not")
    p.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait this long for another export of the same folder to finish (default: 0, fail at once)",
    )
    p.add_argument(
        "--log-format",
        choices=("text", "json"),
        default="text",
        help="text for people (stderr), or one JSON object per event on stdout (default: text)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="print only failures and the summary")

    p = _sub(
        sub,
        "diff",
        "show claim-level changes between two versions of fact sheets",
        "Show what changed claim by claim: added, removed, renamed and changed claims, field by "
        "field, with text and quotes word by word. Compare two files (OLD.yaml NEW.yaml), or fact "
        "sheets through git: with no PATH, factsheets/ in the working tree against HEAD; with --rev, "
        "the PATHs named. The diff goes to standard output.",
        (
            "0  no claim-level change",
            "1  changes found",
            "2  trouble: a side cannot be read, git failed, or an unusable invocation",
        ),
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="OLD.yaml NEW.yaml; or, with --rev, fact sheets or folders to compare through git "
        "(default: factsheets/)",
    )
    p.add_argument(
        "--rev", metavar="REV", help="git revision against the working tree, or A..B (default: HEAD)"
    )
    p.add_argument(
        "--format",
        choices=("terminal", "markdown", "json"),
        default="terminal",
        help="terminal text, Markdown for a pull request, or JSON (default: terminal)",
    )
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="ANSI colour: auto = on a terminal unless NO_COLOR is set or TERM=dumb (default: auto)",
    )
    p.add_argument(
        "--docx", metavar="PATH", help="also write a Word redline with the changes as tracked changes"
    )
    p.add_argument("--author", default="factsheet", help="author of the tracked changes (default: factsheet)")
    p.add_argument(
        "--template",
        default="brief",
        metavar="NAME",
        help="template of the --docx redline, as for build (default: brief)",
    )
    p.add_argument(
        "--textconv", action="store_true", help="print one FILE as canonical claim-per-block text (for git)"
    )

    p = _sub(
        sub,
        "git-setup",
        "make 'git diff' and 'git log -p' show fact sheets claim by claim",
        "Add 'factsheets/*.yaml diff=factsheet' to .gitattributes and set this clone's git config "
        "to run this installation of factsheet, by its absolute path, as the textconv command; the "
        "command is tried from a bare shell before it is written. --check says whether the "
        "configured command still runs (e.g. after the virtual environment moved).",
        (
            "0  set up (--check: the configured command runs)",
            "1  --check: not set up, or the configured command fails",
            _USAGE_EXIT,
        ),
    )
    p.add_argument("--check", action="store_true", help="only check that the configured command still runs")
    p.set_defaults(command="git_setup")

    return parser


def _json_log(argv: list[str]) -> bool:
    """Return True when the command line asks export for JSON events, even if it fails to parse."""
    args = [str(a) for a in argv]
    if "export" not in args:
        return False
    return "--log-format=json" in args or any(
        a == "--log-format" and b == "json" for a, b in zip(args, args[1:])
    )


def _json_error(exc: FactsheetError) -> None:
    """Write the one JSON event a failed export invocation leaves on standard output."""
    import datetime as dt
    import json

    time = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    print(
        json.dumps(
            {"event": "error", "time": time, "reason": str(exc), "exit": exc.exit_code}, ensure_ascii=False
        ),
        flush=True,
    )


def _refuse_unknown_global_options(argv: list[str]) -> None:
    """Name an unknown option given before the command, rather than report the command as missing."""
    known = {"-h", "--help", "--version", *GLOBAL_OPTIONS}
    args = iter(argv)
    for arg in args:
        if arg == "--" or not arg.startswith("-"):
            return  # the command (or a positional) starts here: its own parser takes the rest
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS and "=" not in arg:
            next(args, None)  # skip the option's value
        elif name not in known:
            raise InvocationError(f"unknown option {name!r}{see_help('factsheet')}")


def _parse(argv: list[str]) -> tuple[argparse.Namespace, str]:
    """Return the parsed command line and the name of the command used ("factsheet diff")."""
    _refuse_unknown_global_options(argv)
    args, extra = _parser().parse_known_args(argv)
    prog = getattr(args, "help_of", "factsheet")
    if extra:
        raise InvocationError(f"unrecognized arguments: {' '.join(extra)}{see_help(prog)}")
    return args, prog


def run() -> NoReturn:
    """Run the command line as a program (``factsheet``, ``python -m factsheet``) and exit with its code.

    By the time :func:`main` returns, every output is written and every process
    it started has ended: the interpreter's teardown, which frees each object
    one at a time, would only keep the caller waiting, so the process ends here.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: what was left to print is lost, and the code says so
        code = code or EXIT_PROBLEMS
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return its exit code."""
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    prog = "factsheet"
    try:
        args, prog = _parse(argv)
        from factsheet.cli import commands  # imported after parsing: --help stays instant
        from factsheet.cli.environment import settle

        settle(args, os.environ)

        # only commands that write outputs set up fonts and cache (check and diff load no writer)
        if args.command in ("build", "watch", "export") or getattr(args, "docx", None):
            from factsheet.cli.environment import writer_options

            args.options = writer_options(os.environ)
            args.options.apply()  # this process and the writer and export processes it forks

        if args.command != "build":  # a build's processes start collecting once loaded (see commands.build)
            startup.loaded()
        code: int = getattr(commands, args.command)(args)
        return code
    except UsageError as exc:
        if isinstance(exc, InvocationError) and not str(exc).endswith("--help')"):
            exc = InvocationError(f"{exc}{see_help(prog)}")
        print(f"factsheet: {exc}", file=sys.stderr)
        if _json_log(argv):
            _json_error(exc)
        return exc.exit_code
    except InputError as exc:
        for problem in exc.problems:  # diagnostics: standard error, whatever the command
            print(problem, file=sys.stderr)
        return exc.exit_code
    except FactsheetError as exc:
        print(f"factsheet: {exc}", file=sys.stderr)
        if _json_log(argv) and not isinstance(exc, LockedError):
            _json_error(exc)  # the lock already wrote its "locked" event
        return exc.exit_code
    except KeyboardInterrupt:
        print("factsheet: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_PROBLEMS
