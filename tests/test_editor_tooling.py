"""Editor tooling: every YAML file names its JSON Schema for yaml-language-server, and the schema exists."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def _schema_of(path: Path) -> Path | None:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    found = MODELINE.match(first)
    return (path.parent / found[1]).resolve() if found else None


def test_the_catalog_and_every_sheet_name_their_schema_on_the_first_line():
    assert _schema_of(REPO / "seeds" / "catalog.yaml") == (REPO / "schema" / "catalog.schema.json").resolve()
    sheets = sorted((REPO / "factsheets").glob("*.yaml"))
    assert sheets
    for sheet in sheets:
        assert _schema_of(sheet) == (REPO / "schema" / "factsheet.schema.json").resolve(), sheet


def test_the_schemas_named_in_docs_editing_md_exist():
    text = (REPO / "docs" / "editing.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\./schema/([a-z.]+\.json)", text))
    assert named == {"factsheet.schema.json", "catalog.schema.json"}
    assert all((REPO / "schema" / name).is_file() for name in named)
