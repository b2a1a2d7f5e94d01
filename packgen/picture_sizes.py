"""Photos stored at the size they are shown, turned upright, without the camera's notes.

A phone photo is 4032 x 3024 pixels and carries where and when it was taken (EXIF, XMP); shown
half a column wide it needs a quarter of those pixels, and the place it was taken is nobody's
business. So every PNG and JPEG a document shows is prepared once per size before a writer meets it:

- its largest shown width is decided here, from the theme, for each kind of output: on paper (the
  PDF and the Word file) the widest a picture is printed (a figure's share of the text column, an
  easy-read point's picture, the logo's box) at PRINT_PPI pixels per inch; on screen (the web page)
  the widest a picture is shown in CSS pixels, at WEB_SCALE (for high-density screens);
- a wider picture is reduced to that width (its height in proportion), JPEG staying JPEG and PNG
  staying PNG; the EXIF orientation is applied, so a photo taken upright is shown upright in every
  reader (PDF and Word readers ignore EXIF); every note is left out (EXIF with GPS, XMP, comments,
  PNG text) but the ICC colour profile, which is colour, not privacy;
- a picture that needs none of this is kept byte for byte (re-encoding a JPEG loses a little each time).

Preparing is the same for the same bytes and width (fixed encoder settings, no dates written), costs
more than writing a document, and is kept in the per-user cache (packgen.cache), named by the bytes,
the width, Pillow's version and this module's code, so a rebuild after an edit encodes no photo again.
SVG stays a vector drawing: the writers draw it at any size.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packgen import cache as disk_cache
from packgen import pictures, writers
from packgen.errors import RenderError
from packgen.model import Document, Figure, PictureRow, walk
from packgen.theme import Theme

PRINT_PPI = 300
WEB_SCALE = 2
CSS_PX_PER_MM = 96 / 25.4
RASTER_SUFFIXES = (".png", ".jpg", ".jpeg")
JPEG_QUALITY = 85  # a reduced photo is encoded anew; fixed so the same photo gives the same bytes
PNG_COMPRESSION = 6  # zlib's default: level 9 takes several times longer on a large picture for ~2%
ORIENTATION = 0x0112  # the EXIF tag saying how the camera was held
TURNED = {5, 6, 7, 8}  # orientations whose upright picture is the stored one on its side
# What Pillow reads about a file that is how to decode it, not a note about the picture: kept out of
# the judgement "this file carries notes to leave out" (the ICC profile is kept when encoding anew).
DECODING = frozenset({"icc_profile", "transparency", "gamma", "srgb", "chromaticity", "dpi", "aspect", "jfif",
                      "jfif_version", "jfif_unit", "jfif_density", "adobe", "adobe_transform", "progressive",
                      "progression", "interlace", "compression"})


@dataclass(frozen=True)
class Largest:
    """The widest a picture is stored, in pixels: for the printed outputs and for the web page."""

    print: int
    web: int


def largest(theme: Theme) -> Largest:
    """The widest any picture is shown in this theme, in pixels, for paper (PRINT_PPI) and the web (WEB_SCALE)."""
    screens = [fmt for fmt in writers.formats().values() if fmt.pictures == "web"]
    printed = web = 0.0
    for name, variant in theme.variants.items():
        printed = max(printed, writers.FIGURE_WIDTH * variant.text_width(theme.page), variant.picture_width,
                      variant.logo_max_width)
        column = max((fmt.column_mm(name) for fmt in screens), default=0.0)
        web = max(web, writers.FIGURE_WIDTH * column, variant.picture_width, variant.logo_max_width)
    # rounded down, so a picture is never printed finer than PRINT_PPI (the small term: float error)
    return Largest(math.floor(printed / 25.4 * PRINT_PPI + 1e-6), math.floor(web * CSS_PX_PER_MM * WEB_SCALE + 1e-6))


def is_raster(path: Path) -> bool:
    return path.suffix.lower() in RASTER_SUFFIXES


@dataclass(frozen=True)
class Prepared:
    """A picture as a writer stores it: the bytes, "png" or "jpeg", and its size in pixels."""

    data: bytes
    ext: str
    width: int
    height: int

    @property
    def aspect(self) -> float:
        return self.height / self.width if self.width else 1.0


def prepare(path: Path, pixels: int) -> Prepared:
    """The PNG or JPEG at `path` as shown at most `pixels` wide: upright, without notes (see above)."""
    return _prepare(path, *pictures.stamp(path), pixels)


@cache
def _prepare(path: Path, _mtime_ns: int, _size: int, pixels: int) -> Prepared:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RenderError(f"cannot read this picture: {exc.strerror}", path) from None
    name = disk_cache.key("picture", data, pixels, _code())
    try:
        prepared = disk_cache.get_or_make("pictures", name, lambda: _encode(data, pixels))
    except (OSError, SyntaxError, ValueError):  # checked whole by packgen.pictures, yet its pixels are broken
        raise RenderError(f"the picture cannot be used: {pictures.damaged(_kind(path))}", path) from None
    from PIL import Image

    with Image.open(io.BytesIO(prepared)) as image:
        ext = "jpeg" if image.format in pictures.JPEG_KINDS else "png"
        return Prepared(prepared, ext, image.width, image.height)


def _kind(path: Path) -> str:
    return "PNG" if path.suffix.lower() == ".png" else "JPEG"


@cache
def _code() -> bytes:
    """What prepared bytes depend on besides the picture and width: this code and Pillow's (its version)."""
    return disk_cache.code_version(__file__) + disk_cache.package_code("PIL", "_version.py")


