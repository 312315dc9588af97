"""Adding articles from captured pages, archives and text files; newer captures; the stale-source warning."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import pytest
import yaml

from factsheet.cli import main
from factsheet.sources import capture

from conftest import NK_PROJECT

CAPTURES = Path(__file__).resolve().parents[1] / "fixtures" / "captures"
PAGE = CAPTURES / "harbour-ferry.html"
CORRECTED = CAPTURES / "harbour-ferry-corrected.html"

#: A sheet quoting the harbour ferry article four times.
SHEET = (CAPTURES / "harbour.yaml").read_text("utf-8")


@pytest.fixture
def newsroom(tmp_path, monkeypatch) -> Path:
    """Return an empty project folder (a seeds/ folder, one sheet) as the working folder."""
    root = tmp_path / "newsroom"
    (root / "seeds").mkdir(parents=True)
    (root / "factsheets").mkdir()
    monkeypatch.chdir(root)
    monkeypatch.delenv("FACTSHEET_ROOT", raising=False)
    return root


def run(*args: str) -> int:
    return main([str(a) for a in args])


def catalog(root: Path) -> dict:
    return yaml.safe_load((root / "seeds" / "catalog.yaml").read_text("utf-8"))


def add_page(root: Path) -> dict:
    assert run("seeds", "add", PAGE, "--id", "harbour-ferry", "--captured", "2024-10-18") == 0
    return catalog(root)["sources"][0]


def test_add_keeps_the_capture_and_writes_its_body_and_what_the_page_states(newsroom, capsys):
    entry = add_page(newsroom)
    text = (newsroom / "seeds" / "harbour-ferry.txt").read_text("utf-8")
    assert text.split("\n")[0].startswith("The harbour board voted on Thursday")
    assert "Harbour board approves night ferry trial" not in text  # the headline is not the body
    for furniture in ("Home", "Photo caption", "Island school", "last boat at nine", "All rights reserved"):
        assert furniture not in text
    assert entry["headline"] == "Harbour board approves night ferry trial"
    assert entry["outlet"] == "The Lindqvist Courier"
    assert entry["author"] == "Maren Holt and Tobias Enger"
    assert entry["published"] == "2024-10-18" and entry["modified"] == "2024-10-18"
    assert entry["url"] == "https://courier.example/news/2024/10/harbour-night-ferry"
    assert entry["language"] == "en"
    assert entry["stated"]["outlet"] == "JSON-LD NewsArticle publisher"
    assert entry["stated"]["url"] == "<link rel=canonical>"
    assert entry["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    (record,) = entry["captures"]
    kept = newsroom / "seeds" / record["file"]
    assert kept.read_bytes() == PAGE.read_bytes()
    assert record["sha256"] == hashlib.sha256(PAGE.read_bytes()).hexdigest()
    assert record["text_sha256"] == entry["sha256"]
    assert record["captured"] == "2024-10-18" and record["captured_from"] == "--captured"
    assert record["extractor"] == capture.extractor_name()
    assert record["extractor"].startswith("trafilatura ")


def test_what_the_page_does_not_state_is_left_out(newsroom):
    bare = newsroom / "bare.html"
    body = "".join(
        f"<p>Paragraph {n} of a story that gives no byline, no date and no outlet at all.</p>"
        for n in range(6)
    )
    bare.write_text(
        f"<!DOCTYPE html><html><head><title>Quiet story</title></head><body><article>{body}</article></body></html>"
    )
    assert run("seeds", "add", bare) == 0
    entry = catalog(newsroom)["sources"][0]
    assert entry["id"] == "bare"
    assert entry["headline"] == "Quiet story" and entry["stated"]["headline"] == "<title>"
    assert entry["outlet"] is None and entry["author"] is None and entry["published"] is None
    assert entry["url"] is None and entry["language"] is None
    assert entry["captures"][0]["captured"] is None  # a saved page without --captured: not guessed


def test_adding_the_same_capture_twice_changes_nothing(newsroom, capsys):
    add_page(newsroom)
    before = {p: p.read_bytes() for p in (newsroom / "seeds").rglob("*") if p.is_file()}
    assert run("seeds", "add", PAGE, "--id", "another-id") == 0
    assert "already in the catalog as 'harbour-ferry'; nothing changed" in capsys.readouterr().err
    after = {p: p.read_bytes() for p in (newsroom / "seeds").rglob("*") if p.is_file()}
    assert after == before


def test_the_same_page_gives_the_same_bytes(tmp_path):
    page = capture.page_of(PAGE.read_bytes(), capture.HTML)
    assert capture.extract(page) == capture.extract(page)


def write_sheet(root: Path, text: str = SHEET) -> Path:
    path = root / "factsheets" / "harbour.yaml"
    path.write_text(text, "utf-8")
    return path


def test_a_body_quote_checks_and_furniture_is_refused_naming_which(newsroom, capsys):
    add_page(newsroom)
    furniture = {
        "Harbour news and shipping updates": "navigation",
        "The MS Skarv leaving the inner harbour at dusk": "photo caption",
        "Island school to close after 80 years of teaching": "related links",
        "the last boat at nine is useless for anyone working late": "comments",
        "All rights reserved. Contact the newsroom": "footer",
        "Harbour board approves night ferry trial": "headline",
    }
    extra = "".join(
        f"  - id: furniture-{n}\n    text: A claim.\n    status: reported\n"
        f"    attribution: {{who: Someone, on_record: true}}\n    citations:\n"
        f'      - source: harbour-ferry\n        quote: "{quote}"\n'
        for n, quote in enumerate(furniture)
    )
    write_sheet(newsroom, SHEET + extra)
    capsys.readouterr()
    assert run("check") == 1
    out = capsys.readouterr().out
    errors = [line for line in out.splitlines() if ": warning:" not in line]
    assert len(errors) == len(furniture)
    for line, what in zip(errors, furniture.values()):
        assert f"quote is in page furniture of harbour-ferry ({what}), not the article's own text" in line


def test_furniture_quoted_on_purpose(newsroom, capsys):
    add_page(newsroom)
    write_sheet(
        newsroom,
        SHEET.replace(
            '        quote: "The ferry company has said it can start recruiting crews in November"\n',
            '        quote: "The MS Skarv leaving the inner harbour at dusk"\n'
            "        allow_furniture: The caption names the vessel.\n",
        ),
    )
    assert run("check") == 0


def warc(path: Path, pages: dict[str, bytes], gz: bool = True) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for url, html in pages.items():
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(html), http_headers=headers,
            warc_headers_dict={"WARC-Date": "2024-10-18T10:15:00Z"},
        )  # fmt: skip
        writer.write_record(record)
    css = StatusAndHeaders("200 OK", [("Content-Type", "text/css")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "https://courier.example/site.css", "response", payload=io.BytesIO(b"p{}"), http_headers=css
        )
    )
    path.write_bytes(buffer.getvalue())
    return path


URL = "https://courier.example/news/2024/10/harbour-night-ferry"


def test_a_web_archive_gives_its_page_and_its_capture_date(newsroom):
    archive = warc(newsroom / "ferry.warc.gz", {URL: PAGE.read_bytes()})
    assert run("seeds", "add", archive, "--id", "harbour-ferry") == 0
    entry = catalog(newsroom)["sources"][0]
    record = entry["captures"][0]
    assert record["captured"] == "2024-10-18T10:15:00Z" and record["captured_from"] == "WARC-Date"
    assert record["url"] == URL and record["file"].endswith(".warc.gz")
    assert (newsroom / "seeds" / record["file"]).read_bytes() == archive.read_bytes()
    assert (newsroom / "seeds" / "harbour-ferry.txt").read_text("utf-8").startswith("The harbour board voted")
    write_sheet(newsroom)
    assert run("check") == 0


def test_an_archive_of_several_pages_needs_the_url(newsroom, capsys):
    other = "https://courier.example/news/2024/10/school"
    archive = warc(newsroom / "crawl.warc", {URL: PAGE.read_bytes(), other: CORRECTED.read_bytes()}, gz=False)
    assert run("seeds", "add", archive) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"{archive}:1:1: the archive holds 2 pages; name the article with --url: {URL}, {other}"
    assert run("seeds", "add", archive, "--url", "https://courier.example/missing") == 1
    assert (
        "the archive holds no page for https://courier.example/missing; it holds: " in capsys.readouterr().err
    )
    assert not (newsroom / "seeds" / "catalog.yaml").exists()
    assert run("seeds", "add", archive, "--url", URL) == 0
    assert catalog(newsroom)["sources"][0]["captures"][0]["url"] == URL


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "not an HTML page"),
        ("news.html", (CAPTURES / "section-front.html").read_bytes(), "no article body found"),
        ("app.html", (CAPTURES / "script-only.html").read_bytes(), "the page's text is built by a script"),
        ("broken.warc", b"plain words, not an archive\n", "not a readable web archive"),
    ],
)
def test_bad_captures_get_one_clear_line(newsroom, capsys, name, data, message):
    path = newsroom / name
    path.write_bytes(data)
    assert run("seeds", "add", path) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{path}:1:1: {message}")
    assert not (newsroom / "seeds" / "catalog.yaml").exists()


def test_a_capture_over_the_size_limit_is_refused(newsroom, capsys, monkeypatch):
    monkeypatch.setattr(capture, "MAX_CAPTURE_BYTES", 1000)
    assert run("seeds", "add", PAGE) == 1
    assert "over the limit of 1,000 bytes for one capture" in capsys.readouterr().err


def test_update_reports_every_quote_and_check_warns_for_the_reworded_one(newsroom, capsys):
    add_page(newsroom)
    write_sheet(newsroom)
    before = (newsroom / "seeds" / "catalog.yaml").read_text("utf-8")
    capsys.readouterr()
    assert run("seeds", "update", "harbour-ferry", CORRECTED, "--captured", "2024-10-21") == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "the page says it was modified on 2024-10-20"
    assert out[2].startswith(
        "notice on the page: Correction: An earlier version of this article gave the cost"
    )
    assert out[3].endswith("claim 'ferry-trial': quote holds byte for byte")
    assert out[4].endswith(
        "claim 'ferry-cost': quote reworded: … trial would cost about [-4.2-] {+4.8+} million kroner"
    )
    assert out[5].endswith("claim 'shift-workers': quote holds after a whitespace or typography-only change")
    assert out[6].endswith("claim 'crews': quote gone")
    after = (newsroom / "seeds" / "catalog.yaml").read_text("utf-8")
    assert after.startswith(before.rstrip("\n"))  # the earlier entry is kept, line for line
    first, second = catalog(newsroom)["sources"][0]["captures"]
    assert (newsroom / "seeds" / first["file"]).read_bytes() == PAGE.read_bytes()
    assert (newsroom / "seeds" / second["file"]).read_bytes() == CORRECTED.read_bytes()
    assert second["modified"] == "2024-10-20" and second["notice"].startswith("Correction:")
    assert run("check") == 0
    warnings = capsys.readouterr().out.splitlines()
    assert len(warnings) == 2
    assert (
        "warning: claim 'ferry-cost': the newer capture of harbour-ferry (captured 2024-10-21) no longer holds this quote: reworded"
        in warnings[0]
    )
    assert (
        "warning: claim 'crews': the newer capture of harbour-ferry (captured 2024-10-21) no longer holds this quote: gone"
        in warnings[1]
    )
    # the same newer capture again: nothing changes
    assert run("seeds", "update", "harbour-ferry", CORRECTED) == 0
    assert "already recorded; nothing changed" in capsys.readouterr().out
    assert (newsroom / "seeds" / "catalog.yaml").read_text("utf-8") == after


def test_the_five_seeds_reimported_as_text_files_check_as_today(tmp_path, monkeypatch, capsys):
    """``seeds add`` of each stored article as a text file gives the same bytes, hashes and check results."""
    root = tmp_path / "reimport"
    (root / "seeds").mkdir(parents=True)
    for name in ("factsheets", "templates"):
        shutil.copytree(NK_PROJECT / name, root / name)
    monkeypatch.chdir(root)
    monkeypatch.delenv("FACTSHEET_ROOT", raising=False)
    frozen = yaml.safe_load((NK_PROJECT / "seeds" / "catalog.yaml").read_text("utf-8"))["sources"]
    for entry in frozen:
        received = tmp_path / "inbox" / entry["original"]
        received.parent.mkdir(exist_ok=True)
        shutil.copyfile(NK_PROJECT / "seeds" / entry["file"], received)
        assert run("seeds", "add", received, "--id", entry["id"]) == 0
    added = catalog(root)["sources"]
    for new, old in zip(added, frozen):
        assert (new["id"], new["file"], new["original"], new["sha256"]) == (
            old["id"],
            old["file"],
            old["original"],
            old["sha256"],
        )
        assert (root / "seeds" / new["file"]).read_bytes() == (
            NK_PROJECT / "seeds" / old["file"]
        ).read_bytes()
        assert "captures" not in new  # a text file is stored as it is
    # the editor then types what the capture cannot state: the frozen catalog's own words
    shutil.copyfile(NK_PROJECT / "seeds" / "catalog.yaml", root / "seeds" / "catalog.yaml")
    capsys.readouterr()
    code = run("check")
    reimported = capsys.readouterr().out.replace(str(root), "")
    monkeypatch.chdir(NK_PROJECT)
    assert run("check") == code
    assert capsys.readouterr().out.replace(str(NK_PROJECT), "") == reimported


def test_the_markdown_diff_shows_reviewers_the_quotes_an_outlet_changed(newsroom, capsys):
    add_page(newsroom)
    sheet = write_sheet(newsroom)
    edited = newsroom / "factsheets" / "harbour-edited.yaml"
    edited.write_text(sheet.read_text("utf-8").replace("six-month night", "six-month overnight"), "utf-8")
    run("seeds", "update", "harbour-ferry", CORRECTED, "--captured", "2024-10-21")
    capsys.readouterr()
    assert run("diff", sheet, edited, "--format", "markdown") == 1
    out = capsys.readouterr().out
    section = out[out.index("#### Sources changed by their outlets") :].split("\n\n")[1].splitlines()
    assert section[0] == (
        "- `ferry-cost`: the newer capture of `harbour-ferry` (captured 2024-10-21) no longer holds "
        "“Board chair Ingrid Sølvberg said the trial would cost about 4.2 million kroner”: **reworded**: "
        "… trial would cost about \\[-4.2-\\] \\{+4.8+\\} million kroner"
    )
    assert section[1].startswith("  - the page now says: Correction\\: An earlier version")
    assert (
        section[2].startswith("- `crews`: the newer capture of `harbour-ferry`") and "**gone**" in section[2]
    )


def test_page_values_the_catalog_cannot_hold_are_cleaned_or_left_out(newsroom, capsys):
    names = ", ".join(f'{{"@type": "Person", "name": "Reporter Number {n}"}}' for n in range(12))
    page = PAGE.read_text("utf-8")
    page = page.replace(
        '"headline": "Harbour board approves night ferry trial"',
        '"headline": "Harbour\\u200b board\\u200e approves night ferry trial"',
    )
    page = page.replace(
        '[{"@type": "Person", "name": "Maren Holt"}, {"@type": "Person", "name": "Tobias Enger"}]',
        f"[{names}]",
    )
    odd = newsroom / "odd.html"
    odd.write_text(page, "utf-8")
    assert run("seeds", "add", odd) == 0
    entry = catalog(newsroom)["sources"][0]
    assert entry["headline"] == "Harbour board approves night ferry trial"  # invisible characters dropped
    assert entry["author"] is None
    assert entry["notes"].startswith("The page states a longer author (")
    from factsheet.project import Project

    assert Project(newsroom).library().problems == []  # the catalog it wrote is valid
    assert run("seeds", "add", PAGE, "--url", "not a url") == 2


def test_quote_says_when_the_words_are_in_the_page_furniture(newsroom, capsys):
    add_page(newsroom)
    capsys.readouterr()
    assert run("quote", "harbour-ferry", "Island school to close") == 1
    assert capsys.readouterr().err.strip() == (
        "factsheet: 'Island school to close' is not in the article body of harbour-ferry: it is in the page's "
        "related links; quote the body, or cite it with allow_furniture: REASON"
    )
    assert run("quote", "harbour-ferry", "4.2 million kroner") == 0
    assert (
        'quote: "Board chair Ingrid Sølvberg said the trial would cost about 4.2 million kroner'
        in capsys.readouterr().out
    )
