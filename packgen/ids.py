"""Stable ids made from words: section ids and heading anchors."""

from __future__ import annotations

import re


def slug(text: str) -> str:
    """A stable id from a heading: lower case, words joined by hyphens ("section" when there are none)."""
    words = re.findall(r"[^\W_]+", text.lower())
    return "-".join(words) or "section"
