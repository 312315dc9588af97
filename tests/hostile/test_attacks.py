"""Attacks around the inputs: the disk cache, special files, the export folder, diff --docx, huge sheets.

Each test runs the command line as a user would, in a throwaway project next
to a secret it must never read, and checks the exit status, the one readable
line it prints, that no traceback is shown and that nothing outside what the
command may write has changed. A hang would trip the subprocess timeout.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bounded import cap_memory
from factsheet import cache
from factsheet.sources import check
from factsheet.sources.seeds import SeedLibrary

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BASE = HERE / "base.yaml"
SECRET = "SECRET-OUTSIDE-THE-PROJECT"
HANG_GUARD = 600  # seconds; only a hang gets near it


def _project(tmp: Path) -> Path:
    root = tmp / "project"
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "factsheets").mkdir()
    shutil.copyfile(BASE, root / "factsheets" / "base.yaml")
    (tmp / "outside.txt").write_text(SECRET + "\n", encoding="utf-8")
    return root


def run(root: Path, *args: str, cache_dir: str | Path = "off") -> subprocess.CompletedProcess:
    """Run ``factsheet ARGS`` in ``root``; fail on a traceback or a line that is not printable."""
    result = subprocess.run(
        [sys.executable, "-m", "factsheet", "--root", str(root), *map(str, args)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        preexec_fn=cap_memory,  # every case within 1 GiB
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "FACTSHEET_CACHE_DIR": str(cache_dir)},
    )
    shown = result.stdout + result.stderr
    assert "Traceback" not in shown, shown
    assert SECRET not in shown
    assert all(line.isprintable() for line in shown.splitlines()), shown
    return result


def one_line(result: subprocess.CompletedProcess) -> str:
    """Return the single line a refused command printed."""
    lines = (result.stdout + result.stderr).strip().split("\n")
    assert len(lines) == 1, lines
    return lines[0]


# -- 1. no code from the cache -------------------------------------------------------------


class _Pwn:
    """Unpickling this runs a shell command that leaves a file behind."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _build_bytes(
    root: Path, cache_dir: Path, out: str
) -> tuple[subprocess.CompletedProcess, dict[str, bytes]]:
    result = run(root, "build", "--out", out, "factsheets/base.yaml", cache_dir=cache_dir)
    assert result.returncode == 0, result.stderr
    return result, {p.name: p.read_bytes() for p in sorted((root / out).iterdir())}


def _poison(entry: Path, payload: bytes, i: int) -> None:
    entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if i % 2 == 0:  # a pickle where an entry was
        entry.write_bytes(payload)
    else:  # a pickle wrapped in a valid header and checksum
        entry.write_bytes(cache._MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)


def test_hostile_and_damaged_cache_entries_are_rebuilt_never_run(tmp_path):
    root = _project(tmp_path)
    folder = tmp_path / "cache"
    _, first = _build_bytes(root, folder, "out1")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not list(folder.rglob("*.cache"))  # compiled templates are kept in memory only
    marker = tmp_path / "pwned"
    from jinja2.bccache import bc_magic

    payload = pickle.dumps(_Pwn(marker))
    # where Jinja's file cache and the font caches of earlier versions kept their entries
    names = [f"templates/__jinja2_{i:040x}.cache" for i in range(3)]
    names += [
        f"{kind}/{i:064x}.bin" for kind in ("font-coverage", "pdf-face-json", "docx-subset") for i in range(2)
    ]
    for i, name in enumerate(names):
        _poison(folder / name, (bc_magic if name.endswith(".cache") else b"") + payload, i)
    for i, entry in enumerate(_entries(folder)):  # and every entry this build kept
        _poison(entry, payload, i) if i % 3 else entry.write_bytes(entry.read_bytes()[:-7])
    result, second = _build_bytes(root, folder, "out2")
    assert not marker.exists()
    assert second == first  # same bytes as before: nothing was taken from the poisoned entries
    assert "warning" not in result.stderr


