"""Who disputes whom: the claimant on one side, the disputing speaker on the other, in check and in the brief."""

from __future__ import annotations

from factsheet.pipeline import build
from factsheet.project import Project
from factsheet.rendering.document import BulletList, plain_text

SHEET = """\
title: Dispute direction
as_of: 2024-10
claims:
  - id: training
    text: Several thousand North Korean infantry were training in Russia, a Ukrainian official said.
    status: reported
    attribution: {who: Ukrainian intelligence official, organisation: Ukrainian military intelligence, on_record: false}
    said_on: 2024
    citations:
      - source: nk-training-wp-summary
        quote: "several thousand North Korean infantry are being trained in Russia"
  - id: hoax
    text: A Kremlin spokesman dismissed the reports as a hoax.
    status: reported
    short: the reports were a “hoax”
    attribution: {who: Kremlin spokesman, organisation: Kremlin, on_record: true}
    said_on: 2024
    citations:
      - source: nk-training-wp-summary
        quote: "A Kremlin spokesman dismissed these claims, calling them a “hoax.”"
    denies: [training]
"""


def _project(tmp_path, text):
    from conftest import REPO

    (tmp_path / "factsheets").mkdir()
    (tmp_path / "seeds").mkdir()
    for seed in (REPO / "tests/fixtures/north-korea/seeds").iterdir():
        (tmp_path / "seeds" / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "templates").symlink_to(REPO / "templates")
    path = tmp_path / "factsheets" / "d.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _items(document) -> list[str]:
    return [
        plain_text(item) for block in document.blocks if isinstance(block, BulletList) for item in block.items
    ]


def test_the_brief_names_the_claimant_as_speaker_and_the_denier_as_denier(tmp_path):
    path = _project(tmp_path, SHEET)
    project = Project(tmp_path)
    for template in ("brief", "dossier"):
        document = build.document_for(project, build.load_sheet(project, path), template)
        sentence = next(item for item in _items(document) if "hoax" in item)
        said, denied = sentence.split(";", 1)
        assert "a Ukrainian official said" in said and "Kremlin" not in said
        assert denied.strip().startswith("Kremlin spokesman denied this in 2024")
    brief = build.document_for(project, build.load_sheet(project, path), "brief")
    sentence = next(item for item in _items(brief) if "hoax" in item)
    assert sentence.endswith("Kremlin spokesman denied this in 2024, saying the reports were a “hoax”.")


SAME_SPEAKER = """\
  - id: training-repeated
    text: The official repeated that infantry were training in Russia.
    status: reported
    attribution: {who: Ukrainian intelligence official, on_record: false}
    denies: [training]
    citations:
      - source: nk-training-wp-summary
        quote: "several thousand North Korean infantry are being trained in Russia"
"""


def test_check_refuses_a_dispute_whose_disputer_is_the_claims_own_claimant(cli, tmp_path):
    path = _project(tmp_path, SHEET + SAME_SPEAKER)
    result = cli("--root", tmp_path, "check", path, cwd=tmp_path)
    assert result.returncode == 1
    assert (
        "factsheets/d.yaml:26:14: claim 'training-repeated' denies 'training', but both are said by "
        "'Ukrainian intelligence official'"
    ) in result.stdout
    # said explicitly (a retraction), it passes
    path.write_text(
        SHEET + SAME_SPEAKER.replace("    denies:", "    disputes_own_claim: true\n    denies:"), "utf-8"
    )
    result = cli("--root", tmp_path, "check", path, cwd=tmp_path)
    assert result.returncode == 0, result.stdout


def _linked(key: str) -> str:
    """Return the sheet with the Kremlin's claim linked to the training claim under ``key``."""
    return SHEET.replace("    denies: [training]\n", f"    {key}: [training]\n")


def test_each_link_says_only_what_the_sources_show(tmp_path):
    # contradicts: two accounts that conflict, neither answering the other; disputes: an
    # answer saying the claim is wrong; denies: an answer saying it is false
    expected = {
        "contradicts": "Kremlin spokesman gave a conflicting account in 2024, saying the reports were a “hoax”.",
        "disputes": "Kremlin spokesman disputed this in 2024, saying the reports were a “hoax”.",
        "denies": "Kremlin spokesman denied this in 2024, saying the reports were a “hoax”.",
    }
    for key, said in expected.items():
        (tmp_path / key).mkdir()
        path = _project(tmp_path / key, _linked(key))
        project = Project(tmp_path / key)
        brief = build.document_for(project, build.load_sheet(project, path), "brief")
        sentence = next(item for item in _items(brief) if "hoax" in item)
        assert sentence.split("; ", 1)[1] == said, key
        dossier = build.document_for(project, build.load_sheet(project, path), "dossier")
        sentence = next(item for item in _items(dossier) if "hoax" in item)
        assert sentence.split("; ", 1)[1].startswith(said.split(",")[0]), key
        assert "disputed" not in sentence or key == "disputes"


def test_check_refuses_a_dispute_of_ones_own_claim_under_every_key(cli, tmp_path):
    for key in ("contradicts", "disputes"):
        (tmp_path / key).mkdir()
        path = _project(tmp_path / key, SHEET + SAME_SPEAKER.replace("    denies:", f"    {key}:"))
        result = cli("--root", tmp_path / key, "check", path, cwd=tmp_path / key)
        assert result.returncode == 1
        assert f"claim 'training-repeated' {key} 'training', but both are said by" in result.stdout


def test_check_refuses_an_unknown_claim_under_disputes(cli, tmp_path):
    path = _project(tmp_path, _linked("disputes").replace("disputes: [training]", "disputes: [trainig]"))
    result = cli("--root", tmp_path, "check", path, cwd=tmp_path)
    assert result.returncode == 1
    assert "disputes: unknown claim id 'trainig' (did you mean 'training'?)" in result.stdout
