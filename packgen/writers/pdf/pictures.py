"""Pictures: OpenMoji SVGs as vector drawings (svglib), PNG and JPEG as images, prepared for print
(packgen.picture_sizes: at most as wide as they are printed, upright, without the camera's notes).

An SVG is drawn once per PDF into a form XObject, so a pictogram used on fifty pages costs one copy
of its paths. Turning an SVG into drawing operators (svglib parses it, ReportLab renders the
drawing) takes longer than laying out most pages, and the operators are the same in every file, so
they are worked out once and kept in the per-user cache (packgen.cache), keyed by the SVG's bytes.
A drawing whose operators name a per-file resource (a font, a transparency state) cannot be
replayed and is rendered by svglib into each PDF.

Every picture's XObject is named by a digest of the file's bytes, never by where the file is: the
same sources give the same PDF from any folder, with the libraries installed anywhere. (ReportLab's
drawImage names an image by its file name, and by a digest of every decoded pixel when handed an
ImageReader: a photo would be decoded just to be named. So PNG and JPEG images are registered here.)
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import reportlab
from reportlab import rl_config
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import STATE_DEFAULTS
from reportlab.pdfbase import pdfdoc

from packgen import cache as disk_cache
from packgen import picture_sizes


@cache
def _drawing(path: Path):
    from svglib.svglib import svg2rlg

    drawing = svg2rlg(str(path))
    if drawing is None:
        raise ValueError(f"cannot read the SVG picture {path}")
    return drawing


@cache
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@dataclass(frozen=True)
class Prepared:
    """An SVG's size and, where it names no per-file resource, the operators that draw it."""

    width: float
    height: float
    operators: tuple[str, ...] | None


@cache
def _svglib_code() -> bytes:
    """A digest of svglib's converting code, naming prepared pictures: a new release that changes it
    misses the cache. (Reading svglib's version would mean importing svglib, which a picture taken
    from the cache never needs.)"""
    return disk_cache.package_code("svglib", "svglib.py", "utils.py")


def _entry(path: Path) -> str:
    return disk_cache.key("pdf-svg", path.read_bytes(), _svglib_code(), reportlab.Version)


@cache
def _prepared(path: Path) -> Prepared:
    width, height, operators = json.loads(disk_cache.get_or_make("pdf-pictures", _entry(path), lambda: _prepare(path)))
    return Prepared(width, height, tuple(operators) if operators is not None else None)


def _prepare(path: Path) -> bytes:
    """Render the drawing on a scratch canvas and keep its operators (JSON: width, height, operators)."""
    from reportlab.pdfgen.canvas import Canvas

    d = _drawing(path)
    scratch = Canvas(io.BytesIO())
    scratch.beginForm("scratch", 0, 0, d.width, d.height)
    renderPDF.draw(d, scratch, 0, 0, showBoundary=False)
    # renderPDF selects its default font in an empty text object before every shape; it shows no
    # text, so it is dropped (else every pictogram would name a font and could not be replayed).
    code = [str(line) for line in scratch._code if not _EMPTY_TEXT.fullmatch(str(line))]
    operators = code if _self_contained(code) else None
    return json.dumps([float(d.width), float(d.height), operators]).encode("utf-8")


def aspect(path: Path, pixels: int) -> float:
    """Height / width of the picture (a PNG or JPEG as prepared `pixels` wide), to keep its shape at any width."""
    if path.suffix.lower() == ".svg":
        p = _prepared(path)
        return p.height / p.width if p.width else 1.0
    return picture_sizes.prepare(path, pixels).aspect


# Operators naming a resource (a font, graphics state, image or pattern) belong to one file only.
_RESOURCE_USE = re.compile(r"(?:^|\s)/\S+\s+(?:[\d.]+\s+)?(?:Tf|gs|Do|scn|SCN|sh)(?:\s|$)")


_EMPTY_TEXT = re.compile(r"BT /\S+ [\d.]+ Tf [\d.]+ TL ET")


def _self_contained(code: list[str]) -> bool:
    return not any(_RESOURCE_USE.search(line) for line in code)


