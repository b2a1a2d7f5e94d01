"""The preview page: each document's variants side by side, as the web page and as PDF page pictures.

The page is packgen's own tool for the person editing the pack, not a document of the pack, so its
few words live in its template (preview.html.j2) rather than among the pack's labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from packgen.pack.files import write_bytes_atomic

PAGE = "index.html"
_TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent), autoescape=True,
                                undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


@dataclass
class Shown:
    """One variant of one document as the preview shows it: paths relative to the preview folder."""
    variant: str
    html: str | None = None
    pages: list[str] = field(default_factory=list)


@dataclass
class Preview:
    """What the page shows: the last good build, and the error of the last build if it failed."""
    title: str = ""
    documents: dict[str, list[Shown]] = field(default_factory=dict)
    error: str | None = None
    version: int = 0

    @property
    def layout(self) -> str:
        """Which documents and variants the page lays out: while it stays the same, the open page
        swaps only the frames and pictures that changed."""
        return " ".join(f"{doc}:{','.join(one.variant for one in shown)}" for doc, shown in self.documents.items())


def write_page(folder: Path, preview: Preview) -> None:
    html = _TEMPLATES.get_template("preview.html.j2").render(preview=preview)
    write_bytes_atomic(folder / PAGE, html.encode("utf-8"))
