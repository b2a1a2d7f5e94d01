"""Which files a pack is made from, and waiting for one of them to change.

A pack is made from its sources folder (pack.yaml, the documents it names, pictures, brand and the
pack's own labels), its templates folder and packgen's own templates; a change to any of them can
change a document, so all are watched.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import watchfiles

from packgen.template_folders import PACKGEN_TEMPLATES

STEP_MS = 20  # how long the watcher waits for more changes before reporting a save: one editor save is
# often two or three file events


def watched(sources: Path, templates: Path) -> list[Path]:
    """The folders the pack is made from, each once, that exist."""
    folders: list[Path] = []
    for folder in (sources, templates, PACKGEN_TEMPLATES):
        folder = folder.resolve()
        if folder.is_dir() and not any(folder.is_relative_to(f) for f in folders):
            folders = [f for f in folders if not f.is_relative_to(folder)] + [folder]
    return folders


def changes(folders: Iterable[Path], ignore: Path) -> Iterator[set[Path]]:
    """Each set of changed files under `folders` (never under `ignore`), as the saves happen."""
    ignore = ignore.resolve()
    for batch in watchfiles.watch(*folders, step=STEP_MS, debounce=400, raise_interrupt=True,
                                  watch_filter=watchfiles.DefaultFilter()):
        files = {Path(path) for _, path in batch}
        files = {path for path in files if not path.resolve().is_relative_to(ignore)}
        if files:
            yield files
