"""Time limits, run on a quiet machine: ``python -m pytest benchmarks/test_timings.py``.

They are kept out of ``tests/`` because wall-clock and CPU time measure the
machine as much as the code: on a busy CI runner they fail for no fault of
ours. Each measures the best of several runs after a warm-up.
"""

from __future__ import annotations

import importlib.util
import resource
import subprocess
import sys
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
for folder in (TESTS, TESTS / "export", TESTS / "writers"):
    sys.path.insert(0, str(folder))


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def _best_cpu(fn, *args, runs: int = 5) -> float:
    fn(*args)  # fonts registered and caches warm, as in any later write
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn(*args)
        times.append(time.process_time() - start)
    return min(times)


def test_writing_a_full_docx_brief_takes_under_0_15_s_of_cpu():
    from factsheet.writers.docx import write_docx

    briefs = _load("docx_fixtures_briefs", TESTS / "writers" / "docx_fixtures" / "briefs.py")
    best = _best_cpu(write_docx, briefs.full_brief())
    assert best < 0.15, f"writing took {best:.3f} s of CPU time"


def test_writing_a_pdf_brief_with_60_notes_takes_under_0_15_s_of_cpu():
    from factsheet.writers.pdf import write_pdf

    pdf_tests = _load("pdf_tests", TESTS / "writers" / "test_pdf.py")
    doc = pdf_tests.standard_brief()
    assert len(doc.footnotes) >= 60
    best = _best_cpu(write_pdf, doc)
    assert best < 0.15, f"{best:.3f} s"


def test_the_chart_picture_takes_under_0_25_s():
    from factsheet.content.charting import ChartShelf
    from factsheet.content.figures import FigureBook
    from factsheet.pipeline.build import Pipeline
    from factsheet.project import Project
    from factsheet.rendering.document import Chart
    from factsheet.writers.docx.chart_picture import chart_png

    from conftest import NK_SHEET

    loaded = Pipeline(Project.find(NK_SHEET.parent)).load(NK_SHEET)
    book = FigureBook(loaded.sheet)
    book.topic(
        "troops_in_training troops_planned_for_training troops_sent additional_troops_sent",
        "North Korean troops in or sent to Russia",
    )
    chart = Chart.of(
        ChartShelf(book)["troops_in_training troops_planned_for_training troops_sent additional_troops_sent"]
    )
    best = _best_cpu(chart_png, chart, runs=3)
    assert best < 0.25, f"chart_png took {best:.3f} s"


def test_an_export_of_100_unchanged_sheets_takes_under_a_second_of_cpu(tmp_path):
    from export_helpers import SHEETS, make_project, summary

    sheets = {f"s{i:03d}": SHEETS[("one", "two", "three")[i % 3]] for i in range(100)}
    proj = make_project(tmp_path / "big", sheets)
    assert proj.run("--format", "pdf", "--jobs", "2", "--quiet").returncode == 0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run(
        proj.command("--format", "pdf", "--log-format", "json"),
        cwd=proj.root,
        env=proj.env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert run.returncode == 0 and summary(run.stdout)["skipped"] == 100
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu <= 1.0, f"unchanged export took {cpu:.2f} s of CPU time"


def test_every_hostile_case_ends_within_its_time_limit(tmp_path):
    """A hostile sheet, catalog or template is refused (or built) within seconds, never hangs."""
    sys.path.insert(0, str(TESTS / "hostile"))
    corpus = _load("hostile_corpus", TESTS / "hostile" / "test_hostile_corpus.py")
    slow = []
    for i, case in enumerate(sorted(corpus.TABLE)):
        (tmp_path / f"case{i}").mkdir()
        got = corpus.run_case(case, tmp_path / f"case{i}")
        if got.seconds >= corpus.TIME_LIMIT:
            slow.append(f"{case}: {got.seconds:.1f} s")
    assert slow == []
