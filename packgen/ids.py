"""Stable ids made from words (section ids and heading anchors), and the mark a heading gives its own
(`{#id}`)."""

from __future__ import annotations

import re


def slug(text: str) -> str:
    """A stable id from a heading: lower case, words joined by hyphens ("section" when there are none)."""
    words = re.findall(r"[^\W_]+", text.lower())
    return "-".join(words) or "section"


# `## Our values {#values`: attributes begun but never closed, which would be printed as the heading's words
UNCLOSED_ATTRIBUTES = re.compile(r"\s(\{\s*(?:#[\w-]+|\.[\w-]+|[\w-]+=)[^{}]*)$")


def unclosed_attributes(heading: str) -> str | None:
    """The mistake in a heading whose words end in attributes never closed (`{#values`), else None."""
    found = UNCLOSED_ATTRIBUTES.search(heading.rstrip())
    if found is None:
        return None
    return f"the heading's '{found[1].strip()}' is not closed: end it with '}}', like {{#like-this}}"
