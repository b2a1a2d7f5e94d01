"""Platypus flowables that tag what they draw: text blocks, pictures, picture rows, tables, write-on boxes.

Each flowable knows its structure element and opens marked content for it at the moment it
paints, through the Tagger; lines, backgrounds and other decoration are drawn as artifacts. Split
parts keep the same element, so a paragraph or a table crossing a page stays one element.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab.platypus import Flowable, KeepTogether

from packgen.writers.pdf import pictures
from packgen.writers.pdf.tagging import Element, Tagger
from packgen.writers.pdf.text import Line, Piece, break_lines, draw_lines, rgb

MIN_LINES = 2  # the fewest lines of a paragraph a page may hold when the paragraph crosses it


@dataclass(frozen=True)
class Bookmark:
    """An outline entry made when a heading is drawn."""

    key: str
    title: str
    level: int  # 0-based outline level, never more than one deeper than the entry before


class TextBlock(Flowable):
    """A paragraph, heading, caption, list item's text or table cell, with an optional list label."""

    def __init__(self, tagger: Tagger, tokens: list | Callable[[], list], element: Element | None, size: float,
                 leading: float,
                 space_before: float = 0, space_after: float = 0, indent: float = 0,
                 label: list[Piece] | None = None, label_element: Element | None = None,
                 bookmark: Bookmark | None = None, keep_with_next: bool = False, align: str = "left"):
        super().__init__()
        self.tagger = tagger
        self._tokens = tokens
        self.element = element
        self.size = size
        self.leading = leading
        self.space_before = space_before
        self.space_after = space_after
        self.indent = indent
        self.label = label
        self.label_element = label_element
        self.bookmark = bookmark
        self.keepWithNext = keep_with_next
        self.align = align  # a table cell's column alignment: "left", "center" or "right"
        self.lines: list[Line] | None = None
        self._wrapped_for: float | None = None

    @property
    def tokens(self) -> list:
        """The shaped words, made when first needed: shaping a long document's every paragraph up
        front would hold them all in memory at once; made as pages are laid out, each is freed with
        its page."""
        if callable(self._tokens):
            self._tokens = self._tokens()
        return self._tokens

    def getSpaceBefore(self) -> float:
        return self.space_before

    def getSpaceAfter(self) -> float:
        return self.space_after

    def natural_widths(self) -> tuple[float, float]:
        """(the widest word, the whole text on one line): for sharing a table's width between columns."""
        widest = whole = 0.0
        for tok in self.tokens:
            if isinstance(tok, list):
                w = sum(p.width for p in tok)
                whole += w
                if not (len(tok) == 1 and tok[0].text == " "):
                    widest = max(widest, w)
        return widest + self.indent, whole + self.indent

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        if self.lines is None or self._wrapped_for != aw:
            self.lines = break_lines(self.tokens, aw - self.indent, self.size)
            self._wrapped_for = aw
        self.width = aw
        self.height = len(self.lines) * self.leading
        return aw, self.height

    def _part(self, lines: list[Line], first: bool) -> TextBlock:
        # the first part keeps what belongs to the start (a tick box and its widget); the rest is text
        part = (type(self) if first else TextBlock)(self.tagger, self.tokens, self.element, self.size, self.leading,
                         self.space_before if first else 0, self.space_after if not first else 0,
                         self.indent, self.label if first else None, self.label_element,
                         self.bookmark if first else None, align=self.align)
        part.lines = lines
        part._wrapped_for = self._wrapped_for
        if first and "place" in self.__dict__:
            part.place = self.place  # type: ignore[attr-defined]
        return part

    def split(self, aw: float, ah: float) -> list[Flowable]:
        self.wrap(aw, ah)
        assert self.lines is not None
        # Each part keeps at least two lines (no orphan at a page's foot, no widow at its head), so a
        # paragraph of two or three lines moves whole, and the words that end it (an e-mail address,
        # a link) never stand alone on the next page.
        fit = min(int((ah + 1e-6) // self.leading), len(self.lines) - MIN_LINES)
        if fit < MIN_LINES:
            return []
        return [self._part(self.lines[:fit], True), self._part(self.lines[fit:], False)]

    def artifact_copy(self) -> TextBlock:
        """The same text drawn as an artifact: a table's header row repeated on a later page."""
        copy = TextBlock(self.tagger, self.tokens, None, self.size, self.leading, align=self.align)
        copy.lines, copy._wrapped_for = self.lines, self._wrapped_for
        return copy

    def draw(self) -> None:
        canv = self.canv
        assert self.lines is not None
        if self.bookmark is not None:
            top = canv.absolutePosition(0, self.height)[1]
            canv.bookmarkPage(self.bookmark.key, fit="XYZ", left=0, top=top + self.size)
            canv.addOutlineEntry(self.bookmark.title, self.bookmark.key, self.bookmark.level)
        if self.label:
            label_w = sum(p.width for p in self.label)
            gap = self.size * 0.5
            draw_lines(canv, self.tagger, self.label_element, [Line(self.label, label_w)],
                       self.indent - gap - label_w, self.height, self.size, self.leading)
        draw_lines(canv, self.tagger, self.element, self.lines, self.indent, self.height, self.size,
                   self.leading, ("Layout", ""), self.align, (self._wrapped_for or 0.0) - self.indent)


class KeepWithNext(KeepTogether):
    """Blocks kept with the block after them, as a word processor keeps them: a heading with the
    first lines of what follows it, a list item's label line with the rest of its item.

    When they do not fit whole, the block after them may begin on this page (so a page is not left
    half empty), or the last of them may end on the next with it; only when neither is possible do
    they all move to the next page (ReportLab's KeepTogether, which this is otherwise).
    """

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        *lead, last = self._content
        if self._H <= aH or not lead:
            return super().split(aW, aH)
        used = []  # the height taken by the lead blocks before each, with the spaces between them
        total = 0.0
        for i, block in enumerate(lead):
            used.append(total)
            total += (block.getSpaceBefore() if i else 0) + block.wrapOn(self.canv, aW, aH)[1] + block.getSpaceAfter()
        room = aH - total - last.getSpaceBefore()
        parts = last.splitOn(self.canv, aW, room) if room > 0 else []
        if len(parts) == 2:
            return [*lead, *parts]
        block = lead[-1]
        room = aH - used[-1] - (block.getSpaceBefore() if len(lead) > 1 else 0)
        parts = block.splitOn(self.canv, aW, room) if room > 0 else []
        if len(parts) == 2:
            return [*lead[:-1], parts[0], KeepWithNext([parts[1], last])]
        return super().split(aW, aH)


class PictureBlock(Flowable):
    """A picture tagged as a Figure with its alt text and its bounding box on the page."""

    def __init__(self, tagger: Tagger, path: Path, width: float, pixels: int, element: Element | None,
                 space_before: float = 0, space_after: float = 0, keep_with_next: bool = False,
                 max_height: float = math.inf):
        super().__init__()
        self.tagger = tagger
        self.path = path
        self.pixels = pixels  # the widest a PNG or JPEG is stored (packgen.picture_sizes)
        aspect = pictures.aspect(path, pixels)
        # A picture taller than a page at its width (a tall, thin one) is made narrower to fit the page.
        self.pic_width = min(width, max_height / aspect) if aspect > 0 else width
        self.pic_height = self.pic_width * aspect
        self.element = element
        self.space_before = space_before
        self.space_after = space_after
        self.keepWithNext = keep_with_next

    def getSpaceBefore(self) -> float:
        return self.space_before

    def getSpaceAfter(self) -> float:
        return self.space_after

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return min(self.pic_width, aw), self.pic_height

    def draw(self) -> None:
        canv = self.canv
        sink = canv._code.append
        if self.element is None:
            self.tagger.artifact(sink)
        else:
            self.tagger.begin(sink, self.element)
            x0, y0 = canv.absolutePosition(0, 0)
            x1, y1 = canv.absolutePosition(self.pic_width, self.pic_height)
            self.element.attributes["Layout"] = {"BBox": [round(x0, 2), round(y0, 2), round(x1, 2),
                                                          round(y1, 2)], "Placement": "/Block"}
        pictures.draw(canv, self.path, 0, 0, self.pic_width, self.pic_height, self.pixels)
        self.tagger.end(sink)


class PictureRow(Flowable):
    """An easy-read point: its picture on the left, its text blocks on the right, read in that order.

    A point whose words are longer than a page continues on the next page without the picture,
    its words still in the text column (`picture` None, `side` the picture's width).
    """

    def __init__(self, picture: PictureBlock | None, blocks: list[TextBlock], gap: float, space_after: float,
                 frame_height: float = 0, side: float = 0):
        super().__init__()
        self.picture = picture
        self.side = picture.pic_width if picture is not None else side
        self.blocks = blocks
        self.gap = gap
        self.space_after = space_after
        self.frame_height = frame_height

    def getSpaceAfter(self) -> float:
        return self.space_after

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        text_w = aw - self.side - self.gap
        text_h = 0.0
        for i, block in enumerate(self.blocks):
            text_h += block.wrap(text_w, ah)[1] + (block.space_after if i < len(self.blocks) - 1 else 0)
        self.text_h = text_h
        self.height = max(self.picture.pic_height if self.picture else 0.0, text_h)
        self.width = aw
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        self.wrap(aw, ah)
        if self.height <= ah or not (self.height > self.frame_height > 0):
            return []
        text_w = aw - self.side - self.gap
        first: list[TextBlock] = []
        used = 0.0
        for i, block in enumerate(self.blocks):
            if used + block.height <= ah:
                first.append(block)
                used += block.height + block.space_after
                continue
            parts = block.split(text_w, ah - used)
            if parts:
                first.append(parts[0])  # type: ignore[arg-type]
                rest = [parts[1], *self.blocks[i + 1:]]
            else:
                rest = self.blocks[i:]
            break
        else:
            return []
        if not first or (self.picture is not None and used < self.picture.pic_height and not parts):
            return []
        return [PictureRow(self.picture, first, self.gap, 0, self.frame_height, self.side),
                PictureRow(None, rest, self.gap, self.space_after, self.frame_height, self.side)]  # type: ignore[arg-type]

    def draw(self) -> None:
        canv = self.canv
        pic_h = self.picture.pic_height if self.picture is not None else 0.0
        if self.picture is not None:
            self.picture.drawOn(canv, 0, self.height - pic_h)
        x = self.side + self.gap
        # centre short text on the picture, as easy-read layouts do
        y = self.height - max(0.0, (pic_h - self.text_h) / 2)
        for block in self.blocks:
            y -= block.height
            block.drawOn(canv, x, y)
            y -= block.space_after


# places a form widget: (canvas, x, y, width, height) in the flowable's coordinates
Place = Callable[[object, float, float, float, float], None]


class WriteBox(Flowable):
    """A box or line to write on, drawn as an artifact, with the fillable widget over it (if `place`)."""

    def __init__(self, tagger: Tagger, height: float, colour: str, kind: str = "box",
                 space_after: float = 0, indent: float = 0, place: Place | None = None):
        super().__init__()
        self.tagger = tagger
        self.box_height = height
        self.colour = colour
        self.kind = kind
        self.space_after = space_after
        self.indent = indent
        self.place = place

    def getSpaceAfter(self) -> float:
        return self.space_after

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        return aw, self.box_height

    def draw(self) -> None:
        canv = self.canv
        sink = canv._code.append
        self.tagger.artifact(sink)
        canv.saveState()
        canv.setStrokeColorRGB(*rgb(self.colour))
        canv.setLineWidth(1)
        if self.kind == "line":
            canv.line(self.indent, 0, self.width, 0)
        else:
            canv.rect(self.indent, 0, self.width - self.indent, self.box_height, stroke=1, fill=0)
        canv.restoreState()
        self.tagger.end(sink)
        if self.place is not None:
            inset = 0.5 if self.kind == "box" else 0.0
            self.place(canv, self.indent + inset, inset + (1.0 if self.kind == "line" else 0.0),
                       self.width - self.indent - 2 * inset, self.box_height - 2 * inset)


class TickBoxText(TextBlock):
    """A tick-box line: a drawn square (artifact) in the indent, its widget over it, then the label's words.

    The widget is placed before the words are drawn, so its Form element comes first in reading
    order, as the box comes first on the line.
    """

    box_colour = "1A1A1A"
    place: Place | None = None
    side_ratio = 1.25

    def draw(self) -> None:
        canv = self.canv
        sink = canv._code.append
        side = min(self.size * self.side_ratio, self.leading, self.indent * 0.85 or self.size)
        self.tagger.artifact(sink)
        canv.saveState()
        canv.setStrokeColorRGB(*rgb(self.box_colour))
        canv.setLineWidth(1)
        top = self.height - max(0.0, (self.leading - side) / 2) if len(self.lines or ()) <= 1 else self.height
        canv.rect(0, top - side, side, side, stroke=1, fill=0)
        canv.restoreState()
        self.tagger.end(sink)
        if self.place is not None:
            self.place(canv, 0.5, top - side + 0.5, side - 1, side - 1)
        super().draw()


class TickBoxCell(TextBlock):
    """A checklist's answer cell: a drawn square (artifact), centred in the cell, its widget over it."""

    box_colour = "1A1A1A"
    side_ratio = 1.25

    def __init__(self, tagger: Tagger, size: float, leading: float, place: Place | None):
        super().__init__(tagger, [], None, size, leading)
        self.side = min(size * self.side_ratio, leading)
        self.place = place

    def natural_widths(self) -> tuple[float, float]:
        return self.side, self.side

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.lines, self._wrapped_for = [], aw
        self.width, self.height = aw, self.leading
        return aw, self.height

    def draw(self) -> None:
        canv = self.canv
        sink = canv._code.append
        x, y = (self.width - self.side) / 2, (self.height - self.side) / 2
        self.tagger.artifact(sink)
        canv.saveState()
        canv.setStrokeColorRGB(*rgb(self.box_colour))
        canv.setLineWidth(1)
        canv.rect(x, y, self.side, self.side, stroke=1, fill=0)
        canv.restoreState()
        self.tagger.end(sink)
        if self.place is not None:
            self.place(canv, x + 0.5, y + 0.5, self.side - 1, self.side - 1)


class TextBoxCell(TextBlock):
    """An answer cell to type in: its widget fills the cell (the cell's borders are the box on paper)."""

    lines_tall = 1.5  # room to write by hand, printed
    min_chars, natural_chars = 6, 16  # the column's share of the table: a few words wide

    def __init__(self, tagger: Tagger, size: float, leading: float, padding: float, place: Place | None):
        super().__init__(tagger, [], None, size, leading)
        self.padding = padding
        self.place = place

    def natural_widths(self) -> tuple[float, float]:
        return self.size * self.min_chars, self.size * self.natural_chars

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.lines, self._wrapped_for = [], aw
        self.width, self.height = aw, self.leading * self.lines_tall
        return aw, self.height

    def draw(self) -> None:
        if self.place is not None:  # over the whole cell, inside its borders
            pad = self.padding - 1
            self.place(self.canv, -pad, -pad, self.width + 2 * pad, self.height + 2 * pad)


@dataclass
class TableStyle:
    padding: float
    header_background: str
    border: str


class TableBlock(Flowable):
    """A data table whose header row repeats (as an artifact) when the table crosses a page."""

    def __init__(self, tagger: Tagger, header: list[TextBlock], rows: list[list[TextBlock]], style: TableStyle,
                 space_before: float = 0, space_after: float = 0, repeated: bool = False,
                 widths: list[float] | None = None, frame_height: float = 0, row_heights: list[float] | None = None):
        super().__init__()
        self.frame_height = frame_height
        # Each row's height at `widths`, kept from the table this one was split from: each page would
        # otherwise measure every row still to come, and a long table take time growing as its square.
        self.row_heights = row_heights
        self.tagger = tagger
        self.header = header
        self.rows = rows
        self.style = style
        self.space_before = space_before
        self.space_after = space_after
        self.repeated = repeated
        self.col_widths = widths

    def getSpaceBefore(self) -> float:
        return self.space_before

    def getSpaceAfter(self) -> float:
        return self.space_after

    def _widths(self, aw: float) -> list[float]:
        pad = 2 * self.style.padding
        columns = len(self.header)
        lo = [0.0] * columns
        hi = [0.0] * columns
        for row in [self.header, *self.rows]:
            for i, cell in enumerate(row[:columns]):
                a, b = cell.natural_widths()
                lo[i] = max(lo[i], a + pad)
                hi[i] = max(hi[i], b + pad)
        if sum(hi) <= aw:
            return [aw * h / sum(hi) for h in hi]
        if sum(lo) > aw:  # words too wide for the page between them: each column gives way, its words cut
            return [aw * m / sum(lo) for m in lo]
        spare = aw - sum(lo)
        give = [h - m for h, m in zip(hi, lo, strict=True)]
        total = sum(give) or 1.0
        return [m + spare * g / total for m, g in zip(lo, give, strict=True)]

    def _row_height(self, row: list[TextBlock], ah: float) -> float:
        pad = self.style.padding
        height = 0.0
        assert self.col_widths is not None
        for cell, w in zip(row, self.col_widths, strict=False):
            height = max(height, cell.wrap(w - 2 * pad, ah)[1])
        return height + 2 * pad

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        if self.col_widths is None or abs(sum(self.col_widths) - aw) > 0.01:
            self.col_widths = self._widths(aw)
            self.row_heights = None
        if self.row_heights is None:
            self.row_heights = [self._row_height(row, ah) for row in self.rows]
        self.heights = [self._row_height(self.header, ah), *self.row_heights]
        self.width = aw
        self.height = sum(self.heights)
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        self.wrap(aw, ah)
        used = self.heights[0]
        fit = 0
        for h in self.heights[1:]:
            if used + h > ah:
                break
            used += h
            fit += 1
        if fit == 0 and self.rows and self.heights[0] + self.heights[1] > self.frame_height > 0:
            return self._split_row(ah - self.heights[0])
        if fit == 0 or fit >= len(self.rows):
            return []
        first = TableBlock(self.tagger, self.header, self.rows[:fit], self.style, self.space_before, 0,
                           self.repeated, self.col_widths, self.frame_height, self.row_heights[:fit])
        rest = TableBlock(self.tagger, self.header, self.rows[fit:], self.style, 0, self.space_after, True,
                          self.col_widths, self.frame_height, self.row_heights[fit:])
        return [first, rest]

    def _split_row(self, room: float) -> list[Flowable]:
        """A first row taller than a whole page is split between its lines: the cells' first lines
        here, the rest on the next page under the repeated header (the same TR and TD elements)."""
        room -= 2 * self.style.padding
        head: list[TextBlock] = []
        tail: list[TextBlock] = []
        for cell in self.rows[0]:
            lines = cell.lines or []
            keep = int((room + 1e-6) // cell.leading)
            if keep < 1:
                return []
            if len(lines) > keep:
                head.append(cell._part(lines[:keep], True))
                tail.append(cell._part(lines[keep:], False))
            else:
                head.append(cell)
                rest = TextBlock(self.tagger, [], None, cell.size, cell.leading)
                rest.lines, rest._wrapped_for = [], cell._wrapped_for
                tail.append(rest)
        first = TableBlock(self.tagger, self.header, [head], self.style, self.space_before, 0, self.repeated,
                           self.col_widths, self.frame_height)
        rest_table = TableBlock(self.tagger, self.header, [tail, *self.rows[1:]], self.style, 0, self.space_after,
                                True, self.col_widths, self.frame_height)
        return [first, rest_table]

    def draw(self) -> None:
        canv = self.canv
        sink = canv._code.append
        pad = self.style.padding
        assert self.col_widths is not None
        xs = [0.0]
        for w in self.col_widths:
            xs.append(xs[-1] + w)
        # header background: decoration, so an artifact
        self.tagger.artifact(sink)
        canv.saveState()
        canv.setFillColorRGB(*rgb(self.style.header_background))
        canv.rect(0, self.height - self.heights[0], self.width, self.heights[0], stroke=0, fill=1)
        canv.restoreState()
        self.tagger.end(sink)
        y = self.height
        for r, row in enumerate([self.header, *self.rows]):
            h = self.heights[r]
            for c, cell in enumerate(row):
                if r == 0 and self.repeated:
                    cell = cell.artifact_copy()
                    cell.wrap(self.col_widths[c] - 2 * pad, h)
                cell.drawOn(canv, xs[c] + pad, y - pad - cell.height)
            y -= h
        self.tagger.artifact(sink)
        canv.saveState()
        canv.setStrokeColorRGB(*rgb(self.style.border))
        canv.setLineWidth(0.75)
        y = self.height
        lines = [(0, y, self.width, y)]
        for h in self.heights:
            y -= h
            lines.append((0, y, self.width, y))
        lines.extend((x, 0, x, self.height) for x in xs)
        canv.lines(lines)
        canv.restoreState()
        self.tagger.end(sink)
