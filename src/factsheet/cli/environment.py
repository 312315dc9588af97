"""What the environment says, read here at the top and handed down: fonts, cache, root, time, terminal."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factsheet.writers import WriterOptions


def writer_options(environ: Mapping[str, str]) -> WriterOptions:
    """Return the writer options ``FACTSHEET_FONT_DIR``, ``FACTSHEET_CACHE_DIR`` and ``XDG_CACHE_HOME`` ask for."""
    # imported here: commands that write nothing (check, diff) load no writer and no font code
    from factsheet import cache
    from factsheet.rendering import fonts
    from factsheet.writers import WriterOptions

    return WriterOptions(
        font_dirs=fonts.search_dirs(environ), cache_dir=cache.default_folder(environ) or False
    )


def settle(args: argparse.Namespace, environ: Mapping[str, str]) -> None:
    """Put on ``args`` what the environment says to every command, so no stage reads it.

    ``root``: ``--root``, else ``FACTSHEET_ROOT``; ``source_date_epoch``: the
    ``SOURCE_DATE_EPOCH`` a redline and an export date themselves by;
    ``no_color`` (``NO_COLOR`` set to any text) and ``dumb_terminal``
    (``TERM=dumb``): whether a terminal gets colour and a progress bar.
    """
    args.root = getattr(args, "root", None) or environ.get("FACTSHEET_ROOT") or None
    args.source_date_epoch = environ.get("SOURCE_DATE_EPOCH")
    args.no_color = bool(environ.get("NO_COLOR"))
    args.dumb_terminal = environ.get("TERM") == "dumb"
