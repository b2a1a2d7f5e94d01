"""The body: model blocks -> WordprocessingML elements, one rule per block type.

Like markdown-it's renderer, a table of rules keyed by block type, each appending to the body.
Spacing always comes from styles; a page break sets pageBreakBefore on the next paragraph, so the
file never holds an empty paragraph for layout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from packgen import picture_sizes
from packgen import word_bookmarks as bookmarks
from packgen.model import (
    Block,
    Document,
    Figure,
    FormBlock,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    PageBreak,
    Paragraph,
    Picture,
    PictureRow,
    Table,
    TableCell,
    Text,
    plain_text,
)
from packgen.theme import Theme, Variant
from packgen.writers import FIGURE_WIDTH

from . import pictures, styles
from .numbering import Numbering
from .oxml import el, mm_twips, qn, rel_type, sub, val

IMAGE_REL, LINK_REL = rel_type("image"), rel_type("hyperlink")
# Narrower than any sans-serif font's average character, so estimates of line counts err low.
NARROW_CHAR_EM = 0.42
# The schema order of w:pPr children (ECMA-376 CT_PPrBase, then CT_PPr's own): Word rejects a file
# with them out of order.
PPR_ORDER = {name: i for i, name in enumerate((
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
    "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
    "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"))}


@dataclass
class Relationships:
    """One part's relationships, with ids handed out in order (so output is deterministic)."""

    items: list[tuple[str, str, str, bool]] = field(default_factory=list)  # id, type, target, external
    _seen: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, kind: str, target: str, external: bool = False) -> str:
        key = (kind, target)
        if key not in self._seen:
            rel_id = f"rId{len(self.items) + 1}"
            self.items.append((rel_id, kind, target, external))
            self._seen[key] = rel_id
        return self._seen[key]


