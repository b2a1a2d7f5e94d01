"""The EPUB 3 writer: one accessible e-book per document and variant, and one per variant for the pack.

Modules: content (the web page writer's markup as XHTML, its embedded files as the book's own),
book (the package document, the navigation document and the zip; the whole pack's book made from the
documents' own), pages (the first words of each PDF page, found in the content document's words), breaks
(the page breaks placed at those words), printable (a form as a page to print and fill in by hand).
"""

from __future__ import annotations

from packgen.writers import Format

# The page list names the PDF's pages, so an e-book is written after the document's PDF.
FORMAT = Format(name="epub", suffix=".epub", writer="packgen.writers.epub.book", label="index_format_epub",
                pictures="web", templates=("html", "epub"), cost=0.4, compressed=True, rank=30, needs="pdf",
                whole_pack="packgen.writers.epub.book:make_pack",
                labels="packgen.writers.epub.shown_labels:check_labels",
                # Not large print: an e-reader sets the text's size itself.
                variants=("standard", "easy-read"))
