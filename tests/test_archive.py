"""The pack's zip on a rebuild: pages that did not change are lent by the zip being replaced, not deflated again.

Whatever the old zip is like, the new one must be the very bytes a zip written from nothing would be.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from packgen.pack import archive

WHEN = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
PAGES = ["easy-read/charter.html", "standard/appendix-a.html", "standard/charter.html", "standard/pledge-form.html"]
MEMBERS = [*PAGES, "standard/charter.docx", "standard/charter.pdf", "standard/pack.pdf"]
EDITED = ["standard/charter.html", "standard/charter.pdf"]  # one paragraph edited: its page and its PDF
FIRST_LENT = "easy-read/charter.html"  # the first unchanged page in name order: deflated once all the same


def _content(name: str, edition: int, rng: random.Random) -> bytes:
    """A page like the real ones (text and an embedded font), or a PDF or Word file (already compressed)."""
    if name.endswith(".html"):
        font = base64.b64encode(rng.randbytes(12_000)).decode()
        text = " ".join(f"<p>Paragraph {i} of {name}, edition {edition}: we keep the park open.</p>"
                        for i in range(300))
        return f"<html><style>@font-face{{src:url(data:font/woff2;base64,{font})}}</style>{text}</html>".encode()
    return b"%PDF-1.7\n" + rng.randbytes(20_000) + f"\n% edition {edition}\n".encode()


def _pack(tmp_path: Path) -> Path:
    out = tmp_path / "build"
    rng = random.Random(7)
    for name in MEMBERS:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(_content(name, 1, rng))
    return out


def _edit(out: Path) -> None:
    rng = random.Random(8)
    for name in EDITED:
        (out / name).write_bytes(_content(name, 2, rng))


def _zip(out: Path, target: Path, previous: Path | None = None) -> bytes:
    archive.write_zip(out, MEMBERS, WHEN, target, previous)
    return target.read_bytes()


def _data_offset(zipped: bytes, name: str) -> int:
    """Where a member's compressed bytes start, read from its local header."""
    offset = zipfile.ZipFile(io.BytesIO(zipped)).getinfo(name).header_offset
    name_length, extra_length = struct.unpack_from("<HH", zipped, offset + 26)
    return offset + 30 + name_length + extra_length


@pytest.fixture
def rebuild(tmp_path: Path) -> tuple[Path, Path]:
    """A pack zipped once, then one paragraph edited: the build dir and the zip about to be replaced."""
    out = _pack(tmp_path)
    previous = tmp_path / "previous.zip"
    _zip(out, previous)
    _edit(out)
    return out, previous


def test_a_rebuild_that_reuses_the_old_zip_gives_the_same_bytes_as_a_fresh_zip(rebuild, tmp_path):
    out, previous = rebuild
    fresh = _zip(out, tmp_path / "fresh.zip")
    reused = _zip(out, tmp_path / "reused.zip", previous)
    assert reused == fresh
    assert reused != previous.read_bytes()  # the edits are in it
    with zipfile.ZipFile(io.BytesIO(reused)) as zipped:
        assert zipped.testzip() is None
        assert {i.filename: i.compress_type for i in zipped.infolist()} == {
            name: zipfile.ZIP_DEFLATED if name.endswith(".html") else zipfile.ZIP_STORED for name in MEMBERS}


def _deflated_names(monkeypatch, out: Path) -> list[str]:
    """Watch zlib: the members whose bytes are handed to a deflater from now on, by name."""
    names = {(out / name).read_bytes(): name for name in MEMBERS}
    seen: list[str] = []
    real = zlib.compressobj

    class Watched:
        def __init__(self, *args: object) -> None:
            self.inner = real(*args)

        def compress(self, data: bytes) -> bytes:
            seen.append(names.get(bytes(data), "?"))
            return self.inner.compress(data)

        def flush(self, *args: object) -> bytes:
            return self.inner.flush(*args)

    monkeypatch.setattr(zlib, "compressobj", Watched)
    return seen


