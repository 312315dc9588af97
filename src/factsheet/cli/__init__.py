"""The ``factsheet`` command: a thin layer mapping arguments to library calls and errors to exit codes."""

from __future__ import annotations

import argparse
import sys

from factsheet import __version__
from factsheet.errors import FactsheetError, InputError, UsageError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own exit code 2 matches "unusable invocation"
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="factsheet", description="Turn curated, sourced claims into briefing sheets.")
    parser.add_argument("--version", action="version", version=f"factsheet {__version__}")
    parser.add_argument("--root", metavar="DIR", help="project folder (default: the nearest folder with seeds/catalog.yaml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("check", help="validate fact sheets and verify every quote")
    p.add_argument("paths", nargs="*", metavar="PATH", help="fact sheet files (default: factsheets/*.yaml)")
    p.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help="text lines, one JSON document, or GitHub annotations for pull-request checks (default: text)")

    p = sub.add_parser("quote", help="print the sentences of an article holding some words, ready to paste as a citation")
    p.add_argument("source", metavar="SOURCE", help="an id from seeds/catalog.yaml")
    p.add_argument("words", metavar="WORDS", help="a few words of the passage, as in the article")

    p = sub.add_parser("seeds", help="work with the stored source articles")
    seeds = p.add_subparsers(dest="seeds_command", metavar="SUBCOMMAND", parser_class=_Parser)
    seeds.required = True
    s = seeds.add_parser("scan", help="propose page furniture (navigation, captions, link lists) for articles")
    s.add_argument("sources", nargs="*", metavar="SOURCE", help="ids from seeds/catalog.yaml (default: every article)")
    s.add_argument("--all", action="store_true", help="also scan articles whose furniture is already recorded")

    p = sub.add_parser("build", help="build DOCX and PDF briefing sheets")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--format", default="docx,pdf", help="comma-separated: docx, pdf (default: both)")
    p.add_argument("--out", metavar="DIR", help="output folder (default: build/ in the project)")
    p.add_argument("--template", default="brief", metavar="NAME", help="template in templates/ (default: brief)")
    p.add_argument("--pdf-profiles", default="ua1,a2", metavar="LIST",
                   help="standards the PDF meets: ua1 (tagged, PDF/UA-1), a2 (archival, PDF/A-2; a2b to "
                        "declare level B), or none for an untagged PDF (default: ua1,a2)")

    p = sub.add_parser("schema", help="print the JSON Schema of the claim format")
    p.add_argument("--catalog", action="store_true", help="print the seed catalog's schema instead")

    p = sub.add_parser("export", help="build every fact sheet into an export folder, skipping unchanged ones (for cron)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="fact sheet files or folders (default: factsheets/*.yaml)")
    p.add_argument("--out", metavar="DIR", help="export folder (default: export/ in the project)")
    p.add_argument("--format", default="pdf", help="comma-separated: pdf, docx (default: pdf)")
    p.add_argument("--template", default="brief", metavar="NAME", help="template in templates/ (default: brief)")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes; 0 = one per core (default: 1)")
    p.add_argument("--force", action="store_true", help="rebuild every output, changed or not")
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="wait this long for another export of the same folder to finish (default: 0, fail at once)")
    p.add_argument("--log-format", choices=("text", "json"), default="text",
                   help="text for people (stderr), or one JSON object per event on stdout (default: text)")
    p.add_argument("--quiet", "-q", action="store_true", help="print only failures and the summary")

    p = sub.add_parser("diff", help="show claim-level changes between two versions of fact sheets (exit 0 same, 1 changed)")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="OLD.yaml NEW.yaml, or fact sheets to compare through git (default: factsheets/)")
    p.add_argument("--rev", metavar="REV", help="git revision against the working tree, or A..B (default: HEAD)")
    p.add_argument("--format", choices=("terminal", "markdown", "json"), default="terminal",
                   help="terminal text, Markdown for a pull request, or JSON (default: terminal)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="ANSI colour: auto = on a terminal unless NO_COLOR is set (default: auto)")
    p.add_argument("--docx", metavar="PATH", help="also write a Word redline with the changes as tracked changes")
    p.add_argument("--author", default="factsheet", help="author of the tracked changes (default: factsheet)")
    p.add_argument("--template", default="brief", metavar="NAME",
                   help="template of the --docx redline, as for build (default: brief)")
    p.add_argument("--textconv", action="store_true", help="print one FILE as canonical claim-per-block text (for git)")

    p = sub.add_parser("git-setup", help="make 'git diff' and 'git log -p' show fact sheets claim by claim")
    p.set_defaults(command="git_setup")

    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return its exit code."""
    try:
        args = _parser().parse_args(argv)
        from factsheet.cli import commands  # imported after parsing: --help stays instant

        return getattr(commands, args.command)(args)
    except InputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stdout)
        return exc.exit_code
    except FactsheetError as exc:
        print(f"factsheet: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("factsheet: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_PROBLEMS
