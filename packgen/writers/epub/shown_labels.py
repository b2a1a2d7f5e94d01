"""The labels an e-book shows, checked before the build writes anything.

Kept apart from the book's writer, which imports lxml and Jinja: the build's own process checks
every book to be made before any worker starts, and needs none of the writer for it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

from packgen.model import Document, FormBlock, walk
from packgen.writers import require_labels

LABELS = ("epub_accessibility_summary", "epub_contents", "epub_pages")  # what every book shows


def is_form(document: Document) -> bool:
    return any(isinstance(block, FormBlock) for block in walk(document.blocks))


def form_link(document: Document, pdf: Path | None) -> str:
    """The address of the form's fillable PDF on the web, or "" (no download page address, or no PDF
    built): resolved as the download page's own link to it is, from the page's address (a folder's
    address may leave out its last slash), in the build folder's layout of a folder per version."""
    if not document.download_page or pdf is None:
        return ""
    page = urlsplit(document.download_page)
    last = page.path.rsplit("/", 1)[-1]
    base = page._replace(path=page.path + "/") if last and "." not in last else page
    return urljoin(urlunsplit(base), f"{document.variant}/{pdf.name}")


def needed_labels(document: Document, pdf: Path | None) -> tuple[str, ...]:
    if not is_form(document):
        return ()
    return ("epub_form_fill_in",) if form_link(document, pdf) else ("epub_form_ask",)



def check_labels(document: Document, pdf: Path | None = None) -> None:
    """Fail naming every label the book of `document` (its page list following `pdf`) shows without words."""
    require_labels(document, (*LABELS, *needed_labels(document, pdf)), "the e-book")
