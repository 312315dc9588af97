"""Watcher.affected: which sheets a changed file makes stale, and only those."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.pipeline.watch import Target, Watcher
from factsheet.project import Project


@pytest.fixture
def watcher(tmp_path) -> Watcher:
    """A watcher over a project of three sheets: a and b loaded (a cites s1, b cites s2), c never loaded."""
    for folder in ("seeds", "templates", "factsheets"):
        (tmp_path / folder).mkdir()
    (tmp_path / "seeds" / "catalog.yaml").write_text("sources: {}\n")
    for name in ("s1", "s2", "s3"):
        (tmp_path / "seeds" / f"{name}.txt").write_text("text\n")
    (tmp_path / "templates" / "brief.xml.j2").write_text("")
    sheets = {}
    for name in ("a", "b", "c"):
        sheets[name] = tmp_path / "factsheets" / f"{name}.yaml"
        sheets[name].write_text("title: T\n")
    (tmp_path / "factsheets" / "notes.txt").write_text("not a sheet\n")
    w = Watcher(Project(tmp_path), [], ["pdf"], tmp_path / "out", "brief")
    w.targets[sheets["a"]] = Target(sheets["a"], frozenset({"s1"}), ok=True)
    w.targets[sheets["b"]] = Target(sheets["b"], frozenset({"s2"}), ok=True)
    return w


def names(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def test_a_changed_sheet_makes_only_itself_stale(watcher):
    root = watcher.project.root
    assert names(watcher.affected([root / "factsheets" / "b.yaml"])) == ["b"]


def test_a_changed_article_makes_stale_the_sheets_citing_it_and_those_never_loaded(watcher):
    seeds = watcher.project.seeds_dir
    assert names(watcher.affected([seeds / "s1.txt"])) == ["a", "c"]
    assert names(watcher.affected([seeds / "s2.txt"])) == ["b", "c"]
    assert names(watcher.affected([seeds / "s3.txt"])) == ["c"]


def test_a_sheet_whose_last_build_failed_is_rebuilt_on_any_article_change(watcher):
    a = watcher.project.factsheets_dir / "a.yaml"
    watcher.targets[a].ok = False
    assert names(watcher.affected([watcher.project.seeds_dir / "s2.txt"])) == ["a", "b", "c"]


def test_the_catalog_or_a_template_makes_every_sheet_stale(watcher):
    every = ["a", "b", "c"]
    assert names(watcher.affected([watcher.project.seeds_dir / "catalog.yaml"])) == every
    assert names(watcher.affected([watcher.project.templates_dir / "brief.xml.j2"])) == every


def test_other_files_make_nothing_stale_and_order_is_build_order(watcher):
    root = watcher.project.root
    assert watcher.affected([root / "factsheets" / "notes.txt", root / "README.md"]) == []
    changed = [root / "factsheets" / "c.yaml", root / "factsheets" / "a.yaml", root / "factsheets" / "a.yaml"]
    assert names(watcher.affected(changed)) == ["a", "c"]


def test_named_sheets_limit_what_is_stale(watcher):
    root = watcher.project.root
    watcher.paths = [root / "factsheets" / "b.yaml"]
    assert names(watcher.affected([watcher.project.templates_dir / "brief.xml.j2"])) == ["b"]
    assert watcher.affected([root / "factsheets" / "a.yaml"]) == []
