"""Output writers, chosen by format name from a registry; each turns a Document into bytes."""

#: Writers by format name: module and function, imported only when that format is built.
#: A writer module may also offer ``prepare()``, to load what it needs ahead of a write.
WRITERS = {
    "docx": ("factsheet.writers.docx", "write_docx"),
    "pdf": ("factsheet.writers.pdf", "write_pdf"),
}
