"""The scheduling examples and the README's commands: systemd accepts the units, shellcheck the shell lines."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

import required

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
PROJECT = "/srv/factsheets"  # where the examples assume the project lives


def _need(tool: str) -> str:
    return required.tool(tool)


@pytest.fixture
def units(tmp_path) -> Path:
    """Return a folder with the service and timer, the project path pointing at a stand-in project."""
    root = tmp_path / "srv"
    (root / ".venv" / "bin").mkdir(parents=True)
    command = root / ".venv" / "bin" / "factsheet"
    command.write_text("#!/bin/sh\nexit 0\n")
    command.chmod(0o755)
    units = tmp_path / "units"
    units.mkdir()
    for name in ("factsheet-export.service", "factsheet-export.timer"):
        text = (EXAMPLES / name).read_text(encoding="utf-8")
        (units / name).write_text(text.replace(PROJECT, str(root)), encoding="utf-8")
    return units


def test_systemd_analyze_verify_accepts_the_service_and_timer(units):
    tool = _need("systemd-analyze")
    done = subprocess.run(
        [tool, "verify", str(units / "factsheet-export.service"), str(units / "factsheet-export.timer")],
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_the_service_is_hardened(units):
    tool = _need("systemd-analyze")
    done = subprocess.run(
        [tool, "security", "--offline=yes", "--no-pager", str(units / "factsheet-export.service")],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 and "offline" in done.stderr:
        pytest.skip("this systemd-analyze cannot rate a unit file offline")
    found = re.search(
        r"Overall exposure level for factsheet-export\.service: ([0-9.]+)", done.stdout + done.stderr
    )
    assert found, done.stdout + done.stderr
    assert float(found[1]) <= 1.0


def test_the_service_writes_only_where_it_may_and_creates_its_folders():
    text = (EXAMPLES / "factsheet-export.service").read_text(encoding="utf-8")
    settings = [line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#")]
    keys = dict(settings)
    assert keys["CacheDirectory"] == "factsheet" and keys["Environment"] == "FACTSHEET_CACHE_DIR=%C/factsheet"
    assert keys["ReadWritePaths"] == f"{PROJECT}/export"
    assert keys["ExecStartPre"].startswith("+/usr/bin/install -d ") and keys["ExecStartPre"].endswith(
        f" {PROJECT}/export"
    )
    assert keys["PrivateNetwork"] == "yes" and keys["ProtectSystem"] == "strict"
    assert f"--out {PROJECT}/export" in keys["ExecStart"] and keys["ExecStart"].startswith(
        f"{PROJECT}/.venv/bin/"
    )


def _cron_commands() -> list[str]:
    """Return the command of each crontab entry, commented-out alternatives included."""
    commands = []
    for line in (EXAMPLES / "crontab").read_text(encoding="utf-8").splitlines():
        entry = line[1:] if line.startswith("#*") else line
        fields = entry.split(None, 5)
        if len(fields) == 6 and re.fullmatch(r"[\d*/,-]+", fields[0]):
            commands.append(fields[5])
    return commands


def _readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", quick, re.S)]


def _workflow_scripts() -> list[str]:
    workflow = yaml.safe_load((EXAMPLES / "factsheet-export-workflow.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["export"]["steps"]
    return [step["run"] for step in steps if "run" in step]


def _shellcheck(script: str, shell: str) -> str:
    tool = _need("shellcheck")
    done = subprocess.run([tool, "--shell", shell, "-"], input=script, capture_output=True, text=True)
    return done.stdout + done.stderr if done.returncode else ""


def test_shell_lines_pass_shellcheck():
    cron = _cron_commands()
    assert len(cron) == 2
    for command in cron:
        assert "%" not in command  # cron would turn it into a line break
        assert _shellcheck(command + "\n", "sh") == ""
    readme = _readme_commands()
    assert len(readme) == 2
    for command in readme:
        assert _shellcheck(command + "\n", "sh") == ""
    for script in _workflow_scripts():
        assert _shellcheck(script.replace("${{", "${").replace("}}", "}"), "bash") == ""
    assert _shellcheck((REPO / ".ci" / "run").read_text(encoding="utf-8"), "bash") == ""


def test_cron_creates_its_log_folder_before_writing_to_it():
    first = _cron_commands()[0]
    folder = re.search(r'mkdir -p "([^"]+)"', first)
    assert folder and first.index("mkdir -p") < first.index(">>")
    assert f'>>"{folder[1]}/export.log"' in first
    assert first.split(" && ")[-1].startswith("{ ./.venv/bin/factsheet export")


def test_the_ci_workflow_saves_its_cache_even_when_a_sheet_fails():
    workflow = yaml.safe_load((EXAMPLES / "factsheet-export-workflow.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["export"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    restore = next(i for i, u in enumerate(uses) if u.startswith("actions/cache/restore@"))
    export = next(i for i, s in enumerate(steps) if "factsheet export" in s.get("run", ""))
    save = next(i for i, u in enumerate(uses) if u.startswith("actions/cache/save@"))
    assert restore < export < save
    assert steps[save]["if"] == "always()" and steps[save]["with"]["path"] == "export"
    assert "actions/cache@" not in " ".join(uses)  # its save runs only when the job succeeded


def test_ci_run_runs_the_readmes_second_command_exactly():
    """.ci/run takes the command from README.md, so the two cannot drift apart."""
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    extract = script[
        script.index("readme_command() {") : script.index("\n}\n", script.index("readme_command() {")) + 3
    ]
    done = subprocess.run(
        ["bash", "-c", extract + "readme_command 2"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
    )
    assert done.stdout.strip() == _readme_commands()[1]
    second = _readme_commands()[1]
    assert "python3 -m venv .venv" in second and second.endswith(".venv/bin/python -m pytest")
    assert "pip install" not in second.split("python3 -m venv", 1)[0]  # never into the system Python
    assert 'export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"' in script
