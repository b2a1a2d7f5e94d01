"""Font embedding: the theme's body font travels inside the .docx, so readers without Atkinson
Hyperlegible still see it (Word honours embedded fonts; LibreOffice too).

ECMA-376 Part 1, 17.8.1: an embedded font is an .odttf part whose first 32 bytes are XORed with a
16-byte key taken from a GUID (its hex digits read as bytes, in reverse order); fontTable.xml names
the GUID as w:fontKey. The GUID is derived from the font's bytes, so output stays reproducible.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packgen.theme import FontFiles

from . import tickfont
from .oxml import el, rel_type, root, serialise, sub, val

FONT_REL = rel_type("font")
FONT_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# The tick boxes' font, drawn by packgen and carried in every file with a tick box (tickfont.py).
TICK_FONT = tickfont.FAMILY
TICK_PART = 9  # after the body's four parts (1-4) and a brand's headings font (5-8)
# A file without tick boxes names the font Word's own check boxes use, as it always has (it draws
# nothing with it; the entry keeps those files' bytes as they were).
LEGACY_SYMBOL_FONT = "MS Gothic"


@dataclass(frozen=True)
class EmbeddedFont:
    part: str  # word/fonts/font1.odttf
    key: str  # {GUID}
    data: bytes


def obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes with the GUID's bytes reversed (the spec's obfuscation)."""
    digits = key.strip("{}").replace("-", "")
    guid = bytes(int(digits[i:i + 2], 16) for i in range(0, 32, 2))[::-1]
    head = bytes(b ^ guid[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


@cache
def embedded(path: Path, index: int) -> EmbeddedFont:
    """One font file ready to embed, obfuscated once per process."""
    return embedded_bytes(path.read_bytes(), index)


def embedded_bytes(data: bytes, index: int) -> EmbeddedFont:
    key = "{" + str(uuid.UUID(bytes=hashlib.md5(data).digest())).upper() + "}"  # noqa: S324 - a name, not security
    return EmbeddedFont(f"word/fonts/font{index}.odttf", key, obfuscate(data, key))


@cache
def tick_font() -> EmbeddedFont:
    """The tick boxes' font, ready to embed (its part comes after every text font's)."""
    return embedded_bytes(tickfont.font_bytes(), TICK_PART)


def body_fonts(files: FontFiles, italic: bool = False, first: int = 1) -> dict[str, EmbeddedFont]:
    """Regular and bold of the body font; the italics only when the document has italic text
    (easy read never does), so most files carry two fonts, not four. `first` numbers the parts
    (a brand's headings font comes after the body's)."""
    chosen = {"Regular": embedded(files.regular, first), "Bold": embedded(files.bold, first + 1)}
    if italic:
        chosen["Italic"] = embedded(files.italic, first + 2)
        chosen["BoldItalic"] = embedded(files.bold_italic, first + 3)
    return chosen


def font_table(family: str, fallback: str, fonts: dict[str, EmbeddedFont], rel_ids: dict[str, str],
               others: tuple[tuple[str, dict[str, EmbeddedFont], dict[str, str]], ...] = (),
               tick_rel: str | None = None) -> bytes:
    """fontTable.xml: the body font (and any `others`, such as a brand's headings font: family,
    parts, relationship ids) with its embedded parts and the fallback named as altName; with
    `tick_rel` (a form with tick boxes), the tick boxes' embedded font too."""
    table = root("w:fonts")
    for name, parts, ids in ((family, fonts, rel_ids), *others):
        font = sub(table, "w:font", {"w:name": name})
        font.append(val("w:altName", fallback))
        font.append(val("w:charset", "00"))
        font.append(val("w:family", "swiss"))
        font.append(val("w:pitch", "variable"))
        for style, embedded_font in parts.items():
            font.append(el(f"w:embed{style}", {"r:id": ids[style], "w:fontKey": embedded_font.key}))
    other = sub(table, "w:font", {"w:name": fallback})
    other.append(val("w:charset", "00"))
    other.append(val("w:family", "swiss"))
    other.append(val("w:pitch", "variable"))
    if tick_rel is None:
        legacy = sub(table, "w:font", {"w:name": LEGACY_SYMBOL_FONT})
        legacy.append(val("w:charset", "80"))
        legacy.append(val("w:family", "modern"))
        legacy.append(val("w:pitch", "fixed"))
    else:
        ticks = sub(table, "w:font", {"w:name": TICK_FONT})
        ticks.append(val("w:charset", "00"))
        ticks.append(val("w:family", "decorative"))
        ticks.append(val("w:pitch", "variable"))
        ticks.append(el("w:embedRegular", {"r:id": tick_rel, "w:fontKey": tick_font().key}))
    return serialise(table)
