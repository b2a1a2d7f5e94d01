"""The names the command line needs without importing pydantic, which is slow to import: the
variants every document is built in and the kinds of document a pack may list. Which documents a
pack has is its own pack.yaml's list."""

# Each has its entry in the theme (templates/theme.yaml); large print is the standard text in larger type.
VARIANTS = ("standard", "easy-read", "large-print")
KINDS = ("summary", "main", "appendix", "form")  # a document's kind in pack.yaml (default: main)
DEFAULT_KIND = "main"
