"""Tables too wide for a variant's page, shown as one block per row: decided once, for every writer.

A table is too wide in a variant when its columns cannot each be the variant's
`table.min_column_width` (theme.yaml, in millimetres) within the text column. Such a table
becomes, in that variant and in every format of it, a sequence of row blocks in reading order:
the row's first cell as a paragraph in bold, then a bulleted list of its other cells, each
labelled with its column's header (the label `table_row_cell`, e.g. "{header}: {value}"). An
empty cell says nothing, so it is left out. The formats of a variant keep the same words in the
same order, so the web page and the e-book get the row blocks too.

A table with form fields (a checklist, a table to fill in) stays a table: its tick boxes and
boxes to type in answer its rows and columns, which row blocks would no longer show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from packgen.errors import TemplateError
from packgen.model import Block, InFormats, Inline, Link, ListBlock, ListItem, Paragraph, Table, TableCell, Text
from packgen.model import walk as every_block
from packgen.theme import Theme

ROW_CELL_LABEL = "table_row_cell"


def too_wide(table: Table, text_width: float, min_column_width: float) -> bool:
    """Whether the table's columns cannot each be `min_column_width` wide in `text_width` (millimetres)."""
    return min_column_width > 0 and len(table.header) * min_column_width > text_width


def reflow(blocks: tuple[Block, ...], theme: Theme, variant: str, labels: Mapping[str, str],
           labels_path: Path) -> tuple[Block, ...]:
    """The blocks with every table too wide for the variant's page as row blocks (see the module's notes)."""
    style = theme.variant(variant).table
    width = theme.text_width(variant)

    def wide(table: Table) -> bool:
        return not table.checklist and too_wide(table, width, style.min_column_width)

    if not any(isinstance(b, Table) and wide(b) for b in every_block(blocks)):
        return blocks  # nothing to change: the blocks stay the very ones parsed
    words = labels.get(ROW_CELL_LABEL, "")
    if "{value}" not in words:
        raise TemplateError(f"the label '{ROW_CELL_LABEL}' gives the words of a cell of a table shown row by row, "
                            "with {header} and {value}, e.g. '{header}: {value}'", labels_path)

    def walk(items: tuple[Block, ...]) -> tuple[Block, ...]:
        out: list[Block] = []
        for block in items:
            if isinstance(block, Table) and wide(block):
                out.extend(row_blocks(block, words))
            elif isinstance(block, ListBlock):
                out.append(replace(block, items=tuple(replace(item, children=walk(item.children))
                                                      for item in block.items)))
            elif isinstance(block, InFormats):
                out.append(replace(block, children=walk(block.children)))
            else:
                out.append(block)
        return tuple(out)

    return walk(blocks)


def row_blocks(table: Table, words: str) -> list[Block]:
    """Each row as its first cell in bold, then a list of its other cells labelled by their headers."""
    out: list[Block] = []
    before, _, after = words.partition("{value}")
    for row in table.rows:
        first, *rest = row
        if first.text.strip():
            out.append(Paragraph(_bold(first.children)))
        items = tuple(ListItem((Paragraph(_labelled(header, cell, before, after)),))
                      for header, cell in zip(table.header[1:], rest, strict=False) if cell.text.strip())
        if items:
            out.append(ListBlock(ordered=False, items=items))
    return out


def _labelled(header: TableCell, cell: TableCell, before: str, after: str) -> tuple[Inline, ...]:
    name = " ".join(header.text.split())
    head = before.replace("{header}", name)
    tail = after.replace("{header}", name)
    return ((Text(head),) if head else ()) + cell.children + ((Text(tail),) if tail else ())


def _bold(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(replace(node, bold=True))
        elif isinstance(node, Link):
            out.append(replace(node, children=tuple(replace(run, bold=True) for run in node.children)))
        else:
            out.append(node)
    return tuple(out)
