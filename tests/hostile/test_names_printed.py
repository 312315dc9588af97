"""Names from files are printed as one line: logs, diffs, the Markdown diff and `factsheet quote`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bounded import REPO, run
from factsheet.oneline import one_line
from factsheet.rendering.typography import smart_quotes
from factsheet.review.formats import md_escape
from factsheet.sources.quoting import MAX_FOUND, as_yaml

HERE = Path(__file__).resolve().parent
#: A CI runner reads a line starting with "::" as a command; GitHub's and GitLab's are alike.
COMMAND = "::set-output name=pwned::1"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("a\nb", "a\\nb"),
        ("a\rb", "a\\rb"),
        ("a\r\nb", "a\\r\\nb"),
        ("a\u2028b", "a\\u2028b"),
        ("abc\u202edef", "abc\\u202edef"),
        ("tab\there", "tab\\there"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("plain text, “quoted” — ok", "plain text, “quoted” — ok"),
        (42, "42"),
    ],
)
def test_one_line_shows_every_hidden_character_as_an_escape(value, shown):
    assert one_line(value) == shown
    assert one_line(value).isprintable()


def _project(tmp: Path) -> Path:
    root = tmp / "project"
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "factsheets").mkdir()
    return root


def _sheet(root: Path, name: str, claim_id: str, text: str) -> Path:
    base = (HERE / "base.yaml").read_text(encoding="utf-8")
    base = base.replace("id: training", f"id: {claim_id}").replace(
        "text: Several thousand North Korean soldiers are training in Russia.", f"text: {text}"
    )
    path = root / "factsheets" / name
    path.write_text(base, encoding="utf-8")
    return path


def _no_command_line(output: str) -> None:
    for line in output.splitlines():
        assert not line.lstrip().startswith("::"), line
        assert line.isprintable(), line


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "json"])
def test_diff_prints_a_claim_id_with_line_breaks_on_one_line(tmp_path, fmt):
    root = _project(tmp_path)
    evil = f'"training\\n{COMMAND}\\r{COMMAND}"'
    _sheet(root, "old.yaml", evil, "Several thousand soldiers are training.")
    _sheet(root, "new.yaml", evil, "Several thousand soldiers are being trained.")
    result = run(root, "diff", "--format", fmt, "factsheets/old.yaml", "factsheets/new.yaml")
    assert result.returncode in (1, 2)
    _no_command_line(result.stdout + result.stderr)


def test_diff_textconv_prints_a_claim_id_with_line_breaks_on_one_line(tmp_path):
    root = _project(tmp_path)
    _sheet(root, "old.yaml", f'"training\\n{COMMAND}"', "Soldiers are training.")
    result = run(root, "diff", "--textconv", "factsheets/old.yaml")
    _no_command_line(result.stdout + result.stderr)
    assert f"training\\n{COMMAND}" in result.stdout


def test_export_log_prints_a_sheet_name_with_a_line_break_on_one_line(tmp_path):
    root = _project(tmp_path)
    _sheet(root, f"evil\n{COMMAND}.yaml", "training", "Soldiers are training in Russia.")
    result = run(root, "export", "--format", "html", "--out", "export")
    _no_command_line(result.stdout + result.stderr)
    assert "evil\\n::set-output" in result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "ask @octocat about it",
        "ask @github/security-team",
        "see #123 and GH-9",
        "see octo-org/octo-repo#42",
        "write to press@example.org",
    ],
)
def test_markdown_never_mentions_links_or_notifies(text):
    shown = md_escape(text)
    outside_code = re.sub(r"(`+).*?\1", "", shown)
    assert not re.search(r"@\w|#\d|GH-\d", outside_code), shown
    assert "\r" not in md_escape("one\rtwo") and "\n" not in md_escape("one\ntwo")


def test_quote_escapes_bidi_controls_in_the_yaml_it_prints():
    printed = as_yaml("source-id", "soldiers \u202ereversed\u202c text")
    assert printed == '- source: source-id\n  quote: "soldiers \\u202ereversed\\u202c text"\n'
    assert all(line.isprintable() for line in printed.splitlines())


def test_quote_prints_at_most_a_bounded_number_of_places_and_counts_the_rest(tmp_path):
    root = _project(tmp_path)
    article = root / "seeds" / "nk-officers-intel-kovalenko.txt"
    extra = "".join(f"Line {i}: soldiers are training here. " for i in range(500))
    data = article.read_bytes() + extra.encode()
    article.write_bytes(data)
    import hashlib

    catalog = root / "seeds" / "catalog.yaml"
    text = catalog.read_text(encoding="utf-8")
    old = re.search(r"nk-officers-intel-kovalenko\.txt\n(?:.*\n)*?\s*sha256: (\w+)", text)
    assert old
    catalog.write_text(text.replace(old.group(1), hashlib.sha256(data).hexdigest()), encoding="utf-8")
    result = run(root, "quote", "nk-officers-intel-kovalenko", "soldiers are training here")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("- source: ") == MAX_FOUND
    assert result.stdout.rstrip().endswith(
        f"# and {500 - MAX_FOUND:,} more places in nk-officers-intel-kovalenko (the first {MAX_FOUND} are "
        "shown); add words to the search to narrow it"
    )


def test_urls_in_notes_keep_their_straight_quotes():
    url = "https://example.org/it's-here?q='a'"
    assert smart_quotes(f"Read 'this' at {url}.") == f"Read ‘this’ at {url}."
