"""packgen check on form widgets: tick boxes a viewer cannot redraw (pdf-tick-redraw).

Each rule passes on the file packgen writes and fails on the same file broken the way other
programs' files are.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from packgen.check import check_paths
from packgen.check.findings import Finding

from tests.test_tick_redraw import write_form


@pytest.fixture(scope="module")
def form(tmp_path_factory) -> Path:
    return write_form(tmp_path_factory.mktemp("widgets") / "pledge.pdf")


def test_check_passes_the_built_form_and_fails_tick_boxes_that_cannot_redraw(form, tmp_path):
    assert [f for f in check_paths([form], axe=False) if f.rule == "pdf-tick-redraw"] == []
    broken = {}
    with pikepdf.open(form) as pdf:
        boxes = [a for a in pdf.pages[0].Annots if a.get("/FT") == pikepdf.Name.Btn]
        del boxes[0]["/MK"]  # no mark to draw
        boxes[1].DA = pikepdf.String("/Helv 0 Tf 0 g")  # a font the form's resources do not have
        pdf.save(tmp_path / "broken.pdf")
    for finding in check_paths([tmp_path / "broken.pdf"], axe=False):
        if finding.rule == "pdf-tick-redraw":
            broken[finding.where] = finding.message
    assert len(broken) == 2, broken
    assert any("/MK /CA" in m for m in broken.values()) and any("Helv" in m for m in broken.values())


def test_a_mark_font_without_the_mark_is_an_error(form, tmp_path):
    with pikepdf.open(form) as pdf:
        for annot in pdf.pages[0].Annots:
            if annot.get("/FT") == pikepdf.Name.Btn:
                annot.MK.CA = pikepdf.String("x")  # the tick font draws only 3 and 4
        pdf.save(tmp_path / "no-glyph.pdf")
    messages = [f.message for f in check_paths([tmp_path / "no-glyph.pdf"], axe=False) if f.rule == "pdf-tick-redraw"]
    assert len(messages) == 2 and all("no glyph for its mark 'x'" in m for m in messages)


# --- answer cells with nothing to answer in --------------------------------------------------------

SELF_ASSESSMENT = """# Self-assessment

Tick the column that best describes your organisation.

{mark}
| Statement | Not yet | Fully in place |
| --- | :-: | :-: |
| We pay people for their time. | | |
| We listen and learn. | | |
| We share what we learn. | | Yes |
"""


def written(tmp_path: Path, mark: str) -> list[Path]:
    """The self-assessment as packgen's three writers make it, with or without the checklist mark."""
    from packgen.writers.docx.document import write as write_docx
    from packgen.writers.html.page import write as write_html
    from packgen.writers.pdf.document import write as write_pdf

    from tests.pdf_clients import make_document, theme

    folder = tmp_path / (mark.strip("{.}") or "plain")
    folder.mkdir()
    document = make_document(SELF_ASSESSMENT.format(mark=mark), doc_id="self-assessment")
    paths = [folder / f"self-assessment.{suffix}" for suffix in ("pdf", "docx", "html")]
    for path, writer in zip(paths, (write_pdf, write_docx, write_html), strict=True):
        writer(document, theme(), path)
    return paths


def answer_findings(paths: list[Path]) -> dict[str, Finding]:
    return {f.rule: f for f in check_paths(paths, axe=False) if f.rule.endswith("-empty-answer-cells")}


def test_a_table_with_a_column_nobody_can_tick_is_a_warning_in_every_format(tmp_path: Path) -> None:
    found = answer_findings(written(tmp_path, ""))
    assert set(found) == {"pdf-empty-answer-cells", "docx-empty-answer-cells", "html-empty-answer-cells"}
    for f in found.values():
        assert f.severity == "warning" and f.where.startswith("table 1")
        assert f.message.startswith("Column 2 of this table is empty in every row"), f.message
        assert "{.checklist}" in f.fix  # packgen made the file: the fix is in the pack's sources


def test_the_same_table_as_a_checklist_passes(tmp_path: Path) -> None:
    assert answer_findings(written(tmp_path, "{.checklist}")) == {}


def test_a_word_table_from_another_program_with_empty_answer_columns_is_a_warning(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "Action plan"
    document.add_heading("Action plan", 1)
    table = document.add_table(rows=4, cols=3)
    for cell, words in zip(table.rows[0].cells, ("Action", "Who will lead it", "By when"), strict=True):
        cell.text = words
    for n, row in enumerate(table.rows[1:], 1):
        row.cells[0].text = f"{n}."
    path = tmp_path / "plan.docx"
    document.save(str(path))
    found = answer_findings([path])
    assert list(found) == ["docx-empty-answer-cells"]
    assert found["docx-empty-answer-cells"].message.startswith("Columns 2, 3 of this table are empty in every row")


def test_the_shipped_appendix_b_passes_both_rules(built_pack: Path) -> None:
    """Its checklists are tick boxes and its action plan boxes to type in, in every format."""
    files = [built_pack / variant / f"appendix-b.{suffix}" for variant in ("standard", "easy-read")
             for suffix in ("pdf", "docx", "html")] + [built_pack / "standard" / "pack.pdf"]
    assert [f for f in check_paths(files, axe=False)
            if f.rule.endswith("-empty-answer-cells") or f.rule == "pdf-tick-redraw"] == []
