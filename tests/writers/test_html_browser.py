"""The web fact box in a real browser: headless Chromium renders it, every note link round-trips,
the page makes no request, and axe-core finds no WCAG 2.1 A/AA violation at phone and desktop widths."""

from __future__ import annotations

import os
import shutil

import pytest

from factsheet.writers.html import write_html

import required
from conftest import NK_PROJECT, run_cli
from docx_fixtures.briefs import full_brief, tricky_brief
from html_support import STEM, build_fact_box

CHROMIUM = (
    os.environ.get("FACTSHEET_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
# Flags for a machine with no network and no display: no sandbox as root, no background
# connections (update checks, sync) that a closed network refuses over and over.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"narrow": (320, 640), "phone": (390, 844), "desktop": (1280, 900)}


def _missing() -> str:
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as exc:
        return f"the browser test tools are not installed ({exc.name})"
    if not CHROMIUM:
        return "Chromium is not installed"
    return ""


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        required.missing(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Return the HTML files to test: the built fixture fact box and two large documents."""
    root = tmp_path_factory.mktemp("html")
    out = build_fact_box(root / "project")
    files = {"fact-box": out / f"{STEM}.html", "brief": _north_korea_brief(root / "brief")}
    for name, document in (("full", full_brief()), ("tricky", tricky_brief())):
        path = root / f"{name}.html"
        path.write_bytes(write_html(document))
        files[name] = path
    return files


def _north_korea_brief(out):
    """Return the frozen North Korea project's brief as HTML (its figures table groups rows)."""
    result = run_cli("--root", NK_PROJECT, "build", "--format", "html", "--out", out)
    assert result.returncode == 0, result.stderr
    (page,) = out.glob("*.html")
    return page


def _open(browser, path, width: str = "desktop"):
    w, h = WIDTHS[width]
    page = browser.new_page(viewport={"width": w, "height": h})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    return page, [r for r in requests if not r.startswith(("file:", "data:"))]


def _in_view(page, element_id: str) -> bool:
    return page.evaluate(
        """id => { const r = document.getElementById(id).getBoundingClientRect();
                   return r.top >= -1 && r.top < window.innerHeight; }""",
        element_id,
    )


@pytest.mark.parametrize("name", ["fact-box", "full", "tricky"])
def test_renders_without_requests_and_every_note_link_round_trips(browser, pages, name, tmp_path):
    page, external = _open(browser, pages[name])
    assert external == []
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    assert (tmp_path / f"{name}.png").stat().st_size > 10_000
    refs = page.eval_on_selector_all('a[role="doc-noteref"]', "els => els.map(e => [e.id, e.hash])")
    assert refs, "no note references"
    for ref_id, target in refs:
        page.click(f"#{ref_id}")
        assert page.evaluate("location.hash") == target
        assert _in_view(page, target[1:]), f"{ref_id}: note {target} is not on screen"
        page.click(f'{target} a[href="#{ref_id}"]')
        assert page.evaluate("location.hash") == f"#{ref_id}"
        assert _in_view(page, ref_id), f"back link of {target} does not return to {ref_id}"
    page.close()


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", ["fact-box", "brief", "full", "tricky"])
def test_axe_finds_no_wcag_violation(browser, pages, name, width):
    from axe_playwright_python.sync_playwright import Axe

    page, _ = _open(browser, pages[name], width)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    violations = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]
    assert violations == []
    assert results.response["passes"], "axe checked nothing"
    page.close()


def test_phone_width_has_no_sideways_scroll_of_the_page(browser, pages):
    page, _ = _open(browser, pages["fact-box"], "phone")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.close()


def test_markup_in_a_claim_is_shown_as_text(browser, pages):
    page, _ = _open(browser, pages["fact-box"])
    assert page.evaluate("document.querySelectorAll('main script, main b').length") == 0
    assert "</p><script>alert(1)</script>" in page.inner_text("main")
    page.close()


@pytest.mark.parametrize("name", ["fact-box", "brief", "full"])
def test_every_table_cell_is_on_screen_at_320_px(browser, pages, name):
    """On the narrowest phone every column is seen without scrolling: rows stack, each cell labelled."""
    page, _ = _open(browser, pages[name], "narrow")
    off = page.evaluate(
        """() => [...document.querySelectorAll('main tbody th, main tbody td')]
                 .filter(c => { const r = c.getBoundingClientRect();
                                return r.width === 0 || r.left < 0 || r.right > window.innerWidth + 0.5; })
                 .map(c => c.textContent.slice(0, 40))"""
    )
    assert off == []
    assert page.evaluate("document.querySelectorAll('main tbody td').length") > 10
    # each data cell shows its column's name before it
    shown = page.evaluate(
        """() => [...document.querySelectorAll('main tbody td[data-label]')]
                 .every(c => getComputedStyle(c, '::before').content.includes(c.dataset.label))"""
    )
    assert shown
    page.close()


@pytest.mark.parametrize("name", ["fact-box", "brief"])
def test_tables_are_named(browser, pages, name):
    page, _ = _open(browser, pages[name])
    captions = page.eval_on_selector_all(
        "main table", "ts => ts.map(t => t.caption && t.caption.textContent)"
    )
    assert captions and all(captions)
    page.close()


def test_chart_is_named_by_its_title_and_described_by_its_text_alternative(browser, pages):
    page, _ = _open(browser, pages["brief"])
    chart = page.evaluate(
        """() => { const svg = document.querySelector('figure svg');
                   const ids = a => (svg.getAttribute(a) || '').split(' ').filter(Boolean);
                   const text = a => ids(a).map(i => document.getElementById(i).textContent).join(' ');
                   return [text('aria-labelledby'), text('aria-describedby'),
                           svg.querySelector('title').textContent, svg.querySelector('desc').textContent]; }"""
    )
    name, description, title, desc = chart
    assert name == title and description == desc and name != description
    page.close()


def test_grouped_rows_have_their_group_as_row_header(browser, pages):
    page, _ = _open(browser, pages["brief"])
    captions = page.eval_on_selector_all("main table", "ts => ts.map(t => t.caption.textContent)")
    assert "Figures at a glance" in captions
    groups = page.evaluate(
        """() => [...document.querySelectorAll('main tbody')].filter(b => b.querySelector('th'))
                 .map(b => [b.rows.length, b.querySelector('th').getAttribute('scope'),
                            Number(b.querySelector('th').rowSpan), b.rows[0].cells[0].tagName])"""
    )
    assert groups
    for rows, scope, span, first in groups:
        assert first == "TH" and span == rows
        assert scope == ("rowgroup" if rows > 1 else "row")
    blank = page.evaluate(
        "() => [...document.querySelectorAll('main td, main th')].filter(c => !c.textContent.trim()).length"
    )
    assert blank == 0
    page.close()


@pytest.mark.parametrize("name", ["brief", "full"])
def test_chart_text_is_at_least_12_px_at_320_px(browser, pages, name):
    """On the narrowest phone the chart's smallest text, as drawn (font size times the SVG's scale), is 12 CSS px or more."""
    page, _ = _open(browser, pages[name], "narrow")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('main svg text')]
                 .filter(t => t.getBoundingClientRect().width > 0)
                 .map(t => { const m = t.getScreenCTM();  // a rotated label scales by the matrix's norm
                             return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); })"""
    )
    assert sizes, "the page draws a chart with text"
    assert min(sizes) >= 12 - 0.01, sorted(sizes)[:5]
    page.close()
