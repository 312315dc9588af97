"""Nothing left out in silence: the brief counts what it shows, says what the dossier holds, numbers its annex by note."""

from __future__ import annotations

import re
import textwrap

from factsheet.pipeline import build
from factsheet.project import Project
from factsheet.rendering import markup
from factsheet.rendering.document import Heading, NoteRef, Paragraph, Table, plain_text

from conftest import NK_PROJECT, NK_SHEET, run_cli

TWO_CLAIMS = textwrap.dedent(
    """\
    title: Two claims
    as_of: 2025-02
    claims:
      - id: sent
        text: South Korea said 11,000 soldiers were sent.
        status: reported
        attribution: {{who: South Korean intelligence, on_record: true}}
        figures:
          - {{metric: troops_sent, value: 11000, unit: soldiers, derived: a test figure that no quote gives}}
        citations:
          - source: skorea-3000-more-troops
            quote: "{quote}"
      - id: bare
        text: A claim with no figure, no date and no dispute.
        status: reported
        attribution: {{who: South Korean intelligence, on_record: true}}
        citations:
          - source: skorea-3000-more-troops
            quote: "{quote}"
    metrics:
      - {{id: troops_sent, label: Troops sent}}
    """
)


def _quote(project) -> str:
    sheet = build.load_sheet(Project(project), project / "factsheets" / NK_SHEET.name).sheet
    return next(
        c.quote
        for claim in sheet.claims
        for c in claim.citations
        if c.source == "skorea-3000-more-troops" and "11,000" in c.quote
    )


def _two_claim_project(project):
    quote = _quote(project).replace('"', '\\"')
    (project / "factsheets" / NK_SHEET.name).unlink()
    path = project / "factsheets" / "two.yaml"
    path.write_text(TWO_CLAIMS.format(quote=quote), encoding="utf-8")
    return path


def _paragraphs(document) -> list[str]:
    return [plain_text(b.inlines) for b in document.blocks if isinstance(b, Paragraph)]


def test_a_two_claim_sheet_says_it_shows_one_and_the_dossier_holds_the_other(project):
    path = _two_claim_project(project)
    p = Project(project)
    document = build.document_for(p, build.load_sheet(p, path))
    texts = _paragraphs(document)
    assert any(re.search(r"\b1 claim from 1 source article\b", t) for t in texts), texts
    assert "The dossier holds 1 further claim." in texts
    assert document.cited_claims == ("sent",)
    dossier = build.document_for(p, build.load_sheet(p, path), "dossier")
    assert set(dossier.cited_claims) == {"sent", "bare"}
    assert not any("further claim" in t for t in _paragraphs(dossier))


def test_check_with_a_template_lists_the_claims_it_leaves_out(project):
    path = _two_claim_project(project)
    result = run_cli("--root", project, "check", "--template", "brief", path)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "left out" in line]
    assert len(lines) == 1 and re.match(
        r".*two\.yaml:\d+:\d+: info: claim 'bare' is left out of the brief", lines[0]
    )
    plain = run_cli("--root", project, "check", path)
    assert "left out" not in plain.stdout


def test_the_brief_header_counts_the_claims_and_sources_it_shows():
    p = Project(NK_PROJECT)
    sheet = build.load_sheet(p, NK_SHEET).sheet
    document = build.document_for(p, build.load_sheet(p, NK_SHEET))
    shown, cited = len(document.cited_claims), len(document.source_notes)
    assert 0 < shown < len(sheet.claims)
    meta = next(t for t in _paragraphs(document) if t.startswith("As of "))
    assert f"{shown} claims from {cited} source articles" in meta
    assert f"The dossier holds {len(sheet.claims) - shown} further claims." in _paragraphs(document)


def _refs(inlines) -> list[list[int]]:
    """Return each run of adjacent note references as its list of numbers."""
    runs, run = [], []
    for node in [*inlines, None]:
        if isinstance(node, NoteRef):
            run.append(node.number)
        elif run:
            runs.append(run)
            run = []
    return runs


def test_note_marks_at_one_place_are_in_ascending_order_each_once():
    text = (
        '<brief><p>a<note><cite key="x"><first>X</first></cite></note></p>'
        '<p>b<note><cite key="y"><first>Y</first></cite></note><note><cite key="x"><first>X</first></cite></note>'
        '<note><cite key="y"><first>Y</first></cite></note></p></brief>'
    )
    document = markup.parse(text, "t")
    assert _refs(document.blocks[1].inlines) == [[1, 2]]
    p = Project(NK_PROJECT)
    brief = build.document_for(p, build.load_sheet(p, NK_SHEET))
    runs = []
    for block in brief.blocks:
        if isinstance(block, Paragraph):
            runs += _refs(block.inlines)
        elif isinstance(block, Table):
            runs += [r for row in block.rows for cell in row for r in _refs(cell)]
    assert runs and all(r == sorted(set(r)) for r in runs), runs


def test_annex_entries_follow_note_order_and_carry_their_note_numbers():
    p = Project(NK_PROJECT)
    brief = build.document_for(p, build.load_sheet(p, NK_SHEET))
    blocks = brief.blocks
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.plain_text == "Sources")
    entries = []
    for i, b in enumerate(blocks[start + 1 :], start + 1):
        if isinstance(b, Heading) and b.level == 3:
            meta = plain_text(blocks[i + 1].inlines)
            found = re.fullmatch(r"Notes? ([\d, ]+)(?: · .+)?", meta)
            assert found, meta
            # a separator stands only between note numbers and details
            assert not meta.endswith("·"), meta
            entries.append([int(n) for n in found.group(1).split(", ")])
    assert entries and [e[0] for e in entries] == sorted(e[0] for e in entries)
    # each entry's numbers are exactly the notes citing that article
    assert sorted(n for e in entries for n in e) == sorted(
        n for ns in brief.source_notes.values() for n in ns
    )
    assert len(entries) == len(brief.source_notes)
