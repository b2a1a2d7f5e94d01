"""An organisation's brand, read from posit's brand.yml (the file Quarto reads as `_brand.yml`).

brand.yml is shared with other tools, so keys packgen does not use are accepted without a word; a
key packgen does read must hold a value packgen can use, or it is an error naming brand.yml and the
line. Nothing here is fetched: a font from Google Fonts or Bunny, or a logo at a web address, is a
warning, and the theme's own font (or no logo) is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import webcolors

from packgen import pictures
from packgen.errors import SourceError
from packgen.named_files import LINK_TO_NOTHING, unreadable, within
from packgen.sources import yamlio
from packgen.sources.schema import LARGEST_TEXT_PT, load_checked

BRAND_FILES = ("brand.yml", "_brand.yml")
ROLES = ("foreground", "background", "primary", "secondary", "tertiary", "success", "info", "warning", "danger",
         "light", "dark")
LOGO_SIZES = ("medium", "large", "small")  # the title block's choice, in order
FONT_SUFFIXES = (".ttf", ".otf")
FETCHED_SOURCES = ("google", "bunny")
WEIGHTS = {"thin": 100, "extra-light": 200, "light": 300, "normal": 400, "regular": 400, "medium": 500,
           "semi-bold": 600, "bold": 700, "extra-bold": 800, "black": 900}
# OS/2 fsType (OpenType spec): bits 0-3 are the usage permissions, the least restrictive set wins.
FS_RESTRICTED, FS_PREVIEW, FS_EDITABLE = 0x0002, 0x0004, 0x0008
FS_BITMAP_ONLY = 0x0200  # no subsetting (0x0100) is obeyed by the PDF writer: it embeds such a font whole
_HEX_COLOUR = re.compile(r"^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$|^([0-9a-f]{3}|[0-9a-f]{6})$", re.IGNORECASE)
_RGB = re.compile(r"^rgba?\(\s*(.*?)\s*\)$", re.IGNORECASE)
_NUMBER = re.compile(r"^[+]?([0-9]*\.?[0-9]+)(%?)$")
OPAQUE_ONLY = ("is not fully opaque: packgen needs opaque colours, since it checks each one's contrast with what "
               "it is drawn on")
_SIZE = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(pt|px)?\s*$")


@dataclass(frozen=True)
class Logo:
    """The logo file and its alt text: None when brand.yml gives none, "" when decorative on purpose."""

    path: Path
    alt: str | None
    line: int | None


@dataclass(frozen=True)
class FontFile:
    path: Path
    weight: int
    style: str  # normal or italic
    fs_type: int
    line: int | None


@dataclass(frozen=True)
class Font:
    family: str
    files: tuple[FontFile, ...]
    line: int | None

    @property
    def preview_only(self) -> bool:
        """Preview-and-print: the PDF may carry it, an editable Word file may not."""
        return any(_usage(f.fs_type) == FS_PREVIEW for f in self.files)

    def nearest(self, weight: int, style: str) -> FontFile:
        """The file closest to a weight and style (the same style first)."""
        return min(self.files, key=lambda f: (f.style != style, abs(f.weight - weight)))


@dataclass(frozen=True)
class Brand:
    path: Path
    name: str
    logo: Logo | None
    colours: tuple[tuple[str, str], ...]  # (role, RRGGBB), for the roles brand.yml gives
    fonts: tuple[Font, ...]
    base_family: str
    base_size: float | None  # points
    headings_family: str
    headings_colour: str
    link_colour: str
    lines: tuple[tuple[str, int], ...]  # dotted key -> line, for errors found when mapping onto the theme
    warnings: tuple[str, ...]

    def colour(self, role: str) -> str | None:
        return dict(self.colours).get(role)

    def line(self, key: str) -> int | None:
        return dict(self.lines).get(key)

    def font(self, family: str) -> Font | None:
        return next((f for f in self.fonts if f.family == family), None)

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file the brand brings (brand.yml, the logo, font files): what its outputs are made from."""
        logo = (self.logo.path,) if self.logo else ()
        return (self.path, *logo, *(f.path for font in self.fonts for f in font.files))


