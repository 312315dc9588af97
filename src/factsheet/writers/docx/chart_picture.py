"""A Chart painted as a PNG picture with Pillow, for the DOCX writer.

Where every mark goes is decided once, by :mod:`factsheet.rendering.chartgeometry`;
this module only paints that layout (the PDF and SVG painters paint the same
layout). The picture uses the brief's DejaVu Sans; the same chart gives the same
bytes every time (no timestamps, fixed size and resolution, no randomness).
"""

from __future__ import annotations

import inspect
import io
import math
import struct
import sys
from typing import TYPE_CHECKING

from factsheet.rendering import chartgeometry, theme
from factsheet.rendering.document import Chart

if TYPE_CHECKING:
    from PIL import ImageDraw

#: Series colours and marker shapes: the theme's, as in the PDF and the SVG.
PALETTE = chartgeometry.PALETTE
SHAPES = chartgeometry.SHAPES

#: Resolution of the PNG: the chart's size in points at this many dots per inch.
DPI = 200
#: Drawn this many times larger, then reduced, to smooth lines.
SUPERSAMPLE = 2


def chart_png(
    chart: Chart, width: float = chartgeometry.WIDTH, height: float = chartgeometry.HEIGHT
) -> bytes:
    """Return the chart painted as PNG bytes (deterministic: the same chart gives the same bytes).

    The picture is the :func:`chartgeometry.layout` of ``width`` × ``height``
    points at ``DPI``. Embedded in a DOCX, it is meant to fill the text width,
    with ``chart.alt_text`` as the picture's description.
    """
    from PIL import __version__ as pillow_version

    from factsheet import cache
    from factsheet.rendering import fonts

    # Painting costs tens of milliseconds and importing Pillow as much again: a
    # chart already painted comes from the disk cache (same chart, same bytes).
    font_files = tuple(
        cache.file_identity(fonts.face_path(fonts.face(fonts.SANS, bold=b))) for b in (False, True)
    )
    # the painting code is part of the key: a changed layout or palette is painted afresh
    code = tuple(
        cache.file_identity(inspect.getfile(m)) for m in (chartgeometry, theme, sys.modules[__name__])
    )
    parts = (repr(chart), width, height, DPI, SUPERSAMPLE, font_files, pillow_version, code)
    return cache.memo(
        "chart-png", parts, lambda: _paint_png(chartgeometry.layout(chart, width, height)), _png
    )


def _png(data: bytes) -> bytes:
    """Return ``data`` if it is a whole PNG picture; raise ValueError otherwise (a damaged cache entry)."""
    if (
        not data.startswith(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
        or min(struct.unpack(">II", data[16:24])) <= 0
        or not data.endswith(b"IEND\xaeB`\x82")
    ):
        raise ValueError("not a PNG picture")
    return data


def _paint_png(plan: chartgeometry.Layout) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    from factsheet.rendering import fonts

    k = DPI / 72 * SUPERSAMPLE
    image = Image.new("RGB", (round(plan.width * k), round(plan.height * k)), chartgeometry.PAPER)
    draw = ImageDraw.Draw(image)
    faces = {b: str(fonts.face_path(fonts.face(fonts.SANS, bold=b))) for b in (False, True)}

    def font(size: float, bold: bool) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(faces[bold], max(1, round(size * k)))

    for m in plan.marks:
        if isinstance(m, chartgeometry.Stroke):
            _png_stroke(draw, m, k)
        elif isinstance(m, chartgeometry.Box):
            draw.rectangle([m.x0 * k, m.y0 * k, m.x1 * k, m.y1 * k], fill=m.fill)
        elif isinstance(m, chartgeometry.Shape):
            _png_shape(draw, m, k)
        elif m.vertical:
            f = font(m.size, m.bold)
            left, top, right, bottom = f.getbbox(m.text)
            # FreeType boxes are whole pixels (typed as floats)
            tile = Image.new("RGB", (int(right - left + 4), int(bottom - top + 4)), chartgeometry.PAPER)
            ImageDraw.Draw(tile).text((2 - left, 2 - top), m.text, font=f, fill=m.colour)
            tile = tile.rotate(90, expand=True)
            image.paste(tile, (round(m.x * k - tile.size[0] / 2), round(m.y * k - tile.size[1] / 2)))
        else:
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[m.anchor]
            draw.text((m.x * k, m.y * k), m.text, font=font(m.size, m.bold), fill=m.colour, anchor=anchor)
    image = image.resize(
        (round(plan.width * DPI / 72), round(plan.height * DPI / 72)), Image.Resampling.LANCZOS
    )
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI), compress_level=3)
    return out.getvalue()


def _png_stroke(draw: ImageDraw.ImageDraw, m: chartgeometry.Stroke, k: float) -> None:
    width = max(1, round(m.width * k))
    points = [(x * k, y * k) for x, y in m.points]
    if not m.dash:
        draw.line(points, fill=m.colour, width=width, joint="curve" if len(points) > 2 else None)
        return
    on, off = m.dash[0] * k, m.dash[-1] * k
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        t = 0.0
        while t < length:
            t1 = min(t + on, length)
            draw.line(
                [
                    (x0 + (x1 - x0) * t / length, y0 + (y1 - y0) * t / length),
                    (x0 + (x1 - x0) * t1 / length, y0 + (y1 - y0) * t1 / length),
                ],
                fill=m.colour,
                width=width,
            )
            t += on + off


def _png_shape(draw: ImageDraw.ImageDraw, m: chartgeometry.Shape, k: float) -> None:
    x, y, r = m.x * k, m.y * k, m.r * k
    width = max(1, round(m.width * k))
    if m.kind == "square":
        draw.rectangle(
            [x - r * 0.85, y - r * 0.85, x + r * 0.85, y + r * 0.85],
            fill=m.fill,
            outline=m.outline,
            width=width,
        )
    elif m.kind == "triangle":
        draw.polygon(
            [(x - r, y + r * 0.8), (x + r, y + r * 0.8), (x, y - r * 1.05)],
            fill=m.fill,
            outline=m.outline,
            width=width,
        )
    elif m.kind == "diamond":
        draw.polygon(
            [(x, y - r * 1.15), (x + r * 1.15, y), (x, y + r * 1.15), (x - r * 1.15, y)],
            fill=m.fill,
            outline=m.outline,
            width=width,
        )
    else:
        draw.ellipse([x - r, y - r, x + r, y + r], fill=m.fill, outline=m.outline, width=width)
