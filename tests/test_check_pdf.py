"""PDF rules: an untagged ReportLab PDF fails, a Typst PDF/UA-1 file passes, and each rule catches its break.

The bad files are the good Typst file with one thing broken by pikepdf, so each test shows that one
rule, and only that rule's cause, is what the checker reports.
"""

from __future__ import annotations

import os
import shutil
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from test_check_cli import pdf_bomb

from packgen.check import check_paths
from packgen.check.findings import Finding

from conftest import IN_CI, run_packgen

FIXTURES = Path(__file__).parent / "fixtures"

GOOD_TYP = """\
#set document(title: "Good document", keywords: ("test",))
#set text(lang: "en", region: "gb", size: 16pt)
= Good document
Some text in a paragraph. #link("https://example.org")[Read the example page]
== A section
#figure(image("pixel.png", width: 2cm, alt: "A single blue dot"), caption: [A dot])
#table(columns: 2, table.header([Name], [Role]), [Ann], [Chair])
#pagebreak()
== Another section
More text.
"""


def rules(findings: list[Finding], severity: str = "error") -> set[str]:
    return {f.rule for f in findings if f.severity == severity}


def check(path: Path) -> list[Finding]:
    return check_paths([path], axe=False, verapdf=False)


def _typst():
    try:
        import typst
    except ImportError:
        message = "the typst package is not installed (it belongs in the test extras)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return typst


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A PDF/UA-1 file exported by Typst: an independent writer whose tagging we trust."""
    typst = _typst()
    folder = tmp_path_factory.mktemp("typst")
    shutil.copy(FIXTURES / "pixel.png", folder / "pixel.png")
    (folder / "doc.typ").write_text(GOOD_TYP, "utf-8")
    out = folder / "good.pdf"
    out.write_bytes(typst.compile(str(folder / "doc.typ"), format="pdf", pdf_standards=["ua-1"]))
    return out


def broken(good: Path, tmp_path: Path, change: Callable[[pikepdf.Pdf], None], name: str = "bad.pdf") -> Path:
    out = tmp_path / name
    out.parent.mkdir(parents=True, exist_ok=True)
    with pikepdf.open(good) as pdf:
        change(pdf)
        pdf.save(out)
    return out


def elements(pdf: pikepdf.Pdf, kind: str) -> list[pikepdf.Dictionary]:
    """Struct elements of one type, in document order."""
    out = []
    stack = [pdf.Root.StructTreeRoot.K]
    while stack:
        node = stack.pop(0)
        if isinstance(node, pikepdf.Array):
            stack[0:0] = list(node)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if node.S == kind:
                out.append(node)
            if "/K" in node:
                stack.insert(0, node.K)
    return out


def test_typst_pdf_ua_passes(good_pdf: Path) -> None:
    assert check(good_pdf) == []


def test_untagged_reportlab_pdf_fails(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "untagged.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 12)
    c.drawString(72, 720, "Hello, this PDF has no tags.")
    c.showPage()
    c.drawString(72, 720, "Page two.")
    c.save()
    found = rules(check(path))
    assert {"pdf-marked", "pdf-tagged", "pdf-lang", "pdf-title", "pdf-display-title", "pdf-ua-id",
            "pdf-untagged-content", "pdf-font-embedded", "pdf-bookmarks"} <= found


def test_missing_lang(good_pdf: Path, tmp_path: Path) -> None:
    assert "pdf-lang" in rules(check(broken(good_pdf, tmp_path, lambda pdf: pdf.Root.__delitem__("/Lang"))))


def test_not_marked(good_pdf: Path, tmp_path: Path) -> None:
    assert rules(check(broken(good_pdf, tmp_path, lambda pdf: pdf.Root.__delitem__("/MarkInfo")))) == {"pdf-marked"}


def test_no_parent_tree(good_pdf: Path, tmp_path: Path) -> None:
    found = rules(check(broken(good_pdf, tmp_path, lambda pdf: pdf.Root.StructTreeRoot.__delitem__("/ParentTree"))))
    assert {"pdf-parent-tree", "pdf-mcid-parent-tree"} <= found


def test_title_and_display_title(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        del pdf.Root.ViewerPreferences["/DisplayDocTitle"]
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            del meta["dc:title"]
    assert {"pdf-title", "pdf-display-title"} <= rules(check(broken(good_pdf, tmp_path, change)))


def test_no_pdfua_identifier(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            del meta["pdfuaid:part"]
    assert rules(check(broken(good_pdf, tmp_path, change))) == {"pdf-ua-id"}


def test_untagged_content(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.pages[1].contents_add(pdf.make_stream(b"0 0 m 100 100 l S"), prepend=False)
    found = check(broken(good_pdf, tmp_path, change))
    assert [(f.rule, f.where) for f in found if f.severity == "error"] == [("pdf-untagged-content", "page 2")]


def test_artifact_content_is_fine(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.pages[1].contents_add(pdf.make_stream(b"/Artifact BMC 0 0 m 100 100 l S EMC"), prepend=False)
    assert check(broken(good_pdf, tmp_path, change)) == []


def test_untagged_content_inside_form_xobject(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        form = pdf.make_stream(b"0 0 m 10 10 l S")
        form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 10, 10]
        page = pdf.pages[1]
        if "/XObject" not in page.Resources:
            page.Resources.XObject = pikepdf.Dictionary()
        page.Resources.XObject["/Fx1"] = form
        page.contents_add(pdf.make_stream(b"/Fx1 Do"), prepend=False)
    assert "pdf-untagged-content" in rules(check(broken(good_pdf, tmp_path, change)))


def test_mcid_not_in_parent_tree(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.pages[1].contents_add(pdf.make_stream(b"/P <</MCID 77>> BDC 0 0 m 1 1 l S EMC"), prepend=False)
    assert "pdf-mcid-parent-tree" in rules(check(broken(good_pdf, tmp_path, change)))


def test_struct_element_points_at_missing_mcid(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        para = elements(pdf, "/P")[-1]
        kids = list(para.K) if isinstance(para.K, pikepdf.Array) else [para.K]
        para.K = pikepdf.Array([*kids, 99])
    assert "pdf-mcid-missing" in rules(check(broken(good_pdf, tmp_path, change)))


def test_skipped_heading(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        elements(pdf, "/H2")[0].S = pikepdf.Name.H4
    assert rules(check(broken(good_pdf, tmp_path, change))) == {"pdf-heading-skip"}


def test_figure_without_alt(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        for fig in elements(pdf, "/Figure"):
            for key in ("/Alt", "/ActualText"):
                if key in fig:
                    del fig[key]
    assert rules(check(broken(good_pdf, tmp_path, change))) == {"pdf-figure-alt"}


def test_table_without_header_cells(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        for th in elements(pdf, "/TH"):
            th.S = pikepdf.Name.TD
    assert rules(check(broken(good_pdf, tmp_path, change))) == {"pdf-table-headers"}


def test_untagged_link_and_tab_order(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0]
        del page.obj["/Tabs"]
        page.Annots.append(pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10],
            A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/x")))))
    found = check(broken(good_pdf, tmp_path, change))
    assert {"pdf-annot-tagged", "pdf-tabs"} == rules(found)
    assert any("https://example.org/x" in f.where for f in found if f.rule == "pdf-annot-tagged")


def test_form_field_without_tooltip(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        widget = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Tx, T=pikepdf.String("name"),
            Rect=[0, 0, 100, 20]))
        pdf.pages[1].obj.Annots = pikepdf.Array([widget])
        pdf.pages[1].obj.Tabs = pikepdf.Name.S
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([widget]))
    found = rules(check(broken(good_pdf, tmp_path, change)))
    assert {"pdf-field-tu", "pdf-annot-tagged"} <= found


def test_no_bookmarks(good_pdf: Path, tmp_path: Path) -> None:
    assert rules(check(broken(good_pdf, tmp_path, lambda pdf: pdf.Root.__delitem__("/Outlines")))) == {
        "pdf-bookmarks"}


def _fonts(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    return [f for page in pdf.pages for f in page.Resources.Font.values()]


def test_font_not_embedded(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        for font in _fonts(pdf):
            owner = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in owner.FontDescriptor:
                    del owner.FontDescriptor[key]
    assert rules(check(broken(good_pdf, tmp_path, change))) == {"pdf-font-embedded"}


def test_font_without_unicode(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        for font in _fonts(pdf):
            if "/ToUnicode" in font:
                del font["/ToUnicode"]
    assert rules(check(broken(good_pdf, tmp_path, change))) == {"pdf-font-unicode"}


def test_notdef_glyph(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[1]
        name = next(k for k, f in page.Resources.Font.items() if f.Subtype == "/Type0")
        parent_tree = pdf.Root.StructTreeRoot.ParentTree
        # Reuse MCID 0 of page 2 (already tagged) for the new text: only the glyph is wrong.
        stream = f"/P <</MCID 0>> BDC BT {name} 16 Tf 72 72 Td <0000> Tj ET EMC".encode()
        page.contents_add(pdf.make_stream(stream), prepend=False)
        assert parent_tree is not None
    assert "pdf-notdef" in rules(check(broken(good_pdf, tmp_path, change)))


def test_easy_read_pdf_with_table(good_pdf: Path, tmp_path: Path) -> None:
    path = broken(good_pdf, tmp_path, lambda pdf: None, name="easy-read/doc.pdf")
    found = rules(check(path))
    assert "easy-read-pdf-table" in found
    assert "format-text-size" not in found  # Typst's text here is 16pt


def test_easy_read_pdf_small_text(tmp_path: Path) -> None:
    typst = _typst()
    (tmp_path / "easy-read").mkdir()
    src = tmp_path / "doc.typ"
    src.write_text('#set document(title: "Easy")\n#set text(lang: "en", size: 12pt)\n= Easy\nWe help _you_.\n',
                   "utf-8")
    path = tmp_path / "easy-read" / "doc.pdf"
    path.write_bytes(typst.compile(str(src), format="pdf", pdf_standards=["ua-1"]))
    found = check(path)
    assert {"format-text-size", "easy-read-italic"} <= rules(found)
    assert any(f.where == "page 1" for f in found if f.rule == "format-text-size")


def test_large_print_pdf_under_16pt_is_a_finding_naming_its_page(tmp_path: Path) -> None:
    typst = _typst()
    src = tmp_path / "doc.typ"
    for folder, size in (("standard", 12), ("large-print", 12), ("large-print-ok/large-print", 18)):
        src.write_text(f'#set document(title: "Large")\n#set text(lang: "en", size: {size}pt)\n= Large\n'
                       'We help you.\n', "utf-8")
        path = tmp_path / folder / "doc.pdf"
        path.parent.mkdir(parents=True)
        path.write_bytes(typst.compile(str(src), format="pdf", pdf_standards=["ua-1"]))
    assert "format-text-size" not in rules(check(tmp_path / "standard" / "doc.pdf"))
    found = [f for f in check(tmp_path / "large-print" / "doc.pdf") if f.rule == "format-text-size"]
    assert [(f.where, f.message) for f in found] == [
        ("page 1", "Text is 12pt; large print text must be at least 16pt.")]
    assert "format-text-size" not in rules(check(tmp_path / "large-print-ok" / "large-print" / "doc.pdf"))


def test_cycle_in_structure_tree_is_reported_not_hung(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        root = pdf.Root.StructTreeRoot
        document = root.K if root.K.is_indirect else pdf.make_indirect(root.K)
        root.K = document
        elements(pdf, "/P")[0].K = pikepdf.Array([document])  # a paragraph containing the whole document
        tree = pdf.make_indirect(root.ParentTree)
        root.ParentTree = tree
        tree.Kids = pikepdf.Array([tree])  # a number tree that is its own child
    found = check(broken(good_pdf, tmp_path, change))
    assert all(f.rule.startswith("pdf-") for f in found)


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7\n", os.urandom(2048), b"%PDF-1.7\n1 0 obj <<\n" * 50])
def test_garbage_pdf_is_a_finding(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(data)
    found = check(path)
    assert found and any(f.severity == "error" for f in found)


def test_truncated_pdf_is_a_finding(good_pdf: Path, tmp_path: Path) -> None:
    path = tmp_path / "truncated.pdf"
    path.write_bytes(good_pdf.read_bytes()[: len(good_pdf.read_bytes()) // 2])
    found = check(path)
    assert found and {"pdf-parse", "pdf-damaged"} & {f.rule for f in found}


def test_easy_read_pdf_wording(tmp_path: Path) -> None:
    typst = _typst()
    (tmp_path / "easy-read").mkdir()
    src = tmp_path / "doc.typ"
    src.write_text('#set document(title: "Easy")\n#set text(lang: "en", size: 16pt)\n= Easy\n'
                   "This sentence is far too long for easy read because it keeps going on and on with many words.\n\n"
                   "PLEASE READ THIS NOW.\n", "utf-8")
    path = tmp_path / "easy-read" / "doc.pdf"
    path.write_bytes(typst.compile(str(src), format="pdf", pdf_standards=["ua-1"]))
    found = check(path)
    assert rules(found) == set()
    assert rules(found, "warning") == {"easy-read-sentence-length", "easy-read-capitals"}


def test_work_limit_stops_with_an_error(good_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from packgen.check import pdf as pdf_rules

    monkeypatch.setattr(pdf_rules, "MAX_NODES", 5)
    assert rules(check(good_pdf)) == {"pdf-limits"}


def test_deep_structure_tree_is_bounded(good_pdf: Path, tmp_path: Path) -> None:
    def change(pdf: pikepdf.Pdf) -> None:
        node = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.P))
        for _ in range(2000):
            node = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.Div, K=node))
        pdf.Root.StructTreeRoot.K = pikepdf.Array([pdf.Root.StructTreeRoot.K, node])
    found = check(broken(good_pdf, tmp_path, change))
    assert "pdf-limits" in rules(found) and "levels deep" in found[-1].message


def test_list_label_outside_a_list(good_pdf: Path, tmp_path: Path) -> None:
    # A form field's label tagged P > Lbl: ISO 32000-1 keeps Lbl for the bullet or number of a list item.
    def change(pdf: pikepdf.Pdf) -> None:
        elements(pdf, "/P")[0].S = pikepdf.Name.Lbl
    found = check(broken(good_pdf, tmp_path, change))
    assert rules(found) == {"pdf-list-part-outside-list"}
    assert "not a list item (LI)" in next(f.message for f in found)


def test_two_subsets_under_one_name(good_pdf: Path, tmp_path: Path) -> None:
    # What merging PDFs does when each tags its subsets from AAAAAA+ on: two different subsets, one name.
    def change(pdf: pikepdf.Pdf) -> None:
        font = _fonts(pdf)[0]
        owner = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
        descriptor = pikepdf.Dictionary(owner.FontDescriptor)
        key = next(k for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor)
        program = descriptor[key]
        descriptor[key] = pdf.make_stream(program.read_bytes() + b"\0", Length1=program.get("/Length1", 0))
        other = pikepdf.Dictionary(owner)
        other.FontDescriptor = pdf.make_indirect(descriptor)
        if font.Subtype == "/Type0":
            descendant, other = pdf.make_indirect(other), pikepdf.Dictionary(font)
            other.DescendantFonts = pikepdf.Array([descendant])
        page = pdf.pages[-1]
        page.Resources.Font.Ftwin = pdf.make_indirect(other)
        page.contents_add(pdf.make_stream(b"/Artifact BMC BT /Ftwin 12 Tf 72 72 Td <0001> Tj ET EMC"), prepend=False)
    assert check(broken(good_pdf, tmp_path, lambda pdf: None)) == []
    found = check(broken(good_pdf, tmp_path, change))
    assert rules(found) == {"pdf-subset-tags"}
    assert "2 different subsets of a font share the name" in found[0].message


DRAFT_TYP = """\
#set document(title: "Charter")
#set text(lang: "en", region: "gb", size: 12pt)
#set page(background: rotate(-45deg, text(60pt, fill: luma(200))[DRAFT]))
= Charter
{said}We treat people as experts in their own lives, and we pay them for their time.
"""

BOLD_LINE_TYP = """\
#set document(title: "Charter")
#set text(lang: "en", region: "gb", size: 12pt)
= Charter
We wrote this charter with the people it serves, over two years of meetings.

