"""Run the factsheet command line with the fake writers registered (used by subprocess tests)."""

import sys

from factsheet.pipeline import build

build.WRITERS["pdf"] = ("fakewriter", "write_pdf")
build.WRITERS["docx"] = ("fakewriter", "write_docx")

from factsheet.cli import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
