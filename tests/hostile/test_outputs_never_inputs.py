"""Outputs never land among inputs or on others' files: --out, export's own names, temporaries, --docx."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bounded import REPO, run

HERE = Path(__file__).resolve().parent


def _project(tmp: Path) -> Path:
    root = tmp / "project"
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "factsheets").mkdir()
    shutil.copyfile(HERE / "base.yaml", root / "factsheets" / "base.yaml")
    return root


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("command", ["build", "watch"])
@pytest.mark.parametrize(
    ("out", "message"),
    [
        (".", "factsheet: --out: . is the project folder; build into a folder of its own such as build/"),
        (
            "templates",
            "factsheet: --out: templates is inside templates/, which holds inputs; build into a folder "
            "of its own such as build/",
        ),
        (
            "factsheets/out",
            "factsheet: --out: factsheets/out is inside factsheets/, which holds inputs; build into a "
            "folder of its own such as build/",
        ),
        (
            "seeds",
            "factsheet: --out: seeds is inside seeds/, which holds inputs; build into a folder of its own "
            "such as build/",
        ),
    ],
)
def test_build_and_watch_refuse_the_project_and_its_input_folders_as_out(tmp_path, command, out, message):
    root = _project(tmp_path)
    before = _tree(root)
    result = run(root, command, "--format", "html", "--out", out, "factsheets/base.yaml")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == message + "\n"
    assert _tree(root) == before


def test_a_sheet_named_index_never_replaces_the_exports_index_page(tmp_path):
    root = _project(tmp_path)
    shutil.copyfile(HERE / "base.yaml", root / "factsheets" / "index.yaml")
    result = run(root, "export", "--format", "html", "--quiet")
    assert result.returncode == 1
    assert (
        "factsheets/index.yaml: its output index.html is the name of the export's own index page; "
        "rename the sheet"
    ) in result.stderr
    page = (root / "export" / "index.html").read_text(encoding="utf-8")
    assert "base.html" in page  # the export's own index, listing the briefs
    assert (root / "export" / "base.html").exists()
    again = run(root, "export", "--format", "html", "--quiet")  # and the same on every run
    assert again.returncode == 1
    assert (root / "export" / "index.html").read_text(encoding="utf-8") == page


def test_export_deletes_only_its_own_temporaries(tmp_path):
    root = _project(tmp_path)
    out = root / "export"
    out.mkdir()
    users = [".notes.pdf.backup.tmp", ".base.html.old.tmp", ".index.html.mine.tmp"]
    for name in users:
        (out / name).write_text("the editor's\n", encoding="utf-8")
    stale = out / ".base.html.factsheet-ab12cd_3.tmp"  # what a killed export leaves behind
    stale.write_text("half", encoding="utf-8")
    result = run(root, "export", "--format", "html", "--quiet")
    assert result.returncode == 0, result.stderr
    for name in users:
        assert (out / name).read_text(encoding="utf-8") == "the editor's\n"
    assert not stale.exists()


@pytest.mark.parametrize("target", ["/proc/redline.docx", "/sys/redline.docx"])
def test_diff_docx_to_a_place_that_cannot_be_written_is_one_line(tmp_path, target):
    root = _project(tmp_path)
    new = (HERE / "base.yaml").read_text(encoding="utf-8").replace("training in Russia", "trained in Russia")
    (root / "factsheets" / "new.yaml").write_text(new, encoding="utf-8")
    result = run(root, "diff", "--docx", target, "factsheets/base.yaml", "factsheets/new.yaml")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"factsheet: --docx: cannot write {target}: ")
    assert lines[0].endswith("; nothing was written")
