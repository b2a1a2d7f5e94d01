"""Pictures: files become PNG/JPEG parts, and inline DrawingML that carries the alt text.

Word cannot show SVG without a PNG fallback, so OpenMoji SVGs are rendered to PNG with resvg at
build time, large enough to stay crisp when printed. Rendering costs more than writing most
documents and gives the same pixels for the same SVG and size, so the PNGs are kept in the per-user
cache (packgen.cache). A PNG or JPEG is stored as packgen.picture_sizes prepares it: at most as
wide as it is printed, upright, without the camera's notes.
"""

from __future__ import annotations

import hashlib
import re
import struct
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree

from packgen import cache as disk_cache
from packgen import picture_sizes
from packgen.model import Picture
from packgen.ooxml import NS, qn

from .oxml import el, mm_emu, sub

# SVGs are rasterised for the size they are shown at: about 240 dpi on paper (crisp on screen at 2x too),
# never under 128 or over 768 px, since rendering time grows with the pixel count (an easy-read
# pictogram is 28 mm: 265 px).
SVG_DPI = 240
SVG_PIXELS = (128, 768)
PICTURE_URI = "http://schemas.openxmlformats.org/drawingml/2006/picture"
DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"  # the a:ext that holds Office's adec:decorative


@dataclass(frozen=True)
class Image:
    data: bytes
    ext: str  # "png" or "jpeg"
    width: int  # pixels
    height: int

    @property
    def aspect(self) -> float:
        return self.height / self.width if self.width else 1.0


def load(path: Path, width_mm: float, pixels: int) -> Image:
    """The picture as Word can show it at `width_mm` (SVG rendered to PNG; a PNG or JPEG as prepared
    at most `pixels` wide, packgen.picture_sizes)."""
    if path.suffix.lower() != ".svg":
        prepared = picture_sizes.prepare(path, pixels)
        return Image(prepared.data, prepared.ext, prepared.width, prepared.height)
    low, high = SVG_PIXELS
    return _load(path, max(low, min(high, round(width_mm / 25.4 * SVG_DPI / 32) * 32)))


@cache
def _load(path: Path, pixels: int) -> Image:
    name = disk_cache.key("docx-svg", path.read_bytes(), pixels, _resvg_version())
    data = disk_cache.get_or_make("docx-pictures", name, lambda: _rasterise(path, pixels))
    return Image(data, "png", *_png_size(data))


def _rasterise(path: Path, pixels: int) -> bytes:
    import resvg_py

    # resvg reads every installed font on each call unless told not to, which on a desktop with
    # hundreds of fonts is slow. Only an SVG with words in it needs them.
    words = _HAS_TEXT.search(path.read_bytes()) is not None
    return bytes(resvg_py.svg_to_bytes(svg_path=str(path), width=pixels, skip_system_fonts=not words))


# a <text> element, with or without a namespace prefix (<svg:text>)
_HAS_TEXT = re.compile(rb"<(?:[\w.-]+:)?text[\s>/]")


@cache
def _resvg_version() -> bytes:
    # Read from the module, which is quick to import, rather than through importlib.metadata, which
    # is not. A release that does not say is named by its files instead (see cache.package_code).
    import resvg_py

    versions = (getattr(resvg_py, "__version__", None), getattr(resvg_py, "__resvg_version__", None))
    return repr(versions).encode() if all(versions) else disk_cache.package_code("resvg_py", "resvg_py.abi3.so")


def _png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@dataclass
class Media:
    """The pictures of one document: each distinct image stored once, named by its content."""

    parts: dict[str, bytes] = field(default_factory=dict)  # part name -> bytes
    _by_digest: dict[str, str] = field(default_factory=dict)

    def add(self, image: Image) -> str:
        """The part name (word/media/...) for this image, adding it on first use."""
        digest = hashlib.sha1(image.data).hexdigest()[:16]
        if digest not in self._by_digest:
            name = f"word/media/image{len(self._by_digest) + 1}.{image.ext}"
            self._by_digest[digest] = name
            self.parts[name] = image.data
        return self._by_digest[digest]


def inline(picture: Picture, width_mm: float, image: Image, rel_id: str, shape_id: int,
           title: str = "") -> etree._Element:
    """A w:drawing/wp:inline for a picture, its alt text in wp:docPr (what screen readers read)."""
    cx = mm_emu(width_mm)
    cy = round(cx * image.aspect)
    drawing = el("w:drawing")
    anchor = sub(drawing, "wp:inline", {"distT": "0", "distB": "0", "distL": "0", "distR": "0"})
    sub(anchor, "wp:extent", {"cx": str(cx), "cy": str(cy)})
    sub(anchor, "wp:effectExtent", {"l": "0", "t": "0", "r": "0", "b": "0"})
    doc_pr = {"id": str(shape_id), "name": f"Picture {shape_id}", "descr": picture.alt}
    if title:
        doc_pr["title"] = title
    described = sub(anchor, "wp:docPr", doc_pr)
    if not picture.alt:  # decorative on purpose (a brand's logo with alt: ""): Word's own marker says so
        ext = sub(sub(described, "a:extLst"), "a:ext", {"uri": DECORATIVE_URI})
        etree.SubElement(ext, qn("adec:decorative"), {"val": "1"}, nsmap={"adec": NS["adec"]})
    frame = sub(anchor, "wp:cNvGraphicFramePr")
    sub(frame, "a:graphicFrameLocks", {"noChangeAspect": "1"})
    data = sub(sub(anchor, "a:graphic"), "a:graphicData", {"uri": PICTURE_URI})
    pic = sub(data, "pic:pic")
    nv = sub(pic, "pic:nvPicPr")
    sub(nv, "pic:cNvPr", {"id": "0", "name": f"image{shape_id}", "descr": picture.alt})
    sub(nv, "pic:cNvPicPr")
    fill = sub(pic, "pic:blipFill")
    sub(fill, "a:blip", {"r:embed": rel_id})
    sub(sub(fill, "a:stretch"), "a:fillRect")
    sp = sub(pic, "pic:spPr")
    xfrm = sub(sp, "a:xfrm")
    sub(xfrm, "a:off", {"x": "0", "y": "0"})
    sub(xfrm, "a:ext", {"cx": str(cx), "cy": str(cy)})
    sub(sub(sp, "a:prstGeom", {"prst": "rect"}), "a:avLst")
    return drawing
