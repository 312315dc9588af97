"""``factsheet diff`` through real git, and ``git diff``/``git log -p`` after ``factsheet git-setup``."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from diffkit import GIT_ENV, SMALL, claim_index, commit, edit, git, repo, run  # noqa: F401 (repo is a fixture)

SHEET = "factsheets/small.yaml"


def at(claim_id, *rest):
    return ("claims", claim_index(SMALL, claim_id), *rest)


@pytest.fixture
def history(repo):
    """Return a repository with two commits of SMALL: the second sets hoax's status to disputed."""
    (repo / SHEET).write_text(SMALL, encoding="utf-8")
    first = commit(repo, "first")
    (repo / SHEET).write_text(edit(SMALL, at("hoax", "status"), "disputed"), encoding="utf-8")
    second = commit(repo, "second")
    return repo, first, second


def test_default_is_work_tree_against_head(history):
    repo, first, second = history
    assert run("diff", cwd=repo).returncode == 0
    text = (repo / SHEET).read_text(encoding="utf-8")
    (repo / SHEET).write_text(
        text.replace("title: Troops abroad", "title: Troops sent abroad"), encoding="utf-8"
    )
    done = run("diff", cwd=repo)
    assert done.returncode == 1, done.stderr
    assert done.stdout == (
        f"diff HEAD:{SHEET} {SHEET}\nsheet\n  title: Troops {{+sent+}} abroad\n"
        "0 claims changed, 0 added, 0 removed, 0 renamed; 1 sheet field changed\n"
    )
    git(repo, "add", SHEET)  # staged changes count too: the work tree is compared with HEAD
    assert run("diff", cwd=repo).stdout == done.stdout
    assert run("diff", "--rev", "HEAD", SHEET, cwd=repo).stdout == done.stdout
    assert run("diff", cwd=repo / "factsheets").stdout == done.stdout


def test_rev_range_and_single_rev(history):
    repo, first, second = history
    done = run("diff", "--rev", f"{first}..{second}", cwd=repo)
    assert done.returncode == 1
    assert done.stdout.startswith(
        f"diff {first}:{SHEET} {second}:{SHEET}\nchanged hoax\n  status: denied → disputed\n"
    )
    assert run("diff", "--rev", "HEAD~1..HEAD", "--format", "json", cwd=repo).returncode == 1
    assert run("diff", "--rev", "HEAD~1", cwd=repo).stdout.startswith(f"diff HEAD~1:{SHEET} {SHEET}\n")
    assert run("diff", "--rev", "HEAD..HEAD", cwd=repo).returncode == 0
    assert run("diff", "--rev", "HEAD~1...HEAD", cwd=repo).returncode == 1


def test_reordering_claims_is_no_change(history):
    repo, _, _ = history
    lines = (repo / SHEET).read_text(encoding="utf-8").split("\n")
    first, second = lines.index("  - id: troops-sent"), lines.index("  - id: training")
    (repo / SHEET).write_text(
        "\n".join(lines[:first] + lines[second:-1] + lines[first:second] + [""]), encoding="utf-8"
    )
    assert git(repo, "diff", "--stat").stdout  # the bytes did change
    done = run("diff", cwd=repo)
    assert (done.returncode, done.stdout) == (0, "")
    assert json.loads(run("diff", "--format", "json", cwd=repo).stdout)["changed"] is False


def test_untracked_deleted_and_renamed_files(history):
    repo, _, _ = history
    (repo / "factsheets" / "other.yaml").write_text(SMALL, encoding="utf-8")
    data = json.loads(run("diff", "--format", "json", cwd=repo).stdout)
    (f,) = data["files"]
    assert (f["old"], f["new"], f["status"], f["counts"]["added"]) == (
        "HEAD:factsheets/other.yaml",
        "factsheets/other.yaml",
        "added",
        3,
    )
    commit(repo, "other")
    git(repo, "rm", "-q", "factsheets/other.yaml")
    git(repo, "mv", SHEET, "factsheets/renamed.yaml")
    data = json.loads(run("diff", "--format", "json", cwd=repo).stdout)
    by_status = {f["status"]: f for f in data["files"]}
    assert by_status["removed"]["counts"]["removed"] == 3
    assert "modified" not in by_status or not by_status["modified"]["changed"]  # a moved file is compared


def test_invalid_yaml_in_a_revision_exits_2(history):
    repo, _, _ = history
    (repo / SHEET).write_text(
        SMALL.replace("    status: denied\n", "    status: [denied\n"), encoding="utf-8"
    )
    commit(repo, "broken")
    done = run("diff", "--rev", "HEAD~1..HEAD", cwd=repo)
    assert done.returncode == 2
    assert f"HEAD:{SHEET}:" in done.stdout + done.stderr


