"""The export folder's table of contents: ``index.json`` for programs, ``index.html`` for people."""

from __future__ import annotations

import html
import json
from pathlib import Path
from urllib.parse import quote

import factsheet
from factsheet.sources.model import PartialDate

INDEX_JSON = "index.json"
INDEX_HTML = "index.html"

_LABELS = {"pdf": "PDF", "docx": "Word (DOCX)", "html": "Web fact box (HTML)",
           "claimreview": "ClaimReview (JSON-LD)", "csl": "Sources (CSL-JSON)"}


def entries(sheets: dict, out: Path, formats_order: list[str]) -> list[dict]:
    """Return one entry per fact sheet in the manifest, by name, listing the files present."""
    result = []
    for name in sorted(sheets):
        record = sheets[name]
        outputs = record.get("outputs") or {}
        order = [f for f in formats_order if f in outputs] + sorted(f for f in outputs if f not in formats_order)
        files = []
        for fmt in order:
            o = outputs[fmt]
            if not (out / o["file"]).is_file():
                continue
            files.append({"format": fmt, "file": o["file"], "bytes": o["bytes"], "sha256": o["sha256"]})
        if files:
            result.append({"name": name, "title": record.get("title"), "as_of": record.get("as_of"),
                           "source": record.get("source"), "files": files})
    return result


def render_json(items: list[dict]) -> bytes:
    """Return ``index.json``: the same entries for the same manifest, byte for byte."""
    doc = {"generator": f"factsheet {factsheet.__version__}", "sheets": items}
    return (json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _human_date(iso) -> str:
    if not iso:
        return "date not recorded"
    try:
        return PartialDate(str(iso)).human()
    except (ValueError, IndexError):
        return str(iso)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def render_html(items: list[dict]) -> bytes:
    """Return ``index.html``; every value from a fact sheet is escaped, so it shows as text."""
    e = html.escape
    rows = []
    for item in items:
        links = " · ".join(
            f'<a href="{e(quote(f["file"]))}">{e(_LABELS.get(f["format"], f["format"].upper()))}</a>'
            f' <span class="size">({e(_size(f["bytes"]))})</span>'
            for f in item["files"])
        title = item["title"] or item["name"]
        as_of = item["as_of"]
        when = (f'<time datetime="{e(str(as_of))}">{e(_human_date(as_of))}</time>' if as_of
                else "date not recorded")
        rows.append(f"<tr><td>{e(title)}<br><span class=\"name\">{e(item['name'])}</span></td>"
                    f"<td>{when}</td><td>{links}</td></tr>")
    body = "\n".join(rows) if rows else '<tr><td colspan="3">No fact sheets have been exported yet.</td></tr>'
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{e(f"factsheet {factsheet.__version__}")}">
<title>Fact sheets</title>
<style>
body {{ font-family: "DejaVu Sans", Verdana, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; vertical-align: top; padding: .5rem .75rem; border-bottom: 1px solid #ddd; }}
.name, .size {{ color: #666; font-size: .85em; }}
</style>
</head>
<body>
<h1>Fact sheets</h1>
<table>
<thead><tr><th>Fact sheet</th><th>As of</th><th>Files</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
</body>
</html>
"""
    return page.encode("utf-8")
