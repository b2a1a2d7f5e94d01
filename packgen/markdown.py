"""Markdown (as rendered by the templates) -> the document model.

markdown-it-py gives a flat token stream; a table of rules keyed by token type turns each block
into a model node, the way markdown-it's own renderer works. A construct we cannot render
accessibly in every format (raw HTML, an image in the middle of a sentence...) is an error naming
where it came from, never silently dropped.

Beyond CommonMark: pipe tables; `::: page-break` / `:::`; `::: for pdf docx` / `:::` around what only
those formats show (a format's own instructions); a fenced block ```` ```form ```` holding
the JSON of a FormBlock; a paragraph holding only a picture is a Figure (its title is the caption);
a bulleted list whose every item starts with a picture is a run of easy-read PictureRows; a table
with `{.checklist}` on the line above it (markdown-it's block attributes) is a checklist, its empty
answer cells tick boxes, and with `{.fill-in}` its empty answer cells are boxes to type in (see
`answer_cells`); `{#id}` on the line above a heading names the source section it opens (section()
writes it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, get_args
from urllib.parse import unquote

from packgen import writers
from packgen.errors import PackgenError
from packgen.ids import slug, unclosed_attributes
from packgen.model import (
    Block,
    FieldType,
    Figure,
    FormBlock,
    FormField,
    Heading,
    InFormats,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Picture,
    PictureRow,
    Table,
    TableCell,
    Text,
    walk,
)
from packgen.pictures import UnusablePicture

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

CONTAINERS = ("page-break", "for")
FIELD_TYPES = get_args(FieldType)
CHECKLIST = "checklist"  # the class that makes a table a checklist: {.checklist} above it
# Each mark a table can have, and what its empty answer cells become.
TABLE_MARKS = {CHECKLIST: "checkbox", "fill-in": "text"}
Resolver = Callable[[str], "Path | None"]
# What to write in place of an HTML tag a source holds (raw HTML is never drawn: text is data).
HTML_INSTEAD = {
    "b": "**bold**", "strong": "**bold**", "i": "*italic*", "em": "*italic*",
    "u": "**bold** (underlined words look like links)", "br": "a backslash (\\) at the end of the line",
    "a": "[the words](the address)", "img": "![what it shows](picture name) on a line of its own",
    "p": "a blank line between paragraphs", "ul": "a list: one line starting '- ' for each point",
    "ol": "a numbered list: lines starting '1. ', '2. '...", "li": "a list: one line starting '- ' for each point",
    "h2": "a heading: '## '", "h3": "a heading: '### '", "h4": "a heading: '#### '",
    "table": "a table: lines of cells between '|'", "hr": "'::: page-break' then ':::' for a new page",
}
_TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)")
FOOTNOTES = "footnotes ('{shown}') are not supported in packs: put the note in the text itself, in brackets after " \
            "the words it is about"
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]+\]")  # a footnote's mark with no note: markdown-it leaves it as text
# Links no reader should be handed: markdown-it would print them as plain text, brackets and all, so
# packgen says so instead (its own rule, markdown-it's validateLink, is turned off for it).
_REFUSED_LINK = re.compile(r"\s*(javascript|vbscript|file|data):", re.IGNORECASE)
# A link to a Markdown file ('pledge-form.md', '../charter.md#plan'): no built file is one, so it leads
# nowhere in every format. An address with a scheme (https://.../README.md) is a web page's, and goes.
_MARKDOWN_FILE_LINK = re.compile(r"^(?![A-Za-z][A-Za-z0-9+.-]*:)[^?#]*\.(md|markdown)([?#].*)?$", re.IGNORECASE)
# Where in the written line a link's address is: ']( )', '](<>)' for an empty one.
_EMPTY_ADDRESS = re.compile(r"\]\(\s*(<\s*>)?\s*\)")
# Characters nobody means to print: control characters, U+FFFD (what markdown-it puts for &#0; and
# other entities with no character) and Unicode's noncharacters, which no document format may hold.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffd-\uffff"
                          + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
                          + "]")
_FOOTNOTE_DEFINITION = re.compile(r"^[ ]{0,3}\[\^([^\]]+)\]:")


@cache
def parser() -> MarkdownIt:
    """One configured parser: CommonMark, plus tables and containers; raw HTML, footnotes and
    crossed-out text are parsed only so that a source holding them is told what to write instead
    (they would otherwise print as the characters typed, or vanish).

    markdown-it is imported here, not with this module: a rebuild takes most texts' blocks from the
    cache (packgen.markdown_cache) and never needs it.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_block_plugin
    from mdit_py_plugins.container import container_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(footnote_plugin)
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # _REFUSED_LINK says why instead
    md.use(attrs_block_plugin)
    md.core.ruler.before("attr", "mark_lines", _remember_mark_lines)
    for name in CONTAINERS:
        md.use(container_plugin, name=name)
    return md


