"""Word bookmark names for headings: the one rule, which the Word writer follows and `packgen import` reads back.

Word's names hold letters, digits and underscores, at most 40 of them; a leading underscore hides
them from Word's bookmark list, as Word's own (_Toc12345, _GoBack) are. A heading that opens a
source section is named from the section's id, so importing the Word file gives the id back: ids
hold lower-case letters, digits and hyphens, so a name turns back into its id unless it was cut.
Every other heading (the title, the endings the templates add, a section's own subheadings) starts
with two underscores, which no id gives: an import leaves out the parts packgen's templates added.
"""

from __future__ import annotations

import re

from packgen.model import Block, Heading, walk

LONGEST = 40
_OURS = re.compile(r"_[a-z0-9]+(?:_[a-z0-9]+)*")  # Word's own hidden names have capitals: _Toc, _Hlk


def name(anchor: str) -> str:
    """The bookmark name for an id or anchor: `pay-fairly` -> `_pay_fairly`."""
    return ("_" + re.sub(r"[^A-Za-z0-9_]", "_", anchor))[:LONGEST]


def opens_no_section(bookmark: str) -> bool:
    """Whether a packgen bookmark names a heading that opens no source section (see above)."""
    return bookmark.startswith("__")


def section_id(bookmark: str) -> str | None:
    """The id a packgen bookmark was named from (`_pay_fairly` -> `pay-fairly`), or None for Word's
    own names and for one that may have been cut at 40 characters."""
    if len(bookmark) >= LONGEST or not _OURS.fullmatch(bookmark):
        return None
    return bookmark[1:].replace("_", "-")


def names(blocks: tuple[Block, ...]) -> dict[str, str]:
    """Each heading's bookmark by its anchor: a section's heading named from its id first, then the
    other headings from their anchors after the second underscore, each name used once (a link
    finds its heading by anchor)."""
    headings = [b for b in walk(blocks) if isinstance(b, Heading) and b.anchor]
    found: dict[str, str] = {}
    used: set[str] = set()
    for heading in sorted(headings, key=lambda h: not h.section):
        base = given = name(heading.section) if heading.section else name("_" + heading.anchor)
        n = 2
        while given in used:
            given, n = f"{base[:LONGEST - len(str(n)) - 1]}_{n}", n + 1
        used.add(given)
        found[heading.anchor] = given
    return found
