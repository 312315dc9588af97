"""What became of a quote in a newer capture: every space a quote check names is typography only."""

from __future__ import annotations

import pytest

from factsheet.sources.quotes import _LOOK_LIKE_SPACE as LOOK_LIKE_SPACE
from factsheet.sources.quotes import Article
from factsheet.sources.revisions import GONE, HOLDS, TYPOGRAPHY, fate

OLD = Article("old", "The ferry costs 4.20 euros a trip, the council said on Monday.")


@pytest.mark.parametrize("space", sorted(LOOK_LIKE_SPACE))
def test_a_space_set_differently_is_a_typography_change(space):
    new = Article("new", OLD.text.replace("4.20 euros", f"4.20{space}euros"))
    assert fate("costs 4.20 euros a trip", OLD, new).kind == TYPOGRAPHY


def test_the_same_words_hold_and_other_words_are_not_typography():
    assert fate("costs 4.20 euros a trip", OLD, OLD).kind == HOLDS
    new = Article("new", "A season ticket for the harbour line is sold at the town hall.")
    assert fate("costs 4.20 euros a trip", OLD, new).kind == GONE
