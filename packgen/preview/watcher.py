"""Which files a pack is made from, and noticing each save to one of them, from before the first build.

A pack is made from its sources folder (pack.yaml, the documents it names, pictures, brand and the
pack's own labels), its templates folder and packgen's own templates, all watched whole; and from
any file the loaded pack names outside them (a pictures folder beside the sources, say), watched
by its folder, which the session tells after each build.

The watcher runs on a thread of its own and gathers every change until the session asks for them,
so a save made while a build runs (the first one too) is the next build's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from packgen.template_folders import PACKGEN_TEMPLATES

STEP_MS = 20  # how long the watcher waits for more changes before reporting a save: one editor save is
# often two or three file events
DEBOUNCE_MS = 400  # the longest it gathers a stream of changes before reporting them
LOOK_MS = 100  # how often the watcher looks up from waiting: to say it is watching, or to watch other files
SETTLE_S = 5.0  # the longest the session waits for the system to watch other files


@dataclass(frozen=True)
class Watched:
    """Folders watched whole, and single files watched wherever they are."""
    folders: tuple[Path, ...]
    files: frozenset[Path] = field(default_factory=frozenset)

    @property
    def roots(self) -> tuple[Path, ...]:
        """What to ask the system to watch: the folders, and the folder of each file outside them."""
        outside = {f.parent for f in self.files if not self.covers_folder(f)}
        return (*self.folders, *sorted(p for p in outside if p.is_dir()))

    def covers_folder(self, path: Path) -> bool:
        return any(path.is_relative_to(folder) for folder in self.folders)

    def covers(self, path: Path) -> bool:
        return self.covers_folder(path) or path in self.files


def watched(sources: Path, templates: Path, also: Iterable[Path] = ()) -> Watched:
    """The folders the pack is made from, each once, that exist, and `also` (the files the loaded pack
    names, folders among them) where they are outside those."""
    folders: list[Path] = []
    for folder in (sources, templates, PACKGEN_TEMPLATES):
        folder = folder.resolve()
        if folder.is_dir() and not any(folder.is_relative_to(f) for f in folders):
            folders = [f for f in folders if not f.is_relative_to(folder)] + [folder]
    files = set()
    for path in (Path(p).resolve() for p in also):
        if path.is_dir() and not any(path.is_relative_to(f) for f in folders):
            folders.append(path)
        elif not any(path.is_relative_to(f) for f in folders):
            files.add(path)
    return Watched(tuple(folders), frozenset(files))


class Watcher:
    """Gathers the changes to what `what()` names (asked again as it watches) until `changes` takes them."""

    def __init__(self, what: Callable[[], Watched], ignore: Path):
        self.what, self.ignore = what, ignore.resolve()
        self._changed: set[Path] = set()
        self._watching: Watched | None = None  # what the system watches now
        self._stop = threading.Event()
        self._news = threading.Condition()
        self._thread = threading.Thread(target=self._watch, name="preview-watcher", daemon=True)

    def start(self) -> None:
        """Start watching; return once the system watches the files."""
        self._thread.start()
        self.settle()

    def settle(self) -> None:
        """Return once the system watches what `what()` names now (after a build that named other files)."""
        with self._news:
            self._news.wait_for(lambda: self._watching == self.what() or not self._thread.is_alive(), SETTLE_S)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def changes(self) -> set[Path]:
        """Every file changed since the last call, once there is at least one."""
        with self._news:
            while not self._changed:
                self._news.wait(LOOK_MS / 1000)  # a short wait, so Ctrl-C is felt at once
            changed, self._changed = self._changed, set()
            return changed

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                self._watch_until_other(self.what())
            except OSError:  # a watched folder went away as the watch began: look again shortly
                self._stop.wait(LOOK_MS / 1000)

    def _watch_until_other(self, what: Watched) -> None:
        for batch in watchfiles.watch(*what.roots, step=STEP_MS, debounce=DEBOUNCE_MS, stop_event=self._stop,
                                      rust_timeout=LOOK_MS, yield_on_timeout=True, raise_interrupt=False,
                                      watch_filter=watchfiles.DefaultFilter()):
            if self._watching != what:
                with self._news:
                    self._watching = what
                    self._news.notify_all()
            files = {Path(path) for _, path in batch}
            files = {path for path in files if what.covers(path.resolve()) and
                     not path.resolve().is_relative_to(self.ignore)}
            if files:
                with self._news:
                    self._changed |= files
                    self._news.notify_all()
            if self.what() != what:  # the last build names other files: watch those
                return
