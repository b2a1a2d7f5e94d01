"""The Braille-ready file writer (BRF): each standard document in braille, ready to emboss or read on a display.

Modules: louis (liblouis's command-line translator: print text -> braille cells, as BRF's ASCII),
layout (the model -> paragraphs of print text, each with its braille format), pages (braille
paragraphs -> lines of 40 cells and pages of 25 lines), document (the file).

The layout is packgen's own rather than liblouisutdml's: the model already knows every heading,
list and item label, so it is laid out straight from the model, with no XML and semantic-action
files to keep in step with it, and the rules (UKAAF's) are in one small module that tests can read.
"""

from packgen.writers import Format
from packgen.writers.brf.louis import TABLES

# Braille is for the standard text: the easy-read version's pictures are its point.
FORMAT = Format(name="brf", suffix=".brf", writer="packgen.writers.brf.document", label="index_format_brf",
                cost=0.2, rank=3, variants=("standard",), languages=tuple(TABLES),
                missing="packgen.writers.brf.louis:missing")
