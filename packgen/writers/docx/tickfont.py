"""The tick-box fonts: tiny TrueType fonts packgen draws itself with fontTools, one place for its marks.

`font_bytes` holds the two boxes a Word check box draws. `tick_font_bytes` holds the tick a PDF
viewer draws when it redraws a ticked box itself: viewers take that mark from the font named ZaDb
in the form's resources (codes 3 and 4 are ZapfDingbats' ticks), and ZapfDingbats is not embedded,
so packgen embeds this font under that name (packgen/writers/pdf/tickmark.py).

Word's own check boxes name MS Gothic for U+2610 (ballot box) and U+2612 (ballot box with X), a font
many readers lack (LibreOffice on Linux, Word on a Mac without it) and Word cannot embed. None of the
fonts packgen ships has those glyphs, so packgen draws them here with fontTools and embeds the font in
every Word file with a tick box (packgen/writers/docx/fonts.py), the way the body font travels.

The bytes are the same on every run: fixed outlines, fixed dates, no clock. So they are kept in the
per-user cache (packgen.cache), named by this file and fontTools' version: importing fontTools' font
builder and drawing the font take longer than writing a short PDF.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from packgen import cache as disk_cache

if TYPE_CHECKING:
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

FAMILY = "Packgen Tick Boxes"
TICK_FAMILY = "Packgen Ticks"
# ZapfDingbats' tick codes and their glyph names there: what a viewer redrawing a tick box shows
# (/MK /CA names one; with none, viewers draw 3).
TICK_GLYPHS = {"3": "a19", "4": "a20"}
TICK_UNICODE = {"3": "\u2713", "4": "\u2714"}  # check mark, heavy check mark
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
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    for paint in draw:
        paint(pen)
    return pen.glyph()


def _tick(pen: TTGlyphPen) -> None:
    """A bold tick: one closed outline, clockwise like the boxes' outer contours."""
    corners = [(90, 370), (210, 490), (350, 330), (730, 760), (850, 640), (350, 90)]
    area = sum(x * y2 - x2 * y for (x, y), (x2, y2) in zip(corners, corners[1:] + corners[:1], strict=True))
    if area > 0:
        corners.reverse()
    pen.moveTo(corners[0])
    for corner in corners[1:]:
        pen.lineTo(corner)
    pen.closePath()


def _build(names: list[str], cmap: dict[int, str], glyphs: dict[str, object], family: str) -> TTFont:
    """A TrueType font of the given glyphs, each as wide as a box; saved, the same bytes on every run."""
    from fontTools.fontBuilder import FontBuilder

    builder = FontBuilder(UNITS, isTTF=True)
    builder.font.recalcTimestamp = False
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap(cmap)
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (ADVANCE, LEFT) for name in names})
    builder.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT)
    builder.setupNameTable({"familyName": family, "styleName": "Regular", "uniqueFontIdentifier": f"packgen:{family}",
                            "fullName": family, "psName": family.replace(" ", ""), "version": "Version 1.000",
                            "copyright": "Made by packgen; free to use with any document"})
    builder.setupOS2(sTypoAscender=ASCENT, sTypoDescender=DESCENT, sTypoLineGap=0, usWinAscent=ASCENT,
                     usWinDescent=-DESCENT, fsType=0, achVendID="NONE")
    builder.setupPost()
    builder.setupHead(unitsPerEm=UNITS, created=FIXED_DATE, modified=FIXED_DATE)
    return builder.font


def _saved(font: TTFont) -> bytes:
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _kept(font: str, make: Callable[[], bytes]) -> bytes:
    name = disk_cache.key(font, disk_cache.code_version(Path(__file__)), disk_cache.package_code("fontTools"))
    return disk_cache.get_or_make("fonts", name, make)


@cache
def font_bytes() -> bytes:
    """The font file (TrueType, .notdef and the two boxes), the same bytes on every run."""
    return _kept(FAMILY, lambda: _saved(_build(
        [".notdef", "uni2610", "uni2612"], {UNCHECKED: "uni2610", CHECKED: "uni2612"},
        {".notdef": _glyph(_box), "uni2610": _glyph(_box), "uni2612": _glyph(_box, _cross)}, FAMILY)))


@cache
def tick_font_bytes() -> bytes:
    """The tick font (TrueType, symbolic): ZapfDingbats' two tick codes, 3 and 4, both drawing the tick.

    A symbolic font's codes reach its glyphs through a (3, 0) character map at 0xF000 + code (the
    one PDF/UA-1 7.21.6 asks of a symbolic TrueType font), and a (1, 0) map at the code itself for
    viewers that look there.
    """
    return _kept(TICK_FAMILY, _tick_font)


def _tick_font() -> bytes:
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    font = _build([".notdef", *TICK_GLYPHS.values()], {}, {".notdef": _glyph(_box), **{
        name: _glyph(_tick) for name in TICK_GLYPHS.values()}}, TICK_FAMILY)
    tables = []
    for platform, encoding, offset, fmt in ((1, 0, 0, 0), (3, 0, 0xF000, 4)):
        table = CmapSubtable.newSubtable(fmt)
        table.platformID, table.platEncID, table.language = platform, encoding, 0
        table.cmap = {offset + ord(code): name for code, name in TICK_GLYPHS.items()}
        tables.append(table)
    font["cmap"].tables = tables
    return _saved(font)
