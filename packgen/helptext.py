"""How every command's --help is laid out: its description wrapped, then examples, one a line, the
command as typed and what it does (examples must not wrap, so argparse is told to leave them be)."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Sequence

WIDTH = 79


def description(words: str) -> str:
    return textwrap.fill(words, WIDTH)


def examples(pairs: Sequence[tuple[str, str]]) -> str:
    width = max(len(command) for command, _ in pairs)
    return "examples:\n" + "\n".join(f"  {command.ljust(width)}   {what}" for command, what in pairs)


def bounds(parser: argparse.ArgumentParser, memory_mb: int, seconds: float) -> None:
    """--memory and --timeout, in the same words for every command that reads files from anyone."""
    parser.add_argument("--memory", type=int, default=memory_mb, metavar="MEGABYTES",
                        help=f"stop reading a file that needs more memory than this, in megabytes (default: "
                             f"{memory_mb})")
    parser.add_argument("--timeout", type=float, default=seconds, metavar="SECONDS",
                        help=f"stop reading a file that takes longer than this (default: {seconds:g} seconds)")
