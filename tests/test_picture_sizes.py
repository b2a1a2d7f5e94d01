"""A comms officer drops a phone photo or a big scan into sources/pictures: the pack stores it at the
size it is shown, turned the right way up and without the phone's notes (where it was taken), and a
picture that cannot be used is named with what is wrong in words."""

from __future__ import annotations

import io
import re
import struct
import zlib
from functools import cache
from pathlib import Path

import pytest
from PIL import Image

from conftest import run_packgen

POINT = "- ![Two people shaking hands](handshake) We wrote this with you.\n"
WORDS = "with the people it serves.\n"
EXCEPTION_NAME = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Error|Exception|Warning)\b")


def with_own_picture(mini_pack, name: str, data: bytes, document: str = "appendix-a") -> tuple[Path, Path]:
    """The mini pack with `data` saved as sources/pictures/`name`, shown as a figure in `document`."""
    sources, templates = mini_pack
    (sources / "pictures").mkdir(exist_ok=True)
    (sources / "pictures" / name).write_bytes(data)
    path = sources / f"{document}.md"
    text = path.read_text("utf-8")
    assert WORDS in text
    path.write_text(text.replace(WORDS, f"{WORDS}\n![Our picture]({name})\n", 1), "utf-8")
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


def far_too_large_png() -> bytes:
    """A PNG whose header says 20000 x 20000 pixels (400 million): more than Pillow itself opens."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def cut_short_jpeg() -> bytes:
    """A photo whose second half is missing, as from a download that stopped: its header is whole."""
    buffer = io.BytesIO()
    Image.effect_noise((640, 480), 40).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()[:len(buffer.getvalue()) // 2]


@pytest.mark.parametrize("name, data, words", [
    ("scan.png", huge_png(), "it is too large to read safely (12000 x 9000 pixels; at most 80 million pixels"),
    ("poster.png", far_too_large_png(), "it is too large to read safely (at most 80 million pixels"),
    ("half.jpg", cut_short_jpeg(), "it is damaged: its JPEG data is broken or cut short"),
    ("notes.jpg", b"Minutes of the meeting on 3 May\n", "it is not a picture: its contents are not JPEG"),
    ("torn.png", cut_short_png(), "it is damaged: its PNG data is broken or cut short"),
], ids=["huge", "far-too-large", "cut-short-jpeg", "not-a-jpeg", "cut-short-png"])
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



def a_gif(pictures: Path) -> None:
    (pictures / "logo.gif").write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")


def a_folder(pictures: Path) -> None:
    (pictures / "logo.png").mkdir()


def a_link_outside(pictures: Path) -> None:
    secret = pictures.parent.parent / "elsewhere.png"
    secret.write_bytes(cut_short_png())
    (pictures / "logo.png").symlink_to(secret)


def no_ending(pictures: Path) -> None:
    (pictures / "logo").write_bytes(cut_short_png())


@pytest.mark.parametrize("name, make, words", [
    ("logo.gif", a_gif, "packgen draws PNG, JPEG and SVG pictures, not GIF: save it as PNG"),
    ("logo.png", a_folder, "pictures/logo.png is a folder, not a picture file"),
    ("logo.png", a_link_outside, "it is outside the pictures folder (through a link, or a name with '..')"),
    ("logo", no_ending, "pictures/logo has no picture ending: give the file its ending (.png, .jpg, .jpeg or .svg)"),
    ("../appendix-a.md", lambda _pictures: None, "it is outside the pictures folder"),
])
def test_a_name_leading_to_no_usable_picture_says_what_is_there_not_that_it_is_missing(mini_pack, tmp_path, name,
                                                                                         make, words):
    sources, templates = with_own_picture(mini_pack, "unused.png", cut_short_png())
    make(sources / "pictures")
    appendix = sources / "appendix-a.md"
    appendix.write_text(appendix.read_text("utf-8").replace("(unused.png)", f"({name})"), "utf-8")
    result = build_cli(sources, templates, tmp_path / "build")

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"packgen: error: {appendix}:")
    assert f"the picture '{name}' cannot be used: {words}" in lines[0]
    assert "was not found" not in lines[0]


# A phone photo as taken: stored on its side (landscape, 4032 x 3024) with EXIF orientation 6 (turn
# it a quarter clockwise to see it), the phone's make and where it was taken; red along its stored
# top, which is the right-hand edge once it is upright. And a big PNG scan with a text note.
PHONE = "Pixelphone 9 Pro"
ORIENTATION, MAKE, GPS_IFD = 0x0112, 0x010F, 0x8825


@cache
def srgb_profile() -> bytes:
    """A colour profile (made once: it carries the time it was made)."""
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def phone_photo() -> bytes:
    from PIL import ImageDraw

    image = Image.new("RGB", (4032, 3024), (20, 60, 200))
    ImageDraw.Draw(image).rectangle((0, 0, 4031, 500), fill=(220, 20, 20))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = PHONE
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 28.0, 51.6), 3: "W", 4: (1.0, 53.0, 26.4)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif, icc_profile=srgb_profile())
    return buffer.getvalue()


def big_scan() -> bytes:
    from PIL import ImageDraw, PngImagePlugin

    image = Image.new("RGB", (2400, 1600), (250, 250, 250))
    ImageDraw.Draw(image).ellipse((300, 300, 2100, 1300), fill=(30, 120, 60))
    notes = PngImagePlugin.PngInfo()
    notes.add_text("Comment", f"Scanned at 14 Elm Road by {PHONE}")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=notes, icc_profile=srgb_profile())
    return buffer.getvalue()


@pytest.fixture
def photo_pack(mini_pack):
    """The mini pack's charter with the phone photo as a figure and the scan as an easy-read point."""
    sources, templates = mini_pack
    (sources / "pictures").mkdir()
    (sources / "pictures" / "team.jpg").write_bytes(phone_photo())
    (sources / "pictures" / "building.png").write_bytes(big_scan())
    charter = sources / "charter.md"
    text = charter.read_text("utf-8")
    text = text.replace(WORDS, f"{WORDS}\n![Our team at the summer event](team.jpg)\n", 1)
    text = text.replace(POINT, "- ![A drawing of our building](building.png) Come and see us.\n", 1)
    charter.write_text(text, "utf-8")
    return sources, templates


