"""The theme: fonts, sizes, colours and spacing per variant, read from theme.yaml (in the pack's own
templates folder, else packgen's).

One theme for all writers, so the Word file, the PDF and the web page look like one family.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from packgen import cache as disk_cache
from packgen.contrast import MINIMUM_TEXT_CONTRAST
from packgen.contrast import contrast_ratio as contrast
from packgen.errors import SourceError
from packgen.sources import yamlio
from packgen.sources.names import VARIANTS
from packgen.sources.schema import NOT_NEGATIVE, POSITIVE, TEXT_SIZE, load_checked, matching
from packgen.template_folders import PACKGEN_TEMPLATES, holding, search_path

THEME_FILE = "theme.yaml"
# The theme's parts are plain frozen dataclasses, checked by pydantic only when theme.yaml is read
# (see load_theme): every worker process unpickles the theme with each task, and importing pydantic
# and building its models would be much of a worker's start-up.
STRICT = {"extra": "forbid"}  # pydantic's config for each part: an unknown key is an error


@dataclass(frozen=True)
class Spacing:
    __pydantic_config__ = STRICT
    size: Annotated[float, TEXT_SIZE]
    space_before: Annotated[float, NOT_NEGATIVE] = 0
    space_after: Annotated[float, NOT_NEGATIVE] = 0
    line_spacing: Annotated[float, POSITIVE] = 1.2


@dataclass(frozen=True)
class FontRef:
    __pydantic_config__ = STRICT
    family: str
    slug: str


@dataclass(frozen=True)
class Fonts:
    __pydantic_config__ = STRICT
    body: FontRef
    fallbacks: tuple[FontRef, ...] = ()
    docx_fallback: str = "Arial"


@dataclass(frozen=True)
class Colours:
    """Six hex digits each (a leading # is allowed in theme.yaml; load_theme checks and tidies them)."""

    __pydantic_config__ = STRICT
    text: str
    heading: str
    link: str
    muted: str
    rule: str
    table_header_background: str
    table_header_text: str
    table_border: str
    draft: str


@dataclass(frozen=True)
class Margins:
    __pydantic_config__ = STRICT
    top: Annotated[float, NOT_NEGATIVE]
    bottom: Annotated[float, NOT_NEGATIVE]
    left: Annotated[float, NOT_NEGATIVE]
    right: Annotated[float, NOT_NEGATIVE]


# The page sizes packgen draws, as width and height in millimetres (a page.size names one, in any case).
PAGE_SIZES = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "LETTER": (215.9, 279.4)}
# The least of the page's width and of its height that its margins leave for text: narrower, most
# lines would hold a word or two, so such margins are taken for a slip (a 200 for a 20).
LEAST_TEXT_SHARE = 0.5


@dataclass(frozen=True)
class Page:
    __pydantic_config__ = STRICT
    margins: Margins
    size: str = matching("(?i)" + "|".join(PAGE_SIZES), "'{value}' is not a page size packgen draws: use "
                         "A4, A5 or Letter", default="A4")

    @property
    def width(self) -> float:
        """The page's width in millimetres."""
        return self._size[0]

    @property
    def height(self) -> float:
        """The page's height in millimetres."""
        return self._size[1]

    @property
    def _size(self) -> tuple[float, float]:
        return PAGE_SIZES[self.size.strip().upper()]


@dataclass(frozen=True)
class TableStyle:
    __pydantic_config__ = STRICT
    size: Annotated[float, TEXT_SIZE]
    cell_padding: Annotated[float, NOT_NEGATIVE] = 2
    # The narrowest a column may be, in millimetres: a table whose columns cannot all be this wide
    # in the text column is shown, in this variant, as one block per row (packgen.wide_tables).
    # 0: every table stays a table.
    min_column_width: Annotated[float, NOT_NEGATIVE] = 0


@dataclass(frozen=True)
class ReadabilityRules:
    """Easy-read targets: every sentence this short, the Flesch reading ease at least this."""

    __pydantic_config__ = STRICT
    max_sentence_words: Annotated[int, POSITIVE]
    min_reading_ease: float


