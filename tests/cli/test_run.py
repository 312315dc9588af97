"""The program's end: everything printed reaches its reader, the exit code is the command's, no teardown."""

from __future__ import annotations

import os
import subprocess
import sys

from factsheet.cli import main

from conftest import NK_SHEET, REPO, run_cli


def test_a_long_output_piped_is_printed_whole_before_the_process_ends(capsys):
    assert main(["schema"]) == 0
    expected = capsys.readouterr().out
    assert len(expected) > 8192  # more than one buffer: the last of it is written by the final flush
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    run = subprocess.run(
        [sys.executable, "-m", "factsheet", "schema"], cwd=REPO, env=buffered, capture_output=True, text=True
    )
    assert run.returncode == 0
    assert run.stdout == expected


def test_the_exit_code_is_the_commands(tmp_path):
    missing = tmp_path / "missing.yaml"
    assert main(["--root", str(NK_SHEET.parents[1]), "check", str(missing)]) == 2
    assert run_cli("--root", NK_SHEET.parents[1], "check", missing).returncode == 2
    assert run_cli("--root", NK_SHEET.parents[1], "check", NK_SHEET).returncode == 0


def test_output_to_a_pipe_nobody_reads_fails_with_a_code_and_no_traceback():
    read_end, write_end = os.pipe()
    os.close(read_end)  # as a reader gone before the output comes (`| true`)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "factsheet", "schema"],
            cwd=REPO,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
