"""What makes a line a heading to the eye: short, not a sentence, and bold or larger than the body
text. A line like that which is not tagged or styled as a heading is one a sighted reader uses to find
their way and a screen-reader user cannot jump to. The PDF and Word rules share this one test.
"""

from __future__ import annotations

MAX_WORDS = 12
MAX_CHARACTERS = 100
LARGER = 1.15  # a size this much above the body text's reads as a heading
SENTENCE_ENDS = ".,;!"  # a line ending so is a sentence or a list's part; ':' and '?' end headings too


def looks_like_heading(text: str, bold: bool, size: float, body_size: float) -> bool:
    """Whether a paragraph's words and looks make it a heading to a sighted reader."""
    words = text.split()
    if not words or len(words) > MAX_WORDS or len(text.strip()) > MAX_CHARACTERS:
        return False
    if text.rstrip()[-1] in SENTENCE_ENDS or not any(c.isalpha() for c in text):
        return False
    return bold or (body_size > 0 and size >= body_size * LARGER)


def body_size(sizes: dict[float, int]) -> float:
    """The body text's size: the size most characters are drawn at (0 when there is no text)."""
    return max(sizes.items(), key=lambda item: (item[1], -item[0]))[0] if sizes else 0.0
