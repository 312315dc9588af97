"""The provenance record in every output, and ``factsheet verify`` reading it back against the captures."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from factsheet.cli import main
from factsheet.writers.embedded import read_record

from conftest import NK_PROJECT, REPO

CAPTURES = REPO / "tests" / "fixtures" / "captures"
FORMATS = ("pdf", "docx", "html")


def run(*args) -> int:
    return main([str(a) for a in args])


@pytest.fixture
def harbour(tmp_path, monkeypatch) -> Path:
    """Return a project with the harbour ferry page added and a sheet quoting it, as the working folder."""
    root = tmp_path / "harbour"
    (root / "seeds").mkdir(parents=True)
    (root / "factsheets").mkdir()
    shutil.copytree(REPO / "templates", root / "templates")
    monkeypatch.chdir(root)
    monkeypatch.delenv("FACTSHEET_ROOT", raising=False)
    assert (
        run(
            "seeds",
            "add",
            CAPTURES / "harbour-ferry.html",
            "--id",
            "harbour-ferry",
            "--captured",
            "2024-10-18",
        )
        == 0
    )
    shutil.copyfile(CAPTURES / "harbour.yaml", root / "factsheets" / "harbour.yaml")
    return root


def build(root: Path, out: str = "build") -> list[Path]:
    assert run("build", "--format", ",".join(FORMATS), "--template", "dossier", "--out", root / out) == 0
    return [root / out / f"harbour.{fmt}" for fmt in FORMATS]


def test_every_output_carries_the_same_record(harbour):
    outputs = build(harbour)
    records = [json.loads(read_record(p.read_bytes())) for p in outputs]
    assert records[0] == records[1] == records[2]
    record = records[0]
    assert record["format"] == "factsheet-provenance/1"
    assert record["sheet"]["file"] == "factsheets/harbour.yaml" and "commit" not in record["sheet"]
    text = (harbour / "seeds" / "harbour-ferry.txt").read_text("utf-8")
    cost = next(n for n in record["notes"] if "4.2 million" in _passages(n, text))
    (source,) = cost["sources"]
    assert source["id"] == "harbour-ferry"
    assert source["capture"] == source["newest"]  # the capture's hash, not the text's
    assert source["capture"] != source["text"]
    # the same input gives the same bytes
    again = build(harbour, "again")
    assert [p.read_bytes() for p in outputs] == [p.read_bytes() for p in again]


def _passages(note: dict, text: str) -> str:
    return " | ".join(text[p["start"] : p["end"]] for s in note["sources"] for p in s["passages"])


def test_verify_holds_then_names_the_changed_note_after_an_update(harbour, capsys):
    old = build(harbour, "before")
    capsys.readouterr()
    assert run("verify", *old) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 * 4 and all(line.endswith("harbour-ferry holds") for line in lines)
    run(
        "seeds",
        "update",
        "harbour-ferry",
        CAPTURES / "harbour-ferry-corrected.html",
        "--captured",
        "2024-10-21",
    )
    capsys.readouterr()
    assert run("verify", *old) == 1
    out = capsys.readouterr().out
    for path in old:
        assert (
            f"{path}: note 2: harbour-ferry changed: the newer capture of 2024-10-21 no longer holds passage 1: "
            "reworded: … trial would cost about [-4.2-] {+4.8+} million kroner"
        ) in out
        assert (
            f"{path}: note 4: harbour-ferry changed: the newer capture of 2024-10-21 no longer holds passage 1: gone"
            in out
        )
        assert (
            f"{path}: note 1: harbour-ferry holds: the newer capture of 2024-10-21 still holds every passage"
            in out
        )
    fresh = build(harbour, "after")
    capsys.readouterr()
    assert run("verify", *fresh) == 0
    assert (
        "note 2: harbour-ferry holds: the newer capture of 2024-10-21 changes it, known when the brief was built"
        in capsys.readouterr().out
    )


def test_a_stripped_or_altered_record_says_so(harbour, capsys):
    pdf, docx, html = build(harbour)
    page = html.read_text("utf-8")
    stripped = harbour / "stripped.html"
    stripped.write_text(
        re.sub(r'<script type="application/json".*?</script>\n?', "", page, flags=re.S), "utf-8"
    )
    altered = harbour / "altered.html"
    altered.write_text(
        re.sub(r'"start": (\d+)', lambda m: f'"start": {int(m[1]) + 1}', page, count=1), "utf-8"
    )
    assert altered.read_text("utf-8") != page
    altered_docx = harbour / "altered.docx"
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(altered_docx, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "customXml/item1.xml":
                data = data.replace(b"harbour-ferry", b"harbour-ferrz", 1)
            dst.writestr(item, data)
    capsys.readouterr()
    assert run("verify", stripped, altered, altered_docx) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{stripped}: no provenance record: it was stripped, or the file was not built by factsheet; nothing in it can be verified",
        f"{altered}: the provenance record was altered: its digest does not match its content",
        f"{altered_docx}: the provenance record was altered: its digest does not match its content",
    ]


def test_missing_and_unknown_sources(harbour, tmp_path, capsys):
    pdf = build(harbour)[0]
    capsys.readouterr()
    assert run("verify", pdf, "--project", NK_PROJECT) == 1
    assert (
        "note 1: harbour-ferry unknown source: the project's catalog has no such source"
        in capsys.readouterr().out
    )
    other = tmp_path / "other"
    (other / "seeds").mkdir(parents=True)
    assert (
        run(
            "--root",
            other,
            "seeds",
            "add",
            CAPTURES / "harbour-ferry-corrected.html",
            "--id",
            "harbour-ferry",
        )
        == 0
    )
    capsys.readouterr()
    assert run("--root", other, "verify", pdf) == 1
    assert (
        "note 1: harbour-ferry missing: the text the brief was checked against (sha256 "
        in capsys.readouterr().out
    )


def test_a_brief_of_text_sources_verifies(project, monkeypatch, capsys):
    monkeypatch.chdir(project)
    assert run("build", "--format", "pdf") == 0
    capsys.readouterr()
    assert run("verify", project / "build" / "north-korea-troops-russia.pdf") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(" holds" in line for line in lines)


def test_the_record_names_the_commit_of_a_committed_sheet(harbour, capsys):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git = ["git", "-c", "user.name=Desk", "-c", "user.email=desk@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=harbour, check=True)
    subprocess.run([*git, "add", "."], cwd=harbour, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "Harbour sheet"], cwd=harbour, check=True)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=harbour, capture_output=True, text=True
    ).stdout.strip()
    record = json.loads(read_record(build(harbour)[0].read_bytes()))
    assert record["sheet"]["commit"] == head
    sheet = harbour / "factsheets" / "harbour.yaml"
    sheet.write_text(
        sheet.read_text("utf-8").replace("Harbour night ferry", "Harbour night ferries"), "utf-8"
    )
    record = json.loads(read_record(build(harbour, "edited")[0].read_bytes()))
    assert "commit" not in record["sheet"]  # an uncommitted edit is not that commit
    capsys.readouterr()
    assert run("verify", harbour / "build" / "harbour.pdf") == 0
    assert "factsheets/harbour.yaml has changed since this brief was built" in capsys.readouterr().out


def test_the_docx_with_its_record_passes_the_ooxml_validator(harbour):
    audit = pytest.importorskip("openxml_audit")
    docx = build(harbour)[1]
    result = audit.OpenXmlValidator(max_errors=20).validate(str(docx))
    assert result.is_valid, [str(e) for e in result.errors]
    with zipfile.ZipFile(docx) as archive:
        assert "customXml/itemProps1.xml" in archive.namelist()


def test_a_resealed_record_of_the_wrong_shape_is_refused_in_one_line(harbour, capsys):
    from factsheet.pipeline.provenance import sealed
    from factsheet.writers.embedded import html_block

    html = build(harbour)[2]
    record = json.loads(read_record(html.read_bytes()))
    record["notes"][0]["sources"][0]["passages"] = [{"start": "the beginning", "end": None}]
    forged = harbour / "forged.html"
    page = html.read_text("utf-8")
    block = re.search(r'<script type="application/json".*?</script>', page, re.S).group()
    forged.write_text(page.replace(block, html_block(json.dumps(sealed(record)))), "utf-8")
    capsys.readouterr()
    assert run("verify", forged) == 1
    assert capsys.readouterr().out == (
        f"{forged}: the provenance record is not a factsheet-provenance/1 record; it was altered or damaged\n"
    )


@pytest.mark.parametrize("digits", [40, 64])
def test_a_sheets_git_id_is_computed_as_git_computes_it(tmp_path, digits):
    from factsheet.pipeline.provenance import blob_id

    if shutil.which("git") is None:
        pytest.skip("git is missing")
    fmt = "sha1" if digits == 40 else "sha256"
    if subprocess.run(["git", "init", "-q", f"--object-format={fmt}", str(tmp_path)], check=False).returncode:
        pytest.skip(f"this git makes no {fmt} repositories")
    for data in (b"", b"title: x\n", "claims: \u201cquoted\u201d\r\n".encode() * 500):
        git = subprocess.run(
            ["git", "-C", str(tmp_path), "hash-object", "--stdin"],
            input=data,
            capture_output=True,
            check=True,
        )
        assert blob_id(data, digits) == git.stdout.decode().strip()
    assert blob_id(b"x", 12) is None