def test_a_cache_folder_others_may_write_is_not_used(tmp_path):
    root = _project(tmp_path)
    folder = tmp_path / "shared-cache"
    _build_bytes(root, folder, "out1")
    marker = tmp_path / "pwned"
    # Jinja's compiled templates start with a pickle: a poisoned one runs code when loaded.
    from jinja2.bccache import bc_magic

    for entry in _entries(folder):
        entry.write_bytes(bc_magic + pickle.dumps(_Pwn(marker)))
    for path in (folder, *[p for p in folder.rglob("*") if p.is_dir()]):
        path.chmod(0o777)
    result, outputs = _build_bytes(root, folder, "out2")
    assert not marker.exists()
    assert sorted(outputs) == ["base.docx", "base.pdf"]
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [
        f"factsheet: warning: not using the cache folder {folder}: its group or other users "
        "may write to it (chmod go-w, or choose another FACTSHEET_CACHE_DIR); "
        "building without the cache"
    ]


def test_a_cache_folder_owned_by_another_user_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(tmp_path).st_uid + 1)
    assert cache.unsafe(tmp_path).startswith("it is owned by another user (uid ")
    monkeypatch.setenv("FACTSHEET_CACHE_DIR", str(tmp_path))
    assert cache.cache_dir() is None


# -- 2. nothing blocks: named pipes and devices ----------------------------------------------


def test_diff_refuses_a_named_pipe_and_a_device(tmp_path):
    root = _project(tmp_path)
    os.mkfifo(root / "factsheets" / "pipe.yaml")
    result = run(root, "diff", "factsheets/pipe.yaml", "factsheets/base.yaml")
    assert result.returncode == 2
    assert (
        one_line(result) == "factsheet: factsheets/pipe.yaml: expected a fact sheet file, found a named pipe"
    )
    result = run(root, "diff", "factsheets/base.yaml", "/dev/zero")
    assert result.returncode == 2
    assert one_line(result) == "factsheet: /dev/zero: expected a fact sheet file, found a character device"


def test_diff_textconv_refuses_a_named_pipe(tmp_path):
    root = _project(tmp_path)
    os.mkfifo(root / "factsheets" / "pipe.yaml")
    result = run(root, "diff", "--textconv", "factsheets/pipe.yaml")
    assert result.returncode == 2
    assert one_line(result) == (
        "factsheet: diff --textconv: cannot read factsheets/pipe.yaml: "
        "expected a regular file, found a named pipe"
    )


def test_a_seed_that_is_a_named_pipe_is_refused(tmp_path):
    root = _project(tmp_path)
    seed = root / "seeds" / "nk-officers-intel-kovalenko.txt"
    seed.unlink()
    os.mkfifo(seed)
    result = run(root, "check", "factsheets/base.yaml")
    assert result.returncode == 1
    assert (
        "source file 'nk-officers-intel-kovalenko.txt': expected a regular file, found a named pipe"
        in result.stdout
    )


def _export(root: Path, *args: str) -> subprocess.CompletedProcess:
    return run(root, "export", "--format", "docx", "--quiet", *args)


def test_export_refuses_special_files_in_its_folder(tmp_path):
    root = _project(tmp_path)
    out = root / "export"
    out.mkdir()
    os.mkfifo(out / "manifest.json")
    result = _export(root)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "factsheet: export/manifest.json: expected a regular file, "
        "found a named pipe; remove it and export again"
    )
    (out / "manifest.json").unlink()
    os.symlink("/dev/zero", out / "manifest.json")
    result = _export(root)
    assert result.returncode == 1
    assert "export/manifest.json: expected a regular file, found a symbolic link" in result.stderr
    (out / "manifest.json").unlink()
    os.mkfifo(out / "base.docx")
    result = _export(root)
    assert result.returncode == 1
    assert (
        "factsheets/base.yaml: docx: export/base.docx is a named pipe, not a file this export wrote; "
        "remove it and export again"
    ) in result.stderr
    assert stat.S_ISFIFO((out / "base.docx").lstat().st_mode)  # left as it was


