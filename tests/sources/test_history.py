"""What changed since the last version: the updates: log, or the sheet's git history; dates never from the clock."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess

from factsheet import cache, gitquery
from factsheet.pipeline import build
from factsheet.project import Project
from factsheet.rendering.document import Paragraph, plain_text
from factsheet.sources import history
from factsheet.sources.history import what_changed

from conftest import NK_SHEET, git, run_cli


def _edit(path):
    text = path.read_text(encoding="utf-8")
    # a figure changed (one the desk worked out, so check accepts a number no quote gives)
    text = text.replace("value: 11000\n", "value: 12000\n        derived: a test of the version line\n", 1)
    text = re.sub(r"(\n    status: )reported", r"\1confirmed", text, count=1)  # a status changed
    path.write_text(text, encoding="utf-8")


def _meta(document) -> list[str]:
    return [plain_text(b.inlines) for b in document.blocks if isinstance(b, Paragraph) and b.role == "meta"]


def test_what_changed_counts_claims_figures_and_statuses():
    old = {"claims": [{"id": "a", "status": "reported", "figures": [{"value": 1}]}, {"id": "b"}]}
    new = {
        "claims": [{"id": "a", "status": "confirmed", "figures": [{"value": 2}]}, {"id": "c"}, {"id": "d"}]
    }
    assert what_changed(old, new) == "2 claims added, 1 claim removed, 1 figure changed, 1 status changed"
    assert what_changed(new, new) == ""


def test_a_committed_sheet_states_its_last_commit_date_and_what_changed_since_the_previous_one(repo):
    sheet = repo / "factsheets" / NK_SHEET.name
    _edit(sheet)
    git(repo, "commit", "-q", "-am", "second version", date="2026-12-06T09:30:00Z")
    p = Project(repo)
    loaded = build.load_sheet(p, sheet)
    assert str(loaded.sheet.version.on) == "2026-12-06"
    assert loaded.sheet.version.what == "1 figure changed, 1 status changed"
    document = build.document_for(p, loaded)
    assert "Updated 6 December 2026: 1 figure changed, 1 status changed." in _meta(document)
    assert document.date == "2026-12-06"  # the PDF's and DOCX's dates: the last commit, never the clock
    docx = build.render(document, "docx")
    assert b"2026-12-06T00:00:00Z" in _core(docx)


def _core(docx: bytes) -> bytes:
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(docx)).read("docProps/core.xml")


def test_since_compares_with_the_named_revision(repo):
    sheet = repo / "factsheets" / NK_SHEET.name
    _edit(sheet)
    git(repo, "commit", "-q", "-am", "second", date="2026-12-04T09:00:00Z")
    text = sheet.read_text(encoding="utf-8")
    text = text.replace("value: 3000\n", "value: 3100\n        derived: a test of --since\n", 1)
    sheet.write_text(text, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "third", date="2026-12-05T09:00:00Z")
    p = Project(repo)
    assert build.load_sheet(p, sheet).sheet.version.what == "1 figure changed"
    assert build.load_sheet(p, sheet, since="HEAD~2").sheet.version.what == (
        "2 figures changed, 1 status changed"
    )
    out = repo / "out"
    result = run_cli("--root", repo, "build", "--since", "HEAD~2", "--format", "pdf", "--out", out, sheet)
    assert result.returncode == 0, result.stderr


def test_the_updates_log_is_the_editors_word(repo):
    sheet = repo / "factsheets" / NK_SHEET.name
    text = sheet.read_text(encoding="utf-8")
    text += "updates:\n  - on: 2025-03-01\n    what: adds South Korea's estimate of losses\n"
    text += "correction: An earlier version gave the number sent as 12,000.\n"
    sheet.write_text(text, encoding="utf-8")
    p = Project(repo)
    loaded = build.load_sheet(p, sheet)
    document = build.document_for(p, loaded)
    assert "Updated 1 March 2025: adds South Korea’s estimate of losses." in _meta(document)
    assert document.date == "2025-03-01"
    notes = [plain_text(b.inlines) for b in document.blocks if isinstance(b, Paragraph) and b.role == "note"]
    assert "Correction: An earlier version gave the number sent as 12,000." in notes
    dossier = build.document_for(p, loaded, "dossier")
    assert "Versions" in [h.plain_text for h in dossier.headings()]


def test_outside_git_the_brief_states_no_version_and_is_dated_from_as_of(project):
    p = Project(project)
    loaded = build.load_sheet(p, project / "factsheets" / NK_SHEET.name)
    assert loaded.sheet.version is None
    document = build.document_for(p, loaded)
    assert not any(t.startswith("Updated") for t in _meta(document))
    assert document.date == loaded.sheet.as_of.start.isoformat()


def test_optional_fields_are_printed_when_present(project):
    sheet = project / "factsheets" / NK_SHEET.name
    text = sheet.read_text(encoding="utf-8")
    text += "contact: Foreign desk, +44 20 7946 0000\n"
    text += "unknowns:\n  - Where the North Korean troops are now.\n  - What North Korea says.\n"
    sheet.write_text(text, encoding="utf-8")
    p = Project(project)
    document = build.document_for(p, build.load_sheet(p, sheet))
    assert "What we don’t know" in [h.plain_text for h in document.headings()]
    assert "Contact: Foreign desk, +44 20 7946 0000" in _meta(document)


def test_the_dossier_carries_the_whole_log_from_git(repo):
    from factsheet.rendering.document import Table

    sheet = repo / "factsheets" / NK_SHEET.name
    _edit(sheet)
    git(repo, "commit", "-q", "-am", "second version", date="2026-12-06T09:30:00Z")
    p = Project(repo)
    dossier = build.document_for(p, build.load_sheet(p, sheet), "dossier")
    assert "Versions" in [h.plain_text for h in dossier.headings()]
    (log,) = [b for b in dossier.blocks if isinstance(b, Table) and plain_text(b.header[1]) == "What changed"]
    rows = [[plain_text(c) for c in row] for row in log.rows]
    assert rows == [
        ["1 December 2026", "first version"],
        ["6 December 2026", "1 figure changed, 1 status changed"],
    ]
    brief = build.document_for(p, build.load_sheet(p, sheet))
    assert "Versions" not in [h.plain_text for h in brief.headings()]


def test_an_earlier_commit_is_read_from_git_once_per_process(repo, monkeypatch):
    from factsheet.sources import history

    sheet = repo / "factsheets" / NK_SHEET.name
    _edit(sheet)
    git(repo, "commit", "-q", "-am", "second version", date="2026-12-06T09:30:00Z")
    p = Project(repo)
    shown: list[list[str]] = []
    ask = history._git_bytes

    def counted(args, cwd):
        if args[0] == "show":
            shown.append(args)
        return ask(args, cwd)

    monkeypatch.setattr(history, "_git_bytes", counted)
    monkeypatch.setattr(cache, "_folder", None)  # no disk cache: the process's memory alone
    first = build.load_sheet(p, sheet).sheet.version
    again = build.load_sheet(p, sheet).sheet.version  # as a watch rebuild does after an edit
    assert first == again and first.what == "1 figure changed, 1 status changed"
    assert len(shown) == 1


def test_a_build_in_a_checkout_starts_git_once(repo, monkeypatch, tmp_path, git_starts):
    """The version line and the provenance record share one git log; an earlier version comes from the cache."""
    sheet = repo / "factsheets" / NK_SHEET.name
    _edit(sheet)
    git(repo, "commit", "-q", "-am", "second version", date="2026-12-06T09:30:00Z")
    monkeypatch.setattr(cache, "_folder", tmp_path / "cache")
    p = Project(repo)
    build.load_sheet(p, sheet)  # the first build reads the earlier version from git and keeps it
    monkeypatch.setattr(history, "_at_commit", {})  # a new process
    gitquery.forget()
    git_starts.clear()
    started = git_starts
    loaded = build.load_sheet(p, sheet)
    document = build.document_for(p, loaded)
    assert [args[1] for args in started] == ["log"]
    assert loaded.sheet.version.what == "1 figure changed, 1 status changed"
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout
    assert json.loads(document.provenance)["sheet"]["commit"] == commit.strip()


def test_a_cached_earlier_version_is_used_only_if_git_would_give_the_same_text(repo, monkeypatch, tmp_path):
    sheet = repo / "factsheets" / NK_SHEET.name
    _edit(sheet)
    git(repo, "commit", "-q", "-am", "second version", date="2026-12-06T09:30:00Z")
    monkeypatch.setattr(cache, "_folder", tmp_path / "cache")
    p = Project(repo)
    build.load_sheet(p, sheet)
    (entry,) = (tmp_path / "cache" / "git-blobs").iterdir()
    forged = sheet.read_bytes()  # taken as the earlier version, it would say nothing changed
    assert forged != entry.read_bytes().split(b"\n", 1)[1]
    # an entry whose own checksum holds, but which is not the text git stores under that id
    entry.write_bytes(cache._MAGIC + hashlib.sha256(forged).hexdigest().encode() + b"\n" + forged)
    monkeypatch.setattr(history, "_at_commit", {})
    gitquery.forget()
    assert build.load_sheet(p, sheet).sheet.version.what == "1 figure changed, 1 status changed"


def test_outside_a_checkout_a_build_starts_no_git(project, git_starts):
    started = git_starts
    p = Project(project)
    loaded = build.load_sheet(p, project / "factsheets" / NK_SHEET.name)
    build.document_for(p, loaded)
    assert started == []


def test_an_earlier_version_is_read_by_the_sheets_own_yaml_rules(repo):
    sheet = repo / "factsheets" / NK_SHEET.name
    text = sheet.read_text(encoding="utf-8")
    # YAML 1.1 reads "1_000" as the number 1000 and "0700" as 448; the sheet's rules keep them as written
    sheet.write_text(text + "unknowns:\n  - 1_000\n  - 0700\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "second version", date="2026-12-06T09:30:00Z")
    from factsheet.sources import history

    relative = sheet.relative_to(repo).as_posix()
    data = history._data_at("HEAD", relative, repo)
    assert data is not None and data["unknowns"] == ["1_000", 700]


def test_the_commits_are_those_git_log_names_merges_included(repo):
    """A change merged from a branch: the version and the record name the commits plain git log names."""
    sheet = repo / "factsheets" / NK_SHEET.name
    git(repo, "checkout", "-q", "-b", "desk")
    _edit(sheet)
    git(repo, "commit", "-q", "-am", "edit on a branch", date="2026-12-04T09:00:00Z")
    git(repo, "checkout", "-q", "-")
    (repo / "notes.txt").write_text("unrelated\n", encoding="utf-8")
    git(repo, "add", "notes.txt")
    git(repo, "commit", "-q", "-m", "unrelated", date="2026-12-05T09:00:00Z")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge the desk's edit", "desk", date="2026-12-06T09:00:00Z")
    named = subprocess.run(
        ["git", "log", "-n", "2", "--format=%H", "--", f"factsheets/{NK_SHEET.name}"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    log = history.sheet_log(sheet, repo)
    assert [c.id for c in log.commits] == named
    p = Project(repo)
    loaded = build.load_sheet(p, sheet)
    assert json.loads(build.document_for(p, loaded).provenance)["sheet"]["commit"] == named[0]
    assert loaded.sheet.version.what == "1 figure changed, 1 status changed"
