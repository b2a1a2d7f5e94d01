"""The labels a web page shows, checked before the build writes anything.

Kept apart from the page writer, which imports Jinja: the build's own process checks every page to
be made before any worker starts, and needs none of the writer for it.
"""

from __future__ import annotations

from packgen.model import Block, Document, FormBlock
from packgen.writers import require_labels


def form_end(blocks: tuple[Block, ...]) -> int | None:
    """Where a form's fields end (just after its last group of fields), or None: not a form."""
    ends = [n + 1 for n, block in enumerate(blocks) if isinstance(block, FormBlock)]
    return ends[-1] if ends else None


def check_labels(document: Document) -> None:
    """Fail naming every label without words, rather than printing an empty skip link."""
    needed = ["skip_link"]
    if form_end(document.blocks) is not None:
        needed += ["form_print"] + (["form_send_email" if "@" in document.pledges_to
                                     and not document.pledges_to.startswith("https://") else "form_send_web",
                                     "form_send_button"] if document.pledges_to else ["form_send_none"])
    require_labels(document, needed, "the web page")
