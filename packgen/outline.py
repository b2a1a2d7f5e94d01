"""The heading rules every document keeps, so that headings make an outline a screen reader can follow.

A whole document starts with its one level-1 heading, the title; no heading skips a level (a level 4
straight after a level 2). Inside a section, whose own heading the template places, a level-1
heading is the template's alone. Sources and templates are checked against these same rules, each
saying how to fix the mistake in its own terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from packgen.model import Block, Heading, walk

Kind = Literal["no-title", "second-title", "title-in-section", "skipped-level"]


@dataclass(frozen=True)
class OutlineProblem:
    kind: Kind
    message: str  # what is wrong, in an editor's words (the caller adds how to fix it)
    heading: Heading | None  # the heading at fault; None when a document has none
    expected: int  # the deepest level the heading could have had


def outline_problem(blocks: tuple[Block, ...], above: int = 0) -> OutlineProblem | None:
    """The first heading in `blocks` that breaks the outline, or None when all keep it.

    `above` is the level of the heading the blocks sit under: 0 for a whole document (which starts
    with its title), or the level of a section's own heading for the section's text.
    """
    headings = [block for block in walk(blocks) if isinstance(block, Heading)]
    if above == 0 and (not headings or headings[0].level != 1):
        return OutlineProblem("no-title", "a document must start with one level-1 heading ('# Title')",
                              headings[0] if headings else None, 1)
    previous = above
    for heading in headings:
        if heading.level == 1 and above:
            return OutlineProblem("title-in-section", "a level-1 heading ('# ...') belongs to the template",
                                  heading, previous + 1)
        if heading.level == 1 and previous:
            return OutlineProblem("second-title", f"a second level-1 heading '{heading.text}': a document has "
                                  "one title", heading, previous + 1)
        if heading.level > previous + 1:
            return OutlineProblem("skipped-level", f"the heading '{heading.text}' skips a level (level "
                                  f"{heading.level} after level {previous})", heading, previous + 1)
        previous = heading.level
    return None
