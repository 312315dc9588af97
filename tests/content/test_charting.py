"""Charts of figures over time: chart data, text alternative, PNG bytes, and the brief in both formats."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import struct
import subprocess
import zlib

import pytest

from factsheet.content.charting import ChartShelf, chart_data, x_ticks
from factsheet.content.figures import FigureBook, topic
from factsheet.rendering import chartgeometry
from factsheet.rendering.document import Chart, Heading, Paragraph, Series, Table, Text, plain_text
from factsheet.sources.model import FactSheet
from factsheet.writers.docx import chart_picture
from factsheet.writers.docx.chart_picture import chart_png

import chartclaims
import required
from chartclaims import claim
from conftest import NK_PROJECT, NK_SHEET

TROOPS = "troops_in_training troops_planned_for_training troops_sent additional_troops_sent"


def fig(metric="troops_sent", value=None, low=None, high=None, qualifier=None, as_of=None):
    return chartclaims.fig(metric, value, low, high, qualifier, as_of)


@pytest.fixture
def sheet():
    return FactSheet(
        title="T",
        as_of=dt.date(2025, 2, 28),
        claims=[
            claim(
                "words",
                fig(metric="troops_in_training", qualifier="several thousand"),
                org="Kyiv intelligence",
                said="2024-10",
            ),
            claim("sent", fig(value=11000), org="Seoul intelligence", said="2024"),
            claim("range", fig(low=10000, high=12000, as_of="2024-12-05"), org="Pentagon", said="2025"),
            claim(
                "more",
                fig(metric="additional_troops_sent", value=3000, qualifier="at least"),
                org="Seoul intelligence",
                said="2025-02",
            ),
            claim("undated", fig(metric="troops_in_training", value=10000), org="Kyiv presidency"),
        ],
    )


def day(d: dt.date) -> float:
    return float((d - dt.date(1970, 1, 1)).days)


def test_one_series_per_metric_in_the_topics_order(sheet):
    data = chart_data(topic(sheet, "troops_in_training troops_sent additional_troops_sent"), "Troops")
    c = data
    assert [s.name for s in c.series] == ["Troops in training", "Troops sent", "Additional troops sent"]
    training, sent, more = c.series
    assert c.title == "Troops" and c.y_label == "soldiers"
    # a figure in words: a marker with its whole period and no y value
    assert training.points == () and training.markers == (
        (day(dt.date(2024, 10, 1)), "several thousand, Kyiv intelligence"),
    )
    assert training.marker_spans == ((day(dt.date(2024, 10, 1)), day(dt.date(2024, 10, 31))),)
    # a year-only date keeps the whole year as its span; sources and labels per point
    assert sent.spans[0] == (day(dt.date(2024, 1, 1)), day(dt.date(2024, 12, 31)))
    assert sent.labels == ("11,000, Seoul intelligence", "10,000–12,000, Pentagon")
    assert sent.sources == ("Seoul intelligence", "Pentagon")
    assert sent.ranges == ((11000, 11000), (10000, 12000))
    # a range's point is its low end, never an invented middle
    assert sent.points[1] == (day(dt.date(2024, 12, 5)), 10000)
    # "3,000 more" is its own series: never a fall from 11,000; its x is the first day of its period
    assert more.points == ((day(dt.date(2025, 2, 1)), 3000),)
    assert more.spans == ((day(dt.date(2025, 2, 1)), day(dt.date(2025, 2, 28))),)
    assert [e.claim.id for e in data.unplotted] == ["undated"]


def test_alt_text_lists_every_plotted_value_marker_and_left_out_figure(sheet):
    c = chart_data(topic(sheet, "troops_in_training troops_sent"), "Troops")
    alt = c.alt_text
    for expected in (
        "Chart: Troops.",
        "Horizontal axis: date, Jan 2024 to Jan 2025; vertical axis: soldiers.",
        "Troops in training: several thousand (Kyiv intelligence), October 2024 (no number given; "
        "listed at its date only).",
        "Troops sent: 11,000 (Seoul intelligence), 2024; 10,000–12,000 (Pentagon), 5 December 2024, "
        "reported in 2025.",
        "Not charted, as the sources give it no date: Troops in training: 10,000, Kyiv presidency.",
    ):
        assert expected in alt, alt
    caption = c.caption
    assert (
        "Each figure as reported, over the period it refers to, a range from its low to its high end."
        in caption
    )
    assert "Not charted, as the sources give it no date" in caption
    assert "date not given" not in alt + caption


def test_one_metric_makes_one_series(sheet):
    c = chart_data(topic(sheet, "troops_sent"))
    assert [s.name for s in c.series] == ["Troops sent"]
    assert c.title == "Troops sent"


def _marks(chart, kind):
    return [m for m in chartgeometry.layout(chart).marks if isinstance(m, kind)]


def test_geometry_draws_no_point_in_the_middle_of_a_year_and_nothing_at_zero_for_words(sheet):
    c = chart_data(topic(sheet, "troops_in_training troops_sent additional_troops_sent"))
    plan = chartgeometry.layout(c)
    data = [m for m in plan.marks if getattr(m, "role", "") == "data"]
    # markers: none; the Pentagon's range on 5 December is a capped bar, no point between low and high
    assert not [m for m in data if isinstance(m, chartgeometry.Shape) and m.ref.startswith("s1")]
    bars = [m for m in data if isinstance(m, chartgeometry.Stroke) and m.width == 2.2]
    assert {m.ref for m in bars} == {"s1p0", "s2p0"}  # 11,000 across 2024, 3,000 across February 2025
    # the figure in words is a bar across October 2024 in a lane beneath the time axis, off the scale
    (band,) = [m for m in data if m.ref == "s0w0"]
    axis = max(m.points[0][1] for m in plan.marks if isinstance(m, chartgeometry.Stroke) and m.role == "axis")
    assert band.y0 > axis
    assert "several thousand, Kyiv intelligence" in plan.texts()


def test_geometry_joins_only_one_sources_figures_dated_to_the_day():
    s = FactSheet(
        title="T",
        as_of=dt.date(2025, 1, 1),
        claims=[
            claim("a", fig(value=10, as_of="2024-03-01"), org="A"),
            claim("b", fig(value=20, as_of="2024-04-01"), org="B"),
            claim("c", fig(value=30, as_of="2024-05-01"), org="B"),
        ],
    )
    c = chart_data(topic(s, "troops_sent"))
    joins = [
        m
        for m in chartgeometry.layout(c).marks
        if isinstance(m, chartgeometry.Stroke) and m.colour == chartgeometry.colour(0) and m.width == 1.2
    ]
    assert len(joins) == 1  # B's 20 to B's 30; A's 10 is another source's estimate, not a trend


def test_pdf_and_png_paint_the_same_layout(sheet):
    from factsheet.writers.pdf.chart_painter import build_drawing

    c = chart_data(topic(sheet, "troops_in_training troops_sent additional_troops_sent"), "Troops")
    plan = chartgeometry.layout(c, 400, 200)
    drawing = build_drawing(c, 400, 200)
    assert len(drawing.contents) == len(plan.marks)  # one reportlab shape per mark, nothing decided there


@pytest.mark.parametrize(
    "first, last, labels",
    [
        (
            dt.date(2024, 1, 1),
            dt.date(2025, 2, 28),
            ["Jan 2024", "Apr 2024", "Jul 2024", "Oct 2024", "Jan 2025", "Apr 2025"],
        ),
        (dt.date(2024, 10, 1), dt.date(2024, 12, 31), ["Oct 2024", "Nov 2024", "Dec 2024", "Jan 2025"]),
        (
            dt.date(2019, 5, 1),
            dt.date(2024, 12, 31),
            ["2019", "2020", "2021", "2022", "2023", "2024", "2025"],
        ),
    ],
)
def test_date_axis_ticks_cover_the_figures(first, last, labels):
    ticks = x_ticks(first, last)
    assert [label for _, label in ticks] == labels
    assert (
        ticks[0][0] <= (first - dt.date(1970, 1, 1)).days and ticks[-1][0] > (last - dt.date(1970, 1, 1)).days
    )


def test_the_shelf_makes_charts_by_metric_names_and_refuses_undated_ones(sheet):
    book = FigureBook(sheet)
    shelf = ChartShelf(book)
    assert shelf  # never falsy, so templating keeps it
    book.topic(["troops_sent"], "Troops sent to Russia")
    assert "troops_sent" in shelf and shelf["troops_sent"].title == "Troops sent to Russia"
    assert "no_such_metric" not in shelf
    undated = FactSheet(title="T", as_of=dt.date(2025, 1, 1), claims=[claim("u", fig(value=1))])
    assert "troops_sent" not in ChartShelf(FigureBook(undated))
    assert list(shelf) == ["troops_sent"] and len(shelf) == 1


# -- PNG --------------------------------------------------------------------


def png_chunks(data: bytes):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        chunks.append((kind, body))
        pos += 12 + length
    return chunks


@pytest.fixture
def nk_chart():
    from factsheet.pipeline import build
    from factsheet.project import Project

    project = Project.find(NK_SHEET.parent)
    loaded = build.load_sheet(project, NK_SHEET)
    book = FigureBook(loaded.sheet)
    book.topic(TROOPS, "North Korean troops in or sent to Russia")
    return Chart.of(ChartShelf(book)[TROOPS])


def test_chart_png_is_a_valid_png_of_the_stated_size(nk_chart):
    data = chart_png(nk_chart)
    chunks = png_chunks(data)
    kinds = [k for k, _ in chunks]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"IDAT" in kinds
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    plan = chartgeometry.layout(nk_chart)  # the lane of figures in words adds to the height asked for
    size = tuple(round(v * chart_picture.DPI / 72) for v in (plan.width, plan.height))
    assert (width, height, depth, colour) == (*size, 8, 2)
    raw = zlib.decompress(b"".join(b for k, b in chunks if k == b"IDAT"))
    assert len(raw) == height * (1 + 3 * width)
    assert not ({b"tIME", b"tEXt", b"iTXt", b"zTXt"} & set(kinds))  # nothing that changes from run to run
    (phys,) = [b for k, b in chunks if k == b"pHYs"]
    assert struct.unpack(">IIB", phys) == (round(chart_picture.DPI / 0.0254),) * 2 + (1,)


def test_chart_png_gives_the_same_bytes_every_time(nk_chart):
    first = chart_png(nk_chart)
    assert chart_png(nk_chart) == first
    code = (
        "import sys; from factsheet.rendering.document import *; from factsheet.writers.docx.chart_picture import chart_png; "
        f"sys.stdout.buffer.write(chart_png({nk_chart!r}))"
    )
    other = subprocess.run(
        [os.sys.executable, "-c", code],
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "3"},
    ).stdout
    assert other == first


def test_chart_png_draws_every_series_in_its_colour(nk_chart):
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(chart_png(nk_chart))).convert("RGB")
    colours = {c for _, c in image.getcolors(maxcolors=1 << 20)}
    for i, _ in enumerate(nk_chart.series):
        hex_colour = chartgeometry.PALETTE[i]
        assert hex_colour == chart_picture.PALETTE[i]  # one palette for every painter
        assert tuple(int(hex_colour[j : j + 2], 16) for j in (1, 3, 5)) in colours, hex_colour


def test_chart_png_of_an_empty_or_single_point_chart():
    empty = Chart("Nothing", (Text("c"),), "alt", "soldiers", ())
    single = Chart("One", (Text("c"),), "alt", "", (Series("S", ((100.0, 5.0),), ("5",)),))
    for chart in (empty, single):
        png_chunks(chart_png(chart))


# -- the dossier (the full record: figures at a glance, chart and timeline) ----------


def document(project_root, template="dossier"):
    from factsheet.pipeline import build
    from factsheet.project import Project

    project = Project.find(project_root)
    return build.document_for(
        project, build.load_sheet(project, project_root / "factsheets" / NK_SHEET.name), template
    )


def test_the_dossier_has_figures_chart_and_timeline():
    doc = document(NK_PROJECT)
    headings = [h.plain_text for h in doc.headings()]
    assert "Figures at a glance" in headings and "Timeline" in headings
    # the claims the sources give no date for are counted in one sentence, not listed
    undated = [
        plain_text(b.inlines)
        for b in doc.blocks
        if isinstance(b, Paragraph)
        and b.role == "note"
        and plain_text(b.inlines).startswith("The sources give no date for ")
    ]
    assert len(undated) == 1 and re.fullmatch(
        r"The sources give no date for \d+ of the \d+ claims; .+", undated[0]
    )
    (chart,) = [b for b in doc.blocks if isinstance(b, Chart)]
    assert chart.title == "North Korean troops in or sent to Russia"
    assert [s.name for s in chart.series] == ["Troops in training", "Troops sent", "Additional troops sent"]
    glance = doc.blocks[
        [
            i
            for i, b in enumerate(doc.blocks)
            if isinstance(b, Heading) and b.plain_text == "North Korean troops in or sent to Russia"
        ][0]
        + 1
    ]
    assert isinstance(glance, Table)
    rows = [[plain_text(cell) for cell in row] for row in glance.rows]
    assert rows[0][0] == "Troops in training: several thousand soldiers"
    assert rows[1][:3] == [
        "Troops sent: 11,000 soldiers",
        "South Korean intelligence services",
        "autumn 2024, reported in 2025",
    ]
    # 11,000 sent is no update of several thousand training; the Kremlin's 2024 denial predates it
    assert rows[1][4] == "First figure of its kind"
    assert rows[0][4] == "Denied by Kremlin (2024), as stated"
    assert rows[2][0] == "Additional troops sent: at least 3,000 soldiers"
    assert rows[3][2] == ""  # the sources give no date: none is printed


def test_each_section_can_be_left_out(project):
    brief = (project / "templates" / "dossier.xml.j2").read_text(encoding="utf-8")
    for include in ("_figures", "_chart", "_timeline"):
        assert f'{{% include "{include}.xml.j2" %}}' in brief
    bare = re.sub(r'\{% include "_(figures|chart|timeline)\.xml\.j2" %\}\n', "", brief)
    (project / "templates" / "bare.xml.j2").write_text(bare, encoding="utf-8")
    doc = document(project, "bare")
    headings = [h.plain_text for h in doc.headings()]
    assert "Figures at a glance" not in headings and "Timeline" not in headings
    assert not any(isinstance(b, Chart) for b in doc.blocks)


def test_text_from_yaml_stays_text_in_tables_and_chart(project):
    path = project / "factsheets" / NK_SHEET.name
    text = path.read_text(encoding="utf-8")
    text = text.replace("organisation: South Korean military\n", 'organisation: "<b>Seoul</b> & Co"\n', 1)
    path.write_text(text, encoding="utf-8")
    doc = document(project)
    (chart,) = [b for b in doc.blocks if isinstance(b, Chart)]
    assert "at least 3,000, <b>Seoul</b> & Co" in [label for s in chart.series for label in s.labels]
    assert "at least 3,000 (<b>Seoul</b> & Co)" in chart.alt_text
    cells = [plain_text(c) for b in doc.blocks if isinstance(b, Table) for r in b.rows for c in r]
    assert any("<b>Seoul</b> & Co" in c for c in cells)


# -- real clients -------------------------------------------------------------


def _need(what: str, ok: bool):
    required.present(ok, f"{what} is missing")


def _writer_ready(fmt: str) -> bool:
    import importlib

    from factsheet.pipeline.build import WRITERS

    module, name = WRITERS[fmt][:2]
    try:
        return hasattr(importlib.import_module(module), name)
    except ImportError:
        return False


def _normalised(text: str) -> str:
    return " ".join(text.split())


def built(tmp_path, fmt: str):
    from conftest import run_cli

    result = run_cli("build", "--format", fmt, "--out", tmp_path, "--template", "dossier")
    return tmp_path / f"north-korea-troops-russia.{fmt}", result


def test_pdf_shows_the_figures_table_chart_caption_and_timeline(tmp_path):
    _need("the PDF writer", _writer_ready("pdf"))
    _need("pdftotext", shutil.which("pdftotext") is not None)
    pdf, result = built(tmp_path, "pdf")
    assert pdf.is_file(), result.stderr
    text = _normalised(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    )
    for expected in (
        "Figures at a glance",
        "North Korean troops in or sent to Russia",
        "Who gave it",
        "Each figure as reported, over the period it refers to",
        "Not charted, as the sources give it no date",
        "Timeline",
        "The sources give no date for",
        "South Korean intelligence services",
        "Ukrainian military intelligence",
    ):
        assert expected in text, expected


def test_libreoffice_sees_the_chart_image_and_the_sections_in_the_docx(tmp_path):
    _need("the DOCX writer", _writer_ready("docx"))
    for tool in ("soffice", "pdftotext", "pdfimages"):
        _need(tool, shutil.which(tool) is not None)
    docx, result = built(tmp_path / "docx", "docx")
    assert docx.is_file(), result.stderr
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    pdf = tmp_path / "north-korea-troops-russia.pdf"
    images = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    rows = [line.split() for line in images.splitlines()[2:] if line.strip()]
    assert any(int(r[3]) >= 600 and int(r[4]) >= 300 for r in rows), images  # the chart, at full size
    text = _normalised(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    )
    for expected in (
        "Figures at a glance",
        "Who gave it",
        "Timeline",
        "The sources give no date for",
        "Each figure as reported, over the period it refers to",
    ):
        assert expected in text, expected


def test_figures_section_without_topics_shows_the_groups_found(project):
    path = project / "factsheets" / NK_SHEET.name
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?ms)^  topics:\n.*?(?=^  # A later)", "", text, count=1), encoding="utf-8")
    (project / "templates" / "groups.xml.j2").write_text(
        '<brief title="t">{% include "_figures.xml.j2" %}{% include "_chart.xml.j2" %}</brief>\n',
        encoding="utf-8",
    )
    # each troop count is given once: without topics, no group and no chart
    assert document(project, "groups").blocks == []
    path = project / "factsheets" / NK_SHEET.name
    anchor = "  - id: skorea-3000-additional-troops\n"
    later = (
        "  - id: seoul-11000-again\n    section: troop-numbers\n"
        "    text: Seoul said again that 11,000 soldiers were sent.\n    status: reported\n"
        "    attribution: {who: South Korean military, on_record: true}\n    said_on: 2025\n"
        "    figures:\n      - {metric: troops_sent, value: 11000, unit: soldiers, as_of: 2025}\n"
        "    citations:\n      - source: skorea-3000-more-troops\n"
        '        quote: "on top of the 11,000 soldiers reported by Seoul"\n'
        "    updates: [skorea-11000-sent-autumn-2024]\n\n"
    )
    path.write_text(path.read_text(encoding="utf-8").replace(anchor, later + anchor, 1), encoding="utf-8")
    doc = document(project, "groups")
    # two figures of one kind: a group, shown and (without topics) charted
    assert [h.plain_text for h in doc.headings()] == ["Figures at a glance", "Troops sent"]
    assert any(isinstance(b, Chart) for b in doc.blocks)
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert [plain_text(r[0]) for r in table.rows] == ["11,000 soldiers", "11,000 soldiers"]
    assert plain_text(table.rows[1][4]).startswith("Update of 11,000")


def test_a_chart_of_metrics_without_dated_figures_is_left_out(project):
    path = project / "factsheets" / NK_SHEET.name
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(
            r"metrics: \[troops_in_training, [a-z_, ]+\]",
            "metrics: [troops_planned_for_training]",
            text,
            count=1,
        ),
        encoding="utf-8",
    )
    (project / "templates" / "nochart.xml.j2").write_text(
        '<brief title="t">{% include "_chart.xml.j2" %}</brief>\n', encoding="utf-8"
    )
    assert document(project, "nochart").blocks == []


def test_the_charts_text_alternative_gives_each_date_as_the_brief_does():
    from factsheet.content.charting import dated
    from factsheet.pipeline import build
    from factsheet.project import Project

    project = Project(NK_PROJECT)
    loaded = build.load_sheet(project, NK_SHEET)
    document = build.document_for(project, loaded)
    (chart,) = [b for b in document.blocks if isinstance(b, Chart)]
    cells = [plain_text(c) for b in document.blocks if isinstance(b, Table) for row in b.rows for c in row]
    book = FigureBook(loaded.sheet)
    data = chart_data(book.topic(TROOPS, chart.title), chart.title)
    assert data.plotted or data.marked
    for e in (*data.plotted, *data.marked):
        assert f"({e.source}), {dated(e)}" in chart.alt_text, dated(e)
        assert any(cell.endswith(f", {dated(e)}") for cell in cells), dated(e)
