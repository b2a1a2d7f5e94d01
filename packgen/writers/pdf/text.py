"""Our own line breaker and text drawer for paragraphs, headings, list items and table cells.

Why not ReportLab's Paragraph: we need things it does not give us together. Each character is drawn
from the font that has it (fallbacks); a link's words get their own marked-content sequence inside
the line so they become a Link element; a wrapped line keeps a real space glyph at its end, so text
extraction and the tag tree have spaces between words; words are never hyphenated and lines are
always left-aligned. Measuring uses ReportLab's (C-accelerated) stringWidth, drawing its text
object, so TrueType subsetting and ToUnicode maps stay ReportLab's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from reportlab.pdfbase.pdfmetrics import stringWidth

from packgen.writers.pdf.fonts import FontSet
from packgen.writers.pdf.tagging import Element, Tagger

_SPLIT = re.compile(r"(\n| +)")


@dataclass(frozen=True)
class Run:
    """A piece of text in one style, optionally inside a link (`link` is its Link element)."""

    text: str
    bold: bool = False
    italic: bool = False
    colour: str = "1A1A1A"
    link: Element | None = None
    href: str = ""


@dataclass(frozen=True)
class Piece:
    """Text in one font: what a single Tj shows."""

    text: str
    font: str
    width: float
    colour: str
    link: Element | None
    href: str


@dataclass
class Line:
    pieces: list[Piece]
    width: float
    trailing: Piece | None = None  # the space that ended a wrapped line, drawn so readers see it


@cache
def rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def shape(runs: list[Run], fonts: FontSet, size: float) -> list[list[Piece] | str]:
    """Runs -> tokens: a word is a list of pieces; " " (with its piece) and "\\n" are separators."""
    tokens: list[list[Piece] | str] = []
    word: list[Piece] = []
    for run in runs:
        for part in _SPLIT.split(run.text):
            if not part:
                continue
            if part == "\n" or part[0] == " ":
                if word:
                    tokens.append(word)
                    word = []
                if part == "\n":
                    tokens.append("\n")
                else:
                    font = fonts.body.names["bold" if run.bold else "regular"]
                    tokens.append([Piece(" ", font, stringWidth(" ", font, size), run.colour, run.link,
                                         run.href)])
                    tokens.append(" ")
                continue
            for font, text in fonts.segments(part, run.bold, run.italic):
                word.append(Piece(text, font, stringWidth(text, font, size), run.colour, run.link, run.href))
    if word:
        tokens.append(word)
    return tokens


def break_lines(tokens: list[list[Piece] | str], width: float) -> list[Line]:
    """Greedy left-aligned breaking at spaces; a word wider than the line gets a line of its own."""
    lines: list[Line] = []
    current: list[Piece] = []
    cur_w = 0.0
    pending: Piece | None = None  # a space waiting to see whether the next word fits
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok == "\n":
            lines.append(Line(current, cur_w))
            current, cur_w, pending = [], 0.0, None
        elif i + 1 < n and tokens[i + 1] == " ":
            space = tok[0]  # type: ignore[index]
            if current:
                pending = space  # type: ignore[assignment]
            i += 1
        else:
            word: list[Piece] = tok  # type: ignore[assignment]
            word_w = sum(p.width for p in word)
            extra = pending.width if pending else 0.0
            if current and cur_w + extra + word_w > width:
                lines.append(Line(current, cur_w, pending))
                current, cur_w = list(word), word_w
            else:
                if pending:
                    current.append(pending)
                current.extend(word)
                cur_w += extra + word_w
            pending = None
        i += 1
    if current or not lines:
        lines.append(Line(current, cur_w))
    return lines


def draw_lines(canv, tagger: Tagger, element: Element | None, lines: list[Line], x: float, top: float,
               size: float, leading: float, artifact: tuple[str, str] = ("Layout", "")) -> None:
    """Draw lines inside one text object, each piece in the marked content of its element.

    The element's sequence opens right after BT and closes right before ET, so marked content and
    the text object nest properly; a link's pieces close it and open a sequence of their Link.
    Link annotations are added after the text with their /StructParent and /Contents. With no
    element the text is an artifact of the given (type, subtype): a footer, a repeated table header.
    """
    tx = canv.beginText(x, top)
    code = tx._code
    sink = code.append
    owner = element
    if element is None:
        tagger.artifact(sink, *artifact)
    else:
        tagger.begin(sink, element)
    font = ""
    colour = ""
    links: list[tuple[Element, str, float, float, float, str]] = []
    baseline = top - (leading - size) / 2 - size * 0.8
    for line in lines:
        tx.setTextOrigin(x, baseline)
        pos = x
        pieces = line.pieces + ([line.trailing] if line.trailing else [])
        for piece in pieces:
            want = (piece.link or element) if element is not None else None
            if want is not owner:
                tagger.end(sink)
                tagger.begin(sink, want)
                owner = want
            if piece.font != font:
                tx.setFont(piece.font, size, leading)
                font = piece.font
            if piece.colour != colour:
                tx.setFillColorRGB(*rgb(piece.colour))
                colour = piece.colour
            tx.textOut(piece.text)
            if piece.link is not None and element is not None:
                last = links[-1] if links else None
                if last and last[0] is piece.link and abs(last[3] - pos) < 0.01 and last[4] == baseline:
                    links[-1] = (*last[:3], pos + piece.width, *last[4:])
                elif piece.text != " ":
                    links.append((piece.link, piece.href, pos, pos + piece.width, baseline, piece.colour))
            pos += piece.width
        baseline -= leading
    tagger.end(sink)
    canv.drawText(tx)
    if links:
        _link_annotations(canv, tagger, links, size)


def _link_annotations(canv, tagger: Tagger, links, size: float) -> None:
    from reportlab.pdfbase.pdfdoc import PDFString

    canv.saveState()
    tagger.artifact(canv._code.append)
    for _, _, x0, x1, y, colour in links:
        canv.setStrokeColorRGB(*rgb(colour))
        canv.setLineWidth(max(0.6, size / 16))
        canv.line(x0, y - size * 0.12, x1, y - size * 0.12)
    tagger.end(canv._code.append)
    canv.restoreState()
    for el, href, x0, x1, y, _ in links:
        if el is None:
            continue
        key = tagger.annotation(el)
        canv.linkURL(href, (x0, y - size * 0.25, x1, y + size * 0.85), relative=1, thickness=0,
                     Contents=PDFString(el.contents or href), StructParent=key)
