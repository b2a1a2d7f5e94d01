"""The .docx package: parts, relationships, content types, properties, and a reproducible zip.

The same model and theme give the same bytes: zip entries carry a fixed timestamp and a fixed
order ([Content_Types].xml first, as some readers require), and dates come from the metadata,
never the clock.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Container
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path

from lxml import etree

from packgen.model import Metadata

from .oxml import PKG_REL, rel_type, serialise, sub, twips

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
BODY = "word/document.xml"
MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"
CONTENT_TYPES = {
    "word/document.xml": f"{MAIN}.document.main+xml",
    "word/styles.xml": f"{MAIN}.styles+xml",
    "word/numbering.xml": f"{MAIN}.numbering+xml",
    "word/settings.xml": f"{MAIN}.settings+xml",
    "word/fontTable.xml": f"{MAIN}.fontTable+xml",
    "word/header1.xml": f"{MAIN}.header+xml",
    "word/footer1.xml": f"{MAIN}.footer+xml",
    "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    "docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
}
DEFAULTS = {
    "rels": "application/vnd.openxmlformats-package.relationships+xml",
    "xml": "application/xml",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "odttf": "application/vnd.openxmlformats-officedocument.obfuscatedFont",
}
DOC_REL, APP_REL = rel_type("officeDocument"), rel_type("extended-properties")
CORE_REL = f"{PKG_REL}/metadata/core-properties"


@dataclass
class Package:
    """Part name -> bytes, written as one zip."""

    parts: dict[str, bytes] = field(default_factory=dict)

    def add(self, name: str, data: bytes) -> None:
        self.parts[name] = data

    def content_types(self) -> bytes:
        lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">']
        for ext, kind in DEFAULTS.items():
            lines.append(f'<Default Extension="{ext}" ContentType="{kind}"/>')
        for name, kind in CONTENT_TYPES.items():
            if name in self.parts:
                lines.append(f'<Override PartName="/{name}" ContentType="{kind}"/>')
        lines.append("</Types>")
        return "".join(lines).encode()

    def write(self, path: Path) -> None:
        """Write the zip: [Content_Types].xml, then _rels/, then the rest by name, all dated 1980."""
        names = sorted(self.parts, key=lambda n: (not n.startswith("_rels/"), n))
        entries = [("[Content_Types].xml", self.content_types()), *((n, self.parts[n]) for n in names)]
        Path(path).write_bytes(zip_bytes(entries, own=(BODY,)))


# A zip written by hand (a few fixed-size headers), so a part that is the same in every file of a
# build, like an embedded font or the styles, is deflated once and its deflated bytes reused.
DOS_DATE = ((ZIP_DATE[0] - 1980) << 9) | (ZIP_DATE[1] << 5) | ZIP_DATE[2]
DOS_TIME = 0
UNIX_FILE = 0o100644 << 16
# Parts smaller than this deflate faster than they are looked up.
KEEP_FROM = 4096


@lru_cache(maxsize=16)
def _deflate_shared(data: bytes) -> tuple[int, bytes]:
    """A part many files share, deflated once: remembered by its bytes, the few most recent."""
    return _deflate(data)


def _deflate(data: bytes) -> tuple[int, bytes]:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return zlib.crc32(data), packer.compress(data) + packer.flush()


def zip_bytes(entries: list[tuple[str, bytes]], own: Container[str] = ()) -> bytes:
    """A deflated zip of (name, data) entries in the order given, with fixed dates.

    `own` names the parts that are this file's alone (its body), which are not worth remembering.
    """
    out = bytearray()
    directory = bytearray()
    for name, data in entries:
        encoded = name.encode("utf-8")
        shared = len(data) >= KEEP_FROM and name not in own
        crc, deflated = _deflate_shared(data) if shared else _deflate(data)
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, DOS_TIME, DOS_DATE, crc,
                           len(deflated), len(data), len(encoded), 0)
        out += encoded
        out += deflated
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0314, 20, 0x800, 8, DOS_TIME, DOS_DATE,
                                 crc, len(deflated), len(data), len(encoded), 0, 0, 0, 0, UNIX_FILE, offset)
        directory += encoded
    start = len(out)
    out += directory
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), start, 0)
    return bytes(out)


def relationships(items: list[tuple[str, str, str, bool]]) -> bytes:
    """A .rels part from (id, type, target, external) tuples."""
    rels = etree.Element(f"{{{PKG_REL}}}Relationships", nsmap={None: PKG_REL})
    for rel_id, kind, target, external in items:
        attrs = {"Id": rel_id, "Type": kind, "Target": target}
        if external:
            attrs["TargetMode"] = "External"
        etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", attrs)
    return serialise(rels)


def package_rels() -> bytes:
    return relationships([("rId1", DOC_REL, "word/document.xml", False),
                          ("rId2", CORE_REL, "docProps/core.xml", False),
                          ("rId3", APP_REL, "docProps/app.xml", False)])


def core_xml(metadata: Metadata, status: str) -> bytes:
    """Core properties: title, subject, author, keywords, language, status; dates from the metadata."""
    def tag(name: str, value: str) -> str:
        return f"<{name}>{escape(value, quote=False)}</{name}>" if value else ""

    date = f"{metadata.date}T00:00:00Z" if metadata.date and "T" not in metadata.date else metadata.date
    dates = "".join(f'<dcterms:{n} xsi:type="dcterms:W3CDTF">{escape(date, quote=False)}</dcterms:{n}>'
                    for n in ("created", "modified")) if date else ""
    body = "".join([
        tag("dc:title", metadata.title), tag("dc:subject", metadata.subject), tag("dc:creator", metadata.author),
        tag("cp:keywords", ", ".join(metadata.keywords)), tag("cp:lastModifiedBy", metadata.author),
        tag("cp:revision", "1"), dates, tag("dc:language", metadata.language),
        tag("cp:version", metadata.version), tag("cp:contentStatus", status),
    ])
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"{body}</cp:coreProperties>").encode()


def app_xml() -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            b"<Application>packgen</Application><DocSecurity>0</DocSecurity></Properties>")


def settings_xml(language: str, embed_fonts: bool, protect_forms: bool) -> bytes:
    """settings.xml: fonts embedded, forms protection when there is a form, Word 2013+ mode."""
    from .oxml import el, root, val

    settings = root("w:settings")
    settings.append(el("w:zoom", {"w:percent": "100"}))
    if embed_fonts:
        settings.append(el("w:embedTrueTypeFonts"))
    if protect_forms:
        settings.append(el("w:documentProtection", {"w:edit": "forms", "w:enforcement": "1"}))
    settings.append(val("w:defaultTabStop", twips(36)))
    settings.append(val("w:characterSpacingControl", "doNotCompress"))
    compat = sub(settings, "w:compat")
    sub(compat, "w:compatSetting", {"w:name": "compatibilityMode", "w:uri": "http://schemas.microsoft.com/office/word",
                                    "w:val": "15"})
    settings.append(val("w:themeFontLang", language))
    settings.append(val("w:decimalSymbol", "."))
    settings.append(val("w:listSeparator", ","))
    return serialise(settings)
