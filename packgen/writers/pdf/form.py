"""Fillable form fields (AcroForm): widgets placed while drawing, dictionaries and appearances after.

While the page is drawn, a field's flowable draws its paper look (a box, a line, a square) as an
artifact and calls `FormCollector.place`, which registers the widget with the tagger as an OBJR
kid of the field's `Form` element (so it gets its /StructParent key) and records where it is. The
file's last step (`fields`, before the tag tree is made, since the tree looks widgets up by
/StructParent) then makes one merged field/widget dictionary per field:

- text, multiline (/Ff 4096), email, telephone and date: /FT /Tx; signature: /FT /Sig (empty);
  tick box: /FT /Btn with /Yes and /Off appearances, the tick drawn as a path, and /MK /CA and /DA
  naming packgen's embedded tick font, for a viewer that redraws the box (see tickmark).
- /T is the field id, /TU its visible label (with the required mark) and help, /Ff bit 2 when
  required; /V and the appearance carry a pre-filled value.
- Every widget has /AP /N, drawn with the theme's fonts embedded whole (Type0, see cidfont), the
  body font first: it is the /DR and /DA default, so a viewer can draw whatever is typed.
  /NeedAppearances is not set: the appearances are ours.

`text_appearance` is shared with `form_fill`, which redraws the appearances of a finished form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packgen.model import FormField
from packgen.theme import Theme
from packgen.writers.pdf import tickmark
from packgen.writers.pdf.bidi import base_level, levels, visual_order
from packgen.writers.pdf.cidfont import CIDFont, static_font_bytes
from packgen.writers.pdf.fonts import MissingGlyph
from packgen.writers.pdf.pdffile import Indirect, Name, Stream, hex_text
from packgen.writers.pdf.tagging import Element, Tagger

FF_REQUIRED = 1 << 1
FF_MULTILINE = 1 << 12
FF_DONOTSPELLCHECK = 1 << 22
TRUE_VALUES = frozenset({"true", "yes", "1", "on", "x"})
PADDING = 2.0
ON = "/Yes"


@dataclass
class Widget:
    field: FormField
    name: str  # the accessible name (/TU)
    page: int
    rect: tuple[float, float, float, float]
    key: int  # /StructParent
    size: float
    colour: str


class FormCollector:
    """The widgets placed on the pages of one layout pass."""

    def __init__(self, tagger: Tagger):
        self.tagger = tagger
        self.widgets: list[Widget] = []

    def reset(self) -> None:
        self.widgets = []

    def place(self, canv, element: Element, field: FormField, name: str, x: float, y: float, w: float,
              h: float, size: float, colour: str) -> None:
        """Record a widget at (x, y, w, h) in the flowable's coordinates on the current page."""
        x0, y0 = canv.absolutePosition(x, y)
        x1, y1 = canv.absolutePosition(x + w, y + h)
        key = self.tagger.annotation(element)
        self.widgets.append(Widget(field, name, self.tagger.page, (round(x0, 3), round(y0, 3), round(x1, 3),
                                                                   round(y1, 3)), key, size, colour))


def accessible_name(*parts: str) -> str:
    """The visible words joined as one sentence-like name: label, then help, then format hint."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out:
            out += " " if out[-1] in ".?!:;" else ". "
        out += part
    return out


def ticked(value: str) -> bool:
    return value.strip().lower() in TRUE_VALUES


# --- fonts ------------------------------------------------------------------------------------------

def field_fonts(theme: Theme) -> list[CIDFont]:
    """The regular face of the body font and each fallback, whole, in the theme's order."""
    return [CIDFont.from_bytes(static_font_bytes(Path(files.regular)))
            for files in (theme.editable_font, *theme.fallback_fonts)]


def font_names(count: int) -> list[str]:
    return [f"PGF{i}" for i in range(count)]


# --- appearance streams -------------------------------------------------------------------------------

def _rgb(colour: str) -> str:
    return " ".join(f"{int(colour[i:i + 2], 16) / 255:.3f}" for i in (0, 2, 4))


def _runs(text: str, fonts: list[CIDFont]) -> list[tuple[int, int, str]]:
    """(font index, level, text) runs of one paragraph in logical order."""
    lv = levels(text)
    runs: list[tuple[int, int, str]] = []
    current = -1
    for i, char in enumerate(text):
        if char.isspace() and current >= 0:
            index = current
        else:
            index = next((n for n, f in enumerate(fonts) if f.has(char)), -1)
            if index < 0:
                if char.isspace():
                    index = 0
                else:
                    raise MissingGlyph(char)
        if runs and runs[-1][0] == index and runs[-1][1] == lv[i]:
            runs[-1] = (index, lv[i], runs[-1][2] + char)
        else:
            runs.append((index, lv[i], char))
        current = index
    return runs


