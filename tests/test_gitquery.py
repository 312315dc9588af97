"""Git is asked again only when HEAD or a ref moves: a rebuild after an edit starts no git, a commit is noticed."""

from __future__ import annotations

from factsheet import gitquery
from factsheet.pipeline import build
from factsheet.project import Project
from factsheet.sources.model import PartialDate

from conftest import git

SHEET = "factsheets/north-korea-troops-russia.yaml"


def _reword(path, words):
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ntitle: ", f"\ntitle: {words} ", 1), encoding="utf-8")


def _built(project):
    p = Project(project)
    loaded = build.load_sheet(p, project / SHEET)
    return loaded.sheet.version, build.document_for(p, loaded).provenance


def test_a_rebuild_after_an_edit_starts_no_git_and_a_commit_is_noticed(repo, git_starts):
    _built(repo)
    assert git_starts  # the first build asks
    git_starts.clear()

    _reword(repo / SHEET, "Edited")
    version, record = _built(repo)
    assert git_starts == []
    assert '"commit"' not in record  # the edited sheet is not the committed one

    git(repo, "commit", "-q", "-am", "second version", date="2026-12-06T09:30:00Z")
    version, record = _built(repo)
    assert git_starts  # HEAD moved: asked again
    assert version is not None and version.on == PartialDate("2026-12-06")
    assert '"commit"' in record


def test_a_project_outside_git_starts_no_git(project, git_starts):
    _built(project)
    _reword(project / SHEET, "Edited")
    _built(project)
    assert git_starts == []  # no .git in the project folder or above it: nothing to ask


def test_the_state_moves_with_head_and_refs_and_not_with_files(repo):
    before = gitquery.state(repo)
    _reword(repo / SHEET, "Edited")
    assert gitquery.state(repo) == before
    git(repo, "commit", "-q", "-am", "second version")
    after = gitquery.state(repo)
    assert after != before
    git(repo, "checkout", "-q", "-b", "other")
    assert gitquery.state(repo) != after


def test_a_linked_work_tree_sees_its_own_commits(repo, tmp_path):
    linked = tmp_path / "linked"
    git(repo, "worktree", "add", "-q", str(linked))
    before = gitquery.state(linked)
    _reword(linked / SHEET, "Edited")
    git(linked, "commit", "-q", "-am", "in the linked tree")
    assert gitquery.state(linked) != before
