"""An organisation drops its own pictures (PNG, JPEG, SVG) into sources/pictures and names them."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import html
from PIL import Image

from packgen.pack.build import BuildOptions, build

from pdf_clients import elements

FIXTURES = Path(__file__).parent / "fixtures" / "pictures"
POINTS = ("- ![Our team at the summer event](own-photo.jpg) We meet every summer.\n"
          "- ![Our logo, a blue circle](own-circle.svg) This is our sign.\n"
          "- ![A drawing of our building](own-photo.png) Come and see us.\n")


def test_own_pictures_appear_in_every_format_with_their_descriptions(mini_pack, tmp_path):
    sources, templates = mini_pack
    shutil.copytree(FIXTURES, sources / "pictures")
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace(
        "- ![Two people shaking hands](handshake) We wrote this with you.\n", POINTS), "utf-8")
    out = tmp_path / "build"
    build(BuildOptions(sources=sources, templates=templates, out=out, documents=("charter",),
                       variants=("easy-read",)))
    alts = ["Our team at the summer event", "Our logo, a blue circle", "A drawing of our building"]

    with zipfile.ZipFile(out / "easy-read" / "charter.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
    assert all(f'descr="{alt}"' in body for alt in alts)
    assert {Path(n).suffix for n in media} & {".jpeg", ".jpg"} and ".png" in {Path(n).suffix for n in media}

    with pikepdf.open(out / "easy-read" / "charter.pdf") as pdf:
        figures = [str(e.get("/Alt")) for e in elements(pdf) if e.get("/S") == "/Figure"]
    assert set(alts) <= set(figures)

    page = html.fromstring((out / "easy-read" / "charter.html").read_bytes())
    shown = {img.get("alt"): img.get("src", "") for img in page.iter("img")}
    assert all(alt in shown and shown[alt].startswith("data:image/") for alt in alts)


def easy_read_charter_with_sign(mini_pack, out: Path, svg: str, point: str, fmt: str) -> Path:
    """The mini pack's easy-read charter in one format, its first point drawn with an own sign.svg."""
    sources, templates = mini_pack
    (sources / "pictures").mkdir()
    (sources / "pictures" / "sign.svg").write_text(svg, "utf-8")
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace(
        "- ![Two people shaking hands](handshake) We wrote this with you.\n", point), "utf-8")
    build(BuildOptions(sources=sources, templates=templates, out=out, documents=("charter",),
                       variants=("easy-read",), formats=(fmt,)))
    return out / "easy-read" / f"charter.{fmt}"


@pytest.mark.parametrize("element", ["text", "svg:text"])
def test_words_in_an_own_svg_stay_in_the_word_picture(mini_pack, tmp_path, element):
    """Pictograms are drawn without the system's fonts (faster); a sign with words still gets them."""
    path = easy_read_charter_with_sign(
        mini_pack, tmp_path / "build",
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:svg="http://www.w3.org/2000/svg" viewBox="0 0 200 60">'
        f'<{element} x="4" y="48" font-family="DejaVu Sans" font-size="48" fill="#000">OPEN</{element}></svg>',
        "- ![A sign saying OPEN](sign.svg) We are open.\n", "docx")

    with zipfile.ZipFile(path) as docx:
        pngs = [docx.read(n) for n in docx.namelist() if n.startswith("word/media/") and n.endswith(".png")]
    inked = []
    for data in pngs:
        with Image.open(io.BytesIO(data)) as image:
            alpha = image.convert("RGBA").getchannel("A")
            inked.append(alpha.point(lambda a: 255 if a > 128 else 0).histogram()[255])
    assert inked and max(inked) > 100, "the sign's words were not drawn into the Word picture"


def test_a_see_through_svg_is_drawn_with_its_transparency_in_the_pdf(mini_pack, tmp_path):
    # Two overlapping circles, one 85% opaque: a drawing many organisations' logos are made of.
    sources, templates = mini_pack
    (sources / "pictures").mkdir()
    (sources / "pictures" / "overlap.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 72 72"><circle cx="26" cy="36" r="14" fill="#2a6f97"/>'
        '<circle cx="46" cy="36" r="14" fill="#f2c14e" fill-opacity="0.85"/></svg>', "utf-8")
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace("(handshake)", "(overlap.svg)"), "utf-8")
    out = tmp_path / "build"
    build(BuildOptions(sources=sources, templates=templates, out=out, documents=("charter",),
                       variants=("easy-read",), formats=("pdf",)))
    pdf_path = out / "easy-read" / "charter.pdf"
    poppler = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True)
    assert poppler.returncode == 0 and poppler.stderr == ""  # not "ExtGState 'gRLs0' is unknown"
    with pikepdf.open(pdf_path) as pdf:
        forms = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form"]
        named = 0
        for form in forms:
            states = form.get("/Resources", {}).get("/ExtGState", {})
            for operands, operator in pikepdf.parse_content_stream(form):
                if str(operator) == "gs":
                    named += 1
                    assert str(operands[0]) in states
                    assert float(states[str(operands[0])].get("/ca", 1)) in (1.0, 0.85)
    assert named >= 1


def test_small_words_inside_a_picture_are_the_pictures_not_easy_read_text(mini_pack, tmp_path):
    # A logo or a sign has its own small lettering; the easy-read size rule is for the reader's
    # words, and the picture's are given by its description.
    path = easy_read_charter_with_sign(
        mini_pack, tmp_path / "build",
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 60">'
        '<text x="4" y="40" font-family="DejaVu Sans" font-size="20" fill="#000">Riverside Community Trust</text>'
        '</svg>', "- ![A sign saying Riverside Community Trust](sign.svg) We wrote this with you.\n", "pdf")
    from packgen.check import check_paths

    assert [f"{f.rule}: {f.message}" for f in check_paths([path], axe=False)
            if f.severity == "error"] == []


def test_a_picture_taller_than_a_page_at_its_width_is_drawn_narrower_to_fit_a_page(mini_pack, tmp_path):
    sources, templates = mini_pack
    (sources / "pictures").mkdir()
    Image.new("RGB", (40, 4000), (20, 60, 120)).save(sources / "pictures" / "banner.png")  # a tall, thin banner
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8") + "\n## Our banner {#banner easy-read=omit}\n\n"
                       "![Our banner, hung by the door](banner.png)\n", "utf-8")
    out = tmp_path / "build"
    build(BuildOptions(sources=sources, templates=templates, out=out, documents=("charter",),
                       variants=("standard",), formats=("pdf",)))
    with pikepdf.open(out / "standard" / "charter.pdf") as pdf:
        page_height = float(pdf.pages[0].MediaBox[3])
        (banner,) = [e for e in elements(pdf) if e.get("/S") == "/Figure" and str(e.get("/Alt")).startswith("Our b")]
        x0, y0, x1, y1 = (float(v) for v in banner.A.BBox)  # where a reader finds it on its page
    assert 0 <= y0 < y1 <= page_height and (y1 - y0) / (x1 - x0) == pytest.approx(100, rel=0.02)
