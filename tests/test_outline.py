"""Headings make an outline: one title, no level skipped; a section's text leaves level 1 to the template."""

from __future__ import annotations

import pytest

from packgen.markdown import parse
from packgen.outline import outline_problem


def problem(text: str, above: int = 0):
    found = outline_problem(parse(text, lambda name: None), above)
    return None if found is None else (found.kind, found.message, found.expected)


def test_a_document_with_a_title_and_no_skipped_level_keeps_the_outline():
    assert problem("# Title\n\n## Part\n\n### Detail\n\n## Next\n") is None


@pytest.mark.parametrize("text, kind, message", [
    ("Words first.\n", "no-title", "a document must start with one level-1 heading ('# Title')"),
    ("## Part\n", "no-title", "a document must start with one level-1 heading ('# Title')"),
    ("# Title\n\n## Part\n\n# Again\n", "second-title", "a second level-1 heading 'Again': a document has one title"),
    ("# Title\n\n### Detail\n", "skipped-level", "the heading 'Detail' skips a level (level 3 after level 1)"),
    ("# Title\n\n- a point\n\n  #### Deep\n", "skipped-level",
     "the heading 'Deep' skips a level (level 4 after level 1)"),
])
def test_a_document_breaking_the_outline(text, kind, message):
    assert problem(text)[:2] == (kind, message)


def test_a_sections_text_starts_below_its_own_heading():
    assert problem("Words.\n\n### Detail\n\n#### Finer\n", above=2) is None
    assert problem("Words.\n\n# Title\n", above=2)[:2] == (
        "title-in-section", "a level-1 heading ('# ...') belongs to the template")
    assert problem("Words.\n\n#### Deep\n", above=2) == (
        "skipped-level", "the heading 'Deep' skips a level (level 4 after level 2)", 3)
