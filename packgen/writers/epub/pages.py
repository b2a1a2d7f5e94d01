"""Where the PDF's pages start, read back from the PDF file itself: the page list of an e-book.

The PDF writer draws an outline entry for each heading, titled with its words and pointing at the
page it is drawn on (packgen.writers.pdf.layout), so the finished file says where each heading is.
A page's break is placed before the first heading drawn on it; a page that only continues a section
has its break beside the one before it, at that section's heading: the page list then takes a reader
to the section the page is in, never to a later one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pikepdf


def page_starts(pdf: Path, headings: list[tuple[str, str]]) -> list[str]:
    """For each page of `pdf` in order, the anchor of the heading its break goes before, from
    `headings` (anchor, words) in reading order; "" before the first heading."""
    with pikepdf.open(pdf) as document:
        numbers = {page.objgen: n for n, page in enumerate(document.pages)}
        with document.open_outline() as outline:
            drawn = [(" ".join(str(item.title).split()), numbers.get(_page(item), -1))
                     for item in _items(outline.root)]
        count = len(document.pages)
    on_page: dict[str, int] = {}
    position = 0
    for anchor, words in headings:  # matched in order: two headings may have the same words
        for n in range(position, len(drawn)):
            if drawn[n][0] == " ".join(words.split()):
                on_page[anchor], position = drawn[n][1], n + 1
                break
    starts, current = [], ""
    for page in range(count):
        current = next((anchor for anchor, _ in headings if on_page.get(anchor) == page), current)
        starts.append(current)
    return starts


def _items(items: list) -> Iterator[pikepdf.OutlineItem]:
    for item in items:
        yield item
        yield from _items(item.children)


def _page(item: pikepdf.OutlineItem) -> tuple[int, int] | None:
    destination = item.destination
    if isinstance(destination, pikepdf.Array) and len(destination) and isinstance(destination[0], pikepdf.Dictionary):
        return destination[0].objgen
    return None
