"""Claim-level diffs of fact sheets.

Layers, each usable alone:

* ``load``     – YAML text → FactSheet, tolerant of sheets whose quotes no longer verify
* ``compare``  – FactSheet × FactSheet → SheetDiff (pure)
* ``formats``  – SheetDiff → terminal text, Markdown, JSON; FactSheet → textconv view
* ``git``      – versions of files from git, and ``git-setup`` (subprocess)
* ``redline``  – SheetDiff → Word document with native tracked changes
* ``command``  – the ``factsheet diff`` and ``factsheet git-setup`` commands
"""

from factsheet.review.compare import Change, ClaimDiff, SheetDiff, compare
from factsheet.review.load import DiffInputError, Side, read_side

__all__ = ["Change", "ClaimDiff", "SheetDiff", "compare", "DiffInputError", "Side", "read_side"]
