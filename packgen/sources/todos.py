"""The easy-read to-do: an easy-read block still holding a `TODO:` line (as `packgen import` writes
one for each section) is a version still to be written. The build warns of each until its points
are written (or the heading says easy-read=omit); `--strict` makes it an error.
"""

from __future__ import annotations

from collections.abc import Iterable

from packgen.errors import SourceError
from packgen.sources.sections import Section

EASY_READ_TODO = "TODO:"


def easy_read_todos(sections: Iterable[Section]) -> list[str]:
    """One warning per section whose easy-read block still has a to-do line, naming its file and line."""
    found = []
    for section in sections:
        for n, line in enumerate((section.easy_read or "").split("\n")):
            if line.strip().startswith(EASY_READ_TODO):
                name = section.id or section.heading or "before the first heading"
                found.append(str(SourceError(f"the easy-read version of section '{name}' is still to be written",
                                             section.file, section.easy_read_line + n)))
                break
    return found
