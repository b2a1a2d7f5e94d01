"""The tick-box font: a tiny TrueType font holding only the two boxes a Word check box draws.

Word's own check boxes name MS Gothic for U+2610 (ballot box) and U+2612 (ballot box with X), a font
many readers lack (LibreOffice on Linux, Word on a Mac without it) and Word cannot embed. None of the
fonts packgen ships has those glyphs, so packgen draws them here with fontTools and embeds the font in
every Word file with a tick box (packgen/writers/docx/fonts.py), the way the body font travels.

The bytes are the same on every run: fixed outlines, fixed dates, no clock.
"""

from __future__ import annotations

import io
from functools import cache

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

FAMILY = "Packgen Tick Boxes"
UNCHECKED, CHECKED = 0x2610, 0x2612
UNITS = 1000
ADVANCE = 900  # a box a little wider than it is tall, with room either side
# The box sits on the baseline and reaches cap height; its stroke is bold enough to print.
LEFT, RIGHT, BOTTOM, TOP, STROKE = 100, 800, 0, 700, 70
ASCENT, DESCENT = 900, -250
# 1 January 2024, in seconds since 1904 (the TrueType epoch): any fixed date would do.
FIXED_DATE = 3786825600


def _rect(pen: TTGlyphPen, x0: int, y0: int, x1: int, y1: int, clockwise: bool) -> None:
    points = [(x0, y0), (x0, y1), (x1, y1), (x1, y0)]
    if not clockwise:
        points.reverse()
    pen.moveTo(points[0])
    for point in points[1:]:
        pen.lineTo(point)
    pen.closePath()


def _box(pen: TTGlyphPen) -> None:
    """The square's outline: an outer contour clockwise, the inner one the other way (a hole)."""
    _rect(pen, LEFT, BOTTOM, RIGHT, TOP, True)
    _rect(pen, LEFT + STROKE, BOTTOM + STROKE, RIGHT - STROKE, TOP - STROKE, False)


def _cross(pen: TTGlyphPen) -> None:
    """An X inside the square: two bars corner to corner, clockwise like the outer contour."""
    inset, half = STROKE + 60, 45
    x0, y0, x1, y1 = LEFT + inset, BOTTOM + inset, RIGHT - inset, TOP - inset
    for (ax, ay), (bx, by) in (((x0, y0), (x1, y1)), ((x0, y1), (x1, y0))):
        # a bar from a to b, `half` wide either side of the line, its corners in clockwise order
        dx, dy = bx - ax, by - ay
        length = (dx * dx + dy * dy) ** 0.5
        nx, ny = round(-dy / length * half), round(dx / length * half)
        corners = [(ax + nx, ay + ny), (bx + nx, by + ny), (bx - nx, by - ny), (ax - nx, ay - ny)]
        area = sum(x * y2 - x2 * y for (x, y), (x2, y2) in zip(corners, corners[1:] + corners[:1], strict=True))
        if area > 0:  # counter-clockwise: turn it round
            corners.reverse()
        pen.moveTo(corners[0])
        for corner in corners[1:]:
            pen.lineTo(corner)
        pen.closePath()


def _glyph(*draw) -> object:  # noqa: ANN002 - pen painters
    pen = TTGlyphPen(None)
    for paint in draw:
        paint(pen)
    return pen.glyph()


@cache
def font_bytes() -> bytes:
    """The font file (TrueType, .notdef and the two boxes), the same bytes on every run."""
    names = [".notdef", "uni2610", "uni2612"]
    builder = FontBuilder(UNITS, isTTF=True)
    builder.font.recalcTimestamp = False
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({UNCHECKED: "uni2610", CHECKED: "uni2612"})
    builder.setupGlyf({".notdef": _glyph(_box), "uni2610": _glyph(_box), "uni2612": _glyph(_box, _cross)})
    builder.setupHorizontalMetrics({name: (ADVANCE, LEFT) for name in names})
    builder.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT)
    builder.setupNameTable({"familyName": FAMILY, "styleName": "Regular", "uniqueFontIdentifier": f"packgen:{FAMILY}",
                            "fullName": FAMILY, "psName": FAMILY.replace(" ", ""), "version": "Version 1.000",
                            "copyright": "Made by packgen; free to use with any document"})
    builder.setupOS2(sTypoAscender=ASCENT, sTypoDescender=DESCENT, sTypoLineGap=0, usWinAscent=ASCENT,
                     usWinDescent=-DESCENT, fsType=0, achVendID="NONE")
    builder.setupPost()
    builder.setupHead(unitsPerEm=UNITS, created=FIXED_DATE, modified=FIXED_DATE)
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()
