"""Writing on every core: worker lanes, started first and fed one task at a time.

The lanes come from one forked helper process (a "zygote") started before anything else: while
the parent imports packgen and composes the documents, the zygote imports what the longest tasks
need (the PDF writer, the fonts), then forks one lane per core, which start with all of that
already done. The lanes after the first then load the rest (the other writers, what assembling
needs) themselves, a step at a time, whenever they have no task: a task that arrives meanwhile is
not kept waiting behind the warm-up. So on two cores the imports use the core that would
otherwise wait, and the second lane is ready as soon as the first.

The parent hands out tasks as lanes come free, longest first, so the lanes finish together. Work
that needs another task's result (a thumbnail of a PDF just written) is handed out as soon as that
result arrives (`then`), not after every task: no lane waits at a barrier while there is work. A task
may belong to a group (say "the PDFs with pictures"): preparing a picture for a format (parsing an
SVG into PDF drawing operators, rasterising it for Word) is a good part of an easy-read file and is
kept per process, so a lane that has taken a group's first task is offered that group's tasks first,
and takes another lane's group only when nothing else is left. No picture is then prepared twice
unless balancing the lanes is worth it.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from packgen.errors import RenderError
from packgen.pack.outputs import remove_unfinished

MAX_LANES = 4
# How long a lane that has just sent a result waits for its next task before it starts a warm-up
# step instead: the parent answers a result in a millisecond or two, and a step begun just before
# the task arrives keeps the task waiting for the whole step (35 ms for pikepdf).
IDLE_GRACE = 0.005
# The parent's thread switch interval while its own work runs beside the loop feeding the lanes:
# with Python's 5 ms, a lane's result could wait that long for the feeding loop to be let run.
FEEDING_SWITCH_INTERVAL = 0.0005


@dataclass(frozen=True)
class Task:
    key: Hashable
    fn: Callable[..., Any]  # a module-level function (it is sent to the lane by name)
    args: tuple
    cost: float = 1.0  # only compared with other tasks' costs
    group: str | None = None
    warm: int = 1  # 1: it needs only the first warm-up step's imports; more: the later steps' too (Lanes.start)


# Given a finished task's key and result, the tasks that result made possible (often none).
Then = Callable[[Hashable, Any], Iterable[Task]]


class _LaneFailure(Exception):
    """An error in a lane that could not be sent back as itself (it did not pickle)."""


class Lanes:
    """Worker processes fed by the parent; whoever starts them must close() them, error or not."""

    def __init__(self, count: int, warm: Sequence[Callable[[], None]] = (), grace: float = IDLE_GRACE):
        context = mp.get_context("fork")
        pipes = [context.Pipe() for _ in range(count)]
        self._conns: list[Connection] = [parent_end for parent_end, _ in pipes]
        self._zygote = context.Process(target=_zygote, args=([child for _, child in pipes], self._conns, warm, grace),
                                       daemon=True)
        self._zygote.start()
        for _, child_end in pipes:
            child_end.close()
        self._owner: dict[str, int] = {}  # group -> the lane that prepared its pictures
        self._given: dict[int, Task] = {}  # lane -> the task `give` handed it, not yet answered
        self._waiting: list[Task] = []  # tasks `give` had no free lane for
        # the warm-up steps each lane has (or loads while idle): the first lane the first, the others every one
        self._warmed = [1 if lane == 0 else len(warm) for lane in range(count)]

    @classmethod
    def start(cls, warm: Sequence[Callable[[], None]] = ()) -> Lanes | None:
        """Lanes for this machine's cores, or None on one core or where processes cannot be forked.

        `warm` is the lanes' start-up in steps. The zygote runs the first (what the longest tasks
        need) and forks every lane; the lanes after the first run the other steps themselves, one at
        a time whenever they have no task.
        """
        count = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
                    MAX_LANES)
        if count < 2 or "fork" not in mp.get_all_start_methods():
            return None
        return cls(count, warm)

    @property
    def count(self) -> int:
        """How many lanes there are (0 once closed)."""
        return len(self._conns)

    def give(self, tasks: Iterable[Task]) -> None:
        """Hand these tasks out now, and return at once: work whose only product is kept elsewhere (the
        per-user cache), for lanes that would otherwise wait while the parent gets their real work
        ready. The next `run` sees them through (any lane still free takes one first) and drops
        their results; an error in one is raised there."""
        self._waiting.extend(tasks)
        self._waiting.sort(key=lambda t: -t.cost)
        self._hand_out(self._waiting, self._given)

    def run(self, tasks: Iterable[Task], meanwhile: Callable[[], None] | None = None,
            then: Then | None = None) -> dict[Hashable, Any]:
        """Run every task on the lanes; return each task's result by key, or raise the first error.

        `meanwhile`, the parent's own work, runs in a thread once the lanes have work: the parent
        still hands the next task to a lane the moment one comes free, instead of after it. `then`
        is given each result as it arrives and returns the tasks it made possible, which join the rest.
        """
        early = [*self._waiting, *self._given.values()]  # (kept alive: their ids are not reused)
        given = {id(task) for task in early}

        def order(task: Task) -> tuple[bool, float]:
            return id(task) not in given, -task.cost  # what `give` handed over first, then longest first

        pending = sorted([*self._waiting, *tasks], key=order)
        results: dict[Hashable, Any] = {}
        busy: dict[int, Task] = self._given
        self._given, self._waiting = {}, []
        finished: list[Task] = []  # results `then` has not seen yet
        beside: _Beside | None = None
        switch_interval = sys.getswitchinterval()
        try:
            while True:
                if finished:
                    # Before handing out: what a result makes possible (a combined PDF the zip waits
                    # for) may come before what was waiting. A lane waits IDLE_GRACE for its next task
                    # before it starts a warm-up step, longer than planning takes.
                    for task in finished:
                        pending.extend(then(task.key, results[task.key]))
                    finished.clear()
                    pending.sort(key=order)
                self._hand_out(pending, busy)
                if meanwhile is not None and beside is None:
                    sys.setswitchinterval(FEEDING_SWITCH_INTERVAL)
                    beside = _Beside(meanwhile)
                if not busy:
                    break
                for conn in wait([self._conns[lane] for lane in busy]):
                    lane = self._conns.index(conn)  # type: ignore[arg-type]
                    task = busy.pop(lane)
                    try:
                        ok, value = conn.recv()
                    except (EOFError, OSError):
                        raise RenderError("a worker process ended unexpectedly (out of memory, or killed?)") from None
                    if not ok:
                        raise value
                    if id(task) in given:
                        continue
                    results[task.key] = value
                    if then is not None:
                        finished.append(task)
        finally:
            if beside is not None:
                beside.join()  # never leave the parent's own work running behind an error
                sys.setswitchinterval(switch_interval)
        if beside is not None:
            beside.reraise()
        return results

    def _hand_out(self, pending: list[Task], busy: dict[int, Task]) -> None:
        """Give each free lane a task: first one it has the imports for; then, to a lane still free,
        any task rather than let it wait (it imports what the task needs itself)."""
        for warmed_only in (True, False):
            for lane in range(len(self._conns)):
                if lane not in busy and pending:
                    task = self._choose(lane, pending, warmed_only)
                    if task is not None:
                        pending.remove(task)
                        self._conns[lane].send((task.fn, task.args))
                        busy[lane] = task

    def _choose(self, lane: int, pending: list[Task], warmed_only: bool = False) -> Task | None:
        """The longest task of this lane's groups; else of no group or a new one; else any (balancing).

        With `warmed_only`, only a task whose imports the lane has (None if there is none).
        """
        def rank(task: Task) -> int:
            owner = self._owner.get(task.group) if task.group else None
            return 0 if owner == lane else 1 if owner is None else 2
        choices = [t for t in pending if t.warm <= self._warmed[lane]] if warmed_only else pending
        if not choices:
            return None
        task = min(choices, key=rank)  # pending is longest first; min keeps the first of the best rank
        if task.group and task.group not in self._owner:
            self._owner[task.group] = lane
        return task

    def close(self, wait: bool = True) -> None:
        """End the lanes (after the work, or when a build fails): a lane still writing removes its
        temporary file as it goes, so a failed build leaves nothing half-written behind.

        Waiting for that takes a lane's next bytecode, which inside an import can be 10-15 ms. A
        caller that knows no task is running (every result is in: nothing is being written) and is
        about to leave may pass wait=False: the lanes are told to end and end on their own.
        """
        if self._zygote.is_alive():
            self._zygote.terminate()  # the zygote passes it on to the lanes and waits for them
        for conn in self._conns:
            conn.close()  # and an idle lane (even one the signal missed) sees its pipe end and stops
        self._conns = []
        self._given, self._waiting = {}, []
        if not wait:
            return
        self._zygote.join(timeout=10)
        if self._zygote.is_alive():
            self._zygote.kill()
            self._zygote.join()


class _Beside(threading.Thread):
    """The parent's own work, in a thread beside the loop feeding the lanes; its error is kept."""

    def __init__(self, work: Callable[[], None]):
        super().__init__(name="packgen-meanwhile", daemon=True)
        self.work = work
        self.error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            self.work()
        except BaseException as exc:  # noqa: BLE001 - raised again in the parent's own thread
            self.error = exc

    def reraise(self) -> None:
        if self.error is not None:
            raise self.error


