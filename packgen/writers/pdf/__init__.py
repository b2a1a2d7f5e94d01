"""The tagged PDF writer (PDF/UA-1, ReportLab and a tag tree drawn as the page is).

Modules: fonts (theme fonts and per-character fallback), text (line breaking and tagged text
drawing), tagging (the structure tree), flowables (tagged platypus flowables), layout (model ->
story), pictures (SVG/PNG drawing), metadata (Info, XMP, catalog), document (page furniture, build);
pack_pdf (a version's documents as one tagged PDF), thumbnail (a first page as a small picture).
"""

from packgen.writers import Format

# A PDF page takes several times as long as a Word page to write: PDF jobs start first.
FORMAT = Format(name="pdf", suffix=".pdf", writer="packgen.writers.pdf.document", label="index_format_pdf",
                pictures="print", compressed=True, filler="packgen.writers.pdf.form_fill", cost=4.0, rank=1,
                whole_pack="packgen.writers.pdf.pack_pdf:make", thumbnail="packgen.writers.pdf.thumbnail:make")
