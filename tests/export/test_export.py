"""``factsheet export``: skipping unchanged outputs, atomicity under SIGKILL, the lock, failures, logs."""

from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
import time

import pytest

from export_helpers import HERE, SHEETS, Project, events, make_project, sheet_text, summary


@pytest.fixture
def project(tmp_path) -> Project:
    """A throwaway project: three seeds, three sheets (see export_helpers)."""
    return make_project(tmp_path / "proj")


@pytest.fixture
def fake_writers(monkeypatch):
    """Register the fake writers in this process (for in-process export calls)."""
    from factsheet.pipeline import build

    monkeypatch.syspath_prepend(str(HERE))
    monkeypatch.setitem(build.WRITERS, "pdf", build.WRITERS["pdf"]._replace(module="fakewriter"))
    monkeypatch.setitem(build.WRITERS, "docx", build.WRITERS["docx"]._replace(module="fakewriter"))


PDF_FORMATS = ("--format", "pdf")
BOTH = ("--format", "pdf,docx")


def built_paths(stdout: str) -> set[str]:
    return {e["path"] for e in events(stdout) if e["event"] == "built"}


def assert_valid_pdf(path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.endswith(b"%%EOF\n"), path


def test_second_run_rewrites_nothing(project):
    first = project.run(*BOTH, "--log-format", "json")
    assert first.returncode == 0, first.stderr
    assert summary(first.stdout)["built"] == 6
    before = project.state()
    assert {"one.pdf", "one.docx", "manifest.json", "index.html", "index.json"} <= set(before)

    second = project.run(*BOTH, "--log-format", "json")
    assert second.returncode == 0, second.stderr
    s = summary(second.stdout)
    assert (s["built"], s["skipped"], s["failed"]) == (0, 6, 0)
    assert project.state() == before  # same inodes, mtimes and bytes: nothing rewritten

    text = project.run(*BOTH)  # plain lines (not a terminal)
    assert text.returncode == 0
    assert "0 built, 6 skipped (unchanged), 0 failed" in text.stderr
    assert "skipped export/one.pdf (unchanged)" in text.stderr
    assert text.stdout == ""


def test_changing_a_seeds_bytes_rebuilds_only_the_sheets_citing_it(project):
    assert project.run(*PDF_FORMATS).returncode == 0
    before = project.state()
    # New bytes and the catalog's new sha256; the quoted passages stay in the text.
    project.write_seed(
        "alpha",
        "Officials in the capital said on Monday that 400 soldiers had arrived at the border. "
        "More were expected.",
    )
    run = project.run(*PDF_FORMATS, "--log-format", "json")
    assert run.returncode == 0, run.stdout
    assert built_paths(run.stdout) == {"export/one.pdf", "export/three.pdf"}
    assert summary(run.stdout)["skipped"] == 1
    after = project.state()
    assert after["two.pdf"] == before["two.pdf"]
    # The quoted passages did not change, so neither did the rebuilt bytes: the files were left alone.
    assert after["one.pdf"] == before["one.pdf"]
    assert all(e["written"] is False for e in events(run.stdout) if e["event"] == "built")


def test_changing_a_seeds_metadata_rebuilds_only_the_sheets_citing_it(project):
    assert project.run(*PDF_FORMATS).returncode == 0
    before = project.state()
    project.write_seed("beta", (project.root / "seeds" / "beta.txt").read_text(), headline="Camp to close")
    run = project.run(*PDF_FORMATS, "--log-format", "json")
    assert run.returncode == 0, run.stdout
    assert built_paths(run.stdout) == {"export/two.pdf"}
    after = project.state()
    assert b"Camp to close" in after["two.pdf"][2]
    assert after["one.pdf"] == before["one.pdf"] and after["three.pdf"] == before["three.pdf"]


def test_missing_or_altered_outputs_are_rebuilt_and_force_rebuilds_all(project):
    assert project.run(*PDF_FORMATS).returncode == 0
    (project.out / "one.pdf").unlink()
    (project.out / "two.pdf").write_bytes(b"%PDF-1.7\ntampered\n%%EOF\n")
    run = project.run(*PDF_FORMATS, "--log-format", "json")
    assert built_paths(run.stdout) == {"export/one.pdf", "export/two.pdf"}
    assert b"tampered" not in (project.out / "two.pdf").read_bytes()

    before = project.state()
    forced = project.run(*PDF_FORMATS, "--force", "--log-format", "json")
    s = summary(forced.stdout)
    assert (s["built"], s["skipped"]) == (3, 0)
    # Rebuilt bytes equal to the file's are not rewritten.
    assert all(e["written"] is False for e in events(forced.stdout) if e["event"] == "built")
    assert project.state() == before


def test_a_template_change_rebuilds_every_sheet(project):
    assert project.run(*PDF_FORMATS).returncode == 0
    cite = project.root / "templates" / "_cite.xml.j2"
    cite.write_text(cite.read_text().replace("Outlet not recorded", "Unknown outlet"))
    run = project.run(*PDF_FORMATS, "--log-format", "json")
    assert summary(run.stdout)["built"] == 3


def test_a_broken_sheet_does_not_stop_the_others(project):
    (project.root / "factsheets" / "broken.yaml").write_text(
        sheet_text("Broken", "2025-01-01", [("delta", "no such source")])
    )
    (project.root / "factsheets" / "garbled.yaml").write_text("title: [unclosed\nas_of: 2025-01-01\n")
    (project.root / "factsheets" / "nopdf.yaml").write_text(
        sheet_text("FAIL-PDF sheet", "2025-01-01", [("gamma", "could not be verified")])
    )
    run = project.run(*BOTH, "--log-format", "json")
    assert run.returncode == 1
    s = summary(run.stdout)
    assert s["built"] == 7  # one, two, three in both formats, and nopdf's DOCX
    assert s["failed"] == 5  # broken and garbled in both formats, nopdf's PDF
    failures = {f["sheet"]: f for f in s["failures"]}
    assert set(failures) == {"factsheets/broken.yaml", "factsheets/garbled.yaml", "factsheets/nopdf.yaml"}
    assert any(
        p.startswith("factsheets/broken.yaml:") and "unknown source 'delta'" in p
        for p in failures["factsheets/broken.yaml"]["problems"]
    )
    garbled = failures["factsheets/garbled.yaml"]["problems"][0]
    assert garbled.startswith("factsheets/garbled.yaml:2:") or garbled.startswith(
        "factsheets/garbled.yaml:1:"
    )
    assert failures["factsheets/nopdf.yaml"]["formats"] == ["pdf"]
    assert "fake PDF writer refuses" in failures["factsheets/nopdf.yaml"]["problems"][0]
    assert (project.out / "nopdf.docx").is_file() and not (project.out / "nopdf.pdf").exists()

    # The text summary lists each failure with its located problem lines.
    text = project.run(*BOTH, "--quiet")
    assert text.returncode == 1
    assert "failed: factsheets/broken.yaml (docx, pdf)" in text.stderr
    assert "  factsheets/broken.yaml:" in text.stderr
    assert "skipped" not in text.stderr.split("export to")[0]  # --quiet: only the summary


def test_jobs_2_gives_the_same_bytes_as_jobs_1(project):
    extra = {f"more{i}": SHEETS[name] for i, name in enumerate(["one", "two", "three"])}
    for name, (title, as_of, cites) in extra.items():
        (project.root / "factsheets" / f"{name}.yaml").write_text(sheet_text(title, as_of, cites))
    fixed = {"SOURCE_DATE_EPOCH": "1740787200"}  # the index and manifest carry the run's time
    serial = project.run(*BOTH, "--out", "out1", "--jobs", "1", env=fixed)
    parallel = project.run(*BOTH, "--out", "out2", "--jobs", "2", "--log-format", "json", env=fixed)
    assert serial.returncode == 0 and parallel.returncode == 0, parallel.stdout
    start = events(parallel.stdout)[0]
    assert start["event"] == "start" and start["jobs"] == 2
    files1 = {p.name: p.read_bytes() for p in (project.root / "out1").iterdir() if not p.name.startswith(".")}
    files2 = {p.name: p.read_bytes() for p in (project.root / "out2").iterdir() if not p.name.startswith(".")}
    assert len(files1) == 6 * 2 + 3
    assert files1 == files2  # outputs, manifest and index alike


def test_json_log_lines_parse_and_carry_the_fields(project):
    run = project.run(*PDF_FORMATS, "--log-format", "json")
    lines = run.stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["event"] for r in records][0] == "start" and records[-1]["event"] == "summary"
    built = [r for r in records if r["event"] == "built"]
    assert {"sheet", "format", "path", "duration", "bytes", "time"} <= set(built[0])
    assert built[0]["sheet"].startswith("factsheets/") and built[0]["format"] == "pdf"
    assert run.stderr == ""
    quiet = project.run(*PDF_FORMATS, "--log-format", "json", "--quiet")
    assert [json.loads(line)["event"] for line in quiet.stdout.splitlines()] == ["summary"]


