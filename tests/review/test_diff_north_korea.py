"""The acceptance scenario: one figure, one quote and one attribution edited in the North Korea
sheet and committed give exactly those three changes in every view, and as tracked changes in Word."""

from __future__ import annotations

import json
import shutil

import pytest

from diffkit import NK_SHEET, commit, edit, git, libreoffice_changes, need_soffice, repo, run  # noqa: F401 (repo is a fixture)
from factsheet.review.compare import describe_figure
from factsheet.sources.loading import load_text
from factsheet.sources.model import Figure, PartialDate

SHEET = "factsheets/north-korea-troops-russia.yaml"


def _figure(d: dict) -> Figure:
    return Figure(
        metric=d["metric"],
        unit=d["unit"],
        value=d.get("value"),
        low=d.get("low"),
        high=d.get("high"),
        qualifier=d.get("qualifier"),
        as_of=PartialDate.of(d.get("as_of")),
    )


def plan(text: str) -> dict:
    """Choose three claims of the sheet and what to change in each; return the edits and expected values."""
    claims = load_text(text, "nk.yaml").data["claims"]
    numeric = [
        (i, j)
        for i, c in enumerate(claims)
        for j, f in enumerate(c.get("figures") or ())
        if isinstance(f.get("value"), int)
    ]
    preferred = [(i, j) for i, j in numeric if claims[i]["figures"][j]["metric"] == "troops_sent"]
    fi, fj = (preferred or numeric)[0]
    figure = claims[fi]["figures"][fj]
    qi = next(i for i, c in enumerate(claims) if i != fi and c.get("citations"))
    ai = next(i for i, c in enumerate(claims) if i not in (fi, qi))
    quote = claims[qi]["citations"][0]
    who = claims[ai]["attribution"]["who"]
    new_figure = {**figure, "value": figure["value"] + 3000}
    first, rest = quote["quote"].split(" ", 1)
    new_quote = f"{first} reportedly {rest}"
    return {
        "figure": (("claims", fi, "figures", fj, "value"), figure["value"] + 3000),
        "quote": (("claims", qi, "citations", 0, "quote"), new_quote),
        "who": (("claims", ai, "attribution", "who"), who + ", quoted by AFP"),
        "ids": (claims[fi]["id"], claims[qi]["id"], claims[ai]["id"]),
        "metric": figure["metric"],
        "figure_text": (describe_figure(_figure(figure)), describe_figure(_figure(new_figure))),
        "source": quote["source"],
        "quote_text": (quote["quote"], new_quote),
        "who_text": (who, who + ", quoted by AFP"),
    }


@pytest.fixture
def nk(repo):
    """Return (repo, plan): the sheet committed as is, then committed again with the three edits."""
    shutil.copy(NK_SHEET, repo / SHEET)
    assert run("git-setup", cwd=repo).returncode == 0
    commit(repo, "North Korea sheet as published")
    text = (repo / SHEET).read_text(encoding="utf-8")
    p = plan(text)
    for key in ("figure", "quote", "who"):
        text = edit(text, *p[key])
    (repo / SHEET).write_text(text, encoding="utf-8")
    commit(repo, "Edit a figure, a quote and an attribution")
    return repo, p


def test_terminal_shows_exactly_the_three_changes(nk):
    repo, p = nk
    done = run("diff", "--rev", "HEAD~1..HEAD", cwd=repo)
    assert done.returncode == 1, done.stdout + done.stderr
    fig_id, quote_id, who_id = p["ids"]
    old_fig, new_fig = p["figure_text"]
    lines = done.stdout.splitlines()
    assert lines[0] == f"diff HEAD~1:{SHEET} HEAD:{SHEET}"
    assert lines[-1] == "3 claims changed, 0 added, 0 removed, 0 renamed; 0 sheet fields changed"
    body = lines[1:-1]
    assert len(body) == 6
    assert f"changed {fig_id}" in body and f"changed {who_id}" in body and f"changed {quote_id}" in body
    assert f"  figures.{p['metric']}: {old_fig} → {new_fig}" in body
    assert f"  attribution.who: {p['who_text'][0]} → {p['who_text'][1]}" in body
    quote_line = next(l for l in body if l.startswith("  quote ("))
    assert quote_line.startswith(f"  quote ({p['source']}): “")
    assert (
        quote_line
        == f"  quote ({p['source']}): “{p['quote_text'][1].replace('reportedly', '{+reportedly+}')}”"
    )


