"""Pages that break well: read back where each line of a PDF landed, as pdfium (Chrome's engine) draws it.

Each line is found from the page's drawn text and the tag tree's parent tree (which structure
element drew it), so the rules are checked on what a reader sees: no page ends with a heading, a
list item's label line whose item goes on overleaf, or a table's header row; a paragraph that
crosses a page leaves at least two lines on each side; and the words that end a paragraph (an
e-mail address, a link) never stand alone on the next page. They are checked on the shipped pack
and on documents of many lengths, so the breaks fall at many points.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import docx
import lxml.html
import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from docx.oxml.ns import qn
from reportlab.lib.units import mm

from packgen.writers.docx.document import write as docx_write
from packgen.writers.html.page import write as html_write
from packgen.writers.pdf.document import write

from conftest import ROOT, SHIPPED_DOCUMENTS, require
from samples import make_document, theme

JS = ROOT / "tests" / "js"
BLOCKS = {"P", "H1", "H2", "H3", "H4", "H5", "H6", "Lbl", "TH", "TD", "Caption", "Figure"}


@dataclass
class Line:
    """One line of one block on one page: its baseline, the block's type and identity."""

    page: int
    baseline: float
    kind: str  # the block's standard structure type (P, H2, Lbl...)
    block: int  # the block element's object number
    items: tuple[int, ...]  # the list items it is in, innermost first
    header: bool  # in a table's header cell
    link: bool  # every word of the line is a link's
    text: str


def page_lines(path: Path) -> list[Line]:
    """Every tagged line of the PDF, page by page, top to bottom (artifacts such as the footer left out).

    A line's block is the nearest structure element of a block type, its own type mapped to a
    standard one through the tree's RoleMap (LibreOffice tags a paragraph with its style's name).
    """
    with pikepdf.open(path) as pdf:
        root = pdf.Root.StructTreeRoot
        roles = {str(k)[1:]: str(v)[1:] for k, v in root.get("/RoleMap", {}).items()}
        parents = pikepdf.NumberTree(root.ParentTree)
        out: list[Line] = []
        document = pdfium.PdfDocument(str(path))
        for number, (page, pike_page) in enumerate(zip(document, pdf.pages, strict=True)):
            owners = parents[int(pike_page.obj.StructParents)]
            found: dict[tuple[int, int], Line] = {}
            textpage = page.get_textpage()
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_IMAGE],
                                        textpage=textpage):
                mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj.raw)
                if mcid < 0:
                    continue
                chain = []
                node = owners[mcid]
                while "/S" in node:
                    chain.append((node, roles.get(str(node.S)[1:], str(node.S)[1:])))
                    node = node.P
                kinds = [kind for _, kind in chain]
                block, kind = next(((n, kind) for n, kind in chain if kind in BLOCKS), chain[0])
                items = tuple(n.objgen[0] for n, kind in chain if kind == "LI")
                text = obj.extract() if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT else ""
                baseline = obj.get_matrix().f if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT else obj.get_bounds()[1]
                key = (round(baseline), block.objgen[0])
                line = found.get(key)
                if line is None:
                    found[key] = Line(number, baseline, kind, block.objgen[0], items, "TH" in kinds,
                                      "Link" in kinds, text)
                else:
                    line.link = line.link and "Link" in kinds
                    line.text += text
            out.extend(sorted(found.values(), key=lambda line: -line.baseline))
        document.close()
    return out


