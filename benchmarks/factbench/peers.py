"""The same content for the peers: factsheet's document model as pandoc Markdown, HTML and Typst."""

from __future__ import annotations

import html
import json
import re
import shutil
from importlib import metadata
from pathlib import Path


def load_document(root: Path, sheet: Path, template: str = "brief"):
    """Return factsheet's document model of ``sheet`` (the content every tool renders)."""
    from factsheet.pipeline.build import Pipeline
    from factsheet.project import Project

    pipeline = Pipeline(Project(root), template)
    return pipeline.document(pipeline.load(sheet).sheet)


#: Characters pandoc's Markdown could read as markup (quotes too: no smart-quote conversion).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^$@&'\"])")


def _md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "\\\n")


def md_inlines(inlines) -> str:
    from factsheet.rendering.document import NoteRef

    out = []
    for node in inlines:
        if isinstance(node, NoteRef):
            out.append(f"[^{node.number}]")
            continue
        text = node.text
        core = text.strip(" ")
        if not core:
            out.append(text)
            continue
        lead, trail = text[: len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")) :]
        mark = ("**" if node.bold else "") + ("*" if node.italic else "")
        out.append(f"{lead}{mark}{_md_text(core)}{mark[::-1]}{trail}")
    return "".join(out)


def to_markdown(doc) -> str:
    """Return ``doc`` as pandoc Markdown: the same blocks, the same notes as footnotes."""
    from factsheet.rendering.document import BulletList, Heading, Paragraph, Table

    parts = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            parts.append("#" * block.level + " " + md_inlines(block.inlines))
        elif isinstance(block, Paragraph):
            parts.append(md_inlines(block.inlines))
        elif isinstance(block, BulletList):
            parts.append("\n".join("- " + md_inlines(item) for item in block.items))
        elif isinstance(block, Table):
            rows = [block.header, *block.rows]
            lines = ["| " + " | ".join(md_inlines(c) for c in row) + " |" for row in rows]
            total = sum(block.widths) or 1
            rule = (
                "|"
                + "|".join("-" * max(3, round(60 * w / total)) for w in block.widths or [1] * block.columns)
                + "|"
            )
            parts.append("\n".join([lines[0], rule, *lines[1:]]))
    parts.extend(f"[^{n.number}]: {md_inlines(n.inlines)}" for n in doc.footnotes)
    return "\n\n".join(parts) + "\n"


def html_inlines(inlines, notes) -> str:
    from factsheet.rendering.document import NoteRef

    out = []
    for node in inlines:
        if isinstance(node, NoteRef):
            out.append(f'<span class="fn">{html_inlines(notes[node.number - 1].inlines, notes)}</span>')
            continue
        text = html.escape(node.text, quote=False).replace("\n", "<br>")
        if node.italic:
            text = f"<em>{text}</em>"
        if node.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


HTML_STYLE = """
@page { size: A4; margin: 20mm 24mm 22mm 24mm;
  @bottom-left { content: "%(footer)s"; font: 7.5pt "DejaVu Sans"; color: #5f6368; }
  @bottom-right { content: counter(page) " / " counter(pages); font: 7.5pt "DejaVu Sans"; color: #5f6368; }
  @footnote { border-top: 0.5pt solid #9aa0a6; padding-top: 3pt; margin-top: 6pt; } }
html { font: 10.25pt/14pt "DejaVu Serif"; color: #1a1a1a; }
h1 { font: bold 20pt/24pt "DejaVu Sans"; margin: 0 0 8pt; }
h2 { font: bold 13pt/16pt "DejaVu Sans"; color: #1f3a5f; margin: 12pt 0 5pt; }
p { margin: 0 0 7pt; text-align: justify; }
p.dek { font-style: italic; font-size: 12.5pt; line-height: 17pt; color: #1f3a5f; }
p.meta { font: 8pt/11pt "DejaVu Sans"; color: #5f6368; }
ul { margin: 0 0 8pt; padding-left: 14pt; } li { margin-bottom: 3pt; }
table { border-collapse: collapse; width: 100%%; margin: 6pt 0; font: 8.5pt/10.5pt "DejaVu Sans"; }
th, td { border: 0.5pt solid #c3c7cc; padding: 2pt 3pt; vertical-align: top; text-align: left; }
th { background: #e8ebef; }
thead { display: table-header-group; }
.fn { float: footnote; font: 8pt/10pt "DejaVu Serif"; text-align: left; }
::footnote-call { content: counter(footnote); vertical-align: super; font-size: 6.5pt; line-height: 0; }
::footnote-marker { content: counter(footnote) ". "; }
"""


def to_html(doc) -> str:
    """Return ``doc`` as HTML for WeasyPrint: every note is a ``float: footnote`` span at its reference."""
    from factsheet.rendering.document import BulletList, Heading, Paragraph, Table

    notes = doc.footnotes
    body = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            body.append(f"<h{block.level}>{html_inlines(block.inlines, notes)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            cls = f' class="{block.role}"' if block.role else ""
            body.append(f"<p{cls}>{html_inlines(block.inlines, notes)}</p>")
        elif isinstance(block, BulletList):
            items = "".join(f"<li>{html_inlines(i, notes)}</li>" for i in block.items)
            body.append(f"<ul>{items}</ul>")
        elif isinstance(block, Table):
            total = sum(block.widths) or 1
            cols = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in block.widths)
            head = "".join(f"<th>{html_inlines(c, notes)}</th>" for c in block.header)
            rows = "".join(
                "<tr>" + "".join(f"<td>{html_inlines(c, notes)}</td>" for c in r) + "</tr>"
                for r in block.rows
            )
            body.append(
                f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
                f"<tbody>{rows}</tbody></table>"
            )
    footer = doc.footer.replace("\\", "\\\\").replace('"', '\\"')
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(doc.language)}"><head><meta charset="utf-8">'
        f"<title>{html.escape(doc.title)}</title><style>{HTML_STYLE % {'footer': footer}}</style></head>"
        f"<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


