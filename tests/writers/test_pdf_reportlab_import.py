"""reportlab imported with its unused import-time patterns and network modules made on first use, else unchanged."""

from __future__ import annotations

import re
import subprocess
import sys

from factsheet.writers.pdf.reportlab_import import DEFERRED, DeferredPattern, deferred

from conftest import REPO

#: In a fresh process: prepare the PDF writer as a writer process does, then report on reportlab's patterns.
_PROBE = """
import re, json
compile_before = re.compile
from factsheet.writers import pdf
pdf.prepare()
import reportlab.platypus.paragraph as paragraph, reportlab.lib.textsplit as textsplit
from factsheet.writers.pdf.reportlab_import import DeferredPattern
report = {
    "restored": re.compile is compile_before,
    "deferred": [isinstance(p, DeferredPattern) for p in (paragraph.uri_pat, textsplit.rx)],
    "compiled before use": [p.compiled for p in (paragraph.uri_pat, textsplit.rx)],
}
uri = "https://www.example.org/a/long/path/to/a/page.html"
eager = re.compile(paragraph.uri_pat._text, paragraph.uri_pat._flags)
report["same match"] = paragraph.uri_pat.match(uri).groups() == eager.match(uri).groups()
report["split"] = paragraph._uri_split_pairs(uri)
report["compiled once used"] = paragraph.uri_pat.compiled
import sys
report["network modules"] = sorted(
    m for m in ("urllib.request", "http.client", "ssl", "email", "socket", "xml.sax.saxutils") if m in sys.modules
)
import reportlab.lib.utils as utils
report["read by URL"] = utils.rlUrlRead("file://" + sys.argv[1]).decode()
report["real urllib.request"] = sys.modules["urllib.request"].__file__ is not None
print(json.dumps(report))
"""


def _probe() -> dict:
    import json

    run = subprocess.run(
        [sys.executable, "-c", _PROBE, str(REPO / "pyproject.toml")],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "src"), "FACTSHEET_CACHE_DIR": "off"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_a_prepared_pdf_writer_has_compiled_neither_deferred_pattern_and_restored_re_compile():
    report = _probe()
    assert report["restored"]
    assert report["deferred"] == [True, True]  # a reportlab whose patterns changed fails here: look again
    assert report["compiled before use"] == [False, False]


def test_a_deferred_pattern_once_used_matches_as_the_pattern_compiled_at_once():
    report = _probe()
    assert report["same match"]
    assert report["split"][0] == ["https://www.example.org/a/long/path/to/a/", "page.html"]
    assert report["compiled once used"]


def test_a_prepared_pdf_writer_has_not_imported_the_network_modules_and_reportlab_still_reads_urls():
    report = _probe()
    assert report["network modules"] == []
    assert report["read by URL"] == (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert report["real urllib.request"]


def test_a_process_that_imported_urllib_request_keeps_it_for_reportlab():
    probe = (
        "import urllib.request, sys; real = sys.modules['urllib.request']\n"
        "from factsheet.writers.pdf.reportlab_import import import_reportlab; import_reportlab()\n"
        "import reportlab.lib.utils as u; print(u.urlopen is real.urlopen, sys.modules['urllib.request'] is real)"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "src")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.stdout.split() == ["True", "True"], run.stderr


def test_only_the_listed_patterns_are_deferred():
    for start, flags in DEFERRED:
        assert deferred(start + "rest", flags)
        assert not deferred(start, flags ^ re.IGNORECASE)
    assert not deferred("[a-z]+", 0)
    assert not deferred(b"(^(?:[a-z0-9\\.\\-\\+]*)://)", re.IGNORECASE)  # bytes patterns are compiled


def test_a_deferred_pattern_behaves_as_the_compiled_one():
    pattern = DeferredPattern(r"(\d+)-(\d+)", 0)
    assert not pattern.compiled
    assert pattern.match("12-34").groups() == ("12", "34")
    assert pattern.split("a1-2b") == re.compile(r"(\d+)-(\d+)").split("a1-2b")
    assert pattern.compiled
