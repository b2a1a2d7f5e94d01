"""Writing outputs on every core: forked workers, each importing the writers once.

(Forking them at the very start, to import the writers while the parent still composed, was tried:
on two cores the imports then slowed composing as much as they saved, so workers start when the
jobs are known.) An incremental build with a handful of outputs writes them in the parent.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections.abc import Iterable
from multiprocessing.pool import Pool
from pathlib import Path

from packgen.model import Document
from packgen.pack.outputs import atomic_path
from packgen.theme import Theme
from packgen.writers import writer

Job = tuple[str, Document, Path]  # (format, document, target)
PARALLEL_FROM = 4  # fewer jobs than this are quicker written in this process than handed to a pool


def start(formats: Iterable[str]) -> Pool | None:
    """Fork workers that import the writers for `formats` (None on a single core or without fork)."""
    count = min(os.cpu_count() or 1, 4)
    if count < 2 or "fork" not in mp.get_all_start_methods():
        return None
    return mp.get_context("fork").Pool(count, initializer=_warm, initargs=(tuple(formats),))


def _warm(formats: tuple[str, ...]) -> None:
    for fmt in formats:
        writer(fmt)


def run(jobs: list[Job], theme: Theme, pool: Pool | None) -> list[tuple[int | None, float]]:
    """Write every job; return (pages, seconds) for each, in order."""
    if pool is None or len(jobs) < PARALLEL_FROM:
        return [write(fmt, document, theme, target) for fmt, document, target in jobs]
    # Longest first (PDFs, long documents), so the workers finish together.
    order = sorted(range(len(jobs)), key=lambda i: _cost(jobs[i]), reverse=True)
    pending = {i: pool.apply_async(write, (*jobs[i][:2], theme, jobs[i][2])) for i in order}
    return [pending[i].get() for i in range(len(jobs))]


def stop(pool: Pool | None) -> None:
    """End the workers at once (after the work, or when a build fails or needs none)."""
    if pool is not None:
        pool.terminate()
        pool.join()


def _cost(job: Job) -> int:
    fmt, document, _ = job
    return len(document.blocks) * (3 if fmt == "pdf" else 1)


def write(fmt: str, document: Document, theme: Theme, target: Path) -> tuple[int | None, float]:
    started = time.perf_counter()
    with atomic_path(target) as tmp:
        pages = writer(fmt)(document, theme, tmp)
    return pages, time.perf_counter() - started
