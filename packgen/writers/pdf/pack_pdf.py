"""One PDF per variant holding every document of the pack, still fully tagged.

pypdf's merge keeps the pages but drops the structure tree (Poppler then says `Tagged: no`), so a
screen reader would get a pile of untagged text. Here the parts are merged with pikepdf and their
tagging is carried over whole:

- one new StructTreeRoot whose Document element holds each part's tree: the part's own Document
  element becomes a Part (so nothing inside it moves);
- the parts' ParentTrees are merged into one, each part's keys shifted past the previous part's;
  every page's /StructParents and every annotation's /StructParent are shifted the same way.
  Marked-content ids (MCIDs) are local to a page, so they stay as they are;
- RoleMap and ClassMap are merged; /MarkInfo, /Lang, DisplayDocTitle, the XMP title and the
  PDF/UA identifier are set on the whole; pages keep their /Tabs;
- one bookmark per document with that document's own bookmarks (its headings) beneath it;
- AcroForm fields, when a part has them, are gathered into one AcroForm so they still work;
- a font program or ToUnicode map that several parts embed with the same bytes is kept once (the
  form fields' whole fonts are most of each form's size), every font pointing at that one copy.

The bytes are a function of the parts and the date passed in: the file /ID is derived from the
content (QPDF's deterministic id) and nothing reads the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf

from packgen.dates import pdf_date
from packgen.errors import RenderError
from packgen.model import Document
from packgen.page_labels import prefix
from packgen.subset_tags import is_subset_name, subset_tag
from packgen.writers import WholePack

FONT_PROGRAMS = ("/FontFile", "/FontFile2", "/FontFile3")  # a font descriptor's embedded program (ISO 32000-1, 9.8)


@dataclass(frozen=True)
class PartFile:
    """One document's PDF and the words for its bookmark if it has no single top bookmark itself."""

    path: Path
    title: str
    page_prefix: str = ""  # before each page's own number in a viewer's page box ("Appendix A 3")


@dataclass(frozen=True)
class CombinedInfo:
    """What the combined file says about itself (document properties and XMP)."""

    title: str
    language: str
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()


def make(target: Path, inputs: Mapping[str, dict], parts: Sequence[tuple[Document, Path, str]],
         about: WholePack) -> dict:
    """The build's job: the parts' PDFs ((document, its PDF, the words before its page numbers), in order)
    combined at `target`."""
    info = CombinedInfo(about.title, about.language, about.author, about.subject, about.keywords)
    files = [PartFile(path, document.title, words) for document, path, words in parts]
    return {"pages": combine(files, info, about.when, target)}


