"""`packgen check` for Braille-ready files (BRF): what an embosser needs to print every page whole.

A BRF line is at most 40 cells and a page at most 25 lines (the page size packgen's BRF writer and most
UK embossers use; a longer line wraps or is cut off, a longer page runs onto the next sheet), and the
file holds only North American Braille ASCII (space to underscore, one character a cell; lower-case
letters are read as their capitals), with CR LF at line ends and a form feed at page ends.
"""

from __future__ import annotations

from packgen.check.context import FileContext
from packgen.check.findings import Finding, error

CELLS, LINES = 40, 25
MAX_BYTES = 20 * 1024 * 1024  # a BRF of a few thousand pages; anything larger is not one to read whole
# Braille ASCII's 64 cells (space to underscore, and lower case for the letters), and the line and page ends.
ALLOWED = frozenset(range(0x20, 0x60)) | frozenset(range(ord("a"), ord("z") + 1)) | {0x0D, 0x0A, 0x0C}
MAX_FINDINGS = 10  # per rule: one broken layout would otherwise give a finding for every line
FIX = "Rebuild it with 'make'; if the problem stays, it is in packgen's BRF writer: report it."


def check_brf(ctx: FileContext) -> list[Finding]:
    with ctx.path.open("rb") as fh:
        data = fh.read(MAX_BYTES + 1)  # a file too large is never read whole
    if len(data) > MAX_BYTES:
        return [error("brf-parse", ctx.label, "whole file", f"The file is larger than {MAX_BYTES // 2**20} MB, "
                      "too large for a Braille-ready file.", FIX)]
    findings: list[Finding] = []
    odd = sorted({byte for byte in data if byte not in ALLOWED})
    if odd:
        first = next(n for n, byte in enumerate(data) if byte not in ALLOWED)
        shown = ", ".join(f"0x{byte:02X}" for byte in odd[:8])
        findings.append(error("brf-characters", ctx.label, f"byte {first + 1}",
                              f"The file has characters that are not braille cells ({shown}): an embosser "
                              "prints them as the wrong dots or stops.", FIX))
    text = data.decode("latin-1")
    pages = text.split("\f")
    if pages and not pages[-1].strip("\r\n"):
        pages = pages[:-1]  # the form feed that ends the last page
    long_lines = long_pages = 0
    for page_number, page in enumerate(pages, 1):
        lines = page.replace("\r\n", "\n").split("\n")
        if lines and lines[-1] == "":
            lines = lines[:-1]
        if len(lines) > LINES and long_pages < MAX_FINDINGS:
            long_pages += 1
            findings.append(error("brf-page-length", ctx.label, f"braille page {page_number}",
                                  f"The page has {len(lines)} lines, more than {LINES}: its last lines run onto "
                                  "the next sheet.", FIX))
        for line_number, line in enumerate(lines, 1):
            if len(line) > CELLS and long_lines < MAX_FINDINGS:
                long_lines += 1
                findings.append(error("brf-line-length", ctx.label,
                                      f"braille page {page_number}, line {line_number}",
                                      f"The line has {len(line)} cells, more than {CELLS}: an embosser wraps "
                                      "or cuts it.", FIX))
    return findings
