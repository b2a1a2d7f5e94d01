"""The structure tree: built while drawing, written into the PDF when the document is finished.

The drawing code calls this module at the moment it paints: `begin(sink, element)` opens a
marked-content sequence with the next MCID of the current page, `artifact(sink)` opens one for
page furniture, `end(sink)` closes either. A `sink` is the append method of the code list being
written (the canvas's, or a text object's, so a link can have its own sequence inside a line).
Because an element joins its parent's kids the first time anything of it is drawn, the tree's
order is the drawing order, which is the reading order; a paragraph split across two pages is one
element holding marked content on both. Annotations (links now, form widgets later) join an
element as object references through `annotation(element)`, which hands back the /StructParent
key to put in the annotation's dictionary.

`write_tree` then adds the /StructTreeRoot, /ParentTree and each page's /StructParents to the
finished file with pikepdf; it adds objects and never touches content streams.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

Sink = Callable[[str], Any]


@dataclass(frozen=True)
class MCR:
    """Marked content: MCID `mcid` on page `page` (0-based)."""

    page: int
    mcid: int


@dataclass(frozen=True)
class OBJR:
    """An annotation on page `page` whose /StructParent is `key`."""

    page: int
    key: int


@dataclass(eq=False)
class Element:
    """A structure element. `attributes` maps an owner (Layout, Table...) to its entries."""

    role: str
    parent: Element | None = None
    alt: str = ""
    actual_text: str = ""
    title: str = ""
    lang: str = ""
    contents: str = ""  # what an annotation owned by this element says (its /Contents); not in the tree
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    kids: list[Element | MCR | OBJR] = field(default_factory=list)
    attached: bool = False


class Tagger:
    """Allocates MCIDs and StructParent keys and records which element owns which content."""

    def __init__(self, language: str = ""):
        self.root = Element("Document", lang=language)
        self.elements: list[Element] = [self.root]
        self.reset()

    # -- building the (static) skeleton -----------------------------------------------------------

    def element(self, role: str, parent: Element | None = None, **kw: Any) -> Element:
        """A new element under parent (the Document when None); it joins the tree when first drawn."""
        el = Element(role, parent or self.root, **kw)
        self.elements.append(el)
        return el

    # -- per drawing pass -------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget everything drawn, so a layout pass that draws again starts from a clean slate."""
        for el in self.elements:
            el.kids.clear()
            el.attached = el is self.root
        self.page = -1
        self.next_mcid = 0
        self.next_key = 0
        self.page_keys: list[int] = []
        self.page_mcids: list[list[Element]] = []
        self.annotation_owner: dict[int, Element] = {}
        self.depth = 0

    def start_page(self) -> None:
        """A new page begins: MCIDs restart at 0 and the page gets its ParentTree key."""
        self.page += 1
        self.next_mcid = 0
        self.page_keys.append(self._key())
        self.page_mcids.append([])

    def _key(self) -> int:
        key = self.next_key
        self.next_key += 1
        return key

    def _attach(self, el: Element) -> None:
        chain = []
        while not el.attached:
            chain.append(el)
            el = el.parent  # type: ignore[assignment]
        for node in reversed(chain):
            node.parent.kids.append(node)  # type: ignore[union-attr]
            node.attached = True

    def begin(self, sink: Sink, el: Element) -> None:
        """Open a marked-content sequence owned by `el` on the current page."""
        self._attach(el)
        mcid = self.next_mcid
        self.next_mcid += 1
        self.page_mcids[self.page].append(el)
        el.kids.append(MCR(self.page, mcid))
        sink(f"/{el.role} <</MCID {mcid}>> BDC")
        self.depth += 1

    def artifact(self, sink: Sink, kind: str = "Layout", subtype: str = "") -> None:
        """Open a sequence for page furniture that assistive technology skips."""
        extra = f" /Subtype /{subtype}" if subtype else ""
        sink(f"/Artifact <</Type /{kind}{extra}>> BDC")
        self.depth += 1

    def end(self, sink: Sink) -> None:
        sink("EMC")
        self.depth -= 1

    def annotation(self, el: Element) -> int:
        """Make an annotation on the current page a kid of `el`; returns its /StructParent key."""
        self._attach(el)
        key = self._key()
        el.kids.append(OBJR(self.page, key))
        self.annotation_owner[key] = el
        return key

    # -- writing the tree -------------------------------------------------------------------------

    def write_tree(self, pdf: pikepdf.Pdf) -> None:
        """Add the structure tree, ParentTree and /StructParents to a finished PDF."""
        pages = pdf.pages
        page_refs = [page.obj for page in pages]
        annots: dict[int, pikepdf.Object] = {}
        for index, page in enumerate(pages):
            page.obj.StructParents = self.page_keys[index]
            found = page.obj.get("/Annots")
            if found is not None and len(found):
                page.obj.Tabs = Name.S
                for annot in found:
                    key = annot.get("/StructParent")
                    if key is not None:
                        annots[int(key)] = annot

        objects: dict[int, pikepdf.Object] = {}
        order: list[Element] = []
        stack = [self.root]
        while stack:
            el = stack.pop()
            order.append(el)
            objects[id(el)] = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + el.role)))
            stack.extend(reversed([k for k in el.kids if isinstance(k, Element)]))

        root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        for el in order:
            obj = objects[id(el)]
            obj.P = root if el.parent is None else objects[id(el.parent)]
            first_page = next((k.page for k in el.kids if isinstance(k, MCR)), None)
            if first_page is not None:
                obj.Pg = page_refs[first_page]
            kids = Array()
            for kid in el.kids:
                if isinstance(kid, Element):
                    kids.append(objects[id(kid)])
                elif isinstance(kid, MCR):
                    if kid.page == first_page:
                        kids.append(kid.mcid)
                    else:
                        kids.append(Dictionary(Type=Name.MCR, Pg=page_refs[kid.page], MCID=kid.mcid))
                else:
                    kids.append(Dictionary(Type=Name.OBJR, Pg=page_refs[kid.page], Obj=annots[kid.key]))
            # one kid is written bare: valid PDF, and it spares checkers that stumble on arrays
            obj.K = kids[0] if len(kids) == 1 else kids
            if el.alt:
                obj.Alt = String(el.alt)
            if el.actual_text:
                obj.ActualText = String(el.actual_text)
            if el.title:
                obj.T = String(el.title)
            if el.lang:
                obj.Lang = String(el.lang)
            if el.attributes:
                attrs = [Dictionary({"/O": Name("/" + owner), **{"/" + k: _pdf(v) for k, v in entries.items()}})
                         for owner, entries in el.attributes.items()]
                obj.A = attrs[0] if len(attrs) == 1 else Array(attrs)

        nums = Array()
        entries: list[tuple[int, pikepdf.Object]] = []
        for index, key in enumerate(self.page_keys):
            entries.append((key, pdf.make_indirect(Array([objects[id(el)] for el in self.page_mcids[index]]))))
        for key, el in self.annotation_owner.items():
            entries.append((key, objects[id(el)]))
        for key, value in sorted(entries, key=lambda kv: kv[0]):
            nums.append(key)
            nums.append(value)
        root.K = objects[id(self.root)]
        root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
        root.ParentTreeNextKey = self.next_key
        pdf.Root.StructTreeRoot = root
        pdf.Root.MarkInfo = Dictionary(Marked=True)


def _pdf(value: Any) -> Any:
    """Python attribute values as PDF objects: names start with '/', sequences become arrays."""
    if isinstance(value, str):
        return Name(value) if value.startswith("/") else String(value)
    if isinstance(value, (list, tuple)):
        return Array([_pdf(v) for v in value])
    return value
