"""The Pipeline's stages as a library: check returns a report, lenient resolves a sheet under review."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest

from factsheet.errors import RenderError
from factsheet.pipeline.build import Pipeline, undrawable
from factsheet.project import Project
from factsheet.review.load import read_side

from conftest import NK_SHEET


@pytest.fixture
def pipeline(project) -> Pipeline:
    return Pipeline(Project(project))


def test_check_returns_a_report_and_prints_nothing(pipeline, capsys):
    sheet = pipeline.project.factsheets_dir / NK_SHEET.name
    report = pipeline.check([sheet], every_sheet=True)
    assert capsys.readouterr() == ("", "")
    assert report.files == 1 and report.errors == 0
    loaded = pipeline.load(sheet).sheet
    assert report.claims == len(loaded.claims) > 0
    assert report.quotes == sum(len(c.citations) for c in loaded.claims)
    assert report.summary()["claims"] == report.claims


def test_a_broken_quote_is_an_error_in_the_report_with_its_place(pipeline):
    sheet = pipeline.project.factsheets_dir / NK_SHEET.name
    text = sheet.read_text(encoding="utf-8")
    quote = text.split('quote: "', 1)[1].split('"', 1)[0]
    sheet.write_text(text.replace(quote, quote + " never said", 1), encoding="utf-8")
    report = pipeline.check([sheet])
    errors = [p for p in report.problems if p.severity == "error"]
    assert report.errors == len(errors) == 1
    assert errors[0].path.endswith(NK_SHEET.name) and errors[0].line > 1 and "quote" in errors[0].message


def test_lenient_resolves_sources_and_refuses_unknown_ones_and_undrawable_text(pipeline):
    side = read_side(NK_SHEET.read_text(encoding="utf-8"), "x.yaml")
    resolved = pipeline.lenient(side.sheet, "x.yaml")
    cited = {c.source for claim in resolved.claims for c in claim.citations}
    assert cited and cited <= set(resolved.sources)
    claim = dataclasses.replace(side.sheet.claims[0], text="Only \U0001f600 here.")
    with pytest.raises(RenderError, match=r"x\.yaml: 'Q' \(U\+1F600\)".replace("Q", "\U0001f600")):
        pipeline.lenient(dataclasses.replace(side.sheet, claims=[claim]), "x.yaml")
    citation = dataclasses.replace(claim.citations[0], source="no-such-source")
    odd = dataclasses.replace(side.sheet.claims[0], citations=[citation])
    with pytest.raises(RenderError, match="cites source 'no-such-source', not in"):
        pipeline.lenient(dataclasses.replace(side.sheet, claims=[odd]), "x.yaml")


def test_undrawable_lists_each_character_once_in_order_of_use():
    side = read_side(NK_SHEET.read_text(encoding="utf-8"), "x.yaml")
    claims = [
        dataclasses.replace(c, text=t) for c, t in zip(side.sheet.claims, ["a \u2603 b", "\U0001f600 \u2603"])
    ]
    assert undrawable(dataclasses.replace(side.sheet, claims=claims)) == ["\u2603", "\U0001f600"]
    assert undrawable(side.sheet) == []


def test_build_goes_through_the_stages(pipeline):
    built = pipeline.build(Path(pipeline.project.factsheets_dir / NK_SHEET.name), ["docx"])
    assert list(built.outputs) == ["docx"] and built.outputs["docx"].startswith(b"PK")
    assert built.document.footnotes and len(built.document.footnotes) == len(
        pipeline.document(built.loaded.sheet).footnotes
    )


def test_the_provenance_record_hashes_the_bytes_that_were_checked_not_a_later_save(pipeline):
    sheet = pipeline.project.factsheets_dir / NK_SHEET.name
    checked = sheet.read_bytes()
    loaded = pipeline.load(sheet)
    sheet.write_bytes(checked + b"# saved while the brief was being made\n")
    record = json.loads(pipeline.loaded_document(loaded).provenance)
    assert record["sheet"]["sha256"] == hashlib.sha256(checked).hexdigest()
