"""What a check reads: the furniture heuristic runs on the articles a sheet cites, not on every article kept."""

from __future__ import annotations

import hashlib

import yaml

from factsheet.pipeline.build import Pipeline
from factsheet.project import Project
from factsheet.sources import furniture

SHEET = "north-korea-troops-russia"
UNCITED = "wire-uncited-report"


def _add_uncited_article(root):
    text = b"Harbour officials said on Monday that the new quay would open in spring.\n"
    (root / "seeds" / f"{UNCITED}.txt").write_bytes(text)
    catalog = root / "seeds" / "catalog.yaml"
    data = yaml.safe_load(catalog.read_text(encoding="utf-8"))
    entry = dict(data["sources"][0])
    entry.update(id=UNCITED, file=f"{UNCITED}.txt", sha256=hashlib.sha256(text).hexdigest())
    for key in ("furniture", "body", "captures", "errata"):
        entry.pop(key, None)
    data["sources"].append(entry)
    catalog.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_furniture_heuristic_reads_only_the_articles_the_sheet_cites(project, monkeypatch):
    _add_uncited_article(project)
    scanned: list[str] = []
    scan = furniture.scan

    def counted(article, headline=None):
        scanned.append(article.source_id)
        return scan(article, headline)

    monkeypatch.setattr(furniture, "scan", counted)
    report = Pipeline(Project(project)).check([project / "factsheets" / f"{SHEET}.yaml"])
    assert not [p for p in report.problems if p.severity == "error"]
    assert UNCITED not in scanned
