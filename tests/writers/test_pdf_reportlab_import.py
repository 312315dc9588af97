"""reportlab imported with its unused import-time patterns compiled on first use, and otherwise unchanged."""

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
print(json.dumps(report))
"""


def _probe() -> dict:
    import json

    run = subprocess.run(
        [sys.executable, "-c", _PROBE],
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
