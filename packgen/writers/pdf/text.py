"""Our own line breaker and text drawer for paragraphs, headings, list items and table cells.

Why not ReportLab's Paragraph: we need things it does not give us together. Each character is drawn
from the font that has it (fallbacks); a link's words get their own marked-content sequence inside
the line so they become a Link element; a wrapped line keeps a real space glyph at its end, so text
extraction and the tag tree have spaces between words; words are never hyphenated (one too long for
its line is cut where it fits) and lines are left-aligned, bar a table column aligned otherwise.
Measuring uses ReportLab's (C-accelerated) stringWidth, drawing its text object, so TrueType
subsetting and ToUnicode maps stay ReportLab's.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, shapeStr

from packgen.heading_links import FRAGMENT
from packgen.writers.invisible import visible
from packgen.writers.pdf.bidi import base_level, has_rtl, levels, needs_levels, visual_order
from packgen.writers.pdf.fonts import FontSet
from packgen.writers.pdf.pdffile import hex_text
from packgen.writers.pdf.tagging import Element, Tagger

_SPLIT = re.compile(r"(\n| +)")
# Where a web address too long for its line is cut, as the Chicago Manual of Style has it: after a
# colon or a double slash, before a single slash or other punctuation, before or after = and &. A
# line never ends in a hyphen, which readers (Poppler) take as a word hyphenated and join.
CUT_BEFORE = frozenset("/~.,-_?#%=&")
CUT_AFTER = frozenset(":=&")


def _cuts(text: str) -> list[int]:
    """Where `text` may be cut (k: between text[k - 1] and text[k]) as a web address is."""
    return [k for k in range(1, len(text)) if text[k - 1:k + 1] != "//" and (
        text[k] in CUT_BEFORE or text[k - 1] in CUT_AFTER or text[k - 2:k] == "//")]


@dataclass(frozen=True)
class Run:
    """A piece of text in one style, optionally inside a link (`link` is its Link element)."""

    text: str
    bold: bool = False
    italic: bool = False
    colour: str = "1A1A1A"
    link: Element | None = None
    href: str = ""


@dataclass(slots=True)
class Piece:
    """Text in one font: what a single Tj shows (never changed once made; not frozen, because a
    frozen dataclass is several times slower to make, and a paragraph makes one a word).

    `level` is the bidi embedding level (odd: right to left) and `base` the paragraph's. A shaped
    right-to-left piece's `text` is a ReportLab ShapedStr in visual order and `clusters` holds
    (logical letters, ShapedStr) per cluster, drawn each with its letters as ActualText.
    """

    text: str
    font: str
    width: float
    colour: str
    link: Element | None
    href: str
    level: int = 0
    base: int = 0
    clusters: tuple = ()
    order: int = 0  # where the piece starts in the paragraph's logical text
    logical: str = ""  # the piece's text in logical order, for a shaped piece


@dataclass
class Line:
    pieces: list[Piece]
    width: float
    trailing: Piece | None = None  # the space that ended a wrapped line, drawn so readers see it


@lru_cache(maxsize=1 << 16)
def text_width(text: str, font: str, size: float) -> float:
    """stringWidth, remembered: most words of a pack recur (and each space), and a look-up is a
    fraction of measuring again."""
    return stringWidth(text, font, size)


@cache
def rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _bases_first(chars: str, data: list) -> tuple[str, list]:
    """A cluster's glyphs with the advancing ones (letters) first and the marks (dots, vowel signs) after.

    HarfBuzz may put a zero-width mark before its letter; text extraction takes the first glyph's
    position as the cluster's start and, seeing a gap, breaks the word there. Marks moved after the
    letters keep their place on the page: their offset is reduced by the advance moved before them.
    """
    if len(data) < 2 or all(d.x_advance for d in data):
        return chars, data
    order = sorted(range(len(data)), key=lambda k: data[k].x_advance == 0)
    pen = 0.0
    at = []  # pen position of each glyph in the original order
    for d in data:
        at.append(pen)
        pen += d.x_advance
    out_chars, out_data = [], []
    pen = 0.0
    for k in order:
        d = data[k]
        out_chars.append(chars[k])
        out_data.append(ShapeData(d.cluster, d.x_advance, d.y_advance, d.x_offset + at[k] - pen, d.y_offset,
                                  d.width))
        pen += d.x_advance
    return "".join(out_chars), out_data


def _rtl_piece(text: str, font: str, size: float, run: Run, level: int, base: int) -> Piece:
    """A right-to-left piece shaped by HarfBuzz (through ReportLab): joined letters, placed marks."""
    shaped = shapeStr(text, font, size, force=True)
    data = list(getattr(shaped, "__shapeData__", ()))
    if not data:
        return Piece(text, font, text_width(text, font, size), run.colour, run.link, run.href, level, base)
    starts = sorted({d.cluster for d in data})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    clusters: list[tuple[str, ShapedStr]] = []
    i = 0
    while i < len(data):
        j = i
        while j < len(data) and data[j].cluster == data[i].cluster:
            j += 1
        chars, cdata = _bases_first(str(shaped)[i:j], data[i:j])
        split = next((k for k, d in enumerate(cdata) if d.x_advance == 0), len(cdata)) or len(cdata)
        marks = ShapedStr(chars[split:], shapeData=cdata[split:]) if split < len(cdata) else None
        clusters.append((text[data[i].cluster:ends[data[i].cluster]],
                         ShapedStr(chars[:split], shapeData=cdata[:split]), marks))
        i = j
    width = sum(d.x_advance for d in data) * size / 1000
    return Piece(shaped, font, width, run.colour, run.link, run.href, level, base, tuple(clusters), logical=text)


def shape(runs: list[Run], fonts: FontSet, size: float) -> list[list[Piece] | str]:
    """Runs -> tokens: a word is a list of pieces; " " (with its piece) and "\\n" are separators.

    Text is drawn in its NFC form (a letter and a combining accent become the accented letter
    where Unicode has one, so it comes from one font), without the characters print does not show
    (packgen.writers.invisible), which the bidi levels still count. Right-to-left runs are shaped
    here and put in visual order per line when drawn.
    """
    runs = [Run(unicodedata.normalize("NFC", r.text), r.bold, r.italic, r.colour, r.link, r.href) for r in runs]
    whole = "".join(r.text for r in runs)
    base = base_level(whole)
    lv = levels(whole, base) if base or needs_levels(whole) else None
    at = 0
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
                    tokens.append([Piece(" ", font, text_width(" ", font, size), run.colour, run.link,
                                         run.href, lv[at] if lv else 0, base, order=at)])
                    tokens.append(" ")
                at += len(part)
                continue
            for font, text in fonts.segments(part, run.bold, run.italic):
                if lv is None:
                    if drawn := visible(text):
                        word.append(Piece(drawn, font, text_width(drawn, font, size), run.colour, run.link,
                                          run.href))
                    at += len(text)
                    continue
                start = 0
                while start < len(text):  # one piece per level run
                    level = lv[at + start]
                    end = start + 1
                    while end < len(text) and lv[at + end] == level:
                        end += 1
                    chunk = text[start:end]
                    if level % 2 and has_rtl(chunk):
                        word.append(replace(_rtl_piece(chunk, font, size, run, level, base), order=at + start))
                    elif drawn := visible(chunk):
                        word.append(Piece(drawn, font, text_width(drawn, font, size), run.colour, run.link,
                                          run.href, level, base, order=at + start))
                    start = end
                at += len(text)
    if word:
        tokens.append(word)
    return tokens


def visual(line: Line) -> list[Piece]:
    """The line's pieces (and its trailing space) in drawing order: rules L1 and L2 of UAX #9."""
    pieces = line.pieces + ([line.trailing] if line.trailing else [])
    if not any(p.level for p in pieces):
        return pieces
    lv = [p.level for p in pieces]
    k = len(pieces)
    while k > 0 and pieces[k - 1].text == " ":  # L1: white space at the end of a line
        k -= 1
        lv[k] = pieces[k].base
    return visual_order(pieces, lv)


