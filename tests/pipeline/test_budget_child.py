"""The budget's child: what it inherits is left out of the cycle collector's walks, the parent's untouched."""

from __future__ import annotations

import gc

from factsheet.pipeline.budget import Budget, run_within


def test_the_child_freezes_what_it_inherits_and_the_parent_does_not():
    inherited = [[object()] for _ in range(100)]  # objects the child is born with
    frozen, _ = run_within(Budget.for_sheet(1, "brief"), gc.get_freeze_count)
    assert frozen >= len(inherited)
    assert gc.get_freeze_count() == 0  # a long-lived parent (watch, export) still collects all it makes
