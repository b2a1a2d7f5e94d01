"""Writing files safely: nothing half-written is ever left in the output folder looking finished.

Each file is written under a dot-prefixed temporary name beside its final place, then renamed into
place in one step; leftovers of a killed build match one pattern and are cleared by the next.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from packgen.errors import PackgenError

TEMP_MARK = ".packgen-tmp-"


def temp_path(final: Path) -> Path:
    return final.with_name(f"{TEMP_MARK}{os.getpid()}-{final.name}")


@contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path; on success rename it to `final`, on failure remove it."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(final)
    try:
        yield tmp
        os.replace(tmp, final)
    except OSError as exc:
        if exc.filename not in (None, str(tmp)):
            raise  # about a file being read, which it names
        # A write the disk refused (full, over a quota or a size limit) names no file, or the temporary one.
        raise OSError(exc.errno, exc.strerror or str(exc), str(final)) from None
    finally:
        tmp.unlink(missing_ok=True)


def make_folder(folder: Path, why: str) -> None:
    """Make `folder` and those above it, or say in one line why not; `why` says why it must be a
    folder ("the pack's files go in a folder"). A file where a folder is wanted is named, at any level."""
    blocking = next((part for part in (folder, *folder.parents) if part.exists() and not part.is_dir()), None)
    if blocking is not None:
        raise PackgenError(f"{blocking} is a file, not a folder: {why}, so name a folder (it is made if it is not "
                           "there) or move the file away")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PackgenError(f"cannot make this folder ({exc.strerror or exc})", folder) from None


def check_places(out: Path, names: Iterable[str]) -> None:
    """Stop before anything is written when a folder stands where a file of the build goes, or a file
    where one of its folders goes: the build would fail there after replacing other files."""
    folders: set[Path] = set()
    for name in names:
        path = out / name
        if path.is_dir():
            raise PackgenError("a folder has the name of a file the build writes: move or rename the folder, "
                               "then build again", path)
        folders.update(path.relative_to(out).parents)
    for folder in sorted(folders - {Path(".")}):
        if (out / folder).exists() and not (out / folder).is_dir():
            raise PackgenError("a file has the name of a folder the build makes: move or rename the file, then "
                               "build again", out / folder)


def absent_folders(out: Path, names: Iterable[str]) -> list[Path]:
    """The folders that writing `names` in `out` makes (`out` among them), deepest first: a build that
    stops takes away those it left empty."""
    folders = {out / parent for name in names for parent in Path(name).parents}
    return sorted((folder for folder in folders if not folder.exists()), key=lambda f: len(f.parts), reverse=True)


def remove_empty(folders: Iterable[Path]) -> None:
    """Take away each of `folders` that is empty, in the order given (deepest first)."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:  # not empty (or gone already): it stays as it is
            continue


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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
