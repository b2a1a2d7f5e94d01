"""EPUB rules: what EPUB Accessibility 1.1 asks of an e-book that a comms editor's edit could break.

The book is read with packgen's safe zip and XML readers (it may come from anywhere): its container
names the package document, whose metadata must say how the book can be read (schema.org's
accessibility properties and the conformance statement), in which language, and whose manifest names
the navigation document and the content documents. Each content document must say its language, and
each picture what it shows; the page list must lead to places that exist. Ace by DAISY (check/ace.py)
checks the rest, as the content is rendered.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from packgen.built_files import pack_language
from packgen.check.context import FileContext
from packgen.check.findings import Finding, error
from packgen.safeio import SafeZip, UnsafeFile

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONTAINER = "META-INF/container.xml"
XHTML_TYPE = "application/xhtml+xml"
MAX_CONTENT_DOCUMENTS = 500
# The package metadata EPUB Accessibility 1.1 asks for (section 5.1), each property at least once.
ACCESSIBILITY = ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                 "schema:accessibilityHazard", "schema:accessibilitySummary", "dcterms:conformsTo")
REBUILD = "Rebuild it with 'make'; if the problem stays, it is in packgen's e-book writer: report it."


@dataclass
class Book:
    """What the rules read of one e-book: its package document and content documents by path."""

    package_path: str
    package: etree._Element
    items: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (media type, properties)


def check_epub(ctx: FileContext) -> list[Finding]:
    """The e-book rules for one file; a file that cannot be read as an EPUB is one epub-parse finding."""
    try:
        archive = SafeZip(str(ctx.path))
    except UnsafeFile as exc:
        return [_parse_failure(ctx, str(exc))]
    try:
        return EpubChecker(ctx, archive).run()
    except UnsafeFile as exc:
        return [_parse_failure(ctx, str(exc))]
    finally:
        archive.close()


def part(base: str, href: str) -> str:
    """The zip path that `href`, written in the part at `base`, leads to (it may lead outside the zip)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(href)))


def _package_path(archive: SafeZip) -> str:
    """The package document's path, as the container names it ("" if it names none)."""
    container = archive.xml(CONTAINER)
    rootfile = None if container is None else container.find(
        ".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")
    return rootfile.get("full-path", "") if rootfile is not None else ""


def _outside(path: str) -> bool:
    return path == ".." or path.startswith(("../", "/"))


def leads_outside(path: Path) -> str | None:
    """What in the e-book at `path` leads outside it (its package document or a manifest item), said for
    the CLI user, or None. A program that unpacks the book and follows it (Ace does) opens a file of
    this machine instead; a book that cannot be read at all is None, as check_epub reports it."""
    try:
        archive = SafeZip(str(path))
    except UnsafeFile:
        return None
    try:
        full_path = _package_path(archive)
        if full_path and _outside(part("", full_path)):
            return f"its package document points outside the book ({full_path})"
        package = archive.xml(full_path) if full_path else None
        for item in () if package is None else package.iterfind(f"{OPF}manifest/{OPF}item"):
            if _outside(part(full_path, item.get("href", ""))):
                return f"manifest item points outside the book ({item.get('href')})"
        return None
    except UnsafeFile:
        return None
    finally:
        archive.close()


def _parse_failure(ctx: FileContext, reason: str) -> Finding:
    return error("epub-parse", ctx.label, "whole file", f"The file cannot be read as an EPUB e-book: {reason}.",
                 "Rebuild it with 'make'; if it is not an e-book, rename it.")


