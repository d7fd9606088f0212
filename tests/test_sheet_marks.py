"""The words printed in every sheet's margins go through CSS: any text comes out as the same text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from mkdocs_procedures.render.sheet_marks import css_string, plain_text, style_element

ESCAPE = re.compile(r"\\([0-9a-f]{6})")


def read_back(quoted: str) -> str:
    """What a CSS parser reads from a string written by `css_string`."""
    assert quoted[0] == quoted[-1] == '"'
    return ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), quoted[1:-1])


@given(st.text())
def test_any_text_is_one_safe_css_string_that_reads_back_as_itself(text: str) -> None:
    quoted = css_string(text)
    inside = quoted[1:-1]
    assert "<" not in quoted and '"' not in inside and not re.search(r"\\(?![0-9a-f]{6})", inside)
    assert read_back(quoted) == " ".join(text.split())


def test_a_style_element_holds_the_three_properties_and_cannot_be_closed_early() -> None:
    style = style_element("Manual", 'Board </style><script>alert(1)</script> "x"', "Correct \\ on Monday")
    assert style.count("</style>") == 1 and style.endswith("</style>")
    assert '--procedures-sheet-board: "Board \\00003c/style\\00003e' in style
    assert '--procedures-sheet-stamp: "Correct \\00005c on Monday";' in style


def test_the_stamps_words_are_read_as_a_reader_sees_them() -> None:
    assert plain_text("This page is correct\n  as printed on <time>Monday</time> &amp; (https://x.example.org/)") == \
        "This page is correct as printed on Monday & (https://x.example.org/)"
