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


def test_no_stage_reads_the_environment():
    """Fonts, cache and profiles reach the stages as WriterOptions, read from the environment by the CLI."""
    import re
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "factsheet"
    reads = re.compile(r"\bos\.environ\b|\bgetenv\(")
    found = [
        f"{path.relative_to(src)}:{n}"
        for stage in ("sources", "content", "rendering", "writers", "pipeline")
        for path in sorted((src / stage).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if reads.search(line) and "**os.environ" not in line  # a child process's environment, passed on
    ]
    assert found == []
