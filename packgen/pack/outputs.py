"""Writing outputs safely: nothing half-written is ever left in `build/` looking finished.

Each file is written under a dot-prefixed temporary name beside its final place, then renamed into
place in one step; leftovers of a killed build match one pattern and are cleared by the next.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from packgen import writers

if TYPE_CHECKING:
    from packgen.model import Document
    from packgen.theme import Theme

TEMP_MARK = ".packgen-tmp-"
T = TypeVar("T")


def temp_path(final: Path) -> Path:
    return final.with_name(f"{TEMP_MARK}{os.getpid()}-{final.name}")


_UNFINISHED: set[Path] = set()  # temporary files this process is writing now


@contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path; on success rename it to `final`, on failure remove it."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(final)
    _UNFINISHED.add(tmp)
    try:
        yield tmp
        os.replace(tmp, final)
    finally:
        # Removed before it is forgotten: a stop arriving in between still finds it listed (see _stop
        # in packgen.pack.workers), where the other order left a half-written file behind.
        tmp.unlink(missing_ok=True)
        _UNFINISHED.discard(tmp)


def remove_unfinished() -> None:
    """Remove the temporary files this process is writing (a worker told to stop, about to leave)."""
    for tmp in list(_UNFINISHED):
        tmp.unlink(missing_ok=True)


def write_atomic(final: Path, write: Callable[[Path], T]) -> T:
    with atomic_path(final) as tmp:
        return write(tmp)


def write_bytes_atomic(final: Path, data: bytes) -> None:
    with atomic_path(final) as tmp:
        tmp.write_bytes(data)


def clear_leftovers(out: Path) -> int:
    """Remove temporary files a killed build left behind; return how many."""
    if not out.is_dir():
        return 0
    count = 0
    for path in out.rglob(f"{TEMP_MARK}*"):
        if path.is_file():
            path.unlink()
            count += 1
    return count


def read_state(path: Path) -> dict[str, dict]:
    """A build's memory of what it made (a dot-file beside the outputs); empty when absent or damaged."""
    try:
        data = json.loads(path.read_text("utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def write_state(path: Path, state: dict[str, dict]) -> None:
    write_bytes_atomic(path, json.dumps(state, indent=1, sort_keys=True).encode())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_output(fmt: str, document: Document, theme: Theme, target: Path) -> tuple[int | None, float]:
    """Write one output atomically with its format's writer; return its page count and the seconds taken.

    A worker lane's task: it lives here, with nothing heavy imported, so the lane that unpickles
    it does not import the whole build (sources, templates, Markdown) just to find it.
    """
    return write_timed(target, lambda tmp: writers.get(fmt).write(document, theme, tmp))


def write_timed(target: Path, write: Callable[[Path], T]) -> tuple[T, float]:
    """write_atomic, and the seconds it took: what a worker lane's task reports for the progress line."""
    began = time.perf_counter()
    result = write_atomic(target, write)
    return result, time.perf_counter() - began