def test_index_is_escaped_and_lists_each_sheet(project):
    assert project.run(*BOTH).returncode == 0
    index = json.loads((project.out / "index.json").read_text())
    titles = {s["name"]: (s["title"], s["as_of"], [f["file"] for f in s["files"]]) for s in index["sheets"]}
    assert titles["three"] == ("Figures <and> doubts & more", "2025-03-01", ["three.docx", "three.pdf"])
    page = (project.out / "index.html").read_text()
    assert "Figures &lt;and&gt; doubts &amp; more" in page and "<and>" not in page
    assert 'href="one.pdf"' in page and "1 March 2025" in page


def test_a_full_run_removes_outputs_of_deleted_sheets(project):
    assert project.run(*PDF_FORMATS).returncode == 0
    (project.root / "factsheets" / "two.yaml").unlink()
    run = project.run(*PDF_FORMATS, "--log-format", "json")
    assert summary(run.stdout)["removed"] == 1
    assert not (project.out / "two.pdf").exists()
    assert "two" not in json.loads((project.out / "manifest.json").read_text())["sheets"]
    # Naming sheets exports only those and removes nothing.
    named = project.run(*PDF_FORMATS, "factsheets/one.yaml", "--log-format", "json")
    s = summary(named.stdout)
    assert (s["skipped"], s["removed"]) == (1, 0) and (project.out / "three.pdf").exists()


