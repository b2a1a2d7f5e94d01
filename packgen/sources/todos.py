"""What an easy-read version still lacks, warned of at its line; `--strict` makes each an error.

- A `TODO:` line (as `packgen import` writes one for each section): the version is still to be
  written, until its points are (or the heading says easy-read=omit).
- Words that stand without a picture (a sentence, a list or a table of their own): easy-read readers
  follow the pictures, so each point starts with one. A heading, a picture and a page break need none.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from packgen import markdown_cache
from packgen.errors import SourceError
from packgen.model import Block, InFormats, ListBlock, Paragraph, Table, block_text
from packgen.sources.loader import line_of_words
from packgen.sources.sections import Section

EASY_READ_TODO = "TODO:"
NEEDS_A_PICTURE = (Paragraph, ListBlock, Table)  # words an easy-read reader would meet without a picture


def easy_read_todos(sections: Iterable[Section], pictures_dir: Path) -> list[str]:
    """One warning per section whose easy-read block still has a to-do line or words without a
    picture, naming its file and line."""
    found = []
    for section in sections:
        if section.easy_read is None:
            continue
        todo = next((n for n, line in enumerate(section.easy_read.split("\n"))
                     if line.strip().startswith(EASY_READ_TODO)), None)
        name = section.id or section.heading or "before the first heading"
        if todo is not None:
            found.append(str(SourceError(f"the easy-read version of section '{name}' is still to be written",
                                         section.file, section.easy_read_line + todo)))
            continue
        bare = _without_a_picture(markdown_cache.parse(section.easy_read, pictures_dir, section.file,
                                                       section.easy_read_line))
        if bare is not None:
            words = " ".join(block_text(bare).split())
            shown = words if len(words) <= 40 else words[:40].rsplit(" ", 1)[0] + "..."
            found.append(str(SourceError(
                f"in the easy-read version of section '{name}', '{shown}' has no picture: write it as a point "
                "that starts with one, like - ![what the picture shows](picture-name) Our words.",
                section.file, line_of_words(block_text(bare), section.easy_read, section.easy_read_line))))
    return found


def _without_a_picture(blocks: tuple[Block, ...]) -> Block | None:
    """The first block an easy-read reader meets with no picture of its own, or None."""
    for block in blocks:
        if isinstance(block, InFormats):
            inner = _without_a_picture(block.children)
            if inner is not None:
                return inner
        elif isinstance(block, NEEDS_A_PICTURE):
            return block
    return None