def test_markdown_shows_exactly_the_three_changes(nk):
    repo, p = nk
    done = run("diff", "--rev", "HEAD~1..HEAD", "--format", "markdown", cwd=repo)
    assert done.returncode == 1
    headings = [l for l in done.stdout.splitlines() if l.startswith("#### ")]
    assert sorted(headings) == sorted(f"#### Changed: `{i}`" for i in p["ids"])
    bullets = [l for l in done.stdout.splitlines() if l.startswith("- ")]
    assert len(bullets) == 3
    assert any(b.startswith(f"- `figures.{p['metric']}`: [-~~") for b in bullets)
    assert any(b.startswith("- **quote**") and "{+ **reportedly**+}" in b for b in bullets)
    assert any(b.startswith("- `attribution.who`: [-~~") for b in bullets)


def test_json_shows_exactly_the_three_changes(nk):
    repo, p = nk
    done = run("diff", "--rev", "HEAD~1..HEAD", "--format", "json", cwd=repo)
    assert done.returncode == 1
    (f,) = json.loads(done.stdout)["files"]
    assert f["counts"] == {"added": 0, "removed": 0, "changed": 3, "renamed": 0, "sheet": 0}
    got = {
        c["id"]: [(x["field"], x["change"], x["old"], x["new"]) for x in c["changes"]] for c in f["claims"]
    }
    fig_id, quote_id, who_id = p["ids"]
    assert got == {
        fig_id: [(f"figures.{p['metric']}", "changed", *p["figure_text"])],
        quote_id: [("citations", "changed", *p["quote_text"])],
        who_id: [("attribution.who", "changed", *p["who_text"])],
    }


def test_git_diff_and_log_show_exactly_the_three_changes(nk):
    repo, p = nk
    for out in (
        git(repo, "diff", "HEAD~1", "HEAD").stdout,
        git(repo, "log", "-p", "-1", "--format=%s").stdout,
    ):
        minus = [l for l in out.splitlines() if l.startswith("-") and not l.startswith("---")]
        plus = [l for l in out.splitlines() if l.startswith("+") and not l.startswith("+++")]
        assert sorted(minus) == sorted(
            [
                f"-  figures.{p['metric']}: {p['figure_text'][0]}",
                f"-  quote {p['source']}: {p['quote_text'][0]}",
                f"-  attribution.who: {p['who_text'][0]}",
            ]
        )
        assert sorted(plus) == sorted(
            [
                f"+  figures.{p['metric']}: {p['figure_text'][1]}",
                f"+  quote {p['source']}: {p['quote_text'][1]}",
                f"+  attribution.who: {p['who_text'][1]}",
            ]
        )


def _briefs(repo):
    """Return the old and new dossier (Documents) of the committed sheet, as factsheet build makes them.

    The redline tests use the full record, where every claim is printed with its quotes.
    """
    from factsheet.review.load import read_side
    from factsheet.review.redline import brief
    from factsheet.project import Project

    old = read_side(git(repo, "show", f"HEAD~1:{SHEET}").stdout, "old").sheet
    new = read_side((repo / SHEET).read_text(encoding="utf-8"), "new").sheet
    return brief(Project(repo), old, "old", "dossier"), brief(Project(repo), new, "new", "dossier")


def _spot_kind(accepted: str, rejected: str, p: dict, charts: set[str]) -> str:
    """Name the edit a changed place of the brief comes from, or "" when it comes from none."""
    old_number, new_number = (t.split(" ")[0] for t in p["figure_text"])  # "11,000", "14,000"
    old_quote, new_quote = p["quote_text"]
    old_who, new_who = p["who_text"]
    if (accepted or rejected) in charts:
        return "chart"
    if (
        old_number in rejected
        and new_number in accepted
        and accepted.replace(new_number, old_number) == rejected
    ):
        return "figure"
    if f"“{old_quote}”" in rejected and f"“{new_quote}”" in accepted:
        return "quote"
    if new_who in accepted and (old_who in rejected or not rejected):
        return "attribution"
    return ""


