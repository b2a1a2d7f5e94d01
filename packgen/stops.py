"""How a command is told to stop, and how its worker processes take it.

Ctrl-C (SIGINT), `kill` or a job runner (SIGTERM) and a terminal that closes (SIGHUP) each stop a
command the same way: as on Ctrl-C, a KeyboardInterrupt in the command's own process, which stops
its workers itself, removes what they had begun and says it stopped. A stop often reaches the
whole process group, the workers too: each kind of worker takes it as its parent means it to.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

TOLD_TO_STOP = (signal.SIGTERM, signal.SIGHUP)  # Ctrl-C's SIGINT Python raises as KeyboardInterrupt itself
STOPS = (signal.SIGINT, *TOLD_TO_STOP)
# How often a worker looks whether its parent still runs (end_when_orphaned).
ORPHAN_CHECK_SECONDS = 1.0


def stop_as_on_ctrl_c() -> None:
    """Make SIGTERM and SIGHUP raise KeyboardInterrupt in this process, as Ctrl-C does."""
    for stop in TOLD_TO_STOP:
        signal.signal(stop, _interrupt)


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextmanager
def stops_held() -> Iterator[None]:
    """A stop that comes while workers are forked waits until they are counted.

    A KeyboardInterrupt raised between a fork and the note of the worker it made leaves a worker
    that is never stopped: it waits for work for ever, and whatever waits for it (the pool at exit,
    whoever reads the command's output) with it. A worker forked here starts with the stops held, and
    lets them through once it has set how it takes them.
    """
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def as_a_worker(*ending: signal.Signals) -> None:
    """How a worker its parent stops takes each stop: one in `ending` ends it at once and silently
    (no Python runs in it then that could wait on a lock or print a traceback); the others are its
    parent's to handle, and it ignores them. A fork would otherwise keep the parent's handlers."""
    for stop in STOPS:
        signal.signal(stop, signal.SIG_DFL if stop in ending else signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)  # held while it was forked (stops_held)


def end_when_orphaned(parent: int | None = None) -> None:
    """End this worker at once, from a thread of its own, once the process `parent` that started it
    has ended. A parent killed outright (`kill -9`, the out-of-memory killer) cannot stop its workers,
    and their pipes do not tell them it has gone: each sibling, forked from the same parent, holds the
    parent's end too, so each would wait for work for ever. The parent names itself: one killed before
    this worker first runs has left it to another process already, which the worker would take for
    its own. Without `parent` (a worker started by a fork server, which ends with the command), the
    worker's parent as it starts."""
    parent = os.getppid() if parent is None else parent

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(ORPHAN_CHECK_SECONDS)
        os._exit(1)  # no one is left to take what it makes, or to stop it

    threading.Thread(target=watch, name="packgen-orphan-watch", daemon=True).start()
