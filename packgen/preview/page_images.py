"""Pictures of a PDF's pages, so the preview shows where the pages break without a PDF viewer."""

from __future__ import annotations

import hashlib
import io
from collections.abc import MutableMapping
from pathlib import Path

import pypdfium2

from packgen.pack.files import write_bytes_atomic

SCALE = 1.0  # 72 pixels an inch: a whole A4 page fits beside the web page on a laptop screen
PNG_LEVEL = 1  # the pictures go no further than this computer: quick to write matters, size hardly


def render_pages(pdf: Path, folder: Path, stem: str, drawn: MutableMapping[Path, str]) -> list[str]:
    """Write `stem-N.png` for each page of `pdf` into `folder`, dropping pictures of pages it no
    longer has; return the file names in page order.

    `drawn` remembers what each picture file shows (a digest of its pixels): a page that looks as it
    did is not written again, so its file, and its address on the preview page, stay as they are."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for number, page in enumerate(document, start=1):
            picture = page.render(scale=SCALE).to_pil()
            name = f"{stem}-{number}.png"
            path = folder / name
            looks = hashlib.blake2b(picture.tobytes(), digest_size=16).hexdigest()
            if drawn.get(path) != looks or not path.is_file():
                encoded = io.BytesIO()
                picture.save(encoded, format="PNG", compress_level=PNG_LEVEL)
                write_bytes_atomic(path, encoded.getvalue())
                drawn[path] = looks
            names.append(name)
    finally:
        document.close()
    for old in folder.glob(f"{stem}-*.png"):
        if old.name not in names:
            old.unlink()
            drawn.pop(old, None)
    return names
