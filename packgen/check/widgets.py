"""Form widgets: tick boxes a viewer cannot redraw, and answer cells with no widget to answer in.

- pdf-tick-redraw: a viewer that redraws a ticked box itself (after a form update, or because the
  file asks it to) draws /MK /CA, the mark's character, in the font its /DA names from the form's
  resources. With no /MK /CA, or a font that is missing, not embedded or without that character,
  it draws nothing, or a digit, where the tick was.

Files come from anywhere: every walk is bounded and anything unreadable counts as missing.
"""

from __future__ import annotations

import io
import re
from struct import error as struct_error

import pikepdf

from packgen.check.context import FileContext
from packgen.check.findings import Finding, error
from packgen.check.pdf import _text

MAX_WIDGETS = 10_000
MAX_DEPTH = 64
FF_RADIO, FF_PUSHBUTTON = 1 << 15, 1 << 16
FONT_FILES = ("/FontFile2", "/FontFile3", "/FontFile")
DA_FONT = re.compile(r"/([^\s/\[\]()<>{}%]+)\s+[-+\d.]+\s+Tf")
TICK_FIX = ("In the program that made the file, give each tick box a check-mark style (/MK /CA) and a font "
            "that is embedded and has that mark. A packgen file: rebuild it with 'make'; if the problem "
            "stays, report it.")


def _inherited(field: pikepdf.Object, key: str) -> pikepdf.Object | None:
    node, depth = field, 0
    while isinstance(node, pikepdf.Dictionary) and depth < MAX_DEPTH:
        if key in node:
            return node.get(key)
        node, depth = node.get("/Parent"), depth + 1
    return None


def _is_tick_box(annot: pikepdf.Object) -> bool:
    if annot.get("/Subtype") != pikepdf.Name.Widget or _inherited(annot, "/FT") != pikepdf.Name.Btn:
        return False
    flags = _inherited(annot, "/Ff")
    try:
        bits = int(flags) if flags is not None else 0
    except (TypeError, ValueError):
        bits = 0
    return not bits & (FF_RADIO | FF_PUSHBUTTON)


def _font(annot: pikepdf.Object, acroform: pikepdf.Object, name: str) -> pikepdf.Object | None:
    """The font `name` from the widget's own resources, else the form's (/DR)."""
    for holder in (annot, acroform):
        resources = holder.get("/DR") if isinstance(holder, pikepdf.Dictionary) else None
        fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
        if isinstance(fonts, pikepdf.Dictionary) and f"/{name}" in fonts:
            return fonts.get(f"/{name}")
    return None


def _descriptor(font: pikepdf.Object) -> pikepdf.Object | None:
    if font.get("/Subtype") == pikepdf.Name.Type0:
        kids = font.get("/DescendantFonts")
        font = kids[0] if isinstance(kids, pikepdf.Array) and len(kids) else None
    descriptor = font.get("/FontDescriptor") if isinstance(font, pikepdf.Dictionary) else None
    return descriptor if isinstance(descriptor, pikepdf.Dictionary) else None


def _has_mark(font: pikepdf.Object, mark: str) -> bool | None:
    """Whether an embedded TrueType program draws `mark` (True/False); None when it is not one we read."""
    descriptor = _descriptor(font)
    program = descriptor.get("/FontFile2") if descriptor is not None else None
    if not isinstance(program, pikepdf.Stream):
        return None
    from fontTools.ttLib import TTFont, TTLibError

    try:
        tt = TTFont(io.BytesIO(program.read_bytes()), lazy=True)
        code = ord(mark)
        simple = font.get("/Subtype") != pikepdf.Name.Type0
        candidates = {(3, 0): [0xF000 + code, code], (1, 0): [code], (3, 1): [code]} if simple else \
            {(3, 1): [code], (3, 10): [code], (0, 3): [code]}
        for table in tt["cmap"].tables:
            for wanted in candidates.get((table.platformID, table.platEncID), ()):
                name = table.cmap.get(wanted)
                if name and name != ".notdef":
                    glyph = tt["glyf"][name] if "glyf" in tt else None
                    return glyph is None or glyph.numberOfContours != 0
        return False
    except (TTLibError, KeyError, AttributeError, ValueError, TypeError, OSError, AssertionError, struct_error):
        return False


def pdf_findings(ctx: FileContext, pdf: pikepdf.Pdf) -> list[Finding]:
    """This module's rules for one PDF."""
    return tick_box_findings(ctx, pdf)


def tick_box_findings(ctx: FileContext, pdf: pikepdf.Pdf) -> list[Finding]:
    """pdf-tick-redraw: one finding per tick box a viewer cannot redraw with its tick."""
    acroform = pdf.Root.get("/AcroForm")
    findings: list[Finding] = []
    seen = 0
    for number, page in enumerate(pdf.pages, start=1):
        annots = page.obj.get("/Annots")
        if not isinstance(annots, pikepdf.Array):
            continue
        for annot in annots:
            seen += 1
            if seen > MAX_WIDGETS:
                return findings
            if not isinstance(annot, pikepdf.Dictionary) or not _is_tick_box(annot):
                continue
            problem = _redraw_problem(annot, acroform)
            if problem:
                name = _text(_inherited(annot, "/TU")) or _text(_inherited(annot, "/T"))
                findings.append(error("pdf-tick-redraw", ctx.label, f"page {number}, tick box '{name[:60]}'",
                                      f"A viewer that redraws this tick box cannot draw its tick: {problem}.",
                                      TICK_FIX))
    return findings


def _redraw_problem(annot: pikepdf.Object, acroform: pikepdf.Object | None) -> str:
    mk = annot.get("/MK")
    mark = _text(mk.get("/CA")) if isinstance(mk, pikepdf.Dictionary) else ""
    if not mark:
        return "it names no mark (/MK /CA)"
    found = DA_FONT.search(_text(_inherited(annot, "/DA")) or _text(
        acroform.get("/DA") if isinstance(acroform, pikepdf.Dictionary) else None))
    if not found:
        return "its default appearance (/DA) names no font"
    font = _font(annot, acroform, found.group(1))
    if not isinstance(font, pikepdf.Dictionary):
        return f"the font its /DA names ({found.group(1)}) is not in the form's resources"
    descriptor = _descriptor(font)
    if descriptor is None or not any(isinstance(descriptor.get(k), pikepdf.Stream) for k in FONT_FILES):
        return f"the font its /DA names ({found.group(1)}) is not embedded"
    if _has_mark(font, mark[0]) is False:
        return f"the font its /DA names ({found.group(1)}) has no glyph for its mark '{mark[0]}'"
    return ""

