"""Document-level properties: Info, XMP (with the PDF/UA identifier), language and viewer preferences.

Dates come from the document's metadata, never the clock, so the same input gives the same bytes.
"""

from __future__ import annotations

import re
from html import escape as _escape
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFDocument, PDFInfo

from packgen.model import Document
from packgen.writers.pdf.pdffile import Name, Stream, serialise, set_entries


def pdf_date(iso: str) -> str:
    """An ISO date (2025-03-01) as a PDF date string; a fixed date when the sources give none."""
    digits = re.sub(r"\D", "", iso)[:8] or "20000101"
    return f"D:{digits.ljust(8, '0')}000000Z"


def xmp_date(iso: str) -> str:
    digits = re.sub(r"\D", "", iso)[:8] or "20000101"
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]}T00:00:00Z"


def escape(text: str) -> str:
    """&, < and > as XML entities (what saxutils.escape does, without importing urllib for it)."""
    return _escape(text, quote=False)


def _alt(text: str) -> str:
    """A language alternative with only x-default: readers (pdf.js) join every entry they find."""
    return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'


def xmp(document: Document, producer: str) -> bytes:
    """The XMP packet: dc:title etc. matching the Info dictionary, and pdfuaid:part 1."""
    m = document.metadata
    date = xmp_date(m.date)
    keywords = ", ".join(m.keywords)
    subjects = "".join(f"<rdf:li>{escape(k)}</rdf:li>" for k in m.keywords)
    # A draft says so in its metadata too (xmp:Label, as the Word file's contentStatus does).
    label = f"\n<xmp:Label>{escape(document.draft_mark)}</xmp:Label>" if document.draft_mark else ""
    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title>{_alt(m.title)}</dc:title>
<dc:creator><rdf:Seq><rdf:li>{escape(m.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description>{_alt(m.subject)}</dc:description>
<dc:language><rdf:Bag><rdf:li>{escape(m.language)}</rdf:li></rdf:Bag></dc:language>
<dc:subject><rdf:Bag>{subjects}</rdf:Bag></dc:subject>
<pdf:Keywords>{escape(keywords)}</pdf:Keywords>
<pdf:Producer>{escape(producer)}</pdf:Producer>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
<pdfuaid:part>1</pdfuaid:part>{label}
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return body.encode("utf-8")


class Info(PDFInfo):
    """ReportLab's Info dictionary, holding our entries (its own dates come from the clock)."""

    def __init__(self, entries: dict[str, Any]):
        super().__init__()
        self.entries = entries

    def format(self, document: PDFDocument) -> bytes:
        return serialise(self.entries, document)


def apply(doc: PDFDocument, document: Document) -> None:
    """Set the catalog and Info entries PDF/UA asks for, and the XMP stream, on ReportLab's document."""
    m = document.metadata
    date = pdf_date(m.date)
    producer = doc.info.producer
    info = {"Title": m.title, "Author": m.author, "Subject": m.subject, "Keywords": ", ".join(m.keywords),
            "Creator": doc.info.creator, "Producer": producer, "CreationDate": date, "ModDate": date,
            "Trapped": Name("False")}
    if document.draft_mark:
        info["ContentStatus"] = document.draft_mark
    doc.info = Info(info)
    entries: dict[str, Any] = {
        "Metadata": Stream({"Type": Name("Metadata"), "Subtype": Name("XML")}, xmp(document, producer)),
        "ViewerPreferences": {"DisplayDocTitle": True}}
    if m.language:
        entries["Lang"] = m.language
    if doc.Outlines.buildtree:
        entries["PageMode"] = Name("UseOutlines")
    set_entries(doc.Catalog, **entries)
