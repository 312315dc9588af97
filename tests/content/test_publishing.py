"""ClaimReview and CSL-JSON made from a sheet, validated against their documented requirements."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "writers"))
from factsheet.content.publishing import RATINGS, claim_reviewed  # noqa: E402
from factsheet.sources.model import Attribution, Citation, Claim  # noqa: E402

from conftest import run_cli  # noqa: E402
from html_support import FIXTURE, STEM, build_fact_box, fact_box_project  # noqa: E402

#: What Google's fact-check markup documentation requires of a ClaimReview (url,
#: claimReviewed, reviewRating with alternateName) and recommends (author, datePublished,
#: itemReviewed as a Claim with an author; numeric rating bounds), written as a schema.
CLAIM_REVIEW = {
    "type": "object",
    "required": [
        "@context",
        "@type",
        "url",
        "claimReviewed",
        "reviewRating",
        "itemReviewed",
        "author",
        "datePublished",
    ],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "ClaimReview"},
        "url": {"type": "string", "pattern": "^https?://"},
        "claimReviewed": {"type": "string", "minLength": 1, "maxLength": 74},
        "datePublished": {"type": "string", "pattern": r"^\d{4}(-\d{2}){0,2}$"},
        "author": {
            "type": "object",
            "required": ["@type", "name"],
            "properties": {"@type": {"enum": ["Organization", "Person"]}},
        },
        "itemReviewed": {
            "type": "object",
            "required": ["@type", "author"],
            "properties": {
                "@type": {"const": "Claim"},
                "author": {
                    "type": "object",
                    "required": ["@type", "name"],
                    "properties": {"@type": {"enum": ["Organization", "Person"]}},
                },
                "appearance": {"type": "array", "items": {"type": "object", "required": ["@type", "url"]}},
            },
        },
        "reviewRating": {
            "type": "object",
            "required": ["@type", "alternateName", "ratingValue", "bestRating", "worstRating"],
            "properties": {
                "@type": {"const": "Rating"},
                "alternateName": {"type": "string", "minLength": 1},
                "ratingValue": {"type": "integer"},
            },
        },
    },
}

#: The CSL data schema (citation-style-language/schema, csl-data.json) for the variables
#: this tool writes: an array of items with a required id and type, no unknown keys.
_NAME = {
    "type": "object",
    "additionalProperties": False,
    "properties": {k: {"type": "string"} for k in ("family", "given", "literal", "suffix")},
}
CSL_DATA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["type", "id"],
        "additionalProperties": False,
        "properties": {
            "type": {
                "enum": ["article", "article-journal", "article-magazine", "article-newspaper", "webpage"]
            },
            "id": {"type": ["string", "number"]},
            "title": {"type": "string"},
            "container-title": {"type": "string"},
            "URL": {"type": "string"},
            "language": {"type": "string"},
            "note": {"type": "string"},
            "author": {"type": "array", "items": _NAME},
            "issued": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "date-parts": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 2,
                        "items": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": 3,
                            "items": {"type": ["string", "number"]},
                        },
                    },
                },
            },
        },
    },
}


def _claim(text: str, short: str | None = None, status: str = "reported") -> Claim:
    return Claim("c", text, status, Attribution("Someone", True), (Citation("s", "q"),), short=short)


def test_claim_reviewed_is_under_75_characters():
    assert claim_reviewed(_claim("Short enough.")) == "Short enough."
    long = "word " * 40
    cut = claim_reviewed(_claim(long))
    assert len(cut) <= 74 and cut.endswith("…") and not cut.endswith(" …")
    assert claim_reviewed(_claim(long, short="Own wording")) == "Own wording"
    assert len(claim_reviewed(_claim("x" * 200))) <= 74


def test_every_status_has_a_rating_on_the_documented_scale():
    assert sorted(v for v, _ in RATINGS.values()) == [1, 2, 3, 4]
    assert {k for k in RATINGS} == {"reported", "confirmed", "disputed", "denied"}


def test_fact_box_claimreview_and_csl_validate(tmp_path):
    out = build_fact_box(tmp_path)
    reviews = json.loads((out / f"{STEM}.claimreview.json").read_text(encoding="utf-8"))
    assert [r["claimReviewed"] for r in reviews] == [
        "Several thousand soldiers are training abroad.",
        "A claim that looks like markup",
        claim_reviewed(
            _claim(
                'A spokesman dismissed the reports as a "hoax", in a statement that was '
                "carried by several outlets and that runs well past seventy-five characters."
            )
        ),
    ]
    for review in reviews:
        jsonschema.validate(review, CLAIM_REVIEW)
    first, second, third = reviews
    assert first["reviewRating"]["alternateName"] == "Unconfirmed"
    assert second["reviewRating"]["ratingValue"] == 4
    assert third["reviewRating"]["alternateName"] == "Denied"
    assert first["author"] == {"@type": "Organization", "name": "Example News"}
    assert first["itemReviewed"]["datePublished"] == "2024-10"
    assert second["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": "Volodymyr Zelenskyy",
        "jobTitle": "President",
        "affiliation": {"@type": "Organization", "name": "Ukraine"},
    }
    assert third["itemReviewed"]["author"] == {"@type": "Organization", "name": "Kremlin"}

    items = json.loads((out / f"{STEM}.csl.json").read_text(encoding="utf-8"))
    jsonschema.validate(items, CSL_DATA)
    assert [i["id"] for i in items] == [
        "nk-officers-intel-kovalenko",
        "zelenskyy-nk-contingent",
        "isw-several-thousand-frontline",
        "nk-training-wp-summary",
    ]
    assert all(i["type"] == "article-newspaper" for i in items)
    byline = next(i for i in items if i["id"] == "zelenskyy-nk-contingent")
    assert byline["author"] == [{"literal": "Liliana Oleniak"}]


def test_csl_keeps_only_what_the_catalog_records():
    from factsheet.content.publishing import csl_items
    from factsheet.sources.model import FactSheet, PartialDate, Source

    known = Source(
        "a",
        "a.txt",
        "0" * 64,
        outlet="Daily",
        headline="H",
        author="A. Writer",
        published=PartialDate("2024-10"),
        url="https://example.org/a",
        language="pl",
    )
    bare = Source("b", "b.txt", "0" * 64)
    import datetime

    sheet = FactSheet(
        "t",
        datetime.date(2025, 1, 1),
        [Claim("c", "t", "reported", Attribution("w", True), (Citation("a", "q"), Citation("b", "q")))],
        sources={"a": known, "b": bare},
    )
    items = csl_items(sheet)
    jsonschema.validate(items, CSL_DATA)
    assert items == [
        {
            "id": "a",
            "type": "article-newspaper",
            "title": "H",
            "container-title": "Daily",
            "author": [{"literal": "A. Writer"}],
            "issued": {"date-parts": [[2024, 10]]},
            "URL": "https://example.org/a",
            "language": "pl",
        },
        {"id": "b", "type": "article-newspaper"},
    ]


@pytest.mark.parametrize(
    "drop, expected",
    [
        (
            "  url: https://news.example.org/fact-box/troops-abroad\n",
            "fact-box.yaml:18:14: warning: 3 claims are marked publish: true, but publication.url is missing: "
            "ClaimReview requires the address of the page that publishes the fact box",
        ),
    ],
)
def test_check_warns_when_publication_lacks_what_claimreview_requires(tmp_path, drop, expected):
    text = FIXTURE.read_text(encoding="utf-8")
    assert drop in text
    root = fact_box_project(tmp_path, text.replace(drop, ""))
    result = run_cli("check", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if "warning" in line]
    assert any(line.endswith(expected) for line in lines), lines


def test_check_warns_before_cutting_a_long_claim(tmp_path):
    root = fact_box_project(tmp_path)
    result = run_cli("check", cwd=root)
    assert result.returncode == 0
    assert (
        "warning: claim 'hoax' is published as ClaimReview, whose claimReviewed must be under 75 "
        "characters; its text will be cut to"
    ) in result.stdout


def test_sheet_without_published_claims_writes_no_claimreview(tmp_path):
    out = build_fact_box(tmp_path)  # first with published claims: the ClaimReview file is written
    assert json.loads((out / f"{STEM}.claimreview.json").read_text(encoding="utf-8"))
    unpublished = FIXTURE.read_text(encoding="utf-8").replace("    publish: true\n", "")
    (tmp_path / "factsheets" / FIXTURE.name).write_text(unpublished, encoding="utf-8")
    result = run_cli("build", "--format", "html", "--out", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # no empty list that would say the page publishes reviews, and the earlier file is gone
    assert sorted(p.name for p in out.iterdir()) == [f"{STEM}.csl.json", f"{STEM}.html"]
    assert (
        f"no out/{STEM}.claimreview.json: no claim is marked publish: true; "
        f"removed the earlier out/{STEM}.claimreview.json"
    ) in result.stderr
    page = (out / f"{STEM}.html").read_text(encoding="utf-8")
    assert "application/ld+json" not in page and "claimreview.json" not in page
