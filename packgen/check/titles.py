"""Across files: two versions of one document (standard/charter.pdf and easy-read/charter.pdf, any
folders holding files of the same name) must not share a title. With both open, a screen reader
names each window by its title, and the reader cannot tell which is which.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pikepdf
from lxml import html

from packgen.check.findings import Finding, error
from packgen.safeio import SafeZip, UnsafeFile, parse_xml

DC = "{http://purl.org/dc/elements/1.1/}"
MAX_HTML_BYTES = 8 * 1024 * 1024


def _pdf_title(path: Path) -> str:
    with path.open("rb") as stream, pikepdf.open(stream) as pdf:
        return str(pdf.docinfo.get("/Title", "")).strip()


def _docx_title(path: Path) -> str:
    core = SafeZip(str(path)).read("docProps/core.xml")
    element = parse_xml(core).find(f"{DC}title") if core else None
    return (element.text or "").strip() if element is not None else ""


def _html_title(path: Path) -> str:
    with path.open("rb") as page:
        data = page.read(MAX_HTML_BYTES)
    return " ".join((html.fromstring(data).findtext(".//title") or "").split())


READERS: dict[str, Callable[[Path], str]] = {".pdf": _pdf_title, ".docx": _docx_title, ".html": _html_title}


def title_of(path: Path) -> str:
    """The title a reader's program shows for the file; "" when it has none or cannot be read (the
    file's own checks say why)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        return ""
    try:
        return reader(path)
    except (OSError, ValueError, UnsafeFile, pikepdf.PdfError):
        return ""


def shares_a_name(files: Iterable[Path]) -> set[Path]:
    """The files whose title is compared: those of a titled format whose name a file in another folder has."""
    folders: dict[str, set[Path]] = defaultdict(set)
    for path in files:
        if path.suffix.lower() in READERS:
            folders[path.name].add(path.parent)
    return {path for path in files if len(folders.get(path.name, ())) > 1}


def same_titles(titles: Mapping[Path, str], label: Callable[[Path], str]) -> list[Finding]:
    """A finding for each file whose title (``titles``: title_of each file shares_a_name found) another
    version of it (same name, other folder) shares."""
    versions: dict[str, list[Path]] = defaultdict(list)
    for path in titles:
        versions[path.name].append(path)
    findings = []
    for paths in versions.values():
        by_title: dict[str, list[Path]] = defaultdict(list)
        for path in paths:
            if titles[path]:
                by_title[titles[path]].append(path)
        for title, shared in by_title.items():
            for path in shared if len(shared) > 1 else ():
                others = ", ".join(label(p) for p in shared if p != path)
                findings.append(error(
                    "format-same-title", label(path), "document title",
                    f"Its title, '{title}', is also the title of {others}: with both open, a screen reader "
                    "cannot tell them apart.",
                    "Give each version a title of its own (an easy-read version says it is easy read)."))
    return findings
