"""What a build's worker lanes load before their first task, and starting them.

Kept apart from packgen.pack.build, and importing nothing heavy itself, so that the command line
can start the lanes first thing: they import the writers and load the fonts while the parent is
still importing packgen and composing the documents.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from packgen.pack.workers import Lanes


def start_lanes(templates: Path, formats: tuple[str, ...]) -> Lanes | None:
    """Worker lanes for a build of `formats` with the theme in `templates` (None on one core)."""
    return Lanes.start(partial(warm, templates, formats))


def warm(templates: Path, formats: tuple[str, ...]) -> None:
    """Import the writers for `formats` and what their tasks arrive in; load the theme's PDF fonts."""
    import packgen.compose  # noqa: F401 - the model, theme and sources modules the tasks are made of
    from packgen.theme import load_theme
    from packgen.writers import writer

    for fmt in formats:
        writer(fmt)
    if "pdf" in formats:
        from packgen.writers.pdf.fonts import fontset

        fontset(load_theme(templates))
        import packgen.pack.assemble  # noqa: F401 - thumbnails and combined PDFs, on a whole build
