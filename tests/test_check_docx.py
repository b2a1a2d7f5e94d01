"""DOCX rules: a good python-docx file passes, and each rule catches a file made to break it."""

from __future__ import annotations

import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from packgen.check import check_paths
from packgen.check.findings import Finding
from packgen.errors import SourceError
from packgen.theme import load_theme

from conftest import own_copy, require, run_packgen

PIXEL = Path(__file__).parent / "fixtures" / "pixel.png"


def rules(findings: list[Finding], severity: str = "error") -> set[str]:
    return {f.rule for f in findings if f.severity == severity}


def check(path: Path) -> list[Finding]:
    return check_paths([path], axe=False)


def add_link(paragraph, url: str, text: str) -> None:
    """python-docx has no API for a hyperlink: the XML Word itself writes."""
    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def mark_header(table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def good_document() -> docx.Document:
    """A document that follows every rule: title, language, 12pt black text, headings, alt text, header row."""
    d = docx.Document()
    d.core_properties.title = "Good document"
    d.core_properties.language = "en-GB"
    d.styles["Normal"].font.size = Pt(12)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4", "Title"):
        d.styles[name].font.color.rgb = RGBColor(0x1F, 0x2A, 0x44)
    d.add_heading("Good document", 1)
    d.add_paragraph("This document follows the rules.")
    d.add_heading("A section", 2)
    p = d.add_paragraph("Read ")
    add_link(p, "https://example.org/charter", "the full charter")
    d.add_paragraph("First point", style="List Bullet")
    d.add_paragraph("Second point", style="List Bullet")
    d.add_picture(str(PIXEL))
    d.inline_shapes[0]._inline.docPr.set("descr", "A blue dot")
    table = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Name", (0, 1): "Role", (1, 0): "Ann", (1, 1): "Chair"}.items():
        table.cell(r, c).text = text
    mark_header(table)
    d.add_paragraph("After the table.")
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_heading("Another section", 2)
    d.add_paragraph("The end.")
    return d


def build(tmp_path: Path, change: Callable[[docx.Document], None] | None = None, name: str = "doc.docx") -> Path:
    d = good_document()
    if change:
        change(d)
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(path))
    return path


def test_good_document_passes(tmp_path: Path) -> None:
    assert check(build(tmp_path)) == []


def test_missing_title(tmp_path: Path) -> None:
    def change(d):
        d.core_properties.title = ""
    assert rules(check(build(tmp_path, change))) == {"docx-title"}


def test_missing_language(tmp_path: Path) -> None:
    def change(d):
        d.core_properties.language = ""
        for lang in d.styles.element.iter(qn("w:lang")):
            lang.getparent().remove(lang)
    assert rules(check(build(tmp_path, change))) == {"docx-language"}


def test_no_headings(tmp_path: Path) -> None:
    d = docx.Document()
    d.core_properties.title = "No headings"
    d.styles["Normal"].font.size = Pt(12)
    d.add_paragraph("Just text.")
    path = tmp_path / "flat.docx"
    d.save(str(path))
    assert rules(check(path)) == {"docx-headings"}


def test_skipped_heading(tmp_path: Path) -> None:
    def change(d):
        d.add_heading("Too deep", 4)
    found = check(build(tmp_path, change))
    assert rules(found) == {"docx-heading-skip"}
    assert "Too deep" in next(f.where for f in found if f.rule == "docx-heading-skip")


def test_two_top_level_headings(tmp_path: Path) -> None:
    def change(d):
        d.add_heading("Second title", 1)
    assert rules(check(build(tmp_path, change))) == {"docx-heading-one-top"}


def test_picture_without_alt_text(tmp_path: Path) -> None:
    def change(d):
        d.add_picture(str(PIXEL))
    assert rules(check(build(tmp_path, change))) == {"docx-alt-text"}


def test_decorative_picture_passes(tmp_path: Path) -> None:
    def change(d):
        d.add_picture(str(PIXEL))
        doc_pr = d.inline_shapes[1]._inline.docPr
        ext_lst = OxmlElement("a:extLst")
        ext = OxmlElement("a:ext")
        ext.set("uri", "{C183D7F6-B498-43B3-948B-1728B52AA6E4}")
        decorative = doc_pr.makeelement("{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative",
                                        {"val": "1"})
        ext.append(decorative)
        ext_lst.append(ext)
        doc_pr.append(ext_lst)
    assert check(build(tmp_path, change)) == []


