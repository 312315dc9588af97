"""The Word redline: native w:ins/w:del revisions that accept to the new sheet and reject to the old."""

from __future__ import annotations

import copy
import io
import zipfile

from lxml import etree

from diffkit import SMALL, claim_index, commit, edit, libreoffice_changes, need_soffice, repo, run  # noqa: F401 (repo is a fixture)
from factsheet.diff.compare import compare
from factsheet.diff.load import read_side
from factsheet.diff.redline import redline_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def at(claim_id, *rest):
    return ("claims", claim_index(SMALL, claim_id), *rest)


GONE = ("  - id: gone\n    section: denials\n    text: A claim that is dropped.\n    status: reported\n"
        "    attribution: {who: Nobody, on_record: false}\n"
        "    citations:\n      - {source: sk, quote: \"dropped\"}\n")
OLD = SMALL + GONE


def changed() -> str:
    """OLD with a figure, a quote and an attribution edited, a claim renamed, one added, one removed."""
    new = edit(SMALL, at("troops-sent", "figures", 0, "value"), 14000)
    new = edit(new, at("training", "citations", 0, "quote"), "several thousand North Korean soldiers are being trained")
    new = edit(new, at("troops-sent", "attribution", "who"), "Seoul's intelligence service")
    new = new.replace("  - id: hoax\n", "  - id: kremlin-hoax\n")
    return new + ("  - id: aid\n    section: denials\n    text: Russia sent coal and food.\n    status: reported\n"
                  "    attribution: {who: Matsegora, on_record: true}\n"
                  "    citations:\n      - {source: sk, quote: \"coal, food and medicine\"}\n")


def build(old_text: str, new_text: str, **kw) -> bytes:
    old, new = read_side(old_text, "old.yaml").sheet, read_side(new_text, "new.yaml").sheet
    return redline_docx(old, new, compare(old, new, "old.yaml", "new.yaml"), **kw)


def body(data: bytes):
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")).find("w:body", NS)


def paragraphs(root, keep: str) -> list[str]:
    """Return the text of each paragraph once every change is accepted (keep="ins") or rejected (keep="del")."""
    root = copy.deepcopy(root)
    drop = "del" if keep == "ins" else "ins"
    out = []
    for p in root.iterfind("w:p", NS):
        mark = p.find(f"w:pPr/w:rPr/w:{drop}", NS)
        if mark is not None:
            continue  # the whole paragraph goes
        for el in p.findall(f".//w:{drop}", NS):
            el.getparent().remove(el)
        out.append("".join(t.text or "" for t in p.iter(f"{{{W}}}t", f"{{{W}}}delText")))
    return [t for t in out if not t.startswith("Redline of ")]  # the line that counts the changes


def test_revisions_are_native_and_signed():
    root = body(build(OLD, changed()))
    ins, dels = root.findall(".//w:ins", NS), root.findall(".//w:del", NS)
    assert ins and dels
    for mark in ins + dels:
        assert mark.get(f"{{{W}}}author") == "factsheet"
        assert mark.get(f"{{{W}}}date") == "2025-02-28T00:00:00Z"
    ids = [m.get(f"{{{W}}}id") for m in ins + dels]
    assert len(ids) == len(set(ids))
    deleted = {"".join(m.itertext()) for m in dels}
    inserted = {"".join(m.itertext()) for m in ins}
    assert {"11,000 soldiers (as of 2024)", "South Korean intelligence", "infantry", "hoax"} <= deleted
    assert {"14,000 soldiers (as of 2024)", "Seoul's intelligence service", "soldiers", "kremlin-hoax"} <= inserted
    assert all(m.find("w:r/w:delText", NS) is not None for m in dels if len(m))


def test_accept_all_gives_the_new_sheet_and_reject_all_the_old():
    old_text, new_text = OLD, changed()
    root = body(build(old_text, new_text))
    assert paragraphs(root, "ins") == paragraphs(body(build(new_text, new_text)), "ins")
    assert paragraphs(root, "del") == paragraphs(body(build(old_text, old_text)), "ins")


