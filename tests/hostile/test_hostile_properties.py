"""Random and mutated input: every run ends in valid output or a clean, located refusal.

The fact sheet north-korea-troops-russia.yaml (or, if it is missing, the small
sheet base.yaml) is mutated line by line, character by character and byte by
byte, and random claim text is fed through ``check`` and ``build``. Nothing may
raise anything but a FactsheetError, hang, print a report line that is not one
printable line, or leave a partial output file; harmless changes (CRLF or CR
line endings, a byte-order mark) must give exactly the same result.
"""

from __future__ import annotations

import json

import atexit
import contextlib
import dataclasses
import io
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings, strategies as st

from factsheet.pipeline import build
from factsheet import cli
from factsheet.sources import loading, schema
from factsheet.sources.check import check_sheet
from factsheet.errors import FactsheetError, InputError
from factsheet.project import Project
from factsheet.sources.seeds import SeedLibrary

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BASE = HERE / "base.yaml"
REAL = REPO / "tests" / "fixtures" / "north-korea" / "factsheets" / "north-korea-troops-russia.yaml"
SHEET_TEXT = (REAL if REAL.is_file() else BASE).read_text(encoding="utf-8")
BASE_TEXT = BASE.read_text(encoding="utf-8")

LIBRARY = SeedLibrary(REPO / "seeds")
WORK = Path(tempfile.mkdtemp(prefix="factsheet-properties-"))
atexit.register(shutil.rmtree, WORK, True)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Characters people paste by accident or on purpose: controls, bidi controls,
#: invisible separators, quotes, markup and template syntax, YAML indicators.
NASTY = (
    "\x00\x01\x07\x08\t\x0b\x0c\r\x1b\x7f\x85\x9b\u00a0\u00ad\u061c\u200b\u200d\u200e\u200f"
    "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\ufffd\ufffe\uffff"
    "\u2018\u2019\u201c\u201d\"'`\\<>&{}[]%#!*&|>-:?,@~ \n\U0001f600\u0301\u05d0\u0627"
)
nasty_text = st.text(alphabet=st.sampled_from(NASTY) | st.characters(), max_size=40)
#: Text the brief's fonts can draw: Latin, Greek and Cyrillic letters, digits, punctuation, symbols.
drawable_text = st.text(
    st.characters(
        min_codepoint=0x20, max_codepoint=0x4FF, blacklist_categories=("Cc", "Cs", "Co", "Cn", "Cf")
    ),
    min_size=1,
    max_size=80,
)


def _write(name: str, data: bytes | str) -> Path:
    path = WORK / name
    path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    return path


def _assert_clean(problems) -> None:
    for p in problems:
        text = str(p)
        assert "\n" not in text and text.isprintable(), repr(text)
        assert p.line >= 1 and p.col >= 1


def _check_text(data: bytes | str, name: str = "sheet.yaml"):
    checked = check_sheet(_write(name, data), LIBRARY, name)
    _assert_clean(checked.problems)
    assert checked.ok == (checked.sheet is not None)
    return checked


# -- mutations -------------------------------------------------------------


