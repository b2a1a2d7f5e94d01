"""How every command's --help is laid out: its description wrapped, then examples, one a line, the
command as typed and what it does (examples must not wrap, so argparse is told to leave them be)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

WIDTH = 79


def description(words: str) -> str:
    return textwrap.fill(words, WIDTH)


def examples(pairs: Sequence[tuple[str, str]]) -> str:
    width = max(len(command) for command, _ in pairs)
    return "examples:\n" + "\n".join(f"  {command.ljust(width)}   {what}" for command, what in pairs)
