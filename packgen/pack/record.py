"""The record of the output folder: an entry per file packgen made, and the manifest written from it.

The record (a dot-file beside the outputs) holds each file's manifest entry and the digest of what
it was made from; a job whose digest is recorded for a file still on disk, unaltered in size, is
kept. The manifest is always true of the folder: before anything is replaced it shrinks to the
files that stay as they are, and it is written again, last, once the build has finished.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePosixPath

from packgen.pack import manifest
from packgen.pack.files import write_bytes_atomic
from packgen.pack.jobs import Job
from packgen.sources.schema import PackMeta

STATE_FILE = ".packgen-state.json"


class Record:
    def __init__(self, out: Path):
        self.out = out
        self.entries = _read(out / STATE_FILE)

    @property
    def exists(self) -> bool:
        """Whether an earlier build left a record here."""
        return (self.out / STATE_FILE).is_file()

    @property
    def own_files(self) -> tuple[str, ...]:
        """The files the record itself writes in the output folder."""
        return STATE_FILE, manifest.MANIFEST

    def kept(self, job: Job) -> dict | None:
        """The recorded entry when the job's file was made from the same inputs and is still in place."""
        known = self.entries.get(job.path)
        path = self.out / job.path
        if known and known.get("digest") == job.digest and path.is_file() and path.stat().st_size == known.get("bytes"):
            return known
        return None

    def replacing(self, paths: Iterable[str], meta: PackMeta, order: Sequence[str]) -> None:
        """Forget the files about to be replaced, and drop them from the manifest, so a build stopped at
        any moment leaves a manifest true of the folder."""
        paths = [path for path in paths if path in self.entries]
        for path in paths:
            del self.entries[path]
        if paths:
            self.save()
            if (self.out / manifest.MANIFEST).exists():
                self.write_manifest(meta, order)

    def remove_all_but(self, paths: Iterable[str], say: Callable[[str], None]) -> None:
        """Delete the recorded files not in `paths`: what the pack no longer has is not uploaded with it."""
        keep = set(paths)
        for path in sorted(set(self.entries) - keep):
            (self.out / path).unlink(missing_ok=True)
            del self.entries[path]
            say(f"removed {path} (no longer part of the pack)")

    def save(self) -> None:
        write_bytes_atomic(self.out / STATE_FILE, json.dumps(self.entries, indent=1, sort_keys=True).encode())

    def write_manifest(self, meta: PackMeta, order: Sequence[str]) -> None:
        outputs = [manifest.Output.from_json(entry) for path, entry in sorted(self.entries.items())
                   if (self.out / path).is_file()]
        write_bytes_atomic(self.out / manifest.MANIFEST, manifest.render(meta, outputs, order))


def _read(path: Path) -> dict[str, dict]:
    """The record, or an empty one when it is missing or damaged (everything is then made again).

    Only entries naming a file inside the output folder are read: the record decides what is deleted."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict) and v.get("path") == k and _inside(k)}


def _inside(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts and "\\" not in name
