"""Documents for the DOCX writer tests, built from the document model directly.

``full_brief()`` has the size of a real brief (30 claims, 60 notes) and every kind of
block; ``tricky_brief()`` carries text that breaks naive writers.
"""

from __future__ import annotations

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

TRICKY = "AT&T <b>bold</b> <img src=x> & &amp; \"quoted\" 'single' ]]> <!-- c -->"
POLISH = "Zażółć gęślą jaźń — ZAŻÓŁĆ GĘŚLĄ JAŹŃ"
CYRILLIC = "Генштаб ЗСУ: «Північнокорейські війська» — №\u00a05"
TYPOGRAPHY = "„Cytat” “quoted” ‘single’ – en dash — em dash … 10\u00a0000\u202f€"

SOURCES = (
    "Kyiv Independent",
    "Yonhap",
    "Reuters",
    "Ukrinform",
    "Gazeta Wyborcza",
)


class _Notes:
    """Hand out note numbers in reading order and keep the notes' text."""

    def __init__(self):
        self.notes: list[Footnote] = []

    def ref(self, text: str) -> NoteRef:
        number = len(self.notes) + 1
        self.notes.append(Footnote(number, (Text(text),)))
        return NoteRef(number)


def _source(n: int) -> str:
    outlet = SOURCES[n % len(SOURCES)]
    return (
        f"{outlet}, report {n}: \u201cSeveral thousand soldiers are being trained\u201d, "
        f"paragraph {n % 7 + 1}."
    )


def full_brief() -> Document:
    """Return a brief with 30 claims and 60 notes, a table and a chart."""
    notes = _Notes()
    blocks: list = [
        Heading(1, (Text("North Korean troops in Russia\u2019s war against Ukraine"),)),
        Paragraph(
            (
                Text(
                    "What was reported, by whom and when: from the first sightings in autumn "
                    "2024 to South Korean figures of early 2025."
                ),
            ),
            role="dek",
        ),
        Paragraph((Text("Current to 15 February 2025 \u00b7 5 sources \u00b7 30 claims"),), role="meta"),
    ]
    claim = 0
    for section in ("Deployment", "Training and equipment", "Casualties", "Reactions"):
        blocks.append(Heading(2, (Text(section),)))
        for _ in range(5):
            claim += 1
            blocks.append(
                Paragraph(
                    (
                        Text(f"Claim {claim}: ", bold=True),
                        Text(
                            "According to a Ukrainian military intelligence official, several "
                            "thousand North Korean infantry were being trained in Russia\u2019s Far "
                            "East and could be sent to the front line by the end of the year"
                        ),
                        notes.ref(_source(2 * claim - 1)),
                        Text(", a figure South Korea\u2019s intelligence service later revised "),
                        Text("upwards", italic=True),
                        notes.ref(_source(2 * claim)),
                        Text("."),
                    )
                )
            )
        if section == "Deployment":
            blocks.append(Heading(3, (Text("Timeline"),)))
            rows = []
            for month, label in (
                ("2024-10", "First reports"),
                ("2024-11", "Kursk region"),
                ("2024-12", "Combat losses"),
                ("2025-01", "Prisoners taken"),
            ):
                claim += 1
                rows.append(
                    (
                        (Text(month),),
                        (Text(f"{label}: claim {claim}"), notes.ref(_source(2 * claim - 1))),
                        (Text("Ukraine, South Korea"), notes.ref(_source(2 * claim))),
                    )
                )
            blocks.append(
                Table(
                    header=((Text("Month"),), (Text("Event"),), (Text("Reported by"),)),
                    rows=tuple(rows),
                    widths=(1.0, 3.0, 2.0),
                )
            )
            blocks.append(Paragraph((Text("Months are those of the first report."),), role="caption"))
        if section == "Casualties":
            claim += 1
            blocks.append(
                Chart(
                    title="Reported North Korean casualties",
                    caption=(Text("Cumulative estimates as reported"), notes.ref(_source(2 * claim - 1))),
                    alt_text="A line rising from zero in November 2024 to about 3,000 in January 2025.",
                    y_label="people",
                    series=(Series("estimate", ((20040.0, 0.0), (20100.0, 3000.0))),),
                    x_ticks=((20040.0, "Nov"), (20100.0, "Jan")),
                )
            )
            blocks.append(
                Paragraph(
                    (
                        Text("Casualty figures cannot be verified independently."),
                        notes.ref(_source(2 * claim)),
                    ),
                    role="note",
                )
            )
    blocks.append(Heading(2, (Text("Open questions"),)))
    items = []
    while len(notes.notes) < 60:
        claim += 1
        items.append(
            (
                Text(f"Claim {claim}: whether the deployment continues "),
                notes.ref(_source(len(notes.notes) + 1)),
            )
        )
    blocks.append(BulletList(tuple(items)))
    blocks.append(
        Paragraph(
            (Text("Compiled from five news articles; \u201cunknown\u201d marks what they do not say."),),
            role="note",
        )
    )
    return Document(
        title="North Korean troops in Russia",
        blocks=blocks,
        footnotes=notes.notes,
        subject="Fact sheet: North Korean soldiers in Russia's war against Ukraine",
        author="Fact sheet desk",
        language="en",
        date="2025-02-15",
        footer="North Korean troops in Russia \u00b7 fact sheet",
    )


