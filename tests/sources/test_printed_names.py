"""check: every name an output prints is the editor's words, declared once, naming one thing."""

from __future__ import annotations

import pytest

SHEET = "factsheets/north-korea-troops-russia.yaml"


def edited(project, old: str, new: str) -> None:
    path = project / SHEET
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            "{id: killed, label: Killed}",
            "{id: killed, label: killed_in_combat}",
            "metric label 'killed_in_combat' is an identifier, not words a reader uses",
        ),
        (
            "title: North Korean troops in or sent to Russia",
            "title: troops",
            "topic title 'troops' is an identifier, not words a reader uses",
        ),
        (
            "    title: Casualties and combat",
            "    title: casualties",
            "section title 'casualties' is an identifier, not words a reader uses",
        ),
        (
            "{name: South Korea, match:",
            "{name: south_korea, match:",
            "party name 'south_korea' is an identifier, not words a reader uses",
        ),
        (
            "{id: wounded, label: Wounded}",
            "{id: wounded, label: Killed}",
            "metric label 'Killed' also names metric 'killed' (line ",
        ),
        (
            "    title: Casualties and combat",
            "    title: How many troops",
            "section title 'How many troops' also names section 'troop-numbers' (line ",
        ),
        (
            "{name: North Korea, match:",
            "{name: south korea, match:",
            "party name 'south korea' also names party 'South Korea' (line ",
        ),
        (
            "who: Alexander Matsegora\n",
            "who: alexander_matsegora\n",
            "claim 'matsegora-wounded-treated': attribution.who 'alexander_matsegora' is an identifier",
        ),
        (
            "organisation: National Assembly of South Korea\n",
            "organisation: south_korea_assembly\n",
            "claim 'yoo-400-killed-3600-wounded': attribution.organisation 'south_korea_assembly' is an identifier",
        ),
        (
            "unit: shipping containers\n",
            "unit: shipping_containers\n",
            "claim 'us-munitions-containers': figures[0].unit 'shipping_containers' is an identifier",
        ),
    ],
)
def test_a_printed_name_that_is_not_words_is_an_error_at_its_line(cli, project, old, new, expected):
    before = (project / SHEET).read_text(encoding="utf-8")
    line = before[: before.index(old)].count("\n") + 1
    edited(project, old, new)
    result = cli("--root", project, "check", cwd=project)
    assert result.returncode == 1
    [found] = [ln for ln in result.stdout.splitlines() if expected in ln]
    assert found.startswith(f"{SHEET}:{line}:")  # an error (no "warning:"), at the name's line


def test_a_group_titled_as_a_topic_is_refused(cli, project):
    group = (
        "groups:\n"
        "  - id: losses\n"
        "    title: North Korean troops in or sent to Russia\n"
        "    claims: [early-reports-some-killed-or-wounded, yoo-400-killed-3600-wounded]\n"
    )
    path = project / SHEET
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + group, encoding="utf-8")
    line = text.rstrip("\n").count("\n") + 4
    result = cli("--root", project, "check", cwd=project)
    assert result.returncode == 1
    assert (
        f"{SHEET}:{line}:12: group title 'North Korean troops in or sent to Russia' also names topic 'troops' "
        "(line 20): a reader could not tell them apart; give each its own words"
    ) in result.stdout


def test_the_frozen_sheet_names_everything_in_words(cli, project):
    result = cli("--root", project, "check", cwd=project)
    assert result.returncode == 0, result.stdout
    assert "not words a reader uses" not in result.stdout and "could not tell them apart" not in result.stdout
