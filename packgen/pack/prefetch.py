"""Preparing pictures on lanes that would otherwise wait, before the documents are composed.

On a first build (or after pictures are added) turning each SVG pictogram into PDF drawing
operators is the largest part of the easy-read PDFs. The parent knows every picture the sources
name once it has read them, but composing the documents, the step before any PDF can be handed
out, takes it a good while longer; meanwhile the lanes, warmed up, have nothing to do. So the
pictures go to them first, split into one batch a lane, and what they make lands in the per-user
cache (packgen.cache), where every lane's writer finds it. Nothing here changes an output: a
picture not prepared ahead is prepared by the writer, as without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from packgen.pack.workers import Task

KEY = "prepare pictures"


def picture_tasks(pictures: Sequence[Path], lanes: int) -> list[Task]:
    """The SVG pictures split into a batch a lane, of about the same size in bytes (what parsing one costs)."""
    batches: list[list[Path]] = [[] for _ in range(lanes)]
    sizes = [0] * lanes
    for path, size in sorted(((p, _size(p)) for p in pictures if p.suffix.lower() == ".svg"), key=lambda ps: -ps[1]):
        lightest = sizes.index(min(sizes))
        batches[lightest].append(path)
        sizes[lightest] += size
    return [Task((KEY, n), prepare_pdf_pictures, (tuple(batch),), cost=float(sizes[n]))
            for n, batch in enumerate(batches) if batch]


def prepare_pdf_pictures(paths: tuple[Path, ...]) -> None:
    """A lane's task: the PDF writer's drawings of these pictures, into the per-user cache."""
    from packgen.writers.pdf.pictures import prepare

    prepare(paths)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
