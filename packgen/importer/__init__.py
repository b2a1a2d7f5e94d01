"""`packgen import`: a Word document turned into the pack's sources (packgen.importer.run)."""

IMPORT_KINDS = ("summary", "main", "appendix")  # a pledge form's fields are not in a Word document
