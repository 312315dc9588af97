"""Run the command line interface as ``python -m factsheet``."""

from factsheet import startup

startup.loading()  # until the command's modules are loaded

from factsheet.cli import run  # noqa: E402

run()
