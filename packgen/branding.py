"""The pack's brand (brand.yml) mapped onto the theme: the one place a build or `packgen forms` gets its theme.

What each brand key becomes is in README ("Templates and theme"). Every colour pair packgen draws
is checked against WCAG here, and a pair that fails names the brand key it came from, since that is
the line an editor must change. Sizes only ever grow: a brand's base size may raise the body text,
never take it below what the variant sets (easy read stays large).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from packgen.contrast import MINIMUM_TEXT_CONTRAST, contrast_ratio
from packgen.errors import SourceError
from packgen.sources.brand import Brand, Font
from packgen.sources.loader import Pack
from packgen.theme import Colours, FontFiles, FontRef, Theme, load_theme

LARGE_TEXT_PT = 18  # WCAG's large text: headings this size and over need only 3:1
LARGE_TEXT_CONTRAST = 3.0
PAGE = "FFFFFF"  # the theme draws no page background: every page is white


def theme_for(pack: Pack, templates: Path) -> Theme:
    """The theme (the pack's own theme.yaml, else packgen's), with the pack's brand applied when it has one."""
    theme = load_theme(templates)
    return apply(theme, pack.brand) if pack.brand is not None else theme


def apply(theme: Theme, brand: Brand) -> Theme:
    """The theme with the brand's colours, fonts and base size; an error for a pair that fails contrast."""
    colours, keys = _colours(theme.colours, brand)
    _check_contrast(colours, keys, theme, brand)
    variants = theme.variants
    if brand.base_size is not None:
        size = brand.base_size
        variants = {name: dataclasses.replace(v, body=dataclasses.replace(v.body, size=max(v.body.size, size)))
                    for name, v in variants.items()}
    fonts, files = theme.fonts, None
    font = brand.font(brand.base_family) if brand.base_family else None
    if font is not None:
        files = _font_files(font)
        fonts = dataclasses.replace(fonts, body=FontRef(font.family, ""))
    heading = brand.font(brand.headings_family) if brand.headings_family else None
    if heading is not None and heading is font:
        heading = None  # the body font already: headings need nothing of their own
    branded = dataclasses.replace(theme, colours=colours, variants=variants, fonts=fonts, brand_font=files,
                                  brand_font_editable=font is None or not font.preview_only,
                                  own_body=theme.fonts.body if font is not None else None,
                                  heading_font=_font_files(heading) if heading is not None else None,
                                  heading_font_editable=heading is None or not heading.preview_only,
                                  brand_files=brand.files)
    return dataclasses.replace(branded, brand_warnings=_warnings(branded, brand))


def _warnings(theme: Theme, brand: Brand) -> tuple[str, ...]:
    """What a command says about the brand: fonts and logos it could not fetch, a font Word may not carry."""
    said = list(brand.warnings)
    for files, editable in ((theme.brand_font, theme.brand_font_editable),
                            (theme.heading_font, theme.heading_font_editable)):
        if files is not None and not editable:
            font = brand.font(files.family)
            said.append(str(SourceError(
                f"the font '{files.family}' allows only preview and print (its fsType), so the PDFs carry it but "
                f"the Word files only name it (readers without it see {theme.fonts.docx_fallback}), and PDF form "
                "fields use the theme's own font", brand.path, font.line if font else None)))
    return tuple(said)


def _font_files(font: Font) -> FontFiles:
    def pick(weight: int, style: str) -> Path:
        return font.nearest(weight, style).path

    return FontFiles(font.family, pick(400, "normal"), pick(700, "normal"), pick(400, "italic"),
                     pick(700, "italic"))


def _colours(theme: Colours, brand: Brand) -> tuple[Colours, dict[str, str]]:
    """The theme's colours with the brand's roles in place, and which brand key each came from."""
    chosen: dict[str, tuple[str, str]] = {}  # theme colour -> (RRGGBB, brand key)

    def take(colour: str, *keys: str) -> None:
        for key in keys:
            value = brand.headings_colour if key == "typography.headings.color" else (
                brand.link_colour if key == "typography.link.color" else brand.colour(key.removeprefix("color.")))
            if value:
                chosen[colour] = (value, key)
                return

    take("text", "color.foreground")
    take("table_header_text", "color.foreground")
    take("heading", "typography.headings.color", "color.primary")
    take("link", "typography.link.color", "color.primary")
    take("muted", "color.secondary")
    take("table_header_background", "color.light")
    take("draft", "color.danger")
    values = {name: value for name, (value, _) in chosen.items()}
    return dataclasses.replace(theme, **values), {name: key for name, (_, key) in chosen.items()}


def _check_contrast(colours: Colours, keys: dict[str, str], theme: Theme, brand: Brand) -> None:
    """Each text colour on what packgen draws it on; a failing pair names the brand key (or the theme's own)."""
    headings = min(s.size for v in theme.variants.values() for s in (*v.headings, v.title, v.subtitle))
    heading_needs = LARGE_TEXT_CONTRAST if headings >= LARGE_TEXT_PT else MINIMUM_TEXT_CONTRAST
    pairs = [("text", MINIMUM_TEXT_CONTRAST, "text"), ("heading", heading_needs, "headings"),
             ("link", MINIMUM_TEXT_CONTRAST, "links"), ("muted", MINIMUM_TEXT_CONTRAST, "muted text"),
             ("draft", MINIMUM_TEXT_CONTRAST, "the draft mark"),
             ("table_header_text", MINIMUM_TEXT_CONTRAST, "table headers")]
    for name, needs, what in pairs:
        colour = getattr(colours, name)
        header = name == "table_header_text"
        background = colours.table_header_background if header else PAGE
        ratio = contrast_ratio(colour, background) or 0.0
        if ratio >= needs:
            continue
        subject = keys.get(name, f"the theme's {name} colour")
        ground = keys.get("table_header_background", "the theme's table header") if header else "background"
        key = keys.get(name) or keys.get("table_header_background", "")
        raise SourceError(f"{subject} '#{colour.lower()}' on {ground} '#{background.lower()}' has contrast "
                          f"{_ratio(ratio)}:1; the least for {what} is {needs:g}:1", brand.path, brand.line(key))


def _ratio(ratio: float) -> str:
    # Rounded down, so a pair just under the line never reads as meeting it (4.49 is not "4.5").
    return f"{int(ratio * 10) / 10:g}"
