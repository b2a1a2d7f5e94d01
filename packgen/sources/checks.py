"""Checks on source Markdown that can name the exact file and line: pictures, alt text, headings."""

from __future__ import annotations

from pathlib import Path

from packgen import markdown, markdown_cache
from packgen.errors import SourceError
from packgen.model import Block, Heading
from packgen.outline import outline_problem


def check_markdown(text: str, file: Path, first_line: int, pictures_dir: Path, top_level: int) -> None:
    """Parse a section's Markdown as the build will; report the first problem at its source line.

    `top_level` is the level of the section's own heading: headings inside it start one below.
    """
    try:
        blocks = markdown_cache.parse(text, pictures_dir, file, first_line)
    except markdown.MarkdownError as exc:
        raise SourceError(exc.message, exc.path, exc.line) from None
    check_heading_levels(blocks, top_level, file, text, first_line)


def check_heading_levels(blocks: tuple[Block, ...], top_level: int, file: Path, text: str,
                         first_line: int) -> None:
    """The outline rules (packgen.outline) on a section's text, whose own heading is at `top_level`."""
    problem = outline_problem(blocks, above=top_level)
    if problem is None or problem.heading is None:
        return
    fix = "use '## ' or deeper" if problem.kind == "title-in-section" else f"use {'#' * problem.expected}"
    raise SourceError(f"{problem.message}: {fix}", file, _line_of_heading(text, problem.heading, first_line))


def _line_of_heading(text: str, heading: Heading, first_line: int) -> int | None:
    marker = "#" * heading.level + " "
    for n, raw in enumerate(text.split("\n")):
        if raw.lstrip().startswith(marker) and heading.text.strip() in raw:
            return first_line + n
    return None
