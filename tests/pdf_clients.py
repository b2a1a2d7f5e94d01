"""Helpers for the PDF writer's tests: building sample documents and asking real PDF clients.

The clients (Poppler, qpdf, pdf.js under node, the pdfua checker) are tools nobody on the project
wrote. Locally a missing tool skips its test; in CI (env CI set) it fails, so a broken image cannot
pass by testing nothing.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pikepdf

from conftest import missing, require  # noqa: F401 (re-exported for the PDF tests)
from samples import FIXTURES, LABELS, ROOT, make_document, resolver, sample_text, theme  # noqa: F401 (re-exported)

JS = ROOT / "tests" / "js"

# U+2610 BALLOT BOX is in no theme font; the sample table uses it, so documents built for drawing
# swap it for text every font has (test_sample_ballot_box_is_reported checks the error).
BALLOT_BOX = "\u2610"


def sample_markdown() -> str:
    return sample_text().replace(BALLOT_BOX, "[ ]")


def run(*args: str, cwd: Path | None = None) -> str:
    result = subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=120)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def struct_text(pdf: Path) -> str:
    return run(require("pdfinfo"), "-struct-text", str(pdf))


def struct_strings(pdf: Path) -> list[str]:
    """The quoted text of every element in `pdfinfo -struct-text`, in tree order."""
    return [m.group(1) for m in re.finditer(r'^\s*"(.*)"\s*$', struct_text(pdf), re.M)]


def pdffonts(pdf: Path) -> list[dict[str, str]]:
    out = run(require("pdffonts"), str(pdf)).splitlines()
    rows = []
    for line in out[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID: read from the right
        rows.append({"name": parts[0], "type": " ".join(parts[1:-6]), "emb": parts[-5], "sub": parts[-4],
                     "uni": parts[-3]})
    return rows


def pdfjs(pdf: Path) -> dict:
    """What pdf.js (Firefox) reads: per-page structure trees, metadata, fields, outline."""
    node = require("node")
    if not (JS / "node_modules" / "pdfjs-dist").is_dir():
        missing("pdfjs-dist is not installed (cd tests/js && npm ci)")
    return json.loads(run(node, str(JS / "pdf_structure.mjs"), str(pdf), cwd=JS))


def pdfjs_roles(tree: dict) -> list[dict]:
    """Every structure node of a pdf.js tree, depth first."""
    out = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if "role" in node:
            out.append(node)
        stack.extend(reversed(node.get("children", [])))
    return out


# --- the structure tree, read with pikepdf ---------------------------------------------------------

def kids(node: pikepdf.Object) -> list[pikepdf.Object]:
    k = node.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def elements(pdf: pikepdf.Pdf) -> list[pikepdf.Object]:
    """Every structure element in tree (reading) order."""
    out = []
    stack = kids(pdf.Root.StructTreeRoot)[::-1]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem" or (
                isinstance(node, pikepdf.Dictionary) and "/S" in node):
            out.append(node)
            stack.extend(kids(node)[::-1])
    return out


def marked_content(page: pikepdf.Page) -> list[tuple[str, int | None, list]]:
    """(tag, MCID or None, operators) of each outermost marked-content sequence on a page."""
    seqs: list[tuple[str, int | None, list]] = []
    depth = 0
    for operands, op in pikepdf.parse_content_stream(page):
        name = str(op)
        if name in ("BDC", "BMC"):
            if depth == 0:
                mcid = None
                if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                    mcid = int(operands[1].MCID)
                seqs.append((str(operands[0]), mcid, []))
            depth += 1
        elif name == "EMC":
            depth -= 1
        elif depth > 0:
            seqs[-1][2].append((operands, name))
    return seqs


def code_to_glyph(font_program: bytes) -> dict[int, int]:
    """A simple TrueType font's code -> glyph id, read from its (1,0) or (3,0) cmap (formats 0, 4, 6).

    ReportLab's subsets carry a (1,0) format 6 cmap; reading it straight from the bytes keeps this
    check independent of the code that wrote it.
    """
    from struct import unpack_from

    num_tables = unpack_from(">H", font_program, 4)[0]
    cmap = None
    for i in range(num_tables):
        tag, _, offset, _ = unpack_from(">4sIII", font_program, 12 + 16 * i)
        if tag == b"cmap":
            cmap = offset
    assert cmap is not None, "the embedded font has no cmap"
    count = unpack_from(">H", font_program, cmap + 2)[0]
    for i in range(count):
        platform, encoding, offset = unpack_from(">HHI", font_program, cmap + 4 + 8 * i)
        if (platform, encoding) not in ((1, 0), (3, 0)):
            continue
        sub = cmap + offset
        fmt = unpack_from(">H", font_program, sub)[0]
        if fmt == 0:
            return {c: g for c, g in enumerate(font_program[sub + 6:sub + 262])}
        if fmt == 6:
            first, n = unpack_from(">HH", font_program, sub + 6)
            return {first + j: unpack_from(">H", font_program, sub + 10 + 2 * j)[0] for j in range(n)}
        if fmt == 4:
            segs = unpack_from(">H", font_program, sub + 6)[0] // 2
            ends = unpack_from(f">{segs}H", font_program, sub + 14)
            starts = unpack_from(f">{segs}H", font_program, sub + 16 + 2 * segs)
            deltas = unpack_from(f">{segs}h", font_program, sub + 16 + 4 * segs)
            out = {}
            for s, e, d in zip(starts, ends, deltas, strict=True):
                for c in range(s, min(e, 0xFF) + 1):
                    out[c & 0xFF] = (c + d) & 0xFFFF
            return out
    raise AssertionError("the embedded font has no (1,0) or (3,0) cmap")