def _remember_mark_lines(state: StateCore) -> None:
    """Keep on each block the lines above it that mark it ({.checklist}), each with what it writes:
    markdown-it merges them into the block and drops them, and a wrong mark is to be named at its own
    line. They go where markdown-it puts their attributes: on the next block, unless a block closes."""
    marks: list[tuple[int, dict]] = []
    for token in state.tokens:
        if token.type == "attrs_block" and token.map and not token.attrs:  # a line in braces marking nothing
            state.env.setdefault(_MARKING_NOTHING, []).append(token.map[0])
        elif token.type == "attrs_block" and token.map:
            marks.append((token.map[0], dict(token.attrs)))
        elif marks:
            if token.nesting >= 0:
                token.meta["marks"] = marks
            marks = []


def checklist_label(statement: str, column: str) -> str:
    """An answer cell's accessible name: its row's statement, then its column, e.g. "We pay people: Not yet"."""
    return f"{statement.rstrip(' .:')}: {column}"


# `{#id}`, `{.class}` or `{key=value}` at a heading's end: pandoc's heading attributes, of which a
# heading takes its id (a source's '## ' section heading takes more: packgen.sources.sections).
HEADING_ATTRIBUTES = re.compile(r"\s\{\s*(?:#[\w-]+|\.[\w-]+|[\w-]+=)[^{}]*\}\s*$")
HEADING_ID = re.compile(r"\s*\{\s*#([\w-]+)\s*\}\s*$")


_MARKING_NOTHING = "packgen_marking_nothing"  # the env's list of lines in braces that mark nothing
TABLE_CELL_BAR = re.compile(r"(?<!\\)\|")  # a '|' that parts a table row's cells ('\|' is a bar in a cell)


def _written_marks(attrs: dict) -> list[str]:
    """The marks a block's attributes hold as a source writes them: its classes, then '#' and its id."""
    return str(attrs.get("class", "") or "").split() + (["#" + str(attrs["id"])] if "id" in attrs else [])


class MarkdownError(PackgenError):
    """Markdown that cannot become a model; `line` is within the text given to `parse`.

    `value` is the piece of text the mistake is in (a picture's name, a link's address, a field's
    type) when the rest is right: a template may have carried it from a source, whose line is
    then the place to fix it (packgen.compose).
    """

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None,
                 value: str | None = None):
        super().__init__(message, path, line)
        self.value = value

    def __reduce__(self):
        return (type(self), (self.message, self.path, self.line, self.value))


def parse(text: str, resolve_picture: Resolver, where: Path | str = "<markdown>", first_line: int = 1) -> \
        tuple[Block, ...]:
    """Parse Markdown into model blocks. Errors name `where` and the line (offset by first_line).

    `resolve_picture` turns a picture's name into its file: None when there is none, raising
    pictures.UnusablePicture when the file is there but cannot be drawn (pictures.resolve does both).
    """
    env: dict = {}
    tokens = parser().parse(text, env)
    builder = _Builder(tokens, resolve_picture, Path(str(where)), first_line, text)
    blocks = tuple(builder.blocks(len(tokens)))
    _check_footnote_definitions(text, env, Path(str(where)), first_line)
    _check_marking_nothing(text, env, Path(str(where)), first_line)
    return blocks


