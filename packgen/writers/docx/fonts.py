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

from .oxml import el, rel_type, root, serialise, sub, val

FONT_REL = rel_type("font")
FONT_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# Fonts the body refers to besides the theme's: the checkbox glyph font Word uses.
SYMBOL_FONTS = ("MS Gothic",)


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
    data = path.read_bytes()
    key = "{" + str(uuid.UUID(bytes=hashlib.md5(data).digest())).upper() + "}"  # noqa: S324 - a name, not security
    return EmbeddedFont(f"word/fonts/font{index}.odttf", key, obfuscate(data, key))


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
               others: tuple[tuple[str, dict[str, EmbeddedFont], dict[str, str]], ...] = ()) -> bytes:
    """fontTable.xml: the body font (and any `others`, such as a brand's headings font: family,
    parts, relationship ids) with its embedded parts and the fallback named as altName."""
    table = root("w:fonts")
    for name, parts, ids in ((family, fonts, rel_ids), *others):
        font = sub(table, "w:font", {"w:name": name})
        font.append(val("w:altName", fallback))
        font.append(val("w:charset", "00"))
        font.append(val("w:family", "swiss"))
        font.append(val("w:pitch", "variable"))
        for style, embedded_font in parts.items():
            font.append(el(f"w:embed{style}", {"r:id": ids[style], "w:fontKey": embedded_font.key}))
    for name in (fallback, *SYMBOL_FONTS):
        other = sub(table, "w:font", {"w:name": name})
        other.append(val("w:charset", "80" if name in SYMBOL_FONTS else "00"))
        other.append(val("w:family", "modern" if name in SYMBOL_FONTS else "swiss"))
        other.append(val("w:pitch", "fixed" if name in SYMBOL_FONTS else "variable"))
    return serialise(table)
