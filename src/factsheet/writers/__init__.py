"""Output writers, chosen by format name from a registry; each turns a Document into bytes."""

#: Writers by format name: module and function, imported only when that format is built.
#: A writer module may also offer ``prepare()``, to load what it needs ahead of a write.
WRITERS = {
    "docx": ("factsheet.writers.docx", "write_docx"),
    "pdf": ("factsheet.writers.pdf", "write_pdf"),
}


def parse_formats(value: str) -> list[str]:
    """Return the formats named in a comma-separated option value, in WRITERS order."""
    from factsheet.errors import UsageError

    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in WRITERS]
    if unknown or not names:
        raise UsageError(f"--format: expected a comma-separated list of {', '.join(WRITERS)}, found {value!r}")
    return [n for n in WRITERS if n in names]
