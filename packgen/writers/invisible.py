"""The characters print does not show: Unicode's format characters (soft hyphen, zero-width space,
word joiner, joiners, direction marks, tags), bar the few that are signs drawn before a number.

Text pasted from a word processor or a web page often holds them. They have no glyph of their own to
draw and no braille cells, and a writer that draws or translates them as characters shows a hyphen
mid-word, a box, a gap, or breaks a braille word in two; so the PDF and braille writers leave them out
of what they draw. The model keeps them: the web page, e-book and Word file pass them to readers that
know them (a soft hyphen is where a browser may hyphenate).
"""

from __future__ import annotations

import unicodedata
from functools import cache

FORMAT = "Cf"
# Format characters that are visible signs (Unicode's Prepended_Concatenation_Mark): the Arabic number
# and year signs, the Syriac abbreviation mark, the Kaithi number signs and their like.
SHOWN = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd")


@cache
def invisible(char: str) -> bool:
    return unicodedata.category(char) == FORMAT and char not in SHOWN


def visible(text: str) -> str:
    """`text` without the characters print does not show."""
    return text if text.isascii() else "".join(char for char in text if not invisible(char))
