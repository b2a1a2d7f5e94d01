"""What a PDF viewer draws when it redraws a ticked box itself: packgen's tick font, embedded as ZaDb.

A viewer that rebuilds a check box's appearance (after a form update, or for a file that asks it
to) shows /MK /CA, the ZapfDingbats code of the mark, in the font the form's resources name ZaDb;
Poppler looks only there, and a viewer without a ZapfDingbats font of its own then draws nothing,
or the digit. So every tick box names that code and that font in its /DA, and the form's /DR holds
packgen's own tick font (packgen/writers/docx/tickfont.py) under that name, embedded (PDF/UA-1
7.21.4.1): a simple symbolic TrueType font with no /Encoding (7.21.6), its ToUnicode reading the
codes as the tick characters.
"""

from __future__ import annotations

from functools import cache

from packgen.writers.docx import tickfont
from packgen.writers.pdf.cidfont import to_unicode_cmap
from packgen.writers.pdf.pdffile import Indirect, Name, Stream

RESOURCE = "ZaDb"  # the name viewers look a tick box's mark up by
CAPTION = "4"  # ZapfDingbats' tick (a20), as Acrobat's "Check" style writes it
SYMBOLIC = 1 << 2


def default_appearance(rgb: str) -> str:
    """A tick box's /DA: the tick font, sized to the box (0), in the box's colour (`rgb` as "r g b")."""
    return f"/{RESOURCE} 0 Tf {rgb} rg"


def appearance_characteristics() -> dict[str, str]:
    """A tick box's /MK: the mark a viewer draws when it redraws the box."""
    return {"CA": CAPTION}


@cache
def _program() -> bytes:
    return tickfont.tick_font_bytes()


def font_objects() -> Indirect:
    """The font dictionary: a whole (tiny) program, widths for its two codes, ToUnicode."""
    codes = sorted(ord(code) for code in tickfont.TICK_GLYPHS)
    name = Name(tickfont.TICK_FAMILY.replace(" ", ""))
    scale = 1000 / tickfont.UNITS
    descriptor = Indirect({
        "Type": Name("FontDescriptor"), "FontName": name, "Flags": SYMBOLIC,
        "FontBBox": [0, round(tickfont.DESCENT * scale), round(tickfont.ADVANCE * scale),
                     round(tickfont.ASCENT * scale)],
        "ItalicAngle": 0, "Ascent": round(tickfont.ASCENT * scale), "Descent": round(tickfont.DESCENT * scale),
        "CapHeight": round(tickfont.TOP * scale), "StemV": 80,
        "FontFile2": Stream({"Length1": len(_program())}, _program(), compress=True)})
    unicode = {ord(code): tickfont.TICK_UNICODE[code] for code in tickfont.TICK_GLYPHS}
    return Indirect({
        "Type": Name("Font"), "Subtype": Name("TrueType"), "BaseFont": name, "FirstChar": codes[0],
        "LastChar": codes[-1], "Widths": [round(tickfont.ADVANCE * scale)] * (codes[-1] - codes[0] + 1),
        "FontDescriptor": descriptor, "ToUnicode": Stream({}, to_unicode_cmap(unicode, 1), compress=True)})
