"""Output writers, chosen by format name from one registry; each turns a Document into bytes.

A writer is a function ``write(document, options) -> bytes`` in a module of its
own, named in :data:`WRITERS` with a line of help. :func:`write` is the one way
to call one: it checks the document first, whatever the format, and sets up
the fonts and the cache the options name. ``--format`` takes its choices and
its help from the registry.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from factsheet.rendering.document import Document


@dataclass(frozen=True)
class WriterOptions:
    """What every writer is told besides the document; the CLI makes it from the command line and environment."""

    #: The folders the DejaVu fonts are looked for in, in order; None: as this process was told
    #: last (at first, Debian's folder).
    font_dirs: tuple[Path, ...] | None = None
    #: The cache folder for font subsets and parsed fonts; False: no cache; None: as this
    #: process was told last (at first, ``~/.cache/factsheet``).
    cache_dir: Path | Literal[False] | None = None
    #: The PDF standards a PDF conforms to: "ua1" (tagged, PDF/UA-1), "a2" (PDF/A-2); empty: plain.
    pdf_profiles: tuple[str, ...] = ("ua1", "a2")
    #: "a4" or "letter" for every output; None: the paper the sheet asks for.
    paper: str | None = None

    def apply(self) -> None:
        """Use these fonts and this cache folder in this process (and the processes it forks)."""
        from factsheet import cache
        from factsheet.rendering import fonts

        if self.font_dirs is not None:
            fonts.use_dirs(self.font_dirs)
        if self.cache_dir is not None:
            cache.use(self.cache_dir or None)


class Writer(NamedTuple):
    """A registered format: where its write function is, and what it is, for ``--format``'s help."""

    module: str
    function: str
    help: str = ""
    #: The file name ending when it is not the format's name.
    extension: str = ""
    #: The document field this format holds alone, when it is one: an empty one means
    #: nothing to write, so no file is written (an empty ClaimReview list would say
    #: the page publishes reviews when it publishes none).
    holds: str = ""
    #: Why that field can be empty, in the words of the sheet, for the line saying so.
    empty_when: str = ""


#: Writers by format name, imported only when that format is built. A writer module may
#: also offer ``prepare()``, to load what it needs ahead of a write. The PDF comes last:
#: the slowest writer is the one started early in a second process.
WRITERS: dict[str, Writer] = {
    "docx": Writer("factsheet.writers.docx", "write_docx", "Word document with native footnotes"),
    "html": Writer(
        "factsheet.writers.html", "write_html", "web fact box (with its ClaimReview and CSL-JSON)"
    ),
    "claimreview": Writer(
        "factsheet.writers.linkeddata",
        "write_claimreview",
        "schema.org ClaimReview JSON-LD",
        "claimreview.json",
        holds="linked_data",
        empty_when="no claim is marked publish: true",
    ),
    "csl": Writer("factsheet.writers.linkeddata", "write_csl", "the cited articles as CSL-JSON", "csl.json"),
    "pdf": Writer("factsheet.writers.pdf", "write_pdf", "tagged PDF (PDF/UA-1, PDF/A-2)"),
}

#: Formats written whenever another is: the web fact box comes with its ClaimReview
#: and its sources as CSL-JSON, for the page's publisher and for citation managers.
COMPANIONS = {"html": ("claimreview", "csl")}

WriteFunction = Callable[["Document", WriterOptions], bytes]


def writer(fmt: str) -> WriteFunction:
    """Return the write function of ``fmt`` (importing its module now)."""
    entry = WRITERS[fmt]
    function: WriteFunction = getattr(importlib.import_module(entry.module), entry.function)
    return function


def write(fmt: str, document: Document, options: WriterOptions | None = None) -> bytes:
    """Return ``document`` as bytes of ``fmt``: checked first, then written with ``options``.

    Raises RenderError for a document no writer may draw (a note reference
    without its note, a misshapen table) and for what this format cannot draw.
    """
    from factsheet.rendering.validate import check_document

    options = options or WriterOptions()
    check_document(document)
    options.apply()
    if options.paper is not None and options.paper != document.paper:
        document = dataclasses.replace(document, paper=options.paper)
    return writer(fmt)(document, options)


def has_content(fmt: str, document: Document) -> bool:
    """Return False when ``fmt`` would hold nothing for ``document``: that format writes no file."""
    entry = WRITERS.get(fmt)
    return not (entry and entry.holds) or bool(getattr(document, entry.holds))


def written(formats: list[str], document: Document) -> list[str]:
    """Return the formats of ``formats`` that have something to write for ``document``."""
    return [fmt for fmt in formats if has_content(fmt, document)]


def prepare(fmt: str) -> None:
    """Load the writer of ``fmt`` and what it needs, ahead of a first write."""
    module = importlib.import_module(WRITERS[fmt].module)
    getattr(module, "prepare", lambda: None)()


def format_help() -> str:
    """Return the formats a user names in ``--format`` with their help (a companion is told of by its format's)."""
    return "; ".join(f"{name}: {WRITERS[name].help}" for name in choosable() if WRITERS[name].help)


#: The formats a user names in ``--format``, in the order help and messages list them.
def choosable() -> tuple[str, ...]:
    """Return the registered formats a user names in ``--format``: all but the companions of another."""
    companions = {c for names in COMPANIONS.values() for c in names}
    first = [n for n in ("docx", "pdf", "html") if n in WRITERS]  # the order help has always listed
    return tuple(first + [n for n in WRITERS if n not in companions and n not in first])


#: The formats named in ``--format`` when nothing else is registered.
CHOOSABLE = choosable()


def formats_help(default: str) -> str:
    """Return the ``--format`` help of build, watch and export: the registered formats and what each is."""
    return f"comma-separated: {', '.join(choosable())} (default: {default}); {format_help()}"


def output_name(stem: str, fmt: str) -> str:
    """Return the file name of a sheet's output in ``fmt``, e.g. ``stem.pdf``, ``stem.csl.json``."""
    entry = WRITERS.get(fmt)
    return f"{stem}.{(entry.extension if entry else '') or fmt}"


def parse_formats(value: str) -> list[str]:
    """Return the formats named in a comma-separated option value, in WRITERS order."""
    from factsheet.errors import InvocationError

    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in choosable()]
    if unknown or not names:
        raise InvocationError(
            f"--format: expected a comma-separated list of {', '.join(choosable())}, found {value!r}"
        )
    names += [c for n in names for c in COMPANIONS.get(n, ())]
    return [n for n in WRITERS if n in names]