def test_table_without_header(tmp_path: Path) -> None:
    def change(d):
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "x"
        look = table._tbl.tblPr.find(qn("w:tblLook"))
        table._tbl.tblPr.remove(look)
    found = check(build(tmp_path, change))
    assert rules(found) == {"docx-table-header"}
    assert "table 2" in found[0].where


def test_table_header_styled_only_is_a_warning(tmp_path: Path) -> None:
    def change(d):
        d.add_table(rows=2, cols=2).cell(0, 0).text = "x"  # python-docx sets tblLook firstRow
    found = check(build(tmp_path, change))
    assert rules(found) == set() and rules(found, "warning") == {"docx-table-header"}


def test_merged_cells(tmp_path: Path) -> None:
    def change(d):
        table = d.add_table(rows=2, cols=3)
        mark_header(table)
        table.cell(1, 0).merge(table.cell(1, 1))
    assert rules(check(build(tmp_path, change))) == {"docx-table-merged"}


def test_small_text(tmp_path: Path) -> None:
    def change(d):
        d.add_paragraph().add_run("Small print").font.size = Pt(10)
    found = check(build(tmp_path, change))
    assert rules(found) == {"format-text-size"}
    assert "10pt" in found[0].message and "Small print" in found[0].where


def test_light_grey_text(tmp_path: Path) -> None:
    def change(d):
        d.add_paragraph().add_run("Faint words").font.color.rgb = RGBColor(0xAA, 0xAA, 0xAA)
    found = check(build(tmp_path, change))
    assert rules(found) == {"docx-contrast"}
    assert "#AAAAAA" in found[0].message


def test_white_text_on_dark_shading_passes_and_on_pale_fails(tmp_path: Path) -> None:
    def shaded(fill: str):
        def change(d):
            p = d.add_paragraph()
            p.add_run("On a band").font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            shd = OxmlElement("w:shd")
            shd.set(qn("w:val"), "clear")
            shd.set(qn("w:fill"), fill)
            p._p.get_or_add_pPr().append(shd)
        return change
    assert check(build(tmp_path, shaded("1F2A44"), "dark.docx")) == []
    assert rules(check(build(tmp_path, shaded("DDDDDD"), "pale.docx"))) == {"docx-contrast"}



@pytest.mark.parametrize("grey, enough", [("767676", True), ("777777", False)])
def test_the_theme_and_the_checker_draw_the_contrast_line_at_the_same_grey(mini_pack, tmp_path: Path, grey: str,
                                                                           enough: bool) -> None:
    # #767676 on white is 4.54:1, #777777 is 4.48:1: a theme packgen accepts never fails packgen check
    templates = mini_pack[1]
    theme_file = own_copy(templates, "theme.yaml")
    text = theme_file.read_text("utf-8")
    assert '  muted: "4D4D4D"' in text
    theme_file.write_text(text.replace('  muted: "4D4D4D"', f'  muted: "{grey}"'), "utf-8")
    if enough:
        assert load_theme(templates).colours.muted == grey
    else:
        with pytest.raises(SourceError, match=f"the colour muted \\({grey}\\) has a contrast of 4.48:1"):
            load_theme(templates)

    def change(d):
        d.add_paragraph().add_run("Muted words").font.color.rgb = RGBColor.from_string(grey)
    found = check(build(tmp_path, change))
    assert rules(found) == (set() if enough else {"docx-contrast"})

def test_empty_paragraphs_for_spacing(tmp_path: Path) -> None:
    def change(d):
        d.add_paragraph("Before the gap.")
        d.add_paragraph()
        d.add_paragraph()
        d.add_paragraph("After the gap.")
    found = check(build(tmp_path, change))
    assert rules(found) == {"docx-empty-paragraph"}
    assert len(found) == 1  # one run of empty paragraphs, one finding


def test_single_empty_paragraph_between_content(tmp_path: Path) -> None:
    def change(d):
        d.add_paragraph("Before.")
        d.add_paragraph("")
        d.add_paragraph("After.")
    assert rules(check(build(tmp_path, change))) == {"docx-empty-paragraph"}


@pytest.mark.parametrize("text", ["• typed bullet", "- dash bullet", "* star bullet", "1. typed number",
                                  "a) typed letter"])
def test_typed_bullets_and_numbers(tmp_path: Path, text: str) -> None:
    def change(d):
        d.add_paragraph(text)
    assert rules(check(build(tmp_path, change))) == {"docx-typed-list"}


@pytest.mark.parametrize(("text", "severity"), [("https://example.org/charter", "warning"),
                                                ("click here", "error"), ("Read more", "error")])
