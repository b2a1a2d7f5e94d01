"""Braille paragraphs on pages: lines of at most 40 cells, pages of 25 lines, the braille page number
at the foot of each page on the right (UKAAF: top or bottom right), pages ended by a form feed.

Every page after the first starts with a running head, the document's title centred on the top line
and shortened at a word to leave three blank cells each side (BANA's Braille Formats 1.8, which UKAAF's
page information line agrees with), so a reader who picks up a loose page knows what it belongs to. A
title is shortened in print, then translated: a cut after a dash or other joining punctuation leaves
it out, and the braille of the words kept is the braille a reader gets for them alone (a cut in the
braille would keep the dash, which some codes write joined to the word before it)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from packgen.writers.brf.layout import Para

CELLS = 40  # cells per line
LINES = 25  # lines per page, the last one the page number's
TEXT_LINES = LINES - 1
CENTRE_MARGIN = 3  # a centred heading leaves at least three blank cells each side
CENTRED_CELLS = CELLS - 2 * CENTRE_MARGIN  # the room of a centred line: a heading, the running head
# What joins a title's words to the words after it, besides a dash or an opening bracket or quotation
# mark (Unicode's Pd, Ps, Pi): a running head cut after one would end joined to nothing.
JOINING = ",;:/&+"
KEEP_AFTER_HEADING = 2  # a heading is never left at the foot of a page without two lines of text after it
# UEB's transcriber's note indicators, as BRF's ASCII: dots 4-46-126 open the note, dots 4-46-345 close it.
NOTE_OPEN, NOTE_CLOSE = "@.<", "@.>"


@dataclass(frozen=True)
class Laid:
    """A paragraph's braille lines, and the blank lines it wants around it."""

    lines: tuple[str, ...]
    blank_before: bool
    blank_after: bool
    heading: bool


def lay(para: Para, cells: str) -> Laid:
    """One paragraph's braille (`cells`, one line of BRF ASCII) broken into lines."""
    if para.note:
        cells = f"{NOTE_OPEN}{cells}{NOTE_CLOSE}"
    if para.kind == "centred":
        lines = tuple(_centred(line) for line in _wrap(cells, CENTRED_CELLS, 0, 0))
    else:
        lines = tuple(_wrap(cells, CELLS, para.first, para.runover))
    return Laid(lines, para.blank_before, para.blank_after, para.kind != "text")


def _centred(line: str) -> str:
    return " " * ((CELLS - len(line)) // 2) + line


def running_head(title: str, braille: Callable[[list[str]], list[str]]) -> str:
    """The title's braille (`braille` translates print) as the top line of a page: centred, its last words
    left off until it fits, and no dash or other joining punctuation left at the end of a cut."""
    words = title.split()
    cuts = [title, *(_unjoined(" ".join(words[:kept])) for kept in range(len(words) - 1, 0, -1))]
    cells = ""
    for cut in dict.fromkeys(cut for cut in cuts if cut):
        cells = braille([cut])[0]
        if len(cells) <= CENTRED_CELLS:
            break
    return _centred(cells[:CENTRED_CELLS])  # a first word too long for the line is cut in it


def _unjoined(words: str) -> str:
    """Words without the joining punctuation (and spaces) at their end."""
    end = len(words)
    while end and (words[end - 1].isspace() or words[end - 1] in JOINING
                   or unicodedata.category(words[end - 1]) in ("Pd", "Ps", "Pi")):
        end -= 1
    return words[:end]


def _wrap(cells: str, width: int, first: int, runover: int) -> list[str]:
    """Lines of at most `width` cells, broken at spaces; a word too long for a line is split across lines."""
    lines: list[str] = []
    line, indent = "", first
    for word in cells.split():
        while word:
            if len(word) <= width - indent - (len(line) + 1 if line else 0):
                line, word = f"{line} {word}" if line else word, ""
            elif line:
                lines.append(" " * indent + line)
                line, indent = "", runover
            else:  # longer than a whole line
                room = width - indent
                lines.append(" " * indent + word[:room])
                word, indent = word[room:], runover
    if line:
        lines.append(" " * indent + line)
    return lines


def paginate(laid: list[Laid], headed: bool = False) -> list[list[str]]:
    """The text lines of each page; no page starts with a blank line. A page has TEXT_LINES lines for
    its text, one fewer after the first when `headed` (the running head takes the top line)."""
    pages: list[list[str]] = [[]]
    blank_due = False

    def room() -> int:
        return TEXT_LINES - (1 if headed and len(pages) > 1 else 0)

    for number, para in enumerate(laid):
        page = pages[-1]
        blank = bool(page) and (blank_due or para.blank_before)
        if para.heading:  # the heading, a blank line and two lines of what follows it stay together; text flows on
            following = laid[number + 1].lines[:KEEP_AFTER_HEADING] if number + 1 < len(laid) else ()
            needed = (1 if blank else 0) + len(para.lines) + (1 if para.blank_after else 0) + len(following)
        else:
            needed = 2 if blank else 1  # a blank line is never the last on a page
        if page and len(page) + needed > room():
            pages.append([])
            page, blank = pages[-1], False
        if blank:
            page.append("")
        for line in para.lines:
            if len(page) == room():
                pages.append([])
                page = pages[-1]
            page.append(line)
        blank_due = para.blank_after
    return pages


def render(pages: list[list[str]], numbers: list[str], head: str = "") -> bytes:
    """The BRF file: the running head atop each page after the first, each page's lines, padded to the
    page number's line, then a form feed."""
    out = []
    for index, (lines, number) in enumerate(zip(pages, numbers, strict=True)):
        top = [head] if head and index else []
        padded = [*top, *lines, *([""] * (TEXT_LINES - len(top) - len(lines))), number.rjust(CELLS)]
        out.append("\r\n".join(line.rstrip() for line in padded) + "\r\n\f")
    return "".join(out).encode("ascii")