def draw(canv, path: Path, x: float, y: float, width: float, height: float, pixels: int) -> None:
    """Draw the picture with its lower-left corner at (x, y), scaled to width x height (a PNG or
    JPEG as prepared `pixels` wide)."""
    if path.suffix.lower() != ".svg":
        name = _image(canv, picture_sizes.prepare(path, pixels))
        canv.saveState()
        canv.translate(x, y)
        canv.scale(width, height)
        canv.doForm(name)
        canv.restoreState()
        return
    p = _prepared(path)
    name = f"pic-{_digest(path)}"
    forms = canv.__dict__.setdefault("_packgen_forms", set())
    if name not in forms:
        forms.add(name)
        canv.beginForm(name, 0, 0, p.width, p.height)
        if p.operators is not None:
            canv._code.extend(p.operators)
        else:
            # renderPDF starts every drawing in Helvetica (STATE_DEFAULTS), which would put a font we
            # do not embed into the file; start it in the canvas's own (embedded) font instead.
            saved = STATE_DEFAULTS["fontName"]
            STATE_DEFAULTS["fontName"] = canv._initialFontName
            try:
                renderPDF.draw(_in_font(_drawing(path), canv._initialFontName), canv, 0, 0, showBoundary=False)
            finally:
                STATE_DEFAULTS["fontName"] = saved
        canv.endForm()
        _list_graphics_states(canv, name)
    canv.saveState()
    canv.translate(x, y)
    canv.scale(width / p.width, height / p.height)
    canv.doForm(name)
    canv.restoreState()


def _in_font(drawing, font: str):
    """The drawing with its text (an SVG's <text>, such as a logo's name) in the canvas's own embedded
    font: svglib gives it one of PDF's standard fonts (Helvetica for sans-serif), which no PDF embeds
    and PDF/UA forbids (veraPDF 7.21.4.1), and which have no letters outside Latin-1."""
    from reportlab.graphics.shapes import String

    nodes = [drawing]
    while nodes:
        node = nodes.pop()
        if isinstance(node, String):
            node.fontName = font
        nodes.extend(getattr(node, "contents", ()))
    return drawing


def _list_graphics_states(canv, name: str) -> None:
    """ReportLab's form XObject lists fonts and XObjects among its resources but not the graphics
    states its operators name: an SVG drawn with transparency (fill-opacity) would name a state
    no reader can find ("ExtGState 'gRLs0' is unknown", and no transparency). So they are added."""
    form = canv._doc.idToObject[canv._doc.getXObjectName(name)]
    states = getattr(form, "ExtGState", None)
    if not states:
        return
    resources = pdfdoc.PDFResourceDictionary()
    resources.basicFonts()
    if form.XObjects:
        resources.XObject = form.XObjects
    resources.ExtGState = states
    form.Resources = resources


def _image(canv, picture: picture_sizes.Prepared) -> str:
    """The name of the PNG or JPEG's image XObject in this PDF, added on first use as drawImage adds
    one (a JPEG as it is, a PNG's transparency as a soft mask), under a name made from its bytes."""
    name = f"img-{hashlib.sha256(picture.data).hexdigest()[:16]}"
    doc = canv._doc
    if doc.getXObjectName(name) not in doc.idToObject:
        image = pdfdoc.PDFImageXObject(name, None, mask="auto")  # ReportLab's stand-in, replaced now:
        if not (picture.ext == "jpeg" and image.loadImageFromJPEG(io.BytesIO(picture.data))):
            # as ReportLab loads a file given by its name
            load = image.loadImageFromA85 if rl_config.useA85 else image.loadImageFromRaw
            load(io.BytesIO(picture.data))
        doc.addForm(name, image)
        smask = getattr(image, "_smask", None)
        if smask is not None:
            # the mask is named by ReportLab from its pixels; one shared by two images is stored once
            mask_name = doc.getXObjectName(smask.name)
            if mask_name in doc.idToObject:
                image.smask = pdfdoc.PDFObjectReference(mask_name)
            else:
                image.smask = doc.Reference(smask, mask_name)
            del image._smask
    canv._currentPageHasImages = 1
    return name
