"""The Word redline: the brief of the new sheet, with native w:ins/w:del revisions that
accept to the new brief and reject to the old one.

Also the helpers the other redline tests share: ``views`` resolves every change of a
DOCX (accept all or reject all) and returns its text, the way Word would show it.
"""

from __future__ import annotations

import copy
import io
import textwrap
import zipfile

import pytest
from lxml import etree

from factsheet.pipeline.build import render
from factsheet.project import Project
from factsheet.review.load import read_side
from factsheet.review.redline import brief, redline_for
from factsheet.sources.loading import load_text
from factsheet.writers.docx import write_docx

from conftest import import_or_skip
from diffkit import NK_PROJECT, REPO, commit, edit, libreoffice_changes, need_soffice, repo, run  # noqa: F401 (repo is a fixture)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# -- resolving tracked changes, as Word's "accept all" / "reject all" -----------------


def resolve(root, keep: str):
    """Return a copy of a WordprocessingML tree with every change accepted (keep="ins") or rejected ("del")."""
    root = copy.deepcopy(root)
    drop = "del" if keep == "ins" else "ins"
    for tr in list(root.iter(w("tr"))):
        if tr.find(f"w:trPr/w:{drop}", NS) is not None:
            tr.getparent().remove(tr)
    for mark in list(root.iter(w(keep))):
        parent = mark.getparent()
        if parent.tag in (w("rPr"), w("trPr")):
            parent.remove(mark)  # the paragraph mark or row stays, unmarked
            continue
        at = parent.index(mark)
        for child in reversed(list(mark)):
            parent.insert(at, child)
        parent.remove(mark)
    for mark in list(root.iter(w(drop))):
        parent = mark.getparent()
        if parent.tag == w("rPr"):  # a paragraph mark: the paragraph joins the next one
            paragraph = parent.getparent().getparent()
            parent.remove(mark)
            following = paragraph.getnext()
            content = [c for c in paragraph if c.tag != w("pPr")]
            if following is not None and following.tag == w("p"):
                at = 1 if following.find("w:pPr", NS) is not None else 0
                for child in reversed(content):
                    following.insert(at, child)
                paragraph.getparent().remove(paragraph)
            elif not "".join(t.text or "" for t in paragraph.iter(w("t"))):
                paragraph.getparent().remove(paragraph)
        elif parent.tag != w("trPr"):
            parent.remove(mark)
    return root


def _parts(data: bytes):
    z = zipfile.ZipFile(io.BytesIO(data))
    document = etree.fromstring(z.read("word/document.xml"))
    notes = etree.fromstring(z.read("word/footnotes.xml")) if "word/footnotes.xml" in z.namelist() else None
    return document, notes


def _note_texts(notes) -> dict[str, str]:
    if notes is None:
        return {}
    return {
        n.get(w("id")): "".join(t.text or "" for t in n.iter(w("t"), w("delText")))
        for n in notes.iter(w("footnote"))
    }


def _paragraph_text(p, notes: dict[str, str] | None = None) -> str:
    """Return a paragraph's text; a note reference is "^", or "^[note text]" when ``notes`` are given.

    A note cited again (a NOTEREF field to the bookmark ``_RefNoteN`` of note N's first
    reference) reads as a reference to that note, not as its cached number.
    """
    out = []
    cited, in_result = None, False
    for el in p.iter(
        w("t"), w("delText"), w("footnoteReference"), w("instrText"), w("delInstrText"), w("fldChar")
    ):
        if el.tag == w("footnoteReference"):
            out.append("^" if notes is None else f"^[{notes[el.get(w('id'))]}]")
        elif el.tag in (w("instrText"), w("delInstrText")):
            words = (el.text or "").split()
            cited = words[1].removeprefix("_RefNote") if words[:1] == ["NOTEREF"] else None
        elif el.tag == w("fldChar"):
            kind = el.get(w("fldCharType"))
            if kind == "separate" and cited is not None:
                out.append("^" if notes is None else f"^[{notes[cited]}]")
                in_result = True
            elif kind == "end":
                cited, in_result = None, False
        elif not in_result:
            out.append(el.text or "")
    return "".join(out)