#: Characters Typst markup could read as markup; each is written with a backslash.
_TYPST_SPECIAL = re.compile(r"([\\#*_`$<>@\[\]~=\-+/'\":.,])")


def _typst_text(text: str) -> str:
    return "#linebreak()".join(_TYPST_SPECIAL.sub(r"\\\1", part) for part in text.split("\n"))


def typst_inlines(inlines, notes) -> str:
    from factsheet.rendering.document import NoteRef

    out = []
    for node in inlines:
        if isinstance(node, NoteRef):
            out.append(f"#footnote[{typst_inlines(notes[node.number - 1].inlines, notes)}]")
            continue
        text = _typst_text(node.text)
        if node.italic:
            text = f"#emph[{text}]"
        if node.bold:
            text = f"#strong[{text}]"
        out.append(text)
    return "".join(out)


TYPST_SETUP = """#set document(title: %(title)s)
#set page(paper: "a4", margin: (top: 20mm, bottom: 22mm, left: 24mm, right: 24mm),
  footer: context text(font: "DejaVu Sans", size: 7.5pt, fill: rgb("#5f6368"))[%(footer)s #h(1fr)
    Page #counter(page).display() of #counter(page).final().first()])
#set text(font: "DejaVu Serif", size: 10.25pt, lang: %(lang)s)
#set par(justify: true, leading: 0.55em, spacing: 7pt)
#show heading: set text(font: "DejaVu Sans")
#show heading.where(level: 1): set text(size: 20pt)
#show heading.where(level: 2): set text(size: 13pt, fill: rgb("#1f3a5f"))
#set table(stroke: 0.5pt + rgb("#c3c7cc"), inset: (x: 3pt, y: 2pt), align: left + top)
#show table: set text(font: "DejaVu Sans", size: 8.5pt)
#show table: set par(justify: false)
#show table.cell.where(y: 0): set text(weight: "bold")
#set footnote.entry(separator: line(length: 60pt, stroke: 0.5pt + rgb("#9aa0a6")))
#show footnote.entry: set text(size: 8pt)
"""


def to_typst(doc) -> str:
    """Return ``doc`` as Typst markup: the same blocks, every note a ``#footnote`` at its reference."""
    from factsheet.rendering.document import BulletList, Heading, Paragraph, Table

    notes = doc.footnotes
    body = [
        TYPST_SETUP
        % {
            "title": json.dumps(doc.title),
            "lang": json.dumps((doc.language or "en")[:2]),
            "footer": _typst_text(doc.footer),
        }
    ]
    for block in doc.blocks:
        if isinstance(block, Heading):
            body.append("=" * block.level + " " + typst_inlines(block.inlines, notes))
        elif isinstance(block, Paragraph):
            text = typst_inlines(block.inlines, notes)
            if block.role == "dek":
                text = f'#text(size: 12.5pt, style: "italic", fill: rgb("#1f3a5f"))[{text}]'
            elif block.role == "meta":
                text = f'#text(font: "DejaVu Sans", size: 8pt, fill: rgb("#5f6368"))[{text}]'
            body.append(text)
        elif isinstance(block, BulletList):
            body.append("\n".join("- " + typst_inlines(item, notes) for item in block.items))
        elif isinstance(block, Table):
            widths = block.widths if len(block.widths) == block.columns else [1] * block.columns
            cols = ", ".join(f"{w}fr" for w in widths)
            head = ", ".join(f"[{typst_inlines(c, notes)}]" for c in block.header)
            cells = ",\n  ".join(", ".join(f"[{typst_inlines(c, notes)}]" for c in row) for row in block.rows)
            body.append(
                f'#table(columns: ({cols},), fill: (_, y) => if y == 0 {{ rgb("#e8ebef") }},\n'
                f"  table.header({head}),\n  {cells})"
            )
    return "\n\n".join(body) + "\n"


#: How a peer process compiles Typst: the PyPI wheel's compiler, in a fresh interpreter.
TYPST_COMPILE = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])"


def have_typst() -> bool:
    try:
        metadata.version("typst")
        return True
    except metadata.PackageNotFoundError:
        return False


def pandoc_path() -> str | None:
    try:
        import pypandoc  # noqa: F401  (pypandoc-binary ships the binary next to it)

        path = pypandoc.get_pandoc_path()
        return path if path and Path(path).is_file() else None
    except Exception:  # noqa: BLE001 - not installed or no binary: the peer is skipped
        return shutil.which("pandoc")


def have_weasyprint() -> bool:
    try:
        metadata.version("weasyprint")
        return True
    except metadata.PackageNotFoundError:
        return False