def test_bad_link_text(tmp_path: Path, text: str, severity: str) -> None:
    def change(d):
        add_link(d.add_paragraph("See "), "https://example.org/charter", text)
    found = check(build(tmp_path, change))
    assert rules(found, severity) == {"docx-link-text"}
    assert "https://example.org/charter" in next(f.where for f in found if f.rule == "docx-link-text")


def test_easy_read_rules(tmp_path: Path) -> None:
    """In an easy-read folder: 12pt is too small, italics and long sentences and shouting are flagged."""
    def change(d):
        d.add_paragraph().add_run("Slanted words.").italic = True
        d.add_paragraph("This sentence is far too long for easy read because it keeps going on and on with "
                        "many words in it.")
        d.add_paragraph("PLEASE READ THIS NOW.")
    found = check(build(tmp_path, change, "easy-read/doc.docx"))
    assert {"format-text-size", "easy-read-italic"} <= rules(found)
    assert {"easy-read-sentence-length", "easy-read-capitals"} <= rules(found, "warning")
    # held to easy read's own smallest size, not the standard text's 12pt
    assert "Text is 12pt; easy read text must be at least 16pt." in [f.message for f in found]


def test_easy_read_from_keywords(tmp_path: Path) -> None:
    def change(d):
        d.core_properties.keywords = "charter, easy read"
    assert "format-text-size" in rules(check(build(tmp_path, change)))


def test_large_print_word_file_under_16pt_is_a_finding_naming_its_size(tmp_path: Path) -> None:
    # the same 12pt file that passes as standard text fails in a large-print folder, or when its
    # keywords say it is large print
    assert check(build(tmp_path / "standard")) == []
    found = check(build(tmp_path, name="large-print/doc.docx"))
    assert rules(found) == {"format-text-size"}
    assert "Text is 12pt; large print text must be at least 16pt." in [f.message for f in found]

    def change(d):
        d.core_properties.keywords = "charter, large print"
    assert rules(check(build(tmp_path / "elsewhere", change))) == {"format-text-size"}

    def bigger(d):
        d.styles["Normal"].font.size = Pt(18)
        for style in d.styles:
            if getattr(style, "font", None) is not None and style.font.size is not None:
                style.font.size = Pt(max(18, style.font.size.pt))
        for p in d.paragraphs:
            for r in p.runs:
                r.font.size = None
    assert check(build(tmp_path / "big", bigger, "large-print/doc.docx")) == []


def test_pandoc_docx_with_undescribed_image_fails(tmp_path: Path) -> None:
    pandoc = require("pandoc")
    (tmp_path / "pixel.png").write_bytes(PIXEL.read_bytes())
    (tmp_path / "in.md").write_text("---\ntitle: From pandoc\nlang: en-GB\n---\n\n# Heading\n\n![](pixel.png)\n",
                                    "utf-8")
    subprocess.run([pandoc, "in.md", "-o", "out.docx"], cwd=tmp_path, check=True, timeout=120)
    assert "docx-alt-text" in rules(check(tmp_path / "out.docx"))


def test_pandoc_docx_with_described_image_has_alt_text(tmp_path: Path) -> None:
    pandoc = require("pandoc")
    (tmp_path / "pixel.png").write_bytes(PIXEL.read_bytes())
    (tmp_path / "in.md").write_text("---\ntitle: From pandoc\nlang: en-GB\n---\n\n# Heading\n\n"
                                    "![A blue dot](pixel.png)\n", "utf-8")
    subprocess.run([pandoc, "in.md", "-o", "out.docx"], cwd=tmp_path, check=True, timeout=120)
    assert "docx-alt-text" not in rules(check(tmp_path / "out.docx"))


# --- content controls ------------------------------------------------------------------------


def _written_form(tmp_path: Path) -> Path:
    """A Word form as packgen writes it (the sample's fields: text, email, date, tick box, multi-line)."""
    from packgen.writers.docx.document import write

    from samples import make_document, sample_blocks, theme

    path = tmp_path / "form.docx"
    write(make_document(sample_blocks()), theme(), path)
    return path


