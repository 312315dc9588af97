"""The ``factsheet`` command: a thin layer mapping arguments to library calls and errors to exit codes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from factsheet import __version__
from factsheet.errors import FactsheetError, InputError, UsageError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own exit code 2 matches "unusable invocation"
        raise UsageError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="factsheet", description="Turn curated, sourced claims into briefing sheets.")
    parser.add_argument("--version", action="version", version=f"factsheet {__version__}")
    parser.add_argument("--root", metavar="DIR", help="project folder (default: the nearest folder with seeds/catalog.yaml)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("check", help="validate fact sheets and verify every quote")
    p.add_argument("paths", nargs="*", metavar="PATH", help="fact sheet files (default: factsheets/*.yaml)")

    p = sub.add_parser("build", help="build DOCX and PDF briefing sheets")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--format", default="docx,pdf", help="comma-separated: docx, pdf (default: both)")
    p.add_argument("--out", metavar="DIR", help="output folder (default: build/ in the project)")
    p.add_argument("--template", default="brief", metavar="NAME", help="template in templates/ (default: brief)")

    p = sub.add_parser("schema", help="print the JSON Schema of the claim format")
    p.add_argument("--catalog", action="store_true", help="print the seed catalog's schema instead")

    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return its exit code."""
    try:
        args = _parser().parse_args(argv)
        from factsheet import commands  # imported after parsing: --help stays instant

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
