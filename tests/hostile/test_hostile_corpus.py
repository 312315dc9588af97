"""Broken and hostile inputs, one file per case, run through the command line.

``expected.tsv`` maps every case to its exit status and its exact report. Each
case runs in its own temporary project (a copy of ``seeds/`` and ``templates/``)
and must end with one readable line per problem (or be accepted, for harmless
differences such as CRLF line endings or a byte-order mark), with no traceback,
nothing run, nothing read from outside the project, nothing written, and under
1 GiB of memory. Time is bounded by the tool itself (template deadline, size
limits); the subprocess timeout here only keeps a hang from stalling the suite.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from factsheet.sources import loading

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BASE = HERE / "base.yaml"
KINDS = ("sheets", "catalog", "templates")
SAME_AS_BASE = "=base"  # accepted, and reads exactly as base.yaml does
ACCEPTED = "-"  # accepted
SECRET = "SECRET-OUTSIDE-THE-PROJECT"
MEMORY_LIMIT_KIB = 1024 * 1024  # peak resident memory of one run
#: Runs a command and writes its peak resident memory (KiB) to the file named first.
_MEASURE = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[2:]); "
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
    "sys.exit(r.returncode)"
)
TIME_LIMIT = 10.0  # seconds per case; checked by benchmarks/test_timings.py, not here


def _oversize(path: Path) -> None:
    path.write_bytes(b"# " + b"x" * loading.MAX_FILE_BYTES + b"\n")


def _many_values(path: Path) -> None:
    path.write_text("title: [" + "0, " * loading.MAX_VALUES + "0]\n", encoding="utf-8")


def _template_link(path: Path) -> None:
    outside = path.parents[2] / "outside.xml.j2"  # next to the project, not in it
    outside.write_text('<brief title="x"><p>' + SECRET + "</p></brief>\n", encoding="utf-8")
    os.symlink(outside, path)


def _link_outside(path: Path) -> None:
    os.symlink(path.parents[2] / "outside.txt", path)  # the secret next to the project


#: Cases made when the test runs: too big to keep, or not a regular file.
GENERATED = {
    "sheets/oversize.yaml": _oversize,
    "sheets/many-values.yaml": _many_values,
    "sheets/named-pipe.yaml": lambda path: os.mkfifo(path),
    "sheets/dev-zero.yaml": lambda path: os.symlink("/dev/zero", path),
    "sheets/link-outside.yaml": _link_outside,
    "templates/symlinked-template.xml.j2": _template_link,
}


def read_table() -> dict[str, tuple[int, list[str]]]:
    """Return {case: (exit status, expected report lines)} from expected.tsv."""
    table: dict[str, tuple[int, list[str]]] = {}
    for number, row in enumerate((HERE / "expected.tsv").read_text(encoding="utf-8").split("\n"), 1):
        if not row.strip() or row.startswith("#"):
            continue
        case, status, line = row.split("\t")
        if case in table:
            assert table[case][0] == int(status), f"expected.tsv:{number}: {case} has two exit statuses"
            table[case][1].append(line)
        else:
            table[case] = (int(status), [line])
    return table


TABLE = read_table()


@dataclass
class Outcome:
    root: Path
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    written: set[str]
    peak_kib: int


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = path.lstat()
            out[str(path.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


def _project(tmp: Path) -> Path:
    root = tmp / "project"
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "factsheets").mkdir()
    (tmp / "outside.txt").write_text(SECRET + "\n", encoding="utf-8")
    return root


def run_case(case: str, tmp: Path) -> Outcome:
    """Run one case in a fresh project under ``tmp`` and return what happened."""
    kind, name = case.split("/")
    root = _project(tmp)
    source = HERE / case
    if kind == "sheets":
        target = root / "factsheets" / name
        if case in GENERATED:
            GENERATED[case](target)
        else:
            shutil.copyfile(source, target)
        args = ["check", f"factsheets/{name}"]
    elif kind == "catalog":
        shutil.copyfile(source, root / "seeds" / "catalog.yaml")
        shutil.copyfile(BASE, root / "factsheets" / "base.yaml")
        os.symlink(tmp / "outside.txt", root / "seeds" / "outside-link.txt")
        args = ["check", "factsheets/base.yaml"]
    else:
        if case in GENERATED:
            GENERATED[case](root / "templates" / name)
        else:
            shutil.copyfile(source, root / "templates" / name)
        shutil.copyfile(BASE, root / "factsheets" / "base.yaml")
        os.symlink(tmp / "outside.txt", root / "templates" / "outside.txt")
        args = ["build", "--template", name.split(".")[0], "--out", "out", "factsheets/base.yaml"]
    before = _tree(root)
    start = time.monotonic()
    rss = tmp / "peak-rss"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _MEASURE,
            str(rss),
            sys.executable,
            "-m",
            "factsheet",
            "--root",
            str(root),
            *args,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    seconds = time.monotonic() - start
    after = _tree(root)
    written = {p for p in after if before.get(p) != after[p]} | {p for p in before if p not in after}
    return Outcome(
        root, result.returncode, result.stdout, result.stderr, seconds, written, int(rss.read_text() or 0)
    )


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, Outcome]:
    """Run every case once, a few at a time."""
    base = tmp_path_factory.mktemp("hostile")
    cases = sorted(TABLE)

    def one(index_case):
        index, case = index_case
        folder = base / f"case{index}"
        folder.mkdir()
        return case, run_case(case, folder)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(one, enumerate(cases)))


def test_every_case_file_is_in_the_table_and_every_row_has_a_case():
    on_disk = {f"{kind}/{p.name}" for kind in KINDS for p in (HERE / kind).iterdir() if p.is_file()}
    listed = set(TABLE)
    assert on_disk - listed == set(), "cases without an expected.tsv row"
    assert listed - on_disk - set(GENERATED) == set(), "expected.tsv rows without a case file"


_LOCATED = re.compile(r"^\S[^:]*:\d+:\d+: \S.*$")
_SUMMARY = re.compile(r"^checked 1 file, \d+ claims, \d+ quotes: \d+ errors?, 0 warnings$")


@pytest.mark.parametrize("case", sorted(TABLE))
def test_case_gives_its_exact_report(case, outcomes):
    status, expected = TABLE[case]
    got = outcomes[case]
    kind = case.split("/")[0]
    shown = f"{got.stdout}{got.stderr}"
    assert "Traceback" not in shown, shown
    assert got.peak_kib < MEMORY_LIMIT_KIB, f"{case} took {got.peak_kib // 1024} MiB"
    assert SECRET not in shown
    assert not (got.root / "pwned").exists() and not (REPO / "pwned").exists()
    assert got.written == set(), f"{case} wrote {sorted(got.written)}"
    assert got.returncode == status, shown
    if status == 0:
        assert expected in ([SAME_AS_BASE], [ACCEPTED])
        assert got.stdout == ""
        assert _SUMMARY.match(got.stderr.strip()) and " 0 errors" in got.stderr
        return
    lines = [line.replace("{root}", str(got.root)) for line in expected]
    if kind == "templates":
        assert got.stdout == ""
        report = got.stderr.rstrip("\n").split("\n")
    else:
        report = got.stdout.rstrip("\n").split("\n")
        assert _SUMMARY.match(got.stderr.strip()), got.stderr
        assert all(_LOCATED.match(line) for line in report), report
    assert report == lines
    assert all(line.isprintable() for line in report)


@pytest.mark.parametrize("case", sorted(c for c, (_, lines) in TABLE.items() if lines == [SAME_AS_BASE]))
def test_harmless_variant_reads_exactly_as_base(case):
    """CRLF, CR and a byte-order mark change nothing: same data, same positions, same lines."""
    base = loading.load_file(BASE, "sheet.yaml")
    variant = loading.load_file(HERE / case, "sheet.yaml")
    assert variant.data == base.data
    assert variant.value_pos == base.value_pos
    assert variant.key_pos == base.key_pos
    assert variant.lines == base.lines or variant.lines == base.lines[:-1]  # no final newline


def _writers_ready() -> bool:
    from factsheet.pipeline import build

    if os.environ.get("CI"):  # on CI a writer that does not import is a failure, not a skip
        return True
    try:
        return all(callable(build.writer(fmt)) for fmt in build.WRITERS)
    except (ImportError, AttributeError):
        return False


@pytest.mark.skipif(not _writers_ready(), reason="the DOCX/PDF writers are not available")
def test_output_file_names_come_from_the_sheet_file_name_only(tmp_path):
    """Odd sheet file names, a symlinked sheet and a hostile title write only <out>/<stem>.<format>."""
    root = _project(tmp_path)
    base = BASE.read_text(encoding="utf-8")
    names = ["-rf.yaml", "a b.yaml", "..yaml", "x;y.yaml"]
    for name in names:
        (root / "factsheets" / name).write_text(
            base.replace("title: Test sheet", "title: '../../escape/../etc/passwd'"), encoding="utf-8"
        )
    (root / "drafts").mkdir()  # a link is followed while it stays in the project (one leading out is refused)
    (root / "drafts" / "elsewhere.yaml").write_text(base, encoding="utf-8")
    os.symlink(root / "drafts" / "elsewhere.yaml", root / "factsheets" / "link.yaml")
    out = tmp_path / "chosen out"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "factsheet",
            "--root",
            str(root),
            "build",
            "--out",
            str(out),
            "--",
            *(f"factsheets/{n}" for n in names + ["link.yaml"]),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    expected = sorted(f"{Path(n).stem}.{fmt}" for n in names + ["link.yaml"] for fmt in ("docx", "pdf"))
    assert sorted(p.name for p in out.iterdir()) == expected
    assert not (tmp_path / "escape").exists() and not (root / "build").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chosen out", "outside.txt", "project"]
