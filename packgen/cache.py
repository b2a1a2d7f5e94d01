"""A per-user cache of work that depends only on file contents: prepared pictures and fonts, compiled
templates, readability figures.

Turning an SVG pictogram into PDF drawing operators or a PNG for Word, and compiling a Jinja
template, give the same result for the same bytes every time, yet cost more than writing most
documents. Like Python's own __pycache__, the results are kept outside build/ (in
$XDG_CACHE_HOME/packgen, else ~/.cache/packgen), so `make clean` still rebuilds every output while
the pictures are not prepared again. Entries are named by a digest of everything they are made from
(the input's bytes, the size asked for, the versions of packgen and of the library that made them),
so a changed input simply misses. Set PACKGEN_CACHE to another folder, or to "off" to use none.
A damaged or unreadable entry is a miss (each carries its own checksum), never an error: the cache
only ever saves time.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import packgen

OFF = ("off", "0", "no", "false")
# Entries named by what they are made from pile up as sources are edited (a parsed text, a template's
# compiled code, readability figures: a new one for each edit). Each kind keeps its newest this many.
MAX_ENTRIES = 2000


@cache
def folder() -> Path | None:
    """The cache folder (created on first use), or None when it is switched off or cannot be made."""
    chosen = os.environ.get("PACKGEN_CACHE", "")
    if chosen.lower() in OFF:
        return None
    if chosen:
        path = Path(chosen)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(base) / "packgen"
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return path


def key(*parts: object) -> str:
    """A digest naming an entry: the parts (bytes, sizes, library versions) and packgen's version."""
    digest = hashlib.sha256(packgen.__version__.encode())
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def get_or_make(kind: str, name: str, make: Callable[[], bytes]) -> bytes:
    """The cached bytes of `kind`/`name`, or make them, keep them and return them."""
    found = read(kind, name)
    if found is not None:
        return found
    data = make()
    write(kind, name, data)
    return data


def read(kind: str, name: str) -> bytes | None:
    """The bytes kept as `kind`/`name`, or None (none kept, the cache is off, or the entry is damaged)."""
    root = folder()
    if root is None:
        return None
    try:
        stored = (root / kind / name).read_bytes()
    except OSError:
        return None
    # Each entry starts with the sha256 of the rest: a truncated or altered entry is made again.
    if len(stored) >= 32 and hashlib.sha256(stored[32:]).digest() == stored[:32]:
        return stored[32:]
    return None


def has(kind: str, name: str) -> bool:
    """Whether an entry `kind`/`name` is kept (a stat, where read() checks the whole entry): enough to
    skip making one ahead of need, when the cache is on."""
    root = folder()
    return root is not None and (root / kind / name).is_file()


def write(kind: str, name: str, data: bytes) -> None:
    """Keep `data` as `kind`/`name` (nothing, where the cache is off or cannot be written)."""
    root = folder()
    if root is None:
        return
    path = root / kind / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written under a temporary name and renamed: two builds at once never read half an entry.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    except OSError:
        return  # a read-only or full disk costs time, not the build
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(hashlib.sha256(data).digest() + data)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return
    if name.startswith("00"):  # about one write in 256 (names are digests): cheap, and often enough
        prune(kind)


def prune(kind: str, keep: int | None = None) -> None:
    """Remove all but the newest `keep` (MAX_ENTRIES) entries of `kind`: a miss later costs only time."""
    keep = MAX_ENTRIES if keep is None else keep
    root = folder()
    if root is None:
        return
    try:
        entries = [(entry.stat().st_mtime_ns, entry.path) for entry in os.scandir(root / kind)
                   if entry.is_file() and not entry.name.startswith(".tmp-")]
    except OSError:
        return
    entries.sort(reverse=True)
    for _, path in entries[keep:]:
        try:
            os.unlink(path)
        except OSError:
            pass  # another build removed it first, or the folder is read-only: only space is lost


def code_version(*files: str | Path) -> bytes:
    """A digest of the source files an entry's meaning depends on, for its name: packgen's own
    modules (a library's, see package_code). A digest, not the bytes: names are made for every
    picture and text of a build, and hashing a short digest into each is quicker than hashing the
    files again."""
    return hashlib.sha256(b"\0".join(Path(file).read_bytes() for file in files)).digest()


def package_code(package: str, *names: str) -> bytes:
    """What names an installed library in an entry's name, found without importing it (importing it
    is often what the entry saves): a digest of its files `names` (default __init__.py), those that
    hold its version number or the code the entry depends on. Where one is missing (a release laid
    out otherwise), the name and size of every file in its folder instead: a new release still misses."""
    from importlib.util import find_spec

    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(package)
    folder = Path(next(iter(spec.submodule_search_locations)))
    try:
        return code_version(*(folder / name for name in names or ("__init__.py",)))
    except OSError:
        return hashlib.sha256(repr(sorted((entry.name, entry.stat().st_size) for entry in os.scandir(folder)
                                          if entry.is_file())).encode()).digest()


def jinja_bytecode(kind: str, *code: Path):
    """A Jinja bytecode cache for templates compiled by `code` (the files of the modules that set up the
    environment and generate its code) in the `kind` setting.

    Compiled templates depend on the environment's settings and code generator as well as their source
    (Jinja checks the source itself), so each set of modules and setting has a folder of its own, named
    by the modules' bytes.
    """
    import jinja2

    root = folder()
    if root is None:
        return None
    path = root / "jinja" / key(kind, jinja2.__version__, *(file.read_bytes() for file in code))[:24]
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(path))
