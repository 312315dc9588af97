"""Typographic quotes and apostrophes, quote marks around verbatim quotes, and numbers kept on one line."""

from __future__ import annotations

import re

#: Characters after which a straight quote opens a quotation rather than closing one.
_OPENERS = set(" \t\n\u00a0([{\u2018\u201c\u2013\u2014/-")
#: A web address in text: its quotes and apostrophes are part of it, never made typographic.
_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"]+|\bwww\.[^\s<>\"]+", re.IGNORECASE)
#: Quotation marks a quote may carry at its start or end (its own, or the source's).
QUOTE_MARKS = '"\u201c\u201d\u201e\u201f\u00ab\u00bb'

#: A thin or figure space between digit groups ("12 400"), and a space between a
#: number and the word after it ("1,200 people").
_DIGIT_GROUP_SPACE = re.compile(r"(?<=\d)[\u2009\u2007](?=\d{3}(?!\d))")
_NUMBER_WORD_SPACE = re.compile(r"(?<=\d) (?=[^\W\d_])")


def smart_quotes(text: str, before: str = "") -> str:
    """Return ``text`` with straight quotes and apostrophes made typographic.

    ``before`` is the character that precedes ``text`` on the page (empty at the start
    of a paragraph): a straight quote after a space, an opening bracket, a dash or
    another opening quote opens (“ ‘); elsewhere it closes (” ’), which makes an
    apostrophe ’. Text that is already typographic is left as it is.
    """
    if "'" not in text and '"' not in text:
        return text
    out = []
    previous = before[-1:] if before else ""
    urls = [m.span() for m in _URL.finditer(text)][::-1]  # the next address last
    for i, char in enumerate(text):
        while urls and urls[-1][1] <= i:
            urls.pop()
        if urls and urls[-1][0] <= i:  # an address is printed exactly as written
            out.append(char)
            previous = char
            continue
        if char in "\"'":
            opens = previous == "" or previous in _OPENERS
            if char == "'":
                following = text[i + 1 : i + 2]
                # an elided year ('90s) is an apostrophe even where a quote would open
                opens = opens and following.isalpha()
                char = "\u2018" if opens else "\u2019"
            else:
                char = "\u201c" if opens else "\u201d"
        out.append(char)
        previous = char
    return "".join(out)


def quoted(quote: str) -> str:
    """Return a verbatim quote in quotation marks, unless it starts or ends with its own.

    A quote cut from a longer quotation may carry the source's mark at one end
    (“I do not know …); a second pair there would read ““…” or …”” .
    """
    text = quote.strip()
    if not text or text[0] in QUOTE_MARKS or text[-1] in QUOTE_MARKS:
        return text
    return f"\u201c{text}\u201d"


def unbreakable_numbers(text: str, group_space: str, units: bool = True) -> str:
    """Return ``text`` with numbers kept on one line with their digit groups and the word after them.

    A thin or figure space between digit groups ("12 400") becomes ``group_space``
    (a narrow space the writer's layout never breaks at), and so does every narrow
    no-break space (U+202F) when ``group_space`` is another character; the space
    between a number and the next word ("1,200 people") becomes a no-break space
    when ``units`` is true.
    """
    if group_space != "\u202f":
        text = text.replace("\u202f", group_space)
    if not any(c.isdigit() for c in text):
        return text
    text = _DIGIT_GROUP_SPACE.sub(group_space, text)
    return _NUMBER_WORD_SPACE.sub("\u00a0", text) if units else text


#: Small words a short title does not end on, and where it may be cut ("… families | from the valley").
_LINKING = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "set",
        "the",
        "to",
        "with",
        "-",
        "–",
        "—",
    ]
)
#: Punctuation a cut title does not end with.
_TRAILING = " ,:;-–—/"


def nested(headline: str) -> str:
    """Return ``headline`` ready to sit inside double quotes: its own double quotes become single ones.

    Chicago style: a quotation inside a quoted title takes single marks, so
    ““Hoax,” says ministry” never shows two marks side by side.
    """
    return smart_quotes(headline).replace("\u201c", "\u2018").replace("\u201d", "\u2019")


def short_title(headline: str, most: int = 6) -> str:
    """Return a short title: the headline's first words, cut at a word boundary before a linking word.

    "Post: Several thousand families from the valley are being moved" becomes
    "Post: Several thousand families", not "… families from the": a cut before
    a linking word ("from", "of", "to") keeps names whole. A headline of at
    most ``most`` + 1 words stays whole. No title ends on a linking word, on
    punctuation, or inside a quotation it opened.
    """
    words = headline.strip().rstrip(".").split()
    if len(words) > most + 1:
        head = words[: most + 1]
        cuts = [
            i for i in range(3, len(head)) if head[i].lower().strip(_TRAILING) in _LINKING or head[i] in "-–—"
        ]
        words = head[: cuts[-1]] if cuts else head[:most]
    while len(words) > 2 and (
        words[-1].lower().strip(_TRAILING) in _LINKING or not words[-1].strip(_TRAILING)
    ):
        words = words[:-1]
    title = " ".join(words).rstrip(_TRAILING)
    if title.count("\u2018") > title.count("\u2019"):  # a quotation opened and not closed: end before it
        title = title[: title.rfind("\u2018")].rstrip(_TRAILING) or title
    return title
