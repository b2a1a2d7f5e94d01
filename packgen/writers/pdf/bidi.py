"""Right-to-left text: embedding levels for a paragraph and visual order for a line.

A compact form of the Unicode Bidirectional Algorithm (UAX #9) without explicit embeddings or
isolates (our sources have none): the paragraph level comes from its first strong character (P2,
P3); weak types are resolved as W1 to W7 do (so "1,000", "10.5" and "£100" stay numbers read left to
right in a right-to-left sentence); neutrals between two characters of one direction take it, others
the paragraph's (N1, N2; numbers count as right-to-left there); levels are then implicit (I1, I2).
Lines are reordered by reversing runs from the highest level down to the lowest odd level (L2), after
trailing white space has been put back at the paragraph level (L1). tests/test_bidi.py holds it to
python-bidi's full implementation.

Shaping (joining Arabic letters, placing marks) is HarfBuzz's job; a right-to-left run shaped by
HarfBuzz already comes out in visual order, so only whole runs are reordered here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import TypeVar

from bidi.mirror import MIRRORED  # python-bidi's table of characters and their mirror images

T = TypeVar("T")

_STRONG_R = frozenset({"R", "AL"})
_REORDERED = frozenset({*_STRONG_R, "AN"})
_MOST_OPEN_BRACKETS = 63  # BD16: past this many open at once, no more pairs are looked for


@cache
def bidi_class(char: str) -> str:
    return unicodedata.bidirectional(char) or "L"


def is_rtl_char(char: str) -> bool:
    return bidi_class(char) in _STRONG_R


# No character before the Hebrew block is right-to-left: only those from there on need looking up
# (a paragraph of English is then checked in C, not a character at a time in Python). Written as
# "not before Hebrew" because re compiles this small range far faster than one up to U+10FFFF.
_FROM_HEBREW = re.compile("[^\x00-\u058f]")


def has_rtl(text: str) -> bool:
    return _holds(text, _STRONG_R)


def needs_levels(text: str) -> bool:
    """Whether any of the text is drawn other than left to right in a left-to-right paragraph: it has
    right-to-left letters, or Arabic numbers (the neutrals between two of them read right to left)."""
    return _holds(text, _REORDERED)


def _holds(text: str, classes: frozenset[str]) -> bool:
    """Whether any character of the text is of one of these bidi classes, each from the Hebrew block on."""
    return not text.isascii() and any(bidi_class(c) in classes for c in _FROM_HEBREW.findall(text))


def base_level(text: str) -> int:
    """0 for a left-to-right paragraph, 1 for a right-to-left one (its first strong character)."""
    for char in text:
        kind = bidi_class(char)
        if kind == "L":
            return 0
        if kind in _STRONG_R:
            return 1
    return 0


def levels(text: str, base: int | None = None) -> list[int]:
    """The resolved embedding level of each character of a paragraph (logical order)."""
    if base is None:
        base = base_level(text)
    if base == 0 and not needs_levels(text):
        return [0] * len(text)
    sos = "R" if base else "L"
    types = _weak_types(text, sos)
    n = len(types)
    direction = ["L" if t == "L" else "R" if t in ("R", "AN", "EN") else "" for t in types]
    _paired_brackets(text, direction, sos)
    # N1/N2: neutral runs take the direction of their neighbours when both agree
    i = 0
    while i < n:
        if direction[i]:
            i += 1
            continue
        j = i
        while j < n and not direction[j]:
            j += 1
        before = direction[i - 1] if i else sos
        after = direction[j] if j < n else sos
        fill = before if before == after else ("R" if base else "L")
        for k in range(i, j):
            direction[k] = fill
        i = j
    out = []
    for t, d in zip(types, direction, strict=True):
        if base == 0:
            out.append(2 if t in ("AN", "EN") else 1 if d == "R" else 0)
        else:
            out.append(2 if d == "L" or t in ("AN", "EN") else 1)
    return out


def _paired_brackets(text: str, direction: list[str], sos: str) -> None:
    """N0: both brackets of a pair take one direction: the paragraph's, when the words inside have
    it; else the other, when the words inside and before the pair have that; a pair with nothing
    strong inside is left to N1 and N2. A mark after a bracket (W1) takes the bracket's direction."""
    for opening, closing in _bracket_pairs(text):
        inside = set(direction[opening + 1:closing])
        if sos in inside:
            chosen = sos
        elif inside - {""}:  # only the other direction inside: it, when it comes before too
            chosen = next((d for d in reversed(direction[:opening]) if d), sos)
        else:
            continue
        for at in (opening, closing):
            direction[at] = chosen
            after = at + 1
            while after < len(text) and bidi_class(text[after]) == "NSM":
                direction[after] = chosen
                after += 1


def _bracket_pairs(text: str) -> list[tuple[int, int]]:
    """The paired brackets of a paragraph (BD16), by where each opens: each closing bracket matches the
    nearest opening one of its kind still open, closing those opened inside it. A bracket is an
    opening punctuation mark that Unicode mirrors, and its partner its mirror image."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for at, char in enumerate(text):
        if char in MIRRORED and unicodedata.category(char) == "Ps":
            if len(stack) == _MOST_OPEN_BRACKETS:
                break
            stack.append((MIRRORED[char], at))
        elif unicodedata.category(char) == "Pe":
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == char:
                    pairs.append((stack[depth][1], at))
                    del stack[depth:]
                    break
    return sorted(pairs)


def _weak_types(text: str, sos: str) -> list[str]:
    """Each character's type once the weak types are resolved (W1 to W7); `sos` is the paragraph's
    direction, which counts as the strong type before its first character."""
    types: list[str] = []
    after_l: list[bool] = []  # whether the last strong type before each character is L (for W7)
    last_strong = previous = sos
    for char in text:
        kind = bidi_class(char)
        if kind == "NSM":  # W1: a mark takes the type of what it marks
            kind = previous
        if kind in ("R", "L", "AL"):
            last_strong = kind
        elif kind == "EN" and last_strong == "AL":  # W2
            kind = "AN"
        types.append("R" if kind == "AL" else kind)  # W3
        after_l.append(last_strong == "L")
        previous = kind
    for i in range(1, len(types) - 1):  # W4: one separator between two numbers of a kind is one of them
        before, kind, after = types[i - 1], types[i], types[i + 1]
        if before == after and (before == "EN" and kind in ("ES", "CS") or before == "AN" and kind == "CS"):
            types[i] = before
    for i, kind in enumerate(types):  # W5: terminators beside a European number ("£100", "50%") are one
        if kind == "EN":
            for step in (-1, 1):
                j = i + step
                while 0 <= j < len(types) and types[j] == "ET":
                    types[j] = "EN"
                    j += step
    return ["ON" if kind in ("ES", "ET", "CS") else "L" if kind == "EN" and left else kind  # W6, W7
            for kind, left in zip(types, after_l, strict=True)]


def visual_order(items: Sequence[T], item_levels: Sequence[int], base: int = 0) -> list[T]:
    """Items of one line (logical order, each at one level) in the order they are drawn (L1, L2).

    `item_levels` gives each item's level; trailing items at level None-like are not special here:
    callers pass trailing white space at the base level (rule L1).
    """
    order = list(range(len(items)))
    lv = list(item_levels)
    if not lv or max(lv) == 0:
        return list(items)
    top = max(lv)
    lowest_odd = min(v for v in lv if v % 2) if any(v % 2 for v in lv) else top + 1
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if lv[i] >= level:
                j = i
                while j < len(order) and lv[j] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                lv[i:j] = lv[i:j][::-1]
                i = j
            else:
                i += 1
    return [items[k] for k in order]
