"""Appendix B's checklist is completed on screen in every format: real tick boxes in the answer cells.

The story: an organisation opens Appendix B and ticks "Getting there" for a statement. In the PDF
the box is a check-box field a screen reader announces as "statement: column", inside its table
cell; in Word a check-box content control titled the same way; on the web page a check box whose
name is the row's statement and the column's header. Printed, every box is still a box. Any pack
marks a table as a checklist with `{.checklist}` on the line above it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree, html
from verapdf import assert_compliant, validate

from packgen.markdown import MarkdownError
from packgen.model import Table

from conftest import ROOT, run_packgen
from samples import parse

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
NS = {"w": W, "w14": W14}
COLUMNS = ("Not yet", "Getting there", "Fully in place")
FIRST = "We involve people with lived experience at the start of a piece of work, before decisions are made"


def statements() -> list[str]:
    """Every statement of the shipped checklist, as the source writes it (without its full stop)."""
    text = (ROOT / "sources" / "appendix-b.md").read_text("utf-8").split("{.fill-in}")[0]  # the checklists
    rows = re.findall(r"^\| ([^|]+) \| \| \| \|$", text, re.M)
    return [row.strip().rstrip(".") for row in rows]


def expected_names() -> list[str]:
    return [f"{s}: {c}" for s in statements() for c in COLUMNS]


# --- the Markdown an author writes -------------------------------------------------------------------

CHECKLIST = """## Working together

