"""Writers: one per format, each reading only the document model and the theme.

A writer is a function `write(document, theme, path) -> pages` (None where a format has no pages).
It writes to exactly the path it is given; making that write atomic is the build's job.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line imports FORMATS at start-up, before any of these is needed
    from packgen.model import Document
    from packgen.theme import Theme

Writer = Callable[["Document", "Theme", Path], "int | None"]

FORMATS = ("docx", "pdf", "html")


def writer(fmt: str) -> Writer:
    """The writer for a format, imported on first use so a DOCX-only build never loads ReportLab."""
    module = import_module(f"packgen.writers.{fmt}")
    return module.write  # type: ignore[no-any-return]