def _check_marking_nothing(text: str, env: dict, where: Path, first_line: int) -> None:
    """A line in braces that is no mark ({% if x %}, pasted from a template) is dropped by markdown-it
    from every format without a word: name it instead."""
    for n in env.get(_MARKING_NOTHING, [])[:1]:
        shown = text.split("\n")[n].strip()
        raise MarkdownError(f"'{shown}' is not a mark packgen knows, so it would be left out of every format: "
                            "sources hold words (template code such as {% if %} goes in a template); delete the "
                            "line, or write its words without the braces", where, first_line + n)


def _check_footnote_definitions(text: str, env: dict, where: Path, first_line: int) -> None:
    """A footnote no text refers to leaves no token at all: find its line in the text."""
    if not (env.get("footnotes") or {}).get("refs"):
        return
    for n, line in enumerate(text.split("\n")):
        found = _FOOTNOTE_DEFINITION.match(line)
        if found:
            raise MarkdownError(FOOTNOTES.format(shown=f"[^{found.group(1)}]: ..."), where, first_line + n)


class _Builder:
    def __init__(self, tokens: list[Token], resolve: Resolver, where: Path, first_line: int, text: str):
        self.tokens = tokens
        self.lines = text.split("\n")  # the Markdown as written: what markdown-it leaves out is found here
        self.pos = 0
        self.resolve = resolve
        self.where = where
        self.first_line = first_line
        self.anchors: set[str] = set()
        self.heading_level = 0  # the level of the last heading read
        self.heading_anchor = ""  # the anchor of the last heading read: a checklist's fields are named by it
        self.checklists: set[str] = set()  # the id prefixes of this text's checklists, each its own
        self.rules: dict[str, Callable[[Token], Block | list[Block] | None]] = {
            "heading_open": self.heading,
            "paragraph_open": self.paragraph,
            "bullet_list_open": self.bullet_list,
            "ordered_list_open": self.ordered_list,
            "table_open": self.table,
            "fence": self.fence,
            "code_block": self.code_block,
            "container_page-break_open": self.page_break,
            "container_for_open": self.in_formats,
            "hr": self.hr,
            "blockquote_open": self.blockquote,
            "html_block": self.html_block,
            "footnote_block_open": self.footnote_block,
        }

    # -- helpers --------------------------------------------------------------------------

    def error(self, message: str, token: Token | None, value: str | None = None) -> MarkdownError:
        line = None
        if token is not None and token.map:
            line = token.map[0] + self.first_line
        return MarkdownError(message, self.where, line, value)

    def mark_error(self, message: str, token: Token, mark: str | None = None) -> MarkdownError:
        """An error about a mark ('checklst', '#plan'; any when None), at the line above the block that
        writes it."""
        for line, attrs in reversed(token.meta.get("marks", [])):
            if mark is None or mark in _written_marks(attrs):
                return MarkdownError(message, self.where, line + self.first_line)
        return self.error(message, token)

    def next(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def blocks(self, end: int, close: str | None = None) -> list[Block]:
        out: list[Block] = []
        while self.pos < end:
            token = self.tokens[self.pos]
            if close and token.type == close:
                self.pos += 1
                return out
            self.pos += 1
            rule = self.rules.get(token.type)
            if rule is None:
                raise self.error(f"this Markdown ({token.type.replace('_', ' ')}) is not supported in packs: write "
                                 "it as paragraphs, lists, tables or pictures", token)
            marked = set(token.attrs) - ({"start"} if token.type == "ordered_list_open" else set())
            if marked and (token.type != "table_open" or marked - {"class", "id"}) \
                    and (token.type != "heading_open" or marked != {"id"}):
                raise self.mark_error("a line such as {.checklist} marks the table just below it: put it on "
                                      "the line above a table", token)
            result = rule(token)
            if isinstance(result, list):
                out.extend(result)
            elif result is not None:
                out.append(result)
        return out

    # -- block rules ------------------------------------------------------------------------

    def heading(self, token: Token) -> Heading:
        if token.markup in ("=", "-"):  # a setext heading: text underlined, easily meant as a rule below it
            raise self.error(f"the line of '{token.markup * 3}' under this text makes it a heading: write a "
                             f"heading as '{'#' * int(token.tag[1])} ' and its words, or delete the line", token)
        inline = self.next()
        self.next()  # heading_close
        children = self.inlines(inline)
        last = children[-1] if children and isinstance(children[-1], Text) else None
        written = HEADING_ID.search(last.text) if last else None
        if written:  # pandoc's `### Words {#id}`: the heading's own link id
            words = last.text[:written.start()].rstrip()
            children = [*children[:-1], *([replace(last, text=words)] if words else [])]
        elif attributes := HEADING_ATTRIBUTES.search(inline.content):
            raise self.error(f"'{attributes[0].strip()}' after a heading: a heading takes only an id, written "
                             "{#like-this}", token)
        elif unclosed := unclosed_attributes(inline.content):
            raise self.error(unclosed, token)
        level = int(token.tag[1])
        self.heading_level = level
        words = "".join(c.text for c in children if isinstance(c, Text))
        if not children:
            raise self.error(f"this heading has no words: write them after the '{'#' * level} '", token)
        heading = Heading(level=level, children=children,
                          anchor=self.own_anchor(written[1], token) if written else self.anchor(words),
                          section=str(token.attrs.get("id", "")))
        self.heading_anchor = heading.anchor
        return heading

    def own_anchor(self, anchor: str, token: Token) -> str:
        """An id the source gave a heading, which must be its alone."""
        if anchor in self.anchors:
            raise self.error(f"two headings have the id '{anchor}': give one an id of its own", token)
        self.anchors.add(anchor)
        return anchor

    def anchor(self, words: str) -> str:
        """A stable id from the words, unique in the document."""
        base = slug(words) or "section"
        anchor, n = base, 2
        while anchor in self.anchors:
            anchor, n = f"{base}-{n}", n + 1
        self.anchors.add(anchor)
        return anchor

    def paragraph(self, token: Token) -> Block | None:
        inline = self.next()
        self.next()  # paragraph_close
        for n, line in enumerate(inline.content.split("\n")):
            if line.startswith(":::"):  # a block markdown-it did not open: its marks would be printed
                words = (f"'{line}' is not a block packgen knows: write '::: for' and the formats, or "
                         "'::: page-break'") if line.strip(": ") else \
                    "this ':::' closes no block: delete it, or open its block on a line above"
                raise MarkdownError(words, self.where, token.map[0] + self.first_line + n if token.map else None)
        if all(line.strip().startswith("|") and line.strip().endswith("|") for line in inline.content.split("\n")):
            # Rows markdown-it did not take for a table: their bars would be printed as they are.
            raise MarkdownError("these lines look like a table, but are read as text: a table needs its heading "
                                "row, then a line like '| --- | --- |' with one '---' for each column",
                                self.where, token.map[0] + self.first_line if token.map else None)
        kids = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
        if not kids:
            return None  # only a picture that opened an easy-read point was here
        if len(kids) == 1 and kids[0].type == "image":
            picture, caption = self.picture(kids[0], inline)
            return Figure(picture=picture, caption=caption)
        return Paragraph(children=self.inlines(inline))

    def picture(self, image: Token, at: Token) -> tuple[Picture, tuple[Inline, ...]]:
        src = unquote(str(image.attrs.get("src", "")))  # markdown-it percent-encodes spaces
        alt = image.content.strip()
        if not alt:
            raise self.error(f"the picture '{src}' has no alt text: write what it shows in ![...]({src})", at, src)
        try:
            path = self.resolve(src)
        except UnusablePicture as exc:
            raise self.error(f"the picture '{src}' cannot be used: {exc}", at, src) from None
        if path is None:
            raise self.error(f"the picture '{src}' was not found (put it in the pictures folder, or name an "
                             "OpenMoji pictogram such as 'handshake')", at, src)
        title = str(image.attrs.get("title", "") or "")
        caption: tuple[Inline, ...] = (Text(title),) if title else ()
        return Picture(path=path, alt=alt), caption

    def _list_items(self, close: str) -> list[tuple[Token, ListItem]]:
        items: list[tuple[Token, ListItem]] = []
        while True:
            token = self.next()
            if token.type == close:
                return items
            if token.type != "list_item_open":
                raise self.error("unexpected content in a list", token)
            items.append((token, ListItem(children=tuple(self.blocks(len(self.tokens), "list_item_close")))))

    def bullet_list(self, token: Token) -> Block | list[Block]:
        leads = self._leading_pictures(token)
        items = self._list_items("bullet_list_close")
        if not any(leads):
            return ListBlock(ordered=False, items=tuple(item for _, item in items))
        if not all(leads):
            raise self.error("in a list of easy-read points, every point starts with a picture", token)
        rows: list[Block] = []
        for (_, item), lead in zip(items, leads, strict=True):
            image, inline = lead  # type: ignore[misc]
            picture, _ = self.picture(image, inline)
            if not item.children:
                raise self.error("an easy-read point needs words after its picture", inline, picture.alt)
            rows.append(PictureRow(picture=picture, children=item.children))
        return rows

    def _leading_pictures(self, token: Token) -> list[tuple[Token, Token] | None]:
        """For each item of this list, the picture it opens with (taken out of its text), or None."""
        leads: list[tuple[Token, Token] | None] = []
        depth = token.level
        i = self.pos
        while i < len(self.tokens):
            t = self.tokens[i]
            if t.type == "bullet_list_close" and t.level == depth:
                break
            if t.type == "list_item_open" and t.level == depth + 1:
                inline = self.tokens[i + 2] if i + 2 < len(self.tokens) else None
                kids = inline.children if inline is not None and inline.type == "inline" else None
                if kids and kids[0].type == "image":
                    image = kids.pop(0)
                    while kids and (kids[0].type == "softbreak" or (kids[0].type == "text"
                                                                     and not kids[0].content.strip())):
                        kids.pop(0)
                    if kids and kids[0].type == "text":
                        kids[0].content = kids[0].content.lstrip()
                    leads.append((image, inline))  # type: ignore[arg-type]
                else:
                    leads.append(None)
            i += 1
        return leads

    def ordered_list(self, token: Token) -> ListBlock:
        start = int(token.attrs.get("start", 1) or 1)
        items = self._list_items("ordered_list_close")
        return ListBlock(ordered=True, items=tuple(item for _, item in items), start=start)

    def table(self, token: Token) -> Table:
        header: list[TableCell] = []
        rows: list[tuple[TableCell, ...]] = []
        row_tokens: list[Token] = []  # each row below the heading row's own: an error about a row names its line
        current: list[TableCell] = []
        while True:
            t = self.next()
            if t.type == "table_close":
                break
            if t.type == "tr_open" and header:
                self.check_row_width(t, len(header))
                row_tokens.append(t)
            if t.type in ("th_open", "td_open"):
                inline = self.next()
                self.next()
                style = str(t.attrs.get("style", "") or "")
                align = "center" if "center" in style else "right" if "right" in style else "left"
                current.append(TableCell(children=self.inlines(inline), align=align))  # type: ignore[arg-type]
            elif t.type == "tr_close":
                if not header:
                    header = current
                else:
                    rows.append(tuple(current))
                current = []
        table = Table(header=tuple(header), rows=tuple(rows))
        marks = str(token.attrs.get("class", "") or "").split()
        unknown = [m for m in _written_marks(token.attrs) if m not in TABLE_MARKS]
        if unknown:
            raise self.mark_error(f"the table mark '{unknown[0]}' is unknown: packgen knows "
                                  f"{' and '.join('{.' + m + '}' for m in TABLE_MARKS)}", token, unknown[0])
        if len(marks) > 1:
            raise self.mark_error("a table is a checklist or a table to fill in, not both: keep one mark", token,
                                  marks[-1])
        return self.answer_cells(table, token, row_tokens, TABLE_MARKS[marks[0]]) if marks else table

    def check_row_width(self, row: Token, columns: int) -> None:
        """A row with more cells than the heading row: markdown-it drops the extra cells, and their words
        would be lost from every format."""
        written = self.lines[row.map[0]].strip() if row.map and row.map[0] < len(self.lines) else ""
        cells = len(TABLE_CELL_BAR.split(written.removeprefix("|").removesuffix("|")))
        if cells > columns:
            raise self.error(f"this row has {cells} cells but the table's heading row has {columns}: give the "
                             "heading row a cell for each column, or join the row's extra cells", row)

    def answer_cells(self, table: Table, token: Token, row_tokens: list[Token], kind: str) -> Table:
        """Each empty cell after a row's first becomes a field of `kind` (a tick box, a box to type in),
        named by the row's first cell (the statement) and its column's header, its id from the heading
        above, the row and the column.

        A row with no statement is named at its own line (`row_tokens`, one a row). A table with no empty
        cell is named at its first line, the heading row: no one row holds that mistake, the table does."""
        base = self.heading_anchor or CHECKLIST
        prefix, n = base, 2
        while prefix in self.checklists:
            prefix, n = f"{base}-{n}", n + 1
        self.checklists.add(prefix)
        rows = []
        for number, (row, row_token) in enumerate(zip(table.rows, row_tokens, strict=True), start=1):
            statement = row[0].text.strip() if row else ""
            if not statement:
                raise self.error(f"row {number} of this table has no statement: each row starts with the "
                                 "words its boxes answer", row_token)
            cells = [row[0]]
            for column, cell in enumerate(row[1:], start=1):
                if cell.text.strip() or column >= len(table.header):
                    cells.append(cell)
                    continue
                heading = table.header[column].text.strip()
                field_id = f"{prefix}-{number}-{slug(heading) or column}"
                cells.append(replace(cell, field=FormField(id=field_id, label=checklist_label(statement, heading),
                                                           type=kind)))  # type: ignore[arg-type]
            rows.append(tuple(cells))
        if not any(c.field for row in rows for c in row):
            raise self.error("this table has no empty cells to answer in: leave the answer cells empty, or "
                             "take away the mark above it if the table is not one to fill in", token)
        return replace(table, rows=tuple(rows))

    def fence(self, token: Token) -> Block:
        if token.info.strip() == "form":
            try:
                data = json.loads(token.content)
                fields = tuple(FormField(**f) for f in data["fields"])
                legend = data.get("legend", "")
                self._check_fields(fields, token)
                # a group's legend is a heading one level below the heading it follows
                return FormBlock(fields=fields, legend=legend, level=min(self.heading_level + 1, 6) if legend else 0,
                                 anchor=self.anchor(f"form {legend}") if legend else "")
            except (ValueError, KeyError, TypeError) as exc:
                raise self.error(f"cannot read this form block: {exc}", token) from None
        raise self.error("code blocks are not supported in packs: write the text as a paragraph", token)

    def _check_fields(self, fields: tuple[FormField, ...], token: Token) -> None:
        for f in fields:
            if f.type not in FIELD_TYPES:
                raise self.error(f"the field '{f.id}' has the type '{f.type}', which is not one of "
                                 f"{', '.join(FIELD_TYPES)}", token, f.type)
            if not f.label.strip():
                raise self.error(f"the field '{f.id}' has no label: give the words a reader sees beside it",
                                 token, f.id)

    def code_block(self, token: Token) -> Block:
        raise self.error("indented text is read as a code block: remove the indent (4 spaces or a tab)",
                         token)

    def page_break(self, token: Token) -> PageBreak:
        inside = self.tokens[self.pos]
        if inside.type != "container_page-break_close":  # words in it would be dropped: no format shows them
            raise self.error("a '::: page-break' block holds nothing: put its ':::' on the line after it, and the "
                             "words after that", inside if inside.map else token)
        self.pos += 1
        return PageBreak()

    def in_formats(self, token: Token) -> InFormats:
        names = tuple(token.info.split()[1:])
        known = writers.names()
        if not names:
            raise self.error(f"say which formats show this block, e.g. '::: for {' '.join(known[:2])}'", token)
        unknown = [name for name in names if name not in known]
        if unknown:
            raise self.error(f"there is no format '{unknown[0]}': packgen writes {', '.join(known)}", token)
        children = tuple(self.blocks(len(self.tokens), "container_for_close"))
        if any(isinstance(block, (Heading, InFormats)) for block in walk(children)):
            raise self.error("a '::: for' block holds no headings and no other '::: for' block: every format "
                             "keeps the same headings", token)
        return InFormats(formats=names, children=children)

    def hr(self, token: Token) -> PageBreak:
        raise self.error("a line of '---' or '***' is not supported: use '::: page-break' then ':::'", token)

    def blockquote(self, token: Token) -> Block:
        raise self.error("quotes ('> ...') are not supported in packs: write the quoted words as a paragraph, in "
                         "quotation marks, and say who said them", token)

    def html_block(self, token: Token) -> Block:
        raise self.error(html_problem(token.content), token)

    def footnote_block(self, token: Token) -> Block:
        # Only reached by a note whose reference the inline rules did not meet first (none is drawn).
        inner = next((t for t in self.tokens[self.pos:] if t.map), None)
        raise self.error(FOOTNOTES.format(shown="[^...]: ..."), inner)

    # -- inline rules -----------------------------------------------------------------------

    def printable(self, text: str, inline: Token) -> None:
        """Stop at a character no document may hold, naming the word it is in."""
        odd = _UNPRINTABLE.search(text)
        if odd:
            word = next(w for w in text.split() if odd.group(0) in w) if odd.group(0).strip() else ""
            raise self.error(f"the character U+{ord(odd.group(0)):04X} cannot be printed (a control character, "
                             "a noncharacter, or an entity such as &#0; with no character): delete it",
                             inline, word or None)

    def check_link_leads_somewhere(self, href: str, words: str, inline: Token) -> None:
        """A link with no address, to '#' alone or to a Markdown file: each is drawn as a link that leads
        nowhere in the PDF and the Word file, so it is named at the line that writes its address."""
        address = href.strip()
        if address in ("", "#"):
            shown = f"[{words or '...'}]({address})"
            raise self.error_at(f"the link {shown} has no address, so it leads nowhere: write the web address "
                                f"in the brackets, like [{words or 'our website'}](https://example.org), or "
                                f"write the words without the [ ] and ( )", inline,
                                _EMPTY_ADDRESS if not address else re.compile(r"\]\(\s*<?#>?\s*\)"))
        if _MARKDOWN_FILE_LINK.match(address):
            raise self.error_at(f"the link to '{href[:60]}' leads nowhere, as a built pack holds no Markdown "
                                "files: name the other document in words instead (\"see our pledge form\"), or "
                                "link to the web address it is published at (https://...)", inline,
                                _written_link(href), href)

    def error_at(self, message: str, block: Token, written: re.Pattern[str], value: str | None = None) \
            -> MarkdownError:
        """An error at the first line of `block` that holds `written` (a paragraph may span lines), else
        at the block's first line."""
        if block.map:
            for n in range(block.map[0], min(block.map[1], len(self.lines))):
                if written.search(self.lines[n]):
                    return MarkdownError(message, self.where, n + self.first_line, value)
        return self.error(message, block, value)

    def inlines(self, inline: Token) -> tuple[Inline, ...]:
        out: list[Inline] = []
        bold = italic = 0
        link: tuple[str, list[Text]] | None = None

        def add(run: Text) -> None:
            target = link[1] if link else out
            prev = target[-1] if target else None
            if isinstance(prev, Text) and (prev.bold, prev.italic, prev.code) == (run.bold, run.italic, run.code):
                target[-1] = Text(prev.text + run.text, run.bold, run.italic, run.code)
            else:
                target.append(run)

        for child in inline.children or []:
            kind = child.type
            if kind == "text":
                mark = _FOOTNOTE_MARK.search(child.content)
                if mark:
                    raise self.error(FOOTNOTES.format(shown=mark.group(0)), inline)
                self.printable(child.content, inline)
                add(Text(child.content.replace("\t", " "), bold > 0, italic > 0))  # a tab pasted from Word
            elif kind == "softbreak":
                add(Text(" ", bold > 0, italic > 0))
            elif kind == "hardbreak":
                (link[1] if link else out).append(LineBreak())  # type: ignore[arg-type]
            elif kind == "code_inline":
                self.printable(child.content, inline)
                add(Text(child.content.replace("\t", " "), bold > 0, italic > 0, code=True))
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                link = (str(child.attrs.get("href", "")), [])
                if _REFUSED_LINK.match(link[0]):
                    raise self.error_at(f"a link to '{link[0][:60]}' cannot go in a pack: link to a web page "
                                        "(https://...) or an e-mail address (mailto:...)", inline,
                                        _written_link(link[0]), link[0])
            elif kind == "link_close" and link is not None:
                href, runs = link
                link = None
                words = "".join(r.text for r in runs).strip()
                self.check_link_leads_somewhere(href, words, inline)
                if not words:
                    raise self.error_at(f"the link to {href} has no words: write [what it is]({href})", inline,
                                        _written_link(href), href)
                out.append(Link(href=href, children=tuple(runs)))
            elif kind == "image":
                raise self.error("a picture must stand on a line of its own (or start an easy-read point)",
                                 inline)
            elif kind == "html_inline":
                raise self.error(html_problem(child.content), inline)
            elif kind == "footnote_ref":
                label = (child.meta or {}).get("label")
                raise self.error(FOOTNOTES.format(shown=f"[^{label}]" if label else "^[...]"), inline)
            elif kind == "s_open":
                raise self.error("crossed-out words ('~~...~~') are not supported in packs: delete them, or say in "
                                 "words what changed", inline)
            else:
                raise self.error(f"this Markdown ({kind}) is not supported in packs", inline)
        return tuple(out)


def _written_link(href: str) -> re.Pattern[str]:
    """The address of a link as the Markdown writes it, to find its line."""
    return re.compile(r"\]\(\s*<?" + re.escape(unquote(href)), re.IGNORECASE)


def html_problem(html: str) -> str:
    """What is wrong with some raw HTML in a source, and what to write instead."""
    shown = html.strip().split("\n")[0][:40]
    if shown.startswith("<!--"):
        return "HTML comments ('<!-- ... -->') are not supported in packs: delete it (notes for editors belong " \
               "outside the sources)"
    tag = _TAG.match(shown)
    instead = HTML_INSTEAD.get(tag.group(1).lower()) if tag else None
    if instead:
        return f"HTML ('{shown}') is not supported in packs: write {instead}"
    return f"HTML ('{shown}') is not supported in packs: write it in Markdown (and, to show the sign '<' itself, " \
           "write '\\<')"
