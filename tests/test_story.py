"""A second, fictional story (tests/stories/zlatovrh-flood): check, build, diff, redline and export give its brief."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import NK_PROJECT, REPO, run_cli

STORY = Path(__file__).parent / "stories" / "zlatovrh-flood"
SHEET = "zlatovrh-flood.yaml"
#: Words of the North Korea story that must never reach another story's brief.
NK_WORDS = re.compile(r"korea|russia|ukrain|troop|soldier|kyiv|seoul|pyongyang|kremlin", re.IGNORECASE)


@pytest.fixture
def story(tmp_path) -> Path:
    """Return a project holding only the fictional story, with the shipped templates."""
    root = tmp_path / "story"
    shutil.copytree(STORY, root)
    shutil.copytree(REPO / "templates", root / "templates")
    return root


@pytest.fixture
def both(tmp_path) -> Path:
    """Return a project holding the North Korea sheet and the fictional story, one seed catalog for both."""
    root = tmp_path / "both"
    for name in ("seeds", "templates", "factsheets"):  # the frozen North Korea copy, the live templates
        shutil.copytree((REPO if name == "templates" else NK_PROJECT) / name, root / name)
    for article in (STORY / "seeds").glob("*.txt"):
        shutil.copy2(article, root / "seeds" / article.name)
    entries = (STORY / "seeds" / "catalog.yaml").read_text(encoding="utf-8").split("sources:\n", 1)[1]
    catalog = root / "seeds" / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8").rstrip("\n") + "\n" + entries, encoding="utf-8")
    shutil.copy2(STORY / "factsheets" / SHEET, root / "factsheets" / SHEET)
    return root


def templates() -> list[str]:
    return sorted(p.name[: -len(".xml.j2")] for p in (REPO / "templates").glob("[!_]*.xml.j2"))


def pdf_text(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(out.split())


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = "".join(
            z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")
        )
    return " ".join(re.sub(r"<[^>]+>", " ", xml).split())


def test_check_passes_and_lists_the_groups(story):
    result = run_cli("--root", story, "check", cwd=story)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings; 4 figure groups" in result.stderr
    lines = result.stdout.splitlines()
    groups = {re.search(r'figure group "([^"]+)"', line).group(1) for line in lines}
    assert groups == {"Deaths", "People missing", "People displaced", "Warning before the flood"}
    deaths = [line for line in lines if '"Deaths"' in line]
    assert deaths[-1].endswith("23 people, State commission of inquiry, 12 September 2031: final figure")
    assert any(
        "close to 30 people" in line
        and "denied by ministry-rejects-mayor-toll (stated)" in line
        and "superseded by commission-23-dead (stated)" in line
        for line in deaths
    ), deaths
    warning = [line for line in lines if '"Warning before the flood"' in line]
    assert any(
        "claim mayor-no-siren (no figure)" in line and "contradicts ministry-40-minutes-warning" in line
        for line in warning
    ), warning


def test_the_brief_has_its_chart_and_groups(story):
    from factsheet.pipeline import build
    from factsheet.rendering.document import Heading, Table, plain_text
    from factsheet.project import Project

    project = Project.find(story)
    doc = build.document_for(project, build.load_sheet(project, story / "factsheets" / SHEET))
    i = next(
        i
        for i, b in enumerate(doc.blocks)
        if isinstance(b, Heading) and b.plain_text == "Figures at a glance"
    )
    table = next(b for b in doc.blocks[i + 1 :] if isinstance(b, Table))
    rows = [[plain_text(c) for c in row] for row in table.rows]
    topics = [row[0] for row in rows if row[0]]
    assert (
        topics[:1] == ["Deaths and missing after the Zlatovrh flood"] and "Warning before the flood" in topics
    )
    figures = [row[1] for row in rows]
    # a status is said once in the table's note, and beside a figure only where it is not "reported"
    assert "Deaths: 23 people (confirmed, final)" in figures
    assert "The Interior Ministry rejected the mayor’s figure of nearly 30 dead. (denied)" in figures
    assert not any(f.endswith("(reported)") for f in figures)


def test_the_dossier_has_its_chart_and_groups(story):
    from factsheet.pipeline import build
    from factsheet.rendering.document import Chart, Heading, Table, plain_text
    from factsheet.project import Project

    project = Project.find(story)
    doc = build.document_for(project, build.load_sheet(project, story / "factsheets" / SHEET), "dossier")
    (chart,) = [b for b in doc.blocks if isinstance(b, Chart)]
    assert chart.title == "Deaths and missing after the Zlatovrh flood"
    assert [s.name for s in chart.series] == ["Deaths", "People missing"]  # one series per kind of count
    deaths = chart.series[0]
    assert deaths.labels[-1] == "23, State commission of inquiry (final)"
    assert chart.series[1].markers and chart.series[1].markers[0][1] == "dozens, Town of Zlatovrh"

    def table_after(title):
        i = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.plain_text == title)
        table = doc.blocks[i + 1]
        assert isinstance(table, Table)
        return [[plain_text(c) for c in row] for row in table.rows]

    toll = table_after("Deaths and missing after the Zlatovrh flood")
    by_figure = {row[0]: row for row in toll}
    assert by_figure["Deaths: 23 people"][3] == "Confirmed, final"
    assert by_figure["Deaths: 23 people"][4] == "Final figure, as stated"
    assert "Denied by Interior Ministry (5 May 2031), as stated" in by_figure["Deaths: close to 30 people"][4]
    assert (
        "Superseded by 23 (State commission of inquiry, 12 September 2031)"
        in by_figure["Deaths: 12 people"][4]
    )
    denial = by_figure["The Interior Ministry rejected the mayor’s figure of nearly 30 dead."]
    assert denial[3] == "Denied" and denial[4].startswith("Contradicts close to 30 (Town of Zlatovrh")
    warning = table_after("Warning before the flood")
    assert [row[0] for row in warning] == ["40 minutes", "The mayor said no siren sounded in the lower town."]
    assert warning[0][4] == "Contradicts the statement by Town of Zlatovrh (5 May 2031), as stated"
    headings = [h.plain_text for h in doc.headings()]
    assert headings.count("Deaths") == 0  # the stated group is shown once, inside its topic
    assert "People displaced" in headings and "People missing" not in headings
    key = table_after("Key figures")
    assert any(row[4] == "Confirmed, final" for row in key)


@pytest.mark.parametrize("template", templates())
def test_build_writes_both_formats_with_no_word_of_the_other_story(story, tmp_path, template):
    out = tmp_path / "out"
    result = run_cli("--root", story, "build", "--template", template, "--out", out, cwd=story)
    assert result.returncode == 0, result.stderr
    pdf, docx = out / "zlatovrh-flood.pdf", out / "zlatovrh-flood.docx"
    assert pdf.read_bytes().startswith(b"%PDF") and zipfile.is_zipfile(docx)
    for text in (pdf_text(pdf), docx_text(docx)):
        assert "Zlatovrh" in text and "Wołczyński" in text and "Łukasiewicz" in text
        assert not NK_WORDS.search(text), NK_WORDS.search(text)
    if template == "brief":
        text = pdf_text(pdf)
        for expected in (
            "Deaths and missing after the Zlatovrh flood",
            "(final)",
            "4,000–5,000 people",
            "dozens, Town of Zlatovrh",
        ):
            assert expected in text, expected
    second = tmp_path / "again"
    run_cli("--root", story, "build", "--template", template, "--out", second, cwd=story)
    assert (second / "zlatovrh-flood.pdf").read_bytes() == pdf.read_bytes()  # same input, same bytes
    assert (second / "zlatovrh-flood.docx").read_bytes() == docx.read_bytes()


def test_diff_and_redline_of_a_corrected_final_figure(story, tmp_path):
    old = story / "factsheets" / SHEET
    new = tmp_path / "new.yaml"
    text = old.read_text(encoding="utf-8")
    new.write_text(
        text.replace(
            "{metric: deaths, value: 23, unit: people}", "{metric: deaths, value: 24, unit: people}"
        ).replace("title: Warning before the flood", "title: The warning"),
        encoding="utf-8",
    )
    result = run_cli("--root", story, "diff", old, new, cwd=story)
    assert result.returncode == 1, result.stderr
    assert "figures.deaths: 23 people → 24 people" in result.stdout
    assert (
        "groups.warning: Warning before the flood: ministry-40-minutes-warning, mayor-no-siren → "
        "The warning: ministry-40-minutes-warning, mayor-no-siren" in result.stdout
    )
    assert not NK_WORDS.search(result.stdout)
    redline = tmp_path / "redline.docx"
    result = run_cli("--root", story, "diff", old, new, "--docx", redline, cwd=story)
    assert redline.is_file(), result.stderr
    with zipfile.ZipFile(redline) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "<w:ins " in body and "<w:del " in body and "Zlatovrh" in body
    assert not NK_WORDS.search(docx_text(redline))


def test_one_export_builds_both_stories_with_their_own_charts(both, tmp_path):
    out = tmp_path / "export"
    result = run_cli("--root", both, "export", "--out", out, "--format", "pdf,docx", cwd=both)
    assert result.returncode == 0, result.stdout + result.stderr
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert {"north-korea-troops-russia", "zlatovrh-flood"} <= set(json.dumps(index).replace('"', " ").split())
    story, nk = pdf_text(out / "zlatovrh-flood.pdf"), pdf_text(out / "north-korea-troops-russia.pdf")
    assert "Deaths and missing after the Zlatovrh flood" in story and not NK_WORDS.search(story)
    assert "North Korean troops in or sent to Russia" in nk and "Zlatovrh" not in nk


def test_a_metric_typo_fails_for_want_of_a_label_and_warns_and_a_topic_of_an_unused_metric_fails(story):
    path = story / "factsheets" / SHEET
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("{metric: deaths, value: 12, unit: people}", "{metric: death, value: 12, unit: people}"),
        encoding="utf-8",
    )
    result = run_cli("--root", story, "check", cwd=story)
    assert result.returncode == 1, result.stderr  # the misspelt metric has no label
    assert re.search(
        r"metric: 'death' has no label; outputs name a metric by the editor's label", result.stdout
    )
    (warning,) = [line for line in result.stdout.splitlines() if ": warning: " in line]
    assert re.fullmatch(
        r"factsheets/zlatovrh-flood\.yaml:\d+:\d+: warning: metric 'death' is used by claim "
        r"'ministry-twelve-dead' only, next to 'deaths' \(3 claims\); a typo keeps this figure "
        r"out of its group and chart",
        warning,
    ), warning
    path.write_text(
        text.replace("metrics: [deaths, people_missing]", "metrics: [deaths, people_mising]"),
        encoding="utf-8",
    )
    result = run_cli("--root", story, "check", cwd=story)
    assert result.returncode == 1
    assert re.search(
        r"factsheets/zlatovrh-flood\.yaml:\d+:\d+: topic 'toll' names metric 'people_mising' that no "
        r"figure uses \(did you mean 'people_missing'\?\); expected one of: deaths, ",
        result.stdout,
    )
    result = run_cli("--root", story, "build", cwd=story)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert not (story / "build").exists() or not any((story / "build").iterdir())


@pytest.mark.parametrize(
    "change, message",
    [
        ("final: commission-23-dead", "final: ministry-40-minutes-warning"),
        (
            "claims: [ministry-40-minutes-warning, mayor-no-siren]",
            "claims: [ministry-40-minutes-warning, mayor-no-sirens]",
        ),
        ("metrics: [deaths]\n", "metrics: [deaths, wounded]\n"),
    ],
)
def test_stated_groups_name_real_claims_and_metrics(story, change, message):
    path = story / "factsheets" / SHEET
    path.write_text(path.read_text(encoding="utf-8").replace(change, message, 1), encoding="utf-8")
    result = run_cli("--root", story, "check", cwd=story)
    assert result.returncode == 1, result.stdout
    errors = [line for line in result.stdout.splitlines() if ": info: " not in line]
    expected = {
        "final": "group 'deaths': final claim 'ministry-40-minutes-warning' is not one of the group's claims; "
        "expected one of: ministry-twelve-dead, relief-society-19-dead, mayor-close-to-30-dead, "
        "ministry-rejects-mayor-toll, commission-23-dead",
        "claims": "group 'warning': unknown claim id 'mayor-no-sirens' (did you mean 'mayor-no-siren'?)",
        "metrics": "group 'deaths': no figure of its claims has metric 'wounded'; expected one of: deaths, people_missing",
    }[change.split(":")[0]]
    assert len(errors) == 1 and errors[0].endswith(expected), errors


def test_a_final_claim_without_figures_is_refused(story):
    path = story / "factsheets" / SHEET
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("final: commission-23-dead", "final: ministry-rejects-mayor-toll", 1), "utf-8"
    )
    result = run_cli("--root", story, "check", cwd=story)
    assert result.returncode == 1, result.stdout
    errors = [line for line in result.stdout.splitlines() if ": info: " not in line]
    assert len(errors) == 1 and errors[0].endswith(
        "group 'deaths': final claim 'ministry-rejects-mayor-toll' gives no figure; "
        "a final figure needs a claim with figures"
    ), errors