def break_problems(path: Path, paragraphs: bool = True) -> list[str]:
    """What a reader would see as a bad page break, one sentence each (none: the pages break well);
    without `paragraphs`, only what ends a page (the rules on a paragraph's lines left out)."""
    lines = page_lines(path)
    pages = [[line for line in lines if line.page == n] for n in range(max(line.page for line in lines) + 1)]
    item_start: dict[int, Line] = {}  # each list item's first line (its label's)
    for line in lines:
        for item in line.items:
            item_start.setdefault(item, line)
    out = []
    for n, (here, overleaf) in enumerate(pairwise(pages)):
        if not here:
            continue
        last = here[-1]
        if last.kind.startswith("H"):
            out.append(f"page {n + 1} ends with the heading '{last.text.strip()}'")
        if last.header:
            out.append(f"page {n + 1} ends with a table's header row ('{last.text.strip()}')")
        start = item_start.get(last.items[0]) if last.items else None
        if start is not None and start.page == n and abs(start.baseline - last.baseline) < 4 and any(
                last.items[0] in line.items for line in overleaf):
            out.append(f"page {n + 1} ends with a list item's label line, its item overleaf: '{last.text.strip()}'")
    if not paragraphs:
        return out
    blocks: dict[int, list[Line]] = {}
    for line in lines:
        if (line.kind == "P" or line.kind.startswith("H")) and not line.header:
            blocks.setdefault(line.block, []).append(line)
    for block in blocks.values():
        parts: dict[int, list[Line]] = {}
        for line in block:
            parts.setdefault(line.page, []).append(line)
        if len(parts) < 2:
            continue
        for page, part in parts.items():
            if len(part) == 1:
                out.append(f"page {page + 1} has one line alone of a {len(block)}-line paragraph: "
                           f"'{part[0].text.strip()}'")
            if page != block[0].page and all(line.link for line in part):
                out.append(f"page {page + 1} holds only the link that ends a paragraph: '{part[0].text.strip()}'")
    return out


# --- the shipped pack -------------------------------------------------------------------------------

@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_every_shipped_pdf_breaks_its_pages_well(built_pack, variant):
    paths = [built_pack / variant / f"{d}.pdf" for d in SHIPPED_DOCUMENTS] + [built_pack / variant / "pack.pdf"]
    assert {path.name: break_problems(path) for path in paths} == {path.name: [] for path in paths}


# --- documents of many lengths ----------------------------------------------------------------------

WORDS = "people with lived experience shape the work from the start and share the decisions made".split()


def words(count: int, start: int = 0) -> str:
    return " ".join(WORDS[(start + i) % len(WORDS)] for i in range(count))


def charter(lead: int) -> str:
    """A charter whose first paragraph is `lead` lines or so long, so all that follows it (headings,
    paragraphs of one to fifteen lines, lists, a table, sentences ending in an e-mail address and a
    link) falls at a different place on its page for each length."""
    parts = ["# A charter of many lengths", words(lead * 11 + 1) + "."]
    for s in range(4):
        parts += [f"## Section {s + 1}: what we promise", words(160 + s, 3) + ".", f"### Part {s + 1}.1"]
        parts += [words(n * 11 + s, n) + "." for n in (1, 2, 3, 4, 5, 7)]
        parts.append(f"### Part {s + 1}.2: a list")
        parts.append("\n".join(f"- {words(k * 8 + 3, k)}." for k in range(1, 6)))
        parts.append(f"1. A lead line for this item:\n   - {words(14, 3)}\n   - {words(20, 4)}\n2. {words(30, 1)}.")
        parts.append("| Who | What they do |\n| --- | --- |\n"
                     + "\n".join(f"| Person {r} | {words(r * 5 + 2, r)} |" for r in range(1, 7)))
        parts.append(words(25 + s * 3, 2) + " write to participation@riverside.example.org")
        parts.append(words(30 + s * 4, 5) + " read more at [the partnership's page about paying people]"
                     "(https://example.org/paying-people).")
    return "\n\n".join(parts) + "\n"


LEADS = range(0, 40)


@pytest.fixture(scope="module")
def many_lengths(tmp_path_factory) -> dict[tuple[str, int], Path]:
    out = tmp_path_factory.mktemp("lengths")
    made = {}
    for variant in ("standard", "easy-read"):
        for lead in LEADS:
            path = out / f"{variant}-{lead}.pdf"
            write(make_document(charter(lead), variant=variant), theme(), path)
            made[variant, lead] = path
    return made


def test_documents_of_many_lengths_break_their_pages_well(many_lengths):
    found = {f"{variant} {lead}": problems for (variant, lead), path in many_lengths.items()
             if (problems := break_problems(path))}
    assert found == {}


