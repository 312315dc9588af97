"""XML character data escaped exactly as the standard library's saxutils does."""

from __future__ import annotations

from xml.sax.saxutils import escape as sax_escape

import pytest

from factsheet.xmltext import escape


@pytest.mark.parametrize(
    "text",
    ["", "plain", "a < b & c > d", "&amp; already", "<<>>&&", "quotes \" and ' stay", "Київ — 9,000 ≈ «x»"],
)
def test_escape_is_saxutils_escape(text):
    assert escape(text) == sax_escape(text)
