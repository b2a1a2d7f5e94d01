"""The words a listener hears, in reading order, grouped in chapters: one per section.

A heading starts a chapter and is its first line; a photo or diagram is spoken as its alt text after
the `audio_picture` label ("Picture: ..."); an easy-read pictogram (a PictureRow's picture) is not
spoken, only its words, since the words say what the pictogram shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from packgen.model import (
    Block,
    Document,
    Figure,
    FormBlock,
    Heading,
    InFormats,
    ListBlock,
    Paragraph,
    PictureRow,
    Table,
    plain_text,
)

PICTURE_LABEL = "audio_picture"


@dataclass(frozen=True)
class Chapter:
    title: str
    lines: tuple[str, ...]  # the heading first, then each paragraph, list item, table row... as spoken


def chapters(document: Document) -> tuple[Chapter, ...]:
    """The document's chapters; words before the first heading make a chapter named by the title."""
    picture = document.labels.get(PICTURE_LABEL, "{alt}")
    found: list[tuple[str, list[str]]] = []

    def start(title: str) -> None:
        found.append((title, [title]))

    def say(text: str) -> None:
        words = " ".join(text.split())
        if words:
            if not found:
                start(document.metadata.title)
            found[-1][1].append(words)

    def read(blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                start(" ".join(block.text.split()))
            elif isinstance(block, Paragraph):
                say(block.text)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    read(item.children)
            elif isinstance(block, Table):
                for row in (block.header, *block.rows):
                    say(", ".join(cell.field.label if cell.field else cell.text for cell in row))
            elif isinstance(block, Figure):
                say(picture.replace("{alt}", block.picture.alt))
                say(plain_text(block.caption))
            elif isinstance(block, PictureRow):
                read(block.children)
            elif isinstance(block, FormBlock):
                if block.heading:
                    start(block.legend)
                else:
                    say(block.legend)
                for form_field in block.fields:
                    say(" ".join((form_field.label, *form_field.hints)))
            elif isinstance(block, InFormats):  # not met: the writer is given the document as its format shows it
                read(block.children)

    read(document.blocks)
    return tuple(Chapter(title, tuple(lines)) for title, lines in found)
