"""Running untrusted work with a time and memory bound per item, in child processes we can kill.

`packgen register` reads returned forms and `packgen check` reads files from anyone with it. A file
may be a decompression bomb, a reference loop or a nesting a parser recurses into forever; a C
library may crash on it. Each item is handled in a child process whose address space
is capped (RLIMIT_AS) and which is killed when it runs past its time. A child that dies, runs out
of memory or times out costs that one item an answer saying why; a fresh child takes its place and
the run goes on. Children are forked, so they start with the libraries already imported.
"""

from __future__ import annotations

import contextlib
import faulthandler
import math
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

from packgen.stops import TOLD_TO_STOP, as_a_worker, end_when_orphaned, stops_held

T = TypeVar("T")
R = TypeVar("R")


STOP_GRACE = 10.0  # seconds a program asked to stop has to close what it started (a browser) before it is killed
# How often run_stopping measures a program's memory: a browser parsing a hostile page takes a few
# hundred megabytes a second, so it passes its bound by little before it is seen to.
MEMORY_CHECK_SECONDS = 0.25


class OutOfMemory(subprocess.SubprocessError):
    """run_stopping stopped a program because it and the processes it started needed more than
    ``memory_mb`` between them; ``stdout`` and ``stderr`` hold what it printed before."""

    def __init__(self, cmd: list[str], memory_mb: int, stdout: Any, stderr: Any):
        super().__init__(f"{cmd[0]} needed more than {memory_mb} MB of memory, so it was stopped")
        self.cmd, self.memory_mb, self.stdout, self.stderr = cmd, memory_mb, stdout, stderr


def run_stopping(cmd: list[str], seconds: float, memory_mb: int | None = None,
                 **options: Any) -> subprocess.CompletedProcess:
    """Run a program for at most `seconds`, its output captured; past that, ask it to stop (SIGTERM,
    on which a browser driver closes the browser it started, in a process group of its own) and
    only then kill it, and raise TimeoutExpired. subprocess.run would kill it at once, leaving its
    browser running.

    With `memory_mb`, the memory of the program and of every process descended from it (a browser's,
    which RLIMIT_AS cannot bound: V8 reserves a terabyte of address space it never uses) is measured
    every MEMORY_CHECK_SECONDS; past the bound they are all killed at once, as a browser asked to close
    goes on taking memory meanwhile, and OutOfMemory is raised. Memory is measured in /proc (Linux):
    elsewhere only the time bound holds. The program gets a temporary folder of its own (TMPDIR),
    removed after it, as one killed leaves its temporary files (a browser's profile) behind."""
    watched = memory_mb is not None and os.path.isdir("/proc/self")
    with tempfile.TemporaryDirectory(prefix="packgen-run-") as folder:
        options["env"] = {**(options.get("env") or os.environ), "TMPDIR": folder}
        with subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              **options) as process:
            deadline = time.monotonic() + seconds
            while True:
                left = max(0.0, deadline - time.monotonic())
                try:
                    out, err = process.communicate(timeout=min(left, MEMORY_CHECK_SECONDS) if watched else left)
                    break
                except subprocess.TimeoutExpired:
                    if watched and _memory_mb(_family(process.pid)) > memory_mb:
                        _kill_family(process.pid)
                        out, err = process.communicate()
                        raise OutOfMemory(cmd, memory_mb, out, err) from None
                    if time.monotonic() < deadline:
                        continue
                process.terminate()
                try:
                    process.communicate(timeout=STOP_GRACE)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.communicate()
                raise subprocess.TimeoutExpired(cmd, seconds) from None
    return subprocess.CompletedProcess(cmd, process.returncode, out, err)


