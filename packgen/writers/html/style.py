"""The theme (points, millimetres, RRGGBB) turned into the CSS values the stylesheet template uses.

Sizes become `rem` (1rem = 12pt at the browser's default 16px), not px: text then grows with the
reader's own default font size as well as with zoom (WCAG 1.4.4), while at default settings the
easy-read body (16pt) still computes to the theme's 21.33px.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from packgen.theme import Spacing, Theme
from packgen.writers.html.assets import woff2_url

PT_PER_REM = 12.0  # 16px = 12pt
MM_PER_REM = 16 * 25.4 / 96  # 16px in millimetres
# The text column at its widest (rem), easy read's wider for its larger type, and its padding each side.
COLUMN_REM = {"easy-read": 48, "standard": 44}
COLUMN_PADDING_REM = 1


def rem_from_pt(points: float) -> str:
    """A length in points as a CSS rem value, rounded so output is short and stable."""
    return f"{round(points / PT_PER_REM, 4):g}rem"


def rem_from_mm(millimetres: float) -> str:
    return f"{round(millimetres / MM_PER_REM, 4):g}rem"


def column_rem(variant: str) -> float:
    """The text column's widest, padding included, in rem (the page's `.width`)."""
    return COLUMN_REM["easy-read" if variant == "easy-read" else "standard"]


def column_width_mm(variant: str) -> float:
    """The widest the text inside the column is, in millimetres at 16 CSS pixels to the rem: what a
    figure's share is a share of."""
    return (column_rem(variant) - 2 * COLUMN_PADDING_REM) * MM_PER_REM


def css_string(text: str) -> str:
    """A quoted CSS string. `<` is escaped too, so no theme or label text can close the <style>."""
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def page_counter(page_label: str) -> str:
    """The document's page label ("Page {page} of {pages}") as CSS generated content for print."""
    parts: list[str] = []
    for piece in re.split(r"(\{pages?\})", page_label):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts) or "counter(page)"


def _page_size(theme: Theme) -> str:
    """The theme's page size as a CSS @page size: a name of theme.PAGE_SIZES (load_theme lets no other in),
    which CSS knows too ("A4", "letter")."""
    return theme.page.size.strip()


@dataclass(frozen=True)
class Text:
    """One text style: size, line height and the space around it, ready for CSS."""

    size: str
    line_height: str
    before: str
    after: str


def _text(spacing: Spacing) -> Text:
    return Text(size=rem_from_pt(spacing.size), line_height=f"{spacing.line_spacing:g}",
                before=rem_from_pt(spacing.space_before), after=rem_from_pt(spacing.space_after))


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    style: str
    url: str
    format: str


def style_context(theme: Theme, variant: str, italic: bool = True, bold_italic: bool = True) -> dict[str, object]:
    """The values pack.css.j2 reads. Fonts are embedded; fallbacks are only named, never fetched.

    Regular and bold are always embedded (headings, labels); the italic faces only when the
    document has italic text, since each face adds tens of kilobytes to every page.
    """
    v = theme.variant(variant)
    body = theme.body_font
    wanted = [(400, "normal", body.regular), (700, "normal", body.bold)]
    if italic:
        wanted.append((400, "italic", body.italic))
    if bold_italic:
        wanted.append((700, "italic", body.bold_italic))
    faces = [FontFace(body.family, weight, style, woff2_url(path), "woff2") for weight, style, path in wanted]
    families = [body.family, *(ref.family for ref in theme.fonts.fallbacks)]
    headings = theme.heading_font
    if headings is not None:  # the brand's headings family: headings are bold, their weight is all they need
        faces.append(FontFace(headings.family, 700, "normal", woff2_url(headings.bold), "woff2"))
    body_text = _text(v.body)
    return {
        "variant": variant,
        "column": (f"{column_rem(variant):g}rem", f"{COLUMN_PADDING_REM:g}rem"),
        "font_faces": faces,
        "font_stack": ", ".join(css_string(f) for f in families) + ", Arial, sans-serif",
        "heading_font_stack": (", ".join(css_string(f) for f in (headings.family, *families)) + ", Arial, sans-serif"
                               if headings is not None else ""),
        "colour": {name: f"#{value}" for name, value in dataclasses.asdict(theme.colours).items()},
        "body": body_text,
        "title": _text(v.title),
        "subtitle": _text(v.subtitle),
        "headings": [_text(v.heading(level)) for level in range(1, 7)],
        "footer": _text(v.footer),
        "caption": _text(v.caption),
        "table_size": rem_from_pt(v.table.size),
        "cell_padding": rem_from_pt(max(v.table.cell_padding, 4)),
        "list_indent": rem_from_mm(max(v.list_indent, 6)),
        "picture_width": rem_from_mm(v.picture_width),
        "logo_box": (rem_from_mm(v.logo_max_width), rem_from_mm(v.logo_max_height)),
        "page_size": _page_size(theme),
        "margins": {side: f"{getattr(theme.page.margins, side):g}mm"
                    for side in ("top", "right", "bottom", "left")},
    }
