"""A combined PDF as the build asks for one: its parts, what it says of itself, and the lane task.

Kept apart from packgen.pack.combine, which merges the parts with pikepdf (40 ms to import), so that
the build can plan a combined PDF the moment its parts are written without importing pikepdf
itself: only the lane that makes the file needs it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from packgen.pack.outputs import write_timed


@dataclass(frozen=True)
class PartFile:
    """One document's PDF and the words for its bookmark if it has no single top bookmark itself."""

    path: Path
    title: str


@dataclass(frozen=True)
class CombinedInfo:
    """What the combined file says about itself (document properties and XMP)."""

    title: str
    language: str
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()


def write_combined(parts: Sequence[PartFile], info: CombinedInfo, when: dt.datetime, target: Path
                   ) -> tuple[int, float]:
    """Combine the parts into `target` atomically (a worker lane's task); return the page count and
    seconds taken."""
    from packgen.pack.combine import combine

    return write_timed(target, lambda tmp: combine(parts, info, when, tmp))
