"""Tagged PDF/UA-1 and archival PDF/A-2: two validators, the structure tree, language spans, the untagged option.

``page-validation`` checks the PDF/UA-1 and PDF/A-2 rule sets; ``pdfua`` is a
second, independent check of a PDF/UA subset; the rest reads the structure tree
and the content streams with pikepdf. The fixture story in ``fixtures/ferry``
(fictional) quotes a Ukrainian article in an English brief.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import page
import pdfua
import pikepdf
import pytest

from factsheet.pipeline import build as pipeline
from factsheet.project import Project
from factsheet.rendering.document import (
    BulletList,
    Chart,
    Document,
    Footnote,
    Heading,
    NoteRef,
    Paragraph,
    Series,
    Table,
    Text,
)
from factsheet.writers import WriterOptions
from factsheet.writers.pdf import render_pdf, write_pdf

REPO = Path(__file__).resolve().parents[2]
FERRY = Path(__file__).parent / "fixtures" / "ferry"
# the frozen North Korea project: an editor's edit of the live sheet never changes these tests
NK_ROOT = REPO / "tests" / "fixtures" / "north-korea"
NK = NK_ROOT / "factsheets" / "north-korea-troops-russia.yaml"
TEMPLATES = sorted(
    p.name.removesuffix(".xml.j2")
    for p in (REPO / "templates").glob("*.xml.j2")
    if not p.name.startswith("_")
)


def failures(data: bytes, profile: str) -> list[str]:
    report = page.validate_pdf_bytes(data, profile=profile)
    assert report.rules.total > 50  # the profile's rules really ran
    return [f"{f.rule_id}: {f.message}" for f in report.failures]


def build(sheet: Path, template: str = "brief", profiles=None, root: Path = REPO) -> tuple[Document, bytes]:
    project = Project.find(root)
    loaded = pipeline.load_sheet(project, sheet)
    document = pipeline.document_for(project, loaded, template)
    options = WriterOptions() if profiles is None else WriterOptions(pdf_profiles=profiles)
    return document, write_pdf(document, options)


@pytest.fixture(scope="module")
def ferry(tmp_path_factory) -> tuple[Document, bytes]:
    root = tmp_path_factory.mktemp("ferry")
    shutil.copytree(FERRY, root, dirs_exist_ok=True)
    shutil.copytree(REPO / "templates", root / "templates")
    return build(root / "factsheets" / "ferry-fares.yaml", root=root)


@pytest.fixture(scope="module")
def ferry_pdf(ferry):
    with pikepdf.open(io.BytesIO(ferry[1])) as pdf:
        yield pdf


# -- the validators ----------------------------------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES)
def test_north_korea_brief_passes_pdf_ua1_and_pdf_a2a(template, tmp_path):
    _, data = build(NK, template, root=NK_ROOT)
    assert failures(data, "ua1") == []
    assert failures(data, "2a") == []  # level A: tagged, every glyph mapped to Unicode
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    report = pdfua.validate(str(path))
    assert report.findings == () and report.skipped == ()


@pytest.mark.parametrize("template", TEMPLATES)
def test_north_korea_brief_declared_as_pdf_a2b_passes_pdf_a2b(template):
    _, data = build(NK, template, profiles=("ua1", "a2b"), root=NK_ROOT)
    assert failures(data, "ua1") == []
    assert failures(data, "2b") == []


def test_archival_without_tagging_is_pdf_a2b():
    _, data = build(NK, profiles=("a2",), root=NK_ROOT)
    assert failures(data, "2b") == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        assert "<pdfuaid:part>" not in pdf.Root.Metadata.read_bytes().decode()


def test_ferry_brief_passes_both_profiles(ferry):
    _, data = ferry
    assert failures(data, "ua1") == []
    assert failures(data, "2a") == []


def test_untagged_pdf_claims_nothing():
    document, plain = build(NK, profiles=(), root=NK_ROOT)
    with pikepdf.open(io.BytesIO(plain)) as pdf:
        for key in ("/StructTreeRoot", "/MarkInfo", "/OutputIntents"):
            assert key not in pdf.Root
        # its metadata carries the provenance record (when it has one) and claims no standard
        xmp = pdf.Root.Metadata.read_bytes() if "/Metadata" in pdf.Root else b""
        assert b"pdfaid:" not in xmp and b"pdfuaid:" not in xmp
        assert (b"<fsprov:record>" in xmp) == bool(document.provenance)
    assert failures(plain, "ua1")  # the checker does fail an untagged file
    # tagging changes no drawn text: the same pages, the same notes on each
    plain_notes = render_pdf(document, WriterOptions(pdf_profiles=())).notes_by_page
    assert render_pdf(document, WriterOptions(pdf_profiles=("ua1", "a2"))).notes_by_page == plain_notes


def test_cli_pdf_profiles_option(cli, project, tmp_path):
    done = cli("build", "--format", "pdf", "--pdf-profiles", "none", "--out", tmp_path, cwd=project)
    assert done.returncode == 0, done.stderr
    with pikepdf.open(tmp_path / "north-korea-troops-russia.pdf") as pdf:
        assert "/StructTreeRoot" not in pdf.Root
    bad = cli("build", "--pdf-profiles", "ua2", "--out", tmp_path, cwd=project)
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "factsheet: --pdf-profiles: expected 'none' or a comma-separated list of ua1, a2, a2b, found 'ua2'"
    )
    assert "Traceback" not in bad.stderr


# -- the structure tree ------------------------------------------------------------------------------


def elements(element, depth=0):
    """Yield (depth, element) for ``element`` and its descendant structure elements, in reading order."""
    yield depth, element
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield from elements(kid, depth + 1)


def roles(pdf) -> list[str]:
    return [str(e.S) for _, e in elements(pdf.Root.StructTreeRoot.K)]


def mcids(element) -> list[tuple[int, int]]:
    """Return (page object number, MCID) of the content an element marks directly."""
    kids = element.get("/K")
    out = []
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):
            out.append((element.Pg.objgen[0], int(kid)))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            out.append((kid.Pg.objgen[0], int(kid.MCID)))
    return out


def test_ferry_tree_follows_the_document(ferry, ferry_pdf):
    document, _ = ferry
    pdf = ferry_pdf
    assert pdf.Root.MarkInfo.Marked is True
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    assert str(pdf.Root.Lang) == "en"
    tree = list(elements(pdf.Root.StructTreeRoot.K))
    assert str(tree[0][1].S) == "/Document"
    headings = [str(e.S) for _, e in tree if re.fullmatch(r"/H\d", str(e.S))]
    assert headings == [f"/H{h.level}" for h in document.headings()]
    assert headings[0] == "/H1"
    found = roles(pdf)
    for role in ("/P", "/Table", "/TR", "/TH", "/TD", "/L", "/LI", "/LBody", "/Reference", "/Link", "/Note"):
        assert role in found, role
    assert found.count("/Note") == len(document.footnotes)


def test_header_cells_are_scoped_to_their_column_or_row(ferry_pdf):
    heads = 0
    for _, e in elements(ferry_pdf.Root.StructTreeRoot.K):
        if e.S in ("/THead", "/TBody"):
            scope = "/Column" if e.S == "/THead" else "/Row"  # a header row, or a group's row header
            for _, cell in elements(e):
                if cell.S == "/TH":
                    heads += 1
                    assert cell.A.O == "/Table" and cell.A.Scope == scope
    assert heads


def test_each_note_follows_the_reference_that_cites_it(ferry, ferry_pdf):
    count = len(ferry[0].footnotes)
    notes = 0
    for _, e in elements(ferry_pdf.Root.StructTreeRoot.K):
        kids = [
            k
            for k in (e.K if isinstance(e.get("/K"), pikepdf.Array) else [])
            if isinstance(k, pikepdf.Dictionary)
        ]
        for i, kid in enumerate(kids):
            if kid.get("/S") == "/Note":
                notes += 1
                assert kids[i - 1].S == "/Reference"  # read right after its reference, in the citing element
                assert str(kid.ID).startswith("fsnote-")
    assert count >= 2 and notes == count  # one Note each, after its first reference
    names = ferry_pdf.Root.StructTreeRoot.IDTree.Names
    assert [str(names[i]) for i in range(0, len(names), 2)] == sorted(
        f"fsnote-{n}" for n in range(1, count + 1)
    )


def _all_inlines(document):
    for block in document.blocks:
        for name in ("inlines", "caption"):
            yield from getattr(block, name, ())
        for item in getattr(block, "items", ()):
            yield from item
        for row in (getattr(block, "header", ()),) + tuple(getattr(block, "rows", ())):
            for cell in row:
                yield from cell


def test_every_link_is_tagged_and_described(ferry, ferry_pdf):
    pdf = ferry_pdf
    parents = pdf.Root.StructTreeRoot.ParentTree.Nums
    by_key = {int(parents[i]): parents[i + 1] for i in range(0, len(parents), 2)}
    links = 0
    for pg in pdf.pages:
        if pg.obj.get("/Annots"):
            assert pg.obj.Tabs == "/S"  # tab order follows the structure
        for annot in pg.obj.get("/Annots", []):
            links += 1
            assert str(annot.Contents).startswith(("Note ", "Back to the reference to note "))
            assert int(annot.F) == 4
            link = by_key[int(annot.StructParent)]
            assert link.S == "/Link"
            objr = (
                link.K
                if isinstance(link.K, pikepdf.Dictionary)
                else next(
                    k
                    for k in link.K
                    if isinstance(k, pikepdf.Dictionary)
                    and k.get("/Type") == "/OBJR"
                    and k.Obj.objgen == annot.objgen
                )
            )
            assert objr.Type == "/OBJR" and objr.Obj.objgen == annot.objgen
    document = ferry[0]
    references = sum(isinstance(i, NoteRef) for i in _all_inlines(document))
    assert links == references + len(document.footnotes)  # each reference to its note, each note back


def test_parent_tree_matches_the_marked_content_of_every_page(ferry_pdf):
    pdf = ferry_pdf
    parents = pdf.Root.StructTreeRoot.ParentTree.Nums
    by_key = {int(parents[i]): parents[i + 1] for i in range(0, len(parents), 2)}
    owned = {}
    for _, e in elements(pdf.Root.StructTreeRoot.K):
        for key in mcids(e):
            owned[key] = e.objgen
    for pg in pdf.pages:
        drawn = [
            int(op.operands[1].MCID)
            for op in pikepdf.parse_content_stream(pg)
            if str(op.operator) == "BDC" and "/MCID" in op.operands[1]
        ]
        assert sorted(drawn) == list(range(len(drawn)))
        array = by_key[int(pg.obj.StructParents)]
        assert len(array) == len(drawn)
        for mcid in drawn:
            assert owned[(pg.obj.objgen[0], mcid)] == array[mcid].objgen


def test_marked_content_is_well_nested_and_nothing_is_left_untagged(ferry_pdf):
    painting = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh"}
    for number, pg in enumerate(ferry_pdf.pages, 1):
        stack: list[str] = []
        for op in pikepdf.parse_content_stream(pg):
            name = str(op.operator)
            if name in ("BDC", "BMC", "BT"):
                stack.append("BT" if name == "BT" else "MC")
            elif name in ("EMC", "ET"):
                assert stack and stack.pop() == ("BT" if name == "ET" else "MC"), (
                    f"page {number}: {name} crosses"
                )
            elif name in painting:
                assert "MC" in stack, f"page {number}: {name} outside marked content"
        assert stack == []


def test_quote_in_another_language_is_a_span_with_its_language(ferry_pdf):
    spans = []
    for pg in ferry_pdf.pages:
        ops = pikepdf.parse_content_stream(pg)
        for i, op in enumerate(ops):
            if str(op.operator) == "BDC" and op.operands[0] == "/Span":
                shown = ""
                for later in ops[i + 1 :]:
                    if str(later.operator) == "EMC":
                        break
                    if str(later.operator) in ("Tj", "TJ"):
                        shown += "x"
                spans.append((str(op.operands[1].Lang), shown))
    # the two Ukrainian quotes in the notes; the English quotes carry no span
    assert [lang for lang, _ in spans] == ["uk", "uk"]
    assert all(shown for _, shown in spans)


def test_fonts_map_no_code_to_u0000(ferry_pdf):
    for pg in ferry_pdf.pages:
        for font in pg.Resources.Font.values():
            assert b"<0000>" not in font.ToUnicode.read_bytes()


def test_metadata_identifies_both_profiles_and_matches_the_info(ferry_pdf):
    pdf = ferry_pdf
    xmp = pdf.Root.Metadata.read_bytes().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>A</pdfaid:conformance>" in xmp
    assert f'<rdf:li xml:lang="x-default">{pdf.docinfo.Title}</rdf:li>' in xmp
    assert "<xmp:CreateDate>2025-02-20T00:00:00+00:00</xmp:CreateDate>" in xmp
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1" and int(intent.DestOutputProfile.N) == 3
    assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile


# -- harder layouts --------------------------------------------------------------------------------


def _long_table_document() -> Document:
    rows = tuple((((Text(f"Row {r}"),)), (Text("value " * 8), NoteRef(r))) for r in range(1, 61))
    notes = [Footnote(r, (Text(f"Note for row {r}."),)) for r in range(1, 61)]
    return Document(
        title="Long table",
        date="2025-01-01",
        blocks=[
            Heading(1, (Text("Long table"),)),
            Table(header=((Text("Name"),), (Text("Value"),)), rows=rows),
        ],
        footnotes=notes,
    )


def test_repeated_table_header_is_an_artifact():
    result = render_pdf(_long_table_document())
    assert result.pages >= 2
    assert failures(result.data, "ua1") == []
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        found = roles(pdf)
        assert found.count("/TH") == 2  # the header row once, though drawn on every page
        assert found.count("/TR") == 61
        assert found.count("/Note") == 60


def test_foreign_span_split_across_pages_stays_balanced():
    quote = " ".join(["Тисячі північнокорейських військових проходять навчання в Росії"] * 60)
    doc = Document(
        title="Span",
        date="2025-01-01",
        blocks=[
            Heading(1, (Text("Span"),)),
            *[Paragraph((Text("Filler text for the page " * 40),)) for _ in range(7)],
            Paragraph((Text("He said: "), Text(quote, lang="uk"), Text(" and left."), NoteRef(1))),
        ],
        footnotes=[Footnote(1, (Text("Quoted: "), Text("Тисячі військових", lang="uk")))],
    )
    result = render_pdf(doc)
    assert result.pages >= 3
    assert failures(result.data, "ua1") == [] and failures(result.data, "2a") == []
    with pikepdf.open(io.BytesIO(result.data)) as pdf:
        languages = [
            str(op.operands[1].Lang)
            for pg in pdf.pages
            for op in pikepdf.parse_content_stream(pg)
            if str(op.operator) == "BDC" and op.operands[0] == "/Span"
        ]
        assert languages == ["uk"] * 3  # the quote's two parts, and the one in the note
        test_marked_content_is_well_nested_and_nothing_is_left_untagged(pdf)


def test_figure_and_list_are_tagged():
    chart = Chart(
        title="Troop estimates",
        caption=(Text("Estimates by source"),),
        alt_text="A line chart of troop estimates: 11,000 in November.",
        y_label="Troops",
        series=(Series("Seoul", ((20000.0, 11000.0), (20060.0, 14000.0)), ("11k", "14k")),),
        x_ticks=((20000.0, "Oct"), (20060.0, "Dec")),
    )
    doc = Document(
        title="Figure",
        date="2025-01-01",
        blocks=[
            Heading(1, (Text("Figure"),)),
            chart,
            BulletList(((Text("one"),), (Text("two"),), (Text("three"),))),
        ],
    )
    data = write_pdf(doc)
    assert failures(data, "ua1") == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = [e for _, e in elements(pdf.Root.StructTreeRoot.K)]
        (figure,) = [e for e in tree if e.S == "/Figure"]
        assert str(figure.Alt) == chart.alt_text
        assert figure.A.O == "/Layout" and len(figure.A.BBox) == 4
        assert [str(e.S) for e in tree].count("/LI") == 3
        assert [str(e.S) for e in tree][-10:] == ["/L"] + ["/LI", "/Lbl", "/LBody"] * 3


def _stream_ends(data: bytes) -> list[bytes]:
    """Return, for each stream of ``data``, its last data byte and what follows its /Length bytes."""
    ends = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for o in pdf.objects:
            if isinstance(o, pikepdf.Stream):
                start = data.index(b"\nstream\n", data.index(b"\n%d 0 obj\n" % o.objgen[0])) + 8
                end = start + int(o.Length)
                ends.append(data[end - 1 : end + len(b"\nendstream")])
    return ends


def test_every_stream_has_its_length_and_an_end_of_line_before_endstream():
    _, data = build(NK, root=NK_ROOT)
    ends = _stream_ends(data)
    assert len(ends) > 10  # page contents, fonts, their CMaps, forms, the colour profile, the metadata
    assert all(end[1:] == b"\nendstream" and end[:1] != b"\r" for end in ends), ends


def test_no_stream_ends_in_a_carriage_return_before_endstream():
    """A zlib stream ends with its data's checksum: a drawing whose checksum ends in 0x0D gets a newline."""
    import zlib

    from reportlab.pdfgen.canvas import Canvas

    from factsheet.writers.pdf import pdffile

    drawing = b"0 0 m " + b"1 1 l " * 42 + b"S"
    assert zlib.compress(drawing).endswith(b"\r")  # as it would be written, before the fix

    def written() -> bytes:
        canvas = Canvas(io.BytesIO(), invariant=1)
        canvas.showPage()
        pdffile.amend(canvas._doc.Catalog, Extra=pdffile.stream(drawing))
        return pdffile.write(canvas._doc, canvas)

    saved = written()
    assert written() == saved  # same bytes every time
    assert all(end[:1] != b"\r" and end[1:] == b"\nendstream" for end in _stream_ends(saved))
    with pikepdf.open(io.BytesIO(saved)) as out:
        assert out.Root.Extra.read_bytes() == drawing + b"\n"  # only a newline was added


def test_a_pdf_build_imports_no_pikepdf(tmp_path):
    """The file is written by reportlab alone: pikepdf stays for reading PDFs (verify, the tests)."""
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from factsheet.pipeline import build as pipeline\n"
        "from factsheet.project import Project\n"
        "from factsheet.writers.pdf import write_pdf\n"
        "project = Project.find(Path(sys.argv[1]))\n"
        "document = pipeline.document_for(project, pipeline.load_sheet(project, Path(sys.argv[2])), 'brief')\n"
        "Path(sys.argv[3]).write_bytes(write_pdf(document))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pikepdf'))\n"
    )
    out = tmp_path / "brief.pdf"
    run = subprocess.run(
        [sys.executable, "-c", probe, str(NK_ROOT), str(NK), str(out)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "src"), "FACTSHEET_CACHE_DIR": "off"},
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
    assert failures(out.read_bytes(), "ua1") == []  # and it is the tagged brief
