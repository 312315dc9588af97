"""How watch sees a save: a file is handed over once its writer has closed it, a file left open after quiet."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from factsheet.pipeline import watch

from conftest import import_or_skip

#: Only a guard against a hung watch; no test measures time.
PATIENCE = 120


@pytest.fixture(autouse=True)
def inotify():
    import_or_skip("inotify_simple", "watch sees saves through Linux's inotify")


def _next_batch(batches: Iterator[set[Path]]) -> set[Path]:
    """Return the next non-empty batch (empty ones only say the watch is idle)."""
    got: list[set[Path]] = []

    def take() -> None:
        for batch in batches:
            if batch:
                got.append(batch)
                return

    reader = threading.Thread(target=take, daemon=True)
    reader.start()
    reader.join(PATIENCE)
    assert got, "no batch of changes"
    return got[0]


def test_a_closed_file_is_handed_over_without_waiting_for_quiet(tmp_path, monkeypatch):
    monkeypatch.setattr(watch, "SETTLE_MS", 24 * 3600 * 1000)  # a day: only a file left open waits for it
    batches = watch.changes([tmp_path])
    (tmp_path / "sheet.yaml").write_text("title: T\n", encoding="utf-8")
    assert _next_batch(batches) == {tmp_path / "sheet.yaml"}


def test_a_file_renamed_into_place_and_one_removed_are_handed_over(tmp_path, monkeypatch):
    monkeypatch.setattr(watch, "SETTLE_MS", 24 * 3600 * 1000)
    (tmp_path / "old.yaml").write_text("title: T\n", encoding="utf-8")
    staged = tmp_path / ".sheet.yaml.swp"  # an editor's temporary file: no input
    staged.write_text("title: T\n", encoding="utf-8")
    batches = watch.changes([tmp_path])
    os.replace(staged, tmp_path / "sheet.yaml")
    (tmp_path / "old.yaml").unlink()
    changed = _next_batch(batches)
    assert tmp_path / "sheet.yaml" in changed
    if len(changed) == 1:  # the removal came in a batch of its own
        changed |= _next_batch(batches)
    assert changed == {tmp_path / "sheet.yaml", tmp_path / "old.yaml"}


def test_a_file_still_open_for_writing_is_handed_over_after_quiet(tmp_path, monkeypatch):
    monkeypatch.setattr(watch, "SETTLE_MS", 50)
    batches = watch.changes([tmp_path])
    with open(tmp_path / "sheet.yaml", "w", encoding="utf-8") as fh:
        fh.write("title: T\n")
        fh.flush()
        assert _next_batch(batches) == {tmp_path / "sheet.yaml"}
