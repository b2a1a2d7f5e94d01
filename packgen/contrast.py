"""WCAG 2 colour contrast: the relative luminance of sRGB colours and the ratio between two of them.

The theme refuses colours under the minimum when it is read, and `packgen check` reports them in
files anyone made: both use this module, so a theme packgen accepts never fails packgen's check.
"""

from __future__ import annotations

import re

MINIMUM_TEXT_CONTRAST = 4.5  # WCAG 2.2 AA (1.4.3) for text of ordinary size

_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def parse_hex(value: str) -> tuple[int, int, int] | None:
    """RRGGBB or RGB, with or without a leading '#', as three 8-bit channels; None when not a colour."""
    match = _HEX.match(value.strip()) if value else None
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def luminance(rgb: tuple[int, int, int]) -> float:
    """The relative luminance of an 8-bit sRGB colour (0 for black to 1 for white).

    The linear segment ends at 0.04045, the IEC 61966-2-1 sRGB value; WCAG 2 prints 0.03928, from an
    older draft. No 8-bit channel lies between the two (10/255 is 0.0392, 11/255 is 0.0431), so for
    these colours both give the same result.
    """
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float | None:
    """The WCAG contrast ratio of two hex colours (1 to 21), or None when either is not a colour."""
    a, b = parse_hex(foreground), parse_hex(background)
    if a is None or b is None:
        return None
    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