def _encode(data: bytes, pixels: int) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        orientation = image.getexif().get(ORIENTATION, 1)
        upright = _upright(image.size, orientation)
        size = _fit(upright, pixels)
        jpeg = image.format in pictures.JPEG_KINDS
        if size == upright and orientation == 1:
            if not jpeg:
                image.load()  # a PNG's text may follow its pixels
            if not _notes(image):
                return data
            if jpeg and image.format == "JPEG":  # only the notes go: the same pixels, no loss
                return _save(image, size, jpeg, quality="keep")
        if jpeg:  # decode at 1/2, 1/4 or 1/8 of the size where that is still at least as wide: much quicker
            image.draft(image.mode, size[::-1] if orientation in TURNED else size)
        turned = ImageOps.exif_transpose(image)
        return _save(turned, size, jpeg, icc=image.info.get("icc_profile"))


def _save(image, size: tuple[int, int], jpeg: bool, icc: bytes | None = None, **options) -> bytes:
    from PIL import Image

    icc = icc or image.info.get("icc_profile")
    if image.size != size:
        if image.mode in ("P", "1"):  # a palette or black and white cannot be smoothed: its colours can
            image = image.convert("RGBA" if "transparency" in image.info else ("RGB" if image.mode == "P" else "L"))
        image = image.resize(size, Image.Resampling.LANCZOS)
    keep = {"transparency": image.info["transparency"]} if "transparency" in image.info else {}
    image.info = {}  # Pillow writes some notes it read (a JPEG's comment) unless they are gone
    out = io.BytesIO()
    if jpeg:
        image.save(out, "JPEG", **({"quality": JPEG_QUALITY, "optimize": True} | options), icc_profile=icc)
    else:
        image.save(out, "PNG", compress_level=PNG_COMPRESSION, icc_profile=icc, **keep)
    return out.getvalue()


def _notes(image) -> bool:
    """Whether the file says more than its pixels and colours: EXIF, XMP, a comment, PNG text..."""
    if set(image.info) - DECODING:
        return True
    markers = [marker for marker, _ in getattr(image, "applist", [])]
    return any(marker not in ("APP0", "APP2", "APP14") for marker in markers)


def _upright(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    return (size[1], size[0]) if orientation in TURNED else size


def _fit(size: tuple[int, int], pixels: int) -> tuple[int, int]:
    """`size` made at most `pixels` wide, keeping its shape."""
    width, height = size
    if width <= pixels:
        return size
    return pixels, max(1, round(height * pixels / width))


def _taken(path: Path) -> tuple[int, int]:
    """The picture's size upright, read from its header."""
    from PIL import Image

    with Image.open(path) as image:
        return _upright(image.size, image.getexif().get(ORIENTATION, 1))


def reductions(documents: Iterable[Document], theme: Theme, formats: Iterable[str]) -> list[str]:
    """One line for each PNG or JPEG these documents show that is stored smaller than it was taken,
    saying from what to what, for the formats being written: what a build tells its user."""
    shown = _shown(documents)
    if not shown:  # the usual pack: pictograms only
        return []
    sizes, kinds = largest(theme), {writers.get(name).pictures for name in formats}
    targets = []
    if "print" in kinds:
        targets.append((sizes.print, f"for print ({PRINT_PPI} ppi)"))
    if "web" in kinds:
        targets.append((sizes.web, "for the web"))
    lines = []
    for path in shown:
        taken = _taken(path)
        reduced = [(_fit(taken, pixels), words) for pixels, words in targets if _fit(taken, pixels) != taken]
        if reduced:
            sizes_words = " and ".join(f"{w} x {h} {words}" for (w, h), words in reduced)
            lines.append(f"{path.parent.name}/{path.name}: {taken[0]} x {taken[1]} reduced to {sizes_words}")
    return lines


def _shown(documents: Iterable[Document]) -> list[Path]:
    """The PNG and JPEG files the documents show (figures, easy-read points, logos), each once, in order."""
    found: dict[Path, None] = {}
    for document in documents:
        if document.logo is not None and is_raster(document.logo.path):
            found[document.logo.path] = None
        for block in walk(document.blocks):
            if isinstance(block, Figure | PictureRow) and is_raster(block.picture.path):
                found[block.picture.path] = None
    return list(found)
