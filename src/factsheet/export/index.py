"""The export folder's table of contents: ``index.json`` for programs, ``index.html`` for people."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import factsheet
from factsheet.sources.model import PartialDate

INDEX_JSON = "index.json"
INDEX_HTML = "index.html"

_LABELS = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "html": "Web fact box (HTML)",
    "claimreview": "ClaimReview (JSON-LD)",
    "csl": "Sources (CSL-JSON)",
}


def entries(sheets: dict[str, Any], out: Path, formats_order: list[str]) -> list[dict[str, Any]]:
    """Return one entry per fact sheet in the manifest, by name: the files present and the sheet's health."""
    result = []
    for name in sorted(sheets):
        record = sheets[name]
        outputs = record.get("outputs") or {}
        order = [f for f in formats_order if f in outputs] + sorted(
            f for f in outputs if f not in formats_order
        )
        files = []
        for fmt in order:
            o = outputs[fmt]
            if not o.get("file") or not (out / o["file"]).is_file():  # no file: nothing to write
                continue
            files.append({"format": fmt, "file": o["file"], "bytes": o["bytes"], "sha256": o["sha256"]})
        failure = record.get("last_failure") if isinstance(record.get("last_failure"), dict) else None
        if files or failure:
            result.append(
                {
                    "name": name,
                    "title": record.get("title"),
                    "as_of": record.get("as_of"),
                    "source": record.get("source"),
                    "files": files,
                    "stale": bool(record.get("stale")),
                    "last_success": record.get("last_success"),
                    "last_failure": failure,
                }
            )
    return result


def changed(path: Path, items: list[dict[str, Any]]) -> bool:
    """Return True unless the index at ``path`` already lists exactly ``items`` (its time aside)."""
    from factsheet.regularfile import read_regular

    try:
        current = json.loads(read_regular(path, 64 * 1024 * 1024))
    except (OSError, ValueError):
        return True
    return (
        not isinstance(current, dict)
        or current.get("sheets") != items
        or current.get("generator") != _GENERATOR
    )


_GENERATOR = f"factsheet {factsheet.__version__}"


def render_json(items: list[dict[str, Any]], generated: str) -> bytes:
    """Return ``index.json``: the entries and the time the index was generated (UTC)."""
    doc = {"generator": _GENERATOR, "generated": generated, "sheets": items}
    return (json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _human_time(iso: str | None) -> str:
    """Return "2026-11-30 16:05 UTC" for an ISO time stamp."""
    if not iso:
        return ""
    return str(iso).replace("T", " ")[:16] + " UTC"


def _human_date(iso: object) -> str:
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


def _health(item: dict[str, Any]) -> str:
    """Return the HTML of a sheet's health: when it was last built, and its last failure if it is stale."""
    e = html.escape
    success = item.get("last_success")
    ok = f'<time datetime="{e(success)}">{e(_human_time(success))}</time>' if success else "never"
    failure = item.get("last_failure")
    if not item.get("stale") or not failure:
        return f"built {ok}"
    when = f'<time datetime="{e(str(failure.get("time")))}">{e(_human_time(failure.get("time")))}</time>'
    more = int(failure.get("problems") or 1) - 1
    extra = f" (and {more} more problem{'s' * (more != 1)})" if more > 0 else ""
    files = "the files are from the last successful build" if item["files"] else "no files yet"
    return (
        f'<strong class="stale">stale</strong>: the build of {when} failed: '
        f'<span class="problem">{e(str(failure.get("message") or ""))}</span>{e(extra)}; '
        f"{files}, {ok}"
    )


def _stale_note(items: list[dict[str, Any]]) -> str:
    stale = sum(bool(i.get("stale")) for i in items)
    return f"; {stale} fact sheet{'s' * (stale != 1)} stale (last build failed)" if stale else ""


def render_html(items: list[dict[str, Any]], generated: str) -> bytes:
    """Return ``index.html``; every value from a fact sheet is escaped, so it shows as text."""
    e = html.escape
    rows = []
    for item in items:
        links = " · ".join(
            f'<a href="{e(quote(f["file"]))}">{e(_LABELS.get(f["format"], f["format"].upper()))}</a>'
            f' <span class="size">({e(_size(f["bytes"]))})</span>'
            for f in item["files"]
        )
        title = item["title"] or item["name"]
        as_of = item["as_of"]
        when = (
            f'<time datetime="{e(str(as_of))}">{e(_human_date(as_of))}</time>'
            if as_of
            else "date not recorded"
        )
        stale = ' class="stale"' if item.get("stale") else ""
        rows.append(
            f'<tr{stale}><td>{e(title)}<br><span class="name">{e(item["name"])}</span></td>'
            f"<td>{when}</td><td>{links or 'none'}</td><td>{_health(item)}</td></tr>"
        )
    body = "\n".join(rows) if rows else '<tr><td colspan="4">No fact sheets have been exported yet.</td></tr>'
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
.name, .size, .generated {{ color: #666; font-size: .85em; }}
tr.stale td {{ background: #fff4e5; }}
.stale {{ color: #8a4b00; }}
.problem {{ font-family: "DejaVu Sans Mono", monospace; font-size: .85em; }}
</style>
</head>
<body>
<h1>Fact sheets</h1>
<p class="generated">Generated <time datetime="{e(generated)}">{e(_human_time(generated))}</time>{e(_stale_note(items))}</p>
<table>
<thead><tr><th>Fact sheet</th><th>As of</th><th>Files</th><th>Last build</th></tr></thead>
<tbody>
{body}
</tbody>
</table>
</body>
</html>
"""
    return page.encode("utf-8")
