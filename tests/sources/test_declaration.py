"""The claim format is declared once: validator, JSON Schema, construction, diff and JSON all follow it."""

from __future__ import annotations

import dataclasses

from factsheet.review.compare import SHEET_FIELDS, claim_fields, compare_claims
from factsheet.review.formats import claim_json
from factsheet.sources import schema
from factsheet.sources.model import Claim, FactSheet, PartialDate

CLAIM_DATA = {
    "id": "troops-sent",
    "section": "numbers",
    "text": "Seoul said 11,000 soldiers were sent.",
    "status": "reported",
    "attribution": {"who": "South Korean intelligence", "organisation": "NIS", "on_record": True},
    "said_on": "2024-10",
    "figures": [{"metric": "troops_sent", "unit": "soldiers", "value": 11000, "as_of": 2024}],
    "citations": [{"source": "skorea", "quote": "on top of the 11,000 soldiers"}],
    "note": "An estimate.",
    "contradicts": ["denial"],
}


def _schema_nodes(node, where="$"):
    """Yield (path, property schema) for every property of every object in a JSON Schema."""
    if isinstance(node, dict):
        for key, sub in (node.get("properties") or {}).items():
            yield f"{where}.{key}", sub
        for key, sub in node.items():
            if key != "properties":
                yield from _schema_nodes(sub, f"{where}.{key}")
        for key, sub in (node.get("properties") or {}).items():
            yield from _schema_nodes(sub, f"{where}.{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from _schema_nodes(sub, f"{where}[{i}]")


def test_every_field_of_both_schemas_has_a_title_and_a_description():
    for spec, title in ((schema.SHEET, "sheet"), (schema.CATALOG, "catalog")):
        missing = [
            path
            for path, sub in _schema_nodes(schema.json_schema(spec, title))
            if not (sub.get("title") and sub.get("description"))
        ]
        assert missing == []


def test_each_status_says_when_to_use_it():
    status = schema.json_schema(schema.SHEET, "x")["properties"]["claims"]["items"]["properties"]["status"]
    assert [o["const"] for o in status["oneOf"]] == list(schema.STATUSES) == status["enum"]
    assert all(len(o["description"]) > 20 for o in status["oneOf"])


def test_a_figure_without_amount_has_a_message_for_editors_tooling():
    figure = schema.json_schema(schema.SHEET, "x")["properties"]["claims"]["items"]["properties"]["figures"][
        "items"
    ]
    assert "value" in figure["errorMessage"] and "qualifier" in figure["errorMessage"]


def test_strict_and_lenient_construction_agree_on_a_valid_claim():
    strict = schema.claim_from_data(CLAIM_DATA)
    assert strict == schema.lenient_claim(CLAIM_DATA)
    assert strict.figures[0].as_of == PartialDate("2024") and strict.updates == ()
    assert strict.attribution.role is None


def test_lenient_construction_keeps_odd_values_as_written():
    odd = {
        **CLAIM_DATA,
        "figures": [{"metric": "troops_sent", "unit": "soldiers", "value": "11k"}],
        "attribution": {"who": "NIS", "on_record": "yes"},
        "status": None,
    }
    claim = schema.lenient_claim(odd)
    assert claim.figures[0].value == "11k" and claim.attribution.on_record == "yes" and claim.status is None
    assert schema.lenient_claim({"id": "x", "figures": [{}]}).figures[0].metric == ""


def test_json_output_has_every_declared_field_and_no_other():
    data = claim_json(schema.claim_from_data(CLAIM_DATA))
    assert list(data) == list(schema.CLAIM.fields)
    assert list(data["attribution"]) == list(schema.ATTRIBUTION.fields)
    assert data["said_on"] == "2024-10" and data["figures"][0]["text"] == "11,000 soldiers (as of 2024)"


def test_the_diff_follows_the_declared_fields_in_order():
    claim = schema.claim_from_data(CLAIM_DATA)
    names = [name.split(".")[0].split(" ")[0] for name, _ in claim_fields(claim)]
    declared = [n for n in schema.CLAIM.fields if n in names or (n == "citations" and "quote" in names)]
    assert [n if n != "quote" else "citations" for n in dict.fromkeys(names)] == declared
    changed = dataclasses.replace(claim, note="A revised estimate.", updates=("older",))
    assert [(c.field, c.kind) for c in compare_claims(claim, changed)] == [
        ("note", "changed"),
        ("updates", "added"),
    ]


def test_sheet_fields_in_the_diff_are_the_declared_single_values():
    assert SHEET_FIELDS == ("title", "dek", "as_of", "language", "author", "summary", "contact", "correction")
    assert all(hasattr(FactSheet, n) or n in FactSheet.__dataclass_fields__ for n in SHEET_FIELDS)


def test_every_declared_claim_field_is_a_model_attribute():
    assert list(schema.CLAIM.fields) == [f for f in schema.CLAIM.fields if f in Claim.__dataclass_fields__]
    assert set(schema.CLAIM.fields) == set(Claim.__dataclass_fields__)
