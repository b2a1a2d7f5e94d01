"""styles.xml: every look comes from a named paragraph or character style built from the theme.

Spacing lives in styles (space before/after, line spacing), never in empty paragraphs, so a reader
who changes a style in Word changes it everywhere. Headings use Word's built-in "heading N" styles,
which screen readers, the navigation pane and pandoc all recognise. The document language is set in
docDefaults and in Normal so proofing tools and screen readers pick the right voice.
"""

from __future__ import annotations

from copy import deepcopy
from functools import lru_cache

from lxml import etree

from packgen.language import direction
from packgen.theme import Colours, Fonts, Page, Spacing, Theme, Variant

from .oxml import el, half_points, mm_twips, root, serialise, sub, twips, val

# Style ids the body refers to. Built-in names (lower case in styles.xml) let Word localise them.
NORMAL, CAPTION, HYPERLINK, LIST, HEADER, FOOTER = (
    "Normal", "Caption", "Hyperlink", "ListParagraph", "Header", "Footer")
TABLE_TEXT, FIELD_LABEL, FIELD_HELP, FIELD_BOX = "TableText", "FieldLabel", "FieldHelp", "FieldBox"
FIELD_CHECK, FIELD_BOX_TALL = "FieldCheck", "FieldBoxTall"
SIGNATURE_LINE, PLACEHOLDER, POINT, POINT_MORE, DRAFT, LEAD = (
    "SignatureLine", "PlaceholderText", "PicturePoint", "PicturePointMore", "DraftMark", "Subtitle")
POINT_LONG = "PicturePointLong"

# Nothing a reader needs is set smaller than this (GOV.UK: 12pt); page furniture follows the theme.
MIN_TEXT_PT = 12
# The padding inside a multi-line box, in points (31, the most OOXML allows a border's space): with
# its first line, about four lines of handwriting.
MULTILINE_PAD_TOP_PT, MULTILINE_PAD_BOTTOM_PT = 20, 31
# Where a checkbox's label starts, right of the box.
CHECK_INDENT_MM = 8
# Space between an easy-read picture and its text, in millimetres.
POINT_GAP_MM = 6


def heading_id(level: int) -> str:
    return f"Heading{max(1, min(level, 6))}"


def point_indent_twips(variant: Variant) -> int:
    """Where an easy-read point's text starts: right of its picture."""
    return mm_twips(variant.picture_width + POINT_GAP_MM)


def _fonts(family: str) -> etree._Element:
    return el("w:rFonts", {"w:ascii": family, "w:hAnsi": family, "w:eastAsia": family, "w:cs": family})


def _spacing(spacing: Spacing, line: float | None = None) -> etree._Element:
    return el("w:spacing", {"w:before": twips(spacing.space_before), "w:after": twips(spacing.space_after),
                            "w:line": str(round(240 * (line or spacing.line_spacing))), "w:lineRule": "auto"})


def _rpr(size: float, colour: str | None = None, bold: bool = False, lang: str | None = None,
         family: str | None = None) -> etree._Element:
    rpr = el("w:rPr")
    if family:
        rpr.append(_fonts(family))
    if bold:
        rpr.append(el("w:b"))
        rpr.append(el("w:bCs"))
    if colour:
        rpr.append(val("w:color", colour))
    rpr.append(val("w:sz", half_points(size)))
    rpr.append(val("w:szCs", half_points(size)))
    if lang:
        # a right-to-left language is also the language of the complex-script (Arabic, Hebrew) runs
        rpr.append(el("w:lang", {"w:val": lang, **({"w:bidi": lang} if direction(lang) == "rtl" else {})}))
    return rpr


def _style(styles: etree._Element, kind: str, style_id: str, name: str, based_on: str | None = None,
           next_id: str | None = None, priority: int | None = None, q_format: bool = False,
           default: bool = False) -> etree._Element:
    attrs = {"w:type": kind, "w:styleId": style_id}
    if default:
        attrs["w:default"] = "1"
    style = sub(styles, "w:style", attrs)
    style.append(val("w:name", name))
    if based_on:
        style.append(val("w:basedOn", based_on))
    if next_id:
        style.append(val("w:next", next_id))
    if priority is not None:
        style.append(val("w:uiPriority", priority))
    if q_format:
        style.append(el("w:qFormat"))
    return style


def _ppr(*children: etree._Element) -> etree._Element:
    return el("w:pPr", None, *children)


