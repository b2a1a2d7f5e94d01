"""A document as a Braille-ready file: its paragraphs translated by liblouis, then laid out on pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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
    title = louis.translate([" ".join(document.metadata.title.split())], language)[0]
    pages = paginate([lay(para, braille) for para, braille in zip(paras, cells, strict=True)], headed=bool(title))
    numbers = louis.translate([str(n) for n in range(1, len(pages) + 1)], language)
    path.write_bytes(render(pages, numbers, running_head(title) if title else ""))
    return len(pages)