@dataclass(frozen=True)
class Variant:
    __pydantic_config__ = STRICT
    body: Spacing
    title: Spacing
    subtitle: Spacing
    headings: tuple[Spacing, Spacing, Spacing, Spacing, Spacing, Spacing]
    list_indent: Annotated[float, NOT_NEGATIVE]
    footer: Spacing
    caption: Spacing
    table: TableStyle
    picture_width: Annotated[float, POSITIVE]
    readability: ReadabilityRules | None = None
    # How the variant shows *italic* words: "italic", or "bold" where slanted letters are harder to
    # read (easy read, large print); policy.py applies it to the model every writer gets.
    emphasis: Literal["italic", "bold"] = "italic"
    # The smallest text a PDF or Word file of this variant may show, in points (`packgen check`).
    min_text_size: Annotated[float, TEXT_SIZE] = 12
    margins: Margins | None = None  # the variant's own page margins (None: the page's)
    # The brand's logo on the title block fits this box, in millimetres, keeping its shape.
    logo_max_width: Annotated[float, POSITIVE] = 40
    logo_max_height: Annotated[float, POSITIVE] = 20

    def heading(self, level: int) -> Spacing:
        return self.headings[max(1, min(level, 6)) - 1]

    def page_margins(self, page: Page) -> Margins:
        """The margins of this variant's pages: its own, else the theme's page's."""
        return self.margins or page.margins

    def text_width(self, page: Page) -> float:
        """The text column's width in millimetres on this variant's pages: the page's less its side margins."""
        margins = self.page_margins(page)
        return page.width - margins.left - margins.right

    def logo_width(self, aspect: float) -> float:
        """The logo's width in millimetres for a picture of this height/width."""
        return min(self.logo_max_width, self.logo_max_height / aspect) if aspect > 0 else self.logo_max_width


@dataclass(frozen=True)
class ThemeFile:
    __pydantic_config__ = STRICT
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
    # The template folders, the pack's own first (template_folders.search_path): a writer's own
    # templates (html/, epub/) are looked for in each in turn, even where the pack keeps packgen's theme.
    templates: tuple[Path, ...]
    # From the pack's brand.yml (packgen.branding): its body font files, whether they may be embedded
    # for editing (not when their licence allows only preview and print: then Word files and form
    # fields do without them), the theme's own body font they replace, and the files the brand
    # brings, which every output's digest covers.
    brand_font: FontFiles | None = None
    brand_font_editable: bool = True
    own_body: FontRef | None = None
    heading_font: FontFiles | None = None  # the brand's headings family, when not the body's
    heading_font_editable: bool = True
    brand_files: tuple[Path, ...] = ()
    brand_warnings: tuple[str, ...] = ()  # what every command using this theme says about the brand

    def variant(self, name: str) -> Variant:
        return self.variants[name]

    def writer_templates(self, name: str) -> tuple[Path, ...]:
        """The folders a writer's templates `name` (html, epub) are looked for in, the pack's first."""
        return tuple(folder / name for folder in self.templates)

    def margins(self, variant: str) -> Margins:
        return self.variant(variant).page_margins(self.page)

    def text_width(self, variant: str) -> float:
        return self.variant(variant).text_width(self.page)

    def font_files(self, ref: FontRef) -> FontFiles:
        return _font_files(ref.family, ref.slug)

    @property
    def body_font(self) -> FontFiles:
        return self.brand_font or self.font_files(self.fonts.body)

    @property
    def editable_font(self) -> FontFiles:
        """The body font where a reader edits text (PDF form fields, embedded whole): never a brand
        font whose licence allows only preview and print."""
        if not self.brand_font_editable and self.own_body is not None:
            return self.font_files(self.own_body)
        return self.body_font

    @property
    def fallback_fonts(self) -> list[FontFiles]:
        return [self.font_files(ref) for ref in self.fonts.fallbacks]


