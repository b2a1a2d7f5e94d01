"""A comms officer drops a phone photo or a big scan into sources/pictures: the pack stores it at the
size it is shown, turned the right way up and without the phone's notes (where it was taken), and a
picture that cannot be used is named with what is wrong in words."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from conftest import run_packgen

POINT = "- ![Two people shaking hands](handshake) We wrote this with you.\n"
EXCEPTION_NAME = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Error|Exception|Warning)\b")


def with_own_picture(mini_pack, name: str, data: bytes, document: str = "appendix-a") -> tuple[Path, Path]:
    """The mini pack with `data` saved as sources/pictures/`name`, shown as a figure in `document`."""
    sources, templates = mini_pack
    (sources / "pictures").mkdir(exist_ok=True)
    (sources / "pictures" / name).write_bytes(data)
    path = sources / f"{document}.md"
    text = path.read_text("utf-8")
    assert POINT in text
    path.write_text(text.replace(POINT, f"![Our picture]({name})\n\n{POINT}", 1), "utf-8")
    return sources, templates


def build_cli(sources: Path, templates: Path, out: Path, *args: str):
    return run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out), *args)


def huge_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (12000, 9000)).save(buffer, "PNG")  # 108 million pixels in a few kilobytes
    return buffer.getvalue()


def cut_short_png() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((64, 64), 40).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()[:-200]


@pytest.mark.parametrize("name, data, words", [
    ("scan.png", huge_png(), "it is too large to read safely (12000 x 9000 pixels; at most 80 million pixels"),
    ("notes.jpg", b"Minutes of the meeting on 3 May\n", "it is not a picture: its contents are not JPEG"),
    ("torn.png", cut_short_png(), "it is damaged: its PNG data is broken or cut short"),
])
def test_a_picture_that_cannot_be_used_is_named_in_words(mini_pack, tmp_path, name, data, words):
    sources, templates = with_own_picture(mini_pack, name, data)
    out = tmp_path / "build"
    result = build_cli(sources, templates, out)

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"packgen: error: {sources / 'appendix-a.md'}:")
    assert f"the picture '{name}' cannot be used: {words}" in lines[0]
    assert not EXCEPTION_NAME.search(lines[0]), lines[0]
    assert not any(p.suffix in (".pdf", ".docx", ".html") for p in out.rglob("*"))
