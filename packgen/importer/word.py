"""A Word document read with python-docx and written as a packgen source: front matter, then one
`## Heading {#id status=draft}` section per top-level heading, each with an easy-read block still
to be written (packgen.sources.todos).

What carries over: headings (the shallowest level used becomes the sections, deeper ones `###` and
below), paragraphs, bold and italic, links, bulleted and numbered lists (nested, with the numbers
Word shows), tables (the first row is the header) and pictures (their files, with the alt text Word
holds). What cannot is described, with where it was (packgen.importer.leftovers).

The title: a paragraph in Word's Title style (and Subtitle), else the first heading when it is
above every other heading (as in the Word files packgen writes), else the file's title property,
else the file's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from docx.document import Document as WordDocument
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from packgen import word_bookmarks as bookmarks
from packgen.ids import slug
from packgen.importer import leftovers, metafiles
from packgen.importer.numbering import Numbering
from packgen.importer.styles import style_of
from packgen.sources.todos import EASY_READ_TODO

_SPECIAL = re.compile(r"([\\`*_\[\]<>{}|])")
_BLOCK_START = re.compile(r"^([#>+\-:=~]|\d+[.)](?=\s|$))")
_SECTION_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_HEADING_STYLE = re.compile(r"^heading (\d)$", re.IGNORECASE)
CAPTION_STYLES = ("caption", "image caption")  # Word's, and pandoc's, style for the words under a picture
_PICTURE_TYPES = {"png": ".png", "jpg": ".jpg", "jpeg": ".jpg", "svg": ".svg"}


@dataclass(frozen=True)
class Picture:
    name: str  # the file's name in the pictures folder
    data: bytes
    alt: str
    line: int  # its line in the Markdown written


@dataclass(frozen=True)
class Note:
    """Something not carried over: what it was, the Markdown line nearest where it was, and the Word
    paragraph (counted from 1, the title's too) and heading it was under."""

    line: int
    paragraph: int
    heading: str
    what: str


@dataclass
class Imported:
    markdown: str
    sections: int
    pictures: list[Picture] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    title_block_left_out: bool = False  # packgen's title block (the title is in the front matter)
    left_out: list[str] = field(default_factory=list)  # the headings of the endings packgen's templates added


def convert(word: WordDocument, doc_id: str, fallback_title: str, from_packgen: bool = False) -> Imported:
    """The Markdown source of a Word document, its pictures, and what could not be carried over.

    In a Word file packgen made (`from_packgen`), what its templates added is left out: the title
    block before the first section, and each top-level heading that opens no source section (the
    "other formats" ending), with what is under it."""
    return _Converter(word, doc_id, fallback_title, from_packgen).run()


def escape(text: str) -> str:
    """Words as Markdown shows them: characters Markdown reads as marks are escaped."""
    return _SPECIAL.sub(r"\\\1", text)


def _heading_level(paragraph: Paragraph) -> int | None:
    style = style_of(paragraph)
    name = style.name if style is not None else ""
    match = _HEADING_STYLE.match(name or "")
    return int(match.group(1)) if match else None


def _bookmarks(paragraph: Paragraph) -> list[str]:
    """The names of the heading's own bookmarks, inside it or just before it (as pandoc writes them)."""
    marks = list(paragraph._p.iter(qn("w:bookmarkStart")))
    before = paragraph._p.getprevious()
    while before is not None and before.tag == qn("w:bookmarkStart"):
        marks.append(before)
        before = before.getprevious()
    return [mark.get(qn("w:name")) or "" for mark in marks]


def _section_id(names: list[str]) -> str | None:
    """The section id a heading's bookmarks give: the id itself, as pandoc writes the ids of the
    Markdown it converts, or packgen's Word writer's name for it (packgen.word_bookmarks);
    Word's own, such as _Toc12345, give none."""
    return next((found for name in names
                 if (found := name if _SECTION_ID.match(name) else bookmarks.section_id(name))), None)


def packgen_marks(word: WordDocument) -> bool:
    """Whether the headings carry the marks packgen's Word writer gives what opens no section: they
    stay when the file is edited and saved again in Word, as the file's Application does not."""
    return any(bookmarks.opens_no_section(mark.get(qn("w:name")) or "")
               for mark in word.element.body.iter(qn("w:bookmarkStart")))


def _style(paragraph: Paragraph) -> str:
    style = style_of(paragraph)
    return (style.name or "").lower() if style is not None else ""


def _blocks(container: etree._Element, parent) -> list[Paragraph | Table]:
    """The paragraphs and tables of a body or cell in order, looking inside content controls."""
    found: list[Paragraph | Table] = []
    for child in container:
        if child.tag == qn("w:p"):
            found.append(Paragraph(child, parent))
        elif child.tag == qn("w:tbl"):
            found.append(Table(child, parent))
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                found.extend(_blocks(content, parent))
    return found


class _Converter:
    def __init__(self, word: WordDocument, doc_id: str, fallback_title: str, from_packgen: bool):
        self.word = word
        self.doc_id = doc_id
        self.from_packgen = from_packgen
        self.skipping = from_packgen  # inside what packgen's templates added: its title block first
        self.blocks = _blocks(word.element.body, word._body)
        self.numbering = Numbering(word)
        self.metafiles = metafiles.Drawer()
        self.leftovers = leftovers.Finder(word)
        self.lines: list[str] = []
        self.result = Imported(markdown="", sections=0)
        self.heading = ""
        self.paragraph_no = 0
        self.in_list = False
        self.list_indents: list[int] = []
        self.list_kind: tuple[str, bool] = ("", False)
        self.open_section = False
        self.title, self.subtitle, self.title_block = self._title(fallback_title)
        levels = [lvl for b in self.blocks if isinstance(b, Paragraph) and b._p is not self.title_block
                  and (lvl := _heading_level(b)) is not None]
        self.top = min(levels) if levels else 1
        self.ids: set[str] = set()
        # A link inside the file goes to a bookmark; in the pack it goes to the heading's anchor (its words).
        self.anchors = {name: slug(b.text) for b in self.blocks if isinstance(b, Paragraph)
                        and _heading_level(b) is not None for name in _bookmarks(b)}

    def _title(self, fallback: str) -> tuple[str, str, etree._Element | None]:
        paragraphs = [b for b in self.blocks if isinstance(b, Paragraph)]
        title = next((p for p in paragraphs if _style(p) == "title" and p.text.strip()), None)
        subtitle = next((p for p in paragraphs if _style(p) == "subtitle" and p.text.strip()), None)
        if title is not None:
            return _plain(title.text), _plain(subtitle.text) if subtitle is not None else "", title._p
        headings = [(p, lvl) for p in paragraphs if (lvl := _heading_level(p)) is not None and p.text.strip()]
        if len(headings) > 1 and all(lvl > headings[0][1] for _, lvl in headings[1:]):
            return _plain(headings[0][0].text), _plain(subtitle.text) if subtitle is not None else "", headings[0][0]._p
        own = (self.word.core_properties.title or "").strip()
        return own or fallback, _plain(subtitle.text) if subtitle is not None else "", None

    def run(self) -> Imported:
        front = {"title": self.title, **({"subtitle": self.subtitle} if self.subtitle else {})}
        self.lines = ["---", *yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
                      .splitlines(), "---", ""]
        try:
            for block in self.blocks:
                if isinstance(block, Table):
                    self._table(block)
                else:
                    self._paragraph(block)
        finally:
            self.metafiles.close()
        self._close_section()
        self.result.markdown = "\n".join(self.lines).rstrip() + "\n"
        return self.result

    # -- blocks --------------------------------------------------------------------------------------

    def _add(self, *lines: str) -> None:
        """A block of lines, after a blank line (none between the items of one list)."""
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
        self.lines.extend(line for block in lines for line in block.split("\n"))  # one entry a line: notes name lines

    def _paragraph(self, paragraph: Paragraph) -> None:
        self.paragraph_no += 1
        if self._skipped(paragraph):
            return
        found = self.leftovers.in_paragraph(paragraph._p)
        start = len(self.lines)
        self._paragraph_lines(paragraph)
        self._note(found, start, self.heading)

    def _skipped(self, paragraph: Paragraph) -> bool:
        """Whether this paragraph is part of what packgen's templates added (see `convert`)."""
        if not self.from_packgen:
            return False
        level = _heading_level(paragraph)
        if level is not None and level <= self.top and paragraph.text.strip() and paragraph._p is not self.title_block:
            names = _bookmarks(paragraph)
            self.skipping = any(bookmarks.opens_no_section(name) for name in names)
            if self.skipping:
                self.result.left_out.append(_plain(paragraph.text))
                return True
            return False
        if self.skipping and not self.result.left_out:
            self.result.title_block_left_out = True
        return self.skipping

    def _note(self, found: list[str], start: int, heading: str) -> None:
        """Notes of what a block held, at the first line written for it (else the line above)."""
        line = next((n + 1 for n in range(start, len(self.lines)) if self.lines[n]), max(start, 1))
        self.result.notes.extend(Note(line, self.paragraph_no, heading, what) for what in found)

    def _paragraph_lines(self, paragraph: Paragraph) -> None:
        if paragraph._p is self.title_block or _style(paragraph) in ("title", "subtitle"):
            return
        level = _heading_level(paragraph)
        text, pictures = self._inline(paragraph)
        if _style(paragraph) in CAPTION_STYLES and self.result.pictures and self.lines[-1].startswith("![") \
                and text.strip() and not pictures:
            caption = _plain(paragraph.text)
            if caption != self.result.pictures[-1].alt:  # a caption repeating the alt text would be heard twice
                self.lines[-1] = self.lines[-1][:-1] + f' "{caption.replace(chr(34), chr(39))}")'
            return
        if level is not None and text.strip():
            self._heading(level, _plain(paragraph.text), _section_id(_bookmarks(paragraph)))
            return
        item = self.numbering.level_of(paragraph)
        if item is not None and text.strip():
            self._list_item(item, text)
        elif text.strip():
            self._end_list()
            self._start_section_if_needed()
            self._add(_hard_breaks(text))
        for alt, data, ext, size in pictures:
            self._end_list()
            self._start_section_if_needed()
            self._picture(alt, data, ext, size)

    def _heading(self, level: int, text: str, bookmark: str | None) -> None:
        self._end_list()
        self.heading = text
        if level <= self.top:
            self._close_section()
            sid = base = bookmark if bookmark and bookmark not in self.ids else slug(text)
            n = 1
            while sid in self.ids:
                n += 1
                sid = f"{base}-{n}"
            self.ids.add(sid)
            self._add(f"## {escape(text)} {{#{sid} status=draft}}")
            self.open_section = True
            self.result.sections += 1
        else:
            self._start_section_if_needed()
            self._add(f"{'#' * min(6, level - self.top + 2)} {escape(text)}")

    def _start_section_if_needed(self) -> None:
        """Words before the first heading are the document's untitled opening section."""
        if not self.open_section:
            self.open_section = True
            self.result.sections += 1

    def _close_section(self) -> None:
        if self.open_section:
            self._end_list()
            self._add("::: easy-read", f"{EASY_READ_TODO} write this section's easy-read points, then delete this line",
                      ":::")
            self.open_section = False

    def _list_item(self, item, text: str) -> None:
        self._start_section_if_needed()
        number = self.numbering.number(item)
        marker = f"{number}." if item.ordered else "-"
        if item.level == 0 and self.in_list and (item.abstract, item.ordered) != self.list_kind:
            self.in_list = False  # another list: a blank line between them shows it
        if item.level == 0:
            self.list_kind = (item.abstract, item.ordered)
        if not self.in_list:  # a blank line before the list, and none between its items
            if self.lines and self.lines[-1] != "":
                self.lines.append("")
            self.list_indents = []
        del self.list_indents[item.level:]
        indent = sum(self.list_indents)
        self.list_indents.append(len(marker) + 1)
        item_lines = " " * indent + f"{marker} {_hard_breaks(text, ' ' * (indent + len(marker) + 1))}"
        self.lines.extend(item_lines.split("\n"))
        self.in_list = True

    def _end_list(self) -> None:
        self.in_list = False

    def _table(self, table: Table) -> None:
        if self.skipping:
            return
        self._end_list()
        self._start_section_if_needed()
        rows: list[list[str]] = []
        found: list[str] = []
        start = len(self.lines)
        for row in table.rows:
            cells = []
            for cell in row.cells:
                words = []
                for p in _blocks(cell._tc, cell):
                    if isinstance(p, Paragraph):
                        self.paragraph_no += 1
                        found.extend(self.leftovers.in_paragraph(p._p))
                        text = self._inline(p)[0].strip()
                        if "\n" in text:  # a pipe table's cell is one line
                            found.append("a line break in a table cell (a space here: a cell holds one line)")
                        words.append(" ".join(text.split()))
                    else:
                        found.append("a table inside a table cell")
                cells.append(" ".join(w for w in words if w) or " ")
            rows.append(cells)
        if not rows:
            self._note(found, start, self.heading)
            return
        # A header row is shown in bold by every format: bold Word gave it is not kept as marks.
        rows[0] = [c[2:-2] if c.startswith("**") and c.endswith("**") and "**" not in c[2:-2] else c
                   for c in rows[0]]
        width = max(len(r) for r in rows)
        rows = [r + [" "] * (width - len(r)) for r in rows]
        self._add(*[f"| {' | '.join(cells)} |" for cells in rows[:1]], f"|{'|'.join(['---'] * width)}|",
                  *[f"| {' | '.join(cells)} |" for cells in rows[1:]])
        self._note(found, start, self.heading)

    def _picture(self, alt: str, data: bytes, ext: str, size: tuple[int, int]) -> None:
        line = len(self.lines)
        if ext in ("emf", "wmf"):
            drawn = self.metafiles.png(data, ext, *size)
            if drawn is None:
                self.result.notes.append(Note(line, self.paragraph_no, self.heading,
                                              f"a picture stored as .{ext} (a Windows metafile), which packgen "
                                              "cannot use: with LibreOffice Draw installed the import turns it "
                                              "into PNG; or save it as PNG, put it in the pictures folder and "
                                              "name it here"))
                return
            data, ext = drawn, "png"
        suffix = _PICTURE_TYPES.get(ext.lower())
        if suffix is None:
            self.result.notes.append(Note(line, self.paragraph_no, self.heading,
                                          f"a picture stored as .{ext}, which packgen cannot use (save it as "
                                          "PNG or JPEG, put it in the pictures folder and name it here)"))
            return
        name = f"{self.doc_id}-{len(self.result.pictures) + 1}{suffix}"
        self._add(f"![{escape(alt)}]({name})")
        self.result.pictures.append(Picture(name=name, data=data, alt=alt, line=len(self.lines)))

    # -- words ---------------------------------------------------------------------------------------

    def _inline(self, paragraph: Paragraph) -> tuple[str, list[tuple[str, bytes, str, tuple[int, int]]]]:
        """The paragraph's words as Markdown, and its pictures (alt text, bytes, file type, the size
        Word shows it at in EMU) in order."""
        pictures: list[tuple[str, bytes, str, tuple[int, int]]] = []
        return _render(self._segments(paragraph._p, paragraph, pictures)), pictures

    def _segments(self, element: etree._Element, paragraph: Paragraph, pictures: list) -> list[tuple]:
        """(text, bold, italic, link) pieces of a paragraph's runs, in order; a tracked change keeps
        the original: deleted runs are read, inserted ones are not."""
        found: list[tuple] = []
        for child in element:
            tag = child.tag
            if tag == qn("w:r"):
                found.extend(self._run(Run(child, paragraph), pictures))
            elif tag == qn("w:hyperlink"):
                link = Hyperlink(child, paragraph)
                target = link.address + (f"#{link.fragment}" if link.fragment and link.address else "")
                if not link.address and link.fragment in self.anchors:
                    target = f"#{self.anchors[link.fragment]}"
                inner = self._segments(child, paragraph, pictures)
                found.extend((text, b, i, target or None) for text, b, i, _ in inner)
            elif tag in (qn("w:del"), qn("w:moveFrom")):
                for r in child.iter(qn("w:r")):
                    run = Run(r, paragraph)
                    text = "".join(t.text or "" for t in r.iter(qn("w:delText"), qn("w:t")))
                    found.append((text, _bold(run), _italic(run), None))
            elif tag in (qn("w:smartTag"), qn("w:fldSimple"), qn("w:customXml")):
                found.extend(self._segments(child, paragraph, pictures))
            elif tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    found.extend(self._segments(content, paragraph, pictures))
        return found

    def _run(self, run: Run, pictures: list) -> list[tuple]:
        found: list[tuple] = []
        for item in run.iter_inner_content():
            if isinstance(item, str):
                found.append((item.replace("\t", " "), _bold(run), _italic(run), None))  # "\n": a line break
            elif getattr(item, "has_picture", False):
                picture = _picture_of(item._drawing, run)
                if picture is not None:
                    pictures.append(picture)
        return found


def _picture_of(drawing: etree._Element, run: Run) -> tuple[str, bytes, str, tuple[int, int]] | None:
    """A drawing's picture: its alt text, bytes, file type (python-docx's reading of the bytes; a
    metafile's from its own bytes, which python-docx cannot read) and shown size in EMU."""
    blip = drawing.find(f".//{qn('a:blip')}")
    rel_id = blip.get(qn("r:embed")) if blip is not None else None
    part = run.part.related_parts.get(rel_id) if rel_id else None
    if part is None:
        return None
    data = part.blob
    ext = metafiles.kind(data)
    if ext is None:
        try:
            ext = part.image.ext
        except (ValueError, KeyError, AttributeError, UnrecognizedImageError):
            ext = part.partname.ext
    doc_pr = drawing.find(f".//{qn('wp:docPr')}")
    alt = " ".join((doc_pr.get("descr", "") if doc_pr is not None else "").split())
    extent = drawing.find(f".//{qn('wp:extent')}")
    size = (_emu(extent.get("cx")), _emu(extent.get("cy"))) if extent is not None else (0, 0)
    return alt, data, ext, size


def _emu(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def _bold(run: Run) -> bool:
    return bool(run.bold if run.bold is not None else ((style := style_of(run)) is not None and style.font.bold))


def _italic(run: Run) -> bool:
    return bool(run.italic if run.italic is not None else ((style := style_of(run)) is not None
                                                           and style.font.italic))


def _plain(text: str) -> str:
    return " ".join(text.split())


def _render(segments: list[tuple]) -> str:
    """Pieces of text as Markdown: runs of the same marks joined, links around their words."""
    merged: list[list] = []
    for text, bold, italic, link in segments:
        if not text:
            continue
        if merged and merged[-1][1:] == [bold, italic, link]:
            merged[-1][0] += text
        else:
            merged.append([text, bold, italic, link])
    out: list[str] = []
    i = 0
    while i < len(merged):
        link = merged[i][3]
        if link:
            j = i
            while j < len(merged) and merged[j][3] == link:
                j += 1
            words = "".join(_marked(t, b, it) for t, b, it, _ in merged[i:j])
            lead, core, tail = _split_space(words)
            out.append(f"{lead}[{core}]({link.replace(' ', '%20').replace(')', '%29')}){tail}" if core else words)
            i = j
        else:
            out.append(_marked(*merged[i][:3]))
            i += 1
    return re.sub(" {2,}", " ", "".join(out)).strip()


def _split_space(text: str) -> tuple[str, str, str]:
    core = text.strip()
    if not core:
        return text, "", ""
    start = text.index(core[0])
    return text[:start], core, text[start + len(core):]


def _marked(text: str, bold: bool, italic: bool) -> str:
    lead, core, tail = _split_space(text)
    if not core:
        return text
    mark = ("**" if bold else "") + ("*" if italic else "")
    return f"{lead}{mark}{escape(core)}{mark[::-1]}{tail}"


def _hard_breaks(text: str, indent: str = "") -> str:
    """The lines Word broke a paragraph into, as Markdown hard breaks (a backslash at the end of the
    line), each guarded as a paragraph's first line is, and indented to stay in a list item."""
    lines = [_guard(line.strip()) for line in text.split("\n") if line.strip()]
    return ("\\\n" + indent).join(lines)


def _guard(text: str) -> str:
    """A paragraph that starts as a heading, list or container would: its first mark escaped."""
    return _BLOCK_START.sub(lambda m: "\\" + m.group(1) if not m.group(1)[0].isdigit()
                            else m.group(1)[:-1] + "\\" + m.group(1)[-1], text, count=1)


def fallback_title(path: Path) -> str:
    """A title from the Word file's name, when the file gives none: 'annual-report_2025' -> 'Annual report 2025'."""
    words = " ".join(re.split(r"[\s_-]+", path.stem)).strip()
    return words[:1].upper() + words[1:] if words else path.stem
