"""The acceptance scenario: one figure, one quote and one attribution edited in the North Korea
sheet and committed give exactly those three changes in every view, and as tracked changes in Word."""

from __future__ import annotations

import json
import shutil

import pytest

from diffkit import NK_SHEET, commit, edit, git, libreoffice_changes, need_soffice, repo, run  # noqa: F401 (repo is a fixture)
from factsheet.diff.compare import describe_figure
from factsheet.loading import load_text
from factsheet.model import Figure, PartialDate

SHEET = "factsheets/north-korea-troops-russia.yaml"


def _figure(d: dict) -> Figure:
    return Figure(metric=d["metric"], unit=d["unit"], value=d.get("value"), low=d.get("low"),
                  high=d.get("high"), qualifier=d.get("qualifier"), as_of=PartialDate.of(d.get("as_of")))


def plan(text: str) -> dict:
    """Choose three claims of the sheet and what to change in each; return the edits and expected values."""
    claims = load_text(text, "nk.yaml").data["claims"]
    numeric = [(i, j) for i, c in enumerate(claims) for j, f in enumerate(c.get("figures") or ())
               if isinstance(f.get("value"), int)]
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
    if not NK_SHEET.exists():
        pytest.skip("the North Korea sheet is not in this checkout")
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
    assert quote_line == f"  quote ({p['source']}): “{p['quote_text'][1].replace('reportedly', '{+reportedly+}')}”"


def test_markdown_shows_exactly_the_three_changes(nk):
    repo, p = nk
    done = run("diff", "--rev", "HEAD~1..HEAD", "--format", "markdown", cwd=repo)
    assert done.returncode == 1
    headings = [l for l in done.stdout.splitlines() if l.startswith("#### ")]
    assert sorted(headings) == sorted(f"#### Changed: `{i}`" for i in p["ids"])
    bullets = [l for l in done.stdout.splitlines() if l.startswith("- ")]
    assert len(bullets) == 3
    assert any(b.startswith(f"- `figures.{p['metric']}`: ~~") for b in bullets)
    assert any(b.startswith("- **quote**") and " **reportedly** " in b for b in bullets)
    assert any(b.startswith("- `attribution.who`: ~~") for b in bullets)


def test_json_shows_exactly_the_three_changes(nk):
    repo, p = nk
    done = run("diff", "--rev", "HEAD~1..HEAD", "--format", "json", cwd=repo)
    assert done.returncode == 1
    (f,) = json.loads(done.stdout)["files"]
    assert f["counts"] == {"added": 0, "removed": 0, "changed": 3, "renamed": 0, "sheet": 0}
    got = {c["id"]: [(x["field"], x["change"], x["old"], x["new"]) for x in c["changes"]] for c in f["claims"]}
    fig_id, quote_id, who_id = p["ids"]
    assert got == {
        fig_id: [(f"figures.{p['metric']}", "changed", *p["figure_text"])],
        quote_id: [("citations", "changed", *p["quote_text"])],
        who_id: [("attribution.who", "changed", *p["who_text"])],
    }


def test_git_diff_and_log_show_exactly_the_three_changes(nk):
    repo, p = nk
    for out in (git(repo, "diff", "HEAD~1", "HEAD").stdout,
                git(repo, "log", "-p", "-1", "--format=%s").stdout):
        minus = [l for l in out.splitlines() if l.startswith("-") and not l.startswith("---")]
        plus = [l for l in out.splitlines() if l.startswith("+") and not l.startswith("+++")]
        assert sorted(minus) == sorted([
            f"-  figures.{p['metric']}: {p['figure_text'][0]}",
            f"-  quote {p['source']}: {p['quote_text'][0]}",
            f"-  attribution.who: {p['who_text'][0]}",
        ])
        assert sorted(plus) == sorted([
            f"+  figures.{p['metric']}: {p['figure_text'][1]}",
            f"+  quote {p['source']}: {p['quote_text'][1]}",
            f"+  attribution.who: {p['who_text'][1]}",
        ])


def test_redline_has_the_three_changes_as_tracked_changes_in_libreoffice(nk, tmp_path):
    need_soffice()
    repo, p = nk
    done = run("diff", "--rev", "HEAD~1..HEAD", "--docx", tmp_path / "redline.docx", cwd=repo)
    assert done.returncode == 1, done.stderr
    changes = libreoffice_changes(tmp_path / "redline.docx", tmp_path)
    assert {c["author"] for c in changes} == {"factsheet"}
    deletions = sorted(c["text"].strip() for c in changes if c["kind"] == "deletion")
    insertions = sorted(c["text"].strip() for c in changes if c["kind"] == "insertion")
    assert deletions == sorted([p["figure_text"][0], p["who_text"][0]])
    assert insertions == sorted([p["figure_text"][1], p["who_text"][1], "reportedly"])
