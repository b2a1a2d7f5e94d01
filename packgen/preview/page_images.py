"""Pictures of a PDF's pages, so the preview shows where the pages break without a PDF viewer."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2

from packgen.pack.files import write_bytes_atomic

SCALE = 1.0  # 72 pixels an inch: a whole A4 page fits beside the web page on a laptop screen


def render_pages(pdf: Path, folder: Path, stem: str) -> list[str]:
    """Write `stem-N.png` for each page of `pdf` into `folder`, dropping pictures of pages it no
    longer has; return the file names in page order."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for number, page in enumerate(document, start=1):
            picture = io.BytesIO()
            page.render(scale=SCALE).to_pil().save(picture, format="PNG")
            name = f"{stem}-{number}.png"
            write_bytes_atomic(folder / name, picture.getvalue())
            names.append(name)
    finally:
        document.close()
    for old in folder.glob(f"{stem}-*.png"):
        if old.name not in names:
            old.unlink()
    return names
