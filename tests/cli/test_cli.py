"""The command line's conventions: help, version, streams, finding the project, colour."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

COMMANDS = ("check", "quote", "seeds", "build", "schema", "export", "diff", "git-setup")


def run(*args, cwd, env=None) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("FACTSHEET_ROOT", "NO_COLOR")}
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "factsheet", *map(str, args)],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_a_description_arguments_and_exit_codes(command, tmp_path):
    done = run(command, "--help", cwd=tmp_path)  # no project needed for help
    assert done.returncode == 0 and done.stderr == ""
    text = done.stdout
    usage, description = text.split("\n\n")[:2]
    assert usage.startswith(f"usage: factsheet {command}")
    assert len(description.split()) >= 8  # a sentence, not a bare name
    assert "options:" in text and "exit codes:\n  0  " in text and "\n  2  " in text
    assert "standard output" in text and "standard error" in text


def test_version(tmp_path):
    from factsheet import __version__

    done = run("--version", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, f"factsheet {__version__}\n")


def test_a_sheet_given_from_outside_finds_its_project(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    sheet = project / "factsheets" / "north-korea-troops-russia.yaml"
    done = run("check", sheet, cwd=elsewhere)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "checked 1 file" in done.stderr
    out = tmp_path / "out"
    built = run("build", "--format", "docx", "--out", out, sheet, cwd=elsewhere)
    assert built.returncode == 0, built.stderr
    assert (out / "north-korea-troops-russia.docx").is_file()
    nowhere = run("check", cwd=elsewhere)  # no sheet named and no project here: one clear message
    assert nowhere.returncode == 2 and nowhere.stderr.startswith("factsheet: no factsheet project here")


def test_problems_go_to_stdout_for_check_and_to_stderr_for_build_and_diff(project, tmp_path):
    sheet = project / "factsheets" / "north-korea-troops-russia.yaml"
    sheet.write_text(
        sheet.read_text(encoding="utf-8").replace("status: confirmed", "status: sure", 1), encoding="utf-8"
    )
    check = run("check", sheet, cwd=project)
    assert check.returncode == 1 and "found a string ('sure')" in check.stdout
    build = run("build", "--out", tmp_path / "out", sheet, cwd=project)
    assert build.returncode == 1 and build.stdout == "" and "found a string ('sure')" in build.stderr
    (tmp_path / "bad.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    diff = run("diff", "--format", "markdown", tmp_path / "bad.yaml", sheet, cwd=project)
    assert diff.returncode == 2 and diff.stdout == "" and "bad.yaml:" in diff.stderr


def test_the_export_progress_bar_needs_a_real_terminal():
    import io

    from factsheet.export.report import Reporter

    assert Reporter(tty=True, stderr=io.StringIO()).bar is True
    assert Reporter(tty=False, stderr=io.StringIO()).bar is False  # a pipe, a log file
    assert Reporter(tty=True, stderr=io.StringIO(), dumb_terminal=True).bar is False


def test_an_unknown_option_before_the_command_is_named(tmp_path):
    for args in (
        ["--bogus"],
        ["--bogus", "check"],
        ["--bogus=1", "check"],
        ["--root", ".", "--bogus", "check"],
    ):
        done = run(*args, cwd=tmp_path)
        assert done.returncode == 2, args
        assert done.stderr == "factsheet: unknown option '--bogus' (see 'factsheet --help')\n", args


@pytest.mark.parametrize(
    "args, help_of",
    [
        (["check", "--bogus"], "factsheet check"),
        (["check", "--format", "xml"], "factsheet check"),
        (["seeds", "scan", "--bogus"], "factsheet seeds scan"),
        (["seeds", "add", "--bogus"], "factsheet seeds add"),
        (["seeds", "--bogus"], "factsheet seeds"),
        (["build", "--format", "xlsx"], "factsheet build"),
        (["watch", "--format", "xlsx"], "factsheet watch"),
        (["export", "--jobs", "-1"], "factsheet export"),
        (["diff", "a.yaml"], "factsheet diff"),
        (["quote"], "factsheet quote"),
        (["schema", "extra"], "factsheet schema"),
    ],
)
def test_every_usage_error_points_to_the_help_of_the_command_used(args, help_of, project):
    done = run(*args, cwd=project)
    assert done.returncode == 2
    assert done.stderr.startswith("factsheet: ") and done.stderr.endswith(f" (see '{help_of} --help')\n")
    assert done.stderr.count("\n") == 1


def test_format_choices_in_help_and_errors_are_the_same_list(project):
    from factsheet.writers import CHOOSABLE

    listed = ", ".join(CHOOSABLE)
    for command in ("build", "watch", "export"):
        help_text = " ".join(run(command, "--help", cwd=project).stdout.split())
        assert f"comma-separated: {listed} (default:" in help_text, command
        error = run(command, "--format", "xlsx", cwd=project).stderr
        assert f"expected a comma-separated list of {listed}, found 'xlsx'" in error, command


def test_root_is_accepted_after_the_command_too(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = run("--root", project, "check", cwd=elsewhere)
    after = run("check", "--root", project, cwd=elsewhere)
    assert before.returncode == after.returncode == 0, after.stderr
    assert (before.stdout, before.stderr) == (after.stdout, after.stderr)
    schema = run("schema", "--root", project, cwd=elsewhere)
    assert schema.returncode == 0 and schema.stdout.startswith("{")


def test_exit_codes_in_help_are_aligned_and_sorted(project):
    for command in (*COMMANDS, "watch"):
        text = run(command, "--help", cwd=project).stdout
        table = text.split("exit codes:\n", 1)[1].split("\n\n", 1)[0].splitlines()
        codes = [int(line.split()[0]) for line in table]
        assert codes == sorted(codes), command
        starts = {len(line) - len(line.split(None, 1)[1]) for line in table}
        assert len(starts) == 1, (command, table)  # every explanation starts in the same column


def test_the_cli_hands_the_environment_down_as_arguments():
    import argparse

    from factsheet.cli.environment import settle

    args = argparse.Namespace(root=None)
    settle(args, {"FACTSHEET_ROOT": "/srv/desk", "SOURCE_DATE_EPOCH": "1740787200", "TERM": "dumb"})
    assert (args.root, args.source_date_epoch, args.no_color, args.dumb_terminal) == (
        "/srv/desk",
        "1740787200",
        False,
        True,
    )
    given = argparse.Namespace(root="here")
    settle(given, {"FACTSHEET_ROOT": "/srv/desk", "NO_COLOR": "1"})
    assert (given.root, given.source_date_epoch, given.no_color, given.dumb_terminal) == (
        "here",
        None,
        True,
        False,
    )