def views(data: bytes, keep: str = "ins") -> tuple[list[str], list[str]]:
    """Return (paragraph texts, note texts in reference order) of a DOCX once every change is
    accepted (keep="ins") or rejected (keep="del"). Empty paragraphs are left out."""
    document, notes = _parts(data)
    document = resolve(document, keep)
    texts = _note_texts(resolve(notes, keep) if notes is not None else None)
    body = document.find("w:body", NS)
    paragraphs = [t for t in (_paragraph_text(p) for p in body.iter(w("p"))) if t]
    refs = [texts[r.get(w("id"))] for r in body.iter(w("footnoteReference"))]
    return paragraphs, refs


def marked_spots(data: bytes) -> list[tuple[str, str]]:
    """Return (accepted text, rejected text) of each place of the body that holds a change: a
    paragraph outside tables, or a table row (its cells' texts joined by " | "). A change counts
    when it is in the place itself, its row mark or one of its notes; each note's text is shown
    after its reference; a place that goes has the text ""."""
    document, notes = _parts(data)
    note_texts = {
        keep: _note_texts(resolve(notes, keep) if notes is not None else None) for keep in ("ins", "del")
    }
    marked_notes = {
        n.get(w("id"))
        for n in (notes.iter(w("footnote")) if notes is not None else ())
        if n.find(".//w:ins", NS) is not None or n.find(".//w:del", NS) is not None
    }

    def text(p, keep: str) -> str:
        one = etree.Element(w("body"))
        one.append(copy.deepcopy(p))
        kept = resolve(one, keep).find("w:p", NS)
        return "" if kept is None else _paragraph_text(kept, note_texts[keep])

    def marked(el) -> bool:
        if el.find(".//w:ins", NS) is not None or el.find(".//w:del", NS) is not None:
            return True
        return bool({r.get(w("id")) for r in el.iter(w("footnoteReference"))} & marked_notes)

    out = []
    for el in document.find("w:body", NS):
        if el.tag == w("p") and marked(el):
            out.append((text(el, "ins"), text(el, "del")))
        elif el.tag == w("tbl"):
            for row in el.iterfind("w:tr", NS):
                if not marked(row):
                    continue
                seen = []
                for keep, drop in (("ins", "del"), ("del", "ins")):
                    if row.find(f"w:trPr/w:{drop}", NS) is not None:
                        seen.append("")
                    else:
                        seen.append(" | ".join(text(p, keep) for p in row.iter(w("p"))))
                out.append(tuple(seen))
    return out


def revisions(data: bytes) -> list:
    """Return every w:ins and w:del element of the document and its notes."""
    document, notes = _parts(data)
    found = document.findall(".//w:ins", NS) + document.findall(".//w:del", NS)
    if notes is not None:
        found += notes.findall(".//w:ins", NS) + notes.findall(".//w:del", NS)
    return found


# -- a small sheet that the brief template can render ---------------------------------

SHEET = textwrap.dedent("""\
    title: Troops abroad
    dek: What was said about the troops.
    as_of: 2025-02-28
    author: Desk
    summary: Seoul counted the soldiers; Moscow denied it all.
    metrics:
      - {id: troops_sent, label: Troops sent}
    sections:
      - id: numbers
        title: How many
      - id: denials
        title: Denials
    claims:
      - id: troops-sent
        section: numbers
        text: Seoul said 11,000 soldiers were sent in autumn.
        status: reported
        attribution:
          who: South Korean intelligence
          organisation: NIS
          on_record: true
        said_on: "2025"
        figures:
          - {metric: troops_sent, value: 11000, unit: soldiers, as_of: "2024"}
        citations:
          - source: skorea-3000-more-troops
            quote: "on top of the 11,000 soldiers reported by Seoul"
      - id: training
        section: numbers
        text: Several thousand infantry were training in Russia.
        status: reported
        attribution:
          who: Unnamed official
          role: intelligence official
          on_record: false
        citations:
          - source: nk-training-wp-summary
            quote: "several thousand North Korean infantry are being trained"
          - source: isw-several-thousand-frontline
            quote: "'several thousand' North Korean infantry personnel"
      - id: hoax
        section: denials
        text: The Kremlin called the reports a hoax.
        status: denied
        attribution:
          who: Dmitry Peskov
          role: Kremlin spokesman
          on_record: true
        citations:
          - source: isw-several-thousand-frontline
            quote: "dismissed claims as a hoax"
        contradicts: [training]
    """)