def find(root: Path) -> Path | None:
    """The pack folder's brand file, or None; both names at once is an error (which one is meant?), and
    so is a brand file that cannot be read or that leads outside the pack: the pack would otherwise
    build without its brand, and nobody be told."""
    found = [root / name for name in BRAND_FILES if (root / name).is_symlink() or (root / name).exists()]
    for path in found:
        if not within(path, root):
            problem = "is a link to a file outside the pack's folder: put the file itself there"
        elif path.is_symlink() and not path.exists():
            problem = f"is {LINK_TO_NOTHING}: put the file itself there"
        else:
            problem = unreadable(path)
        if problem:
            raise SourceError(f"the pack's brand file {problem}", path)
    if len(found) > 1:
        raise SourceError(f"the pack has both {BRAND_FILES[0]} and {BRAND_FILES[1]}: keep one of them", found[1])
    return found[0] if found else None


def load_brand(root: Path) -> Brand | None:
    """The brand of the pack in `root`, or None when it has no brand file."""
    path = find(root)
    if path is None:
        return None
    data, lines = load_checked(None, yamlio.read_text(path), path)
    return _Reader(path, root, data if data is not None else {}, lines).brand()


def _usage(fs_type: int) -> int:
    for bit in (FS_EDITABLE, FS_PREVIEW, FS_RESTRICTED):
        if fs_type & bit:
            return bit
    return 0


