"""A writer process prepares its writer at a lower priority than the build when it can afford to, writes at the build's, and ends after its last document."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from factsheet.pipeline import build
from factsheet.pipeline.parcel import Parcel
from factsheet.pipeline.sidewriter import SideWriter
from factsheet.project import Project

from conftest import NK_SHEET, REPO, ended_by_itself

#: Runs _prepared_aside in a fresh process with a stand-in preparation that reports the
#: priority of the thread it runs in; then prints the priority of the process's main thread.
PROBE = """
import os, sys, threading
from factsheet.pipeline import sidewriter
seen = []
def prepare(fmt):
    seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
    if fmt == "html":
        raise RuntimeError("no writer")
sidewriter.prepare = prepare
failed = sidewriter._prepared_aside(sys.argv[1])
print(seen[0], os.getpriority(os.PRIO_PROCESS, threading.get_native_id()), repr(failed))
"""


def _probe(fmt: str, nice: int = 0) -> list[str]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, fmt],
        preexec_fn=(lambda: os.nice(nice)) if nice else None,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "src")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.split(maxsplit=2)


@pytest.mark.skipif(sys.platform != "linux", reason="a thread's own priority is Linux's")
def test_the_pdf_writer_prepares_at_a_lower_priority_and_writes_at_the_builds():
    preparing, writing, failed = _probe("pdf")
    assert int(preparing) == min(19, int(writing) + 10) and failed.strip() == "None"


@pytest.mark.skipif(sys.platform != "linux", reason="a thread's own priority is Linux's")
def test_a_build_run_at_a_lower_priority_prepares_lower_still():
    preparing, writing, _ = _probe("pdf", nice=5)
    assert int(writing) >= 5 and int(preparing) == min(19, int(writing) + 10)


def test_the_docx_writer_prepares_at_the_builds_priority():
    preparing, writing, _ = _probe("docx")
    assert preparing == writing


def test_a_preparation_that_fails_is_returned_for_the_write_to_raise():
    _, _, failed = _probe("html")
    assert failed.strip() == "RuntimeError('no writer')"


def test_a_writer_told_how_many_documents_ends_by_itself_after_the_last(project):
    p = Project(project)
    parcel = Parcel.of(build.document_for(p, build.load_sheet(p, project / "factsheets" / NK_SHEET.name)))
    writer = SideWriter("html")
    writer.documents = 2
    try:
        writer.send(parcel)
        assert writer.receive().startswith(b"<!DOCTYPE html>")
        assert ended_by_itself(writer.pid, 0) is None  # one more to come
        writer.send(parcel)
        assert writer.receive().startswith(b"<!DOCTYPE html>")
        # it ends without being told to: its exit overlaps the writing of the files
        assert ended_by_itself(writer.pid) == 0
    finally:
        writer.close()
