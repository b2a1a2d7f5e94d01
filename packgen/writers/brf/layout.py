"""The document model as braille paragraphs: each block's print words and where its lines go on the page.

UKAAF's guiding principles for the presentation of braille (and BANA's Braille Formats, which agree
on these): the main headings (the title, level 2) centred with a blank line before and after; lower
headings blocked at cell 5 with a blank line before; paragraphs with the first line at cell 3 and
runovers at cell 1; list items at cell 1 with their label and runovers at cell 3, each nesting two
cells further in, with a blank line before and after the list; a transcriber's note first.
"""

from __future__ import annotations

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
        return [Para(line, first=2 + 2 * depth, runover=2 * depth) for line in _lines(block.children)]
    if isinstance(block, ListBlock):
        return _list(block, document, depth)
    if isinstance(block, Table):
        return _table(block, depth)
    if isinstance(block, Figure):
        words = document.labels.get(PICTURE_LABEL, "{alt}").replace("{alt}", block.picture.alt)
        caption = " ".join(_lines(block.caption))
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
        label = f"{number}." if block.ordered else "\u2022"
        first = True
        for child in item.children:
            if isinstance(child, Paragraph) and first:
                lines = _lines(child.children)
                out.append(Para(f"{label} {lines[0] if lines else ''}", first=2 * depth, runover=2 * depth + 2))
                out.extend(Para(line, first=2 * depth + 2, runover=2 * depth + 2) for line in lines[1:])
            else:
                out.extend(_block(child, document, depth + 1))
            first = False
    if out and depth == 0:
        out[0] = _with(out[0], blank_before=True)
        out[-1] = _with(out[-1], blank_after=True)
    return out


def _table(table: Table, depth: int) -> list[Para]:
    """A row to a list item: its first cell, then each other cell after its column's header."""
    out = []
    headers = [cell.text for cell in table.header]
    for row in table.rows:
        words = [row[0].text] + [f"{header}: {cell.text}" if header else cell.text
                                 for header, cell in zip(headers[1:], row[1:], strict=False) if cell.text]
        out.append(Para("; ".join(w for w in words if w), first=2 * depth, runover=2 * depth + 2))
    if out:
        out[0] = _with(out[0], blank_before=True)
        out[-1] = _with(out[-1], blank_after=True)
    return out


def _with(para: Para, **changes: bool) -> Para:
    return replace(para, **changes)


def _lines(inlines: tuple[Inline, ...]) -> list[str]:
    """The print words, one string per line (a hard line break starts a new one); a link's address follows
    its words when they do not give it, as a braille page cannot be clicked."""
    lines, line = [], []
    for node in inlines:
        if isinstance(node, LineBreak):
            lines.append("".join(line))
            line = []
        elif isinstance(node, Link):
            address = node.href.removeprefix("mailto:")
            line.append(node.text if address in node.text or node.href.startswith("#") else
                        f"{node.text} ({address})")
        elif isinstance(node, Text):
            line.append(node.text)
    lines.append("".join(line))
    return [" ".join(text.split()) for text in lines if text.strip()]
