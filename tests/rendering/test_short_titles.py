"""Short titles cut at a word boundary, before a linking word, with no stray punctuation; quotes never doubled."""

from __future__ import annotations

import pytest

from factsheet.rendering.typography import nested, short_title


@pytest.mark.parametrize(
    "headline, short",
    [
        (
            "WP: Several thousand soldiers from North Korea are being trained in Russia and may be sent to Ukraine.",
            "WP: Several thousand soldiers",
        ),
        (
            "Thousands of North Korean soldiers set for deployment to Ukraine: report",
            "Thousands of North Korean soldiers",
        ),
        (
            "‘Several thousands’ of North Korean troops set to be sent to Ukraine frontline",
            "‘Several thousands’ of North Korean troops",
        ),
        ("North Korea trains soldiers for war against Ukraine - Zelenskyy", "North Korea trains soldiers"),
        (
            "N. Korea sent 3,000 more soldiers to aid Russia in its war in Ukraine, S. Korea says",
            "N. Korea sent 3,000 more soldiers",
        ),
        ("Floods: the river rises", "Floods: the river rises"),
        ("Mayor says: ‘We will rebuild every bridge and road’ after the flood", "Mayor says"),
    ],
)
def test_short_titles_end_on_a_whole_word(headline, short):
    title = short_title(headline)
    assert title == short
    assert headline.startswith(title) and title[-1] not in " ,:;-–—/"
    rest = headline[len(title) :]
    assert not rest or rest[0] in " ,:;."  # cut between words, never inside one


@pytest.mark.parametrize(
    "headline, inside",
    [
        ('"Hoax," says Kremlin', "‘Hoax,’ says Kremlin"),
        ("“Hoax,” says Kremlin", "‘Hoax,’ says Kremlin"),
        ("'Several thousands' of troops", "‘Several thousands’ of troops"),
    ],
)
def test_quotes_inside_a_quoted_title_become_single(headline, inside):
    assert nested(headline) == inside
    assert "“" not in nested(headline) and "”" not in nested(headline)
