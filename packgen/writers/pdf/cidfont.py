"""Whole TrueType fonts embedded for form fields (Type0, Identity-H), and text shaped with HarfBuzz.

A form field's default font must be embedded in full, not subset, so a viewer can draw whatever a
user types, and `form_fill` can draw any value later without re-subsetting. Glyph ids are the
character codes (Identity-H, CIDToGIDMap /Identity), so HarfBuzz's output (Arabic joining forms,
ligatures, placed marks) is drawn as it is. The ToUnicode map covers every glyph the character map
reaches and, for Arabic, the joining forms and lam-alef ligatures (found by shaping each letter in
its four positions), so text extraction gets letters rather than nothing.

Variable fonts (the Noto fallbacks) are embedded as their default instance: the variation tables
are dropped, the default outlines stay. The same class reads a font back from a finished PDF's
FontFile2, which is what `form_fill` does.
"""

from __future__ import annotations

import hashlib
import io
import json
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import uharfbuzz as hb

from packgen import cache as disk_cache
from packgen.writers.pdf.bidi import bidi_class
from packgen.writers.pdf.pdffile import Indirect, Name, Stream

if TYPE_CHECKING:
    import pikepdf

_VARIATION_TABLES = ("gvar", "HVAR", "MVAR", "VVAR", "STAT", "avar", "fvar", "cvar")
TATWEEL = "\u0640"


@dataclass(frozen=True)
class Glyph:
    gid: int
    x: float  # pen position of the glyph origin, in font units / upem * 1000 (text space)
    y: float


def static_font_bytes(path: Path) -> bytes:
    """The font file, with a variable font reduced to its default instance (variation tables dropped)."""
    return _static(str(path))


@cache
def _static(path: str) -> bytes:
    import fontTools

    raw = Path(path).read_bytes()
    # Instancing a variable font takes fontTools most of a tenth of a second: kept in the user's cache.
    name = disk_cache.key("static-font", raw, fontTools.version)
    return disk_cache.get_or_make("fonts", name, lambda: _default_instance(raw))


def _default_instance(raw: bytes) -> bytes:
    from fontTools.ttLib import TTFont

    # recalcTimestamp=False: fontTools would otherwise write the clock into head.modified on save,
    # and two builds of the same sources must be byte-identical.
    font = TTFont(io.BytesIO(raw), lazy=True, recalcTimestamp=False)
    if "fvar" not in font:
        return raw
    for tag in _VARIATION_TABLES:
        if tag in font:
            del font[tag]
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()


