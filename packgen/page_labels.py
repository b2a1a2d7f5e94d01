"""The numbers a reader sees for the pages of a file holding several documents (pack.pdf, pack.epub).

Each document's pages keep the numbers printed on them, counted from 1 again, after the words the
labels file gives for the document (`index_pack_pdf_page_prefix`): a PDF viewer's page box then shows
"Appendix A 3", and an e-book's page list names the same page the same way.
"""

from __future__ import annotations


def prefix(words: str) -> str:
    """What comes before each page's own number: the words and a space, or nothing."""
    return f"{words} " if words else ""


def label(words: str, number: str) -> str:
    """The page's label: `number` (the document's own page number) after the prefix of `words`."""
    return prefix(words) + number
