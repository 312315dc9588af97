"""Helpers for export tests: a small throwaway project (three seeds, three sheets, a two-file template)."""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "run_export.py"

SEEDS = {
    "alpha": "Officials in the capital said on Monday that 400 soldiers had arrived at the border.",
    "beta": "The ministry said the training camp would close by the end of the year.",
    "gamma": "An analyst said the figures could not be verified independently.",
}

SHEETS = {
    "one": ("Troops at the border", "2025-01-31", [("alpha", "400 soldiers had arrived at the border")]),
    "two": (
        "The training camp",
        "2025-02-14",
        [("beta", "the training camp would close by the end of the year")],
    ),
    "three": (
        "Figures <and> doubts & more",
        "2025-03-01",
        [
            ("alpha", "Officials in the capital said on Monday"),
            ("gamma", "the figures could not be verified independently"),
        ],
    ),
}

TEMPLATE = """{% from "_cite.xml.j2" import cite with context %}
<brief title="{{ sheet.title }}" subject="{{ sheet.title }}" author="{{ sheet.author or '' }}"
       lang="{{ sheet.language }}" date="{{ sheet.as_of.isoformat() }}" footer="{{ sheet.title }}">
<h1>{{ sheet.title }}</h1>
{% for claim in sheet.claims %}
<p>{{ claim.text }}{% for c in claim.citations %}{{ cite(c) }}{% endfor %}</p>
{% endfor %}
</brief>
"""

CITE = """{% macro cite(citation) -%}
{%- set s = sources[citation.source] -%}
<note>{{ s.outlet or "Outlet not recorded" }}, "{{ s.headline or "headline not recorded" }}." [{{ s.id }}]</note>
{%- endmacro %}
"""


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def catalog_text(seeds: dict[str, bytes], headlines: dict[str, str] | None = None) -> str:
    lines = ["sources:"]
    for sid, data in seeds.items():
        headline = (headlines or {}).get(sid, f"Report {sid}")
        lines += [
            f"  - id: {sid}",
            f"    file: {sid}.txt",
            "    original: null",
            f"    sha256: {sha(data)}",
            "    outlet: Test Wire",
            f"    headline: {json.dumps(headline)}",
            "    author: null",
            "    published: null",
            "    url: null",
            "    language: en",
            "    notes: null",
        ]
    return "\n".join(lines) + "\n"


def sheet_text(title: str, as_of: str, cites: list[tuple[str, str]]) -> str:
    lines = [f"title: {json.dumps(title)}", f"as_of: {as_of}", "claims:"]
    for i, (sid, quote) in enumerate(cites):
        lines += [
            f"  - id: claim-{i + 1}",
            f"    text: {json.dumps('Claim resting on ' + sid + '.')}",
            "    status: reported",
            "    attribution:",
            "      who: A spokesperson",
            "      on_record: true",
            "    citations:",
            f"      - source: {sid}",
            f"        quote: {json.dumps(quote)}",
        ]
    return "\n".join(lines) + "\n"


class Project:
    """Paths and helpers of a throwaway project."""

    def __init__(self, root: Path):
        self.root = root
        self.out = root / "export"

    def write_seed(self, sid: str, text: str, headline: str | None = None) -> None:
        """Change a seed's bytes (and its catalog sha256), or only its headline."""
        (self.root / "seeds" / f"{sid}.txt").write_bytes(text.encode())
        seeds = {p.stem: p.read_bytes() for p in sorted((self.root / "seeds").glob("*.txt"))}
        heads = json.loads((self.root / "headlines.json").read_text())
        if headline is not None:
            heads[sid] = headline
            (self.root / "headlines.json").write_text(json.dumps(heads))
        (self.root / "seeds" / "catalog.yaml").write_text(catalog_text(seeds, heads))

    def run(self, *args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
        """Run ``factsheet --root ROOT export ARGS`` with the fake writers; return the completed process."""
        return subprocess.run(
            self.command(*args),
            cwd=self.root,
            env=self.env(env),
            capture_output=True,
            text=True,
            timeout=120,
            **kw,
        )

    def command(self, *args: str) -> list[str]:
        return [sys.executable, str(RUNNER), "--root", str(self.root), "export", *args]

    @staticmethod
    def env(extra: dict | None = None) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FACTSHEET_EXPORT")}
        env["PYTHONPATH"] = os.pathsep.join([str(package_snapshot()), *filter(None, [env.get("PYTHONPATH")])])
        env.update(extra or {})
        return env

    def state(self) -> dict[str, tuple[int, int, bytes]]:
        """Return (inode, mtime_ns, bytes) of every file in the export folder but the lock."""
        return {
            p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(self.out.iterdir())
            if p.is_file() and p.name != ".factsheet-export.lock"
        }


_SNAPSHOT: Path | None = None


def package_snapshot() -> Path:
    """Return a folder holding a copy of the factsheet package, taken once per test session.

    The fingerprint of an output covers the package's files, so subprocess runs
    import this frozen copy: a test comparing two runs sees the same code in both,
    even while the working tree is being edited.
    """
    global _SNAPSHOT
    if _SNAPSHOT is None:
        import factsheet

        folder = Path(tempfile.mkdtemp(prefix="factsheet-pkg-"))
        atexit.register(shutil.rmtree, folder, True)
        shutil.copytree(
            Path(factsheet.__file__).resolve().parent,
            folder / "factsheet",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
        _SNAPSHOT = folder
    return _SNAPSHOT


def make_project(root: Path, sheets: dict | None = None) -> Project:
    (root / "seeds").mkdir(parents=True)
    (root / "factsheets").mkdir()
    (root / "templates").mkdir()
    seeds = {sid: text.encode() for sid, text in SEEDS.items()}
    for sid, data in seeds.items():
        (root / "seeds" / f"{sid}.txt").write_bytes(data)
    (root / "headlines.json").write_text("{}")
    (root / "seeds" / "catalog.yaml").write_text(catalog_text(seeds))
    for name, (title, as_of, cites) in (sheets or SHEETS).items():
        (root / "factsheets" / f"{name}.yaml").write_text(sheet_text(title, as_of, cites))
    (root / "templates" / "brief.xml.j2").write_text(TEMPLATE)
    (root / "templates" / "_cite.xml.j2").write_text(CITE)
    return Project(root)


def events(stdout: str) -> list[dict]:
    """Return the JSON log lines of a run (every line must parse)."""
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def summary(stdout: str) -> dict:
    return [e for e in events(stdout) if e["event"] == "summary"][-1]
