"""What compose decides once for every writer, so Word, PDF and HTML show the same words.

- A form field's visible words: the mark after a required field's label ("required" in
  labels/<language>.yaml) and the hints under it: the field's help, or else the words for its type
  ("<type>_hint", e.g. "email_hint"), then for a date its format (the field's own, else
  "date_format") unless the hint already shows it. A format whose control asks for other words has
  its own: "<type>_hint_<format>" (e.g. "signature_hint_html": a web page's signature is a typed name,
  not a PDF's signature field) stands for "<type>_hint" in that format; a field's own help is
  shown in every format.
- A paragraph that introduces a list (it ends with ':' and the list follows it directly) is kept
  with the list's first item (Paragraph.keep_with_next): a PDF page or a printed Word page never
  ends on "...in these formats:" with the list on the next.
- A link to a heading of the document by its section's id (`[how to sign](#signing)`, where the
  source says `## How to sign {#signing}`) leads to the heading's anchor, which every writer gives
  the heading (packgen.heading_links).
- A variant whose theme entry says `emphasis: bold` (easy read and large print: slanted letters are
  harder to read) has no italics: an italic run becomes bold, which keeps the emphasis. The model its
  writers get has no italic run.

Writers draw exactly these words; none of them reads the labels for a form field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from packgen import heading_links
from packgen.errors import TemplateError
from packgen.model import (
    Block,
    Figure,
    FormBlock,
    FormField,
    Heading,
    InFormats,
    Inline,
    Link,
    ListBlock,
    Paragraph,
    PictureRow,
    Table,
    TableCell,
    Text,
    walk,
)

BOLD = "bold"  # a theme variant's `emphasis` that shows italic words in bold


def apply(blocks: tuple[Block, ...], labels: Mapping[str, str], emphasis: str) -> tuple[Block, ...]:
    """The blocks as every writer gets them: a list's introduction kept with it, form fields with their
    words, italic shown as the variant's `emphasis` says (theme.yaml)."""
    bold = emphasis == BOLD
    blocks = introductions(blocks)
    renamed = heading_links.renamed(blocks)
    if not bold and not renamed and not any(isinstance(block, FormBlock) for block in walk(blocks)):
        return blocks  # no rule applies: a long standard document is not rebuilt block by block
    return _Policy(labels, bold, renamed).blocks(blocks)


def introductions(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """The blocks with each paragraph that introduces the list after it marked to keep with it, at
    every level (a list item's own paragraphs, a format's own blocks)."""
    out: list[Block] = []
    for n, block in enumerate(blocks):
        after = blocks[n + 1] if n + 1 < len(blocks) else None
        if isinstance(block, Paragraph) and isinstance(after, ListBlock) and block.text.rstrip().endswith(":"):
            block = replace(block, keep_with_next=True)
        elif isinstance(block, ListBlock):
            block = replace(block, items=tuple(replace(item, children=introductions(item.children))
                                               for item in block.items))
        elif isinstance(block, InFormats):
            block = replace(block, children=introductions(block.children))
        out.append(block)
    return tuple(out)


def field_words(field: FormField, labels: Mapping[str, str]) -> FormField:
    """The field with its required mark and hints resolved from the labels (and each format's own)."""
    mark = labels.get("required", "") if field.required else ""
    own = f"{field.type}_hint_"
    by_format = () if field.help else tuple(
        (key[len(own):], _hints(field, words, labels)) for key, words in sorted(labels.items())
        if key.startswith(own) and key[len(own):] and isinstance(words, str))
    return replace(field, required_mark=mark, hints=_hints(field, field.help or labels.get(f"{field.type}_hint", ""),
                                                           labels), format_hints=by_format)


def _hints(field: FormField, first: str, labels: Mapping[str, str]) -> tuple[str, ...]:
    """The help (or the type's words), then for a date its format unless the help shows it."""
    hints = [first]
    if field.type == "date":
        fmt = field.date_format or labels.get("date_format", "")
        if fmt and fmt not in first:
            hints.append(fmt)
    return tuple(h for h in hints if h)


class _Policy:
    def __init__(self, labels: Mapping[str, str], bold: bool, renamed: Mapping[str, str]) -> None:
        self.labels = labels
        self.bold = bold  # italic runs become bold
        self.renamed = renamed  # a link's address -> the one it leads to (heading_links.renamed)

    def blocks(self, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        return tuple(self.block(block) for block in blocks)

    def block(self, block: Block) -> Block:
        if isinstance(block, (Heading, Paragraph)):
            return replace(block, children=self.inlines(block.children))
        if isinstance(block, ListBlock):
            return replace(block, items=tuple(replace(item, children=self.blocks(item.children))
                                              for item in block.items))
        if isinstance(block, Table):
            return replace(block, header=self.cells(block.header),
                           rows=tuple(self.cells(row) for row in block.rows))
        if isinstance(block, Figure):
            return replace(block, caption=self.inlines(block.caption))
        if isinstance(block, (PictureRow, InFormats)):
            return replace(block, children=self.blocks(block.children))
        if isinstance(block, FormBlock):
            return replace(block, fields=tuple(field_words(f, self.labels) for f in block.fields))
        return block

    def cells(self, cells: tuple[TableCell, ...]) -> tuple[TableCell, ...]:
        return tuple(replace(cell, children=self.inlines(cell.children)) for cell in cells)

    def inlines(self, inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        if not self.bold and not self.renamed:
            return inlines
        return tuple(self.inline(node) for node in inlines)

    def inline(self, node: Inline) -> Inline:
        if isinstance(node, Text) and node.italic and self.bold:
            return replace(node, bold=True, italic=False)
        if isinstance(node, Link):
            return replace(node, href=self.renamed.get(node.href, node.href),
                           children=tuple(self.inline(run) for run in node.children))  # type: ignore[misc]
        return node


def check_required_marks(blocks: tuple[Block, ...], labels_path: Path) -> None:
    """A required field with no visible mark would leave sighted readers guessing (WCAG 3.3.2)."""
    for block in walk(blocks):
        if isinstance(block, FormBlock) and any(f.required and not f.required_mark.strip() for f in block.fields):
            raise TemplateError("a form has a required field: give the words that mark it as 'required: ...'",
                                labels_path)
