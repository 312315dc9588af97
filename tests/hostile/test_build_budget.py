"""One budget for a sheet's render and write, held by the system: C calls and writers cannot run on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bounded import REPO, run
from factsheet.pipeline.budget import Budget

HERE = Path(__file__).resolve().parent

#: Templates whose work is one long call into C or a writer's layout: no Python-level check sees it.
ATTACKS = {
    # list concatenation inside the sum filter: one C call, quadratic
    "sum-lists": '<brief title="x"><p>{{ ([[0] * 1000] * 20000)|sum(start=[])|length }}</p></brief>',
    # 100,000 table rows: a quick render, then the writers lay them out for minutes
    "many-rows": (
        '<brief title="x"><table widths="1,1"><tr><th>n</th><th>row</th></tr>'
        "{% for i in range(100000) %}<tr><td>{{ i }}</td><td>row</td></tr>{% endfor %}"
        "</table></brief>"
    ),
}


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "factsheets").mkdir()
    shutil.copyfile(HERE / "base.yaml", root / "factsheets" / "base.yaml")
    for name, text in ATTACKS.items():
        (root / "templates" / f"{name}.xml.j2").write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("name", sorted(ATTACKS))
@pytest.mark.parametrize("command", ["build", "export"])
def test_render_and_write_stop_at_the_sheets_budget_with_one_line(project, name, command):
    budget = Budget.for_sheet(1, name)
    result = run(project, command, "--template", name, "--format", "docx,pdf,html", "--out", "out")
    assert result.returncode == 1
    lines = [
        line.strip() for line in result.stderr.splitlines() if line.strip().startswith("factsheets/base.yaml")
    ]
    assert len(lines) == 1, result.stderr  # export lists the problem once, at the end
    assert lines[0].startswith("factsheets/base.yaml: ")
    assert lines[0].endswith(
        (
            f"template '{name}': rendering and writing used more than {budget.seconds:g} s of processor "
            "time (the limit for a sheet of 1 claim); look for loops inside loops in the template",
            f"template '{name}': rendering and writing needed more than {budget.memory // 2**20:,} MiB of "
            "memory (the limit for a sheet of 1 claim); look for loops inside loops in the template",
        )
    ), lines[0]
    out = project / "out"
    assert not out.exists() or not [p for p in out.iterdir() if p.name.startswith("base.")]


def test_a_template_file_too_large_is_refused_before_it_is_compiled(project):
    big = project / "templates" / "huge.xml.j2"
    with big.open("w", encoding="utf-8") as fh:
        fh.write('<brief title="x"><p>')
        fh.write("{{ 'a' }}" * 200_000)  # 1.8 MB of template code
        fh.write("</p></brief>")
    result = run(project, "build", "--template", "huge", "--format", "html", "--out", "out")
    assert result.returncode == 1
    assert result.stderr.strip().endswith("the template is larger than 1,000,000 bytes"), result.stderr


@pytest.mark.parametrize(
    "expression",
    [
        "('x' * 1000000) ~ ('x' * 1000000) ~ ('x' * 1000000) ~ ('x' * 1000000) ~ ('x' * 1000000) ~ "
        "('x' * 1000000) ~ ('x' * 1000000) ~ ('x' * 1000000) ~ ('x' * 1000000) ~ ('x' * 1000000) ~ 'y'",
        "(['x' * 1000000] * 11)|join",
        "(['x' * 1000000] * 11)|join('')|upper",
        "('x' * 1000000).__add__ if false else ('x' * 1000000) * 11",
        "(['x' * 100000] * 110)|tojson",
    ],
)
def test_every_way_of_building_a_string_meets_the_character_limit(project, expression):
    (project / "templates" / "long.xml.j2").write_text(
        f'<brief title="x"><p>{{{{ ({expression})|length }}}}</p></brief>', encoding="utf-8"
    )
    result = run(project, "build", "--template", "long", "--format", "html", "--out", "out")
    assert result.returncode == 1
    line = result.stderr.strip()
    assert "\n" not in line
    assert "(the limit is 10,000,000)" in line or "(the limit is 1,000,000 items)" in line, line
