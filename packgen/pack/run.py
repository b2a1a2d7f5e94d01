"""Running the plan: every job once the jobs it needs are made, on worker processes or in this one.

The workers are a `ProcessPoolExecutor`, forked from this process: they start with everything it
has imported. Forking copies only the thread that forks, leaving any lock another thread held
locked for ever, so a process running other threads (a resident preview with its server and
watcher) gets workers started by a fork server instead. With `--jobs 1` there is no pool: every job
is made here, one after another. Either way, each file is recorded as it lands, and the first error stops the
build once the jobs already running have finished (so none is left half-written).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from packgen.errors import RenderError, RenderWarning
from packgen.pack.jobs import Job, Note, make_file
from packgen.stops import as_a_worker, end_when_orphaned, stops_held

MAX_JOBS = 4  # beyond four workers the pack's files come no faster, and each worker holds its own memory

Progress = Callable[[str], None]


def default_jobs() -> int:
    """One worker per core this process may use, at most MAX_JOBS."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))


@contextmanager
def workers(jobs: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of `jobs` worker processes (None for one job)."""
    methods = multiprocessing.get_all_start_methods()
    if jobs < 2 or "fork" not in methods:
        yield None
        return
    method = "fork" if threading.active_count() == 1 or "forkserver" not in methods else "forkserver"
    # a forked worker is told its parent's pid; one a fork server starts is the server's, which ends with this process
    parent = os.getpid() if method == "fork" else None
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method), initializer=_start_worker,
                               initargs=(parent,))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(parent: int | None) -> None:
    # Ctrl-C, the SIGTERM of `timeout` or a job runner and a closing terminal's SIGHUP reach the whole
    # process group: the build stops its workers itself, once each has finished the file it is
    # writing. A worker is forked while the build holds its stops (stops_held). A build killed
    # outright stops nothing: its workers end by themselves.
    as_a_worker()
    end_when_orphaned(parent)


class Run:
    """The jobs of one build, made in dependency order; `wait` returns once all are made.

    Jobs go to the pool once their needs are made, longest first, and the pool holds two per worker:
    the file it writes and the next, so no worker waits for this process between files. The rest wait
    here, in order, so a job whose needs were just made (a combined PDF, once its documents' PDFs are)
    goes ahead of every job not yet handed over, rather than behind all of them in the pool's queue. A
    job marked `here` or `alone` is made in this process once the pool has nothing running: a job that
    needs what only this process holds, or a document so long that it is written with nothing beside
    it, and without a second copy of it in a worker.
    """

    def __init__(self, out: Path, jobs: Iterable[Job], made: dict[str, dict], pool: ProcessPoolExecutor | None,
                 say: Progress, processes: int = 1, place: Callable[[RenderWarning, Job], str] | None = None):
        self.out, self.pool, self.say = out, pool, say
        # Where a writer's warning about words of the sources was written ("FILE:LINE: ", "" when not found)
        self.place = place or (lambda _note, _job: "")
        self.held = 2 * processes  # jobs in the pool at once: one being written and the next, per worker
        self.warnings: list[str] = []  # what the libraries warned of while making each file, naming the file
        self.made = made  # the record of every file made or kept, by path: what later jobs read
        self.waiting = sorted(jobs, key=lambda job: -job.cost)
        self.running: dict[Future, Job] = {}
        self.failed: Job | None = None  # the job whose error `wait` raised
        self._start_ready()

    def wait(self) -> None:
        """Make every job; raise the first error once the jobs already running have finished."""
        while self.waiting or self.running:
            if self.running:
                done, _ = wait(self.running, return_when=FIRST_COMPLETED)
                for future in done:
                    job = self.failed = self.running.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        raise RenderError("a worker process ended unexpectedly (out of memory, or killed?)") from None
                    self._finished(job, *result)
            else:  # nothing can go to the pool: a job made here, or every job where there is no pool
                job = self.failed = self._take_ready()
                self._finished(job, *make_file(self.out, job, self._inputs(job)))
            self._start_ready()
        self.failed = None

    def _finished(self, job: Job, entry: dict, seconds: float, notes: list[Note]) -> None:
        self.made[job.path] = entry
        count = entry.get("pages")
        pages = f" ({count} page{'' if count == 1 else 's'})" if count else ""
        self.say(f"built {job.path}{pages} in {seconds:.2f}s")
        for note in notes:  # said here, in the build's own process, so each is a line of its own
            where = self.place(note, job) if isinstance(note, RenderWarning) else ""
            self.warnings.append(f"{where}{job.path}: {note}")
            self.say(f"warning: {where}{job.path}: {note}")

    def _ready(self, job: Job) -> bool:
        return all(need in self.made for need in job.needs)

    def _take_ready(self) -> Job:
        for job in self.waiting:
            if self._ready(job):
                self.waiting.remove(job)
                return job
        raise RenderError(f"these files need files this build does not make: {', '.join(j.path for j in self.waiting)}")

    def _start_ready(self) -> None:
        """Hand the pool the longest jobs it can start now, up to what it holds."""
        if self.pool is None:
            return
        for job in list(self.waiting):
            if len(self.running) >= self.held:
                return
            if not (job.here or job.alone) and self._ready(job):
                self.waiting.remove(job)
                with stops_held():  # `submit` forks the workers
                    self.running[self.pool.submit(make_file, self.out, job, self._inputs(job))] = job

    def _inputs(self, job: Job) -> dict[str, dict]:
        return {need: self.made[need] for need in job.needs}
