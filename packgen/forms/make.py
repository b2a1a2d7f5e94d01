"""`packgen forms`: one pre-filled pledge form per organisation in a CSV, in PDF and Word.

The blank form is written once per run by the ordinary writers; each copy only has its fields'
values set (PDF: the PDF writer's filler, which also draws the fields' appearances; Word: content
controls in document.xml). Copies are made by a pool of processes, each holding the prepared forms
in memory, and every file is written under a temporary name and renamed into place.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from packgen import writers
from packgen.errors import PackgenError
from packgen.model import Document
from packgen.pack.files import TEMP_MARK, atomic_path, clear_leftovers, make_folder
from packgen.stops import as_a_worker, stops_held
from packgen.theme import Theme

from .csvinput import Row, listed, read_organisations
from .names import Namer, inside
from .spec import load_spec

CHUNK = 20  # forms per task: large enough to amortise the hand-over, small enough for a smooth progress bar
POOL_FROM = 24  # fewer forms than this are quicker made in this process than by starting a pool
SHOWN = 10  # file names a warning lists before it says how many more


@dataclass(frozen=True)
class FormsOptions:
    organisations: Path
    out: Path = Path("forms")
    formats: tuple[str, ...] = field(default_factory=writers.form_formats)
    sources: Path = Path("sources")
    templates: Path = Path("templates")
    variant: str = "standard"
    document: str | None = None  # the form to make, when the pack has several
    workers: int = 2
    progress: bool | None = None  # None: a bar only when stderr is a terminal


@dataclass
class FormsReport:
    organisations: int = 0
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def make_forms(options: FormsOptions, stream: TextIO | None = None) -> FormsReport:
    """Make every organisation's forms in options.out; return what was made."""
    started = time.perf_counter()
    stream = stream or sys.stderr
    allowed = writers.form_formats()
    bad = [f for f in options.formats if f not in allowed]
    if bad or not options.formats:
        raise PackgenError(f"forms can be made as {' and '.join(allowed)}, not '{(bad or [''])[0]}'")
    spec, theme = load_spec(options.sources, options.templates, options.variant, options.document)
    name_field = spec.name_field
    rows = read_organisations(options.organisations, spec)
    if not rows:
        raise PackgenError("the CSV has no organisations (only a header line)", options.organisations)
    out = Path(options.out)
    make_folder(out, "the forms go in a folder")
    clear_leftovers(out)
    namer = Namer()
    jobs = [(namer.stem(row.values[name_field.id], f"row-{row.line}"), row.values, row.line) for row in rows]
    for stem, _, _ in jobs:
        for fmt in options.formats:
            inside(out, stem, f".{fmt}")  # every name checked before anything is written

    blanks = {fmt: _blank(fmt, spec.document, theme) for fmt in options.formats}
    show = options.progress if options.progress is not None else stream.isatty()
    bar = _Bar(len(jobs), stream) if show else None
    report = FormsReport(organisations=len(jobs), warnings=list(theme.brand_warnings))
    report.warnings += _same_names(namer, rows, jobs, name_field.id, options.organisations)
    for paths in _run(jobs, blanks, out, options.workers, str(options.organisations)):
        report.files.extend(paths)
        if bar:
            bar.advance(len(paths) // len(options.formats))
    if bar:
        bar.close()
    report.warnings += _not_from_this_run(out, report.files)
    report.seconds = time.perf_counter() - started
    return report


def _same_names(namer: Namer, rows: list[Row], jobs: list[Job], name_id: str, csv_path: Path) -> list[str]:
    """A warning for each organisation name given on more than one line (or names that make the same file
    name): its forms are numbered apart, and one of the lines may be a copy."""
    row_of = {stem: row for (stem, _, _), row in zip(jobs, rows, strict=True)}
    warnings = []
    for stems in namer.numbered:
        same = [row_of[stem] for stem in stems]
        names = list(dict.fromkeys(row.values[name_id] for row in same))
        lines = listed([str(row.line) for row in same])
        what = (f"the same organisation name '{names[0]}'" if len(names) == 1 else
                f"organisation names that make the same file name ({listed([f'{n!r}' for n in names])})")
        warnings.append(f"{csv_path}: lines {lines} have {what}: their forms are numbered {', '.join(stems)}")
    return warnings


def _not_from_this_run(out: Path, made: list[Path]) -> list[str]:
    """A warning listing the forms in `out` this run did not make (an earlier run's, from another CSV?):
    they are left as they are, since only the user knows whether they are still wanted."""
    suffixes = {f".{fmt}" for fmt in writers.form_formats()}
    ours = {p.name for p in made}
    others = sorted(p.name for p in out.iterdir() if p.suffix.lower() in suffixes and p.name not in ours
                    and not p.name.startswith(".") and TEMP_MARK not in p.name and p.is_file())
    if not others:
        return []
    shown = ", ".join(others[:SHOWN]) + (f" and {len(others) - SHOWN} more" if len(others) > SHOWN else "")
    return [f"{len(others)} form(s) in {out} are not from this run (an earlier run's, with another CSV?); they "
            f"were left as they are, delete them if they are no longer wanted: {shown}"]


def _blank(fmt: str, document: Document, theme: Theme) -> bytes:
    """The blank form as the build writes it, made once per run."""
    with tempfile.TemporaryDirectory(prefix="packgen-forms-") as tmp:
        path = Path(tmp) / f"blank.{fmt}"
        writers.get(fmt).write(document, theme, path)
        return path.read_bytes()


# --- making the copies, in this process or in a pool -----------------------------------------------

_state: dict[str, object] = {}


def _init(blanks: dict[str, bytes], out: str, csv_path: str) -> None:
    """Prepare the forms once per process."""
    _state["fillers"] = {fmt: writers.get(fmt).form_filler(data) for fmt, data in blanks.items()}
    _state["out"] = Path(out)
    _state["csv"] = csv_path


def _init_worker(blanks: dict[str, bytes], out: str, csv_path: str) -> None:
    """A worker of the pool. Ctrl-C, and the SIGHUP of a terminal that closes, reach every process of
    the command: this one's parent stops it, with SIGTERM, which ends it at once and silently, as a
    pool's worker is meant to end (no Python runs in it that could wait on a lock the pool holds); the
    parent then removes the form it was writing (see _run). The command itself says it stopped. A
    worker that ended at once on the group's SIGHUP could hold the lock on the pool's tasks, which
    the parent's stop waits for: it leaves SIGHUP to the parent, as it does Ctrl-C."""
    as_a_worker(signal.SIGTERM)
    _init(blanks, out, csv_path)


Job = tuple[str, dict[str, str], int]  # file stem, values by field id, CSV line


def _make(chunk: list[Job]) -> list[Path]:
    fillers: dict[str, Callable[[dict[str, str]], bytes]] = _state["fillers"]  # type: ignore[assignment]
    out: Path = _state["out"]  # type: ignore[assignment]
    made = []
    for stem, values, line in chunk:
        filled = {k: v for k, v in values.items() if v}
        for fmt, fill in fillers.items():
            target = inside(out, stem, f".{fmt}")
            try:
                data = fill(filled)
            except ValueError as exc:
                # e.g. a character none of the form's fonts has; one plain message survives the pool
                raise PackgenError(f"{_state['csv']}:{line}: {exc} (in the {fmt.upper()} form)") from None
            with atomic_path(target) as tmp:
                tmp.write_bytes(data)
            made.append(target)
    return made


def _run(jobs: list[Job], blanks: dict[str, bytes], out: Path, workers: int,
         csv_path: str) -> Iterator[list[Path]]:
    chunks = [jobs[i:i + CHUNK] for i in range(0, len(jobs), CHUNK)]
    workers = max(1, min(workers, os.cpu_count() or 1, len(chunks)))
    if workers == 1 or len(jobs) < POOL_FROM:
        _init(blanks, str(out), csv_path)
        for chunk in chunks:
            yield _make(chunk)
        return
    # fork: the children start with everything imported and the blank forms already in memory
    context = multiprocessing.get_context("fork")
    pool = None
    try:
        with stops_held():  # the pool forks its workers as it is made: a stop waits until it is there to stop
            pool = context.Pool(workers, initializer=_init_worker, initargs=(blanks, str(out), csv_path))
        yield from pool.imap_unordered(_make, chunks)
        pool.close()
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        clear_leftovers(out)  # a form a stopped worker had begun: never left looking finished


class _Bar:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    WIDTH = 30

    def __init__(self, total: int, stream: TextIO):
        self.total, self.done, self.stream = total, 0, stream
        self.started = self.last = time.perf_counter()
        self._draw()

    def advance(self, n: int) -> None:
        self.done += n
        now = time.perf_counter()
        if now - self.last >= 0.1 or self.done >= self.total:
            self.last = now
            self._draw()

    def _draw(self) -> None:
        self.shown = self.done
        filled = self.WIDTH * self.done // max(self.total, 1)
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done}/{self.total} "
                          f"organisations, {time.perf_counter() - self.started:.1f}s")
        self.stream.flush()

    def close(self) -> None:
        if self.shown != self.done:
            self._draw()
        self.stream.write("\n")
        self.stream.flush()