def run(tasks: Iterable[Task], lanes: Lanes | None, meanwhile: Callable[[], None] | None = None,
        between: Callable[[], None] | None = None, then: Then | None = None) -> dict[Hashable, Any]:
    """Run the tasks on the lanes, or one after another in this process where there are none
    (and `meanwhile`, the parent's own work, beside them or first; `between` after each task;
    `then` on each result, returning the tasks it made possible)."""
    if lanes is not None:
        return lanes.run(tasks, meanwhile, then)
    if meanwhile is not None:
        meanwhile()
    results: dict[Hashable, Any] = {}
    pending = list(tasks)
    while pending:
        task = pending.pop(0)
        results[task.key] = task.fn(*task.args)
        if between is not None:
            between()
        if then is not None:
            pending.extend(then(task.key, results[task.key]))
    return results


def _zygote(conns: list[Connection], parent_ends: list[Connection], warm: Sequence[Callable[[], None]],
            grace: float) -> None:
    """Run the first warm-up step, fork the lanes (the later steps are theirs), pass a stop on, wait."""
    for end in parent_ends:
        end.close()  # only the parent holds these: when it goes, every lane sees its pipe end
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lanes: list[int] = []

    def stop(_signum: int, _frame: object) -> None:
        # Stopped while warming up: stop the lanes so far, wait for them, end. (An exception raised
        # here could land inside a library's callback, which would print it and carry on.)
        for pid in lanes:
            _kill(pid)
        _wait(lanes)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    steps = list(warm)
    for step in steps[:1]:
        _warm_step(step)
    for index, conn in enumerate(conns):
        # No stop between the fork and noting the lane: every lane forked is one the zygote waits for.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        pid = os.fork()
        if pid == 0:
            try:
                signal.signal(signal.SIGTERM, _stop)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
                for other in conns[:index] + conns[index + 1:]:
                    other.close()
                _serve(conn, steps[1:] if index else (), grace)
            finally:
                os._exit(0)
        lanes.append(pid)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    signal.signal(signal.SIGTERM, lambda *_: [_kill(pid) for pid in lanes])
    for conn in conns:
        conn.close()
    _wait(lanes)


