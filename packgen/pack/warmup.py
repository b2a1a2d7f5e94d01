"""What a build's worker lanes load before their first task, and starting them.

Kept apart from packgen.pack.build, and importing nothing heavy itself, so that the command line
can start the lanes first thing: they import the writers and load the fonts while the parent is
still importing packgen and composing the documents.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from packgen.pack.workers import Lanes

ASSEMBLY = 2  # the warm-up steps after which a lane has the assembly's imports (thumbnails, combined PDFs)


def start_lanes(templates: Path, formats: tuple[str, ...], assemble: bool) -> Lanes | None:
    """Worker lanes for a build of `formats` with the theme in `templates` (None on one core), which
    also makes the pack's thumbnails and combined PDFs when `assemble` (a whole-pack build).

    The first lane starts once the slowest writer (PDF, where asked for) is ready; the others once
    every writer is.
    """
    first = [fmt for fmt in formats if fmt == "pdf"] or list(formats[:1])
    rest = [fmt for fmt in formats if fmt not in first]
    # Thumbnails and combined PDFs (on a whole build) come after every document is written: their
    # imports wait for the later step, so the first lane, which writes the PDFs, starts sooner.
    return Lanes.start([partial(warm, templates, tuple(first)),
                        partial(warm, templates, tuple(rest), assembly=assemble and "pdf" in formats)])


def warm(templates: Path, formats: tuple[str, ...], assembly: bool = False) -> None:
    """Import the writers for `formats` (and the model and theme they read) and, with `assembly`, what
    makes thumbnails and combined PDFs (the lanes' part of assembling a whole pack); load the theme's
    PDF fonts."""
    from packgen.theme import load_theme
    from packgen.writers import writer

    for fmt in formats:
        writer(fmt)
    if "pdf" in formats:
        from packgen.writers.pdf.fonts import fontset

        fontset(load_theme(templates))
    if assembly:
        import packgen.pack.combine  # noqa: F401
        import packgen.pack.thumbnails  # noqa: F401
