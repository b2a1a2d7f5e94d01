"""The theme: fonts, sizes, colours and spacing per variant, read from templates/theme.yaml.

One theme for all writers, so the Word file, the PDF and the web page look like one family.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from packgen import cache as disk_cache
from packgen.errors import SourceError
from packgen.sources import yamlio
from packgen.sources.schema import validate

THEME_FILE = "theme.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Spacing(_Strict):
    size: float = Field(gt=0)
    space_before: float = 0
    space_after: float = 0
    line_spacing: float = 1.2


class FontRef(_Strict):
    family: str
    slug: str


class Fonts(_Strict):
    body: FontRef
    fallbacks: tuple[FontRef, ...] = ()
    docx_fallback: str = "Arial"


class Colours(_Strict):
    text: str
    heading: str
    link: str
    muted: str
    rule: str
    table_header_background: str
    table_header_text: str
    table_border: str
    draft: str

    @field_validator("*")
    @classmethod
    def _hex(cls, value: str) -> str:
        value = str(value).lstrip("#").upper()
        if len(value) != 6 or any(c not in "0123456789ABCDEF" for c in value):
            raise ValueError("colours are six hex digits, like 1A1A1A")
        return value


class Margins(_Strict):
    top: float
    bottom: float
    left: float
    right: float


class Page(_Strict):
    size: str = "A4"
    margins: Margins


class TableStyle(_Strict):
    size: float = Field(gt=0)
    cell_padding: float = 2


class ReadabilityRules(_Strict):
    """Easy-read targets: every sentence this short, the Flesch reading ease at least this."""

    max_sentence_words: int = Field(gt=0)
    min_reading_ease: float


class Variant(_Strict):
    body: Spacing
    title: Spacing
    subtitle: Spacing
    headings: tuple[Spacing, Spacing, Spacing, Spacing, Spacing, Spacing]
    list_indent: float
    footer: Spacing
    caption: Spacing
    table: TableStyle
    picture_width: float
    readability: ReadabilityRules | None = None

    def heading(self, level: int) -> Spacing:
        return self.headings[max(1, min(level, 6)) - 1]


class ThemeFile(_Strict):
    page: Page
    fonts: Fonts
    colours: Colours
    variants: dict[str, Variant]


@dataclass(frozen=True)
class FontFiles:
    """The TrueType files of one family, resolved from its fontpkg package."""

    family: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


@dataclass(frozen=True)
class Theme:
    page: Page
    fonts: Fonts
    colours: Colours
    variants: dict[str, Variant]
    path: Path

    def variant(self, name: str) -> Variant:
        return self.variants[name]

    def font_files(self, ref: FontRef) -> FontFiles:
        return _font_files(ref.family, ref.slug)

    @property
    def body_font(self) -> FontFiles:
        return self.font_files(self.fonts.body)

    @property
    def fallback_fonts(self) -> list[FontFiles]:
        return [self.font_files(ref) for ref in self.fonts.fallbacks]


@cache
def _font_files(family: str, slug: str) -> FontFiles:
    """The family's files, as fontpkg finds them among the installed packages.

    fontpkg reads every installed package's entry points to find font packages, twice: about 20 ms,
    paid by each process that draws or styles text. The answer is kept in the per-user cache under
    the folders packages are installed in, with their times: installing or removing any package
    changes its folder's time, and so asks fontpkg again.
    """
    name = disk_cache.key("fonts-found", family, slug, _installed_packages())
    kept = disk_cache.read("fonts-found", name)
    if kept is not None:
        paths = [Path(p) for p in json.loads(kept)]
        if all(p.is_file() for p in paths):
            return FontFiles(family, *paths)
    import fontpkg

    def pick(weight: int, style: str) -> Path:
        try:
            return Path(fontpkg.path(slug, weight, style, nearest=True))
        except fontpkg.FontpkgError:
            return Path(fontpkg.path(slug, 400, "normal", nearest=True))

    try:
        found = FontFiles(family, pick(400, "normal"), pick(700, "normal"), pick(400, "italic"),
                          pick(700, "italic"))
    except fontpkg.FontpkgError as exc:
        raise SourceError(f"the font '{family}' is not installed (pip package fontpkg-{slug}): {exc}") from None
    paths = [str(getattr(found, style)) for style in ("regular", "bold", "italic", "bold_italic")]
    disk_cache.write("fonts-found", name, json.dumps(paths).encode())
    return found


def _installed_packages() -> list[tuple[str, int]]:
    """Where packages are installed (Python's import path, less the current folder, whose time any
    new file changes), with each folder's modification time."""
    stamps = []
    for entry in sys.path:
        try:
            if entry:
                stamps.append((entry, os.stat(entry).st_mtime_ns))
        except OSError:
            continue
    return stamps


def load_theme(templates: Path) -> Theme:
    """Read and check templates/theme.yaml."""
    path = Path(templates) / THEME_FILE
    data, lines = yamlio.load(yamlio.read_text(path), path)
    parsed = validate(ThemeFile, data, lines, path)
    for name in ("standard", "easy-read"):
        if name not in parsed.variants:
            raise SourceError(f"the theme needs a '{name}' variant", path, lines.get(("variants",)))
    for name, colour in parsed.colours.model_dump().items():
        if name in ("text", "heading", "link", "muted", "table_header_text", "draft"):
            background = parsed.colours.table_header_background if name == "table_header_text" else "FFFFFF"
            ratio = contrast(colour, background)
            if ratio < 4.5:
                raise SourceError(f"the colour {name} ({colour}) has a contrast of {ratio:.2f}:1 against "
                                  f"{background}; it needs at least 4.5:1", path,
                                  yamlio.line_of(lines, ("colours", name)))
    return Theme(page=parsed.page, fonts=parsed.fonts, colours=parsed.colours, variants=parsed.variants, path=path)


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio between two RRGGBB colours."""
    a, b = _luminance(foreground), _luminance(background)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)
