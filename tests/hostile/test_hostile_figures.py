"""Figures at scale: comparing them is linear, check prints a bounded report, a big sheet's PDF builds."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from factsheet.content.figures import INFO_LINES_PER_GROUP, FigureBook, group_figures
from factsheet.sources.model import sheet_from_data

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

from conftest import run_cli  # noqa: E402

QUOTE = {
    "source": "nk-officers-intel-kovalenko",
    "quote": "Several thousand North Korean soldiers are currently undergoing training in Russia",
}


def many_figures(n: int) -> dict:
    """Return a sheet of two linked claims with ``n`` figures of one metric each."""

    def claim(cid, org, **links):
        return {
            "id": cid,
            "text": f"Counts from {org}.",
            "status": "reported",
            "attribution": {"who": "Spokesperson", "organisation": org, "on_record": True},
            "said_on": "2024-05",
            "figures": [
                {"metric": "people_counted", "value": 10 + i, "unit": "people", "derived": "a test count"}
                for i in range(n)
            ],
            "citations": [dict(QUOTE)],
            **links,
        }

    return {
        "title": "Many figures",
        "as_of": "2025-01-14",
        "claims": [claim("first", "Office A"), claim("second", "Office B", updates=["first"])],
        "metrics": [{"id": "people_counted", "label": "People counted"}],
    }


def test_two_claims_of_4000_figures_compare_linearly_and_check_prints_a_bounded_report(project):
    data = many_figures(4000)
    (group,) = group_figures(sheet_from_data(data, {}))
    assert len(group.entries) == 8000
    # each figure is compared with the previous one and with one figure of the linked claim: linear, not 8000²/2
    assert sum(len(e.relations) for e in group.entries) <= 2 * len(group.entries)
    assert max(len(e.relations) for e in group.entries) <= 2

    path = project / "factsheets" / "many.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_cli("--root", project, "check", path, cwd=project, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [line for line in result.stdout.splitlines() if ": info: figure group " in line]
    assert len(lines) == INFO_LINES_PER_GROUP + 1, len(lines)
    assert lines[-1].endswith(': info: figure group "People counted" (8000 figures): 7,988 more not listed')
    assert len("\n".join(lines)) < 5000


def test_a_group_of_90_linked_figures_lists_at_most_two_relations_a_row():
    claims = [
        {
            "id": f"c{i}",
            "text": "T.",
            "status": "reported",
            "attribution": {"who": "W", "organisation": f"Office {i % 4}", "on_record": True},
            "said_on": f"2024-{i % 12 + 1:02d}",
            "figures": [{"metric": "people_counted", "value": 100 + i, "unit": "people"}],
            "citations": [dict(QUOTE)],
            **({"updates": [f"c{i - 1}"]} if i else {}),
        }
        for i in range(90)
    ]
    sheet = sheet_from_data({"title": "T", "as_of": "2025-01-14", "claims": claims}, {})
    (group,) = FigureBook(sheet).groups
    # the previous figure, and the claims this one updates or is updated by: never every earlier figure
    assert max(len(e.relations) for e in group.entries) <= 3


def test_a_1000_claim_sheet_with_30_claims_a_metric_lays_out_its_pdf(tmp_path):
    import dataclasses

    import run as benchmarks  # benchmarks/run.py: the generated sheets of the speed measurements

    from factsheet.pipeline import build
    from factsheet.project import Project
    from factsheet.writers.pdf.render import render_pdf

    root = tmp_path / "scale"
    (sheet,) = benchmarks.make_project(root, [1000], per_metric=30).values()
    project = Project.find(root)
    document = build.document_for(project, build.load_sheet(project, sheet))
    # the layout alone: no figures-table row taller than a page (PDF/UA tagging is checked elsewhere)
    rendered = render_pdf(dataclasses.replace(document, pdf_profiles=()))
    assert rendered.data.startswith(b"%PDF") and rendered.pages > 10
