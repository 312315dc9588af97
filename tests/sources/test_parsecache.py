"""A catalog read through the disk cache is the catalog read afresh; only a clean one is kept."""

from __future__ import annotations

import hashlib
import pickle
import shutil

import pytest

from factsheet import cache
from factsheet.sources import parsecache
from factsheet.sources.loading import load_file
from factsheet.sources.seeds import SeedLibrary

from conftest import NK_PROJECT

CATALOG = "seeds/catalog.yaml"


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(NK_PROJECT / "seeds", folder)
    return folder


def _kept(cache_at):
    return sorted((cache_at / "yaml").glob("*.bin")) if (cache_at / "yaml").is_dir() else []


def _same_as_fresh(library: SeedLibrary, seeds) -> None:
    fresh = load_file(seeds / "catalog.yaml", CATALOG, "sources")
    doc = library.catalog
    assert doc is not None
    assert (doc.file, doc.data, doc.raw, doc.lines) == (fresh.file, fresh.data, fresh.raw, fresh.lines)
    assert list(doc.value_pos.items()) == list(fresh.value_pos.items())
    assert list(doc.key_pos.items()) == list(fresh.key_pos.items())


def test_a_kept_catalog_reads_as_the_catalog_read_afresh(cache_at, seeds):
    first = SeedLibrary(seeds, CATALOG)
    assert first.problems == [] and len(_kept(cache_at)) == 1
    again = SeedLibrary(seeds, CATALOG)
    assert type(again.catalog).__name__ == "_KeptLocated"  # read from the cache this time
    assert again.sources == first.sources and again.problems == []
    _same_as_fresh(again, seeds)


def test_dates_numbers_and_nested_values_come_back_as_they_were(tmp_path):
    text = (
        "sources:\n- id: a\n  on: 2024-10-18\n  at: [2025-01-02, '2025-01-03', 3, 2.5, .inf, true, null]\n"
        "  deep: {x: {y: [2024-02-29]}}\n"
    )
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8")
    fresh = load_file(path, CATALOG, "sources")
    kept = parsecache.decoded(parsecache.encode(fresh), CATALOG, fresh.raw)
    assert kept.data == fresh.data
    assert [type(v).__name__ for v in kept.data["sources"][0]["at"]] == [
        "date",
        "str",
        "int",
        "float",
        "float",
        "bool",
        "NoneType",
    ]
    assert type(kept.data["sources"][0]["deep"]["x"]["y"][0]).__name__ == "date"
    assert (kept.value_pos, kept.key_pos, kept.lines) == (fresh.value_pos, fresh.key_pos, fresh.lines)


def test_a_problem_found_in_a_kept_catalog_is_placed_where_it_stands(cache_at, seeds):
    SeedLibrary(seeds, CATALOG)
    article = next(seeds.glob("*.txt"))
    article.write_bytes(article.read_bytes() + b" changed")
    library = SeedLibrary(seeds, CATALOG)
    source_id = article.stem
    assert library.article(source_id) is None
    [problem] = library.problems
    fresh = load_file(seeds / "catalog.yaml", CATALOG, "sources")
    index = next(i for i, e in enumerate(fresh.data["sources"]) if e["id"] == source_id)
    assert (problem.line, problem.col) == fresh.pos(("sources", index, "sha256"))
    assert f"{article.name} has changed" in problem.message


def test_a_catalog_with_problems_is_never_kept(cache_at, seeds):
    catalog = seeds / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("sha256:", "sha265:", 1), encoding="utf-8")
    first = SeedLibrary(seeds, CATALOG).problems
    assert first and _kept(cache_at) == []
    assert SeedLibrary(seeds, CATALOG).problems == first  # reported again, as found


def test_an_edited_catalog_is_read_afresh(cache_at, seeds):
    SeedLibrary(seeds, CATALOG)
    catalog = seeds / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    library = SeedLibrary(seeds, CATALOG)
    assert library.catalog.raw.endswith(b"# reviewed\n") and len(_kept(cache_at)) == 2
    _same_as_fresh(library, seeds)


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b'{"sources": []}\n[[],[]]',
        b'[{"sources": []}, [["sources", 0]]]\n[[],[]]',  # a date path to nothing
        b'[{"sources": [{"published": 7}]}, [["sources", 0, "published"]]]\n[[],[]]',
        b"[[], []]\n[[],[]]",
    ],
)
def test_an_entry_that_is_not_a_kept_file_is_discarded(cache_at, seeds, payload):
    SeedLibrary(seeds, CATALOG)
    [entry] = _kept(cache_at)
    entry.write_bytes(cache._MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
    library = SeedLibrary(seeds, CATALOG)
    assert library.problems == [] and library.sources == SeedLibrary(seeds, CATALOG).sources
    _same_as_fresh(library, seeds)


def test_positions_that_do_not_read_are_found_again(cache_at, seeds):
    SeedLibrary(seeds, CATALOG)
    [entry] = _kept(cache_at)
    payload = entry.read_bytes().split(b"\n", 2)[2]
    values = payload.partition(b"\n")[0]
    broken = values + b"\n[[[1]],[]]"
    entry.write_bytes(cache._MAGIC + hashlib.sha256(broken).hexdigest().encode() + b"\n" + broken)
    library = SeedLibrary(seeds, CATALOG)
    assert type(library.catalog).__name__ == "_KeptLocated"
    _same_as_fresh(library, seeds)


def test_without_a_cache_nothing_is_kept(cache_at, seeds):
    cache.use(None)
    library = SeedLibrary(seeds, CATALOG)
    assert library.problems == [] and not cache_at.exists()
    _same_as_fresh(library, seeds)


def test_the_render_process_is_sent_the_values_alone(cache_at, seeds):
    library = SeedLibrary(seeds, CATALOG)
    source_id = next(iter(library.sources))
    library.article(source_id)
    sent = pickle.loads(pickle.dumps(library))
    assert sent.catalog.data == library.catalog.data and sent.catalog.raw == b""
    assert sent.catalog.value_pos == {} and sent.catalog.lines == []
    assert sent.entry(source_id) == library.entry(source_id)
    assert sent.article(source_id).text == library.article(source_id).text
    assert len(pickle.dumps(sent)) < len(pickle.dumps(library.catalog))


def test_a_kept_file_pickles_as_the_file_it_stands_for(cache_at, seeds):
    SeedLibrary(seeds, CATALOG)
    doc = SeedLibrary(seeds, CATALOG).catalog
    copy = pickle.loads(pickle.dumps(doc))
    assert type(copy).__name__ == "Located" and copy == load_file(seeds / "catalog.yaml", CATALOG, "sources")


def test_the_format_is_in_the_key(cache_at, seeds, monkeypatch):
    SeedLibrary(seeds, CATALOG)
    monkeypatch.setattr(parsecache, "FORMAT", parsecache.FORMAT + 1)
    SeedLibrary(seeds, CATALOG)
    assert len(_kept(cache_at)) == 2


def test_an_edited_check_never_meets_what_the_code_before_it_kept(cache_at, seeds, monkeypatch):
    SeedLibrary(seeds, CATALOG)
    identity = cache.file_identity

    def edited(path):
        return identity(path) + (":edited" if path.endswith("schema.py") else "")

    monkeypatch.setattr(cache, "file_identity", edited)
    SeedLibrary(seeds, CATALOG)
    assert len(_kept(cache_at)) == 2