class Body:
    """Builds w:body for one document; holds what the parts around it need (rels, lists, media)."""

    def __init__(self, document: Document, theme: Theme) -> None:
        self.document = document
        self.theme = theme
        self.variant: Variant = theme.variant(document.variant)
        self.rels = Relationships()
        self.numbering = Numbering(self.variant.list_indent)
        self.media = pictures.Media()
        self.pixels = picture_sizes.largest(theme).print  # how wide a PNG or JPEG is stored
        self.body = el("w:body")
        self.has_form = False
        self.has_checkbox = False  # a tick box: the file carries the tick boxes' font
        self.has_italic = False
        self._break_next = False
        self._shape_ids = 0
        self._bookmarks = 0
        self.bookmark_names = bookmarks.names(document.blocks)
        self._sdt_ids = 0
        self.rules: dict[type, Callable[..., None]] = {
            Heading: self.heading,
            Paragraph: self.paragraph,
            ListBlock: self.list_block,
            Table: self.table,
            Figure: self.figure,
            PictureRow: self.picture_row,
            PageBreak: self.page_break,
            FormBlock: self.form,
        }

    @property
    def text_width_mm(self) -> float:
        return self.theme.text_width(self.document.variant)

    # -- building blocks ----------------------------------------------------------------------

    def build(self, blocks: tuple[Block, ...]) -> etree._Element:
        self.logo()
        for block in blocks:
            self.block(block)
        return self.body

    def block(self, block: Block, level: int = 0) -> None:
        rule = self.rules[type(block)]
        if isinstance(block, ListBlock):
            rule(block, level)
        else:
            rule(block)

    def p(self, style: str | None = None, *ppr_children: etree._Element) -> etree._Element:
        """A new paragraph in the body with a style; takes a pending page break."""
        para = sub(self.body, "w:p")
        ppr = el("w:pPr")
        if style and style != styles.NORMAL:
            ppr.append(val("w:pStyle", style))
        if self._break_next:
            ppr.append(el("w:pageBreakBefore"))
            self._break_next = False
        for child in ppr_children:
            ppr.append(child)
        if len(ppr) > 1:
            ppr[:] = sorted(ppr, key=lambda node: PPR_ORDER[etree.QName(node).localname])
        if len(ppr):
            para.append(ppr)
        return para

    def sdt_id(self) -> int:
        self._sdt_ids += 1
        return self._sdt_ids

    # -- inline content -----------------------------------------------------------------------

    def run(self, text: str, bold: bool = False, italic: bool = False, style: str | None = None,
            colour: str | None = None) -> etree._Element:
        """A w:r with its emphasis and, when given, a character style and colour."""
        r = el("w:r")
        rpr = el("w:rPr")
        if style:
            rpr.append(val("w:rStyle", style))
        if bold:
            rpr.append(el("w:b"))
            rpr.append(el("w:bCs"))
        if italic:
            self.has_italic = True
            rpr.append(el("w:i"))
            rpr.append(el("w:iCs"))
        if colour:
            rpr.append(val("w:color", colour))
        if len(rpr):
            r.append(rpr)
        t = sub(r, "w:t")
        t.text = text
        if text[:1].isspace() or text[-1:].isspace():
            t.set(qn("xml:space"), "preserve")
        return r

    def inlines(self, parent: etree._Element, inlines: tuple[Inline, ...], bold: bool = False,
                colour: str | None = None) -> None:
        for node in inlines:
            if isinstance(node, Text):
                parent.append(self.run(node.text, bold or node.bold, node.italic, colour=colour))
            elif isinstance(node, Link):
                parent.append(self.hyperlink(node))
            elif isinstance(node, LineBreak):
                sub(sub(parent, "w:r"), "w:br")

    def hyperlink(self, link: Link) -> etree._Element:
        """A real w:hyperlink to an external relationship, in the Hyperlink character style."""
        if link.href.startswith("#"):
            node = el("w:hyperlink", {"w:anchor": self.bookmark(link.href[1:]), "w:history": "1"})
        else:
            rel_id = self.rels.add(LINK_REL, link.href, external=True)
            node = el("w:hyperlink", {"r:id": rel_id, "w:history": "1"})
        for run in link.children:
            node.append(self.run(run.text, run.bold, run.italic, style=styles.HYPERLINK))
        return node

    # -- block rules --------------------------------------------------------------------------

    def heading(self, heading: Heading) -> None:
        para = self.p(styles.heading_id(heading.level))
        if heading.anchor:
            self._bookmarks += 1
            attrs = {"w:id": str(self._bookmarks), "w:name": self.bookmark(heading.anchor)}
            para.append(el("w:bookmarkStart", attrs))
            self.inlines(para, heading.children)
            para.append(el("w:bookmarkEnd", {"w:id": str(self._bookmarks)}))
        else:
            self.inlines(para, heading.children)

    def paragraph(self, paragraph: Paragraph, style: str | None = None, *ppr: etree._Element) -> None:
        if not paragraph.text.strip():
            return  # never an empty paragraph
        if paragraph.keep_with_next and not any(e.tag == qn("w:keepNext") for e in ppr):
            ppr = (*ppr, el("w:keepNext"))  # it introduces the list after it (policy.py)
        para = self.p(style or styles.NORMAL, *ppr)
        self.inlines(para, paragraph.children)

    def list_block(self, block: ListBlock, level: int = 0) -> None:
        num_id = self.numbering.ordered(level, block.start) if block.ordered else self.numbering.bullets()
        left, hanging = self.numbering.indent(level)
        for item in block.items:
            numbered = False
            for child in item.children:
                if isinstance(child, Paragraph) and not numbered:
                    num_pr = el("w:numPr", None, val("w:ilvl", level), val("w:numId", num_id))
                    # the label's line stays on the page where the rest of its item begins
                    keep = (el("w:keepNext"),) if len(item.children) > 1 else ()
                    self.paragraph(child, styles.LIST, num_pr, *keep)
                    numbered = True
                elif isinstance(child, Paragraph):
                    self.paragraph(child, styles.LIST, el("w:ind", {"w:left": str(left)}))
                elif isinstance(child, ListBlock):
                    self.list_block(child, level + 1)
                else:
                    self.block(child)

    def table(self, table: Table) -> None:
        colours = self.theme.colours
        if self._break_next:  # a table cannot break the page itself
            sub(sub(self.p(), "w:r"), "w:br", {"w:type": "page"})
        columns = max(len(table.header), *(len(row) for row in table.rows)) if table.rows else len(table.header)
        width = mm_twips(self.text_width_mm)
        tbl = sub(self.body, "w:tbl")
        tbl_pr = sub(tbl, "w:tblPr")
        tbl_pr.append(val("w:tblStyle", "PackTable"))
        sub(tbl_pr, "w:tblW", {"w:w": str(width), "w:type": "dxa"})
        borders = sub(tbl_pr, "w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            sub(borders, f"w:{side}", {"w:val": "single", "w:sz": "8", "w:space": "0",
                                       "w:color": colours.table_border})
        sub(tbl_pr, "w:tblLayout", {"w:type": "fixed"})
        sub(tbl_pr, "w:tblLook", {"w:val": "0620", "w:firstRow": "1", "w:lastRow": "0", "w:firstColumn": "0",
                                  "w:lastColumn": "0", "w:noHBand": "1", "w:noVBand": "1"})
        grid = sub(tbl, "w:tblGrid")
        col_width = width // max(columns, 1)
        for _ in range(columns):
            sub(grid, "w:gridCol", {"w:w": str(col_width)})
        self._row(tbl, table.header, col_width, header=True)
        for row in table.rows:
            self._row(tbl, row, col_width, header=False)

    def _row(self, tbl: etree._Element, cells: tuple[TableCell, ...], col_width: int, header: bool) -> None:
        colours = self.theme.colours
        tr = sub(tbl, "w:tr")
        tr_pr = sub(tr, "w:trPr")
        sub(tr_pr, "w:cantSplit")
        if header:
            sub(tr_pr, "w:tblHeader")
        for cell in cells:
            tc = sub(tr, "w:tc")
            tc_pr = sub(tc, "w:tcPr")
            sub(tc_pr, "w:tcW", {"w:w": str(col_width), "w:type": "dxa"})
            if header:
                sub(tc_pr, "w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": colours.table_header_background})
            para = sub(tc, "w:p")
            ppr = sub(para, "w:pPr")
            ppr.append(val("w:pStyle", styles.TABLE_TEXT))
            if header:
                ppr.append(el("w:keepNext"))
            ppr.append(val("w:jc", {"left": "left", "center": "center", "right": "right"}[cell.align]))
            if cell.field is not None:  # an answer cell's control, titled by its row and column
                from .fields import text_box, tick_box

                (tick_box if cell.field.type == "checkbox" else text_box)(self, cell.field, para)
                continue
            self.inlines(para, cell.children, bold=header, colour=colours.table_header_text if header else None)

    def _inline_elements(self, inlines: tuple[Inline, ...]) -> list[etree._Element]:
        holder = el("w:p")
        self.inlines(holder, inlines)
        return list(holder)

    def picture_run(self, picture: Picture, width_mm: float, title: str = "") -> etree._Element:
        image = pictures.load(picture.path, width_mm, self.pixels)
        part = self.media.add(image)
        rel_id = self.rels.add(IMAGE_REL, part.removeprefix("word/"))
        self._shape_ids += 1
        r = el("w:r")
        r.append(pictures.inline(picture, width_mm, image, rel_id, self._shape_ids, title or picture.alt))
        return r

    def logo(self) -> None:
        """The brand's logo above the title, an inline picture described by its alt text (docPr descr)."""
        logo = self.document.logo
        if logo is None:
            return
        width = self.variant.logo_width(pictures.load(logo.path, self.variant.logo_max_width, self.pixels).aspect)
        self.p(styles.NORMAL, el("w:keepNext")).append(self.picture_run(logo, width))

    def figure(self, figure: Figure) -> None:
        width = self.text_width_mm * FIGURE_WIDTH
        ppr = [el("w:keepNext")] if figure.caption else []
        para = self.p(styles.NORMAL, *ppr)
        para.append(self.picture_run(figure.picture, width, plain_text(figure.caption)))
        if figure.caption:
            self.p(styles.CAPTION).extend(self._inline_elements(figure.caption))

    def picture_row(self, row: PictureRow) -> None:
        """An easy-read point: the picture inline first (its alt text is read first, by Word and by
        pandoc, which ignores alt text on floating pictures), then a tab to the hanging indent, so
        the words sit to the picture's right. Not a table: it reads as one point.

        A one-line point is centred on its picture. A longer one sits on the picture's baseline, so
        its lines run on together below the first instead of leaving a picture-high gap after it.
        The line count is estimated erring low (at worst a long point is centred)."""
        first = row.children[0] if row.children and isinstance(row.children[0], Paragraph) else None
        rest = row.children[1:] if first else row.children
        one_line = first is not None and self._lines(first.text) == 1
        para = self.p(styles.POINT if one_line else styles.POINT_LONG)
        para.append(self.picture_run(row.picture, self.variant.picture_width))
        if first:
            sub(sub(para, "w:r"), "w:tab")
            self.inlines(para, first.children)
        for child in rest:
            if isinstance(child, Paragraph):
                self.paragraph(child, styles.POINT_MORE)
            else:
                self.block(child)

    def _lines(self, text: str) -> int:
        """At least how many lines these words take beside a picture (erring low)."""
        width_pt = (self.text_width_mm - self.variant.picture_width - styles.POINT_GAP_MM) / 25.4 * 72
        chars_per_line = max(1, int(width_pt / (self.variant.body.size * NARROW_CHAR_EM)))
        return max(1, -(-len(text) // chars_per_line))

    def bookmark(self, anchor: str) -> str:
        """The bookmark of the heading with this anchor (a form's legend opens no section)."""
        return self.bookmark_names.get(anchor) or bookmarks.name("_" + anchor)

    def page_break(self, _: PageBreak) -> None:
        self._break_next = True

    def form(self, block: FormBlock) -> None:
        from .fields import render_form

        self.has_form = True
        render_form(self, block)