@st.composite
def mutated(draw, text: str = SHEET_TEXT) -> str:
    """Return ``text`` after a few random edits of lines and characters."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "flip", "insert", "truncate"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = (
                " " * draw(st.integers(0, 3)) + lines[i].lstrip(" ")
                if draw(st.booleans())
                else "\t" + lines[i]
            )
        elif op in ("flip", "insert"):
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            new = draw(nasty_text)
            lines[i] = line[:at] + new + line[at + (1 if op == "flip" else 0) :]
        elif op == "truncate":
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
    return "\n".join(lines)


@FAST
@given(mutated())
def test_mutated_sheet_is_checked_or_refused_cleanly(text):
    _check_text(text)


#: "invalid UTF-8 byte 0x.. at byte offset N": N counts the bytes of the file as
#: saved, byte-order mark and carriage returns included (docs/errors.md), so it
#: alone may differ; the line, column and the rest of the message may not.
_BYTE_OFFSET = re.compile(r" at byte offset \d+;")


def _byte_offsets_aside(problems) -> list:
    return [
        dataclasses.replace(p, message=_BYTE_OFFSET.sub(" at byte offset N;", p.message)) for p in problems
    ]


@FAST
@given(mutated(BASE_TEXT), st.sampled_from(["\r\n", "\r"]), st.booleans())
@example(BASE_TEXT.replace("title", "\ud800itle", 1), "\r\n", True)  # not UTF-8: refused at the same place
def test_line_endings_and_bom_never_change_the_result(text, newline, bom):
    assume("\r" not in text and not text.startswith("\ufeff"))
    plain = _check_text(text, "sheet.yaml")
    variant = text.replace("\n", newline)
    other = _check_text(("\ufeff" if bom else "") + variant, "sheet.yaml")
    assert _byte_offsets_aside(other.problems) == _byte_offsets_aside(plain.problems)
    assert (other.doc.data if other.doc else None) == (plain.doc.data if plain.doc else None)


@FAST
@given(
    st.binary(max_size=300)
    | st.builds(
        lambda t, cut, junk: t.encode("utf-8", "surrogatepass")[:cut] + junk,
        mutated(BASE_TEXT),
        st.integers(0, 900),
        st.binary(max_size=8),
    )
)
def test_any_bytes_are_read_or_refused_cleanly(raw):
    try:
        loading.load_text(loading.decode(raw, "sheet.yaml"), "sheet.yaml")
    except InputError as exc:
        _assert_clean(exc.problems)
        assert len(exc.problems) == 1


@FAST
@given(st.text(max_size=30))
def test_any_plain_value_is_read_or_refused_cleanly(value):
    for line in (f"title: {value}\n", f"{value}: x\n", f"- {value}\n", f"title: [{value}]\n"):
        try:
            loading.load_text(line, "sheet.yaml")
        except InputError as exc:
            _assert_clean(exc.problems)


# -- random claim text -----------------------------------------------------

TEXT_LINE = "    text: Several thousand North Korean soldiers are training in Russia.\n"


def _quoted(text: str, escaped: bool) -> str:
    """Return ``text`` as a YAML double-quoted scalar: controls escaped, the rest raw or escaped too."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif " " <= ch <= "~" or (not escaped and ord(ch) > 0x9F):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _with_text(text: str, escaped: bool = False) -> str:
    """Return base.yaml with claim text ``text``, its characters raw where YAML allows, or all escaped."""
    assert TEXT_LINE in BASE_TEXT
    return BASE_TEXT.replace(TEXT_LINE, f"    text: {_quoted(text, escaped)}\n")


@FAST
@given(nasty_text, st.booleans())
def test_claim_text_with_refused_characters_is_refused_naming_its_field(text, escaped):
    checked = _check_text(_with_text(text, escaped))
    bad = schema.forbidden_character(text)
    located = [p for p in checked.problems if p.message.startswith("claims[0].text: ")]
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        assert not checked.ok  # not UTF-8 when raw; an escape YAML refuses when escaped
    elif not text.strip():
        assert located, checked.problems  # blank: "expected text" (or the character refused)
    elif bad:
        assert located and "is not allowed in text" in located[0].message, checked.problems
        if escaped:
            assert bad in located[0].message
    else:
        assert checked.ok, checked.problems
        assert checked.sheet.claims[0].text == text


def _project() -> Path:
    root = Path(tempfile.mkdtemp(prefix="project-", dir=WORK))
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "factsheets").mkdir()
    return root


PROJECT = _project()


def _build(text: str) -> tuple[int, Path, str]:
    """Run ``factsheet build`` in-process on ``text``; return the exit status, output folder and report."""
    sheet = PROJECT / "factsheets" / "sheet.yaml"
    sheet.write_bytes(text.encode("utf-8", "surrogatepass"))
    out = Path(tempfile.mkdtemp(prefix="out-", dir=WORK))
    report = io.StringIO()
    with contextlib.redirect_stdout(report), contextlib.redirect_stderr(report):
        status = cli.main(["--root", str(PROJECT), "build", "--out", str(out), str(sheet)])
    return status, out, report.getvalue()


def _drawable(text: str) -> bool:
    from factsheet.writers import fonts

    return not fonts.missing_characters(text, fonts.SERIF) and not fonts.missing_characters(text, fonts.SANS)


def _writers_ready() -> bool:
    if os.environ.get("CI"):  # on CI a writer that does not import is a failure, not a skip
        return True
    try:
        return all(callable(build.writer(fmt)) for fmt in build.WRITERS)
    except (ImportError, AttributeError):
        return False


needs_writers = pytest.mark.skipif(not _writers_ready(), reason="the DOCX/PDF writers are not available")


@needs_writers
@SLOW
@given(st.one_of(drawable_text, nasty_text))
def test_build_of_random_claim_text_writes_both_files_or_none(text):
    status, out, report = _build(_with_text(text))
    files = sorted(p.name for p in out.iterdir())
    event(f"exit status {status}")
    assert "Traceback" not in report
    if status == 0:
        assert files == ["sheet.docx", "sheet.pdf"], report
        assert all((out / f).stat().st_size > 0 for f in files)
    elif text.strip() and not schema.forbidden_character(text) and _drawable(text):
        pytest.fail(f"text the fonts can draw was refused: {report}")
    if status != 0:
        assert status == 1 and files == [], (files, report)
        assert report.strip() and all(line.isprintable() for line in report.strip().split("\n"))