GONE = (
    "  - id: gone\n    section: denials\n    text: A claim that is dropped.\n    status: reported\n"
    "    attribution: {who: Nobody, on_record: false}\n"
    '    citations:\n      - {source: zelenskyy-nk-contingent, quote: "dropped"}\n'
)
OLD = SHEET + GONE


def at(text: str, claim_id: str, *rest) -> tuple:
    claims = load_text(text, "x.yaml").data["claims"]
    return ("claims", next(i for i, c in enumerate(claims) if c["id"] == claim_id), *rest)


def changed() -> str:
    """SHEET with a figure, a quote and an attribution edited, a claim renamed and one added (OLD also has 'gone')."""
    new = edit(SHEET, at(SHEET, "troops-sent", "figures", 0, "value"), 14000)
    new = edit(
        new,
        at(new, "training", "citations", 0, "quote"),
        "several thousand North Korean soldiers are being trained",
    )
    new = edit(new, at(new, "troops-sent", "attribution", "who"), "Seoul's intelligence service")
    new = new.replace("  - id: hoax\n", "  - id: kremlin-hoax\n")
    return new + (
        "  - id: aid\n    section: denials\n    text: Russia sent coal and food.\n    status: reported\n"
        "    attribution: {who: Matsegora, on_record: true}\n"
        '    citations:\n      - {source: zelenskyy-nk-contingent, quote: "coal, food and medicine"}\n'
    )


PROJECT = Project(NK_PROJECT)


def sheet(text: str):
    return read_side(text, "x.yaml").sheet


#: The full record: every claim of the small sheet shows, so every edit is marked somewhere.
TEMPLATE = "dossier"


def build(old_text: str | None, new_text: str | None, **kw) -> bytes:
    kw.setdefault("template", TEMPLATE)
    return render(
        redline_for(old_text and sheet(old_text), new_text and sheet(new_text), PROJECT, **kw), "docx"
    )


def plain(text: str) -> bytes:
    """Return the dossier of ``text`` as ``factsheet build`` writes it (quotes not verified)."""
    return write_docx(brief(PROJECT, sheet(text), "x.yaml", TEMPLATE))


# -- tests ------------------------------------------------------------------------


def test_the_redline_is_the_brief_with_native_signed_revisions():
    data = build(OLD, changed())
    marks = revisions(data)
    assert {m.tag for m in marks} == {w("ins"), w("del")}
    for mark in marks:
        assert mark.get(w("author")) == "factsheet"
        assert mark.get(w("date")) == "2025-02-28T00:00:00Z"
    ids = [m.get(w("id")) for m in marks]
    assert len(ids) == len(set(ids)), "revision ids must be unique across the document and its notes"
    for mark in marks:
        if mark.tag == w("del") and mark.getparent().tag not in (w("rPr"), w("trPr")):
            assert mark.find(".//w:t", NS) is None  # deleted text is w:delText
    headings = [p for p in views(data)[0] if p in ("How many", "Denials", "Key figures", "Who says what")]
    assert headings == ["How many", "Denials", "Key figures", "Who says what"]  # the brief's own sections


