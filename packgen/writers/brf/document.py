"""A document as a Braille-ready file: its paragraphs translated by liblouis, then laid out on pages."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from packgen.errors import RenderError
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
    cells = louis.translate([p.text for p in paras], language, [p.emphasis for p in paras])
    title_text = " ".join(document.metadata.title.split())
    title = louis.translate([title_text], language)[0]
    for text, braille in [*zip([p.text for p in paras], cells, strict=True), (title_text, title)]:
        if not braille.isascii():
            raise _no_braille(text, language, document.id)
    pages = paginate([lay(para, braille) for para, braille in zip(paras, cells, strict=True)], headed=bool(title))
    numbers = louis.translate([str(n) for n in range(1, len(pages) + 1)], language)
    head = running_head(title_text, lambda texts: louis.translate(texts, language)) if title else ""
    path.write_bytes(render(pages, numbers, head))
    return len(pages)


def _no_braille(text: str, language: str, document: str) -> RenderError:
    """A character the language's braille code has no cells for: its table writes it as cells BRF's
    six-dot ASCII cannot hold (the German code spells it as an eight-dot computer-braille escape).
    The error holds the words from that character's to the next cell of a table row, which the build
    finds in the sources to name the file and line."""
    char = next((c for c in dict.fromkeys(text) if not c.isascii()
                 and not louis.translate([c], language)[0].isascii()), next((c for c in text if not c.isascii()), ""))
    at = text.find(char) if char else 0
    start = text.rfind(" ", 0, at) + 1
    end = text.find(";", at)
    words = text[start:end if end >= 0 else len(text)]
    name = unicodedata.name(char, "unnamed character") if char else ""
    return RenderError(f"the braille code {louis.table(language)} has no braille for the character "
                       f"U+{ord(char or ' '):04X} ({name}): document '{document}', in the text starting "
                       f"'{words[:40]}' (write it with letters the language's braille has, or leave it out)",
                       text=words, char=char)
