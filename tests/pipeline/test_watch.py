"""factsheet watch: one rebuild per change, problems instead of a build, a clean stop on Ctrl-C."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import REPO

SHEET = "north-korea-troops-russia"
#: Only a guard against a hung process; no test measures time.
PATIENCE = 300


class Watch:
    """A running ``factsheet watch`` whose stderr lines are read as they come."""

    def __init__(self, root: Path, *args: str):
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "factsheet", "watch", *args],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("<exit>")

    def until(self, text: str) -> list[str]:
        """Return the lines up to and including the first one containing ``text``."""
        got = []
        while True:
            line = self.lines.get(timeout=PATIENCE)
            self.seen.append(line)
            got.append(line)
            if text in line:
                return got
            assert line != "<exit>", "\n".join(self.seen)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=PATIENCE)
        while True:
            try:
                line = self.lines.get(timeout=PATIENCE)
            except queue.Empty:
                break
            if line == "<exit>":
                break
            self.seen.append(line)
        return code


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("mode", [[], ["--poll"]], ids=["inotify", "polling"])
def test_a_change_triggers_one_rebuild(project, mode):
    sheet = project / "factsheets" / f"{SHEET}.yaml"
    watch = Watch(project, *mode)
    try:
        watch.until("watching for changes")
        first = (project / "build" / f"{SHEET}.pdf").read_bytes()
        edit(sheet, "title: North Korean troops", "title: North Korean soldiers")
        lines = watch.until("built ")
        assert lines[-1].startswith(f"built build/{SHEET}.docx, build/{SHEET}.pdf in ")
        assert lines[-1].endswith(" notes)")
        second = (project / "build" / f"{SHEET}.pdf").read_bytes()
        assert second != first
        edit(sheet, "dek: >-", "dek: >-\n  Edited.")  # a second change: its rebuild is the next line
        watch.until("built ")
    finally:
        code = watch.stop()
    assert code == 130
    assert sum(line.startswith("built ") for line in watch.seen) == 3, "\n".join(watch.seen)


def test_a_broken_sheet_prints_its_problems_and_keeps_the_last_good_outputs(project):
    sheet = project / "factsheets" / f"{SHEET}.yaml"
    watch = Watch(project, str(sheet), "--format", "pdf")
    try:
        watch.until("watching for changes")
        good = (project / "build" / f"{SHEET}.pdf").read_bytes()
        edit(sheet, "status: reported", "status: rumoured")
        lines = watch.until("not rebuilt")
        problems = [
            line
            for line in lines
            if line.startswith(f"factsheets/{SHEET}.yaml:") or line.startswith(str(sheet))
        ]
        assert problems and "rumoured" in " ".join(problems), lines
        assert lines[-1].endswith("the last good outputs are kept")
        assert (project / "build" / f"{SHEET}.pdf").read_bytes() == good
        edit(sheet, "status: rumoured", "status: reported")  # fixed: built again
        assert watch.until("built ")[-1].startswith("built ")
    finally:
        watch.stop()


def test_a_changed_template_rebuilds_and_a_stray_file_does_not(project):
    watch = Watch(project, "--format", "pdf")
    try:
        watch.until("watching for changes")
        (project / "seeds" / "notes-to-self.txt").write_text("not cited\n")  # cited by no sheet
        template = project / "templates" / "brief.xml.j2"
        edit(template, "<h2>Conflicting accounts and denials</h2>", "<h2>Disputes</h2>")
        watch.until("built ")
    finally:
        watch.stop()
    assert sum(line.startswith("built ") for line in watch.seen) == 2, "\n".join(watch.seen)


def test_ctrl_c_exits_130_and_leaves_nothing_half_written(project):
    sheet = project / "factsheets" / f"{SHEET}.yaml"
    watch = Watch(project)
    watch.until("watching for changes")
    edit(sheet, "title: North Korean troops", "title: North Korean soldiers")
    code = watch.stop()  # Ctrl-C while it rebuilds, or just after
    assert code == 130
    assert "factsheet: interrupted" in watch.seen
    out = sorted(p.name for p in (project / "build").iterdir())
    assert out == [f"{SHEET}.docx", f"{SHEET}.pdf"]
    assert (project / "build" / f"{SHEET}.pdf").read_bytes().rstrip().endswith(b"%%EOF")


def test_serve_shows_the_built_pdf_on_loopback_only(project):
    import re
    import urllib.error
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy
    watch = Watch(project, "--format", "pdf", "--serve", "0")
    try:
        lines = watch.until("watching for changes")
        url = next(m.group(0) for line in lines if (m := re.search(r"http://[\d.]+:\d+/", line)))
        assert url.startswith("http://127.0.0.1:")
        page = opener.open(url).read().decode()
        assert f"/pdf/{SHEET}.pdf" in page and "/version" in page
        pdf = opener.open(f"{url}pdf/{SHEET}.pdf").read()
        assert pdf == (project / "build" / f"{SHEET}.pdf").read_bytes()
        before = opener.open(f"{url}version").read()
        edit(
            project / "factsheets" / f"{SHEET}.yaml",
            "title: North Korean troops",
            "title: North Korean soldiers",
        )
        watch.until("built ")
        assert opener.open(f"{url}version").read() != before  # the page reloads its PDF
        for path in ("pdf/..%2F..%2Fseeds%2Fcatalog.yaml", "pdf/other.pdf", "build/"):
            with pytest.raises(urllib.error.HTTPError) as err:
                opener.open(url + path)
            assert err.value.code == 404
    finally:
        watch.stop()


def test_an_edit_that_leaves_no_claim_published_removes_the_earlier_claimreview(project):
    sheet = project / "factsheets" / f"{SHEET}.yaml"
    edit(sheet, "    status: reported\n", "    status: reported\n    publish: true\n")
    review = project / "build" / f"{SHEET}.claimreview.json"
    watch = Watch(project, "--format", "html")
    try:
        watch.until("watching for changes")
        assert review.is_file()
        edit(sheet, "    publish: true\n", "")
        watch.until("built ")
        assert not review.exists(), "\n".join(watch.seen)
        assert (project / "build" / f"{SHEET}.html").is_file()
        edit(sheet, "    status: reported\n", "    status: reported\n    publish: true\n")
        watch.until("built ")
        assert review.is_file()
    finally:
        watch.stop()
