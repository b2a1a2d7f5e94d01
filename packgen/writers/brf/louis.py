"""liblouis's translator, through its shared library (Debian's liblouis20) by ctypes: the command-line
tool cannot be given typeforms, which is how liblouis is told a word is bold or italic (and then
writes UEB's emphasis indicators), and Debian's Python binding is built for the system's Python,
not packgen's."""

from __future__ import annotations

import ctypes
import unicodedata
from collections.abc import Iterable
from functools import cache

from packgen.errors import RenderError

# The literary braille code for each language (its primary subtag), chosen by hand: liblouis's own
# metadata query (lou_findTable "language:fr") picks an 8-dot computer code for French and an
# uncontracted table for English, not what a braille reader of those languages reads.
TABLES = {
    "en": "en-ueb-g2.ctb",  # Unified English Braille, grade 2 (contracted)
    "fr": "fr-bfu-g2.ctb",  # French unified braille, abrégé
    "de": "de-g2.ctb",  # German contracted braille (Kurzschrift)
    "cy": "cy-cy-g2.ctb",  # Welsh contracted braille
}
# A bulleted list item's label: the bullet where the code has one (UEB's dots 456-256, French
# braille's), else the en dash, which the German and Welsh codes have and the bullet they do not (their
# tables would write U+2022 as its code point, which the German one spells in eight-dot cells BRF cannot hold).
BULLETS = {"de": "\u2013", "cy": "\u2013"}
BULLET = "\u2022"
# BRF's cells as ASCII (North American Braille ASCII, the one BRF files use whatever the language).
DISPLAY = "en-us-brf.dis"
LIBRARY = "liblouis.so.20"
# liblouis.h's typeforms: what a character's emphasis is when it is translated.
PLAIN, ITALIC, BOLD = 0, 0x1, 0x4  # plain_text, italic (emph_1), bold (emph_3)
# liblouis.h's translation mode that leaves out a character the table does not define: what it writes
# then is blank (the French code's `undefined 0` still gives a blank cell) only for such a character.
NO_UNDEFINED = 0x80
# What needs no cells of its own, so a blank is its braille: spaces and invisible format characters
# (a soft hyphen, a zero-width space).
CELL_LESS = ("Z", "Cc", "Cf")


def table(language: str) -> str:
    return TABLES[language.split("-")[0].lower()]


def bullet(language: str) -> str:
    return BULLETS.get(language.split("-")[0].lower(), BULLET)


def stand_ins(texts: Iterable[str], language: str) -> dict[str, str]:
    """Each character of `texts` the language's braille code lacks, with what its braille is written as
    instead: the letter without its accent or stroke where the code has that letter (Polish ż as z, Ł
    as L), which a braille reader reads as the name spelt plainly, else nothing ("", an emoji, Greek in
    Welsh), as the code has no cells to say it with. liblouis itself would leave a blank cell (French)
    or spell the character's code point in cells (Welsh, UEB). ASCII is in every code, so only the
    other characters are asked about, each once per table. A character the table writes as eight-dot
    cells (the German code's way with what it lacks) is not here: BRF cannot hold those cells, and the
    writer stops at it."""
    name = table(language)
    found: dict[str, str] = {}
    for text in texts:
        if not text.isascii():
            found.update((char, put) for char in set(text) if (put := _stand_in(char, name)) is not None)
    return found


@cache
def _stand_in(char: str, table_name: str) -> str | None:
    if char.isascii() or unicodedata.category(char).startswith(CELL_LESS) or _has_cells(char, table_name):
        return None
    if not _call("lou_translateString", f"{DISPLAY},{table_name}", char, ()).isascii():
        return None
    base = _base_letter(char)
    return base if base and _has_cells(base, table_name) else ""


def _has_cells(char: str, table_name: str) -> bool:
    return char.isascii() or bool(_call("lou_translateString", f"{DISPLAY},{table_name}", char, (),
                                        NO_UNDEFINED).strip())


def _base_letter(char: str) -> str:
    """The letter `char` is made from ("" when none): its first part when Unicode decomposes it (ż is z
    and a dot above), else the letter its name is of ('LATIN SMALL LETTER L WITH STROKE' is l), as Unicode
    decomposes no letter with a stroke."""
    first = unicodedata.normalize("NFD", char)[0]
    if first != char and unicodedata.category(first).startswith("L"):
        return first
    name, with_, _ = unicodedata.name(char, "").partition(" WITH ")
    try:
        return unicodedata.lookup(name) if with_ and unicodedata.category(char).startswith("L") else ""
    except KeyError:
        return ""


def missing() -> str:
    """Why this machine cannot write braille ("" when it can): liblouis is a system library, not a wheel."""
    try:
        _library()
    except RenderError as error:
        return str(error)
    return ""


@cache
def _library() -> tuple[ctypes.CDLL, str]:
    """liblouis, and the codec of its `widechar` (UTF-16 or UTF-32 as it was built)."""
    try:
        lib = ctypes.CDLL(LIBRARY)
    except OSError:
        raise RenderError(f"{LIBRARY} is not installed: install Debian's liblouis20 (and liblouis-data) "
                          "to make Braille-ready files") from None
    for name in ("lou_translateString", "lou_backTranslateString"):
        getattr(lib, name).argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int),
                                       ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_void_p,
                                       ctypes.c_char_p, ctypes.c_int]
    return lib, "utf-32-le" if lib.lou_charSize() == 4 else "utf-16-le"


def translate(texts: list[str], language: str, emphases: list[tuple[int, ...]] | None = None) -> list[str]:
    """Each text (one line, no line break) in braille cells, as BRF's ASCII; `emphases` gives each
    text's typeform per character (ITALIC, BOLD), or () for plain."""
    tables = f"{DISPLAY},{table(language)}"
    marks = emphases or [()] * len(texts)
    return [_call("lou_translateString", tables, text, mark) for text, mark in zip(texts, marks, strict=True)]


def back_translate(cells: list[str], language: str) -> list[str]:
    """Each line of braille cells back in print, as a braille reader's device would speak it."""
    tables = f"{DISPLAY},{table(language)}"
    return [_call("lou_backTranslateString", tables, line, ()) for line in cells]


def _call(function: str, tables: str, text: str, emphasis: tuple[int, ...], mode: int = 0) -> str:
    if not text:
        return ""
    lib, codec = _library()
    width = 4 if codec == "utf-32-le" else 2
    data = text.encode(codec)
    length = len(data) // width
    room = 8 * length + 64  # indicators and capitals can more than double a text's length
    typeform = (ctypes.c_ushort * room)(*emphasis) if any(emphasis) else None
    in_length, out_length = ctypes.c_int(length), ctypes.c_int(room)
    out = ctypes.create_string_buffer(room * width)
    done = getattr(lib, function)(tables.encode(), data, ctypes.byref(in_length), out, ctypes.byref(out_length),
                                  typeform, None, mode)
    if not done or in_length.value != length:
        raise RenderError(f"liblouis could not translate the text with {tables} (are Debian's liblouis-data "
                          f"tables installed?): {text[:60]!r}")
    return out.raw[:out_length.value * width].decode(codec)
