"""Turn the model's inlines into reportlab paragraph markup, treating all text as data."""

from __future__ import annotations

from collections.abc import Iterable

from factsheet.errors import RenderError
from factsheet.rendering.document import LANGUAGE_TAG, Document, Inline, NoteRef, Text
from factsheet.rendering.typography import unbreakable_numbers
from factsheet.writers.pdf import paragraph_styles as styles
from factsheet.writers.pdf import typefaces
from factsheet.xmltext import escape

#: Name of the canvas callback that a drawn note reference calls (see footnotes.py).
REF_CALLBACK = "fsNoteRef"
#: Names of the canvas callbacks drawn where text in another language starts and ends (see tagging.py).
LANG_START, LANG_END = "fsLangStart", "fsLangEnd"
#: Name of the canvas callback drawn where an inline element (a reference group, strong or
#: emphasised text) and its parts start and end (see tagging.py); its label says which.
INLINE = "fsInline"


def inline_mark(label: str) -> str:
    """Return the zero-width markup that calls the inline callback with ``label``."""
    return f'<onDraw name="{INLINE}" label="{label}"/>'


def note_destination(occurrence: int) -> str:
    """Return the destination name of the note that reference ``occurrence`` points to."""
    return f"fsnote-{occurrence}"


def ref_label(number: int, occurrence: int) -> str:
    """Return the callback label that identifies one reference: note number and occurrence."""
    return f"{number}/{occurrence}"


def parse_ref_label(label: str) -> tuple[int, int]:
    """Return (note number, occurrence) from a callback label."""
    number, occurrence = label.split("/")
    return int(number), int(occurrence)