class _Reader:
    def __init__(self, path: Path, root: Path, data: Any, lines: yamlio.Lines):
        self.path, self.root, self.lines = path, root, lines
        self.warnings: list[str] = []
        self.found: dict[str, int] = {}
        self.palette: dict[str, str] = {}  # color.palette, filled by colours() before anything names it
        self.data = self.mapping(data, ())

    # -- helpers ------------------------------------------------------------------------------------

    def fail(self, message: str, loc: tuple) -> SourceError:
        return SourceError(message, self.path, yamlio.line_of(self.lines, loc))

    def warn(self, message: str, loc: tuple) -> None:
        self.warnings.append(str(SourceError(message, self.path, yamlio.line_of(self.lines, loc))))

    def note(self, key: str, loc: tuple) -> None:
        line = yamlio.line_of(self.lines, loc)
        if line is not None:
            self.found[key] = line

    def mapping(self, value: Any, loc: tuple) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(f"{_dotted(loc) or 'the file'}: expected a set of 'key: value' lines", loc)
        return value

    def text(self, value: Any, loc: tuple) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{_dotted(loc)}: expected words, not {_shown(value)}", loc)
        return value.strip()

    def file(self, value: str, loc: tuple, what: str) -> Path:
        path = self.path.parent / value
        if not within(path, self.root):
            raise self.fail(f"{_dotted(loc)}: the {what} '{value}' must be a file inside the pack's folder", loc)
        problem = unreadable(path)
        if problem:
            raise self.fail(f"{_dotted(loc)}: the {what} '{value}' {problem}", loc)
        return path.resolve()

    # -- the parts ----------------------------------------------------------------------------------

    def brand(self) -> Brand:
        colours = self.colours()
        fonts = self.fonts()
        typography = self.mapping(self.data.get("typography"), ("typography",))
        base_family, base_size = self.base(typography.get("base"), fonts)
        headings = typography.get("headings")
        headings_family, headings_colour = "", ""
        if isinstance(headings, str):
            headings_family = self.family(headings, ("typography", "headings"), fonts)
        else:
            headings = self.mapping(headings, ("typography", "headings"))
            if "family" in headings:
                headings_family = self.family(headings["family"], ("typography", "headings", "family"), fonts)
            if "color" in headings:
                headings_colour = self.colour(headings["color"], ("typography", "headings", "color"), colours)
        link = self.mapping(typography.get("link"), ("typography", "link"))
        link_colour = self.colour(link["color"], ("typography", "link", "color"), colours) if "color" in link else ""
        return Brand(path=self.path, name=self.name(), logo=self.logo(), colours=tuple(colours.items()),
                     fonts=fonts, base_family=base_family, base_size=base_size, headings_family=headings_family,
                     headings_colour=headings_colour, link_colour=link_colour, lines=tuple(self.found.items()),
                     warnings=tuple(self.warnings))

    def name(self) -> str:
        meta = self.mapping(self.data.get("meta"), ("meta",))
        name = meta.get("name")
        if name is None:
            return ""
        if isinstance(name, dict):
            chosen = name.get("full", name.get("short"))
            return self.text(chosen, ("meta", "name", "full" if "full" in name else "short"))
        return self.text(name, ("meta", "name"))

    def logo(self) -> Logo | None:
        logo = self.data.get("logo")
        if logo is None:
            return None
        if isinstance(logo, str):
            return self.logo_entry(logo, ("logo",), {})
        logo = self.mapping(logo, ("logo",))
        images = self.mapping(logo.get("images"), ("logo", "images"))
        for size in LOGO_SIZES:
            if size in logo:
                entry, loc = logo[size], ("logo", size)
                if isinstance(entry, dict) and "path" not in entry:
                    if "light" not in entry and "dark" not in entry:
                        raise self.fail(f"{_dotted(loc)}: expected a file, an image name, {{path, alt}} or "
                                        "{light, dark}", loc)
                    mode = "light" if "light" in entry else "dark"
                    entry, loc = entry[mode], loc + (mode,)
                return self.logo_entry(entry, loc, images)
        return None

    def logo_entry(self, entry: Any, loc: tuple, images: dict) -> Logo | None:
        if isinstance(entry, str) and entry in images:
            entry, loc = images[entry], ("logo", "images", entry)
        alt: str | None = None
        if isinstance(entry, dict):
            if "alt" in entry:
                if not isinstance(entry["alt"], str):
                    raise self.fail(f"{_dotted(loc + ('alt',))}: expected words, not {_shown(entry['alt'])}",
                                    loc + ("alt",))
                alt = entry["alt"].strip()
            if "path" not in entry:
                raise self.fail(f"{_dotted(loc)}: a logo needs a path", loc)
            entry, loc = entry["path"], loc + ("path",)
        value = self.text(entry, loc)
        if re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE):
            self.warn(f"{_dotted(loc)}: the logo '{value}' is on the web and packgen works offline, so the "
                      "documents have no logo (put the file in the pack's folder and name it here)", loc)
            return None
        path = self.file(value, loc, "logo")
        if path.suffix.lower() not in pictures.PICTURE_SUFFIXES:
            raise self.fail(f"{_dotted(loc)}: the logo '{value}' is not a picture packgen can draw (use SVG, PNG "
                            "or JPEG)", loc)
        trouble = pictures.problem(path)
        if trouble:
            raise self.fail(f"{_dotted(loc)}: the logo '{value}' cannot be drawn: {trouble}", loc)
        return Logo(path, alt, yamlio.line_of(self.lines, loc))

    def colours(self) -> dict[str, str]:
        """color's roles as RRGGBB; a role may name a palette entry or another role, a palette entry another entry."""
        colour = self.mapping(self.data.get("color"), ("color",))
        palette_in = self.mapping(colour.get("palette"), ("color", "palette"))
        entries = {str(name): (value, ("color", "palette", name)) for name, value in palette_in.items()}
        self.palette = {name: self.resolve(value, loc, entries) for name, (value, loc) in entries.items()}
        # A name is looked up in the palette first (brand.yml's own order), then among the roles.
        names = {**{role: (colour[role], ("color", role)) for role in ROLES if role in colour}, **entries}
        out: dict[str, str] = {}
        for role in ROLES:
            if role in colour:
                out[role] = self.resolve(colour[role], ("color", role), names)
                self.note(f"color.{role}", ("color", role))
        return out

    def resolve(self, value: Any, loc: tuple, names: dict[str, tuple[Any, tuple]]) -> str:
        """A colour given directly, or by a name in `names` (which may name another, however many times
        over), as RRGGBB."""
        path, on_path = [loc], {loc}
        name = value.strip() if isinstance(value, str) else None
        while name is not None and name in names:
            value, where = names[name]
            if where in on_path:  # the loop's first member is where it is reported
                chain = " -> ".join(_dotted(step) for step in (*path[path.index(where):], where))
                raise self.fail(f"{_dotted(where)}: the colour names go round in a loop ({chain}): give one of "
                                "them a colour", where)
            path.append(where)
            on_path.add(where)
            loc = where
            name = value.strip() if isinstance(value, str) else None
        if value is None:  # `primary: #1d4e89` unquoted: YAML reads all from the # on as a note
            raise self.fail(f"{_dotted(loc)}: no colour is given: a colour written with # goes in quotes, as in "
                            "'#1b3a6b' (without them, everything from the # on is a note packgen does not read)",
                            loc)
        try:
            found = css_colour(value) if isinstance(value, str) else None
        except ValueError as exc:
            raise self.fail(f"{_dotted(loc)}: {_shown(value)} {exc}", loc) from None
        if found is None:
            unset = f" (color.{name} names a role this brand.yml does not give)" if name in ROLES else ""
            raise self.fail(f"{_dotted(loc)}: {_shown(value)} is not a colour packgen can use{unset}: give a CSS "
                            "colour like '#1b3a6b', 'rgb(27, 58, 107)' or 'navy', a name from color.palette, or "
                            "another color role", loc)
        return found

    def colour(self, value: Any, loc: tuple, roles: dict[str, str]) -> str:
        """typography's colours: a CSS colour, a palette entry or a role (given by `roles`, already resolved)."""
        self.note(_dotted(loc), loc)
        given = {role: (f"#{hex_}", ("color", role)) for role, hex_ in roles.items()}
        palette = {name: (f"#{hex_}", ("color", "palette", name)) for name, hex_ in self.palette.items()}
        return self.resolve(value, loc, {**given, **palette})

    def fonts(self) -> tuple[Font, ...]:
        typography = self.mapping(self.data.get("typography"), ("typography",))
        fonts = typography.get("fonts")
        if fonts is None:
            return ()
        if not isinstance(fonts, list):
            raise self.fail("typography.fonts: expected a list of fonts", ("typography", "fonts"))
        out = []
        for n, font in enumerate(fonts):
            loc = ("typography", "fonts", n)
            font = self.mapping(font, loc)
            family = self.text(font.get("family"), loc + ("family",))
            source = font.get("source", "file")
            if source in FETCHED_SOURCES:
                self.warn(f"typography.fonts: the font '{family}' comes from {source} and packgen works offline, "
                          "so the theme's own font is used (download its files into the pack's folder and give "
                          "them with 'source: file')", loc + ("source",))
                continue
            if source == "system":
                continue  # a font on the reader's own machine: nothing packgen can embed
            if source != "file":
                raise self.fail(f"typography.fonts.{n}.source: {_shown(source)} is not a font source (use file, "
                                "google, bunny or system)", loc + ("source",))
            files = font.get("files")
            if not isinstance(files, list) or not files:
                raise self.fail(f"typography.fonts.{n}.files: a font with 'source: file' needs a list of its files",
                                loc + ("files",))
            out.append(Font(family, tuple(self.font_file(f, loc + ("files", i)) for i, f in enumerate(files)),
                            yamlio.line_of(self.lines, loc)))
        return tuple(out)

    def font_file(self, entry: Any, loc: tuple) -> FontFile:
        weight, style = 400, "normal"
        if isinstance(entry, dict):
            weight = self.weight(entry.get("weight", 400), loc + ("weight",))
            style = entry.get("style", "normal")
            if style not in ("normal", "italic"):
                raise self.fail(f"{_dotted(loc + ('style',))}: {_shown(style)} is not a font style (use normal or "
                                "italic)", loc + ("style",))
            entry, loc = entry.get("path"), loc + ("path",)
        value = self.text(entry, loc)
        path = self.file(value, loc, "font file")
        if path.suffix.lower() not in FONT_SUFFIXES:
            raise self.fail(f"{_dotted(loc)}: the font file '{value}' is not a TrueType or OpenType font (.ttf or "
                            ".otf)", loc)
        return FontFile(path, weight, style, self.fs_type(path, value, loc), yamlio.line_of(self.lines, loc))

    def fs_type(self, path: Path, value: str, loc: tuple) -> int:
        """The font's embedding permissions (OS/2 fsType), refused here when no document may carry it."""
        import struct

        from fontTools.ttLib import TTFont, TTLibError

        try:
            with TTFont(str(path), lazy=True) as font:
                size = path.stat().st_size
                cut = [tag for tag, entry in font.reader.tables.items() if entry.offset + entry.length > size]
                fs_type = int(font["OS/2"].fsType) if "OS/2" in font and not cut else 0
                outlines = "glyf" in font
        except (TTLibError, OSError, KeyError, AssertionError, struct.error, ValueError) as exc:
            raise self.fail(f"{_dotted(loc)}: the font file '{value}' cannot be read ({exc})", loc) from None
        if cut:
            raise self.fail(f"{_dotted(loc)}: the font file '{value}' is cut short (a download that did not "
                            "finish?): download it again", loc)
        if _usage(fs_type) == FS_RESTRICTED:
            raise self.fail(f"{_dotted(loc)}: the font '{value}' has a restricted licence (its fsType forbids "
                            "embedding it in any document): ask its maker for a licence that allows embedding", loc)
        if fs_type & FS_BITMAP_ONLY:
            raise self.fail(f"{_dotted(loc)}: the font '{value}' may only be embedded as bitmaps (its fsType "
                            "says so), which would make the text unreadable to screen readers: use another font",
                            loc)
        if not outlines:
            raise self.fail(f"{_dotted(loc)}: the font '{value}' has PostScript (CFF) outlines, which packgen "
                            "cannot embed yet: use its TrueType (.ttf) version", loc)
        return fs_type

    def weight(self, value: Any, loc: tuple) -> int:
        if isinstance(value, str) and value.strip().lower() in WEIGHTS:
            return WEIGHTS[value.strip().lower()]
        if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 900:
            return value
        raise self.fail(f"{_dotted(loc)}: {_shown(value)} is not a font weight (use 100 to 900, normal or bold)",
                        loc)

    def family(self, value: Any, loc: tuple, fonts: tuple[Font, ...]) -> str:
        """A family packgen can embed (one given with 'source: file'), or "" for the theme's own."""
        family = self.text(value, loc)
        self.note(_dotted(loc), loc)
        if any(f.family == family for f in fonts):
            return family
        # A family typography.fonts gives from the web or the reader's machine is said there (or is the
        # brand's own choice); one it does not give at all is warned of here, not stopped: brand.yml is
        # shared with tools that find fonts by name, where a family with no files is no mistake.
        if family not in self.declared():
            add = f"add '{family}' to typography.fonts with 'source: file' and its files"
            known = ", ".join(f"'{f.family}'" for f in fonts)
            self.warn(f"{_dotted(loc)}: the font '{family}' has no font files, so the theme's own font is used: " +
                      (f"name one of the fonts with files ({known}), or {add}" if known else add), loc)
        return ""

    def declared(self) -> set[str]:
        """The families typography.fonts names, whatever their source (fonts() has checked each entry)."""
        typography = self.mapping(self.data.get("typography"), ("typography",))
        return {str(font.get("family", "")).strip() for font in typography.get("fonts") or ()
                if isinstance(font, dict)}

    def base(self, base: Any, fonts: tuple[Font, ...]) -> tuple[str, float | None]:
        loc = ("typography", "base")
        if isinstance(base, str):
            return self.family(base, loc, fonts), None
        base = self.mapping(base, loc)
        family = self.family(base["family"], loc + ("family",), fonts) if "family" in base else ""
        size = None
        if "size" in base:
            value = base["size"]
            match = _SIZE.match(str(value)) if isinstance(value, int | float | str) else None
            if match is None or isinstance(value, bool):
                raise self.fail(f"typography.base.size: {_shown(value)} is not a size packgen can use (give points, "
                                "like 12pt, or pixels, like 16px)", loc + ("size",))
            size = float(match.group(1)) * (0.75 if match.group(2) == "px" else 1)
            if not 0 < size <= LARGEST_TEXT_PT:
                raise self.fail(f"typography.base.size: {_shown(value)} is not a size packgen can use (give more "
                                f"than 0 and at most {LARGEST_TEXT_PT}pt, like 12pt)", loc + ("size",))
            self.note("typography.base.size", loc + ("size",))
        return family, size


