"""Who made a file, and so where its problems are fixed: packgen's sources, or the program that made it.

`packgen check` reads files whoever made them. A fix that says "rebuild it with make" or "edit
sources/" helps only for a file packgen made; for a file from Word, LibreOffice or Typst the fix is
made in that program. The checkers write packgen's fix; this module is the one place that decides,
from the file itself, whether packgen made it (the PDF's Creator, the Word file's Application, the
web page's or e-book page's generator meta, or the build's manifest listing it) and gives every other file the fix
that fits it (packgen.check.rules.FIX_ELSEWHERE).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

import pikepdf
from lxml import etree, html

from packgen.check.context import manifest_variant
from packgen.check.findings import Finding
from packgen.check.rules import FIX_ELSEWHERE, FIX_ELSEWHERE_BY_FAMILY, FIX_OURS_BY_FAMILY, RULES
from packgen.safeio import SafeZip, UnsafeFile, parse_xml

PACKGEN = "packgen"  # what packgen's writers put in the file's Creator, Application or generator
MAX_HTML_BYTES = 1024 * 1024  # the generator meta is in the page's head
NS_APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
# Words of a fix that only make sense for a file packgen made.
PACKGEN_WORDS = re.compile(r"sources/|templates/|'make'|packgen|theme\.yaml|pack\.yaml")


def _pdf_maker(path: Path) -> str:
    with path.open("rb") as stream, pikepdf.open(stream) as pdf:
        info = pdf.docinfo
        creator, producer = str(info.get("/Creator", "")).strip(), str(info.get("/Producer", "")).strip()
        if not creator:
            with pdf.open_metadata() as xmp:
                creator = str(xmp.get("xmp:CreatorTool") or "").strip()
        return creator or producer


def _docx_maker(path: Path) -> str:
    app = SafeZip(str(path)).read("docProps/app.xml")
    if not app:
        return ""
    root = parse_xml(app)
    name = (root.findtext(f"{NS_APP}Application") or "").strip()
    version = (root.findtext(f"{NS_APP}AppVersion") or "").strip()
    return f"{name} {version}".strip() if name else ""


def _html_maker(path: Path) -> str:
    with path.open("rb") as page:
        data = page.read(MAX_HTML_BYTES)
    for meta in html.fromstring(data).iter("meta"):
        if (meta.get("name") or "").lower() == "generator":
            return (meta.get("content") or "").strip()
    return ""


def _epub_maker(path: Path) -> str:
    """The generator meta of the e-book's first content document (an EPUB's package names no maker)."""
    archive = SafeZip(str(path))
    try:
        container = archive.xml("META-INF/container.xml")
        rootfile = None if container is None else next(container.iter("{*}rootfile"), None)
        opf = rootfile.get("full-path", "") if rootfile is not None else ""
        package = archive.xml(opf) if opf else None
        item = None if package is None else next(
            (i for i in package.iter("{*}item") if i.get("media-type") == "application/xhtml+xml"
             and "nav" not in (i.get("properties") or "").split()), None)
        page = archive.xml(posixpath.join(posixpath.dirname(opf), item.get("href", ""))) if item is not None else None
        meta = None if page is None else next((m for m in page.iter("{*}meta") if m.get("name") == "generator"), None)
        return (meta.get("content") or "").strip() if meta is not None else ""
    finally:
        archive.close()


READERS: dict[str, Callable[[Path], str]] = {".pdf": _pdf_maker, ".docx": _docx_maker, ".html": _html_maker,
                                             ".htm": _html_maker, ".epub": _epub_maker}


def maker(path: Path) -> str:
    """The program the file says made it ("" when it does not say, or cannot be read)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        return ""
    try:
        return reader(path)
    except (OSError, ValueError, UnsafeFile, pikepdf.PdfError, etree.LxmlError):
        return ""  # the file's own checks say why it cannot be read


def made_by_packgen(path: Path, name: str | None = None) -> bool:
    """The file says packgen made it (``name``: what maker() found, when known), or a packgen build's
    manifest beside it lists it."""
    name = maker(path) if name is None else name
    return name.split(" ")[0].lower() == PACKGEN or manifest_variant(path) is not None


def the_program(name: str) -> str:
    """How a fix names the program that made a file."""
    return f"the program that made it ({name})" if name else "the program that made it"


def fix_elsewhere(finding: Finding, program: str) -> str:
    """The fix for a file another program made: the rule's own, its family's, or a general one."""
    where = the_program(program)
    if finding.rule in FIX_ELSEWHERE:
        return FIX_ELSEWHERE[finding.rule].format(program=where)
    for family, tail in FIX_ELSEWHERE_BY_FAMILY.items():
        if finding.rule.startswith(family) and finding.rule not in RULES:
            return f"{finding.fix} {tail.format(program=where)}".strip()
    if finding.fix and not PACKGEN_WORDS.search(finding.fix):
        return finding.fix
    return f"Fix it in {where}, then save or export the file again."


def fix_ours(finding: Finding) -> str:
    """The fix for a file packgen made: the checker's, with where in packgen for another validator's rule."""
    for family, tail in FIX_OURS_BY_FAMILY.items():
        if finding.rule.startswith(family) and finding.rule not in RULES:
            return f"{finding.fix} {tail}".strip()
    return finding.fix


def who_made(path: Path) -> tuple[bool, str]:
    """Whether packgen made the file, and the program the file names as its maker ("" when none)."""
    name = maker(path)
    return made_by_packgen(path, name), name


def advise(findings: list[Finding], makers: Mapping[str, tuple[bool, str]]) -> list[Finding]:
    """Each finding with the fix for its file's maker; ``makers`` maps a report label to who_made its file."""
    advised = []
    for finding in findings:
        made = makers.get(finding.file)
        if made is None or not finding.fix:
            advised.append(finding)
            continue
        ours, program = made
        advised.append(replace(finding, fix=fix_ours(finding) if ours else fix_elsewhere(finding, program)))
    return advised