def test_sigkill_midrun_leaves_previous_outputs_valid(project):
    assert project.run(*PDF_FORMATS).returncode == 0
    old = {name: data for name, (_, _, data) in project.state().items()}
    template = project.root / "templates" / "brief.xml.j2"
    template.write_text(template.read_text().replace("<h1>", "<p>Edition two</p>\n<h1>"))

    proc = subprocess.Popen(
        project.command(*PDF_FORMATS, "--log-format", "json"),
        cwd=project.root,
        env=project.env({"FACTSHEET_EXPORT_TEST_DELAY": "1"}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in proc.stdout:
            if json.loads(line)["event"] == "built":
                break  # one output replaced; the run now sleeps before the next
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    manifest = json.loads((project.out / "manifest.json").read_text())  # still valid JSON
    for name in ("one.pdf", "two.pdf", "three.pdf"):
        assert_valid_pdf(project.out / name)
    new = [n for n in ("one.pdf", "two.pdf", "three.pdf") if (project.out / n).read_bytes() != old[n]]
    assert len(new) == 1 and b"Edition two" in (project.out / new[0]).read_bytes()
    recorded = manifest["sheets"][new[0][:-4]]["outputs"]["pdf"]["sha256"]
    assert recorded == hashlib.sha256((project.out / new[0]).read_bytes()).hexdigest()

    # The lock died with the process; the next run finishes the job.
    again = project.run(*PDF_FORMATS, "--log-format", "json")
    assert again.returncode == 0, again.stdout
    s = summary(again.stdout)
    assert (s["built"], s["skipped"]) == (2, 1), (manifest, again.stdout)
    for name in ("one.pdf", "two.pdf", "three.pdf"):
        assert b"Edition two" in (project.out / name).read_bytes()
    assert not [p for p in project.out.iterdir() if p.name.endswith(".tmp")]


def test_sigkill_of_a_parallel_first_run_then_recovery(project):
    proc = subprocess.Popen(
        project.command(*BOTH, "--jobs", "2", "--log-format", "json"),
        cwd=project.root,
        env=project.env({"FAKEWRITER_PAUSE": "0.5"}),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    for line in proc.stdout:
        if json.loads(line)["event"] == "start":
            break
    time.sleep(0.3)
    proc.kill()
    proc.wait(timeout=30)
    proc.stdout.close()
    for path in project.out.glob("*.pdf"):
        assert_valid_pdf(path)
    again = project.run(*BOTH, "--jobs", "2", "--log-format", "json")
    assert again.returncode == 0 and summary(again.stdout)["failed"] == 0


def test_stale_temporary_files_are_cleaned_up(project):
    assert project.run(*PDF_FORMATS).returncode == 0
    stale = project.out / ".one.pdf.factsheet-k2j4_x9q.tmp"
    stale.write_bytes(b"%PDF-half")
    other = project.out / "notes.txt"
    other.write_text("not ours")
    assert project.run(*PDF_FORMATS).returncode == 0
    assert not stale.exists() and other.exists()


def test_a_second_concurrent_export_exits_3_or_waits(project, tmp_path):
    assert project.run(*PDF_FORMATS).returncode == 0
    gate = tmp_path / "gate"  # the first run holds its lock until this file exists
    first = subprocess.Popen(
        project.command(*PDF_FORMATS, "--force", "--log-format", "json"),
        cwd=project.root,
        env=project.env({"FACTSHEET_EXPORT_TEST_GATE": str(gate)}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert json.loads(first.stdout.readline())["event"] == "start"  # it holds the lock now

        busy = project.run(*PDF_FORMATS)
        assert busy.returncode == 3
        assert f"another export (pid {first.pid}, started " in busy.stderr
        assert "export/.factsheet-export.lock" in busy.stderr

        busy_json = project.run(*PDF_FORMATS, "--log-format", "json")
        assert busy_json.returncode == 3
        assert json.loads(busy_json.stdout)["event"] == "locked"

        waiting = subprocess.Popen(
            project.command(*PDF_FORMATS, "--wait", "60"),
            cwd=project.root,
            env=project.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert "waiting for " in waiting.stderr.readline()
        gate.touch()
        _, err = waiting.communicate(timeout=60)
        assert waiting.returncode == 0, err
        assert first.wait(timeout=60) == 0  # the first run finished; the waiting one then found all done
        assert "0 built, 3 skipped (unchanged), 0 failed" in err
    finally:
        gate.touch()
        first.wait(timeout=60)
        first.stdout.close()


def test_usage_errors_exit_2(project):
    assert project.run("--template", "nope").returncode == 2
    assert project.run("--format", "gif").returncode == 2
    assert project.run("--jobs", "-1").returncode == 2
    assert project.run("factsheets/missing.yaml").returncode == 2


def test_100_unchanged_sheets_import_no_renderer(tmp_path):
    sheets = {f"s{i:03d}": SHEETS[("one", "two", "three")[i % 3]] for i in range(100)}
    proj = make_project(tmp_path / "big", sheets)
    assert proj.run(*PDF_FORMATS, "--jobs", "2", "--quiet").returncode == 0

    run = subprocess.run(
        [sys.executable, "-X", "importtime", *proj.command(*PDF_FORMATS, "--log-format", "json")[1:]],
        cwd=proj.root,
        env=proj.env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0
    assert summary(run.stdout)["skipped"] == 100
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in run.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert not imported & {"jinja2", "reportlab", "docx", "fontTools"}, imported & {
        "jinja2",
        "reportlab",
        "docx",
    }


@pytest.mark.parametrize("tty", [True, False])
def test_progress_bar_on_a_terminal_plain_lines_otherwise(tty):
    import io

    from factsheet.export.report import Reporter

    err = io.StringIO()
    r = Reporter(stderr=err, stdout=io.StringIO(), tty=tty)
    r.start(
        sheets=2, out="export/", formats=["pdf"], template="brief", jobs=1, force=False, version="x", pid=1
    )
    r.built(sheet="a.yaml", fmt="pdf", path="export/a.pdf", size=10, duration=0.1)
    r.sheet_done("a.yaml")
    r.skipped(sheet="b.yaml", fmt="pdf", path="export/b.pdf")
    r.sheet_done("b.yaml")
    r.summary(out="export/", failures=[], removed=0, duration=0.2, exit_code=0)
    text = err.getvalue()
    assert ("\r" in text) is tty
    assert ("built export/a.pdf" in text) is (not tty)
    assert text.rstrip().endswith("1 built, 1 skipped (unchanged), 0 failed in 0.20 s")


def test_export_runs_in_process_with_a_registered_writer(project, fake_writers, capsys):
    from factsheet.export import export
    from factsheet.project import Project

    assert export(Project(project.root), formats="pdf", log_format="json") == 0
    assert export(Project(project.root), formats="pdf", log_format="json") == 0
    out = capsys.readouterr().out
    assert summary(out)["skipped"] == 3


def test_the_real_pdf_writer_through_export(project):
    """One run through the real writer: a real PDF, then skipped unchanged."""
    env = project.env()
    cmd = [sys.executable, "-m", "factsheet", "--root", str(project.root), "export", "--log-format", "json"]
    first = subprocess.run(cmd, cwd=project.root, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stdout + first.stderr
    assert_valid_pdf_real(project.out / "one.pdf")
    second = subprocess.run(cmd, cwd=project.root, env=env, capture_output=True, text=True, timeout=120)
    assert summary(second.stdout)["skipped"] == 3, second.stdout


def assert_valid_pdf_real(path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def _index(project) -> dict:
    return json.loads((project.out / "index.json").read_text(encoding="utf-8"))


def test_index_shows_generation_time_last_success_and_a_stale_sheet(project):
    t1, t2, t3 = (
        {"SOURCE_DATE_EPOCH": "1740787200"},
        {"SOURCE_DATE_EPOCH": "1740790800"},
        {"SOURCE_DATE_EPOCH": "1740794400"},
    )
    assert project.run(*PDF_FORMATS, env=t1).returncode == 0
    index = _index(project)
    assert index["generated"] == "2025-03-01T00:00:00Z"
    one = next(s for s in index["sheets"] if s["name"] == "one")
    assert (one["stale"], one["last_success"], one["last_failure"]) == (False, "2025-03-01T00:00:00Z", None)

    sheet = project.root / "factsheets" / "one.yaml"
    good = sheet.read_text(encoding="utf-8")
    sheet.write_text(
        sheet_text("Troops at the <border>", "2025-01-31", [("alpha", "500 soldiers had arrived")]),
        encoding="utf-8",
    )
    assert project.run(*PDF_FORMATS, env=t2).returncode == 1
    index = _index(project)
    assert index["generated"] == "2025-03-01T01:00:00Z"
    one = next(s for s in index["sheets"] if s["name"] == "one")
    assert one["stale"] is True and one["last_success"] == "2025-03-01T00:00:00Z"
    assert one["last_failure"]["time"] == "2025-03-01T01:00:00Z" and one["last_failure"]["formats"] == ["pdf"]
    assert one["last_failure"]["message"].startswith("factsheets/one.yaml:")
    assert [f["file"] for f in one["files"]] == ["one.pdf"]  # the last good file stays, marked stale
    two = next(s for s in index["sheets"] if s["name"] == "two")
    assert two["stale"] is False and two["last_success"] == "2025-03-01T00:00:00Z"
    page = (project.out / "index.html").read_text(encoding="utf-8")
    assert (
        'Generated <time datetime="2025-03-01T01:00:00Z">2025-03-01 01:00 UTC</time>; 1 fact sheet stale'
        in page
    )
    assert '<tr class="stale">' in page and page.count('<tr class="stale">') == 1
    assert "<border>" not in page

    sheet.write_text(good, encoding="utf-8")  # fixed: the same bytes as before are up to date again
    run = project.run(*PDF_FORMATS, "--log-format", "json", env=t3)
    assert run.returncode == 0 and summary(run.stdout)["skipped"] == 3
    one = next(s for s in _index(project)["sheets"] if s["name"] == "one")
    assert one["stale"] is False and one["last_success"] == "2025-03-01T02:00:00Z"
    assert one["last_failure"]["time"] == "2025-03-01T01:00:00Z"  # kept, for the record


def test_a_sheet_that_never_built_is_listed_as_stale_without_files(project):
    (project.root / "factsheets" / "broken.yaml").write_text(
        sheet_text("Broken", "2025-01-01", [("delta", "no such source")])
    )
    assert project.run(*PDF_FORMATS).returncode == 1
    broken = next(s for s in _index(project)["sheets"] if s["name"] == "broken")
    assert broken["files"] == [] and broken["stale"] is True and broken["last_success"] is None
    assert "unknown source 'delta'" in broken["last_failure"]["message"]
    assert "no files yet, never" in (project.out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [("--format", "gif"), ("--jobs", "-1"), ("--bogus",)])
def test_a_usage_error_still_writes_one_json_line(project, args):
    run = project.run("--log-format", "json", *args)
    assert run.returncode == 2
    [line] = run.stdout.splitlines()
    event = json.loads(line)
    assert event["event"] == "error" and event["exit"] == 2 and event["reason"]
    assert run.stderr.startswith("factsheet: ")


def test_progress_names_the_sheet_being_built_and_counts_sheets_and_files():
    import io

    from factsheet.export.report import Reporter

    r = Reporter(stderr=io.StringIO(), stdout=io.StringIO(), tty=True)
    r.start(
        sheets=2,
        out="export/",
        formats=["pdf", "docx"],
        template="brief",
        jobs=1,
        force=False,
        version="x",
        pid=1,
    )
    r.building("factsheets/a.yaml")
    assert (
        r.progress_text() == "0/2 sheets · building factsheets/a.yaml · files: 0 built, 0 skipped, 0 failed"
    )
    r.built(sheet="factsheets/a.yaml", fmt="pdf", path="export/a.pdf", size=10, duration=0.1)
    r.built(sheet="factsheets/a.yaml", fmt="docx", path="export/a.docx", size=10, duration=0.1)
    r.sheet_done("factsheets/a.yaml")
    r.building("factsheets/b.yaml")
    assert (
        r.progress_text() == "1/2 sheets · building factsheets/b.yaml · files: 2 built, 0 skipped, 0 failed"
    )
    assert "building factsheets/b.yaml" in r.stderr.getvalue()


def _publish(project, name: str, on: bool) -> None:
    """Mark the claims of sheet ``name`` publish: true (or take the mark away), as an editor does."""
    path = project.root / "factsheets" / f"{name}.yaml"
    text = path.read_text(encoding="utf-8").replace("    publish: true\n", "")
    if on:
        text = text.replace("    status: reported\n", "    status: reported\n    publish: true\n")
    path.write_text(text, encoding="utf-8")


def test_html_is_exported_with_its_structured_data_and_linked_from_the_index(project):
    _publish(project, "one", True)
    first = project.run("--format", "pdf,html", "--log-format", "json")
    assert first.returncode == 0, first.stderr
    files = set(project.state())
    assert {"one.html", "one.claimreview.json", "one.csl.json", "one.pdf"} <= files
    for name in ("two", "three"):  # no claim published: no ClaimReview file, none listed
        assert {f"{name}.html", f"{name}.csl.json", f"{name}.pdf"} <= files
        assert f"{name}.claimreview.json" not in files
    index = (project.root / "export" / "index.html").read_text(encoding="utf-8")
    assert 'href="one.html">Web fact box (HTML)</a>' in index
    assert 'href="one.claimreview.json"' in index and 'href="two.claimreview.json"' not in index
    listed = json.loads((project.root / "export" / "index.json").read_text(encoding="utf-8"))
    one, two = (next(s for s in listed["sheets"] if s["name"] == n) for n in ("one", "two"))
    assert [f["format"] for f in one["files"]] == ["html", "claimreview", "csl", "pdf"]
    assert [f["format"] for f in two["files"]] == ["html", "csl", "pdf"]
    second = project.run("--format", "pdf,html", "--log-format", "json")
    s = summary(second.stdout)
    assert (s["built"], s["failed"]) == (0, 0) and s["skipped"] == 10

    _publish(project, "one", False)  # the editor withdraws it: the earlier ClaimReview goes
    third = project.run("--format", "pdf,html", "--log-format", "json")
    assert third.returncode == 0, third.stderr
    removed = [e for e in events(third.stdout) if e["event"] == "removed"]
    assert [(e["path"], e["reason"]) for e in removed] == [
        ("export/one.claimreview.json", "no claim is marked publish: true")
    ]
    assert "one.claimreview.json" not in set(project.state())
    assert "one.claimreview.json" not in (project.root / "export" / "index.html").read_text(encoding="utf-8")