def css_colour(value: str) -> str | None:
    """A CSS colour as brand.yml gives one (#rgb, #rrggbb, rgb(), a CSS name) as RRGGBB, or None when it is none.

    ValueError, saying why, for a colour packgen cannot use: one that is not fully opaque, or rgb() out of range.
    The names are CSS Color 4's: webcolors' CSS3 list and rebeccapurple, the one name Color 4 added.
    """
    text = value.strip()
    match = _HEX_COLOUR.match(text)
    if match:
        digits = match.group(1) or match.group(2)
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        if len(digits) == 8 and digits[6:].lower() != "ff":
            raise ValueError(OPAQUE_ONLY)
        return digits[:6].upper()
    match = _RGB.match(text)
    if match:
        return _rgb_function(match.group(1))
    name = text.lower()
    if name == "transparent":
        raise ValueError(OPAQUE_ONLY)
    if name == "rebeccapurple":
        return "663399"
    try:
        return webcolors.name_to_hex(name, spec=webcolors.CSS3)[1:].upper()
    except ValueError:
        return None


def _rgb_function(inside: str) -> str:
    """rgb(r, g, b), rgba(r, g, b, a) or rgb(r g b / a): numbers 0-255 or percentages, alpha 1 or 100% only."""
    alpha = None
    if "," in inside:
        parts = [p.strip() for p in inside.split(",")]
        if len(parts) == 4:
            alpha = parts.pop()
    else:
        main, slash, alpha_part = inside.partition("/")
        parts = main.split()
        alpha = alpha_part.strip() if slash else None
    channels = [_NUMBER.match(p) for p in parts]
    if len(parts) != 3 or not all(channels):
        raise ValueError("is not an rgb() colour packgen can read: give three numbers from 0 to 255 (or "
                         "percentages), like 'rgb(27, 58, 107)'")
    out = []
    for m in channels:
        number = float(m.group(1))
        top = 100.0 if m.group(2) else 255.0
        if number > top:
            raise ValueError("has a channel over its top (255, or 100%): give numbers from 0 to 255")
        out.append(int(number * 255 / top + 0.5))
    if alpha is not None:
        m = _NUMBER.match(alpha)
        if not m:
            raise ValueError("has an alpha packgen cannot read: leave it out (packgen needs opaque colours)")
        if float(m.group(1)) != (100.0 if m.group(2) else 1.0):
            raise ValueError(OPAQUE_ONLY)
    return "".join(f"{c:02X}" for c in out)


def _dotted(loc: tuple) -> str:
    return ".".join(str(p) for p in loc)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a set of keys"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'" if value is not None else "nothing"
