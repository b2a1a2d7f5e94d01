"""The page: A4 with the theme's margins, the running footer with real PAGE/NUMPAGES fields, and the
draft mark in the header of every page while the pack is a draft.
"""

from __future__ import annotations

import re

from lxml import etree

from packgen.model import Document
from packgen.theme import Theme

from . import styles
from .oxml import el, mm_twips, qn, root, serialise, sub, val

FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}
HEADER_FOOTER_DISTANCE_MM = 10


def section(theme: Theme, variant: str, header_rel: str | None, footer_rel: str | None) -> etree._Element:
    """The final w:sectPr: page size, margins and the header/footer it uses."""
    sect = el("w:sectPr")
    if header_rel:
        sub(sect, "w:headerReference", {"w:type": "default", "r:id": header_rel})
    if footer_rel:
        sub(sect, "w:footerReference", {"w:type": "default", "r:id": footer_rel})
    sub(sect, "w:pgSz", {"w:w": str(mm_twips(theme.page.width)), "w:h": str(mm_twips(theme.page.height))})
    m = theme.margins(variant)
    distance = str(mm_twips(HEADER_FOOTER_DISTANCE_MM))
    sub(sect, "w:pgMar", {"w:top": str(mm_twips(m.top)), "w:right": str(mm_twips(m.right)),
                          "w:bottom": str(mm_twips(m.bottom)), "w:left": str(mm_twips(m.left)),
                          "w:header": distance, "w:footer": distance, "w:gutter": "0"})
    sub(sect, "w:cols", {"w:space": "708"})
    return sect


def _text_run(text: str) -> etree._Element:
    r = el("w:r")
    t = sub(r, "w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    return r


def _field(instruction: str, shown: str) -> list[etree._Element]:
    """A complex field (begin, instruction, separate, cached result, end): Word and LibreOffice
    update it on every page."""
    begin = el("w:r", None, el("w:fldChar", {"w:fldCharType": "begin"}))
    instr = el("w:r", None, el("w:instrText", {"xml:space": "preserve"}))
    instr[0].text = f" {instruction} "
    separate = el("w:r", None, el("w:fldChar", {"w:fldCharType": "separate"}))
    end = el("w:r", None, el("w:fldChar", {"w:fldCharType": "end"}))
    return [begin, instr, separate, _text_run(shown), end]


def footer_xml(document: Document) -> bytes | None:
    """The footer: the document's footer words, then (right-aligned) the page label with fields."""
    if not document.footer and not document.page_label:
        return None
    ftr = root("w:ftr")
    para = sub(ftr, "w:p")
    para.append(el("w:pPr", None, val("w:pStyle", styles.FOOTER)))
    if document.footer:
        para.append(_text_run(document.footer))
    if document.page_label:
        if document.footer:
            para.append(el("w:r", None, el("w:tab")))
        for piece in re.split(r"(\{page\}|\{pages\})", document.page_label):
            if piece in ("{page}", "{pages}"):
                para.extend(_field(FIELDS[piece[1:-1]], "1"))
            elif piece:
                para.append(_text_run(piece))
    return serialise(ftr)


def header_xml(document: Document) -> bytes | None:
    """The draft mark, in the theme's draft colour, at the top of every page."""
    if not document.draft_mark:
        return None
    hdr = root("w:hdr")
    para = sub(hdr, "w:p")
    para.append(el("w:pPr", None, val("w:pStyle", styles.DRAFT)))
    para.append(_text_run(document.draft_mark))
    return serialise(hdr)
