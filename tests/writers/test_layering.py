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
