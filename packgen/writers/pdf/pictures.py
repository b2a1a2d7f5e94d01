"""Pictures: OpenMoji SVGs as vector drawings (svglib), PNG and JPEG as images.

An SVG is parsed once per process and drawn once per PDF into a form XObject, so a pictogram used
on fifty pages costs one parse and one copy of its paths; its operators are worked out once per
process and replayed into later PDFs when they name no per-file resource. Raster images are de-duplicated by
ReportLab itself.
"""

from __future__ import annotations

import re
import zlib
from functools import cache
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import STATE_DEFAULTS


@cache
def _drawing(path: Path):
    from svglib.svglib import svg2rlg

    drawing = svg2rlg(str(path))
    if drawing is None:
        raise ValueError(f"cannot read the SVG picture {path}")
    return drawing


@cache
def _image_size(path: Path) -> tuple[float, float]:
    from reportlab.lib.utils import ImageReader

    return ImageReader(str(path)).getSize()


def aspect(path: Path) -> float:
    """Height / width of the picture, to keep its shape at any width."""
    if path.suffix.lower() == ".svg":
        d = _drawing(path)
        return float(d.height) / float(d.width) if d.width else 1.0
    w, h = _image_size(path)
    return h / w if w else 1.0


# The drawing operators of each pictogram, kept after its first PDF: turning svglib's drawing into
# operators was a fifth of the PDF writer's time, and the operators are the same in every file.
_operators: dict[Path, list[str]] = {}
# Operators naming a resource (a font, graphics state, image or pattern) belong to one file only.
_RESOURCE_USE = re.compile(r"(?:^|\s)/\S+\s+(?:[\d.]+\s+)?(?:Tf|gs|Do|scn|SCN|sh)(?:\s|$)")


def _self_contained(code: list[str]) -> bool:
    return not any(_RESOURCE_USE.search(str(line)) for line in code)


def draw(canv, path: Path, x: float, y: float, width: float, height: float) -> None:
    """Draw the picture with its lower-left corner at (x, y), scaled to width x height."""
    if path.suffix.lower() != ".svg":
        canv.drawImage(str(path), x, y, width, height, mask="auto")
        return
    d = _drawing(path)
    name = f"pic-{path.stem}-{zlib.crc32(str(path).encode()):08x}"
    forms = canv.__dict__.setdefault("_packgen_forms", set())
    if name not in forms:
        forms.add(name)
        canv.beginForm(name, 0, 0, d.width, d.height)
        operators = _operators.get(path)
        if operators is not None:
            canv._code.extend(operators)
        else:
            # renderPDF starts every drawing in Helvetica (STATE_DEFAULTS), which would put a font we
            # do not embed into the file; start it in the canvas's own (embedded) font instead.
            saved = STATE_DEFAULTS["fontName"]
            STATE_DEFAULTS["fontName"] = canv._initialFontName
            try:
                renderPDF.draw(d, canv, 0, 0, showBoundary=False)
            finally:
                STATE_DEFAULTS["fontName"] = saved
            if _self_contained(canv._code):
                _operators[path] = list(canv._code)
        canv.endForm()
    canv.saveState()
    canv.translate(x, y)
    canv.scale(width / d.width, height / d.height)
    canv.doForm(name)
    canv.restoreState()
