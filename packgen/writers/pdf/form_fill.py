"""Fill a finished blank form: `fill(pdf, {field id: value}) -> bytes`, without laying anything out.

Contract (for `packgen forms`, which makes one pre-filled pledge form per organisation):

- `pdf` is a blank form made by this writer, as bytes or an open `pikepdf.Pdf` (not modified:
  the filled file comes back as new bytes). The blank is prepared once and filled per row, because
  a fill is a small fraction of the work of laying a form out.
- `values` maps field ids (each field's /T) to strings. Text fields (text, multi-line, email,
  telephone, date) take the string as their value: /V is set and the field's /AP /N appearance is
  redrawn with the form's own embedded fonts (the /DR fonts PGF0, PGF1... tried in that order per
  character, so Welsh, Polish, accents and Arabic script draw), right-to-left text shaped with
  HarfBuzz and put in visual order, each shaped cluster carrying its letters as ActualText. A tick
  box takes "true"/"yes"/"1"/"on"/"x" (any case) to tick, anything else to clear. Fields not named
  keep what they had; an empty string empties a text field.
- Errors (ValueError, naming the field): an id that is not a field of the form, a signature
  field (a signature is made by signing, not by filling), a character no embedded font has.
- The same input gives the same bytes (no clock; the new /ID is a digest), so a rebuild is identical.
- The structure tree, tab order and accessible names are the blank's and are kept as they are.

The filled file is the blank, byte for byte, plus an incremental update holding only the changed
field dictionaries and appearance streams and a cross-reference stream (ISO 32000-1, 7.5.6): no
rewrite of the fonts and pages, which is what keeps a fill small and quick. Given a
`pikepdf.Pdf`, the fill saves that object in full instead (it has no original bytes to append to).
"""

from __future__ import annotations

import hashlib
import io
import re
import zlib
from collections.abc import Callable, Mapping

import pikepdf
from pikepdf import Name, String

from packgen.writers.pdf.cidfont import CIDFont, font_from_pdf
from packgen.writers.pdf.fonts import MissingGlyph
from packgen.writers.pdf.form import FF_MULTILINE, ON, parse_default_appearance, text_appearance, ticked

_FONTS: dict[tuple, CIDFont] = {}


def _fonts(acroform: pikepdf.Object) -> tuple[list[CIDFont], list[str]]:
    """The form's fonts in fallback order, parsed once per process (keyed by name and program size)."""
    entries = sorted(acroform.DR.Font.items(), key=lambda kv: int(kv[0][4:]) if kv[0][4:].isdigit() else 0)
    fonts, names = [], []
    for name, font in entries:
        if font.get("/Subtype") != Name.Type0:  # the tick boxes' mark (tickmark), not a text font
            continue
        program = font.DescendantFonts[0].FontDescriptor.FontFile2
        key = (str(font.BaseFont), int(program.get("/Length1", 0)), int(program.Length))
        found = _FONTS.get(key)
        if found is None:
            found = _FONTS[key] = font_from_pdf(font)
        fonts.append(found)
        names.append(name[1:])
    return fonts, names


def filler(blank: bytes) -> Callable[[Mapping[str, str]], bytes]:
    """Fill copies of a blank PDF form: values by field id -> the bytes of the copy."""
    return lambda values: fill(blank, values)


def fill(pdf: bytes | pikepdf.Pdf, values: Mapping[str, str]) -> bytes:
    """The form with the given field values set and their appearances redrawn, as PDF bytes."""
    if isinstance(pdf, pikepdf.Pdf):
        changed = _set(pdf, values)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
        return out.getvalue()
    data = bytes(pdf)
    with pikepdf.open(io.BytesIO(data)) as doc:
        changed = _set(doc, values)
        return data + _update(doc, data, changed)


