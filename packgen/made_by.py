"""Who made a file handed to packgen: what the file itself says (the PDF's Creator, the Word file's
Application, the web page's or e-book page's generator meta), or a packgen build's manifest beside it
listing it. `packgen check` gives a file packgen made packgen's fixes, and `packgen import` leaves out
the title block and endings packgen wrote.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import Path

import pikepdf
from lxml import etree, html

from packgen.built_files import manifest_variant
from packgen.safeio import SafeZip, UnsafeFile, parse_xml

PACKGEN = "packgen"  # what packgen's writers put in the file's Creator, Application or generator
MAX_HTML_BYTES = 1024 * 1024  # the generator meta is in the page's head
NS_APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


def _pdf_maker(path: Path) -> str:
    with path.open("rb") as stream, pikepdf.open(stream) as pdf:
        info = pdf.docinfo
        creator, producer = str(info.get("/Creator", "")).strip(), str(info.get("/Producer", "")).strip()
        if not creator:
            with pdf.open_metadata() as xmp:
                creator = str(xmp.get("xmp:CreatorTool") or "").strip()
        return creator or producer


def _docx_maker(path: Path) -> str:
    app = SafeZip(str(path)).read("docProps/app.xml")
    if not app:
        return ""
    root = parse_xml(app)
    name = (root.findtext(f"{NS_APP}Application") or "").strip()
    version = (root.findtext(f"{NS_APP}AppVersion") or "").strip()
    return f"{name} {version}".strip() if name else ""


def _html_maker(path: Path) -> str:
    with path.open("rb") as page:
        data = page.read(MAX_HTML_BYTES)
    for meta in html.fromstring(data).iter("meta"):
        if (meta.get("name") or "").lower() == "generator":
            return (meta.get("content") or "").strip()
    return ""


def _epub_maker(path: Path) -> str:
    """The generator meta of the e-book's first content document (an EPUB's package names no maker)."""
    archive = SafeZip(str(path))
    try:
        container = archive.xml("META-INF/container.xml")
        rootfile = None if container is None else next(container.iter("{*}rootfile"), None)
        opf = rootfile.get("full-path", "") if rootfile is not None else ""
        package = archive.xml(opf) if opf else None
        item = None if package is None else next(
            (i for i in package.iter("{*}item") if i.get("media-type") == "application/xhtml+xml"
             and "nav" not in (i.get("properties") or "").split()), None)
        page = archive.xml(posixpath.join(posixpath.dirname(opf), item.get("href", ""))) if item is not None else None
        meta = None if page is None else next((m for m in page.iter("{*}meta") if m.get("name") == "generator"), None)
        return (meta.get("content") or "").strip() if meta is not None else ""
    finally:
        archive.close()


READERS: dict[str, Callable[[Path], str]] = {".pdf": _pdf_maker, ".docx": _docx_maker, ".html": _html_maker,
                                             ".htm": _html_maker, ".epub": _epub_maker}


def maker(path: Path) -> str:
    """The program the file says made it ("" when it does not say, or cannot be read)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        return ""
    try:
        return reader(path)
    except (OSError, ValueError, UnsafeFile, pikepdf.PdfError, etree.LxmlError):
        return ""  # the file's own checks say why it cannot be read


def made_by_packgen(path: Path, name: str | None = None) -> bool:
    """The file says packgen made it (``name``: what maker() found, when known), or a packgen build's
    manifest beside it lists it."""
    name = maker(path) if name is None else name
    return name.split(" ")[0].lower() == PACKGEN or manifest_variant(path) is not None
