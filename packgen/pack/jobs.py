"""A job: one file of the output folder, what it is made from, and the function that makes it.

Every file a build writes is a job: a document in one variant and format, and equally the pack's
own files (thumbnails, combined PDFs, the zip, the download page), whose needs are the files they
read. A job is made in a worker process (its function and arguments are sent there), or in the
build's own process when it needs what only that process holds.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packgen import writers
from packgen.errors import RenderWarning
from packgen.pack.files import atomic_path, sha256_of

if TYPE_CHECKING:
    from packgen.model import Document
    from packgen.theme import Theme

# make(target, inputs, *args) writes the file at `target` and returns what the record keeps of it
# beyond its size and checksum (its page count, a picture's size); `inputs` are the records of the
# job's needs, by path. A job names it as "module:function" where the module is slow to import
# (pikepdf, ReportLab): only the process that makes the file imports it.
Make = Callable[..., dict[str, Any]]
# What a job warned of: a library's line, or a writer's warning about words of the sources, which the
# build's own process places at their file and line (it has the sources; a worker has only the model).
Note = str | RenderWarning


@dataclass(frozen=True)
class Job:
    path: str  # relative to the output folder, forward slashes: also the job's name
    document: str  # the manifest's description of the file
    variant: str
    format: str
    make: Make | str  # a module-level function (a worker process is sent it by name), or "module:function"
    args: tuple = ()
    digest: str = ""  # what the file is made from: a file recorded with the same digest is kept
    needs: tuple[str, ...] = ()  # the paths of the jobs whose files it reads
    cost: float = 1.0  # compared with other jobs' costs only: the longest ready job starts first
    alone: bool = False  # made with no other job beside it (a very long document: see BuildOptions.memory_mb)
    here: bool = False  # made in the build's own process


def make_file(out: Path, job: Job, inputs: Mapping[str, dict]) -> tuple[dict, float, list[Note]]:
    """Make the job's file atomically; return its record, the seconds it took, and what the libraries
    warned of while making it (one line each).

    The warnings are returned, not printed: a worker writing to the terminal while the build prints
    its progress would run their lines together, so only the build's own process prints.
    """
    began = time.perf_counter()
    target = out / job.path
    with _warnings_kept() as notes, atomic_path(target) as tmp:
        extra = _function(job.make)(tmp, inputs, *job.args)
        entry = {"document": job.document, "variant": job.variant, "format": job.format, "path": job.path,
                 "bytes": tmp.stat().st_size, "sha256": sha256_of(tmp), "pages": None, **extra, "digest": job.digest}
    return entry, time.perf_counter() - began, notes


class _Kept(logging.Handler):
    """Keeps each warning a library logs, as one line naming the library."""

    def __init__(self, notes: list[Note]):
        super().__init__(logging.WARNING)
        self.notes = notes

    def emit(self, record: logging.LogRecord) -> None:
        self.notes.append(f"{record.name.split('.')[0]}: {record.getMessage()}")


@contextmanager
def _warnings_kept() -> Iterator[list[Note]]:
    """The warnings (Python's and the logging module's) given while the block runs, each once, one line each."""
    notes: list[Note] = []
    handler = _Kept(notes)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            # A writer's own warning is for the user, so it is kept even where Python's are ignored (cli.run).
            warnings.simplefilter("always", RenderWarning)
            yield notes
            notes.extend(w.message if isinstance(w.message, RenderWarning) else f"{w.category.__name__}: {w.message}"
                         for w in caught)
    finally:
        root.removeHandler(handler)
        notes[:] = list(dict.fromkeys(note if isinstance(note, RenderWarning) else " ".join(note.split())
                                      for note in notes))


def _function(make: Make | str) -> Make:
    if callable(make):
        return make
    module, _, name = make.partition(":")
    return getattr(import_module(module), name)


def write_document(target: Path, inputs: Mapping[str, dict], fmt: str, document: Document, theme: Theme,
                   *needed: Path) -> dict:
    """A document file's job: the format's writer, given the model and the theme (and the file of the
    format it needs, if any)."""
    return {"pages": writers.get(fmt).write(document, theme, target, *needed)}


def check_document(job: Job) -> None:
    """What a document file's job can check before the build writes anything: that its writer has words
    for every label it shows (a RenderError naming those labels)."""
    if job.make is write_document:
        fmt, document, _theme, *needed = job.args
        writers.get(fmt).check_labels(document, *needed)
