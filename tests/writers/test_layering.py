"""Writers depend on the document model and the theme only: a new format needs only its own painter."""

from __future__ import annotations

import subprocess
import sys

import pytest

#: Modules that know about claims, sheets or sources.
CLAIM_AWARE = (
    "factsheet.sources",
    "factsheet.content",
    "factsheet.pipeline",
    "factsheet.review",
    "factsheet.export",
    "factsheet.rendering.templating",
    "factsheet.rendering.markup",
)


@pytest.mark.parametrize(
    "writer",
    ["factsheet.writers.docx", "factsheet.writers.pdf.render", "factsheet.writers.docx.chart_picture"],
)
def test_a_writer_imports_no_claim_aware_module(writer):
    code = f"import sys, {writer}; print('\\n'.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert [m for m in loaded if m.startswith(CLAIM_AWARE)] == []


def test_nothing_below_the_cli_reads_the_environment():
    """Fonts, cache, root, time and terminal reach the stages as arguments, read from the environment by the CLI.

    Only a child process's environment may start from this one's (git run with
    the user's settings).
    """
    import re
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "factsheet"
    reads = re.compile(r"\bos\.environ\b|\bgetenv\(")
    passed_on = re.compile(r"\*\*os\.environ\b|\bos\.environ\.items\(\)")
    below = [p for p in sorted(src.rglob("*.py")) if p.parent.name != "cli"]
    found = [
        f"{path.relative_to(src)}:{n}"
        for path in below
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if reads.search(line) and not passed_on.search(line)
    ]
    assert found == []
    assert len(below) > 80  # every package, not a folder that moved