def _set(doc: pikepdf.Pdf, values: Mapping[str, str]) -> list[pikepdf.Object]:
    """Set the values on the open document; return the changed indirect objects."""
    acroform = doc.Root.get("/AcroForm")
    if acroform is None:
        raise ValueError("this PDF has no form fields to fill")
    fields = {str(f.T): f for f in acroform.Fields}
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ValueError(f"the form has no field called {', '.join(repr(u) for u in unknown)}")
    fonts: list[CIDFont] | None = None
    names: list[str] = []
    changed: list[pikepdf.Object] = []
    for field_id, value in values.items():
        field = fields[field_id]
        kind = field.get("/FT")
        if kind == Name.Btn:
            state = Name(ON) if ticked(value) else Name.Off
            field.V = state
            field.AS = state
        elif kind == Name.Tx:
            if fonts is None:
                fonts, names = _fonts(acroform)
            _, size, colour = parse_default_appearance(str(field.get("/DA", "")))
            x0, y0, x1, y1 = (float(v) for v in field.Rect)
            multiline = bool(int(field.get("/Ff", 0)) & FF_MULTILINE)
            try:
                content = text_appearance(value, x1 - x0, y1 - y0, fonts, names, size, colour, multiline)
            except MissingGlyph as exc:
                raise ValueError(f"field '{field_id}': no font in the form has the character "
                                 f"{exc.describe()}") from None
            if value:
                field.V = String(value)
            elif "/V" in field:
                del field.V
            stream = field.AP.N
            stream.write(zlib.compress(content, 6), filter=Name.FlateDecode)
            changed.append(stream)
        else:
            raise ValueError(f"field '{field_id}' is a {str(kind)[1:]} field and cannot be filled with text")
        changed.append(field)
    return changed


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


def _update(doc: pikepdf.Pdf, data: bytes, changed: list[pikepdf.Object]) -> bytes:
    """An incremental update section (objects, then a cross-reference stream) for the changed objects."""
    found = _STARTXREF.search(data[-64:])
    if found is None:
        raise ValueError("the blank form does not end with startxref and %%EOF")
    prev = int(found.group(1))
    body = bytearray(b"" if data.endswith(b"\n") else b"\n")
    offsets: dict[int, int] = {}
    seen: set[tuple[int, int]] = set()
    for obj in changed:
        if obj.objgen in seen:
            continue
        seen.add(obj.objgen)
        num, gen = obj.objgen
        offsets[num] = len(data) + len(body)
        if isinstance(obj, pikepdf.Stream):
            raw = obj.read_raw_bytes()
            obj.stream_dict.Length = len(raw)
            body += f"{num} {gen} obj\n".encode() + obj.stream_dict.unparse(resolved=True)
            body += b"\nstream\n" + raw + b"\nendstream\nendobj\n"
        else:
            body += f"{num} {gen} obj\n".encode() + obj.unparse(resolved=True) + b"\nendobj\n"
    size = int(doc.trailer.Size)
    xref_num = size
    offsets[xref_num] = len(data) + len(body)
    nums = sorted(offsets)
    rows = b"".join(b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00\x00" for n in nums)
    index = " ".join(f"{n} 1" for n in nums)
    ids = doc.trailer.get("/ID")
    first = bytes(ids[0]) if ids is not None else hashlib.md5(data[:4096]).digest()
    second = hashlib.md5(first + bytes(body)).digest()
    trailer = (f"<< /Type /XRef /Size {size + 1} /W [ 1 4 2 ] /Index [ {index} ] /Prev {prev} "
               f"/Root {doc.Root.objgen[0]} {doc.Root.objgen[1]} R ")
    if "/Info" in doc.trailer:
        info = doc.trailer.Info.objgen
        trailer += f"/Info {info[0]} {info[1]} R "
    trailer += f"/ID [ <{first.hex()}> <{second.hex()}> ] /Length {len(rows)} >>"
    body += f"{xref_num} 0 obj\n{trailer}\nstream\n".encode() + rows + b"\nendstream\nendobj\n"
    body += f"startxref\n{offsets[xref_num]}\n%%EOF\n".encode()
    return bytes(body)