def _edit_document(path: Path, target: Path, change: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = [(i.filename, archive.read(i)) for i in archive.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            archive.writestr(name, change(data) if name == "word/document.xml" else data)
    return target


def test_our_form_controls_show_words_and_pass(tmp_path: Path) -> None:
    assert "docx-blank-placeholder" not in rules(check(_written_form(tmp_path)))


@pytest.mark.parametrize("blanks", ["\u00a0" * 24, " " * 10, "\t\t", "\u00a0 \u00a0 "])
def test_a_control_showing_only_blanks_is_an_error(tmp_path: Path, blanks: str) -> None:
    """The Word form another tool (or an older packgen) made: its placeholder is a run of blanks."""
    from lxml import etree

    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def blank_out(data: bytes) -> bytes:
        root = etree.fromstring(data)
        for sdt in root.iter(f"{{{W}}}sdt"):
            if sdt.find(f"{{{W}}}sdtPr/{{{W}}}tag").get(f"{{{W}}}val") != "organisation":
                continue
            ts = list(sdt.iter(f"{{{W}}}t"))
            for t in ts[1:]:
                t.text = ""
            ts[0].text = blanks.replace("\t", "")
            ts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            for _ in range(blanks.count("\t")):
                etree.SubElement(ts[0].getparent(), f"{{{W}}}tab")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    broken = _edit_document(_written_form(tmp_path), tmp_path / "broken.docx", blank_out)
    found = [f for f in check(broken) if f.rule == "docx-blank-placeholder"]
    assert len(found) == 1 and found[0].severity == "error"
    assert "Organisation name" in found[0].where and "placeholder" in found[0].message
    assert "Developer" in found[0].fix and "spaces" in found[0].fix  # what to do in Word, not in packgen


def test_a_filled_control_with_words_passes(tmp_path: Path) -> None:
    from packgen.writers.docx.fill import DocxTemplate

    filled = tmp_path / "filled.docx"
    filled.write_bytes(DocxTemplate.from_path(_written_form(tmp_path)).fill({"organisation": "Acme Care"}))
    assert "docx-blank-placeholder" not in rules(check(filled))


def test_a_bold_line_heading_a_section_fails(tmp_path: Path) -> None:
    def change(d):
        d.add_paragraph().add_run("Our values").bold = True
        d.add_paragraph("We treat people as experts in their own lives, and we pay them for their time.")
    [line] = [f for f in check(build(tmp_path, change)) if f.rule == "docx-visual-heading"]
    assert "Our values" in line.where and "bold or large" in line.message
    assert "Heading" in line.fix and "sources/" not in line.fix  # python-docx's file says Word made it


def test_a_large_line_heading_a_section_fails(tmp_path: Path) -> None:
    def change(d):
        d.add_paragraph().add_run("Our values").font.size = Pt(20)
        d.add_paragraph("We treat people as experts in their own lives, and we pay them for their time.")
    assert "docx-visual-heading" in rules(check(build(tmp_path, change)))


def test_a_subtitle_used_as_a_section_heading_fails(tmp_path: Path) -> None:
    def change(d):
        d.add_paragraph("Our values", style="Subtitle")
        d.add_paragraph("We treat people as experts in their own lives, and we pay them for their time.")
    [line] = [f for f in check(build(tmp_path, change)) if f.rule == "docx-visual-heading"]
    assert "'Subtitle' style" in line.message


def test_bold_words_that_are_no_heading_pass(tmp_path: Path) -> None:
    def change(d):
        d.add_paragraph().add_run("We mean every word of this.").bold = True  # a sentence: emphasis
        d.add_paragraph("We treat people as experts in their own lives, and we pay them for their time.")
        d.add_paragraph().add_run("Our values").bold = True  # a line above a heading
        d.add_heading("Values", 2)
        d.add_paragraph("Equality.")
    assert check(build(tmp_path, change)) == []


def test_the_packs_word_files_have_no_visual_headings(built_pack: Path) -> None:
    files = sorted(built_pack.rglob("*.docx"))
    assert len(files) > 10
    assert not [f for path in files for f in check(path) if f.rule == "docx-visual-heading"]


def test_a_word_file_with_no_content_types_is_said_to_be_one_word_cannot_open(tmp_path: Path) -> None:
    # a zip made by hand, or cut short by a tool that wrote the parts but not the list of them
    made = build(tmp_path / "made")
    handed = tmp_path / "acme.docx"
    with zipfile.ZipFile(made) as whole, zipfile.ZipFile(handed, "w") as cut:
        for part in whole.infolist():
            if part.filename != "[Content_Types].xml":
                cut.writestr(part, whole.read(part))
    result = run_packgen("check", handed.name, cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    [finding] = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert finding.startswith("error: docx-parse: acme.docx: whole file:"), finding
    assert "[Content_Types].xml" in finding and "Word cannot open it" in finding, finding
    assert "Traceback" not in result.stderr
