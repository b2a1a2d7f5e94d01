"""A document's XHTML content document, made from the web page writer's own page (one writer's
knowledge of the markup, not two): the page is rendered by packgen.writers.html.page, parsed with
lxml and serialised as XML. What an e-book keeps apart, it takes out of the page: the stylesheet
becomes a file, and each embedded font or picture (a data: URL in the page) becomes a file of the
book named by its bytes, so a pictogram used on many pages is carried once.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import tinycss2
from lxml import etree

from packgen import cache as disk_cache
from packgen.model import Document
from packgen.theme import Theme
from packgen.writers.epub import printable
from packgen.writers.epub.breaks import EPUB_NS, mark_page_breaks
from packgen.writers.html import page
from packgen.writers.html.assets import MEDIA_TYPES

XHTML = "http://www.w3.org/1999/xhtml"
MEDIA = "media"
DATA_URL = re.compile(r"data:([\w.+/-]+);base64,([A-Za-z0-9+/=]+)")
SUFFIXES = {media_type: suffix for suffix, media_type in reversed(MEDIA_TYPES.items())}
# Links an e-book can follow: within the book, or out to the web or e-mail. The web page's link to the
# download page beside it is relative to the build folder, which a book does not carry.
KEPT_LINKS = ("#", "https://", "http://", "mailto:")
STYLESHEETS = "epub-stylesheets"  # the cache's kind for sheets without their @page rules


CSS_TYPE = "text/css"


@dataclass
class Files:
    """The book's files other than its content documents: path in the book -> (media type, bytes)."""

    items: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    def add_data_url(self, match: re.Match[str]) -> str:
        media_type, data = match.group(1), base64.b64decode(match.group(2))
        name = f"{MEDIA}/{hashlib.sha256(data).hexdigest()[:16]}{SUFFIXES.get(media_type, '')}"
        self.items[name] = (media_type, data)
        return name

    def add(self, name: str, media_type: str, data: bytes) -> str:
        self.items[name] = (media_type, data)
        return name


def xhtml(document: Document, theme: Theme, name: str, files: Files, pages: Sequence[Sequence[str]],
          pdf: Path | None = None) -> tuple[bytes, list[str]]:
    """The document's page as an XHTML content document `name` (e.g. "charter.xhtml"), and its page
    breaks' labels; its stylesheet and embedded files are added to `files`. `pages` are the words of
    each page of its PDF `pdf` (packgen.writers.epub.pages), [] for a book with no page list."""
    root = lxml.html.document_fromstring(page.render(document, theme))
    printed = printable.make_printable(root.find(".//main"), document, pdf)  # before the breaks: it changes words
    labels = mark_page_breaks(root.find(".//main"), pages)
    style = root.find("head/style")
    # The sheet sits beside the pages, so the files it names have the same paths.
    # Fonts out first: the stylesheet parser then walks file names, not tens of kilobytes of base64.
    css = _without_page_rules(DATA_URL.sub(files.add_data_url, style.text or "")) + (
        printable.style(theme) if printed else "")
    sheet = files.add(f"{name.rsplit('.', 1)[0]}.css", CSS_TYPE, css.encode("utf-8"))
    link = etree.Element("link", rel="stylesheet", type=CSS_TYPE, href=sheet)
    style.getparent().replace(style, link)
    for img in root.iter("img"):
        src = img.get("src", "")
        if src.startswith("data:"):
            img.set("src", DATA_URL.sub(files.add_data_url, src))
    for a in list(root.iter("a")):
        if not a.get("href", "#").startswith(KEPT_LINKS):
            holder = a.getparent()
            if holder is not None and "download-page-link" in holder.get("class", ""):
                holder.getparent().remove(holder)
            else:
                a.attrib.pop("href")
    book = _in_xhtml(root)
    book.set("{http://www.w3.org/XML/1998/namespace}lang", root.get("lang", ""))
    return _serialised(book), labels


def relabel_page_breaks(content: bytes, label: Callable[[str], str], sheets: Mapping[str, str] | None = None
                        ) -> bytes:
    """A content document made by xhtml() with each page break named `label(its name there)`: a
    document's pages as another file numbers them (pack.pdf's); its stylesheet links renamed as
    `sheets` says (old href -> new), for a book that keeps each distinct sheet once."""
    root = etree.fromstring(content)
    for mark in root.iter(f"{{{XHTML}}}span"):
        if mark.get(f"{{{EPUB_NS}}}type") == "pagebreak":
            mark.set("aria-label", label(mark.get("aria-label", "")))
    for link in root.iter(f"{{{XHTML}}}link"):
        if link.get("href") in (sheets or {}):
            link.set("href", (sheets or {})[link.get("href", "")])
    return _serialised(root)


def _serialised(book: etree._Element) -> bytes:
    body = etree.tostring(book, encoding="unicode", method="xml")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n' + body + "\n").encode("utf-8")


def _in_xhtml(html: lxml.html.HtmlElement) -> etree._Element:
    """The page's elements in the XHTML namespace, declared once on the root (as reading systems and
    their assistive technology expect: no prefixes); comments are left out."""
    def copy(element: etree._Element, into: etree._Element | None) -> etree._Element:
        tag = element.tag if "}" in element.tag else f"{{{XHTML}}}{element.tag}"
        made = etree.SubElement(into, tag, dict(element.attrib)) if into is not None else \
            etree.Element(tag, dict(element.attrib), nsmap={None: XHTML, "epub": EPUB_NS})
        made.text = element.text
        for child in element:
            if isinstance(child.tag, str):
                copy(child, made).tail = child.tail
            elif len(made):
                made[-1].tail = (made[-1].tail or "") + (child.tail or "")
            else:
                made.text = (made.text or "") + (child.tail or "")
        return made

    return copy(html, None)


def _without_page_rules(css: str) -> str:
    """The stylesheet without its @page rules (the printed page's size, margins and page numbers):
    a reading system lays out its own pages, and EPUB's CSS profile has no page-margin boxes.

    Every book of a variant has the same sheet, and tokenising it is a good part of the time a book's
    content takes: the result is kept in packgen's cache, named by the sheet, tinycss2's version and
    this module's code."""
    name = disk_cache.key(STYLESHEETS, css, tinycss2.__version__, disk_cache.code_version(__file__))
    return disk_cache.get_or_make(STYLESHEETS, name, lambda: _page_rules_taken_out(css).encode("utf-8")).decode("utf-8")


def _page_rules_taken_out(css: str) -> str:
    def kept(rules: list) -> list:
        out = []
        for rule in rules:
            if rule.type == "at-rule" and rule.lower_at_keyword == "page":
                continue
            if rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content is not None:
                rule.content = kept(tinycss2.parse_rule_list(rule.content))  # serialised as they are
            out.append(rule)
        return out

    return tinycss2.serialize(kept(tinycss2.parse_stylesheet(css)))
