"""Form fields as Word content controls (w:sdt): the pledge form is filled in inside Word.

Each field has a visible label paragraph (what sighted readers see) and a control whose alias is the
same label (what screen readers announce) and whose tag is the field's id (what the register of
returned forms reads back). Words come from the field as compose resolved them: its label, its
required mark and its hints, the same words the PDF and the web page show.

An empty control shows the field's first hint (its help, else its type's hint, else its label) as
Word's placeholder (w:showingPlcHdr, in the Placeholder Text style, the theme's muted colour): words
a focused field announces, never a run of blank characters. The box keeps its size from its style
(a multi-line box is several lines tall by its spacing), so a printed form still has room to write.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from lxml import etree

from packgen.model import FormBlock, FormField

from . import fonts, styles
from .oxml import el, sub, val

if TYPE_CHECKING:
    from .blocks import Body

# Checkbox glyphs (U+2612 ballot box with X, U+2610 ballot box) in packgen's own embedded font.
CHECKED, UNCHECKED, BOX_FONT = "2612", "2610", fonts.TICK_FONT
TRUE_VALUES = ("true", "yes", "1", "x")


def title(form_field: FormField) -> str:
    """The control's title (w:alias), which a screen reader announces: the label and its required mark."""
    return f"{form_field.label} {form_field.required_mark}" if form_field.required_mark else form_field.label


def word_date_format(hint: str) -> str:
    """The date hint from the sources (DD/MM/YYYY) as a Word picture (dd/MM/yyyy)."""
    if not hint:
        return "dd/MM/yyyy"
    return re.sub(r"D+|Y+|M+", lambda m: {"D": "d", "Y": "y", "M": "M"}[m.group(0)[0]] * len(m.group(0)), hint)


def render_form(body: Body, block: FormBlock) -> None:
    if block.heading is not None:  # a heading of its own: in Word's navigation pane, in order
        body.heading(block.heading)
    elif block.legend:
        body.p(styles.LEAD, el("w:keepNext")).append(body.run(block.legend))
    for form_field in block.fields:
        RULES[form_field.type](body, form_field)


def _label(body: Body, form_field: FormField, style: str = styles.FIELD_LABEL) -> etree._Element:
    para = body.p(style)
    para.append(body.run(form_field.label))
    _required(body, para, form_field)
    return para


def _required(body: Body, para: etree._Element, form_field: FormField) -> None:
    if form_field.required_mark:
        para.append(body.run(f" {form_field.required_mark}", bold=False))


def _help(body: Body, form_field: FormField) -> None:
    """The field's hints as visible text (a placeholder vanishes once typing starts)."""
    for words in form_field.hints:
        body.p(styles.FIELD_HELP).append(body.run(words))


def _sdt_pr(body: Body, form_field: FormField, showing_placeholder: bool) -> etree._Element:
    sdt_pr = el("w:sdtPr")
    sdt_pr.append(val("w:alias", title(form_field)))
    sdt_pr.append(val("w:tag", form_field.id))
    sdt_pr.append(val("w:id", body.sdt_id()))
    if showing_placeholder:
        sdt_pr.append(el("w:showingPlcHdr"))
    return sdt_pr


def _content(body: Body, form_field: FormField) -> etree._Element:
    """What the control shows: its value, else its placeholder words in the Placeholder Text style."""
    content = el("w:sdtContent")
    if not form_field.value:
        content.append(body.run(form_field.placeholder, style=styles.PLACEHOLDER))
        return content
    for n, line in enumerate(form_field.value.split("\n")):
        if n:
            sub(sub(content, "w:r"), "w:br")
        content.append(body.run(line))
    return content


def _text_control(body: Body, form_field: FormField, multiline: bool = False) -> None:
    # a multi-line box is tall by its style's spacing, not by blank lines, so paper has room to write
    text_box(body, form_field, body.p(styles.FIELD_BOX_TALL if multiline else styles.FIELD_BOX), multiline)