def test_git_trouble_exits_2(history, tmp_path):
    repo, _, _ = history
    done = run("diff", "--rev", "no-such-rev", cwd=repo)
    assert done.returncode == 2 and "unknown revision 'no-such-rev'" in done.stderr
    plain = tmp_path / "plain"
    (plain / "factsheets").mkdir(parents=True)
    done = run("diff", cwd=plain, env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert done.returncode == 2 and "git rev-parse" in done.stderr


def test_git_setup_writes_attributes_and_config_once(repo):
    done = run("git-setup", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert (repo / ".gitattributes").read_text() == (
        "factsheets/*.yaml diff=factsheet\nfactsheets/*.yml diff=factsheet\n"
    )
    assert git(repo, "config", "diff.factsheet.textconv").stdout.strip().endswith("diff --textconv")
    assert git(repo, "config", "diff.factsheet.cachetextconv").stdout.strip() == "true"
    again = run("git-setup", cwd=repo)
    assert (again.returncode, again.stdout) == (0, "already set up: nothing to change\n")
    assert (repo / ".gitattributes").read_text().count("diff=factsheet") == 2


def test_git_diff_and_log_show_claims_after_setup(history):
    repo, first, second = history
    assert run("git-setup", cwd=repo).returncode == 0
    commit(repo, "attributes")
    text = (repo / SHEET).read_text(encoding="utf-8")
    text = edit(text, at("troops-sent", "figures", 0, "value"), 14000)
    (repo / SHEET).write_text(text, encoding="utf-8")
    out = git(repo, "diff").stdout
    changed = [l for l in out.splitlines() if l[:1] in "+-" and l[:3] not in ("+++", "---")]
    assert changed == [
        "-  figures.troops_sent: 11,000 soldiers (as of 2024)",
        "+  figures.troops_sent: 14,000 soldiers (as of 2024)",
    ]
    assert "@@ claim troops-sent" in out  # hunk headers name the claim
    log = git(repo, "log", "-p", "--format=commit %s", "--", SHEET).stdout
    assert "-  status: denied\n+  status: disputed\n" in log
    assert "value: 11000" not in log and "{metric" not in log


def test_git_log_survives_a_broken_revision(history):
    repo, _, _ = history
    run("git-setup", cwd=repo)
    (repo / SHEET).write_text("title: [broken\n", encoding="utf-8")
    commit(repo, "broken")
    done = git(repo, "log", "-p", "--format=commit %s")
    assert "+# factsheet: shown as written, not claim by claim:" in done.stdout
    assert "+title: [broken" in done.stdout


def _bare_shell(repo, *command: str) -> subprocess.CompletedProcess:
    """Run ``command`` as from a login shell with no virtual environment: system PATH, no PYTHONPATH."""
    env = {**GIT_ENV, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": os.environ.get("HOME", "/root")}
    return subprocess.run(list(command), cwd=repo, env=env, capture_output=True, text=True)


def test_git_setup_writes_the_interpreter_by_absolute_path_and_git_diff_works_outside_the_venv(history):
    repo, _, _ = history
    assert run("git-setup", cwd=repo).returncode == 0
    command = git(repo, "config", "diff.factsheet.textconv").stdout.strip()
    assert os.path.abspath(sys.executable) in command and command.endswith(" -m factsheet diff --textconv")
    commit(repo, "attributes")
    sheet = repo / SHEET
    sheet.write_text(
        edit(sheet.read_text(encoding="utf-8"), at("troops-sent", "figures", 0, "value"), 14000),
        encoding="utf-8",
    )
    done = _bare_shell(repo, "git", "diff")
    assert done.returncode == 0, done.stderr
    assert "+  figures.troops_sent: 14,000 soldiers (as of 2024)" in done.stdout, done.stdout + done.stderr
    assert "not found" not in done.stderr


def test_git_setup_check_says_whether_the_configured_command_runs(repo):
    missing = run("git-setup", "--check", cwd=repo)
    assert missing.returncode == 1 and missing.stdout.startswith(
        "not set up: git has no diff.factsheet.textconv"
    )
    assert run("git-setup", cwd=repo).returncode == 0
    fine = run("git-setup", "--check", cwd=repo)
    assert fine.returncode == 0 and fine.stdout.startswith("ok: git runs ")
    git(repo, "config", "diff.factsheet.textconv", "/gone/.venv/bin/python -m factsheet diff --textconv")
    broken = run("git-setup", "--check", cwd=repo)
    assert broken.returncode == 1
    assert broken.stdout.startswith(
        "broken: git runs '/gone/.venv/bin/python -m factsheet diff --textconv', "
        "which fails from a shell outside any environment (exit 127"
    )
    assert "run 'factsheet git-setup' again" in broken.stdout


def test_git_setup_never_writes_a_command_that_fails(repo):
    from factsheet.review import git as gitmod

    with pytest.raises(gitmod.SetupError, match="does not run from a shell outside this environment"):
        gitmod.install(repo, "/gone/python -m factsheet diff --textconv")
    assert not (repo / ".gitattributes").exists()
    assert git(repo, "config", "--get", "diff.factsheet.textconv", check=False).returncode == 1
