"""PDF rules: the machine-checkable part of PDF/UA-1 (ISO 14289-1) and the Matterhorn Protocol.

Read with pikepdf (qpdf). The checks walk three things and compare them: every page's content
streams (and the form XObjects they draw), the structure tree, and the ParentTree that links the two.
Files come from anywhere, so every walk is bounded in depth and in work, and revisits nothing: a
cycle in a hostile structure tree costs one finding, not a hang.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import pikepdf
from lxml import etree

from packgen.check import easy_read, text_size
from packgen.check.context import FileContext
from packgen.check.findings import Finding, error, warning
from packgen.check.pdf_text import Words, read_words
from packgen.check.visual_headings import body_size, looks_like_heading
from packgen.safeio import UnsafeFile, parse_xml
from packgen.subset_tags import is_subset_name

MAX_DEPTH = 256  # structure tree, number tree, form XObject nesting, field parents
MAX_NODES = 500_000  # structure elements, number-tree nodes
MAX_OPERATORS = 5_000_000  # content-stream operators across the file
MAX_SECONDS = 60.0
MAX_PAGES = 5_000
# XMP metadata unpacked: a document's is a few kilobytes, though a program that keeps a picture's editing
# history there (Photoshop's DocumentAncestors) can make megabytes
MAX_XMP_BYTES = 8 * 1024 * 1024
# How many times larger than its packed bytes each filter can make a stream at most (deflate's is
# 1032:1; an LZW code, 9 bits or more, stands for 4096 bytes at most): what a stream's packed size says its
# unpacked size cannot pass. A filter not named here (a JBIG2 or JPEG picture's) is never unpacked.
MOST_UNPACKED = {"/FlateDecode": 1032, "/LZWDecode": 4096 * 8 // 9, "/RunLengthDecode": 64,
                 "/ASCII85Decode": 4, "/ASCIIHexDecode": 1, "/Crypt": 1}

PAINT_OPS = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "BI", "INLINE IMAGE"}
TEXT_OPS = {"Tj", "TJ", "'", '"'}
STANDARD_ENCODINGS = {"/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding", "/MacExpertEncoding",
                      "/PDFDocEncoding"}
HEADINGS = {f"/H{n}": n for n in range(1, 7)}
NS_DC = "http://purl.org/dc/elements/1.1/"
NS_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS_PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
NS_XMP = "http://ns.adobe.com/xap/1.0/"
DRAFT = re.compile(r"\bdraft\b", re.IGNORECASE)
# Elements whose words are read as part of something else (a cell, a list item, a caption, a link),
# where a short bold line is that thing's own, not a section's heading.
NOT_SECTIONS = {"/TD", "/TH", "/LI", "/LBody", "/Lbl", "/Caption", "/Note", "/Link", "/Form", "/TOCI"}
# What can follow a heading as a section's content.
CONTENT = {"/P", "/L", "/Table", "/Figure", "/BlockQuote", "/Form", *(f"/H{n}" for n in range(1, 7)), "/H"}
REBUILD = "Rebuild it with 'make'; if the problem stays, it is in packgen's PDF writer: report it."


class LimitReached(Exception):
    """The file asked for more work than any real document needs."""


class UnpacksTooBig(Exception):
    """A stream would unpack to more than any real document's (a decompression bomb): it is not unpacked."""


def _filters(stream: pikepdf.Stream) -> list[str]:
    names = stream.get("/Filter")
    names = list(names) if isinstance(names, pikepdf.Array) else [] if names is None else [names]
    return [_name(name) or "?" for name in names]


def bounded_bytes(stream: pikepdf.Stream, limit: int, what: str) -> bytes:
    """A stream's unpacked bytes, never more than ``limit`` of them; UnpacksTooBig names ``what`` when
    they would be more.

    qpdf unpacks a whole stream into memory before its caller sees a byte, so a small file whose
    stream inflates to gigabytes takes the machine's memory. Deflate, the filter nearly every stream
    uses, is inflated here a bounded piece at a time; any other filter is left to qpdf only when the
    packed size times what the filters can multiply it by stays within ``limit``.
    """
    packed = stream.read_raw_bytes()  # as the file holds it (decrypted); no bigger than the file
    filters = _filters(stream)
    too_big = UnpacksTooBig(f"{what} unpacks to more than {limit // (1024 * 1024)} MB, more than packgen reads")
    if not filters:
        if len(packed) > limit:
            raise too_big
        return packed
    if all(f == "/FlateDecode" for f in filters):
        data = packed
        for _ in filters:
            try:
                data = zlib.decompressobj().decompress(data, limit + 1)
            except zlib.error as exc:
                raise pikepdf.PdfError(f"{what} is damaged ({exc})") from exc
            if len(data) > limit:
                raise too_big
        if stream.get("/DecodeParms") is None:
            return data
        # a predictor (DecodeParms) never makes the inflated bytes more: qpdf's unpacking is bounded now
    else:
        most = len(packed)
        for f in filters:
            most *= MOST_UNPACKED.get(f, math.inf)
        if most > limit:
            raise too_big
    return stream.read_bytes()


def _key(obj: pikepdf.Object) -> tuple[int, int] | None:
    try:
        og = obj.objgen
    except (AttributeError, pikepdf.PdfError):
        return None
    return og if og != (0, 0) else None


def _name(obj: object) -> str:
    return str(obj) if isinstance(obj, pikepdf.Name) else ""


def _is_dict(obj: object) -> bool:
    return isinstance(obj, pikepdf.Dictionary) or (isinstance(obj, pikepdf.Stream))


def _text(obj: object) -> str:
    if isinstance(obj, pikepdf.String):
        try:
            return str(obj)
        except (UnicodeDecodeError, ValueError):
            return bytes(obj).decode("latin-1")
    return ""


def _mul(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2)


IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _matrix(operands: list) -> tuple[float, ...] | None:
    try:
        values = tuple(float(x) for x in operands[:6])
    except (TypeError, ValueError):
        return None
    return values if len(values) == 6 else None