def _box(colour: str, top: int = 4, bottom: int = 4) -> etree._Element:
    """A thin border on all four sides: the visible box a form field is typed into (`top` and
    `bottom`: the padding inside it, in points)."""
    borders = el("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        space = {"top": top, "bottom": bottom}.get(side, 4)
        sub(borders, f"w:{side}", {"w:val": "single", "w:sz": "8", "w:space": str(space), "w:color": colour})
    return borders


def styles_xml(theme: Theme, variant_name: str, language: str, form: bool = False) -> bytes:
    """The whole styles part for one variant and language.

    Every document of a variant has the same styles, so the part is remembered by the values it is
    made from (a few at a time), never by which theme object asked.
    """
    headings = theme.heading_font.family if theme.heading_font is not None else None
    return _styles_xml(theme.page, theme.fonts, theme.colours, theme.variant(variant_name), language, headings,
                       form)


@lru_cache(maxsize=8)
def _styles_xml(page: Page, fonts: Fonts, colours: Colours, variant: Variant, language: str,
                headings: str | None = None, form: bool = False) -> bytes:
    family = fonts.body.family
    body = variant.body
    styles = root("w:styles")

    defaults = sub(styles, "w:docDefaults")
    sub(defaults, "w:rPrDefault").append(_rpr(body.size, colours.text, lang=language, family=family))
    # a right-to-left language's paragraphs run from the right (w:bidi), as the web page's dir="rtl"
    bidi = (el("w:bidi"),) if direction(language) == "rtl" else ()
    # Widow control for every paragraph: a paragraph crossing a page leaves at least two lines on
    # each side (Word and LibreOffice apply none where no style asks for it).
    sub(defaults, "w:pPrDefault").append(_ppr(el("w:widowControl"), *bidi, _spacing(body)))

    normal = _style(styles, "paragraph", NORMAL, "Normal", q_format=True, default=True)
    normal.append(_ppr(*bidi, _spacing(body)))
    normal.append(_rpr(body.size, colours.text, lang=language, family=family))

    default_font = _style(styles, "character", "DefaultParagraphFont", "Default Paragraph Font",
                          priority=1, default=True)
    sub(default_font, "w:semiHidden")

    for level in range(1, 7):
        spacing = variant.heading(level)
        style = _style(styles, "paragraph", heading_id(level), f"heading {level}", NORMAL, NORMAL, 9, True)
        style.append(_ppr(el("w:keepNext"), el("w:keepLines"), _spacing(spacing), val("w:outlineLvl", level - 1)))
        style.append(_rpr(spacing.size, colours.heading, bold=True, family=headings))

    lead = _style(styles, "paragraph", LEAD, "Subtitle", NORMAL, NORMAL, 11, True)
    lead.append(_ppr(_spacing(variant.subtitle)))
    lead.append(_rpr(variant.subtitle.size, colours.heading))

    caption = _style(styles, "paragraph", CAPTION, "caption", NORMAL, NORMAL, 35, True)
    caption.append(_ppr(_spacing(variant.caption, body.line_spacing)))
    caption.append(_rpr(max(variant.caption.size, MIN_TEXT_PT), colours.muted))

    half_gap = Spacing(size=body.size, space_after=body.space_after / 2, line_spacing=body.line_spacing)
    listp = _style(styles, "paragraph", LIST, "List Paragraph", NORMAL, None, 34, True)
    listp.append(_ppr(_spacing(half_gap)))

    indent = point_indent_twips(variant)
    point_spacing = _spacing(Spacing(size=body.size, space_before=body.space_after, space_after=body.space_after,
                                     line_spacing=body.line_spacing))
    # A one-line point: inline picture, a tab to the hanging indent, words centred on the picture.
    point = _style(styles, "paragraph", POINT, "Picture Point", NORMAL, NORMAL, 20, True)
    point.append(_ppr(el("w:keepLines"), point_spacing,
                      el("w:ind", {"w:left": str(indent), "w:hanging": str(indent)}),
                      val("w:textAlignment", "center")))
    # A longer point: the same, its words on the picture's baseline so their lines run on together.
    long_point = _style(styles, "paragraph", POINT_LONG, "Picture Point Long", NORMAL, NORMAL, 20, True)
    long_point.append(_ppr(el("w:keepLines"), deepcopy(point_spacing),
                           el("w:ind", {"w:left": str(indent), "w:hanging": str(indent)})))
    more = _style(styles, "paragraph", POINT_MORE, "Picture Point Continued", NORMAL, NORMAL, 21)
    more.append(_ppr(el("w:ind", {"w:left": str(indent)})))

    table_text = _style(styles, "paragraph", TABLE_TEXT, "Table Text", NORMAL, None, 22, True)
    table_text.append(_ppr(el("w:spacing", {"w:before": "0", "w:after": "0",
                                            "w:line": str(round(240 * body.line_spacing)),
                                            "w:lineRule": "auto"})))
    table_text.append(_rpr(variant.table.size))

    label = _style(styles, "paragraph", FIELD_LABEL, "Field Label", NORMAL, FIELD_BOX, 23, True)
    label.append(_ppr(el("w:keepNext"), el("w:spacing", {"w:before": twips(body.space_after), "w:after": "60"})))
    label.append(_rpr(body.size, bold=True))
    help_style = _style(styles, "paragraph", FIELD_HELP, "Field Help", NORMAL, FIELD_BOX, 24)
    help_style.append(_ppr(el("w:keepNext"), el("w:spacing", {"w:before": "0", "w:after": "60"})))
    help_style.append(_rpr(body.size, colours.muted))
    # A tick box, then a tab to the hanging indent, so a long label wraps clear of the box.
    check = _style(styles, "paragraph", FIELD_CHECK, "Field Checkbox", NORMAL, NORMAL, 25)
    check_indent = str(mm_twips(CHECK_INDENT_MM))
    check.append(_ppr(el("w:keepLines"), el("w:ind", {"w:left": check_indent, "w:hanging": check_indent})))
    box = _style(styles, "paragraph", FIELD_BOX, "Field Box", NORMAL, NORMAL, 25)
    box.append(_ppr(_box(colours.table_border), el("w:spacing", {"w:before": "80", "w:after": twips(body.space_after)}),
                    el("w:ind", {"w:left": "100", "w:right": "100"})))
    # A multi-line box: room to write on paper is padding inside its border (Word and LibreOffice put
    # paragraph spacing outside a border), so an empty box is about four lines tall without blank
    # lines or spaces; typed lines wrap at the body's spacing inside the same padding.
    # Only a form's styles have it (a document without fields keeps the styles it had).
    if form:
        tall = _style(styles, "paragraph", FIELD_BOX_TALL, "Field Box Multi-line", FIELD_BOX, NORMAL, 25)
        tall.append(_ppr(_box(colours.table_border, top=MULTILINE_PAD_TOP_PT, bottom=MULTILINE_PAD_BOTTOM_PT)))
    signature = _style(styles, "paragraph", SIGNATURE_LINE, "Signature Line", NORMAL, NORMAL, 26)
    signature.append(_ppr(el("w:keepNext"), el("w:tabs", None, el("w:tab", {"w:val": "right", "w:leader": "underscore",
                                                                          "w:pos": str(_text_width(page, variant))})),
                          el("w:spacing", {"w:before": twips(body.size * 3), "w:after": twips(body.space_after)})))
    signature.append(_rpr(body.size, bold=True))

    header = _style(styles, "paragraph", HEADER, "header", NORMAL, None, 99)
    header.append(_ppr(el("w:spacing", {"w:before": "0", "w:after": "0"})))
    footer = _style(styles, "paragraph", FOOTER, "footer", NORMAL, None, 99)
    footer.append(_ppr(el("w:tabs", None, el("w:tab", {"w:val": "right", "w:pos": str(_text_width(page, variant))})),
                       el("w:spacing", {"w:before": "0", "w:after": "0"})))
    footer.append(_rpr(max(variant.footer.size, 10), colours.muted))
    draft = _style(styles, "paragraph", DRAFT, "Draft Mark", HEADER, None, 99)
    draft.append(_ppr(val("w:jc", "right")))
    draft.append(_rpr(body.size, colours.draft, bold=True))

    link = _style(styles, "character", HYPERLINK, "Hyperlink", "DefaultParagraphFont", priority=99)
    link_rpr = el("w:rPr", None, val("w:color", colours.link), val("w:u", "single"))
    link.append(link_rpr)
    placeholder = _style(styles, "character", PLACEHOLDER, "Placeholder Text", "DefaultParagraphFont",
                         priority=99)
    placeholder.append(el("w:rPr", None, val("w:color", colours.muted)))

    table = _style(styles, "table", "PackTable", "Pack Table", None, None, 59)
    table.append(el("w:tblPr"))
    table[-1].append(el("w:tblCellMar", None,
                        el("w:top", {"w:w": str(mm_twips(variant.table.cell_padding)), "w:type": "dxa"}),
                        el("w:left", {"w:w": str(mm_twips(variant.table.cell_padding)), "w:type": "dxa"}),
                        el("w:bottom", {"w:w": str(mm_twips(variant.table.cell_padding)), "w:type": "dxa"}),
                        el("w:right", {"w:w": str(mm_twips(variant.table.cell_padding)), "w:type": "dxa"})))
    return serialise(styles)


def _text_width(page: Page, variant: Variant) -> int:
    """The text column's width in twips."""
    return mm_twips(variant.text_width(page))