def combine(parts: Sequence[PartFile], info: CombinedInfo, when: dt.datetime, target: Path) -> int:
    """Write the parts, in order, as one tagged PDF at `target`; return its page count."""
    if not parts:
        raise RenderError("there are no PDFs to combine", target)
    pdf = Pdf.new()
    tree = _Tree(pdf)
    bookmarks: list[OutlineItem] = []
    form = _Form(pdf)
    sources: list[Pdf] = []  # kept open until saved: copied objects are read lazily
    page_labels = Array()
    try:
        for part in parts:
            src = Pdf.open(part.path)
            sources.append(src)
            first = len(pdf.pages)
            # each part's pages keep the numbers printed on them, counted from 1 again
            page_labels.extend([first, Dictionary(S=Name.D, St=1, P=pikepdf.String(prefix(part.page_prefix)))])
            # Not add_pages_from(): it copies widget annotations apart from the copy map that the
            # structure tree is copied with below, leaving each widget's OBJR pointing at a copy
            # nobody sees. pages.extend() shares that map; _Form then carries the fields over.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", getattr(pikepdf, "PageCopyWarning", UserWarning))
                pdf.pages.extend(src.pages)
            pages = [pdf.pages[i].obj for i in range(first, len(pdf.pages))]
            tree.add(src, pages, part)
            bookmarks.append(_part_bookmark(pdf, src, pages, part.title))
            form.add(src)
        tree.install()
        form.install()
        fonts = [obj for obj in pdf.objects if isinstance(obj, Dictionary) and obj.get("/Type") == "/Font"]
        _retag_subsets(fonts)
        _share_font_streams(fonts)
        _catalog(pdf, info)
        pdf.Root.PageLabels = Dictionary(Nums=page_labels)
        _properties(pdf, sources[0], info, when)
        with pdf.open_outline() as outline:
            outline.root.extend(bookmarks)
        # Saved in memory, then written: qpdf writing a file the disk refuses (full, or over a quota)
        # aborts the whole process from C++ rather than raising an error packgen can report.
        data = io.BytesIO()
        pdf.save(data, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        target.write_bytes(data.getbuffer())
        return len(pdf.pages)
    finally:
        for src in sources:
            src.close()
        pdf.close()


def _retag_subsets(fonts: list[Dictionary]) -> None:
    """Give every font subset of the combined file (its `fonts`, in object order) its own tag (ISO
    32000-1, 9.6.4).

    Each part tags its subsets from AAAAAA+ on, so seven parts would hold seven different subsets
    all named AAAAAA+AtkinsonHyperlegible-Regular. Tags are counted again over the whole file, in
    object order, so the same parts give the same names.
    """
    count = 0
    for obj in fonts:
        if "/FontDescriptor" not in obj:
            continue
        name = str(obj.get("/BaseFont", ""))[1:]
        if is_subset_name(name):
            renamed = Name("/" + subset_tag(count) + name[6:])
            obj.BaseFont = renamed
            obj.FontDescriptor.FontName = renamed
            count += 1


def _share_font_streams(fonts: list[Dictionary]) -> None:
    """Point every font of `fonts` (in object order) at one copy of each font stream (program or
    ToUnicode map) the parts embed alike.

    Each part embeds its own fonts, so the same whole form font, or the same subset, comes once per
    part. A stream is its dictionary and its bytes: two with both equal are the same data, and a
    font reads it the same from either. The copies nothing points at any more are not written.
    """
    kept: dict[tuple[bytes, str], pikepdf.Object] = {}

    def shared(stream: pikepdf.Object) -> pikepdf.Object:
        key = (stream.stream_dict.unparse(resolved=True), hashlib.sha256(stream.read_raw_bytes()).hexdigest())
        return kept.setdefault(key, stream)

    for font in fonts:
        if isinstance(font.get("/ToUnicode"), pikepdf.Stream):
            font.ToUnicode = shared(font.ToUnicode)
        descriptor = font.get("/FontDescriptor")
        for key in FONT_PROGRAMS if isinstance(descriptor, Dictionary) else ():
            if isinstance(descriptor.get(key), pikepdf.Stream):
                descriptor[key] = shared(descriptor[key])


class _Tree:
    """The merged structure tree: one Document element, a Part per document, one ParentTree."""

    def __init__(self, pdf: Pdf):
        self.pdf = pdf
        self.root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self.document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=self.root,
                                                     K=Array()))
        self.nums: list[tuple[int, pikepdf.Object]] = []
        self.next_key = 0
        self.role_map = Dictionary()
        self.class_map = Dictionary()
        self.ids: dict[str, pikepdf.Object] = {}

    def add(self, src: Pdf, pages: list[pikepdf.Object], part: PartFile) -> None:
        source_root = src.Root.get("/StructTreeRoot")
        if source_root is None or "/K" not in source_root:
            raise RenderError("this PDF is not tagged, so the combined PDF could not be either", part.path)
        copied = self.pdf.copy_foreign(source_root)  # one copy map per source: /Pg refs land on our pages
        offset = self.next_key
        element = self._part_element(copied.K, part, src)
        self.document.K.append(element)
        keys = []
        for key, value in _number_tree(copied.get("/ParentTree")):
            self.nums.append((key + offset, value))
            keys.append(key)
        span = max(int(copied.get("/ParentTreeNextKey", 0)), max(keys, default=-1) + 1)
        for page in pages:
            if "/StructParents" in page:
                page.StructParents = int(page.StructParents) + offset
            for annot in page.get("/Annots", ()):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        self.next_key = offset + span
        _merge_into(self.role_map, copied.get("/RoleMap"))
        _merge_into(self.class_map, copied.get("/ClassMap"))
        for name, elem in _name_tree(copied.get("/IDTree")):
            self.ids.setdefault(name, elem)  # ids are the writer's; a clash keeps the first

    def _part_element(self, kids: pikepdf.Object, part: PartFile, src: Pdf) -> pikepdf.Object:
        """The part's Document element, renamed Part; or a new Part around a root with several kids."""
        if isinstance(kids, Dictionary) and kids.get("/S") == Name.Document:
            element = kids
        else:
            items = list(kids) if isinstance(kids, Array) else [kids]
            element = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, K=Array(items)))
            for kid in items:
                if isinstance(kid, Dictionary) and "/S" in kid:
                    kid.P = element
        element.S = Name.Part
        element.P = self.document
        element.T = pikepdf.String(part.title)
        if "/Lang" not in element and "/Lang" in src.Root:
            element.Lang = pikepdf.String(str(src.Root.Lang))
        return element

    def install(self) -> None:
        nums = Array()
        for key, value in sorted(self.nums, key=lambda kv: kv[0]):
            nums.append(key)
            nums.append(value)
        self.root.K = Array([self.document])
        self.root.ParentTree = self.pdf.make_indirect(Dictionary(Nums=nums))
        self.root.ParentTreeNextKey = self.next_key
        if len(self.role_map):
            self.root.RoleMap = self.role_map
        if len(self.class_map):
            self.root.ClassMap = self.class_map
        if self.ids:
            names = Array()
            for name in sorted(self.ids):
                names.append(pikepdf.String(name))
                names.append(self.ids[name])
            self.root.IDTree = Dictionary(Names=names)
        self.pdf.Root.StructTreeRoot = self.root


