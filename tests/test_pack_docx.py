"""The shipped pack's Word files, opened as their readers' tools open them.

`make` builds all seven documents in every variant; every one must be an accessible Word file:
real headings, lists, tables and links (as pandoc reads them back), the right properties, and a
file LibreOffice opens and prints.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx
import pytest
from docx.shared import Pt

from packgen.sources.names import VARIANTS

from clients_docx import blocks_of, pandoc_json, pdf_pages, soffice_pdf
from conftest import SHIPPED_DOCUMENTS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CASES = [(d, v) for d in SHIPPED_DOCUMENTS for v in VARIANTS]


@pytest.fixture(scope="module")
def manifest(built_pack: Path) -> dict:
    return json.loads((built_pack / "manifest.json").read_text("utf-8"))


def docx_path(built_pack: Path, document: str, variant: str) -> Path:
    return built_pack / variant / f"{document}.docx"


def test_the_manifest_lists_every_word_file_of_every_variant(built_pack, manifest):
    listed = {(o["document"], o["variant"]) for o in manifest["outputs"] if o["format"] == "docx"}
    assert listed == set(CASES)
    assert manifest["pack"]["language"] == "en-GB" and manifest["pack"]["title"] == "Co-Production Charter"


@pytest.mark.parametrize("document, variant", CASES)
def test_word_file_is_accessible(built_pack, document, variant):
    path = docx_path(built_pack, document, variant)
    word = docx.Document(str(path))
    props = word.core_properties
    assert props.title and props.author == "West Midlands Social Work Teaching Partnership"
    assert props.language == "en-GB" and props.subject

    # one Heading 1 (the title), then no skipped level
    levels = [int(p.style.name.split()[-1]) for p in word.paragraphs if p.style.name.startswith("Heading ")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels

    # A4, body text at least 12pt (16pt easy read), never empty paragraphs for spacing
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    minimum = Pt(16 if variant == "easy-read" else 12)
    assert word.styles["Normal"].font.size >= minimum
    for p in word.paragraphs:
        for run in p.runs:
            assert run.font.size is None or run.font.size >= minimum, (p.text, run.font.size)
        xml = p._p.xml
        if not p.text.strip():
            assert any(tag in xml for tag in ("<w:drawing", "<w:br", "w:sdt", "<w:sectPr", "w:fldChar")), \
                "an empty paragraph used for spacing"

    # tables: header row repeats and is flagged in the table look
    for table in word.tables:
        first = table.rows[0]._tr
        assert first.find(f"{W}trPr/{W}tblHeader") is not None
        look = table._tbl.find(f"{W}tblPr/{W}tblLook")
        assert look is not None and look.get(f"{W}firstRow") == "1"

    # every picture described
    for doc_pr in word.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
        assert doc_pr.get("descr"), "a picture without alt text"

    # footer: title, version, and a live page number
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "0.1" in footer_xml


@pytest.mark.parametrize("document, variant", CASES)
def test_pandoc_reads_real_structure(built_pack, document, variant):
    ast = pandoc_json(docx_path(built_pack, document, variant))
    headers = blocks_of(ast, "Header")
    assert headers and headers[0]["c"][0] == 1
    if variant == "standard" and document == "charter":  # the commitments
        assert blocks_of(ast, "BulletList") or blocks_of(ast, "OrderedList")
    if variant == "standard" and document == "appendix-b":
        tables = blocks_of(ast, "Table")
        assert tables, "the self-assessment checklist is a real table"
        head = tables[0]["c"][3]  # TableHead: [attr, rows]
        assert head[1], "the checklist table has a header row"
    if document == "appendix-d" and variant == "standard":
        links = blocks_of(ast, "Link")
        targets = [link["c"][2][0] for link in links]
        assert len([t for t in targets if t.startswith("https://")]) >= 5
    # every document says how to ask for another format, with the contact from the sources
    text = json.dumps(ast)
    assert "coproduction@wmswtp.example.org" in text


def test_libreoffice_opens_and_prints_the_charter(built_pack, tmp_path):
    pdfs = soffice_pdf([docx_path(built_pack, "charter", "standard"),
                        docx_path(built_pack, "charter", "easy-read")], tmp_path / "pdf", tmp_path / "profile")
    assert all(pdf_pages(pdf) >= 2 for pdf in pdfs)


def _headings(ast: dict) -> list[tuple[int, str]]:
    def words(inlines: list) -> str:
        return "".join(i["c"] if i["t"] == "Str" else " " if i["t"] == "Space" else words(i["c"][-1])
                       if isinstance(i.get("c"), list) else "" for i in inlines)
    return [(h["c"][0], words(h["c"][2])) for h in blocks_of(ast, "Header")]


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_group_of_the_pledge_form_has_a_heading_in_word_and_pdf(built_pack, variant):
    # The web page names each group of fields with its fieldset's legend; Word's navigation pane and
    # the PDF's tags (as Poppler reads them) list the same names as headings, each one level below
    # the section it is in.
    from lxml import html

    from pdf_clients import struct_text

    # large print has the standard text, and no web page of its own: its legends are the standard page's
    page_variant = "standard" if variant == "large-print" else variant
    page = html.fromstring((built_pack / page_variant / "pledge-form.html").read_bytes())
    legends = [" ".join(legend.text_content().split()) for legend in page.iter("legend")]
    assert len(legends) >= 3
    word = _headings(pandoc_json(docx_path(built_pack, "pledge-form", variant)))
    tree = struct_text(built_pack / variant / "pledge-form.pdf")
    pdf = [(int(level), " ".join(text.split()))
           for level, text in re.findall(r'^\s*H([1-6]) \(block\)\n\s*"(.*)"$', tree, re.M)]
    for reader in (word, pdf):
        names = [name for _, name in reader]
        for legend in legends:
            assert legend in names, (legend, reader)
            at = names.index(legend)
            assert reader[at][0] == reader[at - 1][0] + 1, reader
