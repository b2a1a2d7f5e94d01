"""A tick box that a viewer redraws itself still shows a tick, drawn with a font the file embeds.

The story: an organisation ticks a commitment in MuPDF; the file then reaches a viewer that draws
the boxes' appearances afresh (the file asks it to, and holds none of its own). Poppler, on a
machine with no fonts at all (so no ZapfDingbats to fall back on), must draw the tick in the ticked
box and nothing in the other.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from packgen.writers.pdf.document import write

from tests.pdf_clients import make_document, require, run, theme
from tests.verapdf import assert_compliant, validate

FORM = """# Pledge form

Tick what your organisation will do.

```form
{"legend": "Our commitments", "fields": [
 {"id": "commit-pay", "label": "We will pay people for their time", "type": "checkbox"},
 {"id": "commit-listen", "label": "We will listen and learn", "type": "checkbox"}]}
```
"""
DPI = 144

# MuPDF, as a person would: tick the first box (its JavaScript API, `mutool run`).
TICK_FIRST = """
var doc = new PDFDocument(scriptArgs[0]);
var widgets = doc.loadPage(0).getWidgets();
for (var i = 0; i < widgets.length; i++)
  if (widgets[i].getFieldType() == "checkbox") { widgets[i].toggle(); widgets[i].update(); break; }
doc.save(scriptArgs[1], "");
"""


def write_form(path: Path) -> Path:
    """A small pledge form of two tick boxes, as packgen writes it."""
    write(make_document(FORM, doc_id="pledge"), theme(), path)
    return path


@pytest.fixture(scope="module")
def form(tmp_path_factory) -> Path:
    return write_form(tmp_path_factory.mktemp("tick") / "pledge.pdf")


def ticked_in_mupdf(form: Path, folder: Path) -> Path:
    script, out = folder / "tick.js", folder / "ticked.pdf"
    script.write_text(TICK_FIRST, "utf-8")
    run(require("mutool"), "run", str(script), str(form), str(out))
    return out


def needing_redraw(path: Path, out: Path) -> Path:
    """The file as a viewer meets it when it must draw the boxes itself: no appearance streams, and
    /NeedAppearances asking for them."""
    with pikepdf.open(path) as pdf:
        pdf.Root.AcroForm.NeedAppearances = True
        for annot in pdf.pages[0].Annots:
            if annot.get("/FT") == pikepdf.Name.Btn:
                del annot["/AP"]
        pdf.save(out)
    return out


def dark_pixels_in_boxes(path: Path, folder: Path) -> dict[str, int]:
    """Each tick box's dark pixels inside its border, as Poppler draws the page with no fonts installed."""
    config = folder / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?><fontconfig><dir>{folder / "no-fonts"}</dir>'
                      f'<cachedir>{folder / "cache"}</cachedir></fontconfig>', "utf-8")
    subprocess.run([require("pdftoppm"), "-f", "1", "-l", "1", "-r", str(DPI), "-png", str(path),
                    str(folder / "page")], check=True, capture_output=True, timeout=120,
                   env={"FONTCONFIG_FILE": str(config), "PATH": "/usr/bin:/bin"})
    image = Image.open(next(folder.glob("page*.png"))).convert("L")
    scale = DPI / 72
    counts = {}
    with pikepdf.open(path) as pdf:
        height = float(pdf.pages[0].MediaBox[3])
        for annot in pdf.pages[0].Annots:
            if annot.get("/FT") != pikepdf.Name.Btn:
                continue
            x0, y0, x1, y1 = (float(v) for v in annot.Rect)
            box = image.crop((round(x0 * scale) + 3, round((height - y1) * scale) + 3,
                              round(x1 * scale) - 3, round((height - y0) * scale) - 3))
            counts[str(annot.T)] = sum(box.histogram()[:128])
    return counts


def test_a_redrawn_tick_box_shows_its_tick_without_any_installed_font(form, tmp_path):
    ticked = ticked_in_mupdf(form, tmp_path)
    with pikepdf.open(ticked) as pdf:
        states = {str(a.T): str(a.get("/AS")) for a in pdf.pages[0].Annots if a.get("/FT") == pikepdf.Name.Btn}
    assert states == {"commit-pay": "/Yes", "commit-listen": "/Off"}, "MuPDF ticked the first box"
    counts = dark_pixels_in_boxes(needing_redraw(ticked, tmp_path / "redraw.pdf"), tmp_path)
    assert counts["commit-listen"] == 0, "the unticked box stays empty"
    assert counts["commit-pay"] > 40, f"the ticked box shows a tick when redrawn (dark pixels: {counts})"


def test_the_mark_font_is_embedded_and_reads_as_a_tick(form):
    fonts = run(require("pdffonts"), str(form))
    with pikepdf.open(form) as pdf:
        acroform = pdf.Root.AcroForm
        mark_font = acroform.DR.Font.ZaDb
        assert "/FontFile2" in mark_font.FontDescriptor, "the tick font's program is in the file"
        for annot in pdf.pages[0].Annots:
            if annot.get("/FT") == pikepdf.Name.Btn:
                assert str(annot.MK.CA) == "4" and str(annot.DA).startswith("/ZaDb 0 Tf")
        cmap = mark_font.ToUnicode.read_bytes()
    assert b"<34> <2714>" in cmap, "code 4 reads as HEAVY CHECK MARK"
    assert "ZapfDingbats" not in fonts


def test_the_form_still_passes_pdf_ua(form):
    assert_compliant(validate([form], "ua1"), "ua1")