def _wait(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def _warm_step(step: Callable[[], None]) -> None:
    try:
        step()
    except Exception:  # noqa: BLE001 - the task that needs it will raise the same error, and report it
        pass


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pass


def _serve(conn: Connection, later: Sequence[Callable[[], None]] = (), grace: float = IDLE_GRACE) -> None:
    """Run the tasks the parent sends; between them, while none comes within `grace` seconds, the
    `later` warm-up steps."""
    # Ctrl-C goes to the whole process group: the parent stops the lanes itself, and a lane
    # interrupted mid-write would only print a second traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    steps = list(later)
    while True:
        while steps and not conn.poll(grace):  # (poll is also true once the parent has gone)
            _warm_step(steps.pop(0))
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return  # the parent has gone
        try:
            reply = (True, fn(*args))
        except Exception as exc:  # noqa: BLE001 - every error goes back to the parent to report
            reply = (False, exc)
        try:
            conn.send(reply)
        except (BrokenPipeError, EOFError):
            return  # the parent has gone
        except Exception:  # noqa: BLE001 - the error itself did not pickle
            conn.send((False, _LaneFailure("".join(traceback.format_exception(reply[1])).strip())))


def _stop(_signum: int, _frame: object) -> None:
    # Leave at once, removing the file being written. (Raising an exception here instead could land
    # inside a library's callback, which would print it and carry on writing.)
    remove_unfinished()
    os._exit(0)
