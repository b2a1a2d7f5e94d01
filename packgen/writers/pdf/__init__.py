"""The tagged PDF writer: `write(document, theme, path) -> pages` (PDF/UA-1, ReportLab + a tag tree).

Modules: fonts (theme fonts and per-character fallback), text (line breaking and tagged text
drawing), tagging (the structure tree), flowables (tagged platypus flowables), layout (model ->
story), pictures (SVG/PNG drawing), metadata (Info, XMP, catalog), document (page furniture, build).
"""

from packgen.writers.pdf.deferred_patterns import import_platypus

import_platypus()  # before any module here imports it

from packgen.writers.pdf.document import write  # noqa: E402

__all__ = ["write"]
