"""A paragraph that introduces a list ("This document comes in these versions and formats:") stays on
the page of the list's first item: a reader never turns the page to find what the sentence announced.
Decided once, in the model (policy.py), and kept by each paged format: the PDF's pages, and Word's
"keep with next" on the paragraph, as it has on a heading."""

from __future__ import annotations

from pathlib import Path

import docx

from conftest import require
from pdf_clients import run

INTRO = "This document comes in these versions and formats:"
FIRST_ITEM = "Standard version: "


def pdf_pages(pdf: Path) -> list[str]:
    """Each page's words as Poppler's pdftotext reads them, on one line each."""
    return [" ".join(page.split()) for page in run(require("pdftotext"), str(pdf), "-").split("\f")]


def test_the_executive_summary_pdf_keeps_its_formats_sentence_with_the_list(built_pack: Path) -> None:
    pages = pdf_pages(built_pack / "standard" / "executive-summary.pdf")
    [intro] = [n for n, words in enumerate(pages) if INTRO in words]
    assert FIRST_ITEM in pages[intro].split(INTRO, 1)[1], pages[intro]
    # and the heading over them stays with them
    assert pages[intro].index("Other formats") < pages[intro].index(INTRO)


def test_the_word_file_keeps_the_sentence_that_introduces_a_list_with_it(built_pack: Path) -> None:
    for variant in ("standard", "easy-read"):
        paragraphs = docx.Document(str(built_pack / variant / "executive-summary.docx")).paragraphs
        [n] = [n for n, p in enumerate(paragraphs) if p.text == INTRO]
        assert paragraphs[n].paragraph_format.keep_with_next is True, variant
        assert paragraphs[n + 1].text.startswith(FIRST_ITEM if variant == "standard" else "Easy read version: ")
        # a paragraph that introduces nothing flows as before
        plain = [p for p in paragraphs if p.style.name == "Normal" and p.text and not p.text.endswith(":")]
        assert plain and not any(p.paragraph_format.keep_with_next for p in plain), variant