def break_lines(tokens: list[list[Piece] | str], width: float, size: float) -> list[Line]:
    """Greedy left-aligned breaking at spaces, text of `size` points; a word wider than the line (a web
    address, a long compound) is cut into lines that fit (see cut_word)."""
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
            if word_w > width:
                if current:
                    lines.append(Line(current, cur_w, pending))
                *whole, last = cut_word(word, width, size)
                lines.extend(Line(part, sum(p.width for p in part)) for part in whole)
                current, cur_w = last, sum(p.width for p in last)
            elif current and cur_w + extra + word_w > width:
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


def cut_word(word: list[Piece], width: float, size: float) -> list[list[Piece]]:
    """A word wider than the line, in parts that each fit: cut at the last place a web address parts
    (see CUT_BEFORE) that fits, else after the last letter that fits. A shaped right-to-left piece is
    never cut, nor a letter from the accent after it.

    Each part costs time in proportion to what it holds, not to what is left of the word: what fits
    is found by halving, and the rest of a cut piece is measured only as far as a line's width (a
    pasted-in word of a million letters is cut in seconds)."""
    parts: list[list[Piece]] = []
    rest = list(word)
    measured = True  # whether rest[0].width is its text's width: a cut piece's rest is measured when needed
    while True:
        if not measured:
            rest[0], measured = _measured(rest[0], width, size)
        if measured and sum(p.width for p in rest) <= width:
            break
        part: list[Piece] = []
        used = 0.0
        while rest:
            if not measured:
                rest[0], measured = _measured(rest[0], width, size)
                if not measured:  # wider than the line on its own
                    break
            if used + rest[0].width > width:
                break
            used += rest[0].width
            part.append(rest.pop(0))
        if not rest:  # every piece fitted after all (the widths' rounding): they are the last part
            rest = part
            break
        piece = rest[0]
        text = piece.text
        fits = 0 if piece.clusters else _most_that_fit(text, piece.font, size, used, width)
        marks = [k for k in _cuts(text[:fits + 1]) if k <= fits]
        at = marks[-1] if marks else fits
        while 0 < at < len(text) and unicodedata.combining(text[at]):
            at -= 1
        if at == 0 and not part:  # not one letter fits: the letter goes on the line anyway
            at = len(text) if piece.clusters else 1
        if at:
            head, tail = text[:at], text[at:]
            part.append(replace(piece, text=head, width=text_width(head, piece.font, size)))
            rest[0] = replace(piece, text=tail, width=0.0, order=piece.order + at)
            measured = not tail
            if not tail:
                rest.pop(0)
        parts.append(part)
    return [*parts, rest] if rest else parts