class CIDFont:
    """One whole font: its character map, advances and HarfBuzz font; `objects()` embeds it."""

    def __init__(self, data: bytes):
        self.data = data
        self.face = hb.Face(hb.Blob(data))
        self.font = hb.Font(self.face)
        self.upem = self.face.upem
        self.scale = 1000.0 / self.upem
        self.count = self.face.glyph_count
        self.cmap: dict[int, int] = {}
        for cp in sorted(self.face.unicodes):
            gid = self.font.get_nominal_glyph(cp)
            if gid:
                self.cmap[cp] = gid
        self.covers = frozenset(self.cmap)
        self._advances: list[int] | None = None
        self._to_unicode: dict[int, str] | None = None
        self._embedded: Embedding | None = None

    @staticmethod
    @cache
    def from_bytes(data: bytes) -> CIDFont:
        return CIDFont(data)

    @property
    def advances(self) -> list[int]:
        if self._advances is None:
            self._advances = [self.font.get_glyph_h_advance(g) for g in range(self.count)]
        return self._advances

    def has(self, char: str) -> bool:
        return ord(char) in self.covers

    # -- shaping -----------------------------------------------------------------------------

    def shape(self, text: str, rtl: bool) -> tuple[list[tuple[int, int, int, int]], int]:
        """[(gid, x_advance, x_offset, y_offset)] in visual order and the total advance (font units)."""
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        buf.direction = "rtl" if rtl else "ltr"
        hb.shape(self.font, buf, {"kern": True, "liga": True})
        out = [(info.codepoint, pos.x_advance, pos.x_offset, pos.y_offset)
               for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True)]
        self._clusters = [info.cluster for info in buf.glyph_infos]
        return out, sum(g[1] for g in out)

    def shape_clusters(self, text: str, rtl: bool) -> tuple[list[tuple[str | None, list[tuple[int, int, int, int]]]],
                                                               int]:
        """Like `shape`, grouped into clusters in visual order: [(logical text, glyphs)].

        Right-to-left clusters carry the characters they stand for (joined letters, a letter and its
        dots drawn as separate glyphs); left-to-right glyphs come one per cluster with None (their
        ToUnicode entry says what they are).
        """
        glyphs, total = self.shape(text, rtl)
        if not rtl:
            return [(None, [g]) for g in glyphs], total
        starts = sorted(set(self._clusters))
        ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
        out: list[tuple[str | None, list[tuple[int, int, int, int]]]] = []
        previous = None
        for g, cluster in zip(glyphs, self._clusters, strict=True):
            if cluster == previous:
                out[-1][1].append(g)
            else:
                out.append((text[cluster:ends[cluster]], [g]))
            previous = cluster
        return out, total

    # -- embedding ---------------------------------------------------------------------------

    def to_unicode(self) -> dict[int, str]:
        """glyph id -> the text it stands for: the character map reversed, then Arabic's shaped forms."""
        if self._to_unicode is None:
            found: dict[int, str] = {}
            for cp, gid in self.cmap.items():
                found.setdefault(gid, chr(cp))
            arabic = [cp for cp in self.cmap if bidi_class(chr(cp)) == "AL" and chr(cp).isalpha()]
            if arabic and ord(TATWEEL) in self.cmap:
                for cp in arabic:
                    char = chr(cp)
                    for probe in (TATWEEL + char, char + TATWEEL, TATWEEL + char + TATWEEL):
                        for gid, *_ in self.shape(probe, True)[0]:
                            if gid != self.cmap[ord(TATWEEL)]:
                                found.setdefault(gid, char)
                lam = 0x0644
                for alef in (0x0622, 0x0623, 0x0625, 0x0627):
                    if lam in self.cmap and alef in self.cmap:
                        for probe in (chr(lam) + chr(alef), TATWEEL + chr(lam) + chr(alef)):
                            glyphs = [g for g, *_ in self.shape(probe, True)[0] if g != self.cmap[ord(TATWEEL)]]
                            if len(glyphs) == 1:
                                found.setdefault(glyphs[0], chr(lam) + chr(alef))
            self._to_unicode = found
        return self._to_unicode

    def embedded(self) -> Embedding:
        """What a PDF embeds for this font: the deflated program and ToUnicode CMap, and its metrics.

        Deflating a whole font, shaping Arabic for the CMap and reading the font's tables with
        fontTools is slow work whose result depends only on the font, so it is kept per process and
        in the user's cache.
        """
        if self._embedded is None:
            name = disk_cache.key("embedded-font, json head", self.data, hb.__version__, zlib.ZLIB_VERSION)
            head, _, rest = disk_cache.get_or_make("fonts", name, self._embedding).partition(b"\n")
            fields = json.loads(head)
            split = fields.pop("program")
            self._embedded = Embedding(program=rest[:split], cmap=rest[split:], **fields)
        return self._embedded

    def _embedding(self) -> bytes:
        """One cache entry: a JSON line (metrics, the program's length), then program and CMap."""
        from fontTools.ttLib import TTFont

        tt = TTFont(io.BytesIO(self.data), lazy=True)
        head, hhea, os2 = tt["head"], tt["hhea"], tt.get("OS/2")
        s = self.scale
        cap = getattr(os2, "sCapHeight", 0) if os2 is not None else 0
        name = tt["name"].getDebugName(6) or "PackgenFont"
        program = zlib.compress(self.data, 6)
        fields = {"program": len(program), "name": "".join(c for c in name if c.isalnum() or c == "-"),
                  "bbox": [round(v * s) for v in (head.xMin, head.yMin, head.xMax, head.yMax)],
                  "ascent": round(hhea.ascent * s), "descent": round(hhea.descent * s),
                  "cap_height": round((cap or hhea.ascent * 0.7) * s)}
        return json.dumps(fields).encode() + b"\n" + program + zlib.compress(to_unicode_cmap(self.to_unicode()), 6)

    def objects(self) -> Indirect:
        """The Type0 font dictionary, with the whole font program embedded."""
        e = self.embedded()
        name = Name(e.name)
        # Deflated once (see embedded), not again in every file that embeds the font.
        program = Stream({"Length1": len(self.data)}, e.program, filtered="FlateDecode")
        descriptor = Indirect({
            "Type": Name("FontDescriptor"), "FontName": name, "Flags": 32, "FontBBox": e.bbox, "ItalicAngle": 0,
            "Ascent": e.ascent, "Descent": e.descent, "CapHeight": e.cap_height, "StemV": 80, "FontFile2": program})
        cid = Indirect({
            "Type": Name("Font"), "Subtype": Name("CIDFontType2"), "BaseFont": name,
            "CIDSystemInfo": {"Registry": "Adobe", "Ordering": "Identity", "Supplement": 0},
            "FontDescriptor": descriptor, "DW": 1000, "W": [0, [round(a * self.scale) for a in self.advances]],
            "CIDToGIDMap": Name("Identity")})
        return Indirect({"Type": Name("Font"), "Subtype": Name("Type0"), "BaseFont": name,
                         "Encoding": Name("Identity-H"), "DescendantFonts": [cid],
                         "ToUnicode": Stream({}, e.cmap, filtered="FlateDecode")})


@dataclass(frozen=True)
class Embedding:
    program: bytes  # deflated
    cmap: bytes  # deflated
    name: str
    bbox: list[int]
    ascent: int
    descent: int
    cap_height: int


def to_unicode_cmap(mapping: dict[int, str], code_bytes: int = 2) -> bytes:
    """A ToUnicode CMap from codes to text; codes are two bytes (Identity-H) or one (a simple font)."""
    digits = 2 * code_bytes
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", f"<{'0' * digits}> <{'F' * digits}>", "endcodespacerange"]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        chunk = items[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        for gid, text in chunk:
            lines.append(f"<{gid:0{digits}X}> <{text.encode('utf-16-be').hex().upper()}>")
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def font_from_pdf(font: pikepdf.Object) -> CIDFont:
    """The whole font embedded in a Type0 font dictionary we wrote (for filling a finished form)."""
    data = font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
    return _by_digest(hashlib.sha256(data).hexdigest(), data)


_CACHE: dict[str, CIDFont] = {}


def _by_digest(digest: str, data: bytes) -> CIDFont:
    found = _CACHE.get(digest)
    if found is None:
        found = _CACHE[digest] = CIDFont(data)
    return found
