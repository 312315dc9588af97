"""Run the command line interface as ``python -m factsheet``."""

import sys

from factsheet import startup

startup.loading()  # until the command's modules are loaded

from factsheet.cli import main  # noqa: E402

sys.exit(main())
