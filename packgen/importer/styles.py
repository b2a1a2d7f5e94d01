"""A paragraph's or a run's style, found once per style in each Word file.

python-docx finds the style of a paragraph with none of its own (the file's default) by reading
every style the file has, each time it is asked; a document of a thousand paragraphs took twenty
seconds to import. A style depends only on the style id the paragraph or run names, so each is
looked up once and kept with the file's part, for as long as the file is open.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from docx.text.paragraph import Paragraph
from docx.text.run import Run

_KEPT: WeakKeyDictionary[Any, dict[tuple[type, str | None], Any]] = WeakKeyDictionary()


def style_of(item: Paragraph | Run) -> Any:
    """What `item.style` gives (a python-docx style, or None), looked up once per style id."""
    element = item._r if isinstance(item, Run) else item._p
    kept = _KEPT.setdefault(item.part, {})
    key = (type(item), element.style)
    if key not in kept:
        kept[key] = item.style
    return kept[key]
