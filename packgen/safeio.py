"""Reading files we did not make without trusting them: bounded zip members and XML without entities.

`packgen check` and `packgen register` read whatever is in a folder, so a zip bomb dressed as a .docx
or an XML part with entity tricks must cost one finding or one row, not the machine.
"""

from __future__ import annotations

import zipfile

from lxml import etree

MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one XML part; real documents are far smaller
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # uncompressed/compressed; text XML compresses ~10-30x


class UnsafeFile(Exception):
    """The file is not what it claims to be, or would cost too much to read."""


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True,
                          load_dtd=False)


def parse_xml(data: bytes) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise UnsafeFile(f"broken XML ({exc})") from exc


class SafeZip:
    """A zip whose members are read with a size cap that does not trust the sizes the zip declares."""

    def __init__(self, path: str) -> None:
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise UnsafeFile(f"not a valid zip package ({exc})") from exc
        self.names = set(self.zip.namelist())
        self._read = 0
        total = 0
        for info in self.zip.infolist():
            total += info.file_size
            if info.compress_size and info.file_size > 1024 * 1024 and info.file_size / info.compress_size > MAX_RATIO:
                raise UnsafeFile(f"the part {info.filename} is compressed suspiciously well (a zip bomb?)")
        if total > MAX_TOTAL_BYTES * 4:
            raise UnsafeFile("the package would unpack to more than 1 GB")

    def read(self, name: str, limit: int = MAX_MEMBER_BYTES) -> bytes | None:
        if name not in self.names:
            return None
        try:
            with self.zip.open(name) as fh:
                data = fh.read(limit + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise UnsafeFile(f"the part {name} cannot be read ({exc})") from exc  # RuntimeError: a password
        if len(data) > limit:
            raise UnsafeFile(f"the part {name} is larger than {limit // (1024 * 1024)} MB")
        self._read += len(data)
        if self._read > MAX_TOTAL_BYTES:
            raise UnsafeFile("the package unpacks to too much data")
        return data

    def xml(self, name: str) -> etree._Element | None:
        data = self.read(name)
        return None if data is None else parse_xml(data)

    def close(self) -> None:
        self.zip.close()