def test_export_deletes_only_outputs_it_recorded_itself(tmp_path):
    root = _project(tmp_path)
    out = root / "export"
    assert _export(root).returncode == 0
    notes = out / "editor-notes.txt"
    notes.write_text("keep me\n", encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256(notes.read_bytes()).hexdigest()
    manifest["sheets"]["gone"] = {
        "source": "factsheets/gone.yaml",
        "outputs": {
            "docx": {"file": "editor-notes.txt", "sha256": digest},
            "txt": {"file": "editor-notes.txt", "sha256": digest},
            "pdf": {"file": "../factsheets/base.yaml", "sha256": digest},
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = _export(root)
    assert result.returncode == 0, result.stderr
    assert notes.read_text(encoding="utf-8") == "keep me\n"
    assert (root / "factsheets" / "base.yaml").read_bytes() == BASE.read_bytes()
    assert "gone" not in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["sheets"]


@pytest.mark.parametrize(
    ("out", "message"),
    [
        (".", "factsheet: --out: . is the project folder; export into a folder of its own such as export/"),
        (
            "seeds",
            "factsheet: --out: seeds is inside seeds/, which holds inputs; export into a folder of its own "
            "such as export/",
        ),
        (
            "templates/x",
            "factsheet: --out: templates/x is inside templates/, which holds inputs; export into a "
            "folder of its own such as export/",
        ),
    ],
)
def test_export_refuses_the_project_and_its_input_folders_as_out(tmp_path, out, message):
    root = _project(tmp_path)
    before = sorted(str(p) for p in root.rglob("*"))
    result = _export(root, "--out", out)
    assert result.returncode == 2
    assert one_line(result) == message
    assert sorted(str(p) for p in root.rglob("*")) == before


# -- 2. check stays linear -------------------------------------------------------------------


def _many_claims(n: int, unknown: int) -> str:
    head = BASE.read_text(encoding="utf-8").split("claims:\n")[0] + "claims:\n"
    claim = """  - id: claim-{i}
    text: Several thousand North Korean soldiers are training in Russia.
    status: reported
    attribution: {{who: Unnamed Ukrainian intelligence official, on_record: false}}
    contradicts: [{refs}]
    citations:
      - source: nk-officers-intel-kovalenko
        quote: "Several thousand North Korean soldiers are currently undergoing training in Russia"
"""
    return head + "".join(
        claim.format(i=i, refs=", ".join(f"claim-{i}-{k}" for k in range(unknown))) for i in range(n)
    )


def test_unknown_claim_ids_are_reported_in_linear_time(tmp_path, monkeypatch):
    """2,000 claims x 20 unknown ids: every one reported, but only a bounded number of suggestion searches."""
    searches = []
    real = check.difflib.get_close_matches
    monkeypatch.setattr(
        check.difflib,
        "get_close_matches",
        lambda word, choices, **kw: searches.append(word) or real(word, choices, **kw),
    )
    path = tmp_path / "many.yaml"
    path.write_text(_many_claims(2000, 20), encoding="utf-8")
    checked = check.check_sheet(path, SeedLibrary(REPO / "seeds"), "many.yaml")
    unknown = [p for p in checked.problems if "unknown claim id" in p.message]
    assert len(unknown) == 2000 * 20
    assert len(searches) <= check.MAX_SUGGESTIONS
    assert unknown[0].message.startswith("contradicts: unknown claim id 'claim-0-0' (did you mean 'claim-")
    assert unknown[-1].message == "contradicts: unknown claim id 'claim-1999-19'"


# -- 5. what check passes, build renders ---------------------------------------------------


def test_a_figure_too_large_to_chart_is_refused_by_check(tmp_path):
    root = _project(tmp_path)
    sheet = root / "factsheets" / "base.yaml"
    sheet.write_text(
        sheet.read_text(encoding="utf-8").replace(
            "        qualifier: several thousand", "        value: 1.7e308"
        ),
        encoding="utf-8",
    )
    result = run(root, "check", "factsheets/base.yaml")
    assert result.returncode == 1
    assert (
        "factsheets/base.yaml:14:16: claims[0].figures[0].value: 1.7e+308 is too large to print or chart; "
        "expected a number up to 1,000,000,000,000,000"
    ) in result.stdout.splitlines()
    result = run(root, "build", "--out", "out", "factsheets/base.yaml")
    assert result.returncode == 1 and not (root / "out").exists()


# -- 3. no reads outside the project ---------------------------------------------------------


def test_a_sheet_linked_out_of_the_project_is_refused_unread(tmp_path):
    root = _project(tmp_path)
    secret = tmp_path / "credentials"
    secret.write_text(f"https://bob:{SECRET}@github.com\n", encoding="utf-8")
    os.symlink(secret, root / "factsheets" / "notes.yaml")
    result = run(root, "check")
    assert result.returncode == 1
    assert [line for line in result.stdout.splitlines() if ": warning: " not in line] == [
        f"factsheets/notes.yaml:1:1: the fact sheet is a link pointing outside {root}; "
        "store the sheet itself in the project"
    ]
    result = run(root, "build", "--out", "out")
    assert result.returncode == 1 and not (root / "out" / "notes.docx").exists()


def test_a_non_yaml_file_named_on_the_command_line_is_not_quoted(tmp_path):
    root = _project(tmp_path)
    secret = tmp_path / "credentials"
    secret.write_text(f"https://bob:{SECRET}@github.com\n", encoding="utf-8")
    result = run(root, "check", str(secret))
    assert result.returncode == 1
    assert result.stdout.strip().endswith(
        "1:1: the top level must be a mapping with title, as_of and claims, found a string"
    )


# -- 4. no overwritten inputs ----------------------------------------------------------------


@pytest.fixture(scope="module")
def diff_project(tmp_path_factory) -> Path:
    root = _project(tmp_path_factory.mktemp("diff"))
    new = BASE.read_text(encoding="utf-8").replace("are training in Russia.", "are being trained in Russia.")
    (root / "factsheets" / "new.yaml").write_text(new, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "factsheets/new.yaml",
            "factsheet: --docx: factsheets/new.yaml is one of the fact sheets being compared; "
            "write the redline elsewhere",
        ),
        (
            "seeds/x.docx",
            "factsheet: --docx: seeds/x.docx is inside seeds/, which holds the project's inputs; "
            "write the redline elsewhere",
        ),
        (
            "templates/brief.xml.j2",
            "factsheet: --docx: templates/brief.xml.j2 is inside templates/, which holds the "
            "project's inputs; write the redline elsewhere",
        ),
        (
            "notes.txt",
            "factsheet: --docx: notes.txt exists and is not a Word redline factsheet wrote; "
            "remove it or choose another name",
        ),
        (
            "no/such/folder/r.docx",
            "factsheet: --docx: no/such/folder/r.docx: the folder no/such/folder does not "
            "exist; create it first",
        ),
        (
            "seeds",
            "factsheet: --docx: seeds is a folder; name the .docx file to write, e.g. seeds/redline.docx",
        ),
    ],
)
def test_diff_docx_refuses_to_overwrite_inputs_and_other_files(diff_project, target, message):
    root = diff_project
    (root / "notes.txt").write_text("an editor's notes\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = run(root, "diff", "factsheets/base.yaml", "factsheets/new.yaml", "--docx", target)
    assert result.returncode == 2
    assert one_line(result) == message
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_diff_docx_replaces_a_redline_it_wrote(diff_project):
    root = diff_project
    for _ in range(2):
        result = run(root, "diff", "factsheets/base.yaml", "factsheets/new.yaml", "--docx", "redline.docx")
        assert result.returncode == 1, result.stderr
        assert result.stderr.startswith("wrote redline.docx (")
