"""A TrueType font whose licence forbids subsetting (OS/2 fsType bit 0x0100), embedded whole.

ReportLab draws text in simple TrueType fonts of up to 256 codes each and embeds, for each, a
subset holding only those codes' glyphs; it reads fsType but subsets such a font all the same.
Here each of those fonts carries the whole font program, every glyph and table as the font's maker
made it, with only its character map chosen for that font's codes (a simple font's codes are
bytes, so the map cannot be the font's own Unicode one). Such a font is named without a subset tag
(ISO 32000-1, 9.6.4: the tag marks a subset), so readers and `pdffonts` see it as embedded whole.
"""

from __future__ import annotations

import io
from functools import lru_cache

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace, makeToUnicodeCMap


class WholeTTFont(TTFont):
    def __init__(self, name: str, filename: str):
        super().__init__(name, filename)
        self.face.__class__ = _WholeFace

    def addObjects(self, doc) -> None:  # noqa: N802 - ReportLab's name
        """ReportLab's TTFont.addObjects, with untagged names (one per code font) and whole fonts."""
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = TTFont.State(self._asciiReadable)
        state.frozen = 1
        for n, subset in enumerate(state.subsets):
            internal = self.getSubsetInternalName(n, doc)[1:]
            base = self.face.name.decode("pdfdoc") + (f"-{n}" if n else "")
            font = pdfdoc.PDFTrueTypeFont()
            font.__Comment__ = f"Font {self.fontName} codes {n}, the whole font"
            font.Name = internal
            font.BaseFont = base
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            font.Widths = pdfdoc.PDFArray(list(map(self.face.getCharWidth, subset)))
            cmap = pdfdoc.PDFStream()
            cmap.content = makeToUnicodeCMap(base, subset)
            if doc.compression:
                cmap.filters = [pdfdoc.PDFZCompress]
            font.ToUnicode = doc.Reference(cmap, "toUnicodeCMap:" + base)
            font.FontDescriptor = self.face.addSubsetObjects(doc, base, subset)
            doc.Reference(font, internal)
            doc.idToObject["BasicFonts"].dict[internal] = font
        del self.state[doc]


class _WholeFace(TTFontFace):
    def makeSubset(self, subset: list[int]) -> bytes:  # noqa: N802 - ReportLab's name
        return _whole(self.filename, tuple(self.charToGlyph.get(code, 0) for code in subset))


@lru_cache(maxsize=16)
def _whole(filename: str, glyphs: tuple[int, ...]) -> bytes:
    """The font file with one character map, (1, 0) format 6: code n shows glyph glyphs[n]."""
    from fontTools.ttLib import TTFont as FontFile
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    font = FontFile(filename, recalcTimestamp=False)
    order = font.getGlyphOrder()
    table = CmapSubtable.newSubtable(6)
    table.platformID, table.platEncID, table.language = 1, 0, 0
    table.cmap = {code: order[glyph] for code, glyph in enumerate(glyphs)}
    font["cmap"].tables = [table]
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()
