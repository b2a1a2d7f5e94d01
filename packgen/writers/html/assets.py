"""Everything the page would otherwise fetch, turned into data: URLs so one .html file travels alone.

An HTML pack is mailed, put on USB sticks and opened offline; a page that pulls its font or
pictures from elsewhere would lose them (and would tell a third party who read it). So fonts and
pictures are embedded, a photo only as wide as the page shows it (picture_url). Pictures stay
`<img>` elements (not inline SVG): OpenMoji files all use the same element ids, which would clash
when inlined twice, and an SVG in `<img>` can never run script.
"""

from __future__ import annotations

import base64
import io
from functools import cache
from pathlib import Path

from packgen import cache as disk_cache
from packgen import picture_sizes
from packgen.errors import RenderError

# What browsers are told each file is. Only these kinds reach the writer (see packgen.pictures).
MEDIA_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".woff2": "font/woff2",
}


@cache
def data_url(path: Path) -> str:
    """The picture as a base64 data: URL. Cached: a pack draws the same pictogram on many pages."""
    media_type = MEDIA_TYPES.get(path.suffix.lower())
    if media_type is None:
        raise RenderError(f"the HTML writer cannot embed a '{path.suffix}' file", path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RenderError(f"cannot read this file to embed it in the web page: {exc.strerror}", path) from None
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def picture_url(path: Path, pixels: int) -> str:
    """A picture as a data: URL: an SVG as it is, a PNG or JPEG as packgen.picture_sizes prepares it
    for the web page (at most `pixels` wide, upright, without the camera's notes)."""
    if not picture_sizes.is_raster(path):
        return data_url(path)
    prepared = picture_sizes.prepare(path, pixels)
    return f"data:image/{prepared.ext};base64,{base64.b64encode(prepared.data).decode('ascii')}"


@cache
def woff2_url(path: Path) -> str:
    """A font file as a WOFF2 data: URL: compressed for the web, it is under half the TrueType's size,
    and every page carries two to four faces. Made once and kept in the per-user cache, named by the
    font's bytes and the versions of fontTools and of brotli (whose output may change between its
    releases), since compressing takes a good part of a second."""
    import brotli
    import fontTools

    data = path.read_bytes()
    name = disk_cache.key("woff2", data, fontTools.version, brotli.__version__)
    woff2 = disk_cache.get_or_make("html-fonts", name, lambda: _woff2(data))
    return f"data:{MEDIA_TYPES['.woff2']};base64,{base64.b64encode(woff2).decode('ascii')}"


def _woff2(data: bytes) -> bytes:
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), recalcTimestamp=False)  # else every build gives other bytes
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()
