"""``factsheet diff OLD NEW``: exit codes like diff(1), errors with positions, colour, usage errors."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from diffkit import BIN, SMALL, claim_index, edit, run


@pytest.fixture
def pair(tmp_path):
    """Return (folder, old, new) with both files holding SMALL."""
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(SMALL, encoding="utf-8")
    new.write_text(SMALL, encoding="utf-8")
    return tmp_path, old, new


def test_no_change_exits_0_and_prints_nothing(pair):
    folder, old, new = pair
    done = run("diff", old.name, new.name, cwd=folder)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_change_exits_1(pair):
    folder, old, new = pair
    new.write_text(
        edit(SMALL, ("claims", claim_index(SMALL, "hoax"), "status"), "disputed"), encoding="utf-8"
    )
    done = run("diff", old.name, new.name, cwd=folder)
    assert done.returncode == 1, done.stderr
    assert done.stdout == (
        "diff old.yaml new.yaml\nchanged hoax\n  status: denied → disputed\n"
        "1 claim changed, 0 added, 0 removed, 0 renamed; 0 sheet fields changed\n"
    )
    assert done.stderr == ""


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_formats_exit_codes(pair, fmt):
    folder, old, new = pair
    assert run("diff", "--format", fmt, old.name, new.name, cwd=folder).returncode == 0
    new.write_text(SMALL.replace("title: Troops abroad", "title: Troops"), encoding="utf-8")
    done = run("diff", "--format", fmt, old.name, new.name, cwd=folder)
    assert done.returncode == 1
    if fmt == "json":
        assert json.loads(done.stdout)["files"][0]["sheet"][0]["field"] == "title"
    else:
        assert "- `title`: Troops[- ~~abroad~~-]" in done.stdout


def test_invalid_yaml_exits_2_with_file_line_col(pair):
    folder, old, new = pair
    new.write_text(SMALL.replace("    status: denied\n", "    status: [denied\n"), encoding="utf-8")
    done = run("diff", old.name, new.name, cwd=folder)
    assert done.returncode == 2
    out = done.stdout + done.stderr
    line = next(l for l in out.splitlines() if l.startswith("new.yaml:"))
    file, row, col, message = line.split(":", 3)
    assert int(row) > 40 and int(col) >= 1 and "YAML" in message


def test_unmatchable_claims_exit_2(pair):
    folder, old, new = pair
    new.write_text(SMALL.replace("  - id: hoax\n", "  - id: training\n"), encoding="utf-8")
    done = run("diff", old.name, new.name, cwd=folder)
    assert done.returncode == 2
    assert "duplicate claim id 'training'" in done.stdout + done.stderr


def test_schema_invalid_sheet_is_diffed_with_a_warning(pair):
    folder, old, new = pair
    new.write_text(SMALL.replace("status: denied", "status: maybe"), encoding="utf-8")
    done = run("diff", old.name, new.name, cwd=folder)
    assert done.returncode == 1
    assert "  status: denied → maybe\n" in done.stdout
    assert "warning: new.yaml does not pass the schema (1 problem; first: new.yaml:" in done.stderr
    assert "diffed as written" in done.stderr


def test_missing_file_and_bad_options_exit_2(pair):
    folder, old, new = pair
    for args in (
        ["diff", "old.yaml", "gone.yaml"],
        ["diff", "--format", "xml", "old.yaml", "new.yaml"],
        ["diff", "--color", "sometimes", "old.yaml", "new.yaml"],
        ["diff", "--textconv", "old.yaml", "new.yaml"],
    ):
        done = run(*args, cwd=folder)
        assert done.returncode == 2, args
        assert done.stderr.startswith("factsheet"), args


def test_colour_only_when_asked_or_on_a_terminal(pair):
    folder, old, new = pair
    new.write_text(SMALL.replace("status: denied", "status: disputed"), encoding="utf-8")
    piped = run("diff", old.name, new.name, cwd=folder)
    assert "\x1b[" not in piped.stdout
    always = run("diff", "--color", "always", old.name, new.name, cwd=folder)
    assert "\x1b[31mdenied\x1b[0m → \x1b[32mdisputed\x1b[0m" in always.stdout
    never = run("diff", "--color", "never", old.name, new.name, cwd=folder)
    assert never.stdout == piped.stdout
    assert _on_terminal(folder, {}).count("\x1b[") > 4
    assert "\x1b[" not in _on_terminal(folder, {"NO_COLOR": "1"})
    assert "\x1b[" not in _on_terminal(folder, {"TERM": "dumb"})


def _on_terminal(folder, extra_env) -> str:
    """Run the diff with standard output on a pseudo-terminal; return what it printed."""
    master, slave = pty.openpty()
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"], "TERM": "xterm", **extra_env}
    if "NO_COLOR" not in extra_env:
        env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "factsheet", "diff", "old.yaml", "new.yaml"],
        cwd=folder,
        stdout=slave,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    assert proc.returncode == 1
    return b"".join(chunks).decode("utf-8")


def test_textconv_prints_the_canonical_view(pair):
    folder, old, new = pair
    done = run("diff", "--textconv", old.name, cwd=folder)
    assert done.returncode == 0 and done.stdout.startswith("sheet\n  title: Troops abroad\n")
    assert "\nclaim hoax\n" in done.stdout


def test_textconv_shows_an_unreadable_file_as_written(pair):
    folder, old, new = pair
    new.write_text("title: [oops\n", encoding="utf-8")
    done = run("diff", "--textconv", new.name, cwd=folder)
    assert done.returncode == 0
    assert done.stdout.startswith("# factsheet: shown as written, not claim by claim: ")
    assert done.stdout.endswith("title: [oops\n")


def test_one_name_or_a_missing_file_exits_2_with_a_message(pair):
    folder, old, new = pair
    one = run("diff", old.name, cwd=folder)
    assert one.returncode == 2 and one.stdout == ""
    assert "expected two files to compare (OLD.yaml NEW.yaml), found one PATH" in one.stderr
    gone = run("diff", "gone.yaml", cwd=folder)
    assert gone.returncode == 2 and "found one PATH" in gone.stderr
    missing = run("diff", old.name, "gone.yaml", cwd=folder)
    assert (missing.returncode, missing.stderr) == (
        2,
        "factsheet: gone.yaml: no such file\n",
    )


def test_a_path_naming_nothing_in_git_exits_2(pair):
    folder, old, new = pair
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    subprocess.run([*git, "-C", str(folder), "add", "old.yaml"], check=True)
    subprocess.run([*git, "-C", str(folder), "commit", "-qm", "one"], check=True)
    done = run("diff", "--rev", "HEAD", "gone.yaml", cwd=folder)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "factsheet: gone.yaml: no such file or folder in 'HEAD' or the working tree\n"
    assert run("diff", "--rev", "HEAD", "old.yaml", cwd=folder).returncode == 0