def test_a_heading_at_a_page_foot_begins_its_long_paragraph_there(many_lengths):
    """A heading and the long paragraph under it begin at the foot of a page when a heading and two
    lines fit there: the page is not left half empty (a word processor's keep-with-next)."""
    body = theme().variant("standard").body
    line = body.size * body.line_spacing
    bottom = theme().page.margins.bottom * mm
    gaps = []
    for (variant, lead), path in many_lengths.items():
        if variant != "standard":
            continue
        lines = page_lines(path)
        for before, after in pairwise(lines):
            if after.page == before.page + 1 and after.kind == "H2" and before.kind == "P":
                gaps.append((lead, after.page, round((before.baseline - bottom) / line, 1)))
    assert gaps and max(g for _, _, g in gaps) < 4, gaps


# --- the same rules in Word -------------------------------------------------------------------------

def word_file(tmp_path: Path, lead: int) -> Path:
    path = tmp_path / f"charter-{lead}.docx"
    docx_write(make_document(charter(lead)), theme(), path)
    return path


def test_word_keeps_headings_label_lines_and_header_rows_with_what_follows_and_controls_widows(tmp_path):
    """What Word reads from the file (python-docx): every paragraph under widow control, headings kept
    with the next paragraph, a list item's first paragraph kept with the rest of its item, and a
    table's header row repeated, never split and kept with the first row."""
    document = docx.Document(str(word_file(tmp_path, 3)))
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    assert defaults.find(qn("w:widowControl")) is not None
    assert not document.styles.element.xpath(".//w:widowControl[@w:val='0' or @w:val='false']")
    for level in (1, 2, 3):
        assert document.styles[f"Heading {level}"].paragraph_format.keep_with_next
    leads = [p for p in document.paragraphs if p.text == "A lead line for this item:"]
    assert leads and all(p.paragraph_format.keep_with_next for p in leads)
    ends = [p for p in document.paragraphs if p.text.startswith(words(30, 1))]  # an item of one paragraph
    assert ends and not any(p.paragraph_format.keep_with_next for p in ends)
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header.find(qn("w:tblHeader")) is not None and header.find(qn("w:cantSplit")) is not None
        assert all(p.paragraph_format.keep_with_next for cell in table.rows[0].cells for p in cell.paragraphs)


def test_libreoffice_prints_the_word_file_with_pages_that_break_well(tmp_path):
    files = [word_file(tmp_path, lead) for lead in range(0, 40, 3)]
    soffice = require("soffice")
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}',
                    "--outdir", str(tmp_path), *map(str, files)], check=True, capture_output=True, timeout=300)
    found = {path.stem: problems for path in files if (problems := break_problems(path.with_suffix(".pdf")))}
    assert found == {}


# --- the same rules in print CSS --------------------------------------------------------------------

def test_the_print_stylesheet_keeps_headings_label_lines_and_header_rows_with_what_follows(tmp_path):
    path = tmp_path / "charter.html"
    html_write(make_document(charter(3)), theme(), path)
    css = " ".join(lxml.html.parse(str(path)).xpath("//style/text()"))
    printed = " ".join(css[css.index("@media print"):].split())
    for rule in ("p, li, td, th, figcaption { orphans: 2; widows: 2; }",
                 "h1, h2, h3, h4, h5, h6, legend { break-after: avoid; break-inside: avoid; }",
                 "li > p:first-child:not(:last-child) { break-after: avoid; }",
                 "thead { display: table-header-group; break-after: avoid; }"):
        assert rule in printed


@pytest.mark.slow
def test_chromium_prints_web_pages_whose_pages_never_end_with_a_heading_a_label_line_or_a_header_row(tmp_path):
    """Chromium's own print (its tagged PDF) of documents of many lengths. Only what ends a page is
    checked: Chromium 156 splits a three-line paragraph two and one rather than moving it whole,
    whatever `widows` asks (a browser's own line breaking, not the stylesheet's)."""
    node = require("node")
    if not (JS / "node_modules" / "puppeteer-core").is_dir():
        require("tests/js/node_modules/puppeteer-core")
    found = {}
    for lead in range(9, 36, 3):
        page, printed = tmp_path / f"charter-{lead}.html", tmp_path / f"charter-{lead}.pdf"
        html_write(make_document(charter(lead)), theme(), page)
        done = subprocess.run([node, str(JS / "print_page.mjs"), "--chromium", require("chromium"), str(page),
                               str(printed)], cwd=JS, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        if problems := break_problems(printed, paragraphs=False):
            found[lead] = problems
    assert found == {}
