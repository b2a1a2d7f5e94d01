"""The pack's fixed document ids and variants, apart from the schema so the command line can name
them without importing pydantic, which is slow to import."""

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
