"""The words of a PDF as pdfium reads them, each with what a screen reader knows of it: whether it is
tagged content or an artifact, which marked-content sequence (MCID) holds it, and how it looks (size,
bold). The rules that compare what a page shows with what its tags say (a DRAFT mark only sighted
readers get; a bold line that is a heading only to the eye) read this.

pdfium decodes the text through each font's own encoding and ToUnicode map, which packgen's
content-stream walk (packgen/check/pdf.py) does not need to do.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

MAX_PAGES = 5_000
MAX_OBJECTS = 1_000_000  # text and form objects across the file
MAX_FORM_DEPTH = 12
INVISIBLE = 3  # text render mode 3 draws nothing (OCR text under a scan): not what a sighted reader sees
BOLD_WEIGHT = 600
BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demibold")
FORCE_BOLD = 1 << 18  # FontDescriptor /Flags bit 19


@dataclass(frozen=True)
class Words:
    page: int  # from 0
    text: str
    artifact: bool  # inside an Artifact sequence: not read by screen readers
    mcid: int | None  # the innermost marked-content sequence with an MCID, when there is one
    size: float  # as drawn, in points
    bold: bool


def _utf16(buffer: ctypes.Array, length: int) -> str:
    return buffer.raw[:length].decode("utf-16-le", errors="replace").rstrip("\x00")


def _marks(obj: raw.FPDF_PAGEOBJECT) -> list[tuple[str, int | None]]:
    """Each marked-content sequence holding the object, outermost first: (tag, MCID or None)."""
    marks = []
    for i in range(raw.FPDFPageObj_CountMarks(obj)):
        mark = raw.FPDFPageObj_GetMark(obj, i)
        length = ctypes.c_ulong()
        raw.FPDFPageObjMark_GetName(mark, None, 0, ctypes.byref(length))
        buffer = ctypes.create_string_buffer(max(length.value, 2))
        raw.FPDFPageObjMark_GetName(mark, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), length.value,
                                    ctypes.byref(length))
        mcid = ctypes.c_int()
        has_mcid = raw.FPDFPageObjMark_GetParamIntValue(mark, b"MCID", ctypes.byref(mcid))
        marks.append((_utf16(buffer, length.value), mcid.value if has_mcid else None))
    return marks


def _text(obj: raw.FPDF_PAGEOBJECT, textpage: raw.FPDF_TEXTPAGE) -> str:
    length = raw.FPDFTextObj_GetText(obj, textpage, None, 0)
    if length <= 2:
        return ""
    buffer = ctypes.create_string_buffer(length)
    raw.FPDFTextObj_GetText(obj, textpage, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), length)
    return _utf16(buffer, length)


def _size(obj: raw.FPDF_PAGEOBJECT) -> float:
    size = ctypes.c_float()
    if not raw.FPDFTextObj_GetFontSize(obj, ctypes.byref(size)):
        return 0.0
    matrix = raw.FS_MATRIX()
    scale = 1.0
    if raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
        scale = (matrix.c ** 2 + matrix.d ** 2) ** 0.5 or 1.0
    return round(abs(size.value) * scale, 1)


def _bold(obj: raw.FPDF_PAGEOBJECT) -> bool:
    font = raw.FPDFTextObj_GetFont(obj)
    if not font:
        return False
    if raw.FPDFFont_GetWeight(font) >= BOLD_WEIGHT or raw.FPDFFont_GetFlags(font) & FORCE_BOLD:
        return True
    length = raw.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(max(length, 1))
    raw.FPDFFont_GetBaseFontName(font, buffer, length)
    name = buffer.value.decode("latin-1").lower()
    return any(word in name for word in BOLD_NAMES)


def read_words(path: Path) -> list[Words]:
    """Every visible run of text in the file, in drawing order, page by page; [] when pdfium cannot read it."""
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return []
    found: list[Words] = []
    budget = [MAX_OBJECTS]
    try:
        for index in range(min(len(document), MAX_PAGES)):
            page = document[index]
            textpage = page.get_textpage()
            objects = [raw.FPDFPage_GetObject(page.raw, i) for i in range(raw.FPDFPage_CountObjects(page.raw))]
            _walk(objects, [], index, textpage.raw, found, budget, 0)
            textpage.close()
            page.close()
    except pdfium.PdfiumError:
        return found  # a page pdfium cannot load: the words before it stand, the structure rules say the rest
    finally:
        document.close()
    return found


def _walk(objects: list, outer: list[tuple[str, int | None]], page: int, textpage: raw.FPDF_TEXTPAGE,
          found: list[Words], budget: list[int], depth: int) -> None:
    for obj in objects:
        budget[0] -= 1
        if budget[0] < 0 or depth > MAX_FORM_DEPTH:
            return
        marks = outer + _marks(obj)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            inner = [raw.FPDFFormObj_GetObject(obj, i) for i in range(raw.FPDFFormObj_CountObjects(obj))]
            _walk(inner, marks, page, textpage, found, budget, depth + 1)
        elif kind == raw.FPDF_PAGEOBJ_TEXT and raw.FPDFTextObj_GetTextRenderMode(obj) != INVISIBLE:
            text = _text(obj, textpage)
            if text.strip():
                mcid = next((m for _, m in reversed(marks) if m is not None), None)
                found.append(Words(page, text, any(tag == "Artifact" for tag, _ in marks), mcid, _size(obj),
                                   _bold(obj)))
