"""numbering.xml: real Word lists, so screen readers announce "list, 3 items" and Word renumbers.

Two abstract definitions (bullets, numbers) with nine levels each; every ordered list gets its own
w:num with a startOverride, so each list restarts at its own `start`. Bullets share one w:num.
"""

from __future__ import annotations

from lxml import etree

from .oxml import el, mm_twips, root, serialise, sub, val

BULLET_ABSTRACT, ORDERED_ABSTRACT = 0, 1
BULLET_GLYPHS = ("\u2022", "\u2013")  # bullet, en dash: glyphs every sans-serif font has
ORDERED_FORMATS = ("decimal", "lowerLetter", "lowerRoman")
LEVELS = 9


class Numbering:
    """The lists of one document: hands out w:numId values and writes the part."""

    def __init__(self, indent_mm: float) -> None:
        self.indent_mm = indent_mm
        self._bullets: int | None = None
        self._nums: list[tuple[int, int, int, int]] = []  # (numId, abstract, level, start)

    @property
    def used(self) -> bool:
        return bool(self._nums)

    def bullets(self) -> int:
        """The one w:numId every bulleted list uses (bullets never need restarting)."""
        if self._bullets is None:
            self._bullets = self._add(BULLET_ABSTRACT, 0, 1)
        return self._bullets

    def ordered(self, level: int, start: int) -> int:
        """A fresh w:numId for one ordered list, restarting at `start` on its level."""
        return self._add(ORDERED_ABSTRACT, level, start)

    def _add(self, abstract: int, level: int, start: int) -> int:
        num_id = len(self._nums) + 1
        self._nums.append((num_id, abstract, level, start))
        return num_id

    def indent(self, level: int) -> tuple[int, int]:
        """(left, hanging) in twips for a list level: each level one theme indent further in."""
        step = mm_twips(self.indent_mm)
        return step * (level + 1), step

    def xml(self) -> bytes:
        numbering = root("w:numbering")
        for abstract in (BULLET_ABSTRACT, ORDERED_ABSTRACT):
            numbering.append(self._abstract(abstract))
        for num_id, abstract, level, start in self._nums:
            num = sub(numbering, "w:num", {"w:numId": str(num_id)})
            num.append(val("w:abstractNumId", abstract))
            if abstract == ORDERED_ABSTRACT:
                override = sub(num, "w:lvlOverride", {"w:ilvl": str(level)})
                override.append(val("w:startOverride", start))
        return serialise(numbering)

    def _abstract(self, abstract: int) -> etree._Element:
        node = el("w:abstractNum", {"w:abstractNumId": str(abstract)})
        node.append(val("w:multiLevelType", "hybridMultilevel" if abstract == BULLET_ABSTRACT else "multilevel"))
        for level in range(LEVELS):
            lvl = sub(node, "w:lvl", {"w:ilvl": str(level)})
            lvl.append(val("w:start", 1))
            if abstract == BULLET_ABSTRACT:
                lvl.append(val("w:numFmt", "bullet"))
                lvl.append(val("w:lvlText", BULLET_GLYPHS[level % len(BULLET_GLYPHS)]))
            else:
                lvl.append(val("w:numFmt", ORDERED_FORMATS[level % len(ORDERED_FORMATS)]))
                lvl.append(val("w:lvlText", f"%{level + 1}."))
            lvl.append(val("w:lvlJc", "left"))
            left, hanging = self.indent(level)
            lvl.append(el("w:pPr", None, el("w:ind", {"w:left": str(left), "w:hanging": str(hanging)})))
        return node