{line}

We treat people as experts in their own lives, and we pay them for their time.
"""


def typst_pdf(tmp_path: Path, source: str, name: str = "doc") -> Path:
    """A PDF/UA-1 file Typst makes from this source."""
    (tmp_path / f"{name}.typ").write_text(source, "utf-8")
    out = tmp_path / f"{name}.pdf"
    out.write_bytes(_typst().compile(str(tmp_path / f"{name}.typ"), format="pdf", pdf_standards=["ua-1"]))
    return out


def test_a_draft_watermark_alone_fails_and_a_draft_said_in_the_text_passes(tmp_path: Path) -> None:
    # The watermark is a page background, which Typst marks as an artifact: seen, never read aloud.
    found = check(typst_pdf(tmp_path, DRAFT_TYP.format(said=""), "unsaid"))
    [draft] = [f for f in found if f.rule == "pdf-draft-untagged"]
    assert draft.where == "page 1" and "'DRAFT' as decoration" in draft.message
    assert "the program that made it (Typst" in draft.fix  # Typst's file: fix it in Typst, not in packgen
    said = typst_pdf(tmp_path, DRAFT_TYP.format(said="This is a draft for consultation.\n\n"), "said")
    assert "pdf-draft-untagged" not in rules(check(said))


def test_draft_metadata_that_the_text_never_says_fails(good_pdf: Path, tmp_path: Path) -> None:
    def label(pdf: pikepdf.Pdf) -> None:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["xmp:Label"] = "DRAFT"
    [draft] = [f for f in check(broken(good_pdf, tmp_path, label)) if f.rule == "pdf-draft-untagged"]
    assert draft.where == "whole file" and "xmp:Label" in draft.message


def test_the_draft_pack_says_draft_in_its_tagged_text(built_pack: Path) -> None:
    charter = built_pack / "standard" / "charter.pdf"
    with pikepdf.open(charter) as pdf, pdf.open_metadata() as meta:
        assert meta.get("xmp:Label") == "DRAFT"  # the pack is a draft, so the rule has something to check
    assert "pdf-draft-untagged" not in rules(check(charter))


def test_a_bold_line_heading_a_section_fails_and_a_heading_passes(tmp_path: Path) -> None:
    bold = typst_pdf(tmp_path, BOLD_LINE_TYP.format(line='#text(weight: "bold")[Our values]'), "bold")
    [line] = [f for f in check(bold) if f.rule == "pdf-visual-heading"]
    assert "'Our values'" in line.where and "P element" in line.where
    larger = typst_pdf(tmp_path, BOLD_LINE_TYP.format(line="#text(size: 16pt)[Our values]"), "larger")
    assert "pdf-visual-heading" in rules(check(larger))
    heading = typst_pdf(tmp_path, BOLD_LINE_TYP.format(line="== Our values"), "heading")
    assert check(heading) == []
    sentence = typst_pdf(tmp_path, BOLD_LINE_TYP.format(line='#text(weight: "bold")[We mean it.]'), "sentence")
    assert check(sentence) == []  # a bold sentence is emphasis, not a heading


def test_the_pack_has_no_visual_headings(built_pack: Path) -> None:
    pdfs = sorted(built_pack.rglob("*.pdf"))
    assert len(pdfs) > 10
    assert not [f for pdf in pdfs for f in check(pdf) if f.rule == "pdf-visual-heading"]


def test_a_metadata_bomb_is_refused_plainly_without_spending_the_memory(good_pdf: Path, tmp_path: Path) -> None:
    """A PDF of a few kilobytes whose XMP metadata unpacks to 256 MB, four times what the check may take:
    packgen refuses it in one line naming the file and what is wrong, where before its reader ran out of
    memory. The whole command is held to a little memory, so the test cannot take the machine's."""
    honest = tmp_path / "packed.pdf"
    with pikepdf.open(good_pdf) as pdf:
        pdf.Root.Metadata.write(zlib.compress(pdf.Root.Metadata.read_bytes()), filter=pikepdf.Name.FlateDecode)
        # saved as it is: qpdf would unpack metadata to leave it readable
        pdf.save(honest, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    assert check(honest) == []  # metadata packed with deflate is read as any other
    bomb = pdf_bomb(tmp_path / "bomb.pdf", 256)
    result = run_packgen("check", "--no-axe", "--no-verapdf", "--memory", "64", str(bomb), memory=2 * 1024 ** 3)
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(
        f"error: pdf-parse: {bomb}: whole file: The file cannot be read as a PDF: its XMP metadata unpacks to "
        "more than 8 MB, more than packgen reads."), result.stdout
