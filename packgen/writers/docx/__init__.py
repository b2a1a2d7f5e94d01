"""The Word writer: the document model -> an accessible .docx, built directly as OOXML parts.

Modules: oxml (element helpers), package (the zip and its parts), styles, numbering, fonts, page
(sections, header, footer), blocks (the body), fields (content controls), pictures, document (the whole
file). Headings' bookmark names follow packgen.word_bookmarks, which `packgen import` reads back.
"""

from packgen.writers import Format

FORMAT = Format(name="docx", suffix=".docx", writer="packgen.writers.docx.document", label="index_format_docx",
                pictures="print", compressed=True, filler="packgen.writers.docx.fill", cost=1.0, rank=2)