def looks_upright(image: Image.Image) -> bool:
    """Portrait, with the photo's red edge on the right: the way the phone was held."""
    rgb = image.convert("RGB")
    width, height = rgb.size
    right, left = rgb.getpixel((width - 3, height // 2)), rgb.getpixel((2, height // 2))
    return height > width and right[0] > 150 > right[2] and left[2] > 150 > left[0]


def without_notes(data: bytes) -> bool:
    """No EXIF (so no GPS), no XMP, no comment or text, and not one word of the phone's notes."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        notes = set(image.info) - {"icc_profile", "jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}
        return (not image.getexif() and not notes and PHONE.encode() not in data and b"Elm Road" not in data
                and image.info.get("icc_profile") == srgb_profile())


def test_an_e_book_alone_says_its_photos_are_stored_for_the_web(photo_pack, tmp_path):
    """The e-book carries the web page's pictures: building only it still says what was made smaller."""
    sources, templates = photo_pack
    result = build_cli(sources, templates, tmp_path / "build", "--document", "charter", "--format", "epub",
                       "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "pictures/team.jpg: 3024 x 4032 reduced to 736 x 981 for the web" in result.stdout.splitlines()


def test_a_phone_photo_is_stored_at_the_size_it_is_shown_upright_and_without_its_notes(photo_pack, tmp_path):
    import base64
    import zipfile

    import pikepdf
    from lxml import html

    sources, templates = photo_pack
    out = tmp_path / "build"
    result = build_cli(sources, templates, out, "--document", "charter", "--jobs", "1")
    assert result.returncode == 0, result.stderr

    # what the comms officer reads: a line per picture, from what to what
    assert ("pictures/team.jpg: 3024 x 4032 reduced to 980 x 1307 for print (300 ppi) and 736 x 981 for the web"
            in result.stdout.splitlines())
    assert ("pictures/building.png: 2400 x 1600 reduced to 980 x 653 for print (300 ppi) and 736 x 491 for the web"
            in result.stdout.splitlines())

    # the PDF: the photo a JPEG image 980 pixels wide, shown 83 mm wide (half the text column): 300 ppi
    pdf_path = out / "standard" / "charter.pdf"
    with pikepdf.open(pdf_path) as pdf:
        images = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
                  and obj.get("/Width") == 980]
        assert len(images) == 1 and [str(f) for f in pikepdf.Array(images[0].Filter)] == ["/DCTDecode"]
        photo = images[0].read_raw_bytes()
    assert without_notes(photo)
    with Image.open(io.BytesIO(photo)) as image:
        assert image.format == "JPEG" and image.size == (980, 1307) and looks_upright(image)
    assert pdf_path.stat().st_size < 500_000
    with pikepdf.open(out / "easy-read" / "charter.pdf") as pdf:
        sizes = {(int(o.Width), int(o.Height)) for o in pdf.objects
                 if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"}
    assert (980, 653) in sizes and (4032, 3024) not in sizes and (2400, 1600) not in sizes

    # the Word file: its media parts, as Word (and python-docx) read them
    with zipfile.ZipFile(out / "standard" / "charter.docx") as docx:
        media = {name: docx.read(name) for name in docx.namelist() if name.startswith("word/media/")}
    jpegs = [data for name, data in media.items() if name.endswith(".jpeg")]
    assert len(jpegs) == 1 and without_notes(jpegs[0])
    with Image.open(io.BytesIO(jpegs[0])) as image:
        assert image.size == (980, 1307) and looks_upright(image)
    with zipfile.ZipFile(out / "easy-read" / "charter.docx") as docx:
        pngs = [docx.read(n) for n in docx.namelist() if n.startswith("word/media/") and n.endswith(".png")]
    scans = [Image.open(io.BytesIO(data)) for data in pngs]
    assert [(im.format, im.size) for im in scans if im.size[0] == 980] == [("PNG", (980, 653))]
    assert all(without_notes(data) for data, im in zip(pngs, scans, strict=True) if im.size[0] == 980)

    # the web page: the picture the browser is given
    page = html.fromstring((out / "standard" / "charter.html").read_bytes())
    src = next(img.get("src") for img in page.iter("img") if img.get("alt") == "Our team at the summer event")
    assert src.startswith("data:image/jpeg;base64,")
    shown = base64.b64decode(src.split(",", 1)[1])
    assert without_notes(shown)
    with Image.open(io.BytesIO(shown)) as image:
        assert image.size == (736, 981) and looks_upright(image)
    assert (out / "standard" / "charter.html").stat().st_size < 1_000_000


def test_the_same_photo_gives_the_same_files_with_or_without_the_cache(photo_pack, tmp_path):
    sources, templates = photo_pack
    first, second = tmp_path / "first", tmp_path / "second"
    assert build_cli(sources, templates, first, "--document", "charter").returncode == 0
    done = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(second),
                       "--document", "charter", env={"PACKGEN_CACHE": "off"})
    assert done.returncode == 0, done.stderr
    made = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file() and p.name != ".packgen-state.json")
    assert made and all((first / p).read_bytes() == (second / p).read_bytes() for p in made)


def test_a_picture_already_the_size_it_is_shown_is_kept_as_it_is(mini_pack, tmp_path):
    # re-encoding a JPEG loses a little every time: one that needs no change is stored byte for byte
    photo = (Path(__file__).parent / "fixtures" / "pictures" / "own-photo.jpg").read_bytes()
    sources, templates = with_own_picture(mini_pack, "small.jpg", photo, "charter")
    out = tmp_path / "build"
    result = build_cli(sources, templates, out, "--document", "charter", "--variant", "standard")
    assert result.returncode == 0, result.stderr
    assert "reduced" not in result.stdout

    import zipfile

    with zipfile.ZipFile(out / "standard" / "charter.docx") as docx:
        assert [docx.read(n) for n in docx.namelist() if n.startswith("word/media/")] == [photo]


def test_a_rebuild_after_one_edit_encodes_no_photo_again(photo_pack, tmp_path, monkeypatch):
    from packgen import cache as disk_cache
    from packgen import picture_sizes
    from packgen.pack.build import BuildOptions, build

    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setattr(disk_cache, "folder", lambda: folder)
    encoded: list[int] = []
    encode = picture_sizes._encode
    monkeypatch.setattr(picture_sizes, "_encode", lambda data, pixels: encoded.append(pixels) or encode(data, pixels))
    sources, templates = photo_pack
    options = BuildOptions(sources=sources, templates=templates, out=tmp_path / "build", documents=("charter",),
                           jobs=1)
    build(options)
    assert sorted(encoded) == [736, 736, 980, 980]  # each picture once for print and once for the web

    encoded.clear()
    picture_sizes._prepare.cache_clear()  # as a new `packgen build` process starts
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace("with the people it serves", "with everyone it serves"),
                       "utf-8")
    report = build(options)
    assert report.built and encoded == []
