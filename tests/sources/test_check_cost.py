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


def _add_uncited_article_with_a_wrong_erratum(root):
    _add_uncited_article(root)
    catalog = root / "seeds" / "catalog.yaml"
    data = yaml.safe_load(catalog.read_text(encoding="utf-8"))
    data["sources"][-1]["errata"] = [
        {"passage": "the quay would open in autumn", "note": "it opened in summer"}
    ]
    catalog.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_sheets_check_reads_only_the_articles_it_cites(project, monkeypatch):
    """A check does not grow with the catalog: the articles no cited source names stay unread."""
    from factsheet.sources.seeds import SeedLibrary

    _add_uncited_article(project)
    read: list[str] = []
    article = SeedLibrary.article

    def recorded(self, source_id):
        read.append(source_id)
        return article(self, source_id)

    monkeypatch.setattr(SeedLibrary, "article", recorded)
    report = Pipeline(Project(project)).check([project / "factsheets" / f"{SHEET}.yaml"])
    assert not [p for p in report.problems if p.severity == "error"]
    assert read and UNCITED not in read


def test_an_uncited_articles_catalog_problem_is_reported_by_the_whole_projects_check_only(project):
    _add_uncited_article_with_a_wrong_erratum(project)
    pipeline = Pipeline(Project(project))
    sheet = project / "factsheets" / f"{SHEET}.yaml"
    alone = pipeline.check([sheet])
    assert not [
        p for p in alone.problems if p.severity == "error"
    ]  # another article's slip is not this sheet's
    whole = Pipeline(Project(project)).check([sheet], every_sheet=True)
    assert [p.message for p in whole.problems if p.severity == "error"] == [
        f"erratum passage not found in {UNCITED}; copy it from the article"
    ]