def text_box(body: Body, form_field: FormField, para: etree._Element, multiline: bool = False) -> None:
    """A plain text control titled by the field's label at the end of `para` (a form's box, or a table
    cell to fill in), showing its value or its placeholder words."""
    empty = not form_field.value
    sdt = sub(para, "w:sdt")
    sdt_pr = _sdt_pr(body, form_field, empty)
    sdt.append(sdt_pr)
    sdt_pr.append(el("w:text", {"w:multiLine": "1"} if multiline else None))
    sdt.append(_content(body, form_field))


def text(body: Body, form_field: FormField) -> None:
    """Text, email and telephone: a plain text control in a visible box below its label."""
    _label(body, form_field)
    _help(body, form_field)
    _text_control(body, form_field)


def multiline(body: Body, form_field: FormField) -> None:
    _label(body, form_field)
    _help(body, form_field)
    _text_control(body, form_field, multiline=True)


def date(body: Body, form_field: FormField) -> None:
    """A date picker in the field's own format; that format (e.g. DD/MM/YYYY) is the placeholder."""
    _label(body, form_field)
    _help(body, form_field)
    para = body.p(styles.FIELD_BOX)
    empty = not form_field.value
    sdt = sub(para, "w:sdt")
    sdt_pr = _sdt_pr(body, form_field, empty)
    sdt.append(sdt_pr)
    attrs = {}
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", form_field.value):
        attrs["w:fullDate"] = f"{form_field.value}T00:00:00Z"
    picker = sub(sdt_pr, "w:date", attrs)
    picker.append(val("w:dateFormat", word_date_format(form_field.date_format)))
    picker.append(val("w:lid", body.document.metadata.language or "en-GB"))
    picker.append(val("w:storeMappedDataAs", "dateTime"))
    picker.append(val("w:calendar", "gregorian"))
    sdt.append(_content(body, form_field))


def checkbox(body: Body, form_field: FormField) -> None:
    """A ticking box (w14:checkbox) followed by its label in the same paragraph (in Word's order:
    the box is announced, then its words)."""
    para = body.p(styles.FIELD_CHECK)
    tick_box(body, form_field, para)
    sub(sub(para, "w:r"), "w:tab")
    para.append(body.run(form_field.label))
    _required(body, para, form_field)
    _help(body, form_field)


def tick_box(body: Body, form_field: FormField, para: etree._Element) -> None:
    """The ticking box itself (w14:checkbox, in packgen's embedded tick font), titled by the field's label,
    at the end of `para` (a pledge form's line, or a checklist's table cell)."""
    checked = form_field.value.strip().lower() in TRUE_VALUES
    body.has_checkbox = True
    sdt = sub(para, "w:sdt")
    sdt_pr = _sdt_pr(body, form_field, False)
    sdt.append(sdt_pr)
    box = sub(sdt_pr, "w14:checkbox")
    sub(box, "w14:checked", {"w14:val": "1" if checked else "0"})
    sub(box, "w14:checkedState", {"w14:val": CHECKED, "w14:font": BOX_FONT})
    sub(box, "w14:uncheckedState", {"w14:val": UNCHECKED, "w14:font": BOX_FONT})
    content = sub(sdt, "w:sdtContent")
    run = sub(content, "w:r")
    sub(sub(run, "w:rPr"), "w:rFonts", {"w:ascii": BOX_FONT, "w:eastAsia": BOX_FONT, "w:hAnsi": BOX_FONT,
                                        "w:cs": BOX_FONT})
    sub(run, "w:t").text = chr(int(CHECKED if checked else UNCHECKED, 16))


def signature(body: Body, form_field: FormField) -> None:
    """A labelled line to sign on paper (a tab leader to the margin), then a control to type a name."""
    para = _label(body, form_field, styles.SIGNATURE_LINE)
    sub(sub(para, "w:r"), "w:tab")
    _help(body, form_field)
    _text_control(body, form_field)


RULES: dict[str, Callable[[Body, FormField], None]] = {
    "text": text,
    "email": text,
    "telephone": text,
    "multiline": multiline,
    "date": date,
    "checkbox": checkbox,
    "signature": signature,
}
