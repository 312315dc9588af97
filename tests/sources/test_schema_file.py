"""The published JSON Schemas match the format the validator enforces."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest

from factsheet.sources import schema
from factsheet.sources.loading import load_file

from conftest import NK_SHEET, REPO


def _jsonable(value):
    """Return YAML data as JSON would carry it (dates become ISO strings)."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.mark.parametrize(
    "spec, file, title",
    [
        (schema.SHEET, "factsheet.schema.json", "factsheet fact sheet"),
        (schema.CATALOG, "catalog.schema.json", "factsheet seed catalog"),
    ],
)
def test_committed_schema_is_generated_from_the_validator(spec, file, title):
    committed = json.loads((REPO / "schema" / file).read_text(encoding="utf-8"))
    assert committed == schema.json_schema(spec, title), f"regenerate with: factsheet schema > schema/{file}"


def test_north_korea_sheet_and_catalog_validate_against_published_schemas():
    for data_file, schema_file in (
        (NK_SHEET, "factsheet.schema.json"),
        (REPO / "seeds" / "catalog.yaml", "catalog.schema.json"),
    ):
        published = json.loads((REPO / "schema" / schema_file).read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(published)
        jsonschema.validate(_jsonable(load_file(data_file, expected="x").data), published)


def test_published_schema_rejects_a_typo_key_like_the_validator():
    published = json.loads((REPO / "schema" / "factsheet.schema.json").read_text(encoding="utf-8"))
    data = _jsonable(load_file(NK_SHEET).data)
    data["claims"][0]["citations"][0]["qoute"] = data["claims"][0]["citations"][0].pop("quote")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, published)


def test_every_live_sheet_names_its_schema_for_editors():
    for sheet in sorted((REPO / "factsheets").glob("*.yaml")):
        first_line = sheet.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first_line == "# yaml-language-server: $schema=../schema/factsheet.schema.json", sheet.name