@needs_writers
@SLOW
@given(mutated(BASE_TEXT))
def test_build_of_mutated_sheet_writes_both_files_or_none(text):
    status, out, report = _build(text)
    files = sorted(p.name for p in out.iterdir())
    event(f"exit status {status}")
    assert "Traceback" not in report
    assert (status, files) in ((0, ["sheet.docx", "sheet.pdf"]), (1, [])), report


@needs_writers
@pytest.mark.parametrize("variant", ["crlf.yaml", "bom.yaml", "bom-crlf.yaml", "cr-only.yaml"])
def test_harmless_variants_build_the_same_bytes(variant):
    project = Project(PROJECT)
    outputs, records = [], []
    for path in (BASE, HERE / "sheets" / variant):
        loaded = build.load_sheet(project, path)
        document = build.document_for(project, loaded)
        # the provenance record names the sheet's file, its bytes and commit: the rest must not differ
        record = json.loads(document.provenance)
        records.append(record["notes"])
        document.provenance = ""
        outputs.append({fmt: build.render(document, fmt) for fmt in build.WRITERS})
    assert outputs[0] == outputs[1]
    assert records[0] == records[1]


def test_markup_and_template_syntax_in_text_stay_text():
    hostile = "AT&T <b>bold</b> <img src=x> {{ 7*7 }} {% raw %} </brief> &amp;"
    project = Project(PROJECT)
    path = _write("markup.yaml", _with_text(hostile))
    try:
        loaded = build.load_sheet(project, path)
        document = build.document_for(project, loaded, "dossier")  # the full record prints every claim
    except FactsheetError as exc:  # pragma: no cover - shown if it ever fails
        pytest.fail(str(exc))
    from factsheet.rendering.document import Paragraph, plain_text

    texts = [plain_text(b.inlines) for b in document.blocks if isinstance(b, Paragraph)]
    assert any(hostile in t for t in texts)


# -- what check accepts, build renders ---------------------------------------

SECOND_CLAIM = """  - id: training-later
    text: Later reports gave a number for the soldiers in training.
    status: reported
    attribution:
      who: Unnamed Ukrainian intelligence official
      on_record: false
    said_on: {said_on}
    figures:
      - metric: troops_in_training
        unit: soldiers
        {amount}
        as_of: {figure_as_of}
    citations:
      - source: nk-officers-intel-kovalenko
        quote: "Several thousand North Korean soldiers are currently undergoing training in Russia"
"""

numbers = st.one_of(
    st.integers(0, 10**16),
    st.floats(0, 1e16),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, 1, 1e15, 1e15 + 1, -1e15, 1.7e308, 5e-324, 0.1, 999_999_999_999_999]),
)
years = st.one_of(st.integers(1900, 2100), st.integers(1000, 9999))
partial_dates = st.one_of(
    years.map(str),
    st.builds(lambda y, m: f"{y}-{m:02d}", years, st.integers(1, 12)),
    st.builds(lambda y, m, d: f"{y}-{m:02d}-{d:02d}", years, st.integers(1, 12), st.integers(1, 28)),
)


@st.composite
def sheets_with_numbers_and_dates(draw) -> str:
    """Return base.yaml with a second claim whose figure, dates and the sheet's as_of vary widely."""
    kind = draw(st.sampled_from(["value", "range"]))
    if kind == "value":
        amount = f"value: {draw(numbers)!r}"
    else:
        low, high = sorted([draw(numbers), draw(numbers)])
        amount = f"low: {low!r}\n        high: {high!r}"
    y, m, d = draw(years), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    text = BASE_TEXT.replace("as_of: 2025-01-14", f"as_of: {y:04d}-{m:02d}-{d:02d}")
    return text + SECOND_CLAIM.format(
        said_on=draw(partial_dates), amount=amount, figure_as_of=draw(partial_dates)
    )


@needs_writers
@SLOW
@given(sheets_with_numbers_and_dates())
@example(
    BASE_TEXT + SECOND_CLAIM.format(said_on="2024-11", amount="value: 1.0e15", figure_as_of="2100-12-31")
)
@example(BASE_TEXT + SECOND_CLAIM.format(said_on="1900", amount="value: -1.0e15", figure_as_of="1900-01"))
def test_any_sheet_check_accepts_builds_in_both_formats(text):
    """A figure or date that passes check never crashes a writer (1.7e308, the year 9999 did)."""
    checked = _check_text(text, "accepted.yaml")
    event("accepted by check" if checked.ok else "refused by check")
    status, out, report = _build(text)
    assert "Traceback" not in report
    if checked.ok:
        assert status == 0, report
        assert sorted(p.name for p in out.iterdir()) == ["sheet.docx", "sheet.pdf"]
    else:
        assert status == 1, report