class EpubChecker:
    def __init__(self, ctx: FileContext, archive: SafeZip):
        self.ctx = ctx
        self.archive = archive
        self.findings: list[Finding] = []

    def add(self, rule: str, where: str, message: str, fix: str) -> None:
        self.findings.append(error(rule, self.ctx.label, where, message, fix))

    def run(self) -> list[Finding]:
        book = self._book()
        if book is None:
            return self.findings
        language = self.check_metadata(book)
        pages = [path for path, (kind, _) in book.items.items() if kind == XHTML_TYPE][:MAX_CONTENT_DOCUMENTS]
        documents = {path: self.archive.xml(path) for path in pages}
        self.check_content(documents, language)
        self.check_navigation(book, documents)
        return self.findings

    def _book(self) -> Book | None:
        mimetype = self.archive.read("mimetype", limit=64)
        path = _package_path(self.archive)
        package = self.archive.xml(path) if path else None
        if (mimetype or b"").strip() != b"application/epub+zip" or package is None:
            self.findings.append(_parse_failure(self.ctx, "it has no 'mimetype' of application/epub+zip, no "
                                                "META-INF/container.xml or no package document it names"))
            return None
        book = Book(path, package)
        for item in package.iterfind(f"{OPF}manifest/{OPF}item"):
            book.items[part(path, item.get("href", ""))] = (item.get("media-type", ""), item.get("properties", ""))
        return book

    def check_metadata(self, book: Book) -> str:
        """The package's title, language and accessibility metadata; returns its language ("" if none)."""
        metadata = book.package.find(f"{OPF}metadata")
        metadata = metadata if metadata is not None else etree.Element("metadata")
        where = f"package document {book.package_path}"
        if not (metadata.findtext(f"{DC}title") or "").strip():
            self.add("epub-title", where, "The e-book has no title (dc:title), so reading systems and shops list "
                     "it by its file name.", "Give the document a title in its front matter (title:) in sources/.")
        language = (metadata.findtext(f"{DC}language") or "").strip()
        expected = pack_language(self.ctx.path)
        if not language:
            self.add("epub-language", where, "The e-book does not say its language (dc:language), so a screen "
                     "reader may read it in the wrong voice.", "Set the pack's language: in sources/pack.yaml.")
        elif expected and language.lower() != expected.lower():
            self.add("epub-language", where, f"The e-book says its language is '{language}', but its pack is in "
                     f"'{expected}'.", "Set the pack's language: in sources/pack.yaml, and rebuild it with 'make'.")
        properties = {meta.get("property", "") for meta in metadata.iter(f"{OPF}meta")
                      if "".join(meta.itertext()).strip()}
        missing = [name for name in ACCESSIBILITY if name not in properties]
        if missing:
            self.add("epub-accessibility-metadata", where, "The e-book's metadata does not say how it can be read: "
                     f"{', '.join(missing)} missing (EPUB Accessibility 1.1), so readers cannot tell before they "
                     "open it whether it suits them.", REBUILD)
        return language

    def check_content(self, documents: dict[str, etree._Element | None], language: str) -> None:
        for path, root in documents.items():
            if root is None:
                continue
            lang, xml_lang = root.get("lang"), root.get(XML_LANG)
            if not lang or (xml_lang is not None and xml_lang.lower() != lang.lower()):
                self.add("epub-xhtml-lang", path, "The page does not say its language (<html lang>, and xml:lang "
                         "the same), so a screen reader may read it in the wrong voice.", "Set the pack's "
                         "language: in sources/pack.yaml, and rebuild it with 'make'.")
            for img in root.iter(f"{XHTML}img"):
                alt = img.get("alt")
                hidden = img.get("aria-hidden") == "true" or img.get("role") in ("presentation", "none")
                if alt is None or (not alt.strip() and not hidden):
                    self.add("epub-img-alt", f"{path}, picture {img.get('src', '')}",
                             "A picture has no text description (alt), and is not marked as decorative.",
                             "Describe the picture: ![what it shows](name) in sources/ (or mark it decorative).")

    def check_navigation(self, book: Book, documents: dict[str, etree._Element | None]) -> None:
        navs = [path for path, (_, properties) in book.items.items() if "nav" in properties.split()]
        root = documents.get(navs[0]) if navs else None
        tocs = [] if root is None else [n for n in root.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "toc"]
        if not tocs:
            self.add("epub-nav", f"package document {book.package_path}", "The e-book has no navigation document "
                     "with a table of contents (nav epub:type=\"toc\"), so readers cannot move by its headings.",
                     REBUILD)
            return
        for nav in (n for n in root.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "page-list"):
            for link in nav.iter(f"{XHTML}a"):
                target, _, anchor = link.get("href", "").partition("#")
                path = part(navs[0], target)
                page = documents.get(path)
                if page is None or (anchor and not page.xpath("//*[@id=$id]", id=anchor)):
                    self.add("epub-page-list", f"{navs[0]}, page {' '.join(''.join(link.itertext()).split())}",
                             f"The page list leads to {link.get('href', '')}, which is not in the e-book, so a "
                             "reader told a page number cannot go there.", REBUILD)
