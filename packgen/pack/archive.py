"""The zip of the whole pack: every document file and the combined PDFs, the same bytes every time.

A zip normally records each file's modification time and the archiver's permissions, so two builds
of the same pack differ. Here entries are sorted by name, each dated with the pack's date (see
packgen.pack.dates), given fixed permissions (rw-r--r--, created on Unix) and deflated at a fixed
level. The manifest and the download page are not inside: they list the zip and its checksum,
and no file can list its own checksum.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from packgen.pack.dates import zip_date_time

FILE_MODE = 0o100644  # a regular file, rw-r--r--
CREATED_ON_UNIX = 3
COMPRESS_LEVEL = 3  # level 6 takes twice as long for a zip 7% smaller


def make(target: Path, inputs: Mapping[str, dict], out: Path, members: Iterable[str], stored: tuple[str, ...],
         when: dt.datetime) -> dict:
    """The build's job: the zip of `members` (paths relative to `out`) at `target`."""
    write_zip(out, members, stored, when, target)
    return {}


def write_zip(out: Path, members: Iterable[str], stored: tuple[str, ...], when: dt.datetime, target: Path) -> None:
    """Zip the files at `members` (paths relative to `out`, forward slashes) into `target`, sorted.

    Files whose names end with one of `stored` are compressed already (deflating a PDF or Word file
    again saves almost nothing), so they are stored as they are."""
    stamp = zip_date_time(when)
    with zipfile.ZipFile(target, "w") as archive:
        for name in sorted(set(members)):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = FILE_MODE << 16
            info.create_system = CREATED_ON_UNIX
            info.compress_type = zipfile.ZIP_STORED if name.endswith(stored) else zipfile.ZIP_DEFLATED
            archive.writestr(info, (out / name).read_bytes(), compresslevel=COMPRESS_LEVEL)
