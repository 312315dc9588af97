"""Characters the brief's fonts cannot draw, found in a sheet's text before anything is rendered."""

from __future__ import annotations

from factsheet.errors import Problem
from factsheet.sources.loading import Located, display_path
from factsheet.sources.schema import forbidden_character
from factsheet.writers import fonts

#: The most characters one message names; the rest are counted.
_SHOWN_CHARACTERS = 5


def text_glyph_problems(doc: Located) -> list[Problem]:
    """Return a problem for each text field holding a character the brief's fonts cannot draw.

    ``check`` and ``build`` both ask this, so what ``check`` accepts is what the
    writers can draw: an emoji, a private-use character or an invisible filler
    (U+3164, tag characters) is refused naming its field and the character.
    """
    problems: list[Problem] = []

    def visit(value: object, path: tuple[str | int, ...]) -> None:
        if isinstance(value, str):
            missing = fonts.missing_characters(value, fonts.SERIF) or fonts.missing_characters(
                value, fonts.SANS
            )
            # a control or bidirectional character is refused by the schema already, in its own words
            missing = [c for c in missing if not forbidden_character(c)]
            if missing:
                chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing[:_SHOWN_CHARACTERS])
                if len(missing) > _SHOWN_CHARACTERS:
                    chars += f" and {len(missing) - _SHOWN_CHARACTERS} more"
                claim = doc.data["claims"][path[1]] if len(path) > 2 and path[0] == "claims" else None
                owner = f"claim '{claim.get('id')}': " if isinstance(claim, dict) else ""
                problems.append(
                    doc.problem(
                        path,
                        f"{owner}{display_path(path)}: {chars} cannot be drawn by the brief's fonts (DejaVu); "
                        "replace or remove it",
                    )
                )
        elif isinstance(value, dict):
            for k, v in value.items():
                visit(v, path + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                visit(v, path + (i,))

    visit(doc.data, ())
    return problems
