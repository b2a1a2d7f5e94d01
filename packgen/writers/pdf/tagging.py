"""The structure tree: built while drawing, written into the PDF when the document is finished.

The drawing code calls this module at the moment it paints: `begin(sink, element)` opens a
marked-content sequence with the next MCID of the current page, `artifact(sink)` opens one for
page furniture, `end(sink)` closes either. A `sink` is the append method of the code list being
written (the canvas's, or a text object's, so a link can have its own sequence inside a line).
Because an element joins its parent's kids the first time anything of it is drawn, the tree's
order is the drawing order, which is the reading order; a paragraph split across two pages is one
element holding marked content on both. Annotations (links and form widgets) join an
element as object references through `annotation(element)`, which hands back the /StructParent
key to put in the annotation's dictionary.

`tree` then makes the /StructTreeRoot and /ParentTree as objects of the file being written (see
pdffile); the caller gives each page its /StructParents.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFObject

from packgen.writers.pdf.pdffile import Indirect, Name, serialise

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
        self._tree: _Tree | None = None
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

    def tree(self, pages: Sequence[Any], annotations: Mapping[int, Any]) -> Indirect:
        """The /StructTreeRoot with its elements and ParentTree, as objects of the file being written.

        `pages` are the page objects in order; `annotations` maps each annotation's /StructParent
        key to the annotation object. The caller gives each page its /StructParents (`page_keys`).
        Each element's dictionary is made only when the file is written, and dropped once written.
        """
        tree = self._tree = _Tree(pages, annotations)
        for el in self.elements:
            if el.attached:
                tree.objects[id(el)] = _StructElem(tree, el)
        numbers: list[tuple[int, Any]] = [(key, Indirect([tree.objects[id(el)] for el in self.page_mcids[index]]))
                                          for index, key in enumerate(self.page_keys)]
        numbers += [(key, tree.objects[id(el)]) for key, el in self.annotation_owner.items()]
        nums: list[Any] = []
        for key, value in sorted(numbers, key=lambda kv: kv[0]):
            nums += [key, value]
        tree.root.value.update(K=tree.objects[id(self.root)], ParentTree=Indirect({"Nums": nums}),
                               ParentTreeNextKey=self.next_key)
        return tree.root

    def release(self) -> None:
        """Let the tree go once the file is written.

        Elements and their PDF objects refer to each other (parent to kids and back), so without
        this only Python's cycle collector would free them: late, and slowly (a long document has
        hundreds of thousands of them).
        """
        for el in self.elements:
            el.kids.clear()
        self.elements = [self.root]
        self.page_mcids = []
        self.annotation_owner = {}
        if self._tree is not None:
            self._tree.objects.clear()
            self._tree.root.value.clear()  # its kid's object refers back to the tree
            self._tree = None


class _Tree:
    """What writing the elements' dictionaries needs: the pages, annotations and every element's object."""

    def __init__(self, pages: Sequence[Any], annotations: Mapping[int, Any]):
        self.pages = pages
        self.annotations = annotations
        self.objects: dict[int, _StructElem] = {}
        self.root = Indirect({"Type": Name("StructTreeRoot")})

    def entries(self, el: Element) -> dict[str, Any]:
        objects, pages = self.objects, self.pages
        entries: dict[str, Any] = {"Type": Name("StructElem"), "S": Name(el.role),
                                   "P": self.root if el.parent is None else objects[id(el.parent)]}
        first_page = next((k.page for k in el.kids if isinstance(k, MCR)), None)
        if first_page is not None:
            entries["Pg"] = pages[first_page]
        kids: list[Any] = []
        for kid in el.kids:
            if isinstance(kid, Element):
                kids.append(objects[id(kid)])
            elif isinstance(kid, MCR):
                if kid.page == first_page:
                    kids.append(kid.mcid)
                else:
                    kids.append({"Type": Name("MCR"), "Pg": pages[kid.page], "MCID": kid.mcid})
            else:
                kids.append({"Type": Name("OBJR"), "Pg": pages[kid.page], "Obj": self.annotations[kid.key]})
        # one kid is written bare: valid PDF, and it spares checkers that stumble on arrays
        entries["K"] = kids[0] if len(kids) == 1 else kids
        if el.alt:
            entries["Alt"] = el.alt
        if el.actual_text:
            entries["ActualText"] = el.actual_text
        if el.title:
            entries["T"] = el.title
        if el.lang:
            entries["Lang"] = el.lang
        if el.attributes:
            attrs = [{"O": Name(owner), **{k: _pdf(v) for k, v in items.items()}}
                     for owner, items in el.attributes.items()]
            entries["A"] = attrs[0] if len(attrs) == 1 else attrs
        return entries


class _StructElem(PDFObject):
    """A structure element in the file: its dictionary is made when it is written."""

    __RefOnly__ = 1

    def __init__(self, tree: _Tree, el: Element):
        self.tree = tree
        self.el = el

    def format(self, document: Any) -> bytes:
        return serialise(self.tree.entries(self.el), document)


def _pdf(value: Any) -> Any:
    """Python attribute values as PDF values: strings starting with '/' are names."""
    if isinstance(value, str):
        return Name(value[1:]) if value.startswith("/") else value
    if isinstance(value, (list, tuple)):
        return [_pdf(v) for v in value]
    return value