def escape_text(text: str) -> str:
    """Return ``text`` as paragraph markup that shows exactly that text."""
    text = escape(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return text.replace("\n", "<br/>")


class InlineWriter:
    """Writes inlines as markup, checks their glyphs, and numbers note references.

    Every first reference to a note gets an occurrence number, unique in the
    document, so that the reference and its note can link to one another. A later
    reference to a note already referenced repeats its number and links to it; it
    takes no part in note placement (the note stays on the page of its first
    reference).
    """

    def __init__(self, document: Document, tagged: bool = True):
        self.document = document
        self.faces: set[str] = set()
        #: (text, face name, where) of runs drawn in a bold or italic face, checked once registered
        self.styled_runs: list[tuple[str, str, str]] = []
        self.occurrences = 0
        self.first_occurrence: dict[int, int] = {}  # note number -> occurrence of its first reference
        self._ref_colour = styles.LINK.hexval().replace("0x", "#")
        #: whether to mark inline elements for the structure tree (a tagged PDF)
        self.tagged = tagged
        #: the inline elements of the last markup, in order: ("Reference", numbers) or ("Strong"|"Em", ())
        self.inline: list[tuple[str, tuple[int, ...]]] = []
        self._group_open = False

    def text_run(
        self,
        text: str,
        style_name: str,
        where: str,
        bold: bool = False,
        italic: bool = False,
        change: str = "",
    ) -> str:
        """Return markup for one run of text in a style, after checking its glyphs.

        Text marked as a change (a redline) is drawn struck through when deleted and
        underlined when inserted; the PDF has no tracked changes of its own.
        """
        base = styles.base_face(style_name)
        typefaces.check_text(text, base.family, where)
        face = typefaces.face_name(base.family, base.bold or bold, base.italic or italic)
        self.faces.add(face)
        if face != typefaces.face_name(base.family, False, False):
            self.styled_runs.append((text, face, where))
        out = escape_text(unbreakable_numbers(text, "\u00a0"))  # reportlab breaks at thin spaces
        if bold:
            out = f"<b>{out}</b>"
        if italic:
            out = f"<i>{out}</i>"
        if change == "del":
            out = f"<strike>{out}</strike>"
        elif change == "ins":
            out = f"<u>{out}</u>"
        return out

    def language_span(self, markup: str, lang: str, where: str) -> str:
        """Return ``markup`` marked as text in language ``lang``, if that is not the document's."""
        if not lang or lang == self.document.language:
            return markup
        if not LANGUAGE_TAG.match(lang):
            raise RenderError(
                f"text in {where} has language {lang!r}, which is not a language tag such as 'uk'"
            )
        return (
            f'<onDraw name="{LANG_START}" label="{lang}"/>{markup}<onDraw name="{LANG_END}" label="{lang}"/>'
        )

    def markup(
        self, inlines: Iterable[Inline], style_name: str, where: str, links: bool = True
    ) -> tuple[str, tuple[int, ...]]:
        """Return (markup, note numbers referenced in order) for ``inlines`` drawn in ``style_name``.

        With ``links`` false (inside a note) references are drawn as plain
        superscript numbers that take no part in note placement.
        """
        base = styles.base_face(style_name)
        self.faces.add(base.name)
        parts: list[str] = []
        refs: list[int] = []
        #: every note number drawn as a link, in order: first references and repeated ones
        self.linked: list[int] = []
        self.inline = []
        self._group_open = False
        previous_ref = False
        for inline in inlines:
            if isinstance(inline, Text):
                if inline.text:
                    run = self.text_run(
                        inline.text,
                        style_name,
                        where,
                        inline.bold,
                        inline.italic,
                        getattr(inline, "change", ""),
                    )
                    run = self.language_span(run, getattr(inline, "lang", ""), where)
                    parts.append(self._emphasis(run, inline.bold, inline.italic))
                    previous_ref = False
            elif isinstance(inline, NoteRef):
                number = inline.number  # checked against the notes by rendering.validate
                separator = "<super>,</super>" if previous_ref else ""
                if links and self.tagged:
                    separator = self._group(parts, separator, number)
                if links:
                    self.linked.append(number)
                if links and number in self.first_occurrence:
                    k = self.first_occurrence[number]
                    parts.append(
                        f'{separator}<a href="#{note_destination(k)}" color="{self._ref_colour}">'
                        f"<super>{number}</super></a>"
                    )
                elif links:
                    self.occurrences += 1
                    k = self.occurrences
                    parts.append(
                        f'{separator}<a href="#{note_destination(k)}" color="{self._ref_colour}">'
                        f"<super>{number}</super></a>"
                        f'<onDraw name="{REF_CALLBACK}" label="{ref_label(number, k)}"/>'
                    )
                    refs.append(number)
                    self.first_occurrence[number] = k
                else:
                    parts.append(f"{separator}<super>{number}</super>")
                if links and self.tagged:
                    parts.append(inline_mark("/link"))
                previous_ref = True
            else:
                raise RenderError(f"cannot draw inline {type(inline).__name__} in {where}")
        parts.append(self._close_group())
        return "".join(parts), tuple(refs)

    def _emphasis(self, run: str, bold: bool, italic: bool) -> str:
        """Return ``run`` marked as a Strong or Em element when tagging, bold taking precedence."""
        closed = self._close_group()
        if not self.tagged or not (bold or italic):
            return closed + run
        self.inline.append(("Strong" if bold else "Em", ()))
        return closed + inline_mark("start") + run + inline_mark("end")

    def _close_group(self) -> str:
        """Return the mark that ends the reference group drawn last, if one is open."""
        if self.inline and self.inline[-1][0] == "Reference" and self._group_open:
            self._group_open = False
            return inline_mark("end")
        return ""

    def _group(self, parts: list[str], separator: str, number: int) -> str:
        """Start or extend the reference group of note ``number``; return its separator, marked."""
        if separator and self.inline and self.inline[-1][0] == "Reference" and self._group_open:
            kind, numbers = self.inline[-1]
            self.inline[-1] = (kind, numbers + (number,))
            parts.append(inline_mark("sep") + separator + inline_mark("/sep") + inline_mark("link"))
            return ""
        self.inline.append(("Reference", (number,)))
        self._group_open = True
        parts.append(inline_mark("start") + inline_mark("link"))
        return ""
