"""Word's list numbering: whether a list paragraph is bulleted or numbered, and its number.

python-docx has no API for numbering definitions, so this reads its numbering part's XML (lxml).
A paragraph's `w:numPr` (its own, or its style's) names a numbering instance and a level; the
instance points at an abstract definition whose level gives the format and the start number.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from packgen.importer.styles import style_of

UNORDERED = ("bullet", "none")


@dataclass(frozen=True)
class ListLevel:
    """One list paragraph's place: its instance, its depth (0 outermost), and whether it is numbered."""

    num_id: str
    level: int
    ordered: bool
    start: int
    abstract: str  # the definition: instances of one definition count on as one list, as Word does
    restarts: bool  # the instance says where it starts (w:startOverride): it counts from there


class Numbering:
    """The numbering definitions of one Word document, and the counters its list items advance."""

    def __init__(self, document: WordDocument):
        try:
            self._root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            self._root = None
        self._counters: dict[str, list[int]] = {}
        self._started: set[tuple[str, int]] = set()

    def level_of(self, paragraph: Paragraph) -> ListLevel | None:
        """The list level a paragraph is an item of, or None for an ordinary paragraph."""
        num_pr = _num_pr(paragraph)
        if num_pr is None or self._root is None:
            return None
        num_id = _val(num_pr.find(qn("w:numId")))
        level = int(_val(num_pr.find(qn("w:ilvl"))) or 0)
        if not num_id or num_id == "0":  # numId 0 says: numbering removed
            return None
        num = self._root.find(f"{qn('w:num')}[@{qn('w:numId')}='{num_id}']")
        if num is None:
            return ListLevel(num_id=num_id, level=level, ordered=False, start=1, abstract=num_id, restarts=False)
        override = num.find(f"{qn('w:lvlOverride')}[@{qn('w:ilvl')}='{level}']/{qn('w:startOverride')}")
        abstract = _val(num.find(qn("w:abstractNumId"))) or num_id
        lvl = self._root.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{abstract}']/"
                              f"{qn('w:lvl')}[@{qn('w:ilvl')}='{level}']")
        fmt = (_val(lvl.find(qn("w:numFmt"))) if lvl is not None else "bullet") or "decimal"
        start = _val(override) or (_val(lvl.find(qn("w:start"))) if lvl is not None else None)
        return ListLevel(num_id=num_id, level=level, ordered=fmt not in UNORDERED, start=int(start or 1),
                         abstract=abstract, restarts=override is not None)

    def number(self, item: ListLevel) -> int:
        """The number Word shows for this item: its level's counter, advanced; deeper levels restart."""
        counters = self._counters.setdefault(item.abstract, [])
        while len(counters) <= item.level:
            counters.append(0)
        del counters[item.level + 1:]
        if item.restarts and (item.num_id, item.level) not in self._started:
            counters[item.level] = 0
        self._started.add((item.num_id, item.level))
        counters[item.level] = (counters[item.level] or item.start - 1) + 1
        return counters[item.level]


def _num_pr(paragraph: Paragraph):
    """The paragraph's own numbering, else its style's (a "List Number" style numbers by itself)."""
    p_pr = paragraph._p.pPr
    if p_pr is not None and p_pr.numPr is not None:
        return p_pr.numPr
    style = style_of(paragraph)
    while style is not None:
        s_pr = style.element.pPr
        if s_pr is not None and s_pr.numPr is not None:
            return s_pr.numPr
        style = style.base_style
    return None


def _val(element) -> str | None:
    return None if element is None else element.get(qn("w:val"))
