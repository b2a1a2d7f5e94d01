"""The theme's fonts, registered with ReportLab once per process, and per-character font choice.

Every character is drawn from the first font in the theme's order (body font, then fallbacks)
whose character map has it, so Welsh ŵ/ŷ and Arabic come from Noto while the rest stays in
Atkinson Hyperlegible. A character that no font has cannot be drawn honestly (it would show as an
empty box, the .notdef glyph), so it is an error the caller reports with where it was found.

The Noto fallbacks ship as variable TrueType files; ReportLab reads their default instance (regular
weight) and ignores the variation tables, so bold and italic fallback text is drawn upright and
regular. That is legible and embeds correctly; a static bold instance would need fontTools.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from struct import unpack

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from packgen.theme import FontFiles, Theme
from packgen.writers.invisible import invisible

STYLES = ("regular", "bold", "italic", "bold_italic")
NO_SUBSETTING = 0x0100  # OS/2 fsType: the font may be embedded only whole


class MissingGlyph(Exception):
    """No font in the theme has this character; the layout turns it into a RenderError with a place."""

    def __init__(self, char: str):
        super().__init__(char)
        self.char = char

    def describe(self) -> str:
        name = unicodedata.name(self.char, "unnamed character")
        return f"U+{ord(self.char):04X} ({name})"


def style_of(bold: bool, italic: bool) -> str:
    return STYLES[(1 if bold else 0) + (2 if italic else 0)]


@cache
def _register(path: Path) -> str:
    """Register one TrueType file under a name derived from its file, once per process."""
    name = "PG-" + path.stem.replace("[", "-").replace("]", "").replace(",", "-")
    font = TTFont(name, str(path))
    if "OS/2" in font.face.table and unpack(">H", font.face.get_table("OS/2")[8:10])[0] & NO_SUBSETTING:
        # A brand font whose licence forbids subsetting (brand.yml's reader refuses fonts that may
        # not be embedded at all); ReportLab would subset it regardless, so it is embedded whole.
        from packgen.writers.pdf.wholefont import WholeTTFont

        font = WholeTTFont(name, str(path))
    pdfmetrics.registerFont(font)
    return name


class _Registered(dict[str, str]):
    """style -> registered ReportLab font name; a style's file is parsed when the style is first used.

    Parsing is ReportLab's, in Python: Noto Sans Italic alone takes longer than the body family's four
    files, and most documents never draw an italic Welsh letter.
    """

    def __init__(self, files: FontFiles):
        super().__init__()
        self.files = files

    def __missing__(self, style: str) -> str:
        name = self[style] = _register(Path(getattr(self.files, style)))
        return name


@dataclass
class FontFamily:
    family: str
    names: dict[str, str]  # style -> registered ReportLab font name
    covers: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def load(cls, files: FontFiles) -> FontFamily:
        names = _Registered(files)
        face = pdfmetrics.getFont(names["regular"]).face
        return cls(files.family, names, frozenset(cp for cp, gid in face.charToGlyph.items() if gid))


class FontSet:
    """The body family and its fallbacks, with a per-character choice cached for speed.

    A fallback is read when the first character the families before it lack is met: most documents
    never need one, and reading a fallback's thousands of characters would slow every worker's start.
    """

    def __init__(self, body: FontFamily, fallbacks: Sequence[FontFiles] = ()):
        self.families = [body]
        self.body = body
        self._fallbacks = list(fallbacks)  # not read yet, in the theme's order
        self._choice: dict[str, int] = {}
        # Characters known to come from the body font: most text is only these, and is then one
        # segment, found by a set test instead of a look-up per character. The space is one from the
        # start (check() never looks it up), or no paragraph of several words would ever pass the test.
        self._in_body: set[str] = {" "} if ord(" ") in self.body.covers else set()

    def family_index(self, char: str) -> int:
        """Which family draws `char` (0 = body). Raises MissingGlyph when none has it."""
        hit = self._choice.get(char)
        if hit is not None:
            return hit
        if invisible(char):  # the text drawer leaves it out (packgen.writers.invisible): no font need have it
            self._choice[char] = 0
            self._in_body.add(char)
            return 0
        cp = ord(char)
        i = 0
        while i < len(self.families) or self._fallbacks:
            if i == len(self.families):
                self.families.append(FontFamily.load(self._fallbacks.pop(0)))
            if cp in self.families[i].covers:
                self._choice[char] = i
                if i == 0:
                    self._in_body.add(char)
                return i
            i += 1
        raise MissingGlyph(char)

    def segments(self, text: str, bold: bool = False, italic: bool = False) -> list[tuple[str, str]]:
        """Split text into (font name, text) runs, each character from the first font that has it.

        Spaces stay with the run they sit in (every family has a space), so a Welsh word in a
        sentence does not force its neighbouring spaces into another font; so do the characters print
        does not show (packgen.writers.invisible).
        """
        style = style_of(bold, italic)
        if text and self._in_body.issuperset(text):
            return [(self.body.names[style], text)]
        out: list[tuple[str, str]] = []
        current = -1
        start = 0
        for i, char in enumerate(text):
            if (char == " " or invisible(char)) and current >= 0:
                continue  # a joiner between two Arabic letters stays in their run, for the shaper to read
            index = self.family_index(char)
            if index != current:
                if current >= 0:
                    out.append((self.families[current].names[style], text[start:i]))
                current, start = index, i
        if text:
            out.append((self.families[max(current, 0)].names[style], text[start:]))
        return out

    def check(self, text: str) -> None:
        """Raise MissingGlyph for the first character of text that no font has."""
        if self._in_body.issuperset(text):
            return
        for char in text:
            if char not in " \n":  # what the shaper draws itself (packgen.writers.pdf.text): all else needs a glyph
                self.family_index(char)


_FONTSETS: dict[tuple[FontFiles, ...], FontSet] = {}


def fontset(theme: Theme, headings: bool = False) -> FontSet:
    """The theme's fonts, loaded once per process (font files are parsed only the first time); with
    `headings`, the brand's headings family in the body font's place, when it has one."""
    first = theme.heading_font if headings and theme.heading_font is not None else theme.body_font
    key = (first, *theme.fallback_fonts)
    found = _FONTSETS.get(key)
    if found is None:
        found = _FONTSETS[key] = FontSet(FontFamily.load(key[0]), key[1:])
    return found
