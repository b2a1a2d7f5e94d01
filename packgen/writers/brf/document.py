"""A document as a Braille-ready file: its paragraphs translated by liblouis in one call, then laid out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from packgen.writers.brf import louis
from packgen.writers.brf.layout import paragraphs
from packgen.writers.brf.pages import lay, paginate, render

if TYPE_CHECKING:
    from packgen.model import Document
    from packgen.theme import Theme


def write(document: Document, theme: Theme, path: Path) -> int:
    """Write the document's BRF to `path`; return its number of braille pages."""
    language = document.metadata.language
    paras = paragraphs(document)
    cells = louis.translate([p.text for p in paras], language)
    pages = paginate([lay(para, braille) for para, braille in zip(paras, cells, strict=True)])
    numbers = louis.translate([str(n) for n in range(1, len(pages) + 1)], language)
    path.write_bytes(render(pages, numbers))
    return len(pages)