LIST_ITEM_PARTS = ("/Lbl", "/LBody")  # the parts of a list item, ISO 32000-1 table 336
# Where else a label (Lbl) belongs: a table of contents item's number (ISO 32000-1, table 333), and in
# ISO 32000-2 (Annex L) a note's or a bibliography entry's number.
LABELLED = {"/Lbl": {"/LI", "/TOCI", "/Note", "/BibEntry"}, "/LBody": {"/LI"}}
# Inline elements a label may sit in within its item (an outline entry's Reference and Link).
INLINE = {"/Link", "/Reference", "/Span"}


@dataclass
class StructElem:
    kind: str  # role-mapped standard type, e.g. "/Figure"
    raw: str
    page: int | None
    obj: pikepdf.Object
    parent: str = ""  # the role-mapped type of the element holding it ("" at the root)
    container: str = ""  # the same, looking through inline elements (Link, Reference, Span)


@dataclass
class Walk:
    """What the content streams hold: per page, MCIDs drawn, untagged painting, fonts used."""

    mcids: dict[int, set[int]] = field(default_factory=dict)  # page index -> MCIDs
    stream_mcids: dict[int, set[int]] = field(default_factory=dict)  # form StructParents key -> MCIDs
    untagged: dict[int, str] = field(default_factory=dict)  # page index -> first operator painted untagged
    fonts: dict[tuple[int, int] | int, tuple[pikepdf.Object, int]] = field(default_factory=dict)
    notdef: dict[int, str] = field(default_factory=dict)  # page -> font name
    smallest: dict[int, float] = field(default_factory=dict)  # page -> smallest tagged text size (pt)
    italic: dict[int, str] = field(default_factory=dict)  # page -> italic font name in tagged text


@dataclass
class Drawing:
    """Where one content stream is, as its operators are read in order (PdfChecker.walk_stream)."""

    resources: object  # its fonts, XObjects and named properties
    page: int
    ctm: tuple[float, ...] = IDENTITY
    covered: bool = False  # drawn from inside a tagged or artifact sequence, which covers all it paints
    depth: int = 0  # how many form XObjects deep
    forms: set[tuple[int, int]] = field(default_factory=set)  # the form XObjects it is drawn inside
    form_key: int | None = None  # the StructParents of the form XObject it is, whose MCIDs these are
    # Drawn inside a Figure's sequence: the words of a picture (a logo's name, a sign) are the picture's,
    # described by its Alt, and the rules for the reader's own words (easy read's size and italics) do not apply.
    in_picture: bool = False
    marks: list[str] = field(default_factory=list)  # "tag" | "figure" | "artifact" | "other" per open sequence
    saved: list[tuple[float, ...]] = field(default_factory=list)  # the matrices q saved
    tm: tuple[float, ...] = IDENTITY
    font: pikepdf.Object | None = None
    font_size: float = 0.0

    @property
    def inside(self) -> bool:
        """Whether what it paints now is in a tagged or artifact sequence."""
        return self.covered or any(mark in ("tag", "figure", "artifact") for mark in self.marks)

    @property
    def tagged_text(self) -> bool:
        """Whether text it draws now is the reader's: tagged, and not an artifact."""
        return "artifact" not in self.marks and (self.covered or "tag" in self.marks or "figure" in self.marks)

    @property
    def picture(self) -> bool:
        return self.in_picture or "figure" in self.marks


