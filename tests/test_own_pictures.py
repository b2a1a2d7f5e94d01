"""An organisation drops its own pictures (PNG, JPEG, SVG) into sources/pictures and names them."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pikepdf
from lxml import html

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