{.checklist}
| Statement | Yes | No |
| --- | :-: | :-: |
| We pay people for their time. | | |
| We listen. | | already done |
"""


def test_a_checklist_table_has_a_tick_box_in_each_empty_answer_cell() -> None:
    table = next(b for b in parse(CHECKLIST) if isinstance(b, Table))
    fields = [[(c.field.id, c.field.label, c.field.type) if c.field else c.text for c in row] for row in table.rows]
    assert fields == [
        ["We pay people for their time.", ("working-together-1-yes", "We pay people for their time: Yes", "checkbox"),
         ("working-together-1-no", "We pay people for their time: No", "checkbox")],
        ["We listen.", ("working-together-2-yes", "We listen: Yes", "checkbox"), "already done"]]


def test_two_checklists_under_one_heading_have_their_own_ids() -> None:
    second = CHECKLIST.split("\n", 2)[2]  # the same table again, under the same heading
    table_ids = [[c.field.id for row in b.rows for c in row if c.field] for b in parse(f"{CHECKLIST}\n{second}")
                 if isinstance(b, Table)]
    assert table_ids[0][0] == "working-together-1-yes" and table_ids[1][0] == "working-together-2-1-yes"


@pytest.mark.parametrize(("markdown", "words", "line"), [
    ("{.tickbox}\n| A | B |\n| - | - |\n| x | |\n",
     "the table mark 'tickbox' is unknown: packgen knows {.checklist} and {.fill-in}", 3),  # the mark's line
    ("{.checklist}\nJust a paragraph.\n", "put it on the line above a table", 3),
    ("{.checklist}\n| A | B |\n| - | - |\n| x | done |\n", "no empty cells to answer in", 4),  # the table's first line
    ("{.checklist}\n| A | B |\n| - | - |\n| | |\n", "row 1 of this table has no statement", 6),  # the row's
])
def test_a_wrong_checklist_mark_is_an_error_naming_the_line(markdown: str, words: str, line: int) -> None:
    with pytest.raises(MarkdownError) as caught:
        parse("Intro.\n\n" + markdown, "appendix.md")
    assert words in str(caught.value) and "appendix.md" in str(caught.value) and f":{line}:" in str(caught.value)


# --- the built pack ----------------------------------------------------------------------------------

def test_pdf_tick_boxes_are_named_by_statement_and_column_inside_their_cells(built_pack: Path) -> None:
    path = built_pack / "standard" / "appendix-b.pdf"
    with pikepdf.open(path) as pdf:
        parents = {int(k): v for k, v in _number_tree(pdf.Root.StructTreeRoot.ParentTree)}
        names, cells = [], []
        for page in pdf.pages:
            for annot in page.get("/Annots", ()):
                if annot.get("/FT") != pikepdf.Name.Btn:
                    continue
                names.append(str(annot.TU))
                form = parents[int(annot.StructParent)]
                cells.append((str(form.S), str(form.P.S), str(form.P.P.S)))
                assert annot.AP.N.keys() == {"/Yes", "/Off"} and str(annot.AS) == "/Off"
                assert int(annot.F) & 4, "printed, the box still shows"
    assert names == expected_names()
    assert set(cells) == {("/Form", "/TD", "/TR")}


def _number_tree(node: pikepdf.Object):
    if "/Nums" in node:
        nums = list(node.Nums)
        yield from zip(nums[::2], nums[1::2], strict=True)
    for kid in node.get("/Kids", ()):
        yield from _number_tree(kid)


def test_the_printed_pdf_shows_every_box(built_pack: Path, tmp_path: Path) -> None:
    """Poppler draws the page as a printer gets it: each box is a drawn square, not only a widget."""
    import subprocess

    from conftest import require

    path = built_pack / "standard" / "appendix-b.pdf"
    with pikepdf.open(path) as pdf:
        del pdf.Root["/AcroForm"]
        for page in pdf.pages:
            if "/Annots" in page:
                del page["/Annots"]
        pdf.save(tmp_path / "no-widgets.pdf")
    subprocess.run([require("pdftoppm"), "-f", "1", "-l", "1", "-r", "72", "-png", str(tmp_path / "no-widgets.pdf"),
                    str(tmp_path / "page")], check=True)
    with pikepdf.open(path) as pdf:
        rect = next(a.Rect for a in pdf.pages[0].Annots if a.get("/FT") == pikepdf.Name.Btn)
        height = float(pdf.pages[0].MediaBox[3])
    from PIL import Image

    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    x0, y0, x1, y1 = (float(v) for v in rect)
    edge = image.crop((round(x0) - 2, round(height - y1) - 2, round(x1) + 2, round(height - y0) + 2))
    assert sum(edge.histogram()[:128]) > 20, "the square is drawn on the page itself"


def test_the_checklist_pdf_passes_pdf_ua(built_pack: Path) -> None:
    path = built_pack / "standard" / "appendix-b.pdf"
    assert_compliant(validate([path], "ua1"), "ua1")


def test_word_has_a_titled_check_box_control_in_each_answer_cell(built_pack: Path) -> None:
    with zipfile.ZipFile(built_pack / "standard" / "appendix-b.docx") as docx:
        body = etree.fromstring(docx.read("word/document.xml"))
        fonts = docx.read("word/fontTable.xml").decode()
    controls = [c for c in body.findall(".//w:tc//w:sdt", NS) if c.find("w:sdtPr/w14:checkbox", NS) is not None]
    assert [c.find("w:sdtPr/w:alias", NS).get(f"{{{W}}}val") for c in controls] == expected_names()
    tags = [c.find("w:sdtPr/w:tag", NS).get(f"{{{W}}}val") for c in controls]
    assert tags[:3] == ["collaborative-1-not-yet", "collaborative-1-getting-there", "collaborative-1-fully-in-place"]
    assert len(set(tags)) == len(tags)
    assert "Packgen Tick Boxes" in fonts and "embedRegular" in fonts, "the box glyphs travel with the file"


def test_web_page_check_boxes_are_named_by_row_and_column(built_pack: Path) -> None:
    page = html.fromstring((built_pack / "standard" / "appendix-b.html").read_bytes())
    boxes = page.xpath("//table//input[@type='checkbox']")

    def accessible_name(box) -> str:
        return " ".join(" ".join(page.get_element_by_id(i).text_content().split())
                        for i in box.get("aria-labelledby").split())

    assert [accessible_name(b) for b in boxes] == [f"{s}. {c}" for s in statements() for c in COLUMNS]
    assert len({b.get("id") for b in boxes}) == len(boxes)
    css = page.xpath("//style")[0].text
    assert re.search(r"@media print \{\s*input\.tick \{[^}]*print-color-adjust: exact", css), "printed, still boxes"


def test_the_easy_read_appendix_has_no_tick_boxes(built_pack: Path) -> None:
    """Easy read has its own points instead of the tables, so nothing to tick and no form."""
    with pikepdf.open(built_pack / "easy-read" / "appendix-b.pdf") as pdf:
        assert "/AcroForm" not in pdf.Root
    assert html.fromstring((built_pack / "easy-read" / "appendix-b.html").read_bytes()).xpath("//input") == []


def test_register_calls_a_returned_checklist_not_the_pledge_form(built_pack: Path, tmp_path: Path) -> None:
    returned = tmp_path / "returned"
    returned.mkdir()
    for name in ("appendix-b.pdf", "appendix-b.docx", "pledge-form.pdf"):
        (returned / name).write_bytes((built_pack / "standard" / name).read_bytes())
    result = run_packgen("register", str(returned), "--out", str(tmp_path / "register.csv"))
    assert result.returncode == 0, result.stderr
    rows = {line.split(",")[0]: line for line in (tmp_path / "register.csv").read_text("utf-8-sig").splitlines()[1:]}
    assert rows["appendix-b.pdf"].startswith("appendix-b.pdf,not a pledge form")
    assert rows["appendix-b.docx"].startswith("appendix-b.docx,not a pledge form")
    assert rows["pledge-form.pdf"].startswith("pledge-form.pdf,registered")


# --- a table to fill in: boxes to type in ------------------------------------------------------------

ACTIONS = [f"Action {n}: {column}" for n in (1, 2, 3) for column in ("What we will do", "Who will lead it", "By when")]


def test_a_fill_in_table_has_a_text_box_in_each_empty_answer_cell() -> None:
    table = next(b for b in parse("## Plan\n\n{.fill-in}\n| Action | Who | When |\n| - | - | - |\n| Tell staff | | |\n")
                 if isinstance(b, Table))
    assert [(c.field.id, c.field.label, c.field.type) for c in table.rows[0][1:]] == [
        ("plan-1-who", "Tell staff: Who", "text"), ("plan-1-when", "Tell staff: When", "text")]


def test_a_table_is_a_checklist_or_to_fill_in_not_both() -> None:
    with pytest.raises(MarkdownError, match="not both"):
        parse("{.checklist .fill-in}\n| A | B |\n| - | - |\n| x | |\n")


def test_the_actions_can_be_typed_in_every_format(built_pack: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    from conftest import require
    from pdf_clients import run

    path = built_pack / "standard" / "appendix-b.pdf"
    with pikepdf.open(path) as pdf:
        parents = {int(k): v for k, v in _number_tree(pdf.Root.StructTreeRoot.ParentTree)}
        boxes = [a for page in pdf.pages for a in page.get("/Annots", ()) if a.get("/FT") == pikepdf.Name.Tx]
        assert [str(a.TU) for a in boxes] == ACTIONS
        assert {str(parents[int(a.StructParent)].P.S) for a in boxes} == {"/TD"}
        first = str(boxes[0].T)
    writer = PdfWriter(clone_from=PdfReader(str(path)))  # pypdf types into the box, as a viewer would
    writer.update_page_form_field_values(writer.pages[-1], {first: "Pay expenses in advance"}, auto_regenerate=False)
    writer.write(str(tmp_path / "typed.pdf"))
    assert "Pay expenses in advance" in run(require("pdftotext"), str(tmp_path / "typed.pdf"), "-")

    with zipfile.ZipFile(built_pack / "standard" / "appendix-b.docx") as docx:
        body = etree.fromstring(docx.read("word/document.xml"))
    texts = [c for c in body.findall(".//w:tc//w:sdt", NS) if c.find("w:sdtPr/w:text", NS) is not None]
    assert [c.find("w:sdtPr/w:alias", NS).get(f"{{{W}}}val") for c in texts] == ACTIONS

    page = html.fromstring((built_pack / "standard" / "appendix-b.html").read_bytes())
    inputs = page.xpath("//table//input[@type='text']")
    assert [" ".join(page.get_element_by_id(i).text_content().strip() for i in box.get("aria-labelledby").split())
            for box in inputs] == [a.replace(":", "") for a in ACTIONS]
