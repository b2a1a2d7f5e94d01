"""The names the command line needs without importing pydantic, which is slow to import: the
variants every document is built in and the kinds of document a pack may list. Which documents a
pack has is its own pack.yaml's list."""

VARIANTS = ("standard", "easy-read")
KINDS = ("summary", "main", "appendix", "form")  # a document's kind in pack.yaml (default: main)
DEFAULT_KIND = "main"