def test_added_claim_is_a_wholly_inserted_paragraph_run():
    root = body(build(OLD, changed()))
    marked = [p for p in root.iterfind("w:p", NS) if p.find("w:pPr/w:rPr/w:ins", NS) is not None]
    texts = ["".join(p.itertext()) for p in marked]
    assert texts[0] == "aid" and "Russia sent coal and food." in texts
    removed = [p for p in root.iterfind("w:p", NS) if p.find("w:pPr/w:rPr/w:del", NS) is not None]
    assert ["".join(p.itertext()) for p in removed][:2] == ["gone", "A claim that is dropped."]


def test_unchanged_sheet_has_no_revisions_and_bytes_are_reproducible():
    same = build(SMALL, SMALL)
    assert body(same).find(".//w:ins", NS) is None and body(same).find(".//w:del", NS) is None
    assert build(OLD, changed()) == build(OLD, changed())


def test_author_and_source_date_epoch():
    root = body(build(OLD, changed(), author="Foreign desk", environ={"SOURCE_DATE_EPOCH": "1740787200"}))
    mark = root.find(".//w:ins", NS)
    assert mark.get(f"{{{W}}}author") == "Foreign desk"
    assert mark.get(f"{{{W}}}date") == "2025-03-01T00:00:00Z"


def test_track_changes_stays_on_for_further_edits():
    settings = zipfile.ZipFile(io.BytesIO(build(OLD, changed()))).read("word/settings.xml")
    assert b"<w:trackRevisions/>" in settings


def test_cli_writes_the_redline(tmp_path):
    (tmp_path / "old.yaml").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(changed(), encoding="utf-8")
    done = run("diff", "old.yaml", "new.yaml", "--docx", "red.docx", "--author", "Desk", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "wrote red.docx" in done.stderr
    assert body((tmp_path / "red.docx").read_bytes()).find(".//w:ins", NS).get(f"{{{W}}}author") == "Desk"


def test_libreoffice_sees_tracked_changes(tmp_path):
    need_soffice()
    path = tmp_path / "redline.docx"
    path.write_bytes(build(OLD, changed()))
    changes = libreoffice_changes(path, tmp_path)
    assert changes, "LibreOffice found no tracked changes"
    assert {c["author"] for c in changes} == {"factsheet"}
    assert {c["date"][:10] for c in changes} == {"2025-02-28"}
    deletions = {c["text"] for c in changes if c["kind"] == "deletion"}
    insertions = {c["text"] for c in changes if c["kind"] == "insertion"}
    assert {"11,000 soldiers (as of 2024)", "South Korean intelligence", "infantry"} <= deletions
    assert {"14,000 soldiers (as of 2024)", "Seoul's intelligence service", "soldiers"} <= insertions
    assert ("hoax" in deletions) and ("kremlin-hoax" in insertions)  # the rename
    assert any(t.startswith("aid") and "Russia sent coal and food." in t for t in insertions)
    assert any(t.startswith("gone\nA claim that is dropped.") for t in deletions)


def test_docx_needs_exactly_one_sheet_in_git_mode(repo):
    (repo / "factsheets" / "a.yaml").write_text(SMALL, encoding="utf-8")
    (repo / "factsheets" / "b.yaml").write_text(SMALL, encoding="utf-8")
    commit(repo, "two sheets")
    for name in ("a.yaml", "b.yaml"):
        (repo / "factsheets" / name).write_text(changed(), encoding="utf-8")
    done = run("diff", "--docx", "x.docx", cwd=repo)
    assert done.returncode == 2 and "--docx: expected exactly one fact sheet" in done.stderr
    done = run("diff", "--docx", "x.docx", "factsheets/a.yaml", cwd=repo)
    assert done.returncode == 1 and (repo / "x.docx").exists()