def _line_glyphs(runs, fonts: list[CIDFont], size: float):
    """Shape runs; return [(font index, clusters, width in points)] in visual order (see shape_clusters)."""
    shaped = []
    for index, level, text in runs:
        rtl = bool(level % 2)
        glyphs, advance = fonts[index].shape_clusters(text, rtl)
        shaped.append((index, glyphs, advance * size / fonts[index].upem, level))
    order = visual_order(shaped, [s[3] for s in shaped])
    return [(i, g, w) for i, g, w, _ in order]


def _wrap(paragraph: str, fonts: list[CIDFont], size: float, width: float) -> list[str]:
    """Greedy breaking at spaces in logical order (a word wider than the box keeps its own line)."""
    words = paragraph.split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}" if current else word
        w = sum(g[2] for g in _line_glyphs(_runs(trial, fonts), fonts, size)) if trial else 0
        if current and w > width:
            lines.append(current)
            current = word
        else:
            current = trial
    lines.append(current)
    return lines


def text_appearance(value: str, width: float, height: float, fonts: list[CIDFont], names: list[str],
                    size: float, colour: str, multiline: bool) -> bytes:
    """The /N appearance content of a text field showing `value` (shaped, bidi-ordered, clipped).

    Right-to-left text sits inside an ActualText span holding the value in logical order, so text
    extraction reads what was typed, not the glyphs' visual order.
    """
    ops = ["/Tx BMC", "q", f"{PADDING / 2:.2f} {PADDING / 2:.2f} {width - PADDING:.2f} {height - PADDING:.2f} re W n"]
    if value:
        leading = size * 1.2
        inner = width - 2 * PADDING
        paragraphs = value.replace("\r\n", "\n").replace("\r", "\n").split("\n") if multiline else \
            [" ".join(value.split())]
        lines: list[str] = []
        for para in paragraphs:
            lines.extend(_wrap(para, fonts, size, inner) if multiline else [para])
        ops.append("BT")
        ops.append(f"{_rgb(colour)} rg")
        if multiline:
            baseline = height - PADDING - size
        else:
            baseline = (height - size * 0.72) / 2 + size * 0.02
        current = None
        for line in lines:
            glyph_runs = _line_glyphs(_runs(line, fonts), fonts, size) if line else []
            line_w = sum(r[2] for r in glyph_runs)
            x = PADDING if not base_level(line) else max(PADDING, width - PADDING - line_w)
            for index, glyphs, _ in glyph_runs:
                if index != current:
                    ops.append(f"/{names[index]} {size:g} Tf")
                    current = index
                scale = size / fonts[index].upem
                for actual, cluster in glyphs:
                    shows = []
                    for gid, adv, xoff, yoff in cluster:
                        shows.append((adv == 0, f"1 0 0 1 {x + xoff * scale:.3f} {baseline + yoff * scale:.3f} Tm "
                                                f"<{gid:04X}> Tj"))
                        x += adv * scale
                    letters = " ".join(show for mark, show in shows if not mark)
                    marks = " ".join(show for mark, show in shows if mark)
                    if actual is None:
                        ops.append(" ".join(show for _, show in shows))
                    else:
                        # a shaped right-to-left cluster says which letters it stands for (ActualText),
                        # so text extraction, which orders right-to-left text by position, reads what
                        # was typed. Its zero-width marks (dots, vowel signs) follow in a span of no
                        # text: extraction takes a span's extent from its first and last glyphs, and a
                        # mark set off to one side would look like a gap between words.
                        ops.append(f"/Span <</ActualText {hex_text(actual)}>> BDC {letters or marks} EMC")
                        if letters and marks:
                            ops.append(f"/Span <</ActualText <FEFF>>> BDC {marks} EMC")
            baseline -= leading
        ops.append("ET")
    ops += ["Q", "EMC"]
    return "\n".join(ops).encode("ascii")


def tick_appearance(width: float, height: float, colour: str) -> bytes:
    """A tick drawn as a stroked path inside the box (no font, so every viewer shows the same mark)."""
    side = min(width, height)
    w = max(1.2, side / 8)
    x0, y0 = (width - side) / 2, (height - side) / 2
    pts = [(0.2, 0.52), (0.42, 0.28), (0.8, 0.76)]
    path = " ".join(f"{x0 + px * side:.2f} {y0 + py * side:.2f} {op}" for (px, py), op in zip(pts, ("m", "l", "l"),
                                                                                             strict=True))
    return f"q {_rgb(colour)} RG {w:.2f} w 1 J 1 j {path} S Q".encode("ascii")


