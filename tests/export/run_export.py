"""Run the factsheet command line with the fake writers registered (used by subprocess tests)."""

import sys

from factsheet.pipeline import build

build.WRITERS["pdf"] = build.WRITERS["pdf"]._replace(module="fakewriter")
build.WRITERS["docx"] = build.WRITERS["docx"]._replace(module="fakewriter")

import os  # noqa: E402
import time  # noqa: E402

import factsheet.export  # noqa: E402
from factsheet.cli import main  # noqa: E402

# FACTSHEET_EXPORT_TEST_DELAY: seconds to pause before recording each sheet's outputs,
# so that a test can kill a run between two sheets. FACTSHEET_EXPORT_TEST_GATE: a file
# path; recording waits until the test creates it, so the run holds its lock till then.
_delay = float(os.environ.get("FACTSHEET_EXPORT_TEST_DELAY") or 0)
_gate = os.environ.get("FACTSHEET_EXPORT_TEST_GATE")
if _delay or _gate:
    _record = factsheet.export._ExportRun.record

    def _slow_record(self, job, result):
        time.sleep(_delay)
        while _gate and not os.path.exists(_gate):
            time.sleep(0.05)
        return _record(self, job, result)

    factsheet.export._ExportRun.record = _slow_record

sys.exit(main(sys.argv[1:]))
