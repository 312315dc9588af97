"""Run the command line interface as ``python -m factsheet``."""

import sys

from factsheet.cli import main

sys.exit(main())