def _family(root: int) -> list[int]:
    """`root` and every process descended from it, by each process's parent in /proc/PID/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    # the parent follows the name, which is in brackets and may hold any character
                    parent = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):  # it ended as it was read
                continue
            children.setdefault(parent, []).append(int(entry.name))
    family, at = [root], 0
    while at < len(family):
        family.extend(children.get(family[at], ()))
        at += 1
    return family


def _memory_mb(pids: Iterable[int]) -> float:
    """The memory these processes have taken between them, in megabytes: what each holds of its own and
    in shared memory (RssAnon and RssShmem in /proc/PID/status, counters the kernel keeps, so reading
    them costs nothing however large the process), not the pages of the program's own files, which
    every process of a browser shares and the kernel can drop. Where the kernel does not keep them
    (before Linux 4.5), all a process has resident (VmRSS), more than it took, never less."""
    total = 0  # kilobytes
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status", "rb") as handle:
                fields = dict(line.split(b":", 1) for line in handle if line.startswith((b"Rss", b"VmRSS")))
        except OSError:  # it ended as it was read
            continue
        if b"RssAnon" in fields:
            total += int(fields[b"RssAnon"].split()[0]) + int(fields.get(b"RssShmem", b"0").split()[0])
        else:  # an older kernel (and a process that has ended, which counts nothing)
            total += int(fields.get(b"VmRSS", b"0").split()[0])
    return total / 1024


def _kill_family(root: int) -> None:
    """Kill `root` and every process descended from it. Each is frozen (SIGSTOP) as it is found, and
    the family is looked for again until no new one is found: a frozen process starts no other, and
    one whose parent is frozen is not handed to another parent, out of sight, when its parent ends.
    A process that left the family as it started (Chromium's crash reporter, adopted by init) is
    neither counted nor killed here: it ends by itself when the browser it watches ends."""
    frozen: set[int] = set()
    while found := [pid for pid in _family(root) if pid not in frozen]:
        for pid in found:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
            frozen.add(pid)
    for pid in frozen:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def bounds_problem(memory_mb: int, seconds: float) -> str | None:
    """What is wrong with the bounds a user asked for (--memory, --timeout), or None: a bound that is
    off bounds nothing, and the bounds are what make a hostile file cost one answer."""
    if memory_mb < 1:
        return (f"--memory {memory_mb}: the memory a file may take to read must be a whole number of megabytes, "
                "1 or more (0 would read files with no limit at all)")
    if not 0 < seconds < math.inf:
        return f"--timeout {seconds:g}: the time a file may take to read must be a number of seconds above 0"
    return None


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """What became of one item: its result, or why there is none."""

    result: R | None = None
    problem: str = ""
    seconds: float = 0.0
    peak_mb: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problem


def _address_space() -> int:
    """This process's current virtual memory size in bytes (the baseline the cap is added to)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _serve(conn: Connection, fn: Callable[[Any], Any], memory_mb: int, parent: int) -> None:
    """A child of the process `parent`: cap memory, then answer items until told to stop (None), until
    it cannot go on, or until `parent` has ended."""
    # Ctrl-C is the parent's to handle; a child that a stop to the group ends holds no lock its parent
    # needs (each has its own pipe), and the parent stops the others itself
    as_a_worker(*TOLD_TO_STOP)
    end_when_orphaned(parent)  # before the cap is measured: the watching thread's stack is under it
    faulthandler.disable()  # a crash is reported as the item's answer, not as a dump on the user's screen
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    cap = _address_space() + memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    # the most setrlimit takes short of no limit at all, for a cap asked for beyond it
    cap = min(cap, hard if hard != resource.RLIM_INFINITY else sys.maxsize)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        started = time.perf_counter()
        try:
            result = fn(item)
            answer: tuple[str, Any] = ("ok", result)
        except MemoryError:
            answer = ("memory", None)
        except RecursionError:
            answer = ("error", "nested too deeply to read")
        except Exception as exc:  # noqa: BLE001 - any failure is this item's answer, not the run's end
            answer = ("error", f"{type(exc).__name__}: {str(exc)[:200]}")
        try:
            conn.send((*answer, time.perf_counter() - started, _peak_mb()))
        except MemoryError:
            os._exit(3)
        except (OSError, ValueError):
            return
        if answer[0] == "memory":
            return  # a process that ran out of memory is not trusted with the next item


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    item: Any = None
    index: int = -1
    started: float = 0.0


class Sandbox(Generic[T, R]):
    """Map `fn` over items in `workers` child processes, each item bounded in time and memory."""

    def __init__(self, fn: Callable[[T], R], workers: int = 2, seconds: float = 30.0, memory_mb: int = 768):
        problem = bounds_problem(memory_mb, seconds)
        if problem:
            raise ValueError(problem)
        self.fn, self.workers, self.seconds, self.memory_mb = fn, max(1, workers), seconds, memory_mb
        self._context = multiprocessing.get_context("fork")

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child, self.fn, self.memory_mb, os.getpid()),
                                        daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def map(self, items: Iterable[T]) -> Iterator[tuple[int, T, Outcome[R]]]:
        """(index, item, outcome) for every item, in the order they finish."""
        pending = list(enumerate(items))[::-1]
        idle: list[_Worker] = []
        busy: list[_Worker] = []
        started: list[_Worker] = []  # every child, so that a stop at any moment (Ctrl-C, SIGTERM) stops each
        try:
            while pending or busy:
                while pending and len(busy) < self.workers:
                    if idle:
                        worker = idle.pop()
                    else:
                        with stops_held():  # a child is counted as soon as it is forked
                            worker = self._spawn()
                            started.append(worker)
                    worker.index, worker.item = pending.pop()
                    worker.started = time.perf_counter()
                    try:
                        worker.conn.send(worker.item)
                    except (OSError, ValueError):
                        self._stop(worker)
                        yield worker.index, worker.item, Outcome(problem="the reading process could not start")
                        continue
                    busy.append(worker)
                if not busy:
                    continue
                now = time.perf_counter()
                deadline = min(w.started for w in busy) + self.seconds
                # an hour at most, then again: a wait longer than the clock counts (--timeout 1e300) overflows
                ready = wait([w.conn for w in busy], timeout=min(max(0.0, deadline - now), 3600.0))
                for worker in list(busy):
                    elapsed = time.perf_counter() - worker.started
                    if worker.conn in ready:
                        busy.remove(worker)
                        outcome, alive = self._answer(worker, elapsed)
                        (idle.append(worker) if alive else self._stop(worker))
                        yield worker.index, worker.item, outcome
                    elif elapsed >= self.seconds:
                        busy.remove(worker)
                        self._stop(worker)
                        yield worker.index, worker.item, Outcome(
                            problem=f"took longer than {self.seconds:g}s to read, so it was stopped", seconds=elapsed)
        finally:
            for worker in started:  # those already stopped are closed again, which costs nothing
                self._stop(worker, gently=worker in idle)

    def _answer(self, worker: _Worker, elapsed: float) -> tuple[Outcome[R], bool]:
        try:
            kind, value, seconds, peak = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(1)
            code = worker.process.exitcode
            if code is not None and code < 0:
                name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else str(-code)
                # C++ libraries abort when an allocation fails under the cap
                why = f"the reader crashed on it ({name}" + (
                    f", as when it needs more than {self.memory_mb} MB of memory)" if name == "SIGABRT" else ")")
            else:
                why = f"the reader stopped on it (exit status {code}), probably out of memory"
            return Outcome(problem=why, seconds=elapsed), False
        except MemoryError:
            return Outcome(problem="its answer was too large", seconds=elapsed), False
        if kind == "ok":
            return Outcome(result=value, seconds=seconds, peak_mb=peak), True
        if kind == "memory":
            return Outcome(problem=f"needed more than {self.memory_mb} MB of memory to read, so it was stopped",
                           seconds=seconds, peak_mb=peak), False
        return Outcome(problem=str(value), seconds=seconds, peak_mb=peak), True

    @staticmethod
    def _stop(worker: _Worker, gently: bool = False) -> None:
        if gently:
            try:
                worker.conn.send(None)
            except (OSError, ValueError):
                pass
            worker.process.join(0.5)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(2)
        worker.conn.close()
