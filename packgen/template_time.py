"""How long a template may run: a document's template, and a pack's own web page templates.

A template that loops without end prints nothing and makes nothing big, so no size bound stops it:
a timer does. The shipped pack's templates take a millisecond or two each, so one still running
after MAX_TEMPLATE_SECONDS is in a loop that does not end in any time a build can wait.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

import jinja2

MAX_TEMPLATE_SECONDS = 10


class StillRunning(jinja2.exceptions.SecurityError):
    """A template stopped by the time bound, at the line it was at; its words follow the template's name."""

    def __init__(self, seconds: float):
        super().__init__(f"was still running after {seconds:g} seconds: a loop that does not end?")


@contextlib.contextmanager
def time_bound() -> Iterator[None]:
    """Stop a render still running after MAX_TEMPLATE_SECONDS, at the template line it is at. Only the
    main thread can be told by a signal (the build's, the preview's rebuilds and every worker's run
    there), and a render already timed keeps its own timer."""
    if threading.current_thread() is not threading.main_thread() or signal.getitimer(signal.ITIMER_REAL)[0]:
        yield
        return
    seconds = MAX_TEMPLATE_SECONDS

    def stop(signum: int, frame: object) -> None:
        raise StillRunning(seconds)

    before = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
