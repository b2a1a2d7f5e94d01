"""Right-to-left text: embedding levels for a paragraph and visual order for a line.

A compact form of the Unicode Bidirectional Algorithm (UAX #9) without explicit embeddings or
isolates (our sources have none): the paragraph level comes from its first strong character (P2,
P3); weak types are resolved as W1, W2, W7 do; neutrals between two characters of one direction
take it, others the paragraph's (N1, N2; numbers count as right-to-left there); levels are then
implicit (I1, I2). Lines are reordered by reversing runs from the highest level down to the lowest
odd level (L2), after trailing white space has been put back at the paragraph level (L1).

Shaping (joining Arabic letters, placing marks) is HarfBuzz's job; a right-to-left run shaped by
HarfBuzz already comes out in visual order, so only whole runs are reordered here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import TypeVar

T = TypeVar("T")

_STRONG_R = frozenset({"R", "AL"})


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
    return not text.isascii() and any(bidi_class(c) in _STRONG_R for c in _FROM_HEBREW.findall(text))


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
    if not has_rtl(text) and base == 0:
        return [0] * len(text)
    types: list[str] = []
    last_strong = "R" if base else "L"
    previous = last_strong
    for char in text:
        kind = bidi_class(char)
        if kind == "NSM":  # W1: a mark takes the type of what it marks
            kind = previous
        if kind == "AL":
            last_strong = "AL"
            kind = "R"
        elif kind in ("R", "L"):
            last_strong = kind
        elif kind == "EN":
            if last_strong == "AL":  # W2
                kind = "AN"
            elif last_strong == "L":  # W7
                kind = "L"
        types.append(kind)
        previous = kind
    # N1/N2: neutral runs take the direction of their neighbours when both agree
    n = len(types)
    direction = ["L" if t == "L" else "R" if t in ("R", "AN", "EN") else "" for t in types]
    sos = "R" if base else "L"
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
