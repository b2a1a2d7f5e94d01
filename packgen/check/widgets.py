"""Form widgets: tick boxes a viewer cannot redraw, and answer cells with no widget to answer in.

- pdf-empty-answer-cells: a table whose column is empty in every body row, with no widget to answer
  in (see answers); the table's cells are read from the structure tree.
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

from packgen.check.answers import empty_answer_columns, finding
from packgen.check.context import FileContext
from packgen.check.findings import Finding, error
from packgen.check.pdf import _text

MAX_WIDGETS = 10_000
MAX_DEPTH = 64
FF_RADIO, FF_PUSHBUTTON = 1 << 15, 1 << 16
FONT_FILES = ("/FontFile2", "/FontFile3", "/FontFile")
DA_FONT = re.compile(r"/([^\s/\[\]()<>{}%]+)\s+[-+\d.]+\s+Tf")
TICK_FIX = ("Rebuild it with 'make'; if the problem stays, report it: packgen's PDF writer makes the tick "
            "boxes.")  # another program's file: rules.FIX_ELSEWHERE


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
    return tick_box_findings(ctx, pdf) + answer_cell_findings(ctx, pdf)


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



# --- tables whose answer cells hold nothing -----------------------------------------------------------

MAX_ELEMENTS = 2_000_000  # structure elements and content operators read
PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "INLINE IMAGE"}
CELLS = ("/TD", "/TH")


class _Tree:
    """The structure tree's elements, role-mapped, walked within a budget (a hostile tree costs nothing)."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        root = pdf.Root.get("/StructTreeRoot")
        self.root = root if isinstance(root, pikepdf.Dictionary) else None
        roles = self.root.get("/RoleMap") if self.root is not None else None
        self.roles = {str(k): str(v) for k, v in roles.items() if isinstance(v, pikepdf.Name)} \
            if isinstance(roles, pikepdf.Dictionary) else {}
        self.budget = MAX_ELEMENTS
        self.pages: dict[tuple[int, int], set[int]] = {}

    def kind(self, elem: pikepdf.Object) -> str:
        name = str(elem.get("/S", ""))
        return self.roles.get(name, name)

    def kids(self, elem: pikepdf.Object) -> list[pikepdf.Object]:
        k = elem.get("/K")
        items = list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]
        self.budget -= len(items)
        if self.budget < 0:
            raise LimitReached
        return items

    def elements(self, top: pikepdf.Object, depth: int = 0):
        """Every structure element under `top`, depth first."""
        if depth > MAX_DEPTH:
            return
        for kid in self.kids(top):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield kid
                yield from self.elements(kid, depth + 1)

    def holds_content(self, elem: pikepdf.Object, page: pikepdf.Object | None = None, depth: int = 0) -> bool:
        """Marked content that paints something, or an object (a widget), anywhere under the element."""
        if depth > MAX_DEPTH:
            return True
        page = elem.get("/Pg", page)
        for kid in self.kids(elem):
            if isinstance(kid, int):
                if int(kid) in self.painted(page):
                    return True
            elif isinstance(kid, pikepdf.Dictionary):
                if "/Obj" in kid:
                    return True
                if "/MCID" in kid and int(kid.MCID) in self.painted(kid.get("/Pg", page)):
                    return True
                if "/S" in kid and self.holds_content(kid, page, depth + 1):
                    return True
        return False

    def painted(self, page: pikepdf.Object | None) -> set[int]:
        """The MCIDs on a page whose marked content paints text, a path or a picture (read once per page)."""
        if not isinstance(page, pikepdf.Dictionary):
            return set()
        key = page.objgen
        if key not in self.pages:
            self.pages[key] = found = set()
            stack: list[int | None] = []
            try:
                operations = pikepdf.parse_content_stream(pikepdf.Page(page))
            except (pikepdf.PdfError, ValueError, TypeError):
                return found
            self.budget -= len(operations)
            if self.budget < 0:
                raise LimitReached
            for operands, operator in operations:
                op = str(operator)
                if op in ("BDC", "BMC"):
                    mcid = operands[1].get("/MCID") if op == "BDC" and len(operands) > 1 and isinstance(
                        operands[1], pikepdf.Dictionary) else None
                    stack.append(int(mcid) if mcid is not None else (stack[-1] if stack else None))
                elif op == "EMC":
                    if stack:
                        stack.pop()
                elif op in PAINTING and stack and stack[-1] is not None:
                    found.add(stack[-1])
        return self.pages[key]


class LimitReached(Exception):
    """The structure tree is larger than any real document's."""


def answer_cell_findings(ctx: FileContext, pdf: pikepdf.Pdf) -> list[Finding]:
    """pdf-empty-answer-cells for each Table in the structure tree."""
    tree = _Tree(pdf)
    if tree.root is None:
        return []
    found = []
    try:
        tables = [e for e in tree.elements(tree.root) if tree.kind(e) == "/Table"]
        for n, table in enumerate(tables, 1):
            rows = [r for r in tree.elements(table) if tree.kind(r) == "/TR"]
            cells = [[c for c in tree.kids(r) if isinstance(c, pikepdf.Dictionary) and tree.kind(c) in CELLS]
                     for r in rows]
            body = [row for row in cells if any(tree.kind(c) == "/TD" for c in row)]
            columns = empty_answer_columns([[not tree.holds_content(c) for c in row] for row in body])
            if columns:
                found.append(finding("pdf-empty-answer-cells", ctx, f"table {n}{_page(pdf, table)}", columns))
    except LimitReached:
        return found
    return found


def _page(pdf: pikepdf.Pdf, elem: pikepdf.Object) -> str:
    page = elem.get("/Pg")
    for number, candidate in enumerate(pdf.pages, start=1):
        if page is not None and candidate.obj.objgen == page.objgen:
            return f" on page {number}"
    return ""