class _Form:
    """Every part's AcroForm fields under one AcroForm (their widgets came along with the pages)."""

    def __init__(self, pdf: Pdf):
        self.pdf = pdf
        self.fields = Array()
        self.resources = Dictionary()
        self.appearance = ""
        self.sig_flags = 0
        self.need_appearances = False

    def add(self, src: Pdf) -> None:
        acro = src.Root.get("/AcroForm")
        if acro is None:
            return
        copied = self.pdf.copy_foreign(acro) if acro.is_indirect else self.pdf.copy_foreign(
            src.make_indirect(acro))
        for field in copied.get("/Fields", ()):
            self.fields.append(field)
        dr = copied.get("/DR")
        if dr is not None:
            for kind in dr.keys():
                target = self.resources.get(kind)
                if target is None:
                    self.resources[kind] = Dictionary()
                    target = self.resources[kind]
                _merge_into(target, dr[kind])
        self.appearance = self.appearance or str(copied.get("/DA", ""))
        self.sig_flags |= int(copied.get("/SigFlags", 0))
        self.need_appearances |= bool(copied.get("/NeedAppearances", False))

    def install(self) -> None:
        if not len(self.fields):
            return
        acro = Dictionary(Fields=self.fields)
        if len(self.resources):
            acro.DR = self.resources
        if self.appearance:
            acro.DA = pikepdf.String(self.appearance)
        if self.sig_flags:
            acro.SigFlags = self.sig_flags
        if self.need_appearances:
            acro.NeedAppearances = True
        self.pdf.Root.AcroForm = self.pdf.make_indirect(acro)


def _catalog(pdf: Pdf, info: CombinedInfo) -> None:
    root = pdf.Root
    root.Lang = pikepdf.String(info.language)
    root.MarkInfo = Dictionary(Marked=True)
    root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    root.PageMode = Name.UseOutlines