def test_accept_all_gives_the_new_brief_and_reject_all_the_old_one():
    data = build(OLD, changed())
    assert views(data, "ins") == views(plain(changed()))
    assert views(data, "del") == views(plain(OLD))
    assert views(plain(changed())) != views(plain(OLD))


def test_changes_are_marked_word_by_word_where_they_appear_in_the_brief():
    pairs = marked_spots(build(OLD, changed()))
    assert all(new != old for new, old in pairs), "a place is marked that did not change"
    by_new = dict(pairs)
    # the figure: key figures and figures at a glance, 11,000 → 14,000, and the attribution beside it
    figures = [(new, old) for new, old in pairs if "Troops sent" in new]
    assert figures and all("14,000 soldiers" in new and "11,000 soldiers" in old for new, old in figures)
    # the renamed claim changes nothing in the brief (ids are not printed); the added one is inserted
    assert any("Russia sent coal and food." in new and not old for new, old in pairs)
    assert any("A claim that is dropped." in old and not new for new, old in pairs)
    # the edited quote: the reference's note is replaced
    quote = [(new, old) for new, old in pairs if "North Korean soldiers are being trained" in new]
    assert quote and all("North Korean infantry are being trained" in old for _, old in quote)
    assert by_new  # pairs are (accepted, rejected)


def test_word_level_marks_hold_only_what_changed():
    document, _ = _parts(build(OLD, changed()))
    inserted = {"".join(m.itertext()) for m in document.iter(w("ins")) if len(m)}
    deleted = {"".join(m.itertext()) for m in document.iter(w("del")) if len(m)}
    assert "14,000" in inserted and "11,000" in deleted
    # "South Korean intelligence" → "Seoul's intelligence service", word by word
    assert {"Seoul’s", " service"} <= inserted and "South Korean" in deleted
    assert not any("intelligence" in t for t in inserted | deleted)


def test_unchanged_sheet_gives_the_brief_itself_with_track_changes_on():
    same = build(SHEET, SHEET)
    assert revisions(same) == []
    redline, built = zipfile.ZipFile(io.BytesIO(same)), zipfile.ZipFile(io.BytesIO(plain(SHEET)))
    for part in ("word/document.xml", "word/footnotes.xml", "word/styles.xml"):
        assert redline.read(part) == built.read(part)
    assert b"<w:trackRevisions/>" in redline.read("word/settings.xml")
    assert b"trackRevisions" not in built.read("word/settings.xml")


def test_same_input_gives_the_same_bytes():
    assert build(OLD, changed()) == build(OLD, changed())


def test_author_and_source_date_epoch():
    data = build(OLD, changed(), author="Foreign desk", epoch="1740787200")
    assert {(m.get(w("author")), m.get(w("date"))) for m in revisions(data)} == {
        ("Foreign desk", "2025-03-01T00:00:00Z")
    }


def test_a_new_sheet_is_wholly_inserted_and_a_deleted_one_wholly_deleted():
    added = build(None, SHEET)
    assert views(added, "ins") == views(plain(SHEET))
    assert views(added, "del") == ([], [])
    removed = build(SHEET, None)
    assert views(removed, "del") == views(plain(SHEET))
    assert views(removed, "ins") == ([], [])


def test_the_redline_passes_the_validator(tmp_path):
    audit = import_or_skip("openxml_audit", "openxml-audit is not installed")
    path = tmp_path / "redline.docx"
    path.write_bytes(build(OLD, changed()))
    result = audit.OpenXmlValidator(max_errors=20).validate(str(path))
    assert result.is_valid, [str(e) for e in result.errors]


def test_a_source_missing_from_the_catalog_is_named():
    with pytest.raises(Exception, match="cites source 'nowhere', not in"):
        build(SHEET, SHEET.replace("source: skorea-3000-more-troops", "source: nowhere"))


