"""What the environment says (fonts, cache): read here, at the top, and handed down as WriterOptions."""

from __future__ import annotations

from collections.abc import Mapping

from factsheet import cache
from factsheet.rendering import fonts
from factsheet.writers import WriterOptions


def writer_options(environ: Mapping[str, str]) -> WriterOptions:
    """Return the writer options ``FACTSHEET_FONT_DIR``, ``FACTSHEET_CACHE_DIR`` and ``XDG_CACHE_HOME`` ask for."""
    return WriterOptions(
        font_dirs=fonts.search_dirs(environ), cache_dir=cache.default_folder(environ) or False
    )
