"""Output writers, chosen by format name from a registry; each turns a Document into bytes."""

#: Writers by format name: module and function, imported only when that format is built.
#: A writer module may also offer ``prepare()``, to load what it needs ahead of a write.
#: The PDF comes last: the slowest writer is the one started early in a second process.
WRITERS = {
    "docx": ("factsheet.writers.docx", "write_docx"),
    "html": ("factsheet.writers.html", "write_html"),
    "claimreview": ("factsheet.writers.linkeddata", "write_claimreview"),
    "csl": ("factsheet.writers.linkeddata", "write_csl"),
    "pdf": ("factsheet.writers.pdf", "write_pdf"),
}

#: File name endings that are not simply the format's name.
EXTENSIONS = {"claimreview": "claimreview.json", "csl": "csl.json"}

#: Formats written whenever another is: the web fact box comes with its ClaimReview
#: and its sources as CSL-JSON, for the page's publisher and for citation managers.
COMPANIONS = {"html": ("claimreview", "csl")}

#: The formats a user names in ``--format``, in the order help and messages list them.
CHOOSABLE = tuple(n for n in ("docx", "pdf", "html") if n in WRITERS)


def formats_help(default: str) -> str:
    """Return the ``--format`` help of build, watch and export, listing :data:`CHOOSABLE`."""
    return f"comma-separated: {', '.join(CHOOSABLE)} (default: {default})"


def output_name(stem: str, fmt: str) -> str:
    """Return the file name of a sheet's output in ``fmt``, e.g. ``stem.pdf``, ``stem.csl.json``."""
    return f"{stem}.{EXTENSIONS.get(fmt, fmt)}"


def parse_formats(value: str) -> list[str]:
    """Return the formats named in a comma-separated option value, in WRITERS order."""
    from factsheet.errors import InvocationError

    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in CHOOSABLE]
    if unknown or not names:
        raise InvocationError(
            f"--format: expected a comma-separated list of {', '.join(CHOOSABLE)}, found {value!r}"
        )
    names += [c for n in names for c in COMPANIONS.get(n, ())]
    return [n for n in WRITERS if n in names]