def test_redline_document_is_a_valid_model_document():
    from factsheet.rendering.validate import check_notes

    doc = redline_for(sheet(OLD), sheet(changed()), PROJECT, template=TEMPLATE)
    check_notes(doc)  # notes 1..N in reading order, each referenced once
    assert doc.revision_author == "factsheet" and doc.revision_date.startswith("2025-02-28")


# -- the command --------------------------------------------------------------------


def test_cli_writes_the_redline(repo):
    (repo / "old.yaml").write_text(OLD, encoding="utf-8")
    (repo / "new.yaml").write_text(changed(), encoding="utf-8")
    done = run("diff", "old.yaml", "new.yaml", "--docx", "red.docx", "--author", "Desk", cwd=repo)
    assert done.returncode == 1, done.stderr
    assert "wrote red.docx" in done.stderr and "template 'brief'" in done.stderr
    data = (repo / "red.docx").read_bytes()
    assert {m.get(w("author")) for m in revisions(data)} == {"Desk"}
    assert views(data, "ins") == views(write_docx(brief(PROJECT, sheet(changed()), "x.yaml")))


def test_cli_honours_template(repo):
    (repo / "templates" / "short.xml.j2").write_text(
        textwrap.dedent("""\
        <brief title="{{ sheet.title }}" date="{{ sheet.as_of.isoformat() }}">
        <h1>{{ sheet.title }}</h1>
        {% for claim in sheet.claims %}<p>{{ claim.text }}</p>
        {% endfor %}</brief>
        """),
        encoding="utf-8",
    )
    (repo / "old.yaml").write_text(OLD, encoding="utf-8")
    (repo / "new.yaml").write_text(changed(), encoding="utf-8")
    done = run("diff", "old.yaml", "new.yaml", "--docx", "red.docx", "--template", "short", cwd=repo)
    assert done.returncode == 1, done.stderr
    data = (repo / "red.docx").read_bytes()
    assert views(data, "ins")[0] == [
        "Troops abroad",
        "Seoul said 11,000 soldiers were sent in autumn.",
        "Several thousand infantry were training in Russia.",
        "The Kremlin called the reports a hoax.",
        "Russia sent coal and food.",
    ]
    assert views(data, "del")[0][-1] == "A claim that is dropped."
    done = run("diff", "old.yaml", "new.yaml", "--docx", "red2.docx", "--template", "nope", cwd=repo)
    assert done.returncode == 2 and "no template 'nope'" in done.stderr
    assert not (repo / "red2.docx").exists()


def test_cli_needs_a_project_and_known_sources(tmp_path, repo):
    (tmp_path / "old.yaml").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(changed(), encoding="utf-8")
    done = run("diff", "old.yaml", "new.yaml", "--docx", "red.docx", cwd=tmp_path)
    assert done.returncode == 2 and "--docx: the redline is the brief" in done.stderr
    done = run(
        "diff",
        str(tmp_path / "old.yaml"),
        str(tmp_path / "new.yaml"),
        "--docx",
        "red.docx",
        cwd=tmp_path,
        env={"FACTSHEET_ROOT": str(repo)},
    )
    assert done.returncode == 1, done.stderr
    (repo / "bad.yaml").write_text(
        SHEET.replace("source: isw-several-thousand-frontline", "source: isw"), encoding="utf-8"
    )
    done = run("diff", str(tmp_path / "old.yaml"), "bad.yaml", "--docx", "red.docx", cwd=repo)
    assert done.returncode == 2 and "cites source 'isw'" in done.stderr


def test_a_sheet_the_template_cannot_render_is_trouble(repo):
    (repo / "old.yaml").write_text(SHEET, encoding="utf-8")
    (repo / "new.yaml").write_text(SHEET.replace("as_of: 2025-02-28\n", ""), encoding="utf-8")
    done = run("diff", "old.yaml", "new.yaml", "--docx", "red.docx", cwd=repo)
    assert done.returncode == 2, done.stderr
    assert "--docx: cannot render the brief of new.yaml: templates/brief.xml.j2:" in done.stderr
    assert not (repo / "red.docx").exists()


