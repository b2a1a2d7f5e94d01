"""The document model -> a story of tagged flowables, one rule per block type.

This is where the theme meets the model: sizes, colours and spacing come from the variant, every
word from the document. Structure elements are created here (the skeleton of the tag tree); the
flowables mark their content when drawn. A character no font has is reported with the document id
and the start of the block's text, so comms staff can find it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import partial
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable
from reportlab.platypus import PageBreak as RLPageBreak

from packgen import picture_sizes
from packgen.errors import RenderError
from packgen.model import (
    Block,
    Document,
    Figure,
    FormBlock,
    FormField,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    PageBreak,
    Paragraph,
    PictureRow,
    Table,
    Text,
    block_text,
)
from packgen.theme import Spacing, Theme
from packgen.writers import FIGURE_WIDTH
from packgen.writers.pdf import pictures
from packgen.writers.pdf.flowables import (
    Bookmark,
    PictureBlock,
    TableBlock,
    TableStyle,
    TextBlock,
    TextBoxCell,
    TickBoxCell,
    TickBoxText,
    WriteBox,
)
from packgen.writers.pdf.flowables import PictureRow as PictureRowFlowable
from packgen.writers.pdf.fonts import FontSet, MissingGlyph, fontset
from packgen.writers.pdf.form import FormCollector, accessible_name
from packgen.writers.pdf.tagging import Element, Tagger
from packgen.writers.pdf.text import Run, destination, shape

BULLETS = ("\u2022", "\u2013")  # bullet, en dash: list labels by depth (the body font has both)


class Layout:
    """Builds the story for one document; `frame_width` is the text column in points."""

    def __init__(self, document: Document, theme: Theme, fonts: FontSet, tagger: Tagger, frame_width: float,
                 forms: FormCollector | None = None, frame_height: float = 0):
        self.forms = forms
        self.frame_height = frame_height
        self.document = document
        self.theme = theme
        self.v = theme.variant(document.variant)
        self.colours = theme.colours
        self.fonts = fonts
        self.heading_fonts = fontset(theme, headings=True) if theme.heading_font is not None else fonts
        self.tagger = tagger
        self.frame_width = frame_width
        self.pixels = picture_sizes.largest(theme).print  # how wide a PNG or JPEG is stored
        self.outline_level = -1
        self.rules: dict[type, Callable[[Any, Element | None, int], list[Flowable]]] = {
            Heading: self.heading,
            Paragraph: self.paragraph,
            ListBlock: self.list_block,
            Table: self.table,
            Figure: self.figure,
            PictureRow: self.picture_row,
            PageBreak: self.page_break,
            FormBlock: self.form,
        }

    def story(self) -> list[Flowable]:
        out: list[Flowable] = self.logo()
        for block in self.document.blocks:
            try:
                made = self.block(block, None, 0)
                for flowable in made:
                    flowable.packgen_where = block_text(block).strip().replace("\n", " ")
                out.extend(made)
            except MissingGlyph as exc:
                text = block_text(block).strip().replace("\n", " ")
                raise RenderError(f"no font in the theme has the character {exc.describe()}: document "
                                  f"'{self.document.id}', in the text starting '{text[:40]}'", text=text,
                                  char=exc.char) from None
        return out

    def block(self, block: Block, parent: Element | None, depth: int) -> list[Flowable]:
        return self.rules[type(block)](block, parent, depth)

    def logo(self) -> list[Flowable]:
        """The brand's logo above the title: a Figure with its alt text, or an artifact when decorative."""
        logo = self.document.logo
        if logo is None:
            return []
        element = self.tagger.element("Figure", None, alt=logo.alt) if logo.alt else None
        width = self.v.logo_width(pictures.aspect(logo.path, self.pixels)) * mm
        return [PictureBlock(self.tagger, logo.path, width, self.pixels, element, 0, self.v.title.space_after,
                             keep_with_next=True)]

    # -- text helpers -------------------------------------------------------------------------------

    def runs(self, inlines: tuple[Inline, ...], parent: Element, colour: str, bold: bool = False) -> list[Run]:
        out: list[Run] = []
        for node in inlines:
            if isinstance(node, Text):
                out.append(Run(node.text, bold or node.bold, node.italic, colour))
            elif isinstance(node, Link):
                link = self.tagger.element("Link", parent, contents=node.text)
                for run in node.children:
                    out.append(Run(run.text, bold or run.bold, run.italic, self.colours.link, link, node.href))
            elif isinstance(node, LineBreak):
                out.append(Run("\n", colour=colour))
        return out

    def text_block(self, runs: list[Run], element: Element | None, spacing: Spacing, size: float | None = None,
                   **kw: Any) -> TextBlock:
        size = size or spacing.size
        fonts = kw.pop("fonts", self.fonts)
        leading = size * (spacing.line_spacing if spacing.line_spacing else self.v.body.line_spacing)
        # Shaped when laid out (see TextBlock.tokens); a missing character is still reported here, at its block.
        fonts.check(unicodedata.normalize("NFC", "".join(run.text for run in runs)))
        return TextBlock(self.tagger, partial(shape, runs, fonts, size), element, size, leading,
                         kw.pop("space_before", spacing.space_before), kw.pop("space_after", spacing.space_after),
                         **kw)

    # -- block rules --------------------------------------------------------------------------------

    def heading(self, block: Heading, parent: Element | None, depth: int) -> list[Flowable]:
        level = max(1, min(block.level, 6))
        el = self.tagger.element(f"H{level}", parent)
        spacing = self.v.heading(level)
        self.outline_level = min(level - 1, self.outline_level + 1)
        mark = Bookmark(destination(block.anchor or str(id(block))), block.text.replace("\n", " "), self.outline_level)
        runs = self.runs(block.children, el, self.colours.heading, bold=True)
        return [self.text_block(runs, el, spacing, bookmark=mark, keep_with_next=True,
                                indent=depth * self.v.list_indent * mm, fonts=self.heading_fonts)]

    def paragraph(self, block: Paragraph, parent: Element | None, depth: int,
                  label: list | None = None, label_element: Element | None = None,
                  space_after: float | None = None, keep_with_next: bool = False) -> list[Flowable]:
        el = self.tagger.element("P", parent)
        runs = self.runs(block.children, el, self.colours.text)
        kw: dict[str, Any] = {"indent": depth * self.v.list_indent * mm,
                              "keep_with_next": keep_with_next or block.keep_with_next}
        if space_after is not None:
            kw["space_after"] = space_after
        if label:
            kw.update(label=label, label_element=label_element)
        return [self.text_block(runs, el, self.v.body, **kw)]

    def list_block(self, block: ListBlock, parent: Element | None, depth: int) -> list[Flowable]:
        lst = self.tagger.element("L", parent, attributes={"List": {"ListNumbering": "/Decimal" if block.ordered
                                                                   else "/Disc"}})
        size = self.v.body.size
        out: list[Flowable] = []
        gap = self.v.body.space_after / 2
        for n, item in enumerate(block.items):
            li = self.tagger.element("LI", lst)
            lbl = self.tagger.element("Lbl", li)
            body = self.tagger.element("LBody", li)
            text = f"{block.start + n}." if block.ordered else BULLETS[depth % len(BULLETS)]
            label = [p for tok in shape([Run(text, colour=self.colours.text)], self.fonts, size)
                     if isinstance(tok, list) for p in tok]
            children = list(item.children)
            if not children or not isinstance(children[0], Paragraph):
                children.insert(0, Paragraph(children=()))
            for i, child in enumerate(children):
                last = n == len(block.items) - 1 and i == len(children) - 1
                if isinstance(child, Paragraph):
                    # the label's line stays on the page where the rest of its item begins
                    out.extend(self.paragraph(child, body, depth + 1, label if i == 0 else None, lbl,
                                              space_after=self.v.body.space_after if last else gap,
                                              keep_with_next=i == 0 and len(children) > 1))
                else:
                    out.extend(self.block(child, body, depth + 1))
        return out

    def table(self, block: Table, parent: Element | None, depth: int) -> list[Flowable]:
        tbl = self.tagger.element("Table", parent)
        out: list[Flowable] = []
        size = self.v.table.size
        spacing = Spacing(size=size, line_spacing=self.v.body.line_spacing)
        head = self.tagger.element("THead", tbl)
        body = self.tagger.element("TBody", tbl)
        tr = self.tagger.element("TR", head)
        header = []
        for cell in block.header:
            th = self.tagger.element("TH", tr, attributes={"Table": {"Scope": "/Column"}})
            header.append(self.text_block(self.runs(cell.children, th, self.colours.table_header_text, True), th,
                                          spacing, align=cell.align))
        rows = []
        for row in block.rows:
            tr = self.tagger.element("TR", body)
            cells = []
            for cell in row:
                td = self.tagger.element("TD", tr)
                if cell.field is not None:  # an answer cell's field: its Form element inside the TD
                    place = self.placer(cell.field, self.tagger.element("Form", td), size)
                    leading = size * self.v.body.line_spacing
                    cells.append(TickBoxCell(self.tagger, size, leading, place) if cell.field.type == "checkbox"
                                 else TextBoxCell(self.tagger, size, leading, self.v.table.cell_padding * 2, place))
                    continue
                cells.append(self.text_block(self.runs(cell.children, td, self.colours.text), td, spacing,
                                             align=cell.align))
            rows.append(cells)
        style = TableStyle(self.v.table.cell_padding * 2, self.colours.table_header_background,
                           self.colours.table_border)
        out.append(TableBlock(self.tagger, header, rows, style, self.v.body.space_after, self.v.body.space_after,
                              frame_height=self.frame_height))
        return out

    def figure(self, block: Figure, parent: Element | None, depth: int) -> list[Flowable]:
        picture = block.picture
        group = self.tagger.element("Div", parent)
        fig = self.tagger.element("Figure", group, alt=picture.alt)
        width = FIGURE_WIDTH * (self.frame_width - depth * self.v.list_indent * mm)
        out: list[Flowable] = [PictureBlock(self.tagger, picture.path, width, self.pixels, fig,
                                            self.v.body.space_after, self.v.caption.space_after or 4,
                                            keep_with_next=bool(block.caption), max_height=self.frame_height)]
        if block.caption:
            cap = self.tagger.element("Caption", group)
            out.append(self.text_block(self.runs(block.caption, cap, self.colours.muted), cap, self.v.caption,
                                       space_after=self.v.body.space_after))
        return out

    def picture_row(self, block: PictureRow, parent: Element | None, depth: int) -> list[Flowable]:
        group = self.tagger.element("Div", parent)
        picture = block.picture
        fig = self.tagger.element("Figure", group, alt=picture.alt)
        side = self.v.picture_width * mm
        blocks: list[Flowable] = []
        for child in block.children:
            blocks.extend(self.block(child, group, 0))
        if not all(isinstance(b, TextBlock) for b in blocks):
            text = block_text(block)
            raise RenderError(f"an easy-read point holds only text next to its picture: document "
                              f"'{self.document.id}', at '{text[:40]}'", text=text)
        for b in blocks[:-1]:
            b.space_after = min(b.space_after, self.v.body.space_after / 2)
        return [PictureRowFlowable(PictureBlock(self.tagger, picture.path, side, self.pixels, fig), blocks,  # type: ignore[arg-type]
                                   gap=self.v.body.size, space_after=self.v.body.space_after,
                                   frame_height=self.frame_height)]

    def page_break(self, block: PageBreak, parent: Element | None, depth: int) -> list[Flowable]:
        return [RLPageBreak()]

    def form(self, block: FormBlock, parent: Element | None, depth: int) -> list[Flowable]:
        """A fillable form that also works on paper.

        Each field: its label (a P: Lbl belongs to list items only) and help as text in reading order, then a Form
        element whose OBJR is the widget over the box or line drawn to write on (an artifact); a
        tick box's Form comes before its words, as the box comes before them on the line.
        """
        out: list[Flowable] = []
        heading = block.heading
        if heading is not None:  # the group's heading, in the tags and the bookmarks
            out.extend(self.heading(heading, parent, depth))
        group = self.tagger.element("Div", parent)
        if block.legend and heading is None:
            el = self.tagger.element("P", group)
            out.append(self.text_block([Run(block.legend, True, colour=self.colours.heading)], el, self.v.body,
                                       keep_with_next=True))
        for field in block.fields:
            out.extend(self.field(field, group))
        return out

    def placer(self, field: FormField, form_el: Element, size: float, name: str = "") -> Callable[..., None]:
        """What a field's flowable calls to place its widget: the Form element's, named `name` (/TU),
        else the field's label."""
        collector, colour, name = self.forms, self.colours.text, name or accessible_name(field.label)

        def place(canv, x: float, y: float, w: float, h: float) -> None:
            if collector is not None:
                collector.place(canv, form_el, field, name, x, y, w, h, size, colour)

        return place

    def field(self, field: FormField, group: Element) -> list[Flowable]:
        body = self.v.body
        lbl = self.tagger.element("P", group)
        words = f"{field.label} {field.required_mark}" if field.required_mark else field.label
        hints = field.hints
        runs = [Run(words, True, colour=self.colours.text)]
        self.fonts.check(field.value)
        place = self.placer(field, self.tagger.element("Form", group), body.size, accessible_name(words, *hints))
        out: list[Flowable] = []
        if field.type == "checkbox":
            block = TickBoxText(self.tagger, shape(runs, self.fonts, body.size), lbl, body.size,
                                body.size * body.line_spacing, 0, body.space_after, indent=body.size * 1.8)
            block.place = place
            return [block]
        out.append(self.text_block(runs, lbl, body, space_after=2, keep_with_next=True))
        for hint in hints:
            hel = self.tagger.element("P", group)
            out.append(self.text_block([Run(hint, colour=self.colours.muted)], hel, body, space_after=2,
                                       keep_with_next=True))
        line = body.size * body.line_spacing
        if field.type == "multiline":
            out.append(WriteBox(self.tagger, line * 4, self.colours.rule, space_after=body.space_after, place=place))
        elif field.type == "signature":
            out.append(WriteBox(self.tagger, line * 2.5, self.colours.rule, "line", space_after=body.space_after,
                                place=place))
        else:
            out.append(WriteBox(self.tagger, line * 1.5, self.colours.rule, space_after=body.space_after,
                                place=place))
        return out
