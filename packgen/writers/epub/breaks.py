"""The page breaks of a content document, each before the first word its PDF page shows.

A break is an empty span (epub:type "pagebreak", role "doc-pagebreak", named by the page's label).
It goes inside the text where a page starts halfway through a paragraph or list item, but never
inside a heading, link, form label or button (their names would gain it): there it goes before
that element; nor before a caption, legend or summary, which must come first in their parent:
there it goes before the parent.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lxml import etree

from packgen.writers.epub.pages import WORD, normalised, page_starts

EPUB_NS = "http://www.idpf.org/2007/ops"
UNREAD = {"script", "style", "template", "textarea", "select", "option"}  # text that is not the page's words
WHOLE = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "label", "button"}  # a break goes before them, not inside
FIRST_CHILD = {"caption", "legend", "summary"}  # a break goes before their parent


@dataclass(frozen=True)
class Place:
    """Where a word is: in `element`'s text or its tail, from `offset`."""

    element: etree._Element
    tail: bool
    offset: int


def page_break_id(label: str) -> str:
    """The id of the page break the page list names `label` in a document's own book."""
    return f"page_{label}"


def mark_page_breaks(main: etree._Element, pages: Sequence[Sequence[str]]) -> list[str]:
    """Put a break in `main` (the page's main element) for each page, given each page's first words
    (packgen.writers.epub.pages.page_words); return the pages' labels, in order. The first page's
    break opens `main`; a page whose words are not found breaks where the next page does."""
    words, places = _words(main)
    starts: list[int | None] = [0, *page_starts(pages, words)] if pages else []
    following: int | None = len(words)
    for n in range(len(starts) - 1, -1, -1):  # a page not found takes the next page's place
        starts[n] = following = starts[n] if starts[n] is not None else following
    labels = [str(n + 1) for n in range(len(starts))]
    groups: dict[int, list[str]] = {}
    for label, start in zip(labels, starts, strict=True):
        groups.setdefault(start if label != "1" else -1, []).append(label)
    for start, group in reversed(groups.items()):  # from the end, so the places before stay where they are
        marks = [_mark(label) for label in group]
        if start == -1:
            for n, mark in enumerate(marks):
                main.insert(n, mark)
        elif start is not None and start < len(places):
            _insert(places[start], marks)
        else:
            for mark in marks:
                main.append(mark)
    return labels


def _mark(label: str) -> etree._Element:
    return etree.Element("span", {"id": page_break_id(label), "role": "doc-pagebreak", "aria-label": label,
                                  f"{{{EPUB_NS}}}type": "pagebreak"})


def _words(main: etree._Element) -> tuple[list[str], list[Place]]:
    words: list[str] = []
    places: list[Place] = []
    for element, tail, text in _texts(main):
        for match in WORD.finditer(text):
            words.append(normalised(match.group()))
            places.append(Place(element, tail, match.start()))
    return words, places


def _texts(element: etree._Element) -> Iterator[tuple[etree._Element, bool, str]]:
    """Every piece of text under `element` in reading order: (its element, whether it is that
    element's tail, the text)."""
    if _name(element) in UNREAD:
        return
    if element.text:
        yield element, False, element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from _texts(child)
        if child.tail:
            yield child, True, child.tail


def _name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _insert(place: Place, marks: list[etree._Element]) -> None:
    holder = place.element.getparent() if place.tail else place.element
    before = _outermost_whole(holder)
    if before is not None:
        for mark in marks:
            before.addprevious(mark)
        return
    text = (place.element.tail if place.tail else place.element.text) or ""
    marks[-1].tail = text[place.offset:]
    if place.tail:
        place.element.tail = text[:place.offset]
        anchor = place.element
        for mark in marks:
            anchor.addnext(mark)
            anchor = mark
    else:
        place.element.text = text[:place.offset]
        for n, mark in enumerate(marks):
            place.element.insert(n, mark)


def _outermost_whole(element: etree._Element | None) -> etree._Element | None:
    """The outermost element around `element` (itself included) that a break may not go inside, or
    None; up to the main element."""
    found = None
    while element is not None and _name(element) != "main":
        if _name(element) in WHOLE:
            found = element
        elif _name(element) in FIRST_CHILD:
            found = element.getparent()
        element = element.getparent()
    return found