def test_docx_needs_exactly_one_sheet_in_git_mode(repo):
    (repo / "factsheets" / "a.yaml").write_text(SHEET, encoding="utf-8")
    (repo / "factsheets" / "b.yaml").write_text(SHEET, encoding="utf-8")
    commit(repo, "two sheets")
    for name in ("a.yaml", "b.yaml"):
        (repo / "factsheets" / name).write_text(changed(), encoding="utf-8")
    done = run("diff", "--docx", "x.docx", cwd=repo)
    assert done.returncode == 2 and "--docx: expected exactly one fact sheet" in done.stderr
    done = run(
        "diff", "--rev", "HEAD", "--docx", "x.docx", "factsheets/a.yaml", "--template", TEMPLATE, cwd=repo
    )
    assert done.returncode == 1 and (repo / "x.docx").exists()
    assert views((repo / "x.docx").read_bytes(), "del") == views(plain(SHEET))


# -- LibreOffice ---------------------------------------------------------------------


def test_libreoffice_sees_the_tracked_changes(tmp_path):
    need_soffice()
    path = tmp_path / "redline.docx"
    data = build(OLD, changed())
    path.write_bytes(data)
    changes = libreoffice_changes(path, tmp_path)
    assert changes, "LibreOffice found no tracked changes"
    assert {c["author"] for c in changes} == {"factsheet"}
    assert {c["date"][:10] for c in changes} == {"2025-02-28"}
    deletions = [c["text"] for c in changes if c["kind"] == "deletion"]
    insertions = [c["text"] for c in changes if c["kind"] == "insertion"]
    assert "11,000" in deletions and "14,000" in insertions
    assert "South Korean" in deletions and "Seoul’s" in insertions and " service" in insertions
    assert any("North Korean infantry are being trained" in t for t in deletions)  # the old note
    assert any("North Korean soldiers are being trained" in t for t in insertions)  # the new one
    assert any("A claim that is dropped." in t for t in deletions)
    assert any("Russia sent coal and food." in t for t in insertions)
    # every change LibreOffice lists is one the redline made
    written = {"".join(m.itertext()) for m in revisions(data)}
    for change in changes:
        text = change["text"].replace("\n", "")
        assert not text or any(part and part in text for part in written), change


def _page_size(data: bytes) -> tuple[str, str]:
    document, _ = _parts(data)
    size = document.find(".//w:sectPr/w:pgSz", NS)
    return size.get(w("w")), size.get(w("h"))


@pytest.mark.parametrize("deleted", [False, True], ids=["edited", "deleted"])
def test_the_redline_keeps_the_sheets_paper(deleted):
    on_letter = {"author: Desk\n": "author: Desk\nsettings:\n  paper: letter\n"}
    letter, new = (text.replace(*next(iter(on_letter.items()))) for text in (SHEET, changed()))
    assert "paper: letter" in letter and "paper: letter" in new
    data = build(letter, None) if deleted else build(letter, new)
    assert _page_size(plain(letter)) == ("12240", "15840")  # US Letter, in twips
    assert _page_size(data) == _page_size(plain(letter))
    assert _page_size(build(SHEET, changed())) == ("11906", "16838")  # A4 stays A4


@pytest.mark.parametrize("template", ["brief", "dossier"])
def test_a_sheet_under_review_without_a_title_prints_no_placeholder(template):
    """A draft's missing title is left blank in its brief, never written as "None"."""
    untitled = brief(PROJECT, sheet(OLD.replace("title: Troops abroad\n", "")), "x.yaml", template)
    texts = [
        untitled.title,
        untitled.footer or "",
        *(b.plain_text for b in untitled.blocks if hasattr(b, "plain_text")),
    ]
    assert texts and not [t for t in texts if "None" in t]
    titled = brief(PROJECT, sheet(OLD), "x.yaml", template)
    assert titled.title == "Troops abroad"
