"""packgen check on form widgets: tick boxes a viewer cannot redraw (pdf-tick-redraw).

Each rule passes on the file packgen writes and fails on the same file broken the way other
programs' files are.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from packgen.check import check_paths

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
