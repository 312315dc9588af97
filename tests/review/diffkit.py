"""Shared pieces for the diff tests: a small sheet, YAML edits in place, git and the CLI in subprocesses.

The ``repo`` fixture lives here, not in a conftest.py, and test modules import it: a
second module named ``conftest`` would shadow the one other test folders import from.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from factsheet.sources.loading import load_text

import required

REPO = Path(__file__).resolve().parents[2]
NK_PROJECT = REPO / "tests" / "fixtures" / "north-korea"  # frozen: see its README
NK_SHEET = NK_PROJECT / "factsheets" / "north-korea-troops-russia.yaml"
BIN = str(Path(sys.executable).parent)

#: A small valid sheet: two sections, three claims, one figure in a flow mapping.
SMALL = textwrap.dedent("""\
    title: Troops abroad
    dek: What was said about the troops.
    as_of: 2025-02-28
    author: Desk
    sections:
      - id: numbers
        title: How many
      - id: denials
        title: Denials
    claims:
      - id: troops-sent
        section: numbers
        text: Seoul said 11,000 soldiers were sent in autumn.
        status: reported
        attribution:
          who: South Korean intelligence
          organisation: NIS
          on_record: true
        said_on: "2025"
        figures:
          - {metric: troops_sent, value: 11000, unit: soldiers, as_of: "2024"}
        citations:
          - source: skorea
            quote: "on top of the 11,000 soldiers reported by Seoul"
      - id: training
        section: numbers
        text: Several thousand infantry were training in Russia.
        status: reported
        attribution:
          who: Unnamed official
          role: intelligence official
          on_record: false
        citations:
          - source: wp
            quote: "several thousand North Korean infantry are being trained"
          - source: isw
            quote: "'several thousand' North Korean infantry personnel"
      - id: hoax
        section: denials
        text: The Kremlin called the reports a hoax.
        status: denied
        attribution:
          who: Dmitry Peskov
          role: Kremlin spokesman
          on_record: true
        citations:
          - source: isw
            quote: "dismissed claims as a hoax"
        contradicts: [training]
    """)


def edit(text: str, path: tuple, value) -> str:
    """Return YAML ``text`` with the scalar at ``path`` replaced by ``value``, all else kept.

    Works for a value in block style (``key: value``, even over several lines)
    and for one inside a flow mapping on one line (``{metric: x, value: 11000}``).
    """
    doc = load_text(text, "edit.yaml")
    lines = text.split("\n")
    kline, kcol = doc.key_pos[path]
    vline, vcol = doc.value_pos[path]
    new = value if isinstance(value, str) and not _needs_quotes(value) else _quoted(value)
    row = lines[vline - 1]
    old_value = _lookup(doc.data, path)
    if "{" in lines[kline - 1][:kcol]:  # inside a flow mapping on one line
        start = vcol - 1
        end = start
        while end < len(row) and row[end] not in ",}":
            end += 1
        lines[vline - 1] = row[:start] + new + row[end:]
        return "\n".join(lines)
    indent = kcol - 1
    last = vline
    while last < len(lines) and lines[last].strip() and len(lines[last]) - len(lines[last].lstrip()) > indent:
        last += 1
    lines[vline - 1 : last] = [row[: vcol - 1] + new]
    assert old_value is not None
    return "\n".join(lines)


def _needs_quotes(value: str) -> bool:
    return any(c in value for c in ":#'\"{}[],&*!|>%@`") or value != value.strip()


def _quoted(value) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def _lookup(data, path):
    for part in path:
        data = data[part]
    return data


def claim_index(text: str, claim_id: str) -> int:
    """Return the position of claim ``claim_id`` in the claims list of ``text``."""
    data = load_text(text, "x.yaml").data
    return next(i for i, c in enumerate(data["claims"]) if c["id"] == claim_id)


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run git in ``cwd`` with a fixed identity, dates, no pager and no colour."""
    env = {**os.environ, **GIT_ENV, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done


GIT_ENV = {
    "GIT_AUTHOR_NAME": "Desk",
    "GIT_AUTHOR_EMAIL": "desk@example.org",
    "GIT_COMMITTER_NAME": "Desk",
    "GIT_COMMITTER_EMAIL": "desk@example.org",
    "GIT_AUTHOR_DATE": "2025-03-01T12:00:00Z",
    "GIT_COMMITTER_DATE": "2025-03-01T12:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
    "LC_ALL": "C",
}


def run(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m factsheet ARGS`` in ``cwd`` (colour left to the command: output is a pipe)."""
    full = {**os.environ, **GIT_ENV, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}
    full.pop("NO_COLOR", None)
    full.pop("SOURCE_DATE_EPOCH", None)
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "factsheet", *map(str, args)],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def repo(tmp_path) -> Path:
    """Return a fresh git repository holding a factsheet project: seeds, templates, factsheets/."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Desk")
    git(root, "config", "user.email", "desk@example.org")
    git(root, "config", "core.autocrlf", "false")
    for name in ("seeds", "templates"):
        shutil.copytree(NK_PROJECT / name, root / name)
    (root / "factsheets").mkdir()
    return root


def commit(root: Path, message: str) -> str:
    """Commit everything in ``root``; return the new commit's id."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").stdout.strip()


# -- LibreOffice -------------------------------------------------------------------


def soffice() -> str | None:
    """Return the LibreOffice binary, or None (tests then skip, unless CI is set)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def need_soffice():
    """Skip the calling test when LibreOffice is missing, except on CI where that is a failure."""
    required.tool("soffice", "libreoffice", hint="LibreOffice checks the tracked changes")


def libreoffice_changes(docx: Path, workdir: Path) -> list[dict]:
    """Open ``docx`` in LibreOffice (headless, converted to ODT); return its tracked changes.

    Each change is {"kind": "insertion"|"deletion", "text", "author", "date"}, in the
    order LibreOffice lists them. An empty list means LibreOffice saw no tracked change.
    """
    import html
    import re
    import zipfile

    from lxml import etree

    out = workdir / "odt"
    profile = workdir / "lo-profile"
    done = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "odt",
            "--outdir",
            str(out),
            str(docx),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    odt = out / (docx.stem + ".odt")
    assert odt.exists(), f"LibreOffice did not convert {docx}: {done.stdout} {done.stderr}"
    content = zipfile.ZipFile(odt).read("content.xml").decode("utf-8")
    ns = {
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "dc": "http://purl.org/dc/elements/1.1/",
    }
    root = etree.fromstring(content.encode("utf-8"))
    inserted = {}
    for m in re.finditer(
        r'<text:change-start text:change-id="([^"]+)"/>(.*?)<text:change-end text:change-id="\1"/>',
        content,
        re.S,
    ):
        inserted[m.group(1)] = html.unescape(re.sub(r"<[^>]+>", "", m.group(2)))
    changes = []
    for region in root.iterfind(".//text:tracked-changes/text:changed-region", ns):
        rid = region.get("{urn:oasis:names:tc:opendocument:xmlns:text:1.0}id")
        kind_el = region[0]
        kind = etree.QName(kind_el).localname
        author = kind_el.findtext(".//dc:creator", namespaces=ns)
        date = kind_el.findtext(".//dc:date", namespaces=ns)
        if kind == "deletion":
            text = "\n".join("".join(p.itertext()) for p in kind_el if etree.QName(p).localname in ("p", "h"))
        else:
            text = inserted.get(rid, "")
        changes.append({"kind": kind, "text": text, "author": author, "date": date})
    return changes
