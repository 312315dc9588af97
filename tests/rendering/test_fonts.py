"""The brief's faces, read once per process: the same characters and widths as the font libraries read."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence

import pytest
from fontTools.ttLib import TTFont
from reportlab.pdfbase.ttfonts import TTFont as ReportlabFont

from factsheet.rendering import fonts, sfnt
from factsheet.writers.pdf import typefaces

from conftest import NK_SHEET, REPO

FACES = [pytest.param(f, id=f.filename) for f in fonts.FACES]


@pytest.mark.parametrize("face", FACES)
def test_a_face_covers_and_measures_what_fonttools_reads(face):
    font = TTFont(str(fonts.face_path(face)), lazy=True)
    best = font.getBestCmap()
    metrics = font["hmtx"].metrics
    assert fonts._coverage(face.filename) == frozenset(best)
    assert fonts._advances(face.filename) == (
        {cp: metrics[name][0] for cp, name in best.items()},
        font["head"].unitsPerEm,
    )


@pytest.mark.parametrize("face", FACES)
def test_a_pdf_typeface_is_the_one_reportlab_makes(face):
    path = str(fonts.face_path(face))
    ours, theirs = typefaces.typeface(face.name, path), ReportlabFont(face.name, path)
    assert isinstance(ours.face, typefaces._Face)  # read in bulk, not by reportlab's own reader
    own = dict(vars(theirs.face))
    assert ours.face._subsets == {}  # the font programs kept for the next PDF: none made yet
    assert ours.face._pdfScale(2048) == own.pop("_pdfScale")(2048)
    # every attribute reportlab's face has, read as reportlab reads it (some made on first use)
    mine = {name: getattr(ours.face, name) for name in own}
    assert isinstance(mine["hmetrics"], Sequence) and not isinstance(mine["hmetrics"], list)
    mine["hmetrics"] = list(mine["hmetrics"])
    assert mine == own
    assert set(vars(ours.face)) - set(own) <= {"_font", "_subsets", "_pdfScale", "_pairs", "_glyph_to_char"}
    for table in ("charToGlyph", "glyphToChar", "charWidths"):  # the order reportlab iterates them in too
        assert list(mine[table]) == list(own[table])
    assert {k: v for k, v in vars(ours).items() if k not in ("face", "encoding", "state")} == {
        k: v for k, v in vars(theirs).items() if k not in ("face", "encoding", "state")
    }
    assert vars(ours.encoding) == vars(theirs.encoding)


def test_a_font_this_reader_does_not_know_is_left_to_the_libraries(tmp_path):
    collection = tmp_path / "fonts.ttc"
    collection.write_bytes(b"ttcf" + bytes(60))
    with pytest.raises(sfnt.Unsupported):
        sfnt.FontFile.read(str(collection))
    font = sfnt.FontFile.read(str(fonts.face_path(fonts.face(fonts.SERIF))))
    format6 = next(offset for platform, _, offset in font.subtables() if platform == 1)
    with pytest.raises(sfnt.Unsupported):
        font.pairs(format6)  # the Macintosh map (format 6): reportlab and fontTools read such fonts


#: Builds the North Korea brief's PDF in this process as a writer process does (read ahead, then
#: write, then the glyph check of the next sheet), printing each font file read and the PDF's path.
_PROBE = """
import json, sys
from pathlib import Path
from factsheet.rendering import fonts, sfnt
reads = []
real = sfnt.FontFile.read.__func__
def counted(cls, path):
    reads.append(Path(path).name)
    return real(cls, path)
sfnt.FontFile.read = classmethod(counted)
from factsheet.pipeline.build import load_sheet, document_for, prepare
from factsheet.project import Project
from factsheet.writers import write
prepare(["pdf"])
project = Project(Path(sys.argv[1]))
loaded = load_sheet(project, Path(sys.argv[2]))
out = Path(sys.argv[3])
out.write_bytes(write("pdf", document_for(project, loaded)))
load_sheet(project, Path(sys.argv[2]))
print(json.dumps(reads))
"""


@pytest.mark.tools("pdffonts", hint="poppler-utils")
def test_a_pdf_brief_reads_each_face_it_draws_once_and_no_other(tmp_path):
    out = tmp_path / "brief.pdf"
    run = subprocess.run(
        [sys.executable, "-c", _PROBE, str(NK_SHEET.parents[1]), str(NK_SHEET), str(out)],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "src"), "FACTSHEET_CACHE_DIR": "off"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    reads = json.loads(run.stdout)
    listed = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    # the PDF names each face by its PostScript name, which DejaVu's file names repeat
    drawn = {line.split()[0].split("+", 1)[1] + ".ttf" for line in listed.splitlines()[2:]}
    assert sorted(reads) == sorted(drawn)
    assert "DejaVuSerif-Bold.ttf" not in reads  # a face the brief never draws


def test_a_faces_metrics_are_read_as_reportlabs_list_is():
    path = str(fonts.face_path(fonts.face(fonts.SANS)))
    ours, theirs = typefaces.typeface(fonts.face(fonts.SANS).name, path).face, ReportlabFont("x", path).face
    made = ours.hmetrics
    assert len(made) == len(theirs.hmetrics)
    for glyph in (0, 1, 1000, len(made) - 1, -1, -len(made)):
        assert made[glyph] == theirs.hmetrics[glyph]
    assert made[10:20:3] == theirs.hmetrics[10:20:3]
    assert made[-3:] == theirs.hmetrics[-3:]
    for glyph in (len(made), -len(made) - 1):
        with pytest.raises(IndexError):
            made[glyph]


def test_glyph_to_characters_is_made_once_and_may_be_set_as_reportlab_does():
    path = str(fonts.face_path(fonts.face(fonts.SERIF)))
    face = typefaces.typeface(fonts.face(fonts.SERIF).name, path).face
    assert "_glyph_to_char" not in vars(face)  # not made until something reads it
    first = face.glyphToChar
    first.setdefault(99999, []).append(0xF000)  # reportlab's shaping adds its private characters so
    assert face.glyphToChar is first and face.glyphToChar[99999] == [0xF000]
    face.glyphToChar = {1: [65]}
    assert face.glyphToChar == {1: [65]}


def test_a_face_this_reader_gives_up_on_is_read_whole_by_reportlab(monkeypatch):
    def unsupported(font):
        raise sfnt.Unsupported("a character map this reader does not take")

    monkeypatch.setattr(typefaces, "_reportlab_map", unsupported)
    face = fonts.face(fonts.SANS, bold=True)
    path = str(fonts.face_path(face))
    ours, theirs = typefaces.typeface(face.name, path).face, ReportlabFont(face.name, path).face
    assert isinstance(ours.hmetrics, list) and ours.hmetrics == theirs.hmetrics  # reportlab's own reading
    assert ours.glyphToChar == theirs.glyphToChar and ours.charWidths == theirs.charWidths
    assert "_pairs" not in vars(ours)