@cache
def _font_files(family: str, slug: str) -> FontFiles:
    """The family's files, as fontpkg finds them among the installed packages.

    fontpkg reads every installed package's entry points to find font packages, twice, in each
    process that draws or styles text. The answer is kept in the per-user cache under
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
    except fontpkg.FontpkgError:
        raise SourceError(f"the font '{family}' is not installed (pip package fontpkg-{slug}): install it with "
                          f"'.venv/bin/pip install fontpkg-{slug}', or name a font that is installed") from None
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
    """Read and check the theme of a templates folder: its own theme.yaml, else packgen's.

    A theme.yaml that passed its checks is kept (schema.load_checked), so a build whose theme has not
    changed reads it without PyYAML or pydantic; the colours are checked here, every time.
    """
    path = holding(templates, THEME_FILE) / THEME_FILE
    return _theme(path, search_path(templates), *load_checked(ThemeFile, yamlio.read_text(path), path))


def _theme(path: Path, templates: tuple[Path, ...], parsed: ThemeFile, lines: yamlio.Lines) -> Theme:
    """The theme from its checked file, with its colours checked and tidied (cheap: done every time)."""
    for name in VARIANTS:
        if name not in parsed.variants:
            raise SourceError(f"the theme needs a '{name}' variant (copy its entry from packgen's own "
                              f"{THEME_FILE}, {PACKGEN_TEMPLATES / THEME_FILE})", path, lines.get(("variants",)))
    colours = {}
    for name, value in dataclasses.asdict(parsed.colours).items():
        colours[name] = str(value).lstrip("#").upper()
        if len(colours[name]) != 6 or any(c not in "0123456789ABCDEF" for c in colours[name]):
            raise SourceError(f"colours.{name}: colours are six hex digits, like 1A1A1A", path,
                              yamlio.line_of(lines, ("colours", name)))
    for name, colour in colours.items():
        if name in ("text", "heading", "link", "muted", "table_header_text", "draft"):
            background = colours["table_header_background"] if name == "table_header_text" else "FFFFFF"
            ratio = contrast(colour, background) or 0.0
            if ratio < MINIMUM_TEXT_CONTRAST:
                raise SourceError(f"the colour {name} ({colour}) has a contrast of {ratio:.2f}:1 against "
                                  f"{background}; it needs at least {MINIMUM_TEXT_CONTRAST:g}:1", path,
                                  yamlio.line_of(lines, ("colours", name)))
    _check_text_area(parsed, path, lines)
    _check_fonts(parsed.fonts, path, lines)
    return Theme(page=parsed.page, fonts=parsed.fonts, colours=Colours(**colours), variants=parsed.variants,
                 path=path, templates=templates)


def _check_text_area(parsed: ThemeFile, path: Path, lines: yamlio.Lines) -> None:
    """The page's margins, and each variant's own, leave at least LEAST_TEXT_SHARE of the page's width
    and height for text: else every document would fail, blaming its own first paragraph."""
    page = parsed.page
    own = [(("variants", name, "margins"), v.margins) for name, v in parsed.variants.items() if v.margins]
    for loc, margins in [(("page", "margins"), page.margins), *own]:
        for side, length, (first, second) in (("width", page.width, ("left", "right")),
                                             ("height", page.height, ("top", "bottom"))):
            left = length - getattr(margins, first) - getattr(margins, second)
            if left < length * LEAST_TEXT_SHARE:
                raise SourceError(f"{': '.join(map(str, loc))}: {first} and {second} leave {max(left, 0):g} mm of the "
                                  f"page's {length:g} mm {side} for text, and packgen needs at least half of it "
                                  "(margins are in millimetres)", path, yamlio.line_of(lines, loc))


def _check_fonts(fonts: Fonts, path: Path, lines: yamlio.Lines) -> None:
    """Each font the theme names is installed, or the mistake is told at its line."""
    named = [(("fonts", "body", "slug"), fonts.body),
             *((("fonts", "fallbacks", n, "slug"), ref) for n, ref in enumerate(fonts.fallbacks))]
    for loc, ref in named:
        try:
            _font_files(ref.family, ref.slug)
        except SourceError as exc:
            raise SourceError(exc.message, path, yamlio.line_of(lines, loc)) from None

