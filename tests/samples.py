"""The writers' shared test material: the theme, the sample blocks and documents built from them.

A document here is what compose would hand a writer: its blocks go through the same policy (form
field words, easy read's emphasis), so a writer test sees exactly the model a build gives it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

import packgen.markdown
import packgen.pictures
from packgen import policy
from packgen.model import Block, Document, Metadata
from packgen.template_folders import PACKGEN_TEMPLATES
from packgen.theme import Theme, load_theme

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

# The words packgen/templates/labels/en-GB.yaml gives the writers (the pack's own, so tests read like the pack).
LABELS = {
    "skip_link": "Skip to main content",
    "required": "(required)",
    "date_hint": "Write the date as DD/MM/YYYY",
    "signature_hint": "Type your full name. Typing your name here counts as your signature.",
    "date_format": "DD/MM/YYYY",
    "email_hint": "For example, name@organisation.org.uk",
    "telephone_hint": "Include the area code, for example 0121 000 0000",
    "form_print": "Use your browser's Print command to print this page or save it as a PDF.",
    "form_send_web": "Press the button below to send your pledge.",
    "form_send_email": "Press the button below: it opens your email program.",
    "form_send_button": "Send the pledge",
    "form_send_none": "Print this page, sign it, and send it to us.",
}
METADATA = Metadata(title="Sample document title", subject="A sample for tests", author="Test author",
                    language="en-GB", keywords=("co-production", "charter"), version="1.2", date="2025-03-01",
                    pack_title="Co-Production Charter")
FOOTER = "Co-Production Charter: Sample document title. Version 1.2, 1 March 2025"


@cache
def theme() -> Theme:
    return load_theme(PACKGEN_TEMPLATES)


def resolver(name: str) -> Path | None:
    return packgen.pictures.resolve(name, FIXTURES / "pictures")


def sample_text() -> str:
    """tests/fixtures/sample.md: one of every construct the writers draw."""
    return (FIXTURES / "sample.md").read_text(encoding="utf-8")


def parse(markdown: str, name: str = "sample.md") -> tuple[Block, ...]:
    return packgen.markdown.parse(markdown, resolver, FIXTURES / name)


def sample_blocks() -> tuple[Block, ...]:
    return parse(sample_text())


def make_document(content: str | tuple[Block, ...] | None = None, variant: str = "standard",
                  doc_id: str = "sample", *, title: str | None = None, language: str = "en-GB",
                  labels: dict[str, str] | None = None, **overrides) -> Document:
    """A document from Markdown or blocks (the sample when neither), as compose would give it."""
    blocks = sample_blocks() if content is None else parse(content, f"{doc_id}.md") if isinstance(content, str) \
        else content
    labels = dict(LABELS if labels is None else labels)
    metadata = replace(METADATA, language=language, title=title or METADATA.title)
    blocks = policy.apply(blocks, labels, theme().variant(variant).emphasis)
    fields = dict(id=doc_id, variant=variant, metadata=metadata, blocks=blocks,
                  footer=FOOTER, page_label="Page {page} of {pages}", draft_mark="DRAFT", labels=labels)
    fields.update(overrides)
    return Document(**fields)
