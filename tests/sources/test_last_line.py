"""A mistake on the last line of a sheet, a catalog or an article is located on that line, whatever the ending."""

from __future__ import annotations

import pytest

from factsheet.errors import InputError
from factsheet.sources.furniture import lines_of
from factsheet.sources.loading import decode, load_text
from factsheet.sources.quotes import Article

from conftest import NK_PROJECT

#: How a file may end, as (its line break, what follows the last line, written with LF): a final LF, CRLF
#: or CR, none at all, or blank lines and a comment after it.
ENDINGS = {
    "lf": ("\n", "\n"),
    "crlf": ("\r\n", "\n"),
    "cr": ("\r", "\n"),
    "no final newline": ("\n", ""),
    "trailing blank lines": ("\n", "\n\n# the end\n\n"),
}


def saved(lines: list[str], ending: str) -> bytes:
    """Return ``lines`` as a file saved with the line break and final characters ``ending`` names."""
    newline, last = ENDINGS[ending]
    return (newline.join(lines) + last.replace("\n", newline)).encode("utf-8")


def refusal(raw: bytes) -> str:
    with pytest.raises(InputError) as err:
        load_text(decode(raw, "f.yaml"), "f.yaml")
    [problem] = err.value.problems
    return str(problem)


@pytest.mark.parametrize("ending", ENDINGS)
@pytest.mark.parametrize(
    "last, expected",
    [
        ("b: [x, y", "f.yaml:3:4: invalid YAML: this [ list is never closed; add the closing ]"),
        ("b: {id: x, label:", "f.yaml:3:4: invalid YAML: this { mapping is never closed; add the closing }"),
        (
            "b: {id: [1, 2], label: x",
            "f.yaml:3:4: invalid YAML: this { mapping is never closed; add the closing }",
        ),
        ("b: 'it", "f.yaml:3:4: invalid YAML: this quoted value is never closed; add the closing quote"),
        ('b: "it', "f.yaml:3:4: invalid YAML: this quoted value is never closed; add the closing quote"),
    ],
)
def test_yaml_mistake_on_the_last_line_is_reported_there(ending, last, expected):
    assert refusal(saved(["title: x", "as_of: 2025-01", last], ending)) == expected


def _last_line_replaced(path, line: str, ending: str) -> tuple[bytes, int]:
    """Return the file at ``path`` with its last line replaced, saved as ``ending`` says, and its line count."""
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    return saved(lines[:-1] + [line], ending), len(lines)


@pytest.mark.parametrize("ending", ENDINGS)
def test_sheet_problem_on_its_last_line(cli, project, ending):
    sheet = project / "factsheets" / "north-korea-troops-russia.yaml"
    raw, count = _last_line_replaced(sheet, "contact:", ending)
    sheet.write_bytes(raw)
    result = cli("--root", project, "check", cwd=project)
    assert result.returncode == 1
    assert f"factsheets/north-korea-troops-russia.yaml:{count}:9: contact: expected text" in result.stdout


@pytest.mark.parametrize("ending", ENDINGS)
def test_quote_not_found_on_the_last_line_of_a_sheet(cli, project, ending):
    sheet = project / "factsheets" / "last.yaml"
    lines = [
        "title: Last line",
        "as_of: 2025-01",
        "claims:",
        "  - id: last",
        "    text: A claim whose quote is wrong.",
        "    status: reported",
        "    attribution: {who: Someone, on_record: true}",
        "    citations:",
        "      - source: zelenskyy-nk-contingent",
        '        quote: "words that this article never holds at all"',
    ]
    sheet.write_bytes(saved(lines, ending))
    result = cli("--root", project, "check", "factsheets/last.yaml", cwd=project)
    assert result.returncode == 1
    assert "factsheets/last.yaml:10:16: quote not found in zelenskyy-nk-contingent" in result.stdout


@pytest.mark.parametrize("ending", ENDINGS)
@pytest.mark.parametrize(
    "last, expected",
    [
        ("    errata: 5", "13: sources[4].errata: expected a list of errata, found a number (5)"),
        (
            "    errata: [{lines: 1, note: x}",
            "13: invalid YAML: this [ list is never closed; add the closing ]",
        ),
    ],
)
def test_catalog_problem_on_its_last_line(cli, project, ending, last, expected):
    catalog = project / "seeds" / "catalog.yaml"
    raw, count = _last_line_replaced(catalog, last, ending)
    catalog.write_bytes(raw)
    result = cli("--root", project, "check", cwd=project)
    assert result.returncode == 1
    assert f"seeds/catalog.yaml:{count}:{expected}" in result.stdout + result.stderr


@pytest.mark.parametrize("ending", ["lf", "crlf", "cr", "no final newline"])
def test_article_lines_are_counted_as_an_editor_sees_them(ending):
    article = Article("a", saved(["Headline", "", "First paragraph.", "Last paragraph."], ending).decode())
    assert lines_of(article) == ["Headline", "", "First paragraph.", "Last paragraph."]
    assert article.line_of(article.text.index("Last")) == 4
    assert article.line_of(article.text.index("First")) == 3


def test_the_frozen_catalog_ends_with_its_last_entry():
    # the tests above replace the catalog's last line: it must be the last source's
    text = (NK_PROJECT / "seeds" / "catalog.yaml").read_text(encoding="utf-8")
    assert text.rstrip("\n").rsplit("\n", 1)[1] == "    errata: []"
