"""Markdown parsed before, kept in the per-user cache (packgen.cache) with the picture files it named.

A rebuild after one edit meets the same texts again, and parsing is most of composing a pack. The
blocks of a text that parsed cleanly are kept with the file each picture name led to, its time and
its size; they are used again only while every name still leads to the same, unchanged file, so a
picture added, replaced or removed is noticed. Errors are never kept: a text with one is parsed,
and reported, every time. `where` and `first_line` only name an error's place, so they are not part
of an entry's name.
"""

from __future__ import annotations

import pickle
from functools import cache
from pathlib import Path

from packgen import cache as disk_cache
from packgen import markdown, pictures
from packgen.model import Block

KIND = "markdown"


def parse(text: str, pictures_dir: Path, where: Path | str = "<markdown>", first_line: int = 1) -> \
        tuple[Block, ...]:
    """markdown.parse with pictures from `pictures_dir` (pictures.resolve), taken from the cache when kept."""
    name = disk_cache.key(KIND, text, _code_version())
    kept = _kept(name, pictures_dir)
    if kept is not None:
        return kept
    found: dict[str, Path] = {}

    def resolve(src: str) -> Path | None:
        path = pictures.resolve(src, pictures_dir)
        if path is not None:
            found[src] = path
        return path

    blocks = markdown.parse(text, resolve, where, first_line)
    files = [(src, path, *pictures.stamp(path)) for src, path in found.items()]
    disk_cache.write(KIND, name, pickle.dumps((files, blocks), protocol=pickle.HIGHEST_PROTOCOL))
    return blocks


def _kept(name: str, pictures_dir: Path) -> tuple[Block, ...] | None:
    """The kept blocks named `name`, if each picture name still leads to the same, unchanged file
    (which was checked when the entry was made)."""
    data = disk_cache.read(KIND, name)
    if data is None:
        return None
    try:
        files, blocks = pickle.loads(data)  # our own entry, checked against its checksum by disk_cache
        for src, path, mtime_ns, size in files:
            if pictures.find(src, pictures_dir) != path or pictures.stamp(path) != (mtime_ns, size):
                return None
    except Exception:  # noqa: BLE001 - an entry from another packgen, or a picture gone: parse afresh
        return None
    return blocks


@cache
def _code_version() -> bytes:
    """What kept blocks mean besides their text: the parser's code, the model's classes (they are
    pickled), how names lead to pictures, and markdown-it's version."""
    from packgen import ids, model

    return (disk_cache.code_version(__file__, markdown.__file__, model.__file__, ids.__file__, pictures.__file__)
            + disk_cache.package_code("markdown_it") + disk_cache.package_code("mdit_py_plugins"))
