"""What a Word paragraph holds that the sources cannot: text boxes, comments, tracked changes,
footnotes and endnotes, SmartArt, charts and equations. Each is described in a few words, so the
import can say what was left out and where.

python-docx has no API for most of these, so this looks for their elements with lxml (XPath) over
python-docx's element tree. Tracked changes keep the original text (packgen.importer.word reads
deleted runs and skips inserted ones); the description says what the change was.
"""

from __future__ import annotations

from docx.comments import Comments
from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsmap, qn
from lxml import etree

NS = {**nsmap, "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
      "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}
DIAGRAM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
QUOTED = 40  # characters of left-out text quoted, enough to find it again


_IN_FALLBACK = etree.XPath("boolean(ancestor::mc:Fallback)", namespaces=NS)


def _xpath(element: etree._Element, path: str) -> list:
    # Word writes a text box twice (mc:Choice for new Word, mc:Fallback for old): count the first only.
    return [e for e in etree.XPath(path, namespaces=NS)(element) if not _IN_FALLBACK(e)]


def _text(element: etree._Element, text_tag: str = "w:t") -> str:
    words = " ".join("".join(t.text or "" for t in element.iter(qn(text_tag))).split())
    return words if len(words) <= QUOTED else words[:QUOTED].rstrip() + "..."


class Finder:
    """Finds, paragraph by paragraph, what one Word document holds that cannot be carried over."""

    def __init__(self, word: WordDocument):
        self.part = word.part
        try:
            self.comments: Comments | None = word.comments if word.part._comments_part is not None else None
        except (AttributeError, KeyError):
            self.comments = None
        self.notes: dict[tuple[str, str], str] = {}
        for kind, relation in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES)):
            try:
                part = word.part.part_related_by(relation)
            except KeyError:
                continue
            for note in parse_xml(part.blob).iter(qn(f"w:{kind}")):
                self.notes[(kind, note.get(qn("w:id")) or "")] = _text(note)
        self.counted = {"footnote": 0, "endnote": 0}

    def in_paragraph(self, p: etree._Element) -> list[str]:
        """What this paragraph holds that was not carried over, one description each, in order."""
        found: list[str] = []
        for box in _xpath(p, ".//w:txbxContent"):
            found.append(f"a text box holding '{_text(box)}'")
        for data in _xpath(p, ".//a:graphicData"):
            uri = data.get("uri")
            if uri == DIAGRAM:
                words = self._diagram_words(data)
                found.append("a SmartArt diagram" + (f" holding '{words}'" if words else ""))
            elif uri == CHART:
                found.append("a chart")
        for math in _xpath(p, ".//m:oMath[not(ancestor::m:oMath)]"):
            found.append(f"an equation ('{_text(math, 'm:t')}')")
        for kind in ("footnote", "endnote"):
            for mark in _xpath(p, f".//w:{kind}Reference"):
                self.counted[kind] += 1
                words = self.notes.get((kind, mark.get(qn("w:id")) or ""), "")
                found.append(f"{kind} {self.counted[kind]}" + (f": '{words}'" if words else ""))
        for change in _xpath(p, ".//w:ins[not(parent::w:rPr)] | .//w:moveTo"):
            found.append(f"a tracked change inserting '{_text(change)}' (left out: the original text is kept)")
        for change in _xpath(p, ".//w:del[not(parent::w:rPr)] | .//w:moveFrom"):
            found.append(f"a tracked change deleting '{_text(change, 'w:delText') or _text(change)}' "
                         "(the deleted words are kept, as the original had them)")
        for _ in _xpath(p, ".//w:rPrChange | .//w:pPrChange"):
            found.append("a tracked change of formatting (the original formatting is kept)")
        for mark in _xpath(p, ".//w:commentReference"):
            found.append(_comment(mark.get(qn("w:id")), self.comments))
        return found


    def _diagram_words(self, data: etree._Element) -> str:
        """The words of a SmartArt diagram, from its data part (dgm:relIds r:dm names it)."""
        ids = data.find(f"{{{DIAGRAM}}}relIds")
        rel_id = ids.get(qn("r:dm")) if ids is not None else None
        part = self.part.related_parts.get(rel_id) if rel_id else None
        if part is None:
            return ""
        try:
            model = parse_xml(part.blob)
        except etree.XMLSyntaxError:
            return ""
        points = [_text(point, "a:t") for point in model.iter(f"{{{DIAGRAM}}}pt")]
        words = ", ".join(p for p in points if p)
        return words if len(words) <= QUOTED else words[:QUOTED].rstrip() + "..."


def _comment(comment_id: str | None, comments: Comments | None) -> str:
    comment = comments.get(int(comment_id)) if comments is not None and comment_id is not None else None
    if comment is None:
        return "a comment"
    author = f" by {comment.author}" if comment.author else ""
    words = " ".join(comment.text.split())
    return f"a comment{author}: '{words if len(words) <= QUOTED else words[:QUOTED].rstrip() + '...'}'"
