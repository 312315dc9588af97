"""No output names a metric, topic, party or group by an identifier: every printed name is the editor's label."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import NK_PROJECT, NK_SHEET, REPO
from factsheet.pipeline import build
from factsheet.project import Project
from factsheet.rendering.document import BulletList, Chart, Heading, Paragraph, Table, plain_text

STORY = REPO / "tests" / "stories" / "zlatovrh-flood"
#: A snake_case word ("killed_near_donetsk") or a slug of three or more parts ("mayor-close-to-30-dead").
IDENTIFIER = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b|\b[a-z0-9]+(?:-[a-z0-9]+){2,}\b")


def _texts(document) -> list[str]:
    out: list[str] = []
    for block in document.blocks:
        if isinstance(block, (Heading, Paragraph)):
            if getattr(block, "role", "") == "meta" and "[" in plain_text(block.inlines):
                continue  # the source annex names each article's id, as it is meant to
            out.append(plain_text(block.inlines))
        elif isinstance(block, BulletList):
            out += [plain_text(item) for item in block.items]
        elif isinstance(block, Table):
            out += [plain_text(cell) for row in block.rows for cell in row]
        elif isinstance(block, Chart):
            out += [block.title, block.alt_text, *(s.name for s in block.series)]
    return out


@pytest.mark.parametrize("template", ["brief", "dossier"])
@pytest.mark.parametrize("story", ["north-korea", "zlatovrh-flood"])
def test_no_output_prints_an_identifier_as_a_label(story, template, tmp_path):
    if story == "north-korea":
        root, sheet = NK_PROJECT, NK_SHEET
    else:  # the second story, with the project's templates
        root = tmp_path / "story"
        shutil.copytree(STORY, root)
        shutil.copytree(REPO / "templates", root / "templates")
        sheet = root / "factsheets" / "zlatovrh-flood.yaml"
    project = Project(root)
    document = build.document_for(project, build.load_sheet(project, sheet), template)
    found = [(m.group(), text[:80]) for text in _texts(document) for m in IDENTIFIER.finditer(text)]
    found = [(word, text) for word, text in found if not re.fullmatch(r"[0-9-]+", word)]
    assert found == []
    # nor a name made from an identifier ("Killed near donetsk incl nk"), unless the editor chose it
    loaded = build.load_sheet(project, sheet)
    made = {f.metric.replace("_", " ").capitalize() for c in loaded.sheet.claims for f in c.figures}
    made -= set(loaded.sheet.metric_labels.values())
    assert [name for name in made if any(name in text for text in _texts(document))] == []
