"""A second organisation's pack, as unlike the first as we could make it, opened with the real clients.

tests/packs/port is a French housing co-operative's pack: no summary, two appendices (one with a
label of its own), two forms, no templates at all, its own brand (an SVG and a PNG logo, the Barlow
font files), only its own pictures and its own French labels. It is built with no options, inside
its folder, as its comms officer would.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import html

from clients_docx import blocks_of, pandoc_json
from conftest import ROOT, require, run_packgen
from pdf_clients import pdffonts, pdfjs, pdfjs_roles, struct_text

PACK = ROOT / "tests" / "packs" / "port"
FONTS = ROOT / "tests" / "brand" / "fonts"
JS = ROOT / "tests" / "js"
CHROMIUM = Path("/usr/bin/chromium")
DOCUMENTS = ("charte", "lexique", "calendrier", "adhesion", "benevolat")
VARIANTS = ("standard", "easy-read")  # the variants with web pages
PRINTED = VARIANTS + ("large-print",)  # the variants with PDFs and Word files
LOGO_ALT = "Logo de la Coopérative d'habitation du Vieux-Port : un voilier bleu"
# Words of the first pack (West Midlands) that must never reach another organisation's files.
FIRST_PACK = ("West Midlands", "WMSWTP", "Social Work", "0121", "wmswtp", "coproduction@", "OpenMoji",
              "Co-Production Charter")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("port") / "port"
    shutil.copytree(PACK, folder)
    shutil.copytree(FONTS, folder / "fonts")
    result = run_packgen("build", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder / "build"


def words(path: Path) -> str:
    """What a reader gets from one output file, whatever its format."""
    if path.suffix == ".pdf":
        return subprocess.run([require("pdftotext"), str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as docx:
            return " ".join(docx.read(n).decode("utf-8") for n in docx.namelist() if n.endswith(".xml"))
    return path.read_text("utf-8")


def test_the_pack_holds_what_its_pack_yaml_lists_and_nothing_else(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text("utf-8"))
    made = {(o["document"], o["variant"], o["format"]) for o in manifest["outputs"]
            if o["format"] in ("pdf", "docx", "html") and o["document"] not in ("pack", "index")}
    assert {d for d, _, _ in made} == set(DOCUMENTS)
    assert made == {(d, v, f) for d in DOCUMENTS for v in VARIANTS for f in ("pdf", "docx", "html")} | {
        (d, "large-print", f) for d in DOCUMENTS for f in ("pdf", "docx")}
    for variant in PRINTED:
        assert (built / variant / "pack.pdf").is_file()


def test_appendices_are_lettered_or_labelled_as_their_sources_say(built: Path) -> None:
    assert "Annexe 2" in words(built / "standard" / "calendrier.pdf")
    lexique = words(built / "standard" / "lexique.pdf")
    assert re.search(r"\bA\b", lexique)  # the first appendix takes the letter A


def test_every_pdf_shows_the_logo_as_a_described_figure_in_pdfjs(built: Path) -> None:
    for document in DOCUMENTS:
        for variant in PRINTED:
            data = pdfjs(built / variant / f"{document}.pdf")
            nodes = [n for page in data["pages"] for n in pdfjs_roles(page["structTree"])]
            assert LOGO_ALT in {n.get("alt") for n in nodes if n["role"] == "Figure"}, (document, variant)
            assert data["info"]["Language"] == "fr"


def test_poppler_finds_the_brand_font_embedded(built: Path) -> None:
    for document in DOCUMENTS:
        fonts = pdffonts(built / "standard" / f"{document}.pdf")
        barlow = [f for f in fonts if "Barlow" in f["name"]]
        assert barlow and all(f["emb"] == "yes" and f["uni"] == "yes" for f in barlow), fonts


def test_pandoc_reads_the_word_headings_in_source_order(built: Path) -> None:
    ast = pandoc_json(built / "standard" / "charte.docx")
    text = json.dumps(ast, ensure_ascii=False)
    headers = blocks_of(ast, "Header")
    assert headers[0]["c"][0] == 1
    order = [text.index(name) for name in ("Pourquoi", "engagements", "assemblées", "écrire")]
    assert order == sorted(order)
    assert [h["c"][0] for h in headers[:5]] == [1, 2, 2, 3, 2]


def test_the_web_pages_are_french_and_pass_axe(built: Path) -> None:
    node = require("node")
    if not CHROMIUM.exists():
        require(str(CHROMIUM))
    files = [str(built / v / f"{d}.html") for d in DOCUMENTS for v in VARIANTS] + [str(built / "index.html")]
    for page in files:
        assert '<html lang="fr"' in Path(page).read_text("utf-8")
    done = subprocess.run([node, str(JS / "axe_check.mjs"), "--chromium", str(CHROMIUM), *files], cwd=JS,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    for page, result in zip(files, json.loads(done.stdout)["results"], strict=True):
        assert result["violations"] == [], (page, json.dumps(result["violations"], indent=1))


def test_the_words_around_the_content_are_the_packs_own_french_labels(built: Path) -> None:
    charte = words(built / "standard" / "charte.pdf")
    assert "Page 1 sur" in charte and "Page 1 of" not in charte
    index = html.fromstring((built / "index.html").read_bytes())
    headings = [" ".join(h.text_content().split()) for h in index.iter("h2")]
    assert "Les documents" in headings and "The documents" not in headings
    assert "Version facile à lire" in index.text_content() and "Easy read version" not in index.text_content()
    easy = words(built / "easy-read" / "charte.pdf")
    assert "Dessins de l'équipe Vie coopérative" in easy  # its own pictures' credit


def test_no_words_of_the_first_pack_reach_any_file(built: Path) -> None:
    files = [p for p in built.rglob("*") if p.suffix in (".pdf", ".docx", ".html")]
    assert len(files) >= 30
    for path in files:
        text = words(path)
        for first in FIRST_PACK:
            assert first not in text, (path.relative_to(built), first)


def test_packgen_check_passes_on_the_whole_pack(built: Path) -> None:
    result = run_packgen("check", "--no-axe", str(built))
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_structure_poppler_reads_holds_the_forms_fields(built: Path) -> None:
    tree = struct_text(built / "standard" / "adhesion.pdf")
    assert "Form" in tree and "Votre numéro de logement" in tree
