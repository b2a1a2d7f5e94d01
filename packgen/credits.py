"""The picture credit of one document and variant: the sources of the pictures it really draws.

Templates say where the credit goes with `{{ picture_credits() }}`; what it says is decided here,
on the composed model, where every picture is known. OpenMoji's credit (the label
`picture_credit_openmoji`, CC BY-SA asks for it) is given only when an OpenMoji pictogram is drawn;
an organisation's own picture is credited when `credits.yaml` in its pictures folder gives it a
credit (`team.png: Photo by Sam Lee`). A document whose pictures need no credit has none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packgen import pictures
from packgen.errors import SourceError, TemplateError
from packgen.model import Block, Figure, Paragraph, PictureRow, Text, walk
from packgen.sources import yamlio
from packgen.sources.schema import load_checked

CREDITS_FILE = "credits.yaml"
OPENMOJI_LABEL = "picture_credit_openmoji"
# What picture_credits() prints: a paragraph of its own that place() replaces with the credits.
MARKER = "packgen-picture-credits"


@dataclass(frozen=True)
class _Credits:
    by_name: Mapping[str, str]


def placeholder() -> str:
    """The Markdown picture_credits() prints in a template."""
    return f"\n{MARKER}\n\n"


def place(blocks: tuple[Block, ...], labels: Mapping[str, str], labels_path: Path, pictures_dir: Path,
          parse: Callable[[str], tuple[Block, ...]]) -> tuple[Block, ...]:
    """The blocks with each credit placeholder replaced by the credits of the pictures drawn."""
    if not any(_is_marker(block) for block in blocks):
        return blocks
    credited = credit_lines(blocks, labels, labels_path, pictures_dir)
    credit_blocks = parse("\n\n".join(credited) + "\n") if credited else ()
    out: list[Block] = []
    for block in blocks:
        out.extend(credit_blocks if _is_marker(block) else (block,))
    return tuple(out)


def credit_lines(blocks: tuple[Block, ...], labels: Mapping[str, str], labels_path: Path,
                 pictures_dir: Path) -> list[str]:
    """One Markdown paragraph per source of pictures, in the order they are first drawn."""
    lines: list[str] = []
    own = _read(pictures_dir / CREDITS_FILE, *_stamp(pictures_dir / CREDITS_FILE))
    for path in _drawn(blocks):
        if _is_openmoji(path):
            line = labels.get(OPENMOJI_LABEL, "").strip()
            if not line:
                raise TemplateError(f"an OpenMoji pictogram is drawn, so its licence asks for a credit: give "
                                    f"the words as '{OPENMOJI_LABEL}: ...'", labels_path)
        else:
            line = own.by_name.get(path.name, "")
        if line and line not in lines:
            lines.append(line)
    return lines


def _drawn(blocks: tuple[Block, ...]) -> list[Path]:
    return [block.picture.path for block in walk(blocks) if isinstance(block, (Figure, PictureRow))]


def _is_marker(block: Block) -> bool:
    return (isinstance(block, Paragraph) and len(block.children) == 1 and isinstance(block.children[0], Text)
            and block.children[0].text == MARKER)


def _is_openmoji(path: Path) -> bool:
    try:
        return path.resolve().parent == _openmoji_dir()
    except OSError:
        return False


@cache
def _openmoji_dir() -> Path:
    return pictures.openmoji_dir().resolve()  # the installed package's folder: it stays put while packgen runs


def _stamp(path: Path) -> tuple[int, int]:
    return pictures.stamp(path) if path.is_file() else (0, -1)


@cache
def _read(path: Path, _mtime_ns: int, size: int) -> _Credits:
    """The own pictures' credits file, checked: each entry a picture file name and its credit."""
    if size < 0:
        return _Credits({})
    data, lines = load_checked(None, yamlio.read_text(path), path)
    if data is None:
        return _Credits({})
    if not isinstance(data, dict):
        raise SourceError("give one 'picture.png: who made it' line per picture", path, 1)
    for name, credit in data.items():
        line = lines.get((name,))
        if Path(str(name)).suffix.lower() not in pictures.PICTURE_SUFFIXES:
            raise SourceError(f"'{name}' is not a picture file name (end it in .png, .jpg, .jpeg or .svg)",
                              path, line)
        if not isinstance(credit, str) or not credit.strip():
            raise SourceError(f"the credit of '{name}' must be words, e.g. '{name}: Photo by Sam Lee'", path, line)
    return _Credits({str(k): " ".join(v.split()) for k, v in data.items()})