def test_redline_is_the_new_brief_with_exactly_the_changed_places_marked(nk, tmp_path):
    from factsheet.writers.docx import write_docx
    from test_redline import marked_spots, revisions, views

    repo, p = nk
    done = run(
        "diff",
        "--rev",
        "HEAD~1..HEAD",
        "--docx",
        tmp_path / "redline.docx",
        "--template",
        "dossier",
        cwd=repo,
    )
    assert done.returncode == 1, done.stderr
    data = (tmp_path / "redline.docx").read_bytes()
    old_brief, new_brief = _briefs(repo)
    # every change is marked: accepting all gives the new brief, rejecting all the old one
    assert views(data, "ins") == views(write_docx(new_brief))
    assert views(data, "del") == views(write_docx(old_brief))
    assert {
        m.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}author") for m in revisions(data)
    } == {"factsheet"}
    # nothing else is: each marked place changed, and comes from one of the three edits
    charts = {
        t
        for d in (old_brief, new_brief)
        for b in d.blocks
        if type(b).__name__ == "Chart"
        for t in (b.title, b.alt_text, "".join(getattr(i, "text", "") for i in b.caption))
    }
    spots = marked_spots(data)
    assert all(accepted != rejected for accepted, rejected in spots)
    kinds = [_spot_kind(accepted, rejected, p, charts) for accepted, rejected in spots]
    who_claim = load_text((repo / SHEET).read_text(encoding="utf-8"), "nk.yaml").data["claims"]
    who_text = next(c["text"] for c in who_claim if c["id"] == p["ids"][2])
    for (accepted, rejected), kind in zip(spots, kinds):
        # the attribution also moves its claim out of the old speaker's row of "Who says what"
        assert kind or (who_text in rejected and who_text not in accepted), (accepted, rejected)
    assert kinds.count("figure") >= 2  # key figures and figures at a glance
    assert kinds.count("quote") == 1  # the quote is printed once, in the note of the claim's paragraph
    assert kinds.count("attribution") >= 1
    assert "chart" in kinds  # the chart of the figure's topic is redrawn


def test_redline_has_the_three_changes_as_tracked_changes_in_libreoffice(nk, tmp_path):
    need_soffice()
    repo, p = nk
    done = run(
        "diff",
        "--rev",
        "HEAD~1..HEAD",
        "--docx",
        tmp_path / "redline.docx",
        "--template",
        "dossier",
        cwd=repo,
    )
    assert done.returncode == 1, done.stderr
    changes = libreoffice_changes(tmp_path / "redline.docx", tmp_path)
    assert {c["author"] for c in changes} == {"factsheet"}
    deletions = [c["text"].strip() for c in changes if c["kind"] == "deletion"]
    insertions = [c["text"].strip() for c in changes if c["kind"] == "insertion"]
    old_number, new_number = (t.split(" ")[0] for t in p["figure_text"])
    assert deletions.count(old_number) >= 2 and insertions.count(new_number) >= 2
    assert any(f"“{p['quote_text'][0]}”" in t for t in deletions)  # the quote's old note
    assert any(f"“{p['quote_text'][1]}”" in t for t in insertions)  # and its new one
    assert any("quoted by AFP" in t for t in insertions)
    # only the three edits: every deleted or inserted text is the figure, the quote's note, the
    # attribution, the chart that shows the figure, or the claim whose speaker changed (a
    # marked note number cited again, or a paragraph mark, has no text of its own)
    who_claim = load_text((repo / SHEET).read_text(encoding="utf-8"), "nk.yaml").data["claims"]
    who_text = next(c["text"] for c in who_claim if c["id"] == p["ids"][2])
    for text in deletions + insertions:
        assert (
            not text
            or text in (old_number, new_number)
            or "quoted by AFP" in text
            or who_text in text
            or p["quote_text"][0] in text
            or p["quote_text"][1] in text
            or text.startswith("North Korean troops in or sent to Russia")
            or text == "Yes"
            or text == ""
        ), text  # "": the chart's old and new picture
