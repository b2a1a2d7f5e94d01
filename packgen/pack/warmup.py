"""What a build's worker lanes load before their first task, and starting them.

Kept apart from packgen.pack.build, and importing nothing heavy itself, so that the command line
can start the lanes first thing: they import the writers and load the fonts while the parent is
still importing packgen and composing the documents.
"""

from __future__ import annotations

from functools import partial
from importlib import import_module
from pathlib import Path

from packgen.pack.workers import Lanes

ASSEMBLY = 2  # Task.warm of the assembly's tasks: their imports (thumbnails, combined PDFs) are in a later step
# What the assembly's tasks import, a step each (so a task arriving mid-way waits for one, not all):
# combining PDFs first (pikepdf, 40 ms: a combined PDF is what the zip waits for), then thumbnails.
ASSEMBLY_IMPORTS = (("pikepdf", "packgen.pack.combine"), ("PIL.Image", "pypdfium2"))


def start_lanes(templates: Path, formats: tuple[str, ...], assemble: bool) -> Lanes | None:
    """Worker lanes for a build of `formats` with the theme in `templates` (None on one core), which
    also makes the pack's thumbnails and combined PDFs when `assemble` (a whole-pack build).

    Every lane starts once the slowest writer (PDF, where asked for) is ready; the lanes after the
    first then load the other writers, one step each, and last what assembling needs (a thumbnail or
    combined PDF is asked for only once the documents it is made from are written).
    """
    first = [fmt for fmt in formats if fmt == "pdf"] or list(formats[:1])
    steps = [partial(warm, templates, tuple(first))]
    steps += [partial(warm, templates, (fmt,)) for fmt in formats if fmt not in first]
    if assemble and "pdf" in formats:
        steps += [partial(warm, templates, (), modules) for modules in ASSEMBLY_IMPORTS]
    return Lanes.start(steps)


def warm(templates: Path, formats: tuple[str, ...], modules: tuple[str, ...] = ()) -> None:
    """Import the writers for `formats` (and the model and theme they read) and `modules` (what
    makes thumbnails and combined PDFs: the lanes' part of assembling a whole pack); load the theme's
    PDF fonts, if the theme was checked before (a new or edited theme is checked by the build, and
    the first PDF task loads its fonts)."""
    from packgen import writers
    from packgen.theme import kept_theme

    for fmt in formats:
        import_module(writers.get(fmt).writer)
    theme = kept_theme(templates) if "pdf" in formats else None
    if theme is not None:
        from packgen.writers.pdf.fonts import fontset

        fontset(theme)
    for module in modules:
        import_module(module)