def _measured(piece: Piece, width: float, size: float) -> tuple[Piece, bool]:
    """The piece with its text's width, and True; or the piece as it is, and False, when a beginning
    of its text is already wider than `width` (measured in beginnings of doubling length)."""
    text = piece.text
    length = 64
    while length < len(text):
        if text_width(text[:length], piece.font, size) > width:
            return piece, False
        length *= 2
    return replace(piece, width=text_width(text, piece.font, size)), True


def _most_that_fit(text: str, font: str, size: float, used: float, width: float) -> int:
    """The most letters of `text` (fewer than all) whose width, after `used`, is within `width`; 0 for
    none. The width of a beginning grows with its length, so the answer is found by halving."""
    def fit(k: int) -> bool:
        return used + text_width(text[:k], font, size) <= width

    if len(text) < 2 or not fit(1):
        return 0
    good, bad = 1, 2
    while bad < len(text) and fit(bad):
        good, bad = bad, bad * 2
    bad = min(bad, len(text))
    while bad - good > 1:
        middle = (good + bad) // 2
        good, bad = (middle, bad) if fit(middle) else (good, middle)
    return good


def draw_lines(canv, tagger: Tagger, element: Element | None, lines: list[Line], x: float, top: float,
               size: float, leading: float, artifact: tuple[str, str] = ("Layout", ""),
               align: str = "left", width: float = 0.0) -> None:
    """Draw lines inside one text object, each piece in the marked content of its element; `align`
    "right" or "center" places each line so in `width` (a table column's alignment).

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
    # Plain pieces in a row with the same font, colour and owner are shown as one string: ReportLab's
    # textOut costs the same for a word as for a line, and the advance is the sum of the widths.
    plain: list[str] = []

    def show() -> None:
        if plain:
            tx.textOut("".join(plain))
            plain.clear()

    for line in lines:
        pos = x + {"right": width - line.width, "center": (width - line.width) / 2}.get(align, 0.0)
        tx.setTextOrigin(pos, baseline)
        drawn = visual(line)
        spans = _rtl_spans(tagger, drawn, element) if element is not None else {}
        for n, piece in enumerate(drawn):
            want = spans.get(n) or ((piece.link or element) if element is not None else None)
            if want is not owner:
                show()
                tagger.end(sink)
                tagger.begin(sink, want)
                owner = want
            if piece.font != font:
                show()
                tx.setFont(piece.font, size, leading)
                font = piece.font
            if piece.colour != colour:
                show()
                tx.setFillColorRGB(*rgb(piece.colour))
                colour = piece.colour
            if piece.clusters:
                show()
                # each shaped cluster also carries its letters as ActualText on its own marked
                # content, so copying and text extraction (which orders right-to-left text by
                # position) get the letters as written, whatever glyphs drew them
                # Zero-width marks follow their letters in a span of no text: extraction takes a
                # span's extent from its first and last glyphs, and a mark set off to one side
                # would look like a gap between words.
                for letters, glyphs, marks in piece.clusters:
                    for words, shown in ((letters, glyphs), ("", marks)):
                        if shown is None:
                            continue
                        sink(f"/Span <</ActualText {hex_text(words)}>> BDC")
                        # ReportLab's shaped drawing sets a rise (a mark's y offset) only after a
                        # font operator; forgetting the subset makes it write one (setRise needs it)
                        tx._curSubset = -1
                        tx.textOut(shown)
                        sink("EMC")
            else:
                plain.append(piece.text)
            if piece.link is not None and element is not None:
                last = links[-1] if links else None
                if last and last[0] is piece.link and abs(last[3] - pos) < 0.01 and last[4] == baseline:
                    links[-1] = (*last[:3], pos + piece.width, *last[4:])
                elif piece.text != " ":
                    links.append((piece.link, piece.href, pos, pos + piece.width, baseline, piece.colour))
            pos += piece.width
        show()
        baseline -= leading
    tagger.end(sink)
    canv.drawText(tx)
    if links:
        _link_annotations(canv, tagger, links, size)


def _rtl_spans(tagger: Tagger, drawn: list[Piece], element: Element) -> dict[int, Element]:
    """A Span element for each right-to-left stretch of a line, holding its letters in logical order.

    Shaped glyphs drawn right to left do not read back as the letters typed, so each stretch is its
    own marked content, owned by a Span whose /ActualText is the stretch as written.
    """
    out: dict[int, Element] = {}
    n = 0
    while n < len(drawn):
        if drawn[n].level == 0 or not any(p.clusters for p in drawn[n:n + 1]):
            n += 1
            continue
        owner = drawn[n].link or element
        m = n
        while m < len(drawn) and drawn[m].level > 0 and (drawn[m].link or element) is owner:
            m += 1
        group = drawn[n:m]
        if any(p.clusters for p in group):
            words = "".join(p.logical or p.text for p in sorted(group, key=lambda p: p.order))
            span = tagger.element("Span", owner, actual_text=words)
            for k in range(n, m):
                out[k] = span
        n = m
    return out


def destination(anchor: str) -> str:
    """The name of the place a heading is drawn at (its outline entry's), which a link to it leads to."""
    return f"h-{anchor}"


def _link_annotations(canv, tagger: Tagger, links, size: float) -> None:
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFString

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
        rect = (x0, y - size * 0.25, x1, y + size * 0.85)
        if not href.startswith(FRAGMENT):
            canv.linkURL(href, rect, relative=1, thickness=0, Contents=PDFString(el.contents or href),
                         StructParent=key)
            continue
        # A link to a heading goes to the page it is drawn on (ISO 32000-1, 12.3.2), not to a web address.
        # ReportLab's own linkRect takes no /StructParent, which the tag tree needs.
        canv._addAnnotation(PDFDictionary({
            "Type": PDFName("Annot"), "Subtype": PDFName("Link"), "Rect": PDFArray(canv._absRect(rect, 1)),
            "Border": PDFArray([0, 0, 0]), "Dest": canv._bookmarkReference(destination(href[len(FRAGMENT):])),
            "Contents": PDFString(el.contents or href), "StructParent": key}))
