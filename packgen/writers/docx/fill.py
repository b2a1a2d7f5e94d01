"""Filling a prepared Word form: the blank pledge form is written once, then each copy only has its
content controls' values set in word/document.xml.

A copy is one parse and one serialisation of document.xml, far less work than laying the form out
again; every other part (fonts, styles) is the same bytes each time, so the zip writer deflates it
once and reuses it. What a filled control holds is what the DOCX writer writes for a field given a value, so
a pre-filled form is the same as one the writer would have made (tests/test_forms.py checks).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from packgen.writers.docx import package
from packgen.writers.docx.fields import CHECKED, TRUE_VALUES, UNCHECKED
from packgen.writers.docx.oxml import qn

DOCUMENT = package.BODY
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def filler(blank: bytes) -> Callable[[dict[str, str]], bytes]:
    """Fill copies of a blank Word form: values by field id -> the bytes of the copy."""
    return DocxTemplate(blank).fill


class DocxTemplate:
    """A blank form's parts, kept in memory; `fill(values)` returns the bytes of a filled copy."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
        names = [name for name, _ in self.entries]
        if DOCUMENT not in names:
            raise ValueError("not a Word document: it has no word/document.xml")
        self.index = names.index(DOCUMENT)
        self.document = self.entries[self.index][1]

    @classmethod
    def from_path(cls, path: Path) -> DocxTemplate:
        return cls(Path(path).read_bytes())

    def fill(self, values: dict[str, str]) -> bytes:
        root = etree.fromstring(self.document, _PARSER)
        fill_controls(root, values)
        xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        entries = list(self.entries)
        entries[self.index] = (DOCUMENT, xml)
        return package.zip_bytes(entries, own=(DOCUMENT,))


def fill_controls(root: etree._Element, values: dict[str, str]) -> int:
    """Set every content control whose tag is a key of `values` (an empty value leaves it blank);
    return how many were set."""
    count = 0
    for sdt in root.iter(qn("w:sdt")):
        pr = sdt.find(qn("w:sdtPr"))
        tag = pr.find(qn("w:tag")) if pr is not None else None
        if tag is None:
            continue
        value = values.get(tag.get(qn("w:val"), ""))
        if not value:
            continue
        content = sdt.find(qn("w:sdtContent"))
        if content is None:
            continue
        box = pr.find(qn("w14:checkbox"))
        if box is not None:
            _tick(box, content, value.strip().lower() in TRUE_VALUES)
        else:
            placeholder = pr.find(qn("w:showingPlcHdr"))
            if placeholder is not None:
                pr.remove(placeholder)
            picker = pr.find(qn("w:date"))
            if picker is not None:
                iso = iso_date(value)
                if iso:
                    picker.set(qn("w:fullDate"), f"{iso}T00:00:00Z")
            _text(content, value)
        count += 1
    return count


def iso_date(value: str) -> str:
    """YYYY-MM-DD for an ISO or DD/MM/YYYY date, else ""."""
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else ""


def _text(content: etree._Element, value: str) -> None:
    """The value as plain runs (a line break between lines), as the DOCX writer writes a filled field."""
    for child in list(content):
        content.remove(child)
    for n, line in enumerate(value.split("\n")):
        if n:
            etree.SubElement(etree.SubElement(content, qn("w:r")), qn("w:br"))
        t = etree.SubElement(etree.SubElement(content, qn("w:r")), qn("w:t"))
        t.text = _xml_safe(line)
        if line[:1].isspace() or line[-1:].isspace():
            t.set(qn("xml:space"), "preserve")


def _tick(box: etree._Element, content: etree._Element, checked: bool) -> None:
    state = box.find(qn("w14:checked"))
    if state is not None:
        state.set(qn("w14:val"), "1" if checked else "0")
    for t in content.iter(qn("w:t")):
        t.text = chr(int(CHECKED if checked else UNCHECKED, 16))
        break


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters; a CSV cell can. Drop them."""
    return _CONTROL.sub("", text)
