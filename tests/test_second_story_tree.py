"""The live tree with a second story added: the live-sheet tests pass there unchanged.

A newsroom keeps more than one story in ``factsheets/`` and ``seeds/``. This test
copies the live tree, adds the fictional Zlatovrh story (its articles, catalog
entries and sheet) beside the North Korea one, and runs the tests that read the
live folders in that copy.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import REPO

STORY = REPO / "tests" / "stories" / "zlatovrh-flood"
#: The tests that read the live folders (factsheets/, seeds/).
LIVE_TESTS = ("tests/test_live_sheets.py", "tests/sources/test_seeds.py")


def _tree_with_second_story(root):
    for name in ("factsheets", "seeds", "templates", "schema", "tests"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(REPO / "pyproject.toml", root / "pyproject.toml")
    for article in (STORY / "seeds").glob("*.txt"):
        shutil.copyfile(article, root / "seeds" / article.name)
    story_catalog = (STORY / "seeds" / "catalog.yaml").read_text(encoding="utf-8")
    entries = story_catalog[story_catalog.index("sources:\n") + len("sources:\n") :]
    catalog = root / "seeds" / "catalog.yaml"
    live = catalog.read_text(encoding="utf-8")
    catalog.write_text(live + ("" if live.endswith("\n") else "\n") + entries, encoding="utf-8")
    shutil.copyfile(STORY / "factsheets" / "zlatovrh-flood.yaml", root / "factsheets" / "zlatovrh-flood.yaml")
    # The received articles lie beside a checkout (../shared); the copy gets the same neighbour.
    shared = REPO.parent / "shared"
    if shared.is_dir():
        (root.parent / "shared").symlink_to(shared, target_is_directory=True)


def test_the_live_sheet_tests_pass_with_a_second_story_in_the_live_folders(tmp_path):
    root = tmp_path / "tree"
    _tree_with_second_story(root)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", *LIVE_TESTS],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "test_every_live_sheet_builds_both_formats[zlatovrh-flood] PASSED" in done.stdout, done.stdout