def test_only_the_edited_page_is_deflated_again(rebuild, tmp_path, monkeypatch):
    out, previous = rebuild
    deflated = _deflated_names(monkeypatch, out)
    _zip(out, tmp_path / "fresh.zip")
    assert sorted(deflated) == sorted(PAGES)  # without the old zip, every page
    deflated.clear()
    _zip(out, tmp_path / "reused.zip", previous)
    # The zip cannot say how it was deflated, so the first page it lends is deflated once to compare.
    assert sorted(deflated) == sorted(["standard/charter.html", FIRST_LENT])


def test_an_edited_page_is_deflated_again_and_unzips_to_its_new_text(rebuild, tmp_path):
    out, previous = rebuild
    with zipfile.ZipFile(previous) as old:
        assert b"edition 1" in old.read("standard/charter.html")
    with zipfile.ZipFile(io.BytesIO(_zip(out, tmp_path / "reused.zip", previous))) as zipped:
        for name in MEMBERS:
            assert zipped.read(name) == (out / name).read_bytes(), name
        assert b"edition 2" in zipped.read("standard/charter.html")


def _flip(name: str, where: Callable[[bytes, str], int]) -> Callable[[bytes], bytes]:
    def damage(zipped: bytes) -> bytes:
        at = where(zipped, name)
        return zipped[:at] + bytes([zipped[at] ^ 0x40]) + zipped[at + 1:]
    return damage


def _middle_of_data(zipped: bytes, name: str) -> int:
    info = zipfile.ZipFile(io.BytesIO(zipped)).getinfo(name)
    return _data_offset(zipped, name) + info.compress_size // 2


def _local_crc(zipped: bytes, name: str) -> int:
    return zipfile.ZipFile(io.BytesIO(zipped)).getinfo(name).header_offset + 14


DAMAGE = {
    "missing": None,
    "empty": lambda zipped: b"",
    "random bytes": lambda zipped: random.Random(1).randbytes(len(zipped)),
    "cut in half": lambda zipped: zipped[: len(zipped) // 2],
    "central directory lost": lambda zipped: zipped[: zipped.rfind(b"PK\x01\x02")],
    # Headers intact, CRC in both still the page's, but the deflated bytes themselves altered.
    "a lent page's bytes altered": _flip("standard/pledge-form.html", _middle_of_data),
    "the first lent page's bytes altered": _flip(FIRST_LENT, _middle_of_data),
    "local header disagrees with the directory": _flip("standard/appendix-a.html", _local_crc),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_old_zip_still_gives_the_fresh_zip(rebuild, tmp_path, damage):
    out, previous = rebuild
    if damage is None:
        previous.unlink()
    else:
        previous.write_bytes(damage(previous.read_bytes()))
    assert _zip(out, tmp_path / "reused.zip", previous) == _zip(out, tmp_path / "fresh.zip")


def test_an_old_zip_made_another_way_is_not_used(rebuild, tmp_path, monkeypatch):
    """Dated otherwise, deflated at another level, or written with data descriptors: nothing is lent."""
    out, _ = rebuild
    fresh = _zip(out, tmp_path / "fresh.zip")
    deflated = _deflated_names(monkeypatch, out)

    other_date = tmp_path / "other-date.zip"
    archive.write_zip(out, MEMBERS, WHEN + dt.timedelta(days=1), other_date)

    other_level = tmp_path / "other-level.zip"
    with monkeypatch.context() as patch:
        patch.setattr(archive, "COMPRESS_LEVEL", 6)
        _zip(out, other_level)

    class Unseekable(io.BytesIO):
        def seekable(self) -> bool:
            return False

        def tell(self) -> int:
            raise OSError("unseekable")

    stream = Unseekable()
    archive.write_zip(out, MEMBERS, WHEN, stream)  # zipfile then writes each size after the data
    descriptors = tmp_path / "descriptors.zip"
    descriptors.write_bytes(stream.getvalue())
    assert zipfile.ZipFile(descriptors).getinfo(FIRST_LENT).flag_bits & 0x08

    for previous in (other_date, other_level, descriptors):
        deflated.clear()
        assert _zip(out, tmp_path / "reused.zip", previous) == fresh, previous.name
        assert sorted(deflated) == sorted(PAGES), previous.name
