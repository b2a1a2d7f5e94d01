"""A small picture of each document's first page, for the download page.

People choosing between many files would rather look than read: the first page shows at a glance
which is the easy-read version. Rendering is the slow part of the pack's own files, so it is done at
a small scale and only when the PDF changed (see packgen.pack.plan). PNG bytes depend only on the
pixels: Pillow writes no time or text chunks unless asked, so the same PDF always gives the same file.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

from packgen.errors import RenderError

# Pixels across: twice the width the page shows it at (8rem = 128 CSS px), so it stays sharp on
# high-density screens, and small enough that fourteen of them weigh less than one PDF.
WIDTH_PX = 256
COLOURS = 64


def first_page_png(pdf: Path, width: int = WIDTH_PX) -> tuple[bytes, tuple[int, int]]:
    """The PDF's first page as PNG bytes, `width` pixels across; and its (width, height) in pixels."""
    # Imported here, by the worker that renders: the build plans thumbnails without them.
    import PIL.Image
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(pdf))
    except pypdfium2.PdfiumError as exc:
        raise RenderError(f"cannot read this PDF to make its thumbnail: {exc}", pdf) from None
    try:
        page = document[0]
        try:
            scale = width / page.get_width()
            bitmap = page.render(scale=scale)
            # 64 colours: a third of the bytes of full colour and no visible loss at this size. Fast octree
            # picks them in a third of the time of the default (median cut), for a slightly smaller file.
            image = bitmap.to_pil().convert("RGB").quantize(COLOURS, method=PIL.Image.Quantize.FASTOCTREE)
        finally:
            page.close()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue(), image.size


def make(target: Path, inputs: Mapping[str, dict], pdf: Path) -> dict:
    """The build's job: the PDF's first page as a PNG at `target`; the record keeps its size in pixels."""
    png, (width, height) = first_page_png(pdf)
    target.write_bytes(png)
    return {"width": width, "height": height}
