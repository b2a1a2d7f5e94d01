"""The zip of the whole pack: every document file and the combined files, the same bytes every time.

Entries are sorted by name and written as packgen.zips writes every entry (one date, fixed
permissions and compression). The manifest and the download page are not inside: they list the zip
and its checksum, and no file can list its own checksum.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from packgen import zips


def make(target: Path, inputs: Mapping[str, dict], out: Path, members: Iterable[str], stored: tuple[str, ...],
         when: dt.datetime) -> dict:
    """The build's job: the zip of `members` (paths relative to `out`) at `target`."""
    write_zip(out, members, stored, when, target)
    return {}


def write_zip(out: Path, members: Iterable[str], stored: tuple[str, ...], when: dt.datetime, target: Path) -> None:
    """Zip the files at `members` (paths relative to `out`, forward slashes) into `target`, sorted.

    Files whose names end with one of `stored` are compressed already (deflating a PDF or Word file
    again saves almost nothing), so they are stored as they are."""
    with zipfile.ZipFile(target, "w") as archive:
        for name in sorted(set(members)):
            zips.add(archive, name, (out / name).read_bytes(), when, stored=name.endswith(stored))
