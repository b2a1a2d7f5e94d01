"""Every PDF of the shipped pack, opened with tools nobody on the project wrote.

The PDF writer's own tests use a sample; these take the real charter pack, all seven documents in
every variant, and ask Poppler, qpdf, pdf.js and the pdfua checker what a reader's tools see.
The easy-read variant is also held to its own promises: large type, pictures with descriptions,
no data tables, and text that reads easily (measured on what pandoc reads out of the Word file).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import textstat

from packgen.readability import sentences, word_count
from packgen.sources.names import VARIANTS

from clients_docx import blocks_of, pandoc_json
from conftest import SHIPPED_DOCUMENTS
from pdf_clients import missing, pdffonts, pdfjs, pdfjs_roles, require, run, struct_strings, struct_text

CASES = [(d, v) for d in SHIPPED_DOCUMENTS for v in VARIANTS]


def pdf(built_pack: Path, document: str, variant: str) -> Path:
    return built_pack / variant / f"{document}.pdf"


@pytest.mark.parametrize("document, variant", CASES)
def test_poppler_sees_a_tagged_pdf_with_embedded_unicode_fonts(built_pack, document, variant):
    path = pdf(built_pack, document, variant)
    info = run(require("pdfinfo"), str(path))
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(r"^Page size:.*\(A4\)$", info, re.M)
    fonts = pdffonts(path)
    assert fonts and all(f["emb"] == "yes" and f["uni"] == "yes" for f in fonts), fonts
    tree = struct_text(path)
    assert "Document" in tree and "H1" in tree and '"' in tree
    assert "Page 1 of" not in tree  # page numbers are artifacts, not content


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_font_subset_of_the_combined_pdf_has_its_own_name(built_pack, variant):
    subsets = [f["name"] for f in pdffonts(built_pack / variant / "pack.pdf") if f["sub"] == "yes"]
    assert len(subsets) > len(SHIPPED_DOCUMENTS)  # each document brings its own subsets
    assert len(set(subsets)) == len(subsets), subsets


@pytest.mark.parametrize("document, variant", CASES)
def test_qpdf_and_the_pdfua_checker_pass(built_pack, document, variant):
    path = pdf(built_pack, document, variant)
    assert "No syntax or stream encoding errors" in run(require("qpdf"), "--check", str(path))
    exe = Path(sys.executable).with_name("pdfua")
    if not exe.exists():
        missing("the pdfua checker is not installed")
    result = subprocess.run([str(exe), "check", "--format", "json", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    text = json.dumps(json.loads(result.stdout)).lower()
    assert '"severity": "error"' not in text and '"severity": "warning"' not in text


@pytest.mark.parametrize("document, variant", CASES)
def test_pdfjs_reads_structure_title_and_language(built_pack, document, variant):
    data = pdfjs(pdf(built_pack, document, variant))
    nodes = [n for page in data["pages"] for n in pdfjs_roles(page["structTree"])]
    roles = {n["role"] for n in nodes}
    assert {"H1", "P"} <= roles
    assert data["info"]["Language"] == "en-GB"
    assert data["info"]["Title"] and data["metadata"]["dc:title"] == data["info"]["Title"]
    figures = [n for n in nodes if n["role"] == "Figure"]
    assert all(n.get("alt") for n in figures)
    if variant == "easy-read":
        assert figures, "easy-read points have pictures"
        assert "Table" not in roles, "easy-read points are never a data table"
    if document == "appendix-b" and variant == "standard":
        assert {"Table", "TH", "TD"} <= roles
    if document == "charter" and variant == "standard":
        assert {"L", "LI"} <= roles


def parts_outside_lists(tree: dict, parent: str = "") -> list[str]:
    """The Lbl and LBody elements pdf.js finds anywhere but in a list item, with what holds them."""
    found = [f"{node['role']} in {parent or 'the root'}" for node in [tree] if node.get("role") in ("Lbl", "LBody")
             and parent != "LI"]
    for child in tree.get("children", []):
        found += parts_outside_lists(child, tree.get("role", parent))
    return found


@pytest.mark.parametrize("variant", VARIANTS)
def test_form_labels_are_paragraphs_and_list_labels_stay_in_lists(built_pack, variant):
    for path in (pdf(built_pack, "pledge-form", variant), built_pack / variant / "pack.pdf"):
        pages = pdfjs(path)["pages"]
        assert [found for page in pages for found in parts_outside_lists(page["structTree"])] == [], path
        roles = [n["role"] for page in pages for n in pdfjs_roles(page["structTree"])]
        assert "Form" in roles  # the fields are there
        if path.name == "pack.pdf":  # the charter's lists: their bullets keep their Lbl
            assert "Lbl" in roles


def visible_font_sizes(path: Path) -> list[float]:
    """The size of every character drawn on every page, as pdfium (Chrome's engine) measures it."""
    sizes = []
    document = pdfium.PdfDocument(str(path))
    for page in document:
        text = page.get_textpage()
        for i in range(text.count_chars()):
            if text.get_text_range(i, 1).strip():
                sizes.append(pdfium_c.FPDFText_GetFontSize(text.raw, i))
    return sizes


@pytest.mark.parametrize("document", SHIPPED_DOCUMENTS)
def test_easy_read_pdf_has_no_text_under_16pt(built_pack, document):
    sizes = visible_font_sizes(pdf(built_pack, document, "easy-read"))
    assert sizes and min(sizes) >= 15.95, min(sizes)
    standard = visible_font_sizes(pdf(built_pack, document, "standard"))
    assert min(s for s in standard) >= 9.95  # the footer may be 10pt; body text is checked by the checker


@pytest.mark.parametrize("document", SHIPPED_DOCUMENTS)
def test_easy_read_word_file_reads_easily_as_pandoc_reads_it(built_pack, document):
    ast = pandoc_json(built_pack / "easy-read" / f"{document}.docx")
    images = blocks_of(ast, "Image")
    assert images and all(image["c"][1] for image in images), "every picture has a description"
    headers = blocks_of(ast, "Header")
    assert headers and headers[0]["c"][0] == 1
    # the words of each easy-read point: the paragraphs that start with a picture
    points = []
    for para in blocks_of(ast, "Para") + blocks_of(ast, "Plain"):
        inlines = para["c"]
        if inlines and inlines[0]["t"] == "Image":
            points.append(_words(inlines[1:]))
    contact = ("coproduction@wmswtp.example.org", "0121 000 0000")
    text = [p for p in points if p and not any(c in p for c in contact)]
    all_sentences = [s for p in text for s in sentences(p if p.endswith((".", "?", "!", ":")) else p + ".")]
    assert all_sentences
    assert max(word_count(s) for s in all_sentences) <= 15, max(all_sentences, key=word_count)
    assert textstat.flesch_reading_ease(" ".join(all_sentences)) >= 70


def _words(inlines: list) -> str:
    out = []
    for node in inlines:
        kind = node["t"]
        if kind == "Str":
            out.append(node["c"])
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Strong", "Emph", "Underline", "SmallCaps", "Strikeout"):
            out.append(_words(node["c"]))
        elif kind in ("Link", "Span"):
            out.append(_words(node["c"][1]))
        elif kind == "Quoted":
            out.append('"' + _words(node["c"][1]) + '"')
    return "".join(out).strip()


@pytest.mark.parametrize("document, variant", CASES)
def test_a_draft_says_so_once_to_a_screen_reader_and_on_every_page_to_the_eye(built_pack, document, variant):
    path = pdf(built_pack, document, variant)
    heard = struct_strings(path)  # the tagged text, in reading order, as Poppler reads it
    assert heard[0] == "DRAFT" and heard.count("DRAFT") == 1, heard[:3]
    pages = int(re.search(r"^Pages:\s+(\d+)", run(require("pdfinfo"), str(path)), re.M).group(1))
    for page in range(1, pages + 1):
        assert "DRAFT" in run(require("pdftotext"), "-f", str(page), "-l", str(page), str(path), "-")
