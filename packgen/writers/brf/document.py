"""A document as a Braille-ready file: its paragraphs translated by liblouis, then laid out on pages."""

from __future__ import annotations

import unicodedata
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from packgen.errors import RenderError, RenderWarning
from packgen.writers.brf import louis
from packgen.writers.brf.layout import paragraphs
from packgen.writers.brf.pages import lay, paginate, render, running_head

if TYPE_CHECKING:
    from packgen.model import Document
    from packgen.theme import Theme


def write(document: Document, theme: Theme, path: Path) -> int:
    """Write the document's BRF to `path`; return its number of braille pages."""
    language = document.metadata.language
    paras = paragraphs(document)
    title_text = " ".join(unicodedata.normalize("NFC", document.metadata.title).split())  # as layout's texts
    texts = [*(p.text for p in paras), title_text]
    put = louis.stand_ins(texts, language)
    # One warning for each such character of the document, in the words where it first comes
    firsts: dict[str, str] = {}
    for text in texts if put else ():
        for char in sorted(set(text).intersection(put), key=text.find):
            firsts.setdefault(char, text)
    for char, text in firsts.items():
        warnings.warn(_stood_in(text, char, put[char], language, document.id), stacklevel=1)
    written = [_put(p.text, p.emphasis, put) for p in paras]
    cells = louis.translate([text for text, _ in written], language, [marks for _, marks in written])
    title_written = _put(title_text, (), put)[0]
    title = louis.translate([title_written], language)[0]
    for text, braille in [*zip([p.text for p in paras], cells, strict=True), (title_text, title)]:
        if not braille.isascii():
            raise _no_braille(text, language, document.id)
    pages = paginate([lay(para, braille) for para, braille in zip(paras, cells, strict=True)], headed=bool(title))
    numbers = louis.translate([str(n) for n in range(1, len(pages) + 1)], language)
    head = running_head(title_written, lambda texts: louis.translate(texts, language)) if title else ""
    path.write_bytes(render(pages, numbers, head))
    return len(pages)


def _put(text: str, emphasis: tuple[int, ...], put: dict[str, str]) -> tuple[str, tuple[int, ...]]:
    """The text with each character the braille code lacks written as its stand-in, and each character's
    emphasis kept with it (a stand-in of nothing takes its emphasis away with it)."""
    if not put or not any(char in put for char in text):
        return text, emphasis
    chars = [put.get(char, char) for char in text]
    marks = tuple(mark for char, mark in zip(chars, emphasis, strict=False) for _ in char)
    return "".join(chars), marks


def _stood_in(text: str, char: str, stand_in: str, language: str, document: str) -> RenderWarning:
    """A character the language's braille code lacks, and what its braille is written as instead: the
    warning holds the words around it, which the build finds in the sources to name the file and line."""
    words = _words_at(text, char)
    instead = f"the braille has '{stand_in}' in its place" if stand_in else "the braille leaves it out"
    return RenderWarning(f"the braille code {louis.table(language)} has no braille for the character "
                         f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed character')}), so {instead}: "
                         f"document '{document}', in the text starting '{words[:40]}' (to choose what braille "
                         "readers read instead, write it with letters the language's braille has)",
                         text=words, char=char)


def _words_at(text: str, char: str) -> str:
    """The words of `text` around `char`, to find in the sources: from two words before it (a character
    standing alone, such as an emoji, comes with words to find), but not before its table cell or the
    cell's heading, which the braille puts first ('Day: Monday'), to the cell's end."""
    at = text.find(char) if char else 0
    heading = text.rfind(": ", 0, at)
    cell = max(text.rfind(";", 0, at) + 1, heading + 2 if heading >= 0 else 0)
    start = at - len(" ".join(text[cell:at].split(" ")[-3:]))
    end = text.find(";", at)
    return text[start:end if end >= 0 else len(text)]


def _no_braille(text: str, language: str, document: str) -> RenderError:
    """A character the language's braille code has no cells for: its table writes it as cells BRF's
    six-dot ASCII cannot hold (the German code spells it as an eight-dot computer-braille escape).
    The error holds the words around it, which the build finds in the sources to name the file and line."""
    char = next((c for c in dict.fromkeys(text) if not c.isascii()
                 and not louis.translate([c], language)[0].isascii()), next((c for c in text if not c.isascii()), ""))
    words = _words_at(text, char)
    name = unicodedata.name(char, "unnamed character") if char else ""
    return RenderError(f"the braille code {louis.table(language)} has no braille for the character "
                       f"U+{ord(char or ' '):04X} ({name}): document '{document}', in the text starting "
                       f"'{words[:40]}' (write it with letters the language's braille has, or leave it out)",
                       text=words, char=char)