def _xobject(content: bytes, width: float, height: float, resources: Any = None) -> Stream:
    return Stream({"Type": Name("XObject"), "Subtype": Name("Form"), "BBox": [0, 0, round(width, 3), round(height, 3)],
                   "Resources": resources if resources is not None else {}}, content, compress=len(content) > 64)


def default_appearance(name: str, size: float, colour: str) -> str:
    return f"/{name} {size:g} Tf {_rgb(colour)} rg"


DA_PATTERN = re.compile(r"/(\S+)\s+([\d.]+)\s+Tf\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+rg")


def parse_default_appearance(da: str) -> tuple[str, float, str]:
    """(font name, size, RRGGBB) from a /DA string we wrote."""
    m = DA_PATTERN.search(da)
    if not m:
        return "PGF0", 12.0, "1A1A1A"
    colour = "".join(f"{round(float(v) * 255):02X}" for v in m.group(3, 4, 5))
    return m.group(1), float(m.group(2)), colour


# --- the fields -------------------------------------------------------------------------------------

def fields(pages: list[Any], widgets: list[Widget], fonts: list[CIDFont]) -> Indirect | None:
    """The AcroForm, with one merged field/widget per recorded widget, each added to its page's /Annots.

    `pages` are the file's page objects (ReportLab's), in order.
    """
    if not widgets:
        return None
    ticks_only = all(w.field.type == "checkbox" for w in widgets)
    if ticks_only:  # nothing to type in (a checklist): the text fonts would only make the file heavy
        fonts = []
    names = font_names(len(fonts))
    font_dict = {n: f.objects() for n, f in zip(names, fonts, strict=True)}
    resources = Indirect({"Font": font_dict})
    fields: list[Indirect] = []
    seen: set[str] = set()
    for w in widgets:
        f = w.field
        if f.id in seen:
            raise ValueError(f"two form fields have the id '{f.id}'")
        seen.add(f.id)
        x0, y0, x1, y1 = w.rect
        width, height = x1 - x0, y1 - y0
        page = pages[w.page]
        annot: dict[str, Any] = {
            "Type": Name("Annot"), "Subtype": Name("Widget"), "Rect": [x0, y0, x1, y1], "F": 4, "P": page,
            "T": f.id, "TU": w.name, "StructParent": w.key}
        if names:
            annot["DA"] = default_appearance(names[0], w.size, w.colour)
        annot["MK"] = {}
        flags = FF_REQUIRED if f.required else 0
        if f.type == "checkbox":
            state = Name(ON[1:] if ticked(f.value) else "Off")
            annot.update(FT=Name("Btn"), V=state, AS=state, DA=tickmark.default_appearance(_rgb(w.colour)),
                         MK=tickmark.appearance_characteristics(),
                         AP={"N": {ON[1:]: _xobject(tick_appearance(width, height, w.colour), width, height),
                                   "Off": _xobject(b"", width, height)}})
        elif f.type == "signature":
            annot.update(FT=Name("Sig"), AP={"N": _xobject(b"", width, height)})
        else:
            annot["FT"] = Name("Tx")
            if f.type == "multiline":
                flags |= FF_MULTILINE
            if f.type in ("email", "telephone", "date"):
                flags |= FF_DONOTSPELLCHECK
            if f.value:
                annot["V"] = f.value
            content = text_appearance(f.value, width, height, fonts, names, w.size, w.colour,
                                      f.type == "multiline")
            annot["AP"] = {"N": _xobject(content, width, height, resources)}
        if flags:
            annot["Ff"] = flags
        ref = Indirect(annot)
        if not isinstance(page.Annots, list):
            page.Annots = list(page.Annots or [])
        page.Annots.append(ref)
        fields.append(ref)
    # a viewer redrawing a tick box takes its mark from the font named ZaDb here (see tickmark)
    resource_fonts = {**font_dict, tickmark.RESOURCE: tickmark.font_objects()} if any(
        w.field.type == "checkbox" for w in widgets) else font_dict
    return Indirect({"Fields": fields, "DR": {"Font": resource_fonts},
                     "DA": tickmark.default_appearance(_rgb("1A1A1A")) if ticks_only else
                     default_appearance(names[0], 0, "1A1A1A")})
