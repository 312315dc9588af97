"""factsheet build: the command editors run, end to end, with real outputs."""

from __future__ import annotations

import zipfile

import pytest

from factsheet.writers import Writer

from conftest import NK_PROJECT, NK_SHEET


def test_build_writes_both_formats_named_after_the_sheet(cli, project, tmp_path):
    out = tmp_path / "out"
    result = cli("--root", project, "build", "--out", out, cwd=project)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "north-korea-troops-russia.docx",
        "north-korea-troops-russia.pdf",
    ]
    assert (out / "north-korea-troops-russia.pdf").read_bytes().startswith(b"%PDF-")
    assert zipfile.is_zipfile(out / "north-korea-troops-russia.docx")
    assert "wrote" in result.stderr


def test_default_output_folder_is_build_in_the_project(cli, project):
    result = cli("--root", project, "build", "--format", "pdf", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "build" / "north-korea-troops-russia.pdf").is_file()
    assert not (project / "build" / "north-korea-troops-russia.docx").exists()


def test_same_input_gives_same_bytes(cli, project, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert cli("--root", project, "build", "--out", a, cwd=project).returncode == 0
    assert (
        cli("--root", project, "build", "--out", b, cwd=project, env={"PYTHONHASHSEED": "7"}).returncode == 0
    )
    for name in ("north-korea-troops-russia.docx", "north-korea-troops-russia.pdf"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_broken_sheet_writes_nothing_and_exits_1(cli, project, tmp_path):
    sheet = project / "factsheets" / "north-korea-troops-russia.yaml"
    sheet.write_text(
        sheet.read_text(encoding="utf-8").replace("status: confirmed", "status: sure", 1), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = cli("--root", project, "build", "--out", out, cwd=project)
    assert result.returncode == 1
    assert (
        "status: expected one of reported | confirmed | disputed | denied, found a string ('sure')"
        in result.stderr
    )
    assert result.stdout == ""  # build's diagnostics go to standard error, as every command's but check's
    assert not out.exists() or list(out.iterdir()) == []
    assert "Traceback" not in result.stderr


def test_character_the_font_cannot_draw_is_an_error_naming_the_claim(cli, project, tmp_path):
    sheet = project / "factsheets" / "north-korea-troops-russia.yaml"
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(
        text.replace(
            "Zelenskyy said North Korea was preparing", "Zelenskyy 𓀀 said North Korea was preparing", 1
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = cli("--root", project, "build", "--out", out, cwd=project)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert (
        "claim 'zelenskyy-contingent-preparing': claims[" in line
        and ".text: '𓀀' (U+13000) cannot be drawn by the brief's fonts" in line
    )
    assert line.startswith("factsheets/north-korea-troops-russia.yaml:")
    assert not out.exists()


def test_unknown_format_is_a_usage_error(cli):
    result = cli("build", "--format", "odt")
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "factsheet: --format: expected a comma-separated list of docx, pdf, html, found 'odt' "
        "(see 'factsheet build --help')"
    )


def test_disk_cache_never_changes_the_bytes(cli, project, tmp_path):
    cold, warm, off = tmp_path / "cold", tmp_path / "warm", tmp_path / "off"
    env = {"FACTSHEET_CACHE_DIR": str(tmp_path / "cache")}
    assert cli("--root", project, "build", "--out", cold, cwd=project, env=env).returncode == 0
    assert {p.name for p in (tmp_path / "cache").iterdir()} == {"chart-png", "yaml"}
    assert cli("--root", project, "build", "--out", warm, cwd=project, env=env).returncode == 0
    assert (
        cli(
            "--root", project, "build", "--out", off, cwd=project, env={"FACTSHEET_CACHE_DIR": "off"}
        ).returncode
        == 0
    )
    for name in ("north-korea-troops-russia.docx", "north-korea-troops-russia.pdf"):
        assert (cold / name).read_bytes() == (warm / name).read_bytes() == (off / name).read_bytes(), name


def test_formats_written_side_by_side_match_a_serial_run():
    from factsheet.pipeline import build
    from factsheet.project import Project

    project = Project(NK_PROJECT)
    loaded = build.load_sheet(project, NK_SHEET)
    side = build.SideWriter("pdf")
    try:
        for _ in range(2):  # the process serves one document after another
            document, together = build.Rendering.start(
                project, loaded, "brief", ["docx", "pdf"], side
            ).finish()
            assert together == {fmt: build.render(document, fmt) for fmt in ("docx", "pdf")}
    finally:
        side.close()


def test_writer_errors_on_either_side_reach_the_caller_and_keep_replies_in_step(monkeypatch):
    from factsheet.errors import RenderError
    from factsheet.pipeline import build
    from factsheet.project import Project
    from factsheet.rendering.document import Document, Heading, Text

    project = Project(NK_PROJECT)
    loaded = build.load_sheet(project, NK_SHEET)
    good = Document("t", blocks=[Heading(1, (Text("ok"),))])
    bad = Document("t", blocks=[Heading(9, (Text("no such level"),))])

    def write(document: Document, formats: list[str], side) -> dict[str, bytes]:
        monkeypatch.setattr(build, "document_for", lambda *args: document)
        return build.Rendering.start(project, loaded, "brief", formats, side).finish()[1]

    side = build.SideWriter("docx")
    try:
        with pytest.raises(RenderError):
            write(bad, ["docx"], side)  # the side process fails
        assert write(good, ["docx"], side)["docx"].startswith(b"PK")
        monkeypatch.setitem(build.WRITERS, "pdf", Writer("factsheet.no_such_writer", "write"))
        with pytest.raises(RenderError, match="no_such_writer"):
            write(good, ["docx", "pdf"], side)  # this process's writer fails
        assert write(good, ["docx"], side)["docx"].startswith(b"PK")
    finally:
        side.close()
