"""Links to a heading of their own document (`[how to sign](#signing)`), resolved once for every writer.

A link names a heading by its anchor (its words in lower case joined by hyphens, or the id written
after it, `{#like-this}`) or by the id of the section the heading opens (`## Signing {#signing}`).
Every writer gets the anchor (packgen.policy gives it): the web page's id for the heading, the PDF's
destination, the Word file's bookmark. A link that names no heading would lead nowhere in any of
them, so compose reports it where it was written.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

from packgen.model import Block, Heading, Link, own_inlines, walk

FRAGMENT = "#"  # a link's address that starts with it names a heading of the same document


def targets(blocks: tuple[Block, ...]) -> dict[str, str]:
    """Each name a link may give a heading -> the heading's anchor: a heading's own anchor wins over a
    section id that happens to be the same words."""
    shown = headings(blocks)
    found = {heading.anchor: heading.anchor for heading in shown}
    for heading in shown:
        if heading.section:
            found.setdefault(heading.section, heading.anchor)
    return found


def headings(blocks: tuple[Block, ...]) -> list[Heading]:
    """The headings a link may lead to, in reading order."""
    return [block for block in walk(blocks) if isinstance(block, Heading) and block.anchor]


def links(blocks: tuple[Block, ...]) -> Iterator[Link]:
    """Every link to a heading, in reading order."""
    for block in walk(blocks):
        for node in own_inlines(block):
            if isinstance(node, Link) and node.href.startswith(FRAGMENT):
                yield node


def named(link: Link) -> str:
    """The name a link gives its heading, as written: Markdown's reader encodes a letter such as 'ü'
    in an address ('#%C3%BCber-uns'), which an anchor keeps as it is ('über-uns')."""
    return unquote(link.href[len(FRAGMENT):])


def unresolved(blocks: tuple[Block, ...]) -> Link | None:
    """The first link that names no heading of these blocks, or None."""
    names = targets(blocks)
    return next((link for link in links(blocks) if named(link) not in names), None)


def renamed(blocks: tuple[Block, ...]) -> dict[str, str]:
    """Each address a link gives that is not its heading's anchor as it is (a section's id, a letter
    encoded) -> `#` and the anchor: the policy gives every writer the anchor (packgen.policy)."""
    names = targets(blocks)
    return {link.href: f"{FRAGMENT}{names[named(link)]}" for link in links(blocks)
            if named(link) in names and link.href != f"{FRAGMENT}{names[named(link)]}"}