def tricky_brief() -> Document:
    """Return a small brief whose text looks like markup, is Polish, Cyrillic, typographic."""
    notes = _Notes()
    blocks = [
        Heading(1, (Text(TRICKY),)),
        Paragraph((Text(POLISH), notes.ref(f"{TRICKY} {POLISH}"))),
        Paragraph((Text(CYRILLIC, italic=True), notes.ref(CYRILLIC))),
        Paragraph((Text(TYPOGRAPHY, bold=True), notes.ref(TYPOGRAPHY))),
        Table(
            header=((Text("Źródło"),), (Text("Цитата"),)),
            rows=(((Text(TRICKY),), (Text(CYRILLIC), notes.ref("Table note: " + POLISH))),),
        ),
        Paragraph((Text("line one\nline two\r\nline three\tand a tab"),)),
    ]
    return Document(
        title="Zażółć <b> & «Привет»",
        blocks=blocks,
        footnotes=notes.notes,
        subject=TRICKY,
        author="Redakcja „Fakty”",
        language="pl",
        date="2025-01-31",
        footer=POLISH,
    )


def long_brief(claims: int = 300) -> Document:
    """Return a long record: ``claims`` claims with a note each, and every 25 claims a table citing them again."""
    notes = _Notes()
    blocks: list = [Heading(1, (Text(f"A record of {claims} claims"),))]
    cited: list[NoteRef] = []
    for claim in range(1, claims + 1):
        if claim % 50 == 1:
            blocks.append(Heading(2, (Text(f"Claims {claim} to {claim + 49}"),)))
        ref = notes.ref(f"{SOURCES[claim % len(SOURCES)]}, report {claim}, note text L{claim:04d}.")
        cited.append(ref)
        blocks.append(
            Paragraph((Text(f"Claim {claim}: a figure was reported, token P{claim:04d}"), ref, Text(".")))
        )
        if claim % 25 == 0:
            rows = tuple(
                ((Text(f"Row T{n:04d}"),), (Text(f"figure {n}", bold=True), cited[n - 1]))
                for n in range(claim - 24, claim + 1)
            )
            blocks.append(Table(header=((Text("Claim"),), (Text("Figure"),)), rows=rows, widths=(1.0, 2.0)))
    return Document(
        title=f"A record of {claims} claims",
        blocks=blocks,
        footnotes=notes.notes,
        language="en",
        date="2025-02-15",
        footer="A long record",
    )
