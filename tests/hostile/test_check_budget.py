"""`check` stays bounded per sheet: unfound quotes in long articles, a quote matching everywhere."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
import yaml

from bounded import run
from factsheet.sources.check import MAX_NEAREST_WORDS
from factsheet.sources.seeds import MAX_ARTICLE_BYTES

WORDS = "the troops said officials were sent to front near region village ministry report".split()


def _project(tmp: Path, article: str, quotes: list[str]) -> Path:
    root = tmp / "project"
    (root / "seeds").mkdir(parents=True)
    (root / "factsheets").mkdir()
    (root / "templates").mkdir()
    data = article.encode("utf-8")
    (root / "seeds" / "long.txt").write_bytes(data)
    catalog = {
        "sources": [
            {
                "id": "long",
                "file": "long.txt",
                "original": None,
                "sha256": hashlib.sha256(data).hexdigest(),
                "outlet": None,
                "headline": "A very long article",
                "author": None,
                "published": None,
                "url": None,
                "language": "en",
                "notes": None,
            }
        ]
    }
    (root / "seeds" / "catalog.yaml").write_text(yaml.safe_dump(catalog, sort_keys=False), encoding="utf-8")
    claims = [
        {
            "id": f"claim-{i}",
            "text": "Officials said troops were sent.",
            "status": "reported",
            "attribution": {"who": "An official", "on_record": False},
            "citations": [{"source": "long", "quote": quote}],
        }
        for i, quote in enumerate(quotes)
    ]
    sheet = {"title": "Long sheet", "as_of": "2025-01-14", "claims": claims}
    (root / "factsheets" / "long.yaml").write_text(yaml.safe_dump(sheet, sort_keys=False), encoding="utf-8")
    return root


def _long_article() -> str:
    rng = random.Random(7)
    out, size = [], 0
    while size < MAX_ARTICLE_BYTES - 100:
        line = " ".join(rng.choice(WORDS) for _ in range(12)) + ".\n"
        out.append(line)
        size += len(line)
    return "".join(out)


def test_200_unfound_quotes_in_a_5_mb_article_spend_one_budget_per_sheet(tmp_path):
    article = _long_article()
    words = len(article.split())
    quotes = [f"the troops said unheardof{i} were sent to front" for i in range(200)]
    root = _project(tmp_path, article, quotes)
    result = run(root, "check", "factsheets/long.yaml")
    assert result.returncode == 1
    lines = result.stdout.strip().split("\n")
    shown = [line for line in lines if "nearest passage is line" in line]
    skipped = [line for line in lines if "no nearest passage shown" in line]
    assert len(shown) == MAX_NEAREST_WORDS // words  # as many searches as the budget reads
    assert len(shown) + len(skipped) == 200  # and one line for every unfound quote
    assert skipped[0].endswith(
        "quote not found in long; no nearest passage shown (this sheet's search budget of "
        f"{MAX_NEAREST_WORDS:,} article words is spent: fix the quotes above first)"
    )


@pytest.mark.parametrize("quote", ["ha ha ha ha ha ha", "ha ha ha ha ha ha ha ha ha ha ha ha ha ha ha"])
def test_a_quote_matching_at_every_word_of_a_5_mb_article_is_checked_in_bounds(tmp_path, quote):
    article = "ha " * ((MAX_ARTICLE_BYTES - 100) // 3)
    root = _project(tmp_path, article, [quote, quote + " ha"])
    result = run(root, "check", "factsheets/long.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
