"""`packgen import`: a Word document turned into the pack's sources (packgen.importer.run)."""
