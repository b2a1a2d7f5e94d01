"""Zip entries whose bytes depend only on their name, content and the pack's date.

A zip normally records each file's modification time and the archiver's permissions, so two builds
of the same pack would differ. Every entry packgen writes (the pack's zip, an e-book) is dated with
one date (packgen.dates), given fixed permissions (rw-r--r--, created on Unix) and deflated at a
fixed level, or stored as it is.
"""

from __future__ import annotations

import datetime as dt
import zipfile

from packgen.dates import zip_date_time

FILE_MODE = 0o100644  # a regular file, rw-r--r--
CREATED_ON_UNIX = 3
COMPRESS_LEVEL = 3  # level 6 takes twice as long for a zip 7% smaller


def add(archive: zipfile.ZipFile, name: str, data: bytes, when: dt.datetime, stored: bool = False) -> None:
    """Add `data` as the entry `name`: deflated, or `stored` as it is (bytes compressed already, or an
    e-book's mimetype, which must be)."""
    info = zipfile.ZipInfo(name, date_time=zip_date_time(when))
    info.external_attr = FILE_MODE << 16
    info.create_system = CREATED_ON_UNIX
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    archive.writestr(info, data, compresslevel=COMPRESS_LEVEL)
