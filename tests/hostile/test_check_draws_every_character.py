"""What `check` accepts, every format builds: for any character of the whole Unicode range."""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from factsheet import cli

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BASE_TEXT = (HERE / "base.yaml").read_text(encoding="utf-8")
#: Every format a brief is built in.
FORMATS = ("docx", "pdf", "html")
SENTENCE = "Several thousand North Korean soldiers are training in Russia."
#: Characters that passed check and then failed build: emoji, private use, invisible fillers.
UNDRAWABLE = [
    "\U0001f600",
    "\ue000",
    "\u180e",
    "\U000e0001",
    "\U000e0041",
    "\u115f",
    "\u3164",
    "\uffa0",
    "\u17b4",
]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("every-character")
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "factsheets").mkdir()
    return root


def _run(*args: str) -> tuple[int, str]:
    report = io.StringIO()
    with contextlib.redirect_stdout(report), contextlib.redirect_stderr(report):
        status = cli.main(list(args))
    return status, report.getvalue()


def _sheet(root: Path, text: str) -> Path:
    sheet = root / "factsheets" / "sheet.yaml"
    escaped = "".join(f"\\U{ord(c):08x}" for c in text)  # any character, written as a YAML escape
    sheet.write_text(
        BASE_TEXT.replace(f"text: {SENTENCE}", f'text: "{SENTENCE} {escaped}"'), encoding="utf-8"
    )
    return sheet


@pytest.mark.parametrize("char", UNDRAWABLE, ids=[f"U+{ord(c):04X}" for c in UNDRAWABLE])
def test_check_refuses_a_character_the_fonts_cannot_draw_naming_field_and_character(project, char):
    sheet = _sheet(project, char)
    status, report = _run("--root", str(project), "check", str(sheet))
    assert status == 1
    assert "claim 'training': claims[0].text: '" in report
    assert (
        f"(U+{ord(char):04X}) cannot be drawn by the brief's fonts (DejaVu); replace or remove it" in report
    )
    assert all(line.isprintable() for line in report.splitlines())


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.text(
        st.characters(min_codepoint=0x20, max_codepoint=0x10FFFF, blacklist_categories=("Cs",)),
        min_size=1,
        max_size=6,
    )
)
@example("Ωμέγα Ёлка — “ok” 12 400")
@example("\u3164")
def test_what_check_accepts_every_format_builds(project, text):
    sheet = _sheet(project, text)
    checked, report = _run("--root", str(project), "check", str(sheet))
    assert checked in (0, 1), report
    if checked != 0:
        return
    out = Path(tempfile.mkdtemp(dir=project))
    built, report = _run(
        "--root", str(project), "build", "--format", ",".join(FORMATS), "--out", str(out), str(sheet)
    )
    assert built == 0, report
    assert {p.suffix for p in out.iterdir()} >= {f".{fmt}" for fmt in FORMATS}
