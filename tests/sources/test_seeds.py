"""The seed library: stored articles are the received bytes, and the catalog says so."""

from __future__ import annotations

import hashlib

import pytest

from factsheet.sources.seeds import SeedLibrary

import required
from conftest import NK_PROJECT, REPO

SHARED_SEEDS = REPO.parent / "shared" / "seeds"
#: The North Korea articles, as received; the live catalog may hold other stories' articles too.
NK_IDS = set(SeedLibrary(NK_PROJECT / "seeds").sources)


def test_catalog_loads_without_problems():
    library = SeedLibrary(REPO / "seeds")
    assert library.problems == []
    assert set(library.sources) >= NK_IDS
    assert all(library.article(i) is not None for i in library.sources)
    assert library.problems == []


@pytest.mark.parametrize("source_id", list(SeedLibrary(REPO / "seeds").sources))
def test_catalog_sha256_matches_stored_bytes(source_id):
    source = SeedLibrary(REPO / "seeds").sources[source_id]
    data = (REPO / "seeds" / source.file).read_bytes()
    assert hashlib.sha256(data).hexdigest() == source.sha256


def test_stored_articles_are_byte_identical_to_originals():
    required.present(
        SHARED_SEEDS.is_dir(), f"the received articles ({SHARED_SEEDS}) are not beside this checkout"
    )
    library = SeedLibrary(REPO / "seeds")
    received = [s for s in library.sources.values() if s.id in NK_IDS]
    originals = sorted(p.name for p in SHARED_SEEDS.glob("*.txt"))
    assert sorted(s.original for s in received) == originals
    for source in received:
        original = (SHARED_SEEDS / source.original).read_bytes()
        stored = (REPO / "seeds" / source.file).read_bytes()
        assert hashlib.sha256(stored).hexdigest() == hashlib.sha256(original).hexdigest(), source.id


def test_unknown_metadata_is_null_never_guessed():
    # The received articles came with no URLs and no full dates: nothing may claim otherwise.
    # A year or an outlet is recorded only where the article shows it, with a note saying so.
    sources = {i: s for i, s in SeedLibrary(REPO / "seeds").sources.items() if i in NK_IDS}
    for source in sources.values():
        assert source.url is None
        assert source.published is None or source.published.precision == "year"
        if source.published is not None:
            assert "Year:" in source.notes or "the year is inferred" in source.notes
        if source.outlet is not None:
            assert "Outlet:" in source.notes
    assert {s.id: str(s.published) for s in sources.values() if s.published} == {
        "isw-several-thousand-frontline": "2024",
        "skorea-3000-more-troops": "2025",
    }
    assert sources["zelenskyy-nk-contingent"].author == "Liliana Oleniak"


def test_changed_article_is_reported_against_its_catalog_line(project):
    path = project / "seeds" / "skorea-3000-more-troops.txt"
    path.write_bytes(path.read_bytes() + b" tampered")
    library = SeedLibrary(project / "seeds", "seeds/catalog.yaml")
    assert library.article("skorea-3000-more-troops") is None
    [problem] = library.problems
    assert problem.path == "seeds/catalog.yaml"
    assert "skorea-3000-more-troops.txt has changed: expected sha256" in problem.message


def test_a_catalog_entry_is_found_by_its_id_the_first_of_two_alike(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    text = b"A harbour report.\n"
    digest = hashlib.sha256(text).hexdigest()
    (seeds / "harbour.txt").write_bytes(text)
    (seeds / "catalog.yaml").write_text(
        "sources:\n"
        f"  - {{id: harbour, file: harbour.txt, sha256: {digest}, outlet: First}}\n"
        f"  - {{id: harbour, file: harbour.txt, sha256: {digest}, outlet: Second}}\n",
        encoding="utf-8",
    )
    library = SeedLibrary(seeds)
    assert library.entry("harbour")["outlet"] == "First"
    assert library.entry("no-such-source") == {}
