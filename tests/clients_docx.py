"""The programs people open our Word files with, run from tests: pandoc and LibreOffice.

In CI (the CI variable is set) a missing program fails the test, because a skipped client check
is a check that silently stopped running; on a laptop it skips.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from conftest import require


def pandoc_json(docx: Path) -> dict[str, Any]:
    """The document as pandoc reads it: its AST, where real headings, lists and tables show up."""
    out = subprocess.run([require("pandoc"), "-f", "docx", "-t", "json", str(docx)],
                         check=True, capture_output=True, timeout=120)
    return json.loads(out.stdout)


def blocks_of(node: Any, kind: str) -> list[Any]:
    """Every pandoc AST node of type `kind` ("Header", "Table", "Link"...), anywhere in the tree."""
    found: list[Any] = []
    if isinstance(node, dict):
        if node.get("t") == kind:
            found.append(node)
        for value in node.values():
            found.extend(blocks_of(value, kind))
    elif isinstance(node, list):
        for value in node:
            found.extend(blocks_of(value, kind))
    return found


# LibreOffice's PDF export as PDF/UA-1 (its File > Export as PDF > Universal Accessibility option).
PDF_UA = 'pdf:writer_pdf_Export:{"PDFUACompliance":{"type":"boolean","value":"true"}}'


def soffice_pdf(docxs: list[Path], outdir: Path, profile: Path, export: str = "pdf") -> list[Path]:
    """Convert Word (or OpenDocument) files to PDF with LibreOffice headless, in a private profile (so
    parallel sessions and a user's own LibreOffice never collide); ``export`` may name filter options."""
    soffice = require("soffice")
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
                    "--convert-to", export, "--outdir", str(outdir), *map(str, docxs)],
                   check=True, capture_output=True, timeout=300)
    return [outdir / (d.stem + ".pdf") for d in docxs]


def pdf_pages(pdf: Path) -> int:
    """The page count pdfinfo (Poppler) reads, 0 when it cannot read the file."""
    out = subprocess.run([require("pdfinfo"), str(pdf)], capture_output=True, text=True, timeout=60)
    for line in out.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def pdf_text(pdf: Path) -> str:
    out = subprocess.run([require("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True,
                         timeout=60, check=True)
    return out.stdout


def pdf_fonts(pdf: Path) -> list[str]:
    """The font names pdffonts (Poppler) finds in a PDF, subset prefixes removed."""
    out = subprocess.run([require("pdffonts"), str(pdf)], capture_output=True, text=True, timeout=60, check=True)
    return [line.split()[0].split("+")[-1] for line in out.stdout.splitlines()[2:] if line.strip()]
