"""The zip of the whole pack: every document file and the combined PDFs, the same bytes every time.

A zip normally records each file's modification time and the archiver's permissions, so two builds
of the same pack differ. Here entries are sorted by name, each dated with the pack's date (see
packgen.pack.dates), given fixed permissions (rw-r--r--, created on Unix) and deflated at a fixed
level. The manifest and the download page are not inside: they list the zip and its checksum,
and no file can list its own checksum.

Deflating the web pages (they carry their fonts) is nearly all of the zip's time, 40-50 ms, though a
rebuild after a small edit changes only a few files; so the zip being replaced lends the deflated bytes
of every page that has not changed. What is lent is checked first (see `_Previous`), and the zip comes
out the same bytes as one written from nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from packgen.pack.dates import zip_date_time
from packgen.pack.outputs import write_timed

FILE_MODE = 0o100644  # a regular file, rw-r--r--
CREATED_ON_UNIX = 3
COMPRESS_LEVEL = 3  # level 6 took twice as long (80 ms for the shipped web pages) for 7% less; 9 longer still
# Word files are zips already (deflating them again saves 0.3%) and PDF streams are compressed already
# (deflating saves 4-10%, at 12-15 ms a large PDF: most of a rebuild's zip time): both are stored.
STORED_SUFFIXES = (".docx", ".pdf", ".png")


def write_pack_zip(out: Path, members: Iterable[str], when: dt.datetime, target: Path) -> float:
    """write_zip into `target` atomically, lending from the zip it replaces (a worker lane's task);
    return the seconds it took."""
    previous = target if target.is_file() else None  # still in place until the new zip is renamed over it
    return write_timed(target, lambda tmp: write_zip(out, members, when, tmp, previous))[1]


def write_zip(out: Path, members: Iterable[str], when: dt.datetime, target: Path,
              previous: Path | None = None) -> None:
    """Zip the files at `members` (paths relative to `out`, forward slashes) into `target`, sorted.

    `previous` is the zip `target` will replace: its members that are still the same need not be
    deflated again. It only saves time; whatever state it is in, `target` gets the same bytes.
    """
    stamp = zip_date_time(when)
    with _Previous(previous) as old, zipfile.ZipFile(target, "w") as archive:
        for name in sorted(set(members)):
            info = _info(name, stamp)
            data = (out / name).read_bytes()
            # Stored members are left to zipfile: for them there is no deflating to save.
            compressed = old.deflated(info, data) if info.compress_type == zipfile.ZIP_DEFLATED else None
            if compressed is None:
                archive.writestr(info, data, compress_type=info.compress_type, compresslevel=COMPRESS_LEVEL)
            else:
                _add_compressed(archive, info, compressed)


def _info(name: str, stamp: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.external_attr = FILE_MODE << 16
    info.create_system = CREATED_ON_UNIX
    info.compress_type = zipfile.ZIP_STORED if name.endswith(STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
    return info


def _deflate(data: bytes) -> bytes:
    """`data` deflated exactly as zipfile's writestr deflates it at COMPRESS_LEVEL (one call, then flush)."""
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _add_compressed(archive: zipfile.ZipFile, info: zipfile.ZipInfo, compressed: bytes) -> None:
    """Add a member from bytes already deflated, writing what `writestr` would have written for it.

    zipfile has no public way to do this, so here is what writestr does on a seekable file in CPython
    3.11 (ZipFile._open_to_write, then _ZipWriteFile.close), with the final CRC and sizes known at once:
    the local header at `start_dir` (complete, so no data descriptor), the data, and the entry kept for
    the central directory that closing the archive writes. `info` must carry the CRC and both sizes.
    tests/test_archive.py checks the result against writestr's, byte for byte.
    """
    archive.fp.seek(archive.start_dir)
    info.header_offset = archive.start_dir
    archive.fp.write(info.FileHeader(zip64=False))
    archive.fp.write(compressed)
    archive.start_dir = archive.fp.tell()
    archive.filelist.append(info)
    archive.NameToInfo[info.filename] = info


def _recorded(info: zipfile.ZipInfo, flag_bits: int) -> tuple:
    """What the central directory says of an entry, bar where its local header is."""
    return (info.orig_filename, flag_bits, info.compress_type, info.date_time, info.CRC, info.compress_size,
            info.file_size, info.create_system, info.create_version, info.extract_version, info.reserved,
            info.volume, info.internal_attr, info.external_attr, info.extra, info.comment)


class _Previous:
    """The zip being replaced, lending deflated bytes only where they are provably what we would write.

    A member is lent only when its central directory entry is field for field the one we would write
    now for the current file (name, method, flags, date, attributes, CRC-32 and size of the current
    bytes, no extra field, no data descriptor, no encryption, no zip64), its local header is byte for
    byte the header we would write with that entry's compressed size, and its bytes inflate to exactly
    the current file (about a quarter of the cost of deflating; it catches bytes damaged behind intact
    headers). The first member that passes is deflated afresh all the same and compared with the old
    bytes: the zip cannot record how it was deflated, and this shows the old zip was deflated with our
    level and zlib. If not (a different COMPRESS_LEVEL or zlib made it), nothing of it is used.

    Left over: a zip whose members were deflated differently one from another, yet matching our headers
    exactly, could lend bytes that inflate correctly but differ from fresh ones. Only another tool
    imitating this one could make such a zip; the content would still be right.

    Anything else odd (no file, not a zip, truncated, unreadable) means writing afresh, never an error.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, zipfile.ZipInfo] = {}
        self.file: BinaryIO | None = None
        self.size = 0
        self.proven = False  # the old zip was shown to be deflated the way we deflate

    def __enter__(self) -> _Previous:
        if self.path is None:
            return self
        try:
            with zipfile.ZipFile(self.path) as old:
                infos = old.infolist()
            self.file = open(self.path, "rb")  # closed by __exit__
            self.size = os.fstat(self.file.fileno()).st_size
        except Exception:  # only a shortcut: whatever is wrong with the old zip, write afresh
            self.close()
            return self
        counts = Counter(info.filename for info in infos)
        self.entries = {info.filename: info for info in infos if counts[info.filename] == 1}  # no duplicates
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
        self.file = None
        self.entries = {}

    def deflated(self, info: zipfile.ZipInfo, data: bytes) -> bytes | None:
        """`data` deflated as `writestr` would, when the old zip holds it; then `info` has the CRC and sizes."""
        old = self.entries.get(info.filename)
        if old is None or len(data) * 1.05 > zipfile.ZIP64_LIMIT:  # zipfile's test for a zip64 header
            return None
        info.CRC, info.file_size, info.compress_size = zlib.crc32(data), len(data), old.compress_size
        header = info.FileHeader(zip64=False)
        (flag_bits,) = struct.unpack_from("<H", header, 6)  # with the UTF-8 name flag zipfile would add
        if _recorded(old, old.flag_bits) != _recorded(info, flag_bits):
            return None
        try:
            compressed = self._read(old.header_offset, header, old.compress_size)
            if compressed is None:
                return None
            if not self.proven:
                fresh = _deflate(data)
                self.proven = fresh == compressed
                if not self.proven:
                    self.close()
                info.compress_size = len(fresh)
                return fresh
            return compressed if _inflates_to(compressed, data) else None
        except (OSError, zlib.error):
            return None

    def _read(self, offset: int, header: bytes, size: int) -> bytes | None:
        """The `size` bytes after `header` at `offset`, when the old zip has that very header there."""
        if self.file is None or offset < 0 or offset + len(header) + size > self.size:
            return None
        self.file.seek(offset)
        if self.file.read(len(header)) != header:
            return None
        compressed = self.file.read(size)
        return compressed if len(compressed) == size else None


def _inflates_to(compressed: bytes, data: bytes) -> bool:
    inflater = zlib.decompressobj(-15)
    return (inflater.decompress(compressed, len(data) + 1) == data and inflater.eof
            and not inflater.unused_data)
