"""Chart geometry, checked geometrically: marks over their dates, ranges as ranges, words without height, no overlaps."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from factsheet.content.charting import chart_data, date_span
from factsheet.content.figures import topic
from factsheet.rendering import chartgeometry as geo
from factsheet.rendering.document import Chart
from factsheet.sources.model import FactSheet

import chartclaims
from chartclaims import claim

METRICS = "planned sent more_sent"


def fig(metric="sent", value=None, low=None, high=None, qualifier=None, as_of=None):
    return chartclaims.fig(metric, value, low, high, qualifier, as_of)


def crowded_sheet() -> FactSheet:
    """Figures of every kind, close together in time and value, so labels compete for room."""
    claims = [
        claim("year", fig(value=11000, as_of="2024"), org="Seoul intelligence"),
        claim("month", fig(value=10500, as_of="2024-10"), org="Pentagon"),
        claim("day", fig(value=10800, as_of="2024-10-18"), org="Pentagon"),
        claim("day2", fig(value=11200, as_of="2024-11-04"), org="Pentagon"),
        claim("range-day", fig(low=10000, high=12000, as_of="2024-12-05"), org="NATO"),
        claim("range-month", fig(low=9000, high=12500, as_of="2024-11"), org="Kyiv intelligence"),
        claim("words", fig(metric="planned", qualifier="several thousand", as_of="2024-10"), org="Kyiv"),
        claim("words-day", fig(metric="planned", qualifier="thousands", as_of="2024-12-01"), org="Seoul"),
        claim(
            "more", fig(metric="more_sent", value=3000, qualifier="at least", as_of="2025-02"), org="Seoul"
        ),
        claim("more2", fig(metric="more_sent", value=3100, as_of="2025-01"), org="Seoul military"),
    ]
    return FactSheet(title="T", as_of=dt.date(2025, 2, 28), claims=claims)


def entries(sheet):
    group = topic(sheet, METRICS)
    return chart_data(group, "Troops in Russia"), group


LAYOUTS = [
    pytest.param(geo.WIDTH, geo.HEIGHT, geo.PRINT, id="print"),
    pytest.param(geo.SCREEN_WIDTH, 270.0, geo.SCREEN, id="screen-320"),
    pytest.param(300.0, 160.0, geo.PRINT, id="narrow-print"),
]


def day(d: dt.date) -> float:
    return float((d - dt.date(1970, 1, 1)).days)


@pytest.mark.parametrize("width, height, sizes", LAYOUTS)
def test_every_figure_is_drawn_over_exactly_its_dates_span(width, height, sizes):
    data, _ = entries(crowded_sheet())
    plan = geo.layout(Chart.of(data), width, height, sizes)
    assert plan.x_of is not None
    for i, s in enumerate(Chart.of(data).series):
        for j, (first, last) in enumerate(s.spans):
            boxes = [geo.mark_box(m) for m in plan.marks if getattr(m, "ref", "") == f"s{i}p{j}"]
            assert boxes, (s.name, j)
            x0, x1 = plan.x_of(first), plan.x_of(last + 1)
            left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
            if last > first:  # a period: a bar from its first to its last day, exactly
                assert abs(left - x0) <= 1.2 and abs(right - x1) <= 1.2, (s.name, j, left, right, x0, x1)
            else:  # one day: centred on that day
                assert abs((left + right) / 2 - (x0 + x1) / 2) < 0.01


def test_spans_come_from_the_dates_through_one_function():
    data, group = entries(crowded_sheet())
    (sent,) = [s for s in Chart.of(data).series if s.name == "Sent"]
    figures = [e for e in group.figures if e.metric == "sent"]
    assert sent.spans == tuple(tuple(day(d) for d in date_span(e.date)) for e in figures)
    assert sent.spans[0] == (day(dt.date(2024, 1, 1)), day(dt.date(2024, 12, 31)))


@pytest.mark.parametrize("width, height, sizes", LAYOUTS)
def test_a_range_is_a_range_with_no_point_between(width, height, sizes):
    data, _ = entries(crowded_sheet())
    plan = geo.layout(Chart.of(data), width, height, sizes)
    (sent_index,) = [i for i, s in enumerate(Chart.of(data).series) if s.name == "Sent"]
    sent = Chart.of(data).series[sent_index]
    ranged = [j for j, (lo, hi) in enumerate(sent.ranges) if lo != hi]
    assert len(ranged) == 2
    for j in ranged:
        marks = [m for m in plan.marks if getattr(m, "ref", "") == f"s{sent_index}p{j}"]
        assert not any(isinstance(m, geo.Shape) for m in marks)  # no marker at an invented middle
        ys = sorted({y for m in marks if isinstance(m, geo.Stroke) for _, y in m.points})
        low, high = sent.ranges[j]
        # only the low and the high end are drawn as values (a day's bar also has its vertical stroke between)
        horizontal = {
            m.points[0][1] for m in marks if isinstance(m, geo.Stroke) and m.points[0][1] == m.points[-1][1]
        }
        assert len(horizontal) == 2 and min(ys) in horizontal and max(ys) in horizontal
        assert (max(ys) - min(ys)) > 0 and low < high


@pytest.mark.parametrize("width, height, sizes", LAYOUTS)
def test_figures_in_words_claim_no_height(width, height, sizes):
    data, _ = entries(crowded_sheet())
    plan = geo.layout(Chart.of(data), width, height, sizes)
    words = [m for m in plan.marks if re.fullmatch(r"s\d+w\d+", getattr(m, "ref", ""))]
    numbers = [m for m in plan.marks if re.fullmatch(r"s\d+p\d+(-s\d+p\d+)?", getattr(m, "ref", ""))]
    assert len(words) == 2 and numbers
    axis = max(geo.mark_box(m)[3] for m in plan.marks if getattr(m, "role", "") == "axis")
    assert min(geo.mark_box(m)[1] for m in words) > axis  # beneath the time axis
    assert min(geo.mark_box(m)[1] for m in words) > max(geo.mark_box(m)[3] for m in numbers)
    assert "several thousand, Kyiv" in plan.texts() and "thousands, Seoul" in plan.texts()


@pytest.mark.parametrize("width, height, sizes", LAYOUTS)
def test_labels_never_overlap_marks_or_each_other(width, height, sizes):
    data, _ = entries(crowded_sheet())
    plan = geo.layout(Chart.of(data), width, height, sizes)
    labels = [geo.label_box(m) for m in plan.marks if isinstance(m, geo.Label)]
    marks = [
        geo.mark_box(m)
        for m in plan.marks
        if not isinstance(m, geo.Label) and getattr(m, "role", "") in ("data", "legend")
    ]
    for a, b in itertools.combinations(labels, 2):
        assert not geo.overlap(a, b), (a, b)
    for a in labels:
        for b in marks:
            assert not geo.overlap(a, b), (a, b)
        assert a[0] >= -0.01 and a[2] <= plan.width + 0.01 and a[3] <= plan.height  # on the canvas


@pytest.mark.parametrize("width, height, sizes", LAYOUTS)
def test_every_label_of_a_figure_is_drawn_somewhere(width, height, sizes):
    data, _ = entries(crowded_sheet())
    plan = geo.layout(Chart.of(data), width, height, sizes)
    drawn = " ".join(plan.texts())
    for s in Chart.of(data).series:
        for label in s.labels:
            assert " ".join(label.split()) in drawn or all(w in drawn for w in label.split()), label


@pytest.mark.parametrize("width, height, sizes", LAYOUTS)
def test_a_legend_names_each_series(width, height, sizes):
    data, _ = entries(crowded_sheet())
    plan = geo.layout(Chart.of(data), width, height, sizes)
    swatches = [m for m in plan.marks if isinstance(m, geo.Shape) and m.role == "legend"]
    texts = plan.texts()
    for i, s in enumerate(Chart.of(data).series):
        assert s.name in texts
        assert any(m.kind == geo.shape(i) and m.fill == geo.colour(i) for m in swatches)


def test_chart_text_is_at_least_7_pt_in_print_and_12_px_on_a_320_px_screen():
    data, _ = entries(crowded_sheet())
    printed = geo.layout(Chart.of(data))
    assert min(m.size for m in printed.marks if isinstance(m, geo.Label)) >= 7
    screen = geo.layout(Chart.of(data), geo.SCREEN_WIDTH, 270.0, geo.SCREEN)
    assert min(m.size for m in screen.marks if isinstance(m, geo.Label)) >= 12
    # the SVG is laid out for a 320 px screen less the page's padding, so one unit is at least one pixel
    from factsheet.writers.html.style import CSS

    padding = re.search(r"\.factbox \{[^}]*padding: [\d.]+rem (\d+(?:\.\d+)?)rem", CSS)
    assert padding and 320 - 2 * 16 * float(padding.group(1)) >= geo.SCREEN_WIDTH


def test_the_html_chart_is_the_screen_layout():
    from factsheet.writers.html.svg import chart_svg

    data, _ = entries(crowded_sheet())
    svg = chart_svg(Chart.of(data), "c")
    assert f'viewBox="0 0 {geo.SCREEN_WIDTH:g} ' in svg
    sizes = [float(v) for v in re.findall(r'font-size="([\d.]+)"', svg)]
    assert sizes and min(sizes) >= 12
