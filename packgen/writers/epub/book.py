"""The e-book itself: content documents, navigation document, package document, zipped reproducibly.

EPUB 3.3 and EPUB Accessibility 1.1: the package metadata says how the book can be read
(schema.org's accessibility properties, with the summary's words from the labels file) and which
PDF its page list follows. Same input, same bytes: the dates are the pack's, never the clock; the
zip's entries are sorted after `mimetype`, which comes first and stored, as EPUB's container requires.

Labels (from `document.labels`):

    epub_accessibility_summary  always  the book's accessibility summary, in the package metadata
    epub_contents               always  the navigation document's title and its contents heading
    epub_pages                  always  the page list's heading
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from functools import partial
from html import escape
from pathlib import Path

from lxml import etree

from packgen import page_labels, zips
from packgen.model import Document, Figure, Heading, PictureRow, walk
from packgen.theme import Theme
from packgen.writers import WholePack
from packgen.writers.epub.breaks import page_break_id
from packgen.writers.epub.content import CSS_TYPE, EPUB_NS, XHTML, Files, relabel_page_breaks, xhtml
from packgen.writers.epub.pages import page_words
from packgen.writers.epub.shown_labels import check_labels

FORMAT_NAME = "epub"
CONTENT = "EPUB"
NAV = "nav.xhtml"
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
XHTML_TYPE = "application/xhtml+xml"
NS = {"opf": "http://www.idpf.org/2007/opf", "x": XHTML}
CONTAINER = (f'<?xml version="1.0" encoding="UTF-8"?>\n<container version="1.0" '
             f'xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n<rootfiles>\n'
             f'<rootfile full-path="{CONTENT}/package.opf" media-type="application/oebps-package+xml"/>\n'
             f'</rootfiles>\n</container>\n')


def write(document: Document, theme: Theme, path: Path, pdf: Path | None = None) -> None:
    """Write `document` as one EPUB at `path`, its page list following `pdf` (the document's PDF)."""
    check_labels(document, pdf)
    files = Files()
    page_name = f"{document.id}.xhtml"
    content, labels = xhtml(document, theme, page_name, files, page_words(pdf, theme) if pdf else [], pdf)
    files.add(page_name, XHTML_TYPE, content)
    pages = [(label, f"{page_name}#{page_break_id(label)}") for label in labels]
    _write_book([document], files, [page_name], pages, path, document.title, document.id, pdf.name if pdf else "")


def make_pack(target: Path, inputs: Mapping[str, dict], parts: Sequence[tuple[Document, Path, str]],
              about: WholePack) -> dict:
    """The build's job for the e-book of every document of a version, made from the documents' own books
    (`parts`: each document, its book and the words before its page numbers), not by writing them again.

    Their content documents, stylesheets, fonts and pictures are taken as they are (a stylesheet, font
    or picture is named by its bytes, so one used by several documents is carried once); only the page breaks are
    named again, as the combined PDF (`page_source`) names its pages: a document's own number after
    its prefix (packgen.page_labels)."""
    files = Files()
    pages: list[tuple[str, str]] = []
    spine: list[str] = []
    for document, book, words in parts:
        page_name = f"{document.id}.xhtml"
        with zipfile.ZipFile(book) as archive:
            package = etree.fromstring(archive.read(f"{CONTENT}/package.opf"))
            items = [(item.get("href", ""), item.get("media-type", ""))
                     for item in package.iterfind("opf:manifest/opf:item", NS)
                     if item.get("href", "") != NAV]  # the nav is made again below, for the whole book
            # The documents' sheets are mostly the same bytes: each distinct one is kept once, named by them.
            sheets = {href: files.add(f"{hashlib.sha256(data).hexdigest()[:16]}.css", kind, data)
                      for href, kind in items if kind == CSS_TYPE
                      for data in (archive.read(f"{CONTENT}/{href}"),)}
            for href, kind in items:
                if kind == CSS_TYPE:
                    continue
                data = archive.read(f"{CONTENT}/{href}")
                if href == page_name:
                    data = relabel_page_breaks(data, partial(page_labels.label, words), sheets)
                files.add(href, kind, data)
            # The page list in the document's own order of pages, each named as in the whole pack.
            nav = etree.fromstring(archive.read(f"{CONTENT}/{NAV}"))
            pages += [(page_labels.label(words, "".join(a.itertext())), a.get("href", ""))
                      for a in nav.iterfind(".//x:nav[@id='page-list']//x:a", NS)]
        spine.append(page_name)
    documents = [document.in_format(FORMAT_NAME) for document, _, _ in parts]
    _write_book(documents, files, spine, pages, target, about.title, about.name, about.page_source)
    return {}


def _write_book(documents: Sequence[Document], files: Files, spine: list[str], pages: list[tuple[str, str]],
                path: Path, title: str, name: str, page_source: str) -> None:
    """The book of `documents` (in reading order) at `path`, its content documents and other files in
    `files`, read in the order of `spine`; `pages` are its page list's (label, href); it is named `name`
    (its identifier's last part), and `page_source` is the PDF whose pages the page list numbers."""
    first = documents[0]
    check_labels(first)
    files.add(NAV, XHTML_TYPE, _nav(documents, pages))
    sources = [page_source] if pages and page_source else []
    package = _package(first, title, name, files, spine, sources,
                       pictures=any(isinstance(b, Figure | PictureRow) for d in documents for b in walk(d.blocks)))
    _zip(path, package, files, first.metadata.date)


def _nav(documents: Sequence[Document], pages: list[tuple[str, str]]) -> bytes:
    """The navigation document: every heading, nested by level, and the page list."""
    first = documents[0]
    language, labels = first.metadata.language, first.labels
    entries = [(h.level, f"{d.id}.xhtml" + (f"#{h.anchor}" if h.anchor else ""), h.text)
               for d in documents for h in d.headings() if isinstance(h, Heading)]
    lines = [f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n<html xmlns="{XHTML}" '
             f'xmlns:epub="{EPUB_NS}" lang="{language}" xml:lang="{language}">',
             f"<head>\n<title>{escape(labels['epub_contents'], quote=False)}</title>\n</head>\n<body>",
             f'<nav epub:type="toc" id="toc" role="doc-toc">\n<h1>{escape(labels["epub_contents"], quote=False)}</h1>',
             *_nested(entries), "</nav>"]
    if pages:
        lines += [f'<nav epub:type="page-list" id="page-list" role="doc-pagelist" hidden="hidden">\n'
                  f'<h2>{escape(labels["epub_pages"], quote=False)}</h2>\n<ol>',
                  *(f'<li><a href="{escape(href)}">{label}</a></li>' for label, href in pages), "</ol>\n</nav>"]
    lines.append("</body>\n</html>\n")
    return "\n".join(lines).encode("utf-8")


def _nested(entries: list[tuple[int, str, str]]) -> list[str]:
    """Headings as nested lists: a heading deeper than the one before opens a list inside it."""
    out, depth = ["<ol>"], [entries[0][0] if entries else 1]
    for n, (level, href, text) in enumerate(entries):
        if n:
            if level > depth[-1]:
                out.append("<ol>")
                depth.append(level)
            else:
                out.append("</li>")
                while len(depth) > 1 and level < depth[-1]:
                    depth.pop()
                    out.append("</ol>\n</li>")
        out.append(f'<li><a href="{escape(href)}">{escape(" ".join(text.split()), quote=False)}</a>')
    if entries:
        out.append("</li>")
    out += ["</ol>\n</li>"] * (len(depth) - 1) + ["</ol>"]
    return out


def _package(document: Document, title: str, name: str, files: Files, spine: list[str], sources: list[str],
             pictures: bool) -> bytes:
    meta = document.metadata
    day = dt.date.fromisoformat(meta.date)
    # The same book always has the same identifier: named by the pack, the document and the variant.
    identifier = uuid.uuid5(uuid.NAMESPACE_URL, f"packgen:{meta.pack_title}/{document.variant}/{name}")
    modes = ["textual", *(["visual"] if pictures else [])]
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability",
                *(["alternativeText"] if pictures else []), *(["pageNavigation"] if sources else [])]
    lines = [f'<?xml version="1.0" encoding="UTF-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
             f'unique-identifier="uid" xml:lang="{meta.language}">',
             '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">',
             f'<dc:identifier id="uid">urn:uuid:{identifier}</dc:identifier>',
             f"<dc:title>{escape(title, quote=False)}</dc:title>",
             f"<dc:language>{meta.language}</dc:language>",
             *([f"<dc:creator>{escape(meta.author, quote=False)}</dc:creator>"] if meta.author else []),
             *([f"<dc:description>{escape(meta.subject, quote=False)}</dc:description>"] if meta.subject else []),
             f"<dc:date>{day.isoformat()}</dc:date>",
             f'<meta property="dcterms:modified">{day.isoformat()}T00:00:00Z</meta>',
             f'<meta property="dcterms:conformsTo">{CONFORMS_TO}</meta>',
             *(f'<meta property="schema:accessMode">{mode}</meta>' for mode in modes),
             '<meta property="schema:accessModeSufficient">textual</meta>',
             *(f'<meta property="schema:accessibilityFeature">{feature}</meta>' for feature in features),
             '<meta property="schema:accessibilityHazard">none</meta>',
             f'<meta property="schema:accessibilitySummary">'
             f'{escape(" ".join(document.labels["epub_accessibility_summary"].split()), quote=False)}</meta>',
             *(f'<meta property="pageBreakSource">{escape(source, quote=False)}</meta>' for source in sources),
             "</metadata>", "<manifest>",
             f'<item id="nav" href="{NAV}" media-type="application/xhtml+xml" properties="nav"/>']
    ids = {item: f"item{n}" for n, item in enumerate(sorted(files.items))}
    lines += [f'<item id="{ids[item]}" href="{item}" media-type="{media_type}"/>'
              for item, (media_type, _) in sorted(files.items.items()) if item != NAV]
    lines += ["</manifest>", "<spine>", *(f'<itemref idref="{ids[item]}"/>' for item in spine), "</spine>",
              "</package>\n"]
    return "\n".join(lines).encode("utf-8")


def _zip(path: Path, package: bytes, files: Files, date: str) -> None:
    when = dt.datetime.fromisoformat(date).replace(tzinfo=dt.UTC)
    entries = {"META-INF/container.xml": CONTAINER.encode("utf-8"), f"{CONTENT}/package.opf": package,
               **{f"{CONTENT}/{item}": data for item, (_, data) in files.items.items()}}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in [("mimetype", b"application/epub+zip"), *sorted(entries.items())]:
            zips.add(archive, name, data, when, stored=name == "mimetype")
