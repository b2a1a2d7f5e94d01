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
from collections.abc import Iterable
from pathlib import Path

from packgen.pack.dates import zip_date_time

FILE_MODE = 0o100644  # a regular file, rw-r--r--
CREATED_ON_UNIX = 3
COMPRESS_LEVEL = 3  # level 6 took twice as long (80 ms for the shipped web pages) for 7% less; 9 longer still
# Word files are zips already (deflating them again saves 0.3%) and PDF streams are compressed already
# (deflating saves 4-10%, at 12-15 ms a large PDF: most of a rebuild's zip time): both are stored.
STORED_SUFFIXES = (".docx", ".pdf", ".png")


def write_zip(out: Path, members: Iterable[str], when: dt.datetime, target: Path) -> None:
    """Zip the files at `members` (paths relative to `out`, forward slashes) into `target`, sorted."""
    stamp = zip_date_time(when)
    with zipfile.ZipFile(target, "w") as archive:
        for name in sorted(set(members)):
            method = zipfile.ZIP_STORED if name.endswith(STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = FILE_MODE << 16
            info.create_system = CREATED_ON_UNIX
            info.compress_type = method
            archive.writestr(info, (out / name).read_bytes(), compress_type=method, compresslevel=COMPRESS_LEVEL)
