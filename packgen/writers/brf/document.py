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
    title_text = " ".join(document.metadata.title.split())
    for text in [*(p.text for p in paras), title_text]:
        char = louis.no_braille_for(text, language)
        if char:
            raise _no_braille(text, char, language, document.id)
    cells = louis.translate([p.text for p in paras], language, [p.emphasis for p in paras])
    title = louis.translate([title_text], language)[0]
    pages = paginate([lay(para, braille) for para, braille in zip(paras, cells, strict=True)], headed=bool(title))
    numbers = louis.translate([str(n) for n in range(1, len(pages) + 1)], language)
    head = running_head(title_text, lambda texts: louis.translate(texts, language)) if title else ""
    path.write_bytes(render(pages, numbers, head))
    return len(pages)


def _no_braille(text: str, char: str, language: str, document: str) -> RenderError:
    """A character the language's braille code has no cells for: it cannot be written honestly (its
    table would leave it out, write its code point, or eight-dot cells BRF's six-dot ASCII cannot hold),
    as a character no font has cannot be in a PDF. The error holds the words around it, which the build
    finds in the sources to name the file and line: from two words before it (a character standing
    alone, such as an emoji, comes with words to find), but not before its table cell or the cell's
    heading, which the braille puts first ('Day: Monday'), to the cell's end."""
    at = text.find(char)
    cell = max(text.rfind(";", 0, at), text.rfind(": ", 0, at) + 1) + 1
    start = at - len(" ".join(text[cell:at].split(" ")[-3:]))
    end = text.find(";", at)
    words = text[start:end if end >= 0 else len(text)]
    name = unicodedata.name(char, "unnamed character")
    return RenderError(f"the braille code {louis.table(language)} has no braille for the character "
                       f"U+{ord(char):04X} ({name}): document '{document}', in the text starting "
                       f"'{words[:40]}' (write it with letters the language's braille has, or leave it out)",
                       text=words, char=char)