class PdfChecker:
    def __init__(self, ctx: FileContext, pdf: pikepdf.Pdf) -> None:
        self.ctx = ctx
        self.pdf = pdf
        self.root = pdf.Root
        self.findings: list[Finding] = []
        self.ops = 0
        self.nodes = 0
        self.started = time.monotonic()
        self.pages = list(pdf.pages)[:MAX_PAGES]
        self.page_index: dict[tuple[int, int], int] = {}
        for i, page in enumerate(self.pages):
            k = _key(page.obj)
            if k:
                self.page_index[k] = i
        self.walk = Walk()
        self.role_map: dict[str, str] = {}
        self.elems: list[StructElem] = []
        self.elem_mcids: list[tuple[StructElem, int, int]] = []  # (elem, page, mcid)
        self.objr: dict[tuple[int, int], str] = {}  # annotation -> tagging element type
        self.parent_tree: dict[int, pikepdf.Object] = {}

    def add(self, f: Finding) -> None:
        self.findings.append(f)

    def budget(self, ops: int = 0, nodes: int = 0) -> None:
        self.ops += ops
        self.nodes += nodes
        if self.ops > MAX_OPERATORS or self.nodes > MAX_NODES:
            raise LimitReached("it holds more content or structure than any real document")
        if time.monotonic() - self.started > MAX_SECONDS:
            raise LimitReached(f"checking it took more than {MAX_SECONDS:.0f} seconds")

    # -- the whole file ----------------------------------------------------------------------

    def run(self) -> list[Finding]:
        self.check_catalog()
        try:
            self.read_structure()
            self.walk_pages()
            self.check_tagging()
            self.check_structure()
            self.check_annotations()
            self.check_fonts()
            self.check_words()
            if text_size.placed(self.ctx):
                self.check_text_size()
            if self.ctx.easy_read:
                self.check_easy_read()
        except LimitReached as exc:
            self.add(error("pdf-limits", self.ctx.label, "whole file",
                           f"The check stopped early, so the file is not known to be accessible: {exc}. "
                           "Findings so far are listed.",
                           "Split the document into smaller files. " + REBUILD))
        return self.findings

    def xmp(self) -> etree._Element | None:
        """The XMP metadata, None when there is none or it cannot be read; UnpacksTooBig for a bomb."""
        meta = self.root.get("/Metadata")
        if not isinstance(meta, pikepdf.Stream):
            return None
        try:
            return parse_xml(bounded_bytes(meta, MAX_XMP_BYTES, "its XMP metadata"))
        except (pikepdf.PdfError, UnsafeFile):
            return None

    def check_catalog(self) -> None:
        label = self.ctx.label
        mark = self.root.get("/MarkInfo")
        if not (_is_dict(mark) and mark.get("/Marked") is True):
            self.add(error("pdf-marked", label, "document catalog",
                           "The PDF is not marked as tagged (MarkInfo /Marked true), so readers treat it as "
                           "untagged.", "Export it as a tagged PDF (PDF/UA). " + REBUILD))
        tree = self.root.get("/StructTreeRoot")
        if not _is_dict(tree):
            self.add(error("pdf-tagged", label, "document catalog",
                           "The PDF has no tags (no structure tree), so screen readers cannot tell headings, "
                           "lists, tables and pictures apart.",
                           "Export it as a tagged PDF (PDF/UA). " + REBUILD))
        elif not _is_dict(tree.get("/ParentTree")):
            self.add(error("pdf-parent-tree", label, "structure tree",
                           "The structure tree has no ParentTree, so the page content cannot be matched to its "
                           "tags.", REBUILD))
        lang = self.root.get("/Lang")
        if not _text(lang).strip():
            self.add(error("pdf-lang", label, "document catalog",
                           "The PDF does not say what language it is in, so screen readers may use the wrong "
                           "voice.", "Set 'language:' in sources/pack.yaml and rebuild (in Acrobat: File > "
                                     "Properties > Advanced > Language)."))
        info_title = ""
        try:
            info = self.pdf.trailer.get("/Info")
            if _is_dict(info):
                info_title = _text(info.get("/Title")).strip()
        except pikepdf.PdfError:
            pass
        xmp = self.xmp()
        xmp_title = ""
        ua_part = ""
        if xmp is not None:
            for t in xmp.iter(f"{{{NS_DC}}}title"):
                xmp_title = " ".join(t.itertext()).strip()
                if xmp_title:
                    break
            for el in xmp.iter(f"{{{NS_PDFUAID}}}part"):
                ua_part = (el.text or "").strip()
            for el in xmp.iter(f"{{{NS_RDF}}}Description"):
                ua_part = ua_part or (el.get(f"{{{NS_PDFUAID}}}part") or "").strip()
        if not info_title or not xmp_title:
            missing = " and ".join(x for x, have in (("document information", info_title),
                                                      ("XMP metadata (dc:title)", xmp_title)) if not have)
            self.add(error("pdf-title", label, "document properties",
                           f"The PDF has no title in its {missing}.",
                           "Give the document a title (the 'title:' line at the top of its file in sources/) and "
                           "rebuild."))
        prefs = self.root.get("/ViewerPreferences")
        if not (_is_dict(prefs) and prefs.get("/DisplayDocTitle") is True):
            self.add(error("pdf-display-title", label, "viewer preferences",
                           "The PDF tells readers to show its file name, not its title, in the window bar.",
                           "Set ViewerPreferences /DisplayDocTitle true (in Acrobat: File > Properties > "
                           "Initial View > Show: Document Title). " + REBUILD))
        if not ua_part:
            self.add(error("pdf-ua-id", label, "XMP metadata",
                           "The PDF does not claim PDF/UA conformance (no pdfuaid:part in its XMP metadata).",
                           "Export it as PDF/UA-1. " + REBUILD))

    # -- structure tree ----------------------------------------------------------------------

    def read_structure(self) -> None:
        tree = self.root.get("/StructTreeRoot")
        if not _is_dict(tree):
            return
        role_map = tree.get("/RoleMap")
        if _is_dict(role_map):
            for k, v in role_map.items():
                if isinstance(v, pikepdf.Name):
                    self.role_map[str(k)] = str(v)
        parent_tree = tree.get("/ParentTree")
        if _is_dict(parent_tree):
            self.read_number_tree(parent_tree)
        self.walk_struct(tree)

    def resolve_role(self, kind: str) -> str:
        seen = set()
        while kind in self.role_map and kind not in seen and len(seen) < 16:
            seen.add(kind)
            kind = self.role_map[kind]
        return kind

    def read_number_tree(self, node: pikepdf.Object) -> None:
        stack: list[tuple[pikepdf.Object, int]] = [(node, 0)]
        seen: set[tuple[int, int]] = set()
        while stack:
            current, depth = stack.pop()
            self.budget(nodes=1)
            k = _key(current)
            if k:
                if k in seen:
                    continue
                seen.add(k)
            if depth > MAX_DEPTH or not _is_dict(current):
                continue
            nums = current.get("/Nums")
            if isinstance(nums, pikepdf.Array):
                items = list(nums)
                for i in range(0, len(items) - 1, 2):
                    try:
                        self.parent_tree[int(items[i])] = items[i + 1]
                    except (TypeError, ValueError):
                        continue
            kids = current.get("/Kids")
            if isinstance(kids, pikepdf.Array):
                stack.extend((kid, depth + 1) for kid in kids)

    def page_of(self, obj: object) -> int | None:
        k = _key(obj) if isinstance(obj, pikepdf.Object) else None
        return self.page_index.get(k) if k else None

    def walk_struct(self, tree: pikepdf.Object) -> None:
        """Depth-first, in document order, over struct elements; each indirect object visited once."""
        seen: set[tuple[int, int]] = set()
        stack: list[tuple[object, int | None, int, StructElem | None]] = []
        kids = tree.get("/K")
        self._push_kids(stack, kids, None, 0, None)
        while stack:
            node, page, depth, parent = stack.pop()
            self.budget(nodes=1)
            if depth > MAX_DEPTH:
                raise LimitReached(f"its structure tree is more than {MAX_DEPTH} levels deep")
            if isinstance(node, int) or (isinstance(node, pikepdf.Object) and _is_int(node)):
                if parent is not None and page is not None:
                    self.elem_mcids.append((parent, page, int(node)))
                continue
            if not _is_dict(node):
                continue
            k = _key(node)
            if k:
                if k in seen:
                    continue
                seen.add(k)
            node_type = _name(node.get("/Type"))
            own_page = self.page_of(node.get("/Pg")) if node.get("/Pg") is not None else page
            if node_type == "/MCR":
                if parent is not None and own_page is not None and node.get("/Stm") is None:
                    mcid = node.get("/MCID")
                    if _is_int(mcid):
                        self.elem_mcids.append((parent, own_page, int(mcid)))
                continue
            if node_type == "/OBJR":
                target = node.get("/Obj")
                tk = _key(target) if isinstance(target, pikepdf.Object) else None
                if tk and parent is not None:
                    self.objr[tk] = parent.kind
                continue
            raw = _name(node.get("/S"))
            if not raw:
                continue
            container = "" if parent is None else parent.container if parent.kind in INLINE else parent.kind
            elem = StructElem(self.resolve_role(raw), raw, own_page, node, parent.kind if parent else "", container)
            self.elems.append(elem)
            self._push_kids(stack, node.get("/K"), own_page, depth + 1, elem)

    def _push_kids(self, stack: list, kids: object, page: int | None, depth: int, parent: StructElem | None) -> None:
        if isinstance(kids, pikepdf.Array):
            items = list(kids)
            if len(items) > MAX_NODES:
                raise LimitReached("a structure element has too many children")
            stack.extend((kid, page, depth, parent) for kid in reversed(items))
        elif kids is not None:
            stack.append((kids, page, depth, parent))

    # -- content streams ---------------------------------------------------------------------

    def walk_pages(self) -> None:
        for i, page in enumerate(self.pages):
            self.budget()
            try:
                self.walk_stream(page.obj, Drawing(page.obj.get("/Resources"), i))
            except pikepdf.PdfError as exc:
                self.add(error("pdf-parse", self.ctx.label, f"page {i + 1}",
                               f"The page's content cannot be read ({exc}).", REBUILD))

    def walk_stream(self, source: pikepdf.Object, drawing: Drawing) -> None:
        """One content stream: which painting is tagged, which MCIDs appear, fonts and text sizes. Each
        operator is read by its rule in OPERATOR_RULES, as it changes or uses where the stream is
        (``drawing``); an operator with no rule of its own is read as painting (PdfChecker._painted)."""
        if drawing.depth > 12:
            raise LimitReached("its form XObjects are nested more than 12 deep")
        instructions = pikepdf.parse_content_stream(source)
        self.budget(ops=len(instructions))
        for inst in instructions:
            if isinstance(inst, pikepdf.ContentStreamInlineImage):
                op, operands = "INLINE IMAGE", []
            else:
                op, operands = str(inst.operator), list(inst.operands)
            OPERATOR_RULES.get(op, PdfChecker._painted)(self, drawing, op, operands)

    def _begin_marked(self, drawing: Drawing, op: str, operands: list) -> None:
        """BDC, BMC: a marked-content sequence opens, an artifact's, a tag's (its MCID drawn on this page,
        or in a form XObject its StructParents names) or another."""
        tag = _name(operands[0]) if operands else ""
        props = operands[1] if len(operands) > 1 else None
        if isinstance(props, pikepdf.Name) and _is_dict(drawing.resources):
            named = drawing.resources.get("/Properties")
            props = named.get(props) if _is_dict(named) else None
        if tag == "/Artifact":
            drawing.marks.append("artifact")
        elif op == "BDC" and _is_dict(props) and _is_int(props.get("/MCID")):
            drawing.marks.append("figure" if self.resolve_role(tag) == "/Figure" else "tag")
            target = self.walk.stream_mcids.setdefault(drawing.form_key, set()) if drawing.form_key is not None \
                else self.walk.mcids.setdefault(drawing.page, set())
            target.add(int(props.get("/MCID")))
        else:
            drawing.marks.append("other")

    def _end_marked(self, drawing: Drawing, _op: str, _operands: list) -> None:
        """EMC: the innermost marked-content sequence closes."""
        if drawing.marks:
            drawing.marks.pop()

    def _save(self, drawing: Drawing, _op: str, _operands: list) -> None:
        """q: the graphics state (its matrix) is saved."""
        drawing.saved.append(drawing.ctm)

    def _restore(self, drawing: Drawing, _op: str, _operands: list) -> None:
        """Q: the graphics state saved last is back."""
        drawing.ctm = drawing.saved.pop() if drawing.saved else drawing.ctm

    def _transform(self, drawing: Drawing, _op: str, operands: list) -> None:
        """cm: what is drawn next is moved, turned or scaled."""
        m = _matrix(operands)
        if m:
            drawing.ctm = _mul(m, drawing.ctm)

    def _begin_text(self, drawing: Drawing, _op: str, _operands: list) -> None:
        """BT: text starts at the origin."""
        drawing.tm = IDENTITY

    def _place_text(self, drawing: Drawing, _op: str, operands: list) -> None:
        """Tm: where, and how large, the text is drawn."""
        drawing.tm = _matrix(operands) or drawing.tm

    def _choose_font(self, drawing: Drawing, _op: str, operands: list) -> None:
        """Tf: the font and size text is drawn in, each font kept to check once."""
        if len(operands) != 2:
            return
        fonts = drawing.resources.get("/Font") if _is_dict(drawing.resources) else None
        font = fonts.get(operands[0]) if _is_dict(fonts) and isinstance(operands[0], pikepdf.Name) else None
        drawing.font = font
        try:
            drawing.font_size = float(operands[1])
        except (TypeError, ValueError):
            drawing.font_size = 0.0
        if _is_dict(font):
            self.walk.fonts.setdefault(_key(font) or id(font), (font, drawing.page))

    def _draw_object(self, drawing: Drawing, _op: str, operands: list) -> None:
        """Do: a form XObject is drawn as a stream of its own, inside what covers it here; an image
        drawn outside every tagged or artifact sequence is untagged."""
        xobjects = drawing.resources.get("/XObject") if _is_dict(drawing.resources) else None
        if not operands or not _is_dict(xobjects):
            return
        xobj = xobjects.get(operands[0]) if isinstance(operands[0], pikepdf.Name) else None
        if isinstance(xobj, pikepdf.Stream) and _name(xobj.get("/Subtype")) == "/Form":
            xk = _key(xobj)
            if xk and xk in drawing.forms:
                return  # a form drawing itself: drawn once is enough
            m = _matrix(list(xobj.get("/Matrix"))) if isinstance(xobj.get("/Matrix"), pikepdf.Array) else IDENTITY
            sp = xobj.get("/StructParents")
            self.walk_stream(xobj, Drawing(xobj.get("/Resources", drawing.resources), drawing.page,
                                           _mul(m or IDENTITY, drawing.ctm), drawing.inside, drawing.depth + 1,
                                           drawing.forms | ({xk} if xk else set()),
                                           int(sp) if _is_int(sp) else drawing.form_key, drawing.picture))
        elif not drawing.inside:
            self.walk.untagged.setdefault(drawing.page, f"an image ({operands[0]})")

    def _painted(self, drawing: Drawing, op: str, operands: list) -> None:
        """Any other operator: painting outside every tagged or artifact sequence is untagged; tagged
        text is measured."""
        if op in PAINT_OPS and not drawing.inside:
            what = "text" if op in TEXT_OPS else ("an image" if "IMAGE" in op or op == "BI" else "a drawing")
            self.walk.untagged.setdefault(drawing.page, what)
        if op in TEXT_OPS and drawing.tagged_text and _is_dict(drawing.font):
            self.text_shown(drawing.page, drawing.font, drawing.font_size, _mul(drawing.tm, drawing.ctm), operands,
                            drawing.picture)

    def text_shown(self, page: int, font: pikepdf.Object, size: float, matrix: tuple[float, ...],
                   operands: list, in_picture: bool = False) -> None:
        scale = math.hypot(matrix[2], matrix[3])
        effective = round(abs(size) * scale, 1)
        if not in_picture and 0 < effective < self.walk.smallest.get(page, 1e9):
            self.walk.smallest[page] = effective
        base = _name(font.get("/BaseFont"))
        if self.ctx.easy_read and not in_picture and page not in self.walk.italic and _font_is_italic(font):
            self.walk.italic[page] = base.lstrip("/")
        if page in self.walk.notdef or _name(font.get("/Subtype")) != "/Type0":
            return
        if _name(font.get("/Encoding")) not in ("/Identity-H", "/Identity-V"):
            return
        strings = []
        for operand in operands:
            if isinstance(operand, pikepdf.String):
                strings.append(bytes(operand))
            elif isinstance(operand, pikepdf.Array):
                strings.extend(bytes(x) for x in operand if isinstance(x, pikepdf.String))
        for data in strings:
            for i in range(0, len(data) - 1, 2):
                if data[i] == 0 and data[i + 1] == 0 and _cid_zero_is_notdef(font):
                    self.walk.notdef[page] = base.lstrip("/")
                    return

    # -- comparing the three -----------------------------------------------------------------

    def check_tagging(self) -> None:
        label = self.ctx.label
        for page, what in sorted(self.walk.untagged.items()):
            self.add(error("pdf-untagged-content", label, f"page {page + 1}",
                           f"Some content ({what}) is neither tagged nor marked as an artifact, so screen "
                           "readers skip it or read it out of order.",
                           "Tag it, or mark it as an artifact if it is decoration (page numbers, rules, "
                           "backgrounds). " + REBUILD))
        if not _is_dict(self.root.get("/StructTreeRoot")):
            return
        for i, page in enumerate(self.pages):
            drawn = self.walk.mcids.get(i, set())
            if not drawn:
                continue
            sp = page.obj.get("/StructParents")
            entry = self.parent_tree.get(int(sp)) if _is_int(sp) else None
            items = list(entry) if isinstance(entry, pikepdf.Array) else []
            missing = sorted(m for m in drawn if m >= len(items) or not _is_dict(items[m]))
            if missing:
                reason = "the page has no /StructParents" if not _is_int(sp) else (
                    f"the ParentTree has no entry for MCID {', '.join(map(str, missing[:5]))}"
                    + ("…" if len(missing) > 5 else ""))
                self.add(error("pdf-mcid-parent-tree", label, f"page {i + 1}",
                               f"Tagged content on this page cannot be traced back to its tag: {reason}.", REBUILD))
        reported: set[int] = set()
        for elem, page, mcid in self.elem_mcids:
            if page in reported:
                continue
            if mcid not in self.walk.mcids.get(page, set()) and not any(
                    mcid in s for s in self.walk.stream_mcids.values()):
                reported.add(page)
                self.add(error("pdf-mcid-missing", label, f"page {page + 1}, {elem.raw.lstrip('/')} element",
                               f"A tag points at content (MCID {mcid}) that is not on its page.", REBUILD))

    def check_structure(self) -> None:
        label = self.ctx.label
        previous = 0
        heading_count = 0
        where = self.elem_where
        for elem in self.elems:
            kind = elem.kind
            if kind in HEADINGS:
                level = HEADINGS[kind]
                heading_count += 1
                if level > previous + 1:
                    self.add(error("pdf-heading-skip", label, where(elem),
                                   f"Heading level {level} follows "
                                   f"{'the start of the document' if previous == 0 else f'level {previous}'}: "
                                   "a level is skipped.",
                                   "Do not skip heading levels in sources/ (# then ## then ###)."))
                previous = level
            elif kind == "/Figure":
                node = elem.obj
                if not (_text(node.get("/Alt")).strip() or _text(node.get("/ActualText")).strip()):
                    self.add(error("pdf-figure-alt", label, where(elem),
                                   "A picture (Figure) has no alternative text.",
                                   "Describe the picture: ![what it shows](name) in sources/."))
            elif kind in LIST_ITEM_PARTS and elem.container not in LABELLED[kind]:
                self.add(error("pdf-list-part-outside-list", label, where(elem),
                               f"A {kind.lstrip('/')} element is inside {elem.container.lstrip('/') or 'the root'}, "
                               "not a list item (LI), a contents entry (TOCI) or a note: screen readers announce "
                               "it as part of a list that is not there (ISO 32000-1, 14.8.4.3.3).",
                               "Tag a form field's label or other words as a paragraph (P); keep Lbl and LBody "
                               "for the bullet or number and the text of a list item. " + REBUILD))
            elif kind == "/Table":
                if self.ctx.easy_read:
                    self.add(error("easy-read-pdf-table", label, where(elem),
                                   "An easy-read PDF contains a data table; easy-read points must be a picture "
                                   "and a sentence, not a table.",
                                   "Write the section's easy-read version as picture points in sources/ "
                                   "('::: easy-read' with '- ![picture](name) sentence')."))
                if not self.has_descendant(elem.obj, "/TH"):
                    self.add(error("pdf-table-headers", label, where(elem),
                                   "A table has no header cells (TH), so screen readers cannot say which column "
                                   "a cell is in.", "Give the table a header row in sources/. " + REBUILD))
        has_outline = _is_dict(self.root.get("/Outlines")) and self.root.Outlines.get("/First") is not None
        if not has_outline and (len(self.pages) > 1 or heading_count > 1):
            self.add(error("pdf-bookmarks", label, "document outline",
                           f"The PDF has {len(self.pages)} pages and {heading_count} headings but no bookmarks, "
                           "so readers cannot jump to a section.",
                           "Export bookmarks from the headings. " + REBUILD))

    def elem_where(self, elem: StructElem) -> str:
        page = f"page {elem.page + 1}, " if elem.page is not None else ""
        alt = elem.raw.lstrip("/") + (f" (role-mapped to {elem.kind.lstrip('/')})" if elem.kind != elem.raw else "")
        return f"{page}{alt} element"

    def has_descendant(self, node: pikepdf.Object, kind: str) -> bool:
        stack = [(node.get("/K"), 0)]
        seen: set[tuple[int, int]] = set()
        while stack:
            current, depth = stack.pop()
            self.budget(nodes=1)
            if depth > MAX_DEPTH:
                return False
            if isinstance(current, pikepdf.Array):
                stack.extend((c, depth + 1) for c in current)
                continue
            if not _is_dict(current):
                continue
            k = _key(current)
            if k:
                if k in seen:
                    continue
                seen.add(k)
            if self.resolve_role(_name(current.get("/S"))) == kind:
                return True
            stack.append((current.get("/K"), depth + 1))
        return False

    def check_annotations(self) -> None:
        label = self.ctx.label
        tagged = _is_dict(self.root.get("/StructTreeRoot"))
        for i, page in enumerate(self.pages):
            annots = page.obj.get("/Annots")
            if not isinstance(annots, pikepdf.Array) or len(annots) == 0:
                continue
            if _name(page.obj.get("/Tabs")) != "/S":
                self.add(error("pdf-tabs", label, f"page {i + 1}",
                               "The page has links or form fields but does not set the tab order to follow the "
                               "structure (/Tabs /S).", REBUILD))
            for annot in list(annots)[:10_000]:
                self.budget(nodes=1)
                if not _is_dict(annot):
                    continue
                subtype = _name(annot.get("/Subtype"))
                if subtype not in ("/Link", "/Widget"):
                    continue
                want = "/Link" if subtype == "/Link" else "/Form"
                what = "link" if subtype == "/Link" else "form field"
                name = self.field_name(annot) if subtype == "/Widget" else _uri(annot)
                where = f"page {i + 1}, {what}" + (f" '{name}'" if name else "")
                if subtype == "/Widget":
                    self.check_field_tooltip(annot, where)
                if not tagged:
                    continue
                sp = annot.get("/StructParent")
                parent = self.parent_tree.get(int(sp)) if _is_int(sp) else None
                k = _key(annot)
                ok = _is_dict(parent) and self.resolve_role(_name(parent.get("/S"))) == want and (
                    k is not None and self.objr.get(k) == want)
                if not ok:
                    self.add(error("pdf-annot-tagged", label, where,
                                   f"The {what} is not tagged (no {want.lstrip('/')} element with an object "
                                   "reference to it), so screen readers may not find it.", REBUILD))

    def field_name(self, annot: pikepdf.Object) -> str:
        node, depth = annot, 0
        while _is_dict(node) and depth < MAX_DEPTH:
            if node.get("/T") is not None:
                return _text(node.get("/T"))
            node, depth = node.get("/Parent"), depth + 1
        return ""

    def check_field_tooltip(self, annot: pikepdf.Object, where: str) -> None:
        node, depth = annot, 0
        while _is_dict(node) and depth < MAX_DEPTH:
            if _text(node.get("/TU")).strip():
                return
            node, depth = node.get("/Parent"), depth + 1
        self.add(error("pdf-field-tu", self.ctx.label, where,
                       "The form field has no description (/TU), so screen readers announce it without a name.",
                       "Give every field a label in sources/ (the pledge form's 'fields:' list)."))

    def check_fonts(self) -> None:
        label = self.ctx.label
        for font, page in self.walk.fonts.values():
            self.budget(nodes=1)
            name = _name(font.get("/BaseFont")).lstrip("/") or "unnamed font"
            subtype = _name(font.get("/Subtype"))
            if subtype == "/Type3":
                continue
            descriptor = _descriptor(font)
            embedded = _is_dict(descriptor) and any(
                isinstance(descriptor.get(k), pikepdf.Stream) for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            if not embedded:
                self.add(error("pdf-font-embedded", label, f"page {page + 1}, font {name}",
                               "A font is not embedded, so the text may look different or be unreadable on "
                               "another computer.", "Embed all fonts when exporting. " + REBUILD))
            has_unicode = isinstance(font.get("/ToUnicode"), pikepdf.Stream)
            if not has_unicode and subtype != "/Type0":
                enc = font.get("/Encoding")
                if isinstance(enc, pikepdf.Name):
                    has_unicode = str(enc) in STANDARD_ENCODINGS
                elif _is_dict(enc):
                    has_unicode = _name(enc.get("/BaseEncoding")) in STANDARD_ENCODINGS
            if not has_unicode:
                self.add(error("pdf-font-unicode", label, f"page {page + 1}, font {name}",
                               "A font has no Unicode mapping (ToUnicode), so the text cannot be read aloud, "
                               "searched or copied.", REBUILD))
        self.check_subset_tags()
        for page, name in sorted(self.walk.notdef.items()):
            self.add(error("pdf-notdef", label, f"page {page + 1}, font {name}",
                           "Text on this page draws the missing-glyph box (.notdef): a character the font "
                           "does not have.",
                           "Use characters the font has, or add a fallback font in templates/theme.yaml."))

    def check_subset_tags(self) -> None:
        """Two different subsets of a font under one tagged name: a reader may draw one's text with the
        other's glyphs (ISO 32000-1, 9.6.4 asks for a tag of their own)."""
        programs: dict[str, set[bytes]] = {}
        for font, _page in self.walk.fonts.values():
            name = _name(font.get("/BaseFont")).lstrip("/")
            descriptor = _descriptor(font)
            if not (is_subset_name(name) and _is_dict(descriptor)):
                continue
            program = next((descriptor.get(k) for k in ("/FontFile2", "/FontFile3", "/FontFile")
                            if isinstance(descriptor.get(k), pikepdf.Stream)), None)
            if program is not None:
                programs.setdefault(name, set()).add(hashlib.sha256(program.read_raw_bytes()).digest())
        for name, different in sorted(programs.items()):
            if len(different) > 1:
                self.add(error("pdf-subset-tags", self.ctx.label, f"font {name}",
                               f"{len(different)} different subsets of a font share the name {name}, so a "
                               "reader may draw text with the wrong subset's letters.",
                               "Give each subset its own six-letter tag (ISO 32000-1, 9.6.4). " + REBUILD))

    def check_words(self) -> None:
        """What the pages show against what the tags say: a draft mark, and lines that look like headings."""
        words = read_words(self.ctx.path)
        self.check_draft(words)
        self.check_visual_headings(words)

    def draft_metadata(self) -> str:
        """Where the file's own properties say it is a draft ("" when they do not)."""
        xmp = self.xmp()
        if xmp is not None:
            labels = [" ".join(el.itertext()) for el in xmp.iter(f"{{{NS_XMP}}}Label")]
            labels += [el.get(f"{{{NS_XMP}}}Label") or "" for el in xmp.iter(f"{{{NS_RDF}}}Description")]
            if any(DRAFT.search(label) for label in labels):
                return "its XMP metadata (xmp:Label)"
        try:
            info = self.pdf.trailer.get("/Info")
            if _is_dict(info) and DRAFT.search(_text(info.get("/ContentStatus"))):
                return "its document information (ContentStatus)"
        except pikepdf.PdfError:
            pass
        return ""

    def check_draft(self, words: list[Words]) -> None:
        """A draft that says so only to the eye (a watermark, an artifact) or to no one (metadata)."""
        marked = next((w for w in words if w.artifact and DRAFT.search(w.text)), None)
        said_in = self.draft_metadata()
        if not marked and not said_in:
            return
        if any(not w.artifact and DRAFT.search(w.text) for w in words):
            return
        for elem in self.elems:
            self.budget(nodes=1)
            if any(DRAFT.search(_text(elem.obj.get(k))) for k in ("/Alt", "/ActualText", "/E")):
                return
        shown = f"page {marked.page + 1} shows '{marked.text.strip()}' as decoration" if marked else ""
        why = " and ".join(x for x in (shown, f"{said_in} says it is a draft" if said_in else "") if x)
        self.add(error("pdf-draft-untagged", self.ctx.label, f"page {marked.page + 1}" if marked else "whole file",
                       f"The PDF is a draft ({why}), but its tagged text never says so: a screen-reader user is "
                       "not told it is a draft.",
                       "Rebuild it with 'make': packgen says 'draft' in the tagged text of the first page when "
                       "sources/pack.yaml has 'status: draft'; if it still does not, report it."))

    def check_visual_headings(self, words: list[Words]) -> None:
        """Paragraphs (P) that look like headings, short and bold or large, followed by a section's content."""
        by_mcid: dict[tuple[int, int], list[Words]] = {}
        sizes: dict[float, int] = {}
        for w in words:
            if w.artifact:
                continue
            sizes[w.size] = sizes.get(w.size, 0) + len(w.text.strip())
            if w.mcid is not None:
                by_mcid.setdefault((w.page, w.mcid), []).append(w)
        body = body_size(sizes)
        own: dict[int, list[Words]] = {}
        for elem, page, mcid in self.elem_mcids:
            own.setdefault(id(elem.obj), []).extend(by_mcid.get((page, mcid), []))
        content = [e for e in self.elems if e.kind in CONTENT]
        reported = 0
        for i, elem in enumerate(content[:-1]):
            if elem.kind != "/P" or elem.parent in NOT_SECTIONS:
                continue
            shown = own.get(id(elem.obj), [])
            text = " ".join("".join(w.text for w in shown).split())
            if not shown or not looks_like_heading(text, all(w.bold for w in shown), min(w.size for w in shown),
                                                   body):
                continue
            after = next((e for e in content[i + 1:] if e.kind != "/Figure"), content[i + 1])
            if after.kind in HEADINGS or after.kind == "/H":
                continue  # a line above a heading, a picture between or not: a status, a kicker
            if any(e.kind == "/Form" for e in content[i + 1:i + 3]):
                continue  # a form field's label (and its help)
            if after.kind == "/P":
                following = own.get(id(after.obj), [])
                next_text = " ".join("".join(w.text for w in following).split())
                if not next_text or looks_like_heading(next_text, all(w.bold for w in following),
                                                       min(w.size for w in following), body):
                    continue
            reported += 1
            if reported > 10:
                break  # ten say what is wrong; a hundred hide every other finding
            self.add(error("pdf-visual-heading", self.ctx.label, self.elem_where(elem) + f" ('{text[:40]}')",
                           "This line looks like a heading (short, and bold or larger than the text) but is "
                           "tagged as a paragraph (P), so screen-reader users cannot find or jump to it.",
                           "Make it a heading in sources/ (## or ###), not bold text on a line of its own, "
                           "and rebuild."))

    def check_text_size(self) -> None:
        """The smallest tagged text of each page (artifacts such as running footers are not read)."""
        least = text_size.minimum(self.ctx.variant)
        for page, size in sorted(self.walk.smallest.items()):
            if size < least - 0.05:
                self.add(text_size.finding(self.ctx, f"page {page + 1}", size, "the sizes are in templates/theme.yaml"))

    def check_easy_read(self) -> None:
        for page, name in sorted(self.walk.italic.items()):
            self.add(easy_read.italic_finding(self.ctx, f"page {page + 1}, font {name}"))


def _is_int(obj: object) -> bool:
    if isinstance(obj, bool):
        return False
    if isinstance(obj, int):
        return True
    if isinstance(obj, pikepdf.Object):
        try:
            return obj._type_code == pikepdf.ObjectType.integer
        except AttributeError:
            return False
    return False


def _uri(annot: pikepdf.Object) -> str:
    action = annot.get("/A")
    return _text(action.get("/URI")) if _is_dict(action) else ""


def _descriptor(font: pikepdf.Object) -> pikepdf.Object | None:
    """A font's FontDescriptor: its own, or its descendant's for a composite (Type0) font."""
    owner = font
    if _name(font.get("/Subtype")) == "/Type0":
        descendants = font.get("/DescendantFonts")
        owner = descendants[0] if isinstance(descendants, pikepdf.Array) and len(descendants) else None
    descriptor = owner.get("/FontDescriptor") if _is_dict(owner) else None
    return descriptor if _is_dict(descriptor) else None


def _font_is_italic(font: pikepdf.Object) -> bool:
    base = _name(font.get("/BaseFont")).lower()
    if "italic" in base or "oblique" in base:
        return True
    owner = font
    if _name(font.get("/Subtype")) == "/Type0":
        d = font.get("/DescendantFonts")
        owner = d[0] if isinstance(d, pikepdf.Array) and len(d) else None
    desc = owner.get("/FontDescriptor") if _is_dict(owner) else None
    if _is_dict(desc):
        try:
            if float(desc.get("/ItalicAngle", 0)) != 0:
                return True
        except (TypeError, ValueError):
            pass
    return False


def _cid_zero_is_notdef(font: pikepdf.Object) -> bool:
    """CID 0 is glyph 0 with an identity CIDToGIDMap (the usual case for subset fonts)."""
    d = font.get("/DescendantFonts")
    desc = d[0] if isinstance(d, pikepdf.Array) and len(d) else None
    if not _is_dict(desc):
        return True
    mapping = desc.get("/CIDToGIDMap")
    if isinstance(mapping, pikepdf.Stream):
        try:
            data = mapping.read_bytes()
        except pikepdf.PdfError:
            return True
        return len(data) < 2 or (data[0] == 0 and data[1] == 0)
    return True


def page_texts(ctx: FileContext) -> list[tuple[str, str]]:
    """Each page's text as sentences can be read from it (pdfium), for the easy-read wording rules.

    pdfium gives visual lines; a line end is kept as a break when the line ends a sentence or the
    next starts with a capital (a heading or a new point), and joined otherwise (a wrapped line).
    Wording rules are warnings, so a heuristic that errs towards fewer findings is the right one.
    """
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return []
    out: list[tuple[str, str]] = []
    try:
        document = pdfium.PdfDocument(str(ctx.path))
    except Exception:  # noqa: BLE001 - pdfium raises its own error types; pikepdf already read the file
        return []
    try:
        for i in range(min(len(document), MAX_PAGES)):
            lines = [line.strip() for line in document[i].get_textpage().get_text_bounded().splitlines()]
            text = ""
            for line in filter(None, lines):
                if text and (text[-1] in ".!?:" or line[0].isupper() or not line[0].isalnum()):
                    text += "\n" + line
                else:
                    text += (" " if text else "") + line
            out.append((f"page {i + 1}", text))
    except Exception:  # noqa: BLE001
        return out
    finally:
        document.close()
    return out


def iter_pdf_warnings(pdf: pikepdf.Pdf) -> Iterator[str]:
    try:
        yield from pdf.get_warnings()
    except (AttributeError, pikepdf.PdfError):
        return


def check_pdf(ctx: FileContext) -> list[Finding]:
    """All PDF rules for one file; a file that cannot be read becomes one pdf-parse finding."""
    try:
        stream = ctx.path.open("rb")  # pikepdf given a stream: a name that is not UTF-8 opens too
    except OSError as exc:
        return [parse_failure(ctx, exc.strerror or type(exc).__name__)]
    with stream:
        return _check_stream(ctx, stream)


def _check_stream(ctx: FileContext, stream: BinaryIO) -> list[Finding]:
    try:
        pdf = pikepdf.open(stream)
    except pikepdf.PasswordError:
        return [parse_failure(ctx, "it is password-protected")]
    except (pikepdf.PdfError, OSError, ValueError, RuntimeError) as exc:
        return [parse_failure(ctx, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)]
    try:
        info = pdf.trailer.get("/Info")
        if _is_dict(info):
            ctx.mark_easy_read_from_metadata(_text(info.get("/Keywords")), _text(info.get("/Subject")))
        findings = PdfChecker(ctx, pdf).run()
        from packgen.check import widgets  # its rules read this module's helpers

        findings += widgets.pdf_findings(ctx, pdf)
        if ctx.easy_read:
            findings += easy_read.wording_findings(ctx, page_texts(ctx))
        damage = list(iter_pdf_warnings(pdf))
        if damage:
            findings.insert(0, warning("pdf-damaged", ctx.label, "whole file",
                                       f"The file is damaged and had to be repaired to be read ({damage[0]}).",
                                       "Rebuild it with 'make'; a damaged PDF may not open in every reader."))
        return findings
    except UnpacksTooBig as exc:
        return [parse_failure(ctx, str(exc))]
    except (pikepdf.PdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError,
            RuntimeError, UnsafeFile) as exc:
        return [parse_failure(ctx, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")]
    finally:
        pdf.close()


def parse_failure(ctx: FileContext, reason: str) -> Finding:
    return error("pdf-parse", ctx.label, "whole file", f"The file cannot be read as a PDF: {reason}.",
                 "Rebuild it with 'make'; if it came from elsewhere, export it again as PDF/UA.")


# The rule for each content-stream operator that changes where a stream is (markdown-it's idiom: a rule
# per token type); every other operator is read as painting.
OPERATOR_RULES = {
    "BDC": PdfChecker._begin_marked, "BMC": PdfChecker._begin_marked, "EMC": PdfChecker._end_marked,
    "q": PdfChecker._save, "Q": PdfChecker._restore, "cm": PdfChecker._transform,
    "BT": PdfChecker._begin_text, "Tm": PdfChecker._place_text, "Tf": PdfChecker._choose_font,
    "Do": PdfChecker._draw_object,
}
