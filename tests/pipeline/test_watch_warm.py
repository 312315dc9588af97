"""A warm watch: a rebuild after an edit to a sheet reads no seed again; an edit in seeds/ reads them afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.pipeline.watch import Watcher
from factsheet.project import Project
from factsheet.sources import seeds

SHEET = "north-korea-troops-russia"


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """Return the names of the seed files (catalog and articles) read from now on."""
    got: list[str] = []
    read_regular, load_checked = seeds.read_regular, seeds.load_checked

    def read_article(path, *args, **kwargs):
        got.append(Path(path).name)
        return read_regular(path, *args, **kwargs)

    def read_catalog(path, *args, **kwargs):
        got.append(Path(path).name)
        return load_checked(path, *args, **kwargs)

    monkeypatch.setattr(seeds, "read_regular", read_article)
    monkeypatch.setattr(seeds, "load_checked", read_catalog)
    return got


def _watcher(project: Path, lines: list[str]) -> Watcher:
    sheet = project / "factsheets" / f"{SHEET}.yaml"
    return Watcher(Project(project), [sheet], ["html"], project / "out", "brief", log=lines.append)


def _edit_first_claim(project: Path) -> Path:
    sheet = project / "factsheets" / f"{SHEET}.yaml"
    text = sheet.read_text(encoding="utf-8")
    at = text.index("\n  - id: ", text.index("\nclaims:"))
    at = text.index("    text: ", at) + len("    text: ")
    if text.startswith(">-\n", at):  # a folded block: into its first line, after the indentation
        at = text.index(">-\n", at) + 3
        at += len(text[at:]) - len(text[at:].lstrip(" "))
    sheet.write_text(text[:at] + "Reportedly, " + text[at:], encoding="utf-8")
    return sheet


def test_a_rebuild_after_editing_one_claim_reads_no_seed_again(project, reads):
    lines: list[str] = []
    watcher = _watcher(project, lines)
    assert watcher.build(watcher.sheets()) == 0
    assert "catalog.yaml" in reads and any(name.endswith(".txt") for name in reads)
    first = (project / "out" / f"{SHEET}.html").read_bytes()
    reads.clear()

    changed = {_edit_first_claim(project)}
    watcher.forget(changed)
    assert watcher.build(watcher.affected(changed)) == 0

    assert reads == []
    assert lines[-1].startswith("built ")
    assert (project / "out" / f"{SHEET}.html").read_bytes() != first
    assert "Reportedly, " in (project / "out" / f"{SHEET}.html").read_text(encoding="utf-8")


def test_a_change_in_seeds_reads_the_library_afresh(project, reads):
    lines: list[str] = []
    watcher = _watcher(project, lines)
    assert watcher.build(watcher.sheets()) == 0
    reads.clear()

    catalog = project / "seeds" / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    watcher.forget({catalog})
    assert watcher.build(watcher.affected({catalog})) == 0

    assert "catalog.yaml" in reads and any(name.endswith(".txt") for name in reads)


def test_a_rebuild_writes_the_bytes_a_cold_build_writes(project):
    from factsheet.pipeline.sidewriter import SideWriter

    from conftest import run_cli

    sheet = project / "factsheets" / f"{SHEET}.yaml"
    lines: list[str] = []
    sides = SideWriter.for_formats(["docx", "pdf"])
    try:
        watcher = Watcher(
            Project(project), [sheet], ["docx", "pdf"], project / "warm", "brief", sides, log=lines.append
        )
        assert watcher.build(watcher.sheets()) == 0
        first = (project / "warm" / f"{SHEET}.pdf").read_bytes()
        changed = {_edit_first_claim(project)}
        watcher.forget(changed)
        assert watcher.build(watcher.affected(changed)) == 0, lines
    finally:
        for side in sides:
            side.close()
    done = run_cli("build", "--out", project / "cold", cwd=project)
    assert done.returncode == 0, done.stderr
    for suffix in ("docx", "pdf"):
        warm = (project / "warm" / f"{SHEET}.{suffix}").read_bytes()
        assert suffix != "pdf" or warm != first  # the edit is in it
        assert warm == (project / "cold" / f"{SHEET}.{suffix}").read_bytes(), suffix


def test_a_rebuild_of_a_sheet_with_problems_writes_nothing_and_says_why(project):
    lines: list[str] = []
    watcher = _watcher(project, lines)
    assert watcher.build(watcher.sheets()) == 0
    first = (project / "out" / f"{SHEET}.html").read_bytes()
    sheet = project / "factsheets" / f"{SHEET}.yaml"
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text.replace("status: reported", "status: rumoured", 1), encoding="utf-8")
    assert watcher.build(watcher.affected({sheet})) == 1
    assert any("rumoured" in line for line in lines)
    assert lines[-1].endswith("not rebuilt (1 problem); the last good outputs are kept")
    assert (project / "out" / f"{SHEET}.html").read_bytes() == first


def test_a_render_started_beside_a_failing_check_is_stopped_and_reaped(project):
    import os

    from factsheet.errors import InputError
    from factsheet.pipeline.build import Pipeline

    sheet = project / "factsheets" / f"{SHEET}.yaml"
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text.replace("status: reported", "status: rumoured", 1), encoding="utf-8")
    pipeline = Pipeline(Project(project), overlap=True)
    with pytest.raises(InputError) as caught:
        pipeline.build(sheet, ["html"])
    assert any("rumoured" in str(p) for p in caught.value.problems)
    with pytest.raises(ChildProcessError):  # no render process is left behind, running or unreaped
        os.waitpid(-1, os.WNOHANG)


def test_a_check_after_editing_one_claim_reads_only_that_claims_text_again(project):
    from factsheet.pipeline.build import load_sheet
    from factsheet.sources import dating, numbers

    p = Project(project)
    library = seeds.SeedLibrary.of(p)
    sheet = project / "factsheets" / f"{SHEET}.yaml"
    load_sheet(p, sheet, library)
    read = numbers._numbers_in.cache_info().misses, dating._dates_in.cache_info().misses

    _edit_first_claim(project)
    load_sheet(p, sheet, library)

    # the edited claim's text is read for numbers; no quote is read again, for numbers or for dates
    assert numbers._numbers_in.cache_info().misses <= read[0] + 1
    assert dating._dates_in.cache_info().misses == read[1]
