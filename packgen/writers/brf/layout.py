"""The document model as braille paragraphs: each block's print words and where its lines go on the page.

UKAAF's guiding principles for the presentation of braille (and BANA's Braille Formats, which agree
on these): the main headings (the title, level 2) centred with a blank line before and after; lower
headings blocked at cell 5 with a blank line before; paragraphs with the first line at cell 3 and
runovers at cell 1; list items at cell 1 with their label and runovers at cell 3, each nesting two
cells further in, with a blank line before and after the list; a transcriber's note first.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from typing import Literal

from packgen.model import (
    Block,
    Document,
    Figure,
    FormBlock,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    PictureRow,
    Table,
    Text,
)
from packgen.writers.brf import louis
from packgen.writers.invisible import invisible

Kind = Literal["centred", "cell5", "text"]
CENTRED_LEVELS = 2  # headings at this level or above are centred
NOTE_LABEL = "brf_transcriber_note"
PICTURE_LABEL = "brf_picture"


@dataclass(frozen=True)
class Para:
    """One paragraph in print, to be translated and laid out: `first` and `runover` are the cells
    left blank before its first line and before the others."""

    text: str
    kind: Kind = "text"
    first: int = 2
    runover: int = 0
    blank_before: bool = False
    blank_after: bool = False
    note: bool = False  # a transcriber's note, which braille marks as one
    emphasis: tuple[int, ...] = ()  # liblouis's typeform of each character of `text` (() when all plain)


def paragraphs(document: Document) -> list[Para]:
    """The document's paragraphs in reading order, the transcriber's note first."""
    note = " ".join(document.labels.get(NOTE_LABEL, "").split())
    out = [Para(note, first=0, blank_after=True, note=True)] if note else []
    for block in document.blocks:
        out.extend(_block(block, document, 0))
    return [p for p in out if p.text]


def _block(block: Block, document: Document, depth: int) -> list[Para]:
    if isinstance(block, Heading):
        return [_heading(block.level, block.text)]
    if isinstance(block, Paragraph):
        return [Para(line.text, first=2 + 2 * depth, runover=2 * depth, emphasis=line.emphasis)
                for line in _lines(block.children)]
    if isinstance(block, ListBlock):
        return _list(block, document, depth)
    if isinstance(block, Table):
        return _table(block, depth)
    if isinstance(block, Figure):
        words = document.labels.get(PICTURE_LABEL, "{alt}").replace("{alt}", block.picture.alt)
        caption = " ".join(line.text for line in _lines(block.caption))
        return [Para(" ".join(words.split() + caption.split()), first=2 + 2 * depth, runover=2 * depth)]
    if isinstance(block, PictureRow):
        return [p for child in block.children for p in _block(child, document, depth)]
    if isinstance(block, FormBlock):
        out = [_heading(block.level, block.legend)] if block.legend and block.level else (
            [Para(block.legend)] if block.legend else [])
        for field in block.fields:
            label = " ".join(part for part in (field.label, field.required_mark) if part)
            out.append(Para(label, first=0, runover=2))
            out.extend(Para(hint, first=2, runover=2) for hint in field.hints_in("brf"))
        return out
    return []  # a page break: braille pages break where braille needs


def _heading(level: int, text: str) -> Para:
    words = " ".join(text.split())
    if level <= CENTRED_LEVELS:
        return Para(words, "centred", 0, 0, blank_before=True, blank_after=True)
    return Para(words, "cell5", 4, 4, blank_before=True)


def _list(block: ListBlock, document: Document, depth: int) -> list[Para]:
    out: list[Para] = []
    for number, item in enumerate(block.items, start=block.start):
        label = f"{number}." if block.ordered else louis.bullet(document.metadata.language)
        first = True
        for child in item.children:
            if isinstance(child, Paragraph) and first:
                lines = _lines(child.children) or [Line("", ())]
                opening = Line(f"{label} ", ()) + lines[0]
                out.append(Para(opening.text, first=2 * depth, runover=2 * depth + 2, emphasis=opening.emphasis))
                out.extend(Para(line.text, first=2 * depth + 2, runover=2 * depth + 2, emphasis=line.emphasis)
                           for line in lines[1:])
            else:
                out.extend(_block(child, document, depth + 1))
            first = False
    if out and depth == 0:
        out[0] = _with(out[0], blank_before=True)
        out[-1] = _with(out[-1], blank_after=True)
    return out


def _table(table: Table, depth: int) -> list[Para]:
    """A table in linear form, as UKAAF advises for a simple table in braille rather than columns: each
    row a list item, each cell's words after its column's header ("Header: words"), cells parted by
    semicolons; empty cells left out."""
    out = []
    headers = [cell.text for cell in table.header]
    for row in table.rows:
        cells = []
        for number, cell in enumerate(row):
            words = _lines(cell.children)
            if words:
                header = headers[number] if number < len(headers) else ""
                text = _joined(words, " ")
                cells.append(Line(f"{header}: ", ()) + text if header else text)
        if cells:
            line = _joined(cells, "; ")
            out.append(Para(line.text, first=2 * depth, runover=2 * depth + 2, emphasis=line.emphasis))
    if out:
        out[0] = _with(out[0], blank_before=True)
        out[-1] = _with(out[-1], blank_after=True)
    return out


def _joined(lines: list[Line], between: str) -> Line:
    out = lines[0]
    for line in lines[1:]:
        out = out + Line(between, ()) + line
    return out


def _with(para: Para, **changes: bool) -> Para:
    return replace(para, **changes)


@dataclass(frozen=True)
class Line:
    """Print words and the typeform of each of their characters (() when all are plain)."""

    text: str
    emphasis: tuple[int, ...]

    def __add__(self, other: Line) -> Line:
        if not self.emphasis and not other.emphasis:
            return Line(self.text + other.text, ())
        return Line(self.text + other.text, _marks(self) + _marks(other))


def _marks(line: Line) -> tuple[int, ...]:
    return line.emphasis or (louis.PLAIN,) * len(line.text)


def _lines(inlines: tuple[Inline, ...]) -> list[Line]:
    """The print words, one Line per line (a hard line break starts a new one); a link's address follows
    its words when they do not give it, as a braille page cannot be clicked."""
    lines: list[list[tuple[str, int]]] = [[]]
    for node in inlines:
        if isinstance(node, LineBreak):
            lines.append([])
        elif isinstance(node, Link):
            address = node.href.removeprefix("mailto:")
            lines[-1].extend(_emphasised(node.children))
            if not (address in node.text or node.href.startswith("#")):
                lines[-1].append((f" ({address})", louis.PLAIN))
        elif isinstance(node, Text):
            lines[-1].extend(_emphasised((node,)))
    return [line for line in map(_squeezed, lines) if line.text]


def _emphasised(texts: tuple[Text, ...]) -> list[tuple[str, int]]:
    # In its composed form (NFC): a braille code has cells for é, not for an e followed by a combining
    # accent, which some keyboards and pasted text give (Welsh would spell the accent's code point, French
    # write other letters, German eight-dot cells)
    return [(unicodedata.normalize("NFC", text.text),
             (louis.BOLD if text.bold else 0) | (louis.ITALIC if text.italic else 0)) for text in texts]


def _squeezed(runs: list[tuple[str, int]]) -> Line:
    """The runs as one line with each stretch of white space one space and none at either end, and no
    character that print does not show (a format character); a space between two emphasised words is
    emphasised too, so liblouis sees one emphasised passage."""
    out: list[tuple[str, int]] = []
    spaced = False  # white space since the last character kept
    for text, mark in runs:
        for char in text:
            if invisible(char):
                continue  # liblouis would end the word at a soft hyphen or zero-width space
            if char.isspace():
                spaced = bool(out)
                continue
            if spaced:
                out.append((" ", out[-1][1] & mark))
                spaced = False
            out.append((char, mark))
    emphasis = tuple(mark for _, mark in out)
    return Line("".join(char for char, _ in out), emphasis if any(emphasis) else ())