def _properties(pdf: Pdf, first: Pdf, info: CombinedInfo, when: dt.datetime) -> None:
    """Info dictionary and XMP: the first part's, with this file's title and the pack's date."""
    stamp = pdf_date(when)
    docinfo = Dictionary()
    for key, value in first.docinfo.items():
        if isinstance(value, pikepdf.String | Name):
            docinfo[key] = pikepdf.String(str(value)) if isinstance(value, pikepdf.String) else value
    docinfo.Title = pikepdf.String(info.title)
    if info.author:
        docinfo.Author = pikepdf.String(info.author)
    if info.subject:
        docinfo.Subject = pikepdf.String(info.subject)
    if info.keywords:
        docinfo.Keywords = pikepdf.String(", ".join(info.keywords))
    docinfo.CreationDate = pikepdf.String(stamp)
    docinfo.ModDate = pikepdf.String(stamp)
    pdf.docinfo = pdf.make_indirect(docinfo)
    xmp = first.Root.get("/Metadata")
    if xmp is not None:
        pdf.Root.Metadata = pdf.make_stream(xmp.read_bytes(), Type=Name.Metadata, Subtype=Name.XML)
    iso = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = info.title
        if info.subject:
            meta["dc:description"] = info.subject
        meta["dc:language"] = [info.language]
        if info.keywords:
            meta["pdf:Keywords"] = ", ".join(info.keywords)
            meta["dc:subject"] = list(info.keywords)
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            meta[key] = iso
        meta["pdfuaid:part"] = "1"


def _part_bookmark(pdf: Pdf, src: Pdf, pages: list[pikepdf.Object], title: str) -> OutlineItem:
    """The document's bookmark: its own single top bookmark (the title, headings beneath), or a new
    one titled `title` holding whatever top-level bookmarks it has."""
    page_of = {src.pages[i].obj.objgen: pages[i] for i in range(len(pages))}
    with src.open_outline() as outline:
        items = [_copy_item(item, page_of, pages[0]) for item in outline.root]
    if len(items) == 1:
        top = items[0]
    else:
        top = OutlineItem(title, destination=Array([pages[0], Name.Fit]))
        top.children.extend(items)
    top.is_closed = True  # the pane opens as the list of the documents
    return top


def _copy_item(item: OutlineItem, page_of: dict, fallback: pikepdf.Object) -> OutlineItem:
    copied = OutlineItem(item.title, destination=_destination(item, page_of, fallback))
    copied.is_closed = item.is_closed
    copied.children.extend(_copy_item(child, page_of, fallback) for child in item.children)
    return copied


def _destination(item: OutlineItem, page_of: dict, fallback: pikepdf.Object) -> Array:
    """An explicit destination on our copy of the page (named destinations do not survive a merge)."""
    dest = item.destination
    if dest is None and item.action is not None and item.action.get("/S") == Name.GoTo:
        dest = item.action.get("/D")
    if isinstance(dest, Array) and len(dest) and isinstance(dest[0], Dictionary):
        page = page_of.get(dest[0].objgen, fallback)
        rest = [_plain(value) for value in list(dest)[1:]]
        return Array([page, *rest])
    return Array([fallback, Name.Fit])


def _plain(value: pikepdf.Object) -> object:
    """A destination's numbers and names as values owned by no PDF."""
    if isinstance(value, Name):
        return Name(str(value))
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _tree_pairs(node: pikepdf.Object | None, key: str) -> Iterator[tuple[pikepdf.Object, pikepdf.Object]]:
    """The (key, value) pairs of a number tree (key "/Nums") or name tree ("/Names"), leaves and
    intermediate nodes alike: the two kinds of tree differ only in that key."""
    if node is None:
        return
    pairs = node.get(key)
    if pairs is not None:
        for i in range(0, len(pairs) - 1, 2):
            yield pairs[i], pairs[i + 1]
    for kid in node.get("/Kids", ()):
        yield from _tree_pairs(kid, key)


def _number_tree(node: pikepdf.Object | None) -> Iterator[tuple[int, pikepdf.Object]]:
    return ((int(k), v) for k, v in _tree_pairs(node, "/Nums"))


def _name_tree(node: pikepdf.Object | None) -> Iterator[tuple[str, pikepdf.Object]]:
    return ((str(k), v) for k, v in _tree_pairs(node, "/Names"))


def _merge_into(target: Dictionary, extra: pikepdf.Object | None) -> None:
    """Add `extra`'s entries to `target`; an entry already there is kept (the first part's wins)."""
    if extra is None:
        return
    for key in extra.keys():
        if key not in target:
            target[key] = extra[key]
