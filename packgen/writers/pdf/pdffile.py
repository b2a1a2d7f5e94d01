"""The finished file: ReportLab's objects and ours, serialised once, most of them in object streams.

ReportLab lays out and draws the pages, but it writes no tag tree, form fields or XMP, and it
writes every object on its own behind a classic cross-reference table. Re-opening its output
(in qpdf, say) to add those and pack the objects would cost a large share of the writing time and,
on a long document, much more memory. So our objects join ReportLab's document before it is
written: `Indirect` and `Stream` are ReportLab objects (one numbering covers both), whose
values are plain Python (dict, list, str as a text string, `Name`, int, float, bool, None,
bytes as a hex string, and any ReportLab object, which is written as its reference when it
is one). `install` then takes over the last step: every object is formatted once, the
non-stream objects are packed into deflated object streams (ISO 32000-1, 7.5.7) and a
cross-reference stream indexes them (7.5.8), which is what makes the files as small as
qpdf made them.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from functools import cache, partial
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFCatalog, PDFDocument, PDFName, PDFObject, PDFTrueTypeFont

from packgen.subset_tags import is_subset_name, subset_tag

# Page labels and other form XObjects: deflated, not also ASCII85-encoded (a fifth larger, and a
# filter every reader has to undo). This is ReportLab's process-wide switch; nothing in packgen
# wants ASCII85.
rl_config.useA85 = 0

VERSION = b"1.7"  # PDF/UA-1 is built on ISO 32000-1 (PDF 1.7)
PER_STREAM = 100  # objects in one object stream: qpdf's choice, and a reader inflates at most this many at once
LEVEL = 6
XREF_WIDTHS = (1, 4, 2)  # type; offset or object stream number; generation or index in the stream


class Name(str):
    """A PDF name (written with its slash); a plain str is written as a text string."""


class Direct(PDFObject):
    """A value of ours where ReportLab formats one (an entry of its catalog or a page)."""

    def __init__(self, value: Any):
        self.value = value

    def format(self, document: PDFDocument) -> bytes:
        return serialise(self.value, document)


class Indirect(Direct):
    """One of our objects, written as an indirect object and referred to wherever it is used."""

    __RefOnly__ = 1


class Stream(PDFObject):
    """A stream of ours. `data` is written as it is; `filtered` names the filter it is already in."""

    __RefOnly__ = 1

    def __init__(self, dictionary: dict[str, Any], data: bytes, filtered: str = "", compress: bool = False):
        if compress and not filtered:
            data, filtered = zlib.compress(data, LEVEL), "FlateDecode"
        self.dictionary = dictionary
        self.data = data
        self.filtered = filtered

    def format(self, document: PDFDocument) -> bytes:
        entries = dict(self.dictionary)
        if self.filtered:
            entries["Filter"] = Name(self.filtered)
        entries["Length"] = len(self.data)
        return serialise(entries, document) + b"\nstream\n" + self.data + b"\nendstream"


def serialise(value: Any, document: PDFDocument) -> bytes:
    """`value` in PDF syntax (see the module's docstring for the types)."""
    kind = type(value)
    if kind is Name:
        return _name(value)
    if kind is str:
        return _text(value)
    if kind is int:
        return b"%d" % value
    if kind is dict:
        return b"<<" + b" ".join(_name(k) + b" " + serialise(v, document) for k, v in value.items()) + b">>"
    if kind is list or kind is tuple:
        return b"[" + b" ".join(serialise(v, document) for v in value) + b"]"
    if value is True or value is False:
        return b"true" if value else b"false"
    if kind is float:
        return _real(value)
    if value is None:
        return b"null"
    if kind is bytes:
        return b"<" + value.hex().upper().encode("ascii") + b">"
    if isinstance(value, PDFObject):
        return pdfdoc.format(value, document)
    raise TypeError(f"cannot write {kind.__name__} in a PDF")


@cache
def _name(name: str) -> bytes:
    """A name with its slash; anything but regular printable ASCII is written #xx (7.3.5)."""
    out = bytearray(b"/")
    for byte in name.encode("utf-8"):
        if 0x21 <= byte <= 0x7E and byte not in b"#()<>[]{}/%":
            out.append(byte)
        else:
            out += b"#%02X" % byte
    return bytes(out)


def hex_text(text: str) -> str:
    """A text string as UTF-16BE with its byte order mark, in hex: any text, in any PDF syntax
    (a dictionary, or a content stream's ActualText)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _text(text: str) -> bytes:
    """A text string: literal where it is printable ASCII, else `hex_text`."""
    if text.isascii() and text.isprintable():
        return b"(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("ascii") + b")"
    return hex_text(text).encode("ascii")


def _real(number: float) -> bytes:
    if number == int(number):
        return b"%d" % number
    return (b"%.4f" % number).rstrip(b"0").rstrip(b".")


def set_entries(target: PDFCatalog, **entries: Any) -> None:
    """Set entries of ReportLab's catalog or of one of its pages, which write only the keys they list.

    Their classes list the keys they write and the ones made indirect; the lists are extended (or a
    key taken off the indirect list) on this one object, as ReportLab's own comment invites.
    """
    for key, value in entries.items():
        if key not in target.__NoDefault__ and key not in target.__Defaults__:
            target.__NoDefault__ = [*target.__NoDefault__, key]
        if key in target.__Refs__ and not isinstance(value, (Indirect, Stream)):
            target.__Refs__ = [k for k in target.__Refs__ if k != key]
        setattr(target, key, value if isinstance(value, PDFObject) else Direct(value))


# -- the file -----------------------------------------------------------------------------------------

def install(document: PDFDocument) -> None:
    """Have ReportLab's document written by `write_file`.

    ReportLab's save realises its fonts, registers the catalog and info and prepares the outline,
    then calls `document.format()` for the bytes: that last call is ours.
    """
    document.format = partial(write_file, document)  # type: ignore[method-assign]


def release(document: PDFDocument) -> None:
    """Let go of everything a written document holds.

    ReportLab's document, its canvas and the page template refer to one another, so whatever the
    document holds (every page, the fonts' subsets, the whole tag tree) would otherwise wait for
    Python's cycle collector: on a 500-page document, 150,000 objects and a fifth of a second,
    with the memory held until then.
    """
    vars(document).clear()


def write_file(document: PDFDocument) -> bytes:
    """The whole file: stream objects on their own, the rest in object streams, a cross-reference stream."""
    document.encrypt.prepare(document)
    catalog = document.Reference(document.Catalog)
    info = document.Reference(document.info)
    _distinct_subset_tags(document)
    bodies: list[bytes] = []
    number = 0
    numbers, objects = document.numberToId, document.idToObject
    while number + 1 in numbers:  # formatting an object may register new ones: go until none is left
        number += 1
        bodies.append(pdfdoc.format(objects[numbers[number]], document, toplevel=1))

    header = b"%PDF-" + VERSION + b"\n%\xe2\xe3\xcf\xd3\n"
    chunks = [header]
    offset = len(header)
    rows: dict[int, tuple[int, int, int]] = {}
    loose: list[tuple[int, bytes]] = []

    def add(n: int, body: bytes) -> None:
        nonlocal offset
        chunk = b"%d 0 obj\n" % n + body + b"\nendobj\n"
        rows[n] = (1, offset, 0)
        chunks.append(chunk)
        offset += len(chunk)

    for n, body in enumerate(bodies, 1):
        body = body.strip()
        if body.startswith(b"<<") and body.endswith(b"endstream"):
            add(n, body if isinstance(objects[numbers[n]], Stream) else _tidy_stream(body))
        else:
            loose.append((n, body))
    next_number = len(bodies) + 1
    for start in range(0, len(loose), PER_STREAM):
        group = loose[start:start + PER_STREAM]
        heads, parts, position = [], [], 0
        for index, (n, body) in enumerate(group):
            rows[n] = (2, next_number, index)
            heads.append(b"%d %d" % (n, position))
            parts.append(body + b"\n")
            position += len(body) + 1
        head = b" ".join(heads) + b"\n"
        data = zlib.compress(head + b"".join(parts), LEVEL)
        add(next_number, b"<</Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d>>\nstream\n"
            % (len(group), len(head), len(data)) + data + b"\nendstream")
        next_number += 1

    # The same content gives the same identifier; different content, a different one.
    digest = hashlib.md5(b"".join(bodies), usedforsecurity=False).digest()
    xref = next_number
    rows[xref] = (1, offset, 0)
    table = b"".join(struct.pack(">BIH", *rows[n]) if n else struct.pack(">BIH", 0, 0, 65535)
                     for n in range(xref + 1))
    data = zlib.compress(table, LEVEL)
    trailer = {"Type": Name("XRef"), "Size": xref + 1, "W": list(XREF_WIDTHS), "Root": catalog, "Info": info,
               "ID": [digest, digest], "Filter": Name("FlateDecode"), "Length": len(data)}
    chunks.append(b"%d 0 obj\n" % xref + serialise(trailer, document) + b"\nstream\n" + data
                  + b"\nendstream\nendobj\n")
    chunks.append(b"startxref\n%d\n%%%%EOF\n" % offset)
    return b"".join(chunks)


def _tidy_stream(body: bytes) -> bytes:
    """One of ReportLab's streams, with its one filter as a name and an end of line before endstream.

    ReportLab writes `/Filter [ /FlateDecode ]`, and qpdf re-deflates a stream whose filter is an
    array every time it saves a file holding it (combining the PDFs, filling in forms): the
    fonts' subsets, again and again. ISO 32000-1 (7.3.8.1) asks for the end of line.
    """
    head, _, rest = body.partition(b"\nstream\n")
    head = head.replace(b"/Filter [ /FlateDecode ]", b"/Filter /FlateDecode", 1)
    return head + b"\nstream\n" + rest[:-len(b"endstream")] + b"\nendstream"


def _distinct_subset_tags(document: PDFDocument) -> None:
    """Give each font subset its own six-letter tag (ISO 32000-1, 9.6.4).

    ReportLab's invariant mode tags the first subset of every font AAAAAA+; tags counted in
    object order stay deterministic.
    """
    count = 0
    for number in sorted(document.numberToId):
        font = document.idToObject[document.numberToId[number]]
        if not isinstance(font, PDFTrueTypeFont):
            continue
        name = str(font.BaseFont)
        if is_subset_name(name):
            font.BaseFont = subset_tag(count) + name[6:]
            descriptor = font.FontDescriptor
            descriptor = document.idToObject.get(getattr(descriptor, "name", None), descriptor)
            descriptor.dict["FontName"] = PDFName(font.BaseFont)
            count += 1
