"""The pack's fixed document ids and variants, apart from the schema so the command line can name
them without importing pydantic (a tenth of a second at every start)."""

DOCUMENT_IDS = (
    "executive-summary",
    "charter",
    "appendix-a",
    "appendix-b",
    "appendix-c",
    "appendix-d",
    "pledge-form",
)
VARIANTS = ("standard", "easy-read")
