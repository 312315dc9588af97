"""Every writer sets each paragraph role in the theme's family, size and colour, and the theme's page."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree

from factsheet.rendering import fonts, theme
from factsheet.rendering.document import Document, Paragraph, Text
from factsheet.writers.docx import word_styles, write_docx
from factsheet.writers.html import write_html
from factsheet.writers.html.style import custom_properties
from factsheet.writers.pdf import paragraph_styles

ROLES = sorted(theme.ROLES)
#: The Word style of each role.
WORD_STYLE = {
    "body": "Normal",
    "lead": "Lead",
    "dek": "Dek",
    "meta": "Meta",
    "caption": "Caption",
    "note": "Note",
    "quote": "Quote",
    "h1": "Heading1",
    "h2": "Heading2",
    "h3": "Heading3",
    "cell": "TableText",
    "cell_head": "TableHeading",
    "footnote": "FootnoteText",
    "footer": "Footer",
}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_the_theme_gives_every_role_a_size_word_can_set():
    assert set(WORD_STYLE) == set(theme.ROLES)
    assert all(float(look.size * 2).is_integer() for look in theme.ROLES.values())


@pytest.mark.parametrize("role", ROLES)
def test_pdf_sets_the_role_as_the_theme_says(role):
    look, style = theme.ROLES[role], paragraph_styles.STYLES[role]
    face = fonts.face(look.family, look.bold, look.italic)
    assert (style.fontName, style.fontSize) == (face.name, look.size)
    assert style.textColor.hexval().lower() == "0x" + look.colour.lstrip("#").lower()


@pytest.fixture(scope="module")
def word_styles_xml():
    data = write_docx(Document("t", blocks=[Paragraph((Text("x"),))]))
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml"))


@pytest.mark.parametrize("role", ROLES)
def test_docx_sets_the_role_as_the_theme_says(word_styles_xml, role):
    look = theme.ROLES[role]
    style = word_styles_xml.find(f"{W}style[@{W}styleId='{WORD_STYLE[role]}']")
    rpr = style.find(f"{W}rPr")
    assert rpr.find(f"{W}sz").get(f"{W}val") == str(round(look.size * 2))
    assert rpr.find(f"{W}color").get(f"{W}val") == look.colour.lstrip("#").upper()
    assert rpr.find(f"{W}rFonts").get(f"{W}ascii") == look.family
    assert (rpr.find(f"{W}b") is not None, rpr.find(f"{W}i") is not None) == (look.bold, look.italic)


def test_docx_and_pdf_pages_are_the_themes():
    assert round(theme.PAGE.width * 20) == word_styles.PAGE_WIDTH
    assert round(theme.PAGE.top * 20) == word_styles.MARGIN_TOP
    geometry = paragraph_styles.page_for("letter")
    assert (geometry.width, geometry.left) == (theme.LETTER.width, theme.LETTER.left)


@pytest.fixture(scope="module")
def html_css() -> str:
    html = write_html(Document("t", blocks=[Paragraph((Text("x"),))])).decode("utf-8")
    return html.split("<style>", 1)[1].split("</style>", 1)[0]


@pytest.mark.parametrize("role", ROLES)
def test_html_sizes_and_colours_the_role_as_the_theme_says(html_css, role):
    look, body = theme.ROLES[role], theme.ROLES["body"].size
    name = role.replace("_", "-")
    root = dict(re.findall(r"(--[\w-]+): ([^;]+);", html_css.split("}", 1)[0]))
    assert root == custom_properties()
    assert float(root[f"--size-{name}"].removesuffix("rem")) == pytest.approx(look.size / body, abs=1e-4)
    assert root[f"--colour-{name}"] == look.colour


def test_html_prints_on_the_themes_page(html_css):
    printed = html_css.split("@media print", 1)[1]
    mm = [
        float(v)
        for v in re.search(
            r"@page \{ size: A4; margin: ([\d.]+)mm ([\d.]+)mm ([\d.]+)mm ([\d.]+)mm", printed
        ).groups()
    ]
    page = theme.PAGE
    assert mm == pytest.approx(
        [v / theme.MM for v in (page.top, page.right, page.bottom, page.left)], abs=1e-3
    )
    assert f"body {{ font-size: {theme.ROLES['body'].size:g}pt; }}" in printed


def test_html_uses_the_theme_for_every_role_it_draws(html_css):
    for role in ("h1", "h2", "h3", "dek", "meta", "lead", "caption", "note", "quote", "cell", "footer"):
        assert f"var(--size-{role.replace('_', '-')})" in html_css, role
