"""Right-to-left text in the PDF is drawn in the order the Unicode Bidirectional Algorithm (UAX #9)
gives, as python-bidi's full implementation (the unicode-bidi crate) computes it: numbers, prices and
brackets in an Arabic or Hebrew sentence read as their writer wrote them."""

from __future__ import annotations

from bidi import get_display
from hypothesis import given, settings
from hypothesis import strategies as st

from packgen.writers.pdf.bidi import base_level, levels, visual_order

# Letters of each direction, European and Arabic digits, a combining mark, and the separators,
# terminators and brackets that the weak-type and bracket rules are about.
CHARACTERS = "abcאבاب01١٢۱ ,.:/+-%£$#!?\u064e()[]"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=CHARACTERS, min_size=1, max_size=24).map(str.strip).filter(bool))
def test_a_line_is_drawn_in_the_order_the_bidirectional_algorithm_gives(line: str) -> None:
    # a line without white space at either end: rule L1 puts that back at the paragraph's level first
    drawn = "".join(visual_order(list(line), levels(line), base_level(line)))
    assert drawn == get_display(line)
