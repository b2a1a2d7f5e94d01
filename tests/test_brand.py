"""An organisation brings its brand.yml (posit's format, the file Quarto reads): its logo, colours and font.

Each story builds a pack with a brand file and opens the outputs as a reader's program would:
Poppler's pdffonts, the PDF structure tree, the Word package's parts, the web page's elements.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from lxml import etree, html
from verapdf import assert_compliant, validate

from conftest import require, run_packgen
from pdf_clients import elements, marked_content, pdffonts, pdfjs, pdfjs_roles

BRAND = Path(__file__).parent / "brand"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

BRAND_YML = """\
meta:
  name:
    full: Riverside Community Trust
    short: RCT
logo:
  images:
    mark: {path: brand/logo.svg, alt: Riverside Community Trust logo}
  small: brand/logo.png
  medium: mark
color:
  palette:
    river: "#0b5345"
    ink: "#222222"
  foreground: ink
  background: "#ffffff"
  primary: river
  danger: "#a00000"
typography:
  fonts:
    - family: Barlow
      source: file
      files:
        - brand/fonts/Barlow-Regular.ttf
        - {path: brand/fonts/Barlow-Bold.ttf, weight: bold}
    - family: Inter
      source: google
  base: {family: Barlow, size: 13pt}
  headings: {family: Barlow}
  monospace: Fira Code
defaults:
  quarto: {format: {html: {theme: cosmo}}}
"""


def branded(mini_pack: tuple[Path, Path], text: str = BRAND_YML, name: str = "brand.yml") -> tuple[Path, Path]:
    sources, templates = mini_pack
    shutil.copytree(BRAND, sources / "brand")
    (sources / name).write_text(text, "utf-8")
    return sources, templates


def build(sources: Path, templates: Path, out: Path, *options: str):
    return run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                       *options)


def line_of(text: str, words: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if words in line)


def test_a_branded_pack_shows_the_logo_colours_and_font_in_every_format(mini_pack, tmp_path):
    sources, templates = branded(mini_pack)
    out = tmp_path / "build"
    done = build(sources, templates, out)
    assert done.returncode == 0, done.stderr

    # The Google font cannot be fetched offline: said once, with brand.yml's line, and the build goes on.
    google = line_of(BRAND_YML, "source: google")
    assert f"brand.yml:{google}: " in done.stdout and "Inter" in done.stdout and "offline" in done.stdout

    pdf = out / "standard" / "charter.pdf"
    fonts = {row["name"].split("+")[-1]: row for row in pdffonts(pdf)}
    assert fonts["Barlow-Regular"]["emb"] == "yes" and fonts["Barlow-Regular"]["sub"] == "yes"
    assert fonts["Barlow-Bold"]["emb"] == "yes" and fonts["Barlow-Bold"]["sub"] == "yes"
    assert not any("Atkinson" in name for name in fonts)
    with pikepdf.open(pdf) as opened:
        tree = [(str(e.get("/S")), str(e.get("/Alt", ""))) for e in elements(opened) if e.get("/S") != "/Document"]
    assert tree[0] == ("/Figure", "Riverside Community Trust logo")  # the title block starts with the logo
    assert tree[1][0] == "/H1"
    # pdf.js (Firefox's PDF engine) reads the same: the logo's Figure and its alt text before the title.
    first = [(n["role"], n.get("alt")) for n in pdfjs_roles(pdfjs(pdf)["pages"][0]["structTree"])]
    assert first[first.index(("Document", None)) + 1] == ("Figure", "Riverside Community Trust logo")

    with zipfile.ZipFile(out / "standard" / "charter.docx") as docx:
        names = docx.namelist()
        body = docx.read("word/document.xml").decode("utf-8")
        styles = etree.fromstring(docx.read("word/styles.xml"))
        table = etree.fromstring(docx.read("word/fontTable.xml"))
    assert 'descr="Riverside Community Trust logo"' in body
    assert [n for n in names if n.startswith("word/fonts/")]
    barlow = table.find(f"{W}font[@{W}name='Barlow']")
    assert barlow is not None and barlow.find(f"{W}embedRegular") is not None
    heading = styles.find(f"{W}style[@{W}styleId='Heading1']")
    assert heading.find(f".//{W}color").get(f"{W}val") == "0B5345"
    # base.size 13pt raises the standard body text from the theme's 12pt (Word counts half points).
    normal = styles.find(f"{W}style[@{W}styleId='Normal']")
    assert normal.find(f".//{W}sz").get(f"{W}val") == "26"

    with zipfile.ZipFile(out / "easy-read" / "charter.docx") as docx:
        easy = etree.fromstring(docx.read("word/styles.xml"))
    # Easy read keeps its large type: the brand's 13pt never takes it below its 16pt.
    assert easy.find(f"{W}style[@{W}styleId='Normal']").find(f".//{W}sz").get(f"{W}val") == "32"

    page = (out / "standard" / "charter.html").read_text("utf-8")
    tree_html = html.fromstring(page)
    logo = tree_html.xpath("//main//p[@class='logo']/img")
    assert logo and logo[0].get("alt") == "Riverside Community Trust logo"
    assert logo[0].get("src").startswith("data:image/svg+xml;base64,")
    faces = re.findall(r"@font-face\s*{[^}]*}", page)
    assert faces and all('"Barlow"' in face and "data:font/woff2;base64," in face for face in faces)
    assert "#0b5345" in page.lower()

    index = html.fromstring((out / "index.html").read_bytes())
    assert [img.get("alt") for img in index.xpath("//main//p[@class='logo']/img")] == ["Riverside Community Trust logo"]
    checked = run_packgen("check", str(out))
    assert checked.returncode == 0, checked.stdout


def test_a_decorative_logo_is_an_artifact_and_a_png_logo_is_drawn(mini_pack, tmp_path):
    text = BRAND_YML.replace("  small: brand/logo.png\n  medium: mark\n",
                             "  medium:\n    light: {path: brand/logo.png, alt: \"\"}\n    dark: brand/logo.svg\n")
    sources, templates = branded(mini_pack, text)
    out = tmp_path / "build"
    done = build(sources, templates, out, "--document", "charter", "--variant", "standard")
    assert done.returncode == 0, done.stderr

    with pikepdf.open(out / "standard" / "charter.pdf") as pdf:
        assert "/Figure" not in [str(e.get("/S")) for e in elements(pdf)]
        first = marked_content(pdf.pages[0])[0:3]
        images = [name for name, value in pdf.pages[0].Resources.XObject.items() if value.Subtype == "/Image"]
    assert images  # the PNG is on the first page...
    assert any(tag == "/Artifact" and any(op == "Do" for _, op in ops) for tag, _, ops in first)  # ...as an artifact

    with zipfile.ZipFile(out / "standard" / "charter.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
    assert 'descr=""' in body and media and "<adec:decorative" in body  # Word's own "mark as decorative"

    page = html.fromstring((out / "standard" / "charter.html").read_bytes())
    img = page.xpath("//main//p[@class='logo']/img")[0]
    assert img.get("alt") == "" and img.get("role") == "presentation"
    assert img.get("src").startswith("data:image/png;base64,")
    checked = run_packgen("check", str(out))
    assert checked.returncode == 0, checked.stdout


def test_characters_the_brand_font_lacks_come_from_the_theme_fallbacks(mini_pack, tmp_path):
    sources, templates = branded(mini_pack)
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace("with the people it serves.",
                                                          "with the people it serves: مرحبا."), "utf-8")
    out = tmp_path / "build"
    done = build(sources, templates, out, "--document", "charter", "--variant", "standard", "--format", "pdf")
    assert done.returncode == 0, done.stderr
    names = [row["name"] for row in pdffonts(out / "standard" / "charter.pdf")]
    assert any("Barlow" in n for n in names) and any("NotoSansArabic" in n for n in names)


def _font_with_fs_type(sources: Path, fs_type: int) -> None:
    for name in ("Barlow-Regular.ttf", "Barlow-Bold.ttf"):
        path = sources / "brand" / "fonts" / name
        font = TTFont(path)
        font["OS/2"].fsType = fs_type
        font.save(path)


def test_a_preview_and_print_font_is_in_the_pdf_but_not_carried_by_word(mini_pack, tmp_path):
    sources, templates = branded(mini_pack)
    _font_with_fs_type(sources, 0x0004)
    out = tmp_path / "build"
    done = build(sources, templates, out, "--document", "charter", "--variant", "standard")
    assert done.returncode == 0, done.stderr
    assert "preview and print" in done.stdout and "brand.yml:" in done.stdout

    assert any("Barlow" in row["name"] and row["emb"] == "yes" for row in pdffonts(out / "standard" / "charter.pdf"))
    with zipfile.ZipFile(out / "standard" / "charter.docx") as docx:
        assert not [n for n in docx.namelist() if n.startswith("word/fonts/")]
        table = etree.fromstring(docx.read("word/fontTable.xml"))
    barlow = table.find(f"{W}font[@{W}name='Barlow']")
    assert barlow is not None and barlow.find(f"{W}altName").get(f"{W}val") == "Arial"


def test_an_editable_or_installable_font_is_carried_everywhere(mini_pack, tmp_path):
    sources, templates = branded(mini_pack)
    _font_with_fs_type(sources, 0x0008)
    out = tmp_path / "build"
    assert build(sources, templates, out, "--document", "charter", "--variant", "standard").returncode == 0
    with zipfile.ZipFile(out / "standard" / "charter.docx") as docx:
        assert [n for n in docx.namelist() if n.startswith("word/fonts/")]


# Each way of breaking brand.yml by one edit: the words replaced, their replacement, and the words
# the line the error names holds.
EDITS = {
    "bad colour": ('danger: "#a00000"', 'danger: "#a0000g"', "danger:"),
    "missing logo": ("brand/logo.svg", "brand/gone.svg", "gone.svg"),
    "low contrast": ('river: "#0b5345"', 'river: "#ffcc00"', "primary:"),
    "low contrast muted text": ('  danger: "#a00000"', '  danger: "#a00000"\n  secondary: "#bbbbbb"', "secondary:"),
    "unknown colour name": ("primary: river", "primary: rivr", "primary:"),
    "colour loop": ("primary: river", "primary: secondary\n  secondary: primary", "primary:"),
    "translucent colour": ('danger: "#a00000"', 'danger: "#a0000080"', "danger:"),
    "colour without quotes": ('danger: "#a00000"', 'danger: #a00000', "danger:"),
}


def _bad(sources: Path, what: str) -> tuple[str, str]:
    """Break the brand one way; return the brand file's name and the words its line holds."""
    brand = sources / "brand.yml"
    if what in EDITS:
        old, new, line_holds = EDITS[what]
        brand.write_text(brand.read_text("utf-8").replace(old, new), "utf-8")
        return "brand.yml", line_holds
    if what in ("restricted font", "bitmap-only font"):
        _font_with_fs_type(sources, 0x0002 if what == "restricted font" else 0x0200)
        return "brand.yml", "Barlow-Regular.ttf"
    if what == "both brand files":
        shutil.copy(brand, sources / "_brand.yml")
        return "_brand.yml", ""
    raise AssertionError(what)


@pytest.mark.parametrize("what, says", [
    ("bad colour", "not a colour"),
    ("unknown colour name", "color.primary: 'rivr' is not a colour packgen can use"),
    ("colour loop", "color.primary: the colour names go round in a loop (color.primary -> color.secondary -> "
                    "color.primary)"),
    ("translucent colour", "packgen needs opaque colours"),
    ("colour without quotes", "color.danger: no colour is given: a colour written with # goes in quotes, as in "
                              "'#1b3a6b'"),
    ("missing logo", "does not exist"),
    ("low contrast", "color.primary '#ffcc00' on background '#ffffff' has contrast 1.5:1; the least for headings "
                     "is 4.5:1"),
    ("low contrast muted text", "has contrast 1.9:1; the least for muted text is 4.5:1"),
    ("restricted font", "restricted licence"),
    ("bitmap-only font", "bitmaps"),
    ("both brand files", "both brand.yml and _brand.yml"),
])
def test_a_brand_mistake_is_one_line_naming_brand_yml_and_changes_nothing(mini_pack, tmp_path, what, says):
    sources, templates = branded(mini_pack)
    out = tmp_path / "build"
    assert build(sources, templates, out, "--document", "charter", "--format", "html").returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    name, words = _bad(sources, what)
    failed = build(sources, templates, out, "--document", "charter", "--format", "html")
    assert failed.returncode != 0
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1, failed.stderr
    text = (sources / "brand.yml").read_text("utf-8")
    where = f"{name}:{line_of(text, words)}: " if words else f"{name}: "
    assert where in lines[0] and says in lines[0], lines[0]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("there, says", [
    ("folder", "is a folder, not a file"),
    ("link outside", "is a link to a file outside the pack's folder"),
    ("link to nothing", "is a link that leads nowhere"),
])
def test_a_brand_file_that_cannot_be_read_stops_the_build_rather_than_leaving_the_brand_out(mini_pack, tmp_path,
                                                                                        there, says):
    # Before, a brand.yml that is a folder (or a link leading nowhere) built the pack without its
    # brand, without a word; a link to a file elsewhere on the computer was read.
    sources, templates = branded(mini_pack)
    out = tmp_path / "build"
    assert build(sources, templates, out, "--document", "charter", "--format", "html").returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    brand = sources / "brand.yml"
    elsewhere = tmp_path / "elsewhere.yml"
    elsewhere.write_text(brand.read_text("utf-8"), "utf-8")
    brand.unlink()
    if there == "folder":
        brand.mkdir()
    else:
        brand.symlink_to(elsewhere if there == "link outside" else sources / "gone.yml")
    failed = build(sources, templates, out, "--document", "charter", "--format", "html")
    assert failed.returncode != 0
    assert failed.stderr.strip().splitlines() == [f"packgen: error: {brand}: the pack's brand file {says}"
                                                  + ("" if there == "folder" else ": put the file itself there")]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_an_edit_to_the_brand_rebuilds_and_nothing_changed_rebuilds_nothing(mini_pack, tmp_path):
    sources, templates = branded(mini_pack)
    out = tmp_path / "build"
    assert build(sources, templates, out).returncode == 0
    again = build(sources, templates, out)
    assert "built 0 file(s)" in again.stdout

    brand = sources / "brand.yml"
    brand.write_text(brand.read_text("utf-8").replace('river: "#0b5345"', 'river: "#1b3a6b"'), "utf-8")
    edited = build(sources, templates, out)
    built = int(re.search(r"built (\d+) file\(s\)", edited.stdout).group(1))
    assert built >= 42  # every document in every variant and format, and the pack's own files
    with zipfile.ZipFile(out / "standard" / "charter.docx") as docx:
        assert b'w:val="1B3A6B"' in docx.read("word/styles.xml")
    assert "built 0 file(s)" in build(sources, templates, out).stdout

    logo = sources / "brand" / "logo.svg"
    logo.write_text(logo.read_text("utf-8").replace("#f4d03f", "#e67e22"), "utf-8")
    assert "built 0 file(s)" not in build(sources, templates, out).stdout


def test_a_pack_without_a_brand_keeps_the_theme(mini_pack, tmp_path):
    sources, templates = mini_pack
    out = tmp_path / "build"
    assert build(sources, templates, out, "--document", "charter", "--variant", "standard").returncode == 0
    assert any("AtkinsonHyperlegible" in row["name"] for row in pdffonts(out / "standard" / "charter.pdf"))
    page = html.fromstring((out / "standard" / "charter.html").read_bytes())
    assert not page.xpath("//*[@class='logo']")


def test_a_headings_family_of_its_own_draws_the_headings_and_the_body_keeps_the_theme_font(mini_pack, tmp_path):
    text = BRAND_YML.replace("  base: {family: Barlow, size: 13pt}\n", "")
    sources, templates = branded(mini_pack, text)
    out = tmp_path / "build"
    done = build(sources, templates, out, "--document", "charter", "--variant", "standard")
    assert done.returncode == 0, done.stderr

    names = [row["name"] for row in pdffonts(out / "standard" / "charter.pdf")]
    assert any("Barlow-Bold" in n for n in names) and any("AtkinsonHyperlegible" in n for n in names)

    with zipfile.ZipFile(out / "standard" / "charter.docx") as docx:
        styles = etree.fromstring(docx.read("word/styles.xml"))
        table = etree.fromstring(docx.read("word/fontTable.xml"))
    fonts = styles.find(f"{W}style[@{W}styleId='Heading1']").find(f".//{W}rFonts")
    assert fonts.get(f"{W}ascii") == "Barlow"
    barlow = table.find(f"{W}font[@{W}name='Barlow']")
    assert barlow is not None and barlow.find(f"{W}embedBold") is not None

    page = (out / "standard" / "charter.html").read_text("utf-8")
    assert re.search(r'h1, h2, h3, h4, h5, h6 \{ font-family: "Barlow", "Atkinson Hyperlegible"', page)
    assert re.search(r'font-family: "Barlow";\s*font-style: normal;\s*font-weight: 700;', page)


NAMED_COLOURS_YML = """\
color:
  palette:
    river: "rgb(11, 83, 69)"
    ink: "#222"
  foreground: dark
  dark: ink
  primary: river
  secondary: navy
  light: "#e8f1ffff"
  danger: DarkRed
typography:
  link: {color: danger}
"""


def test_colours_given_by_role_palette_css_name_and_rgb_reach_every_format_as_hex(mini_pack, tmp_path):
    # foreground -> the dark role -> the palette's ink -> #222; primary -> river -> rgb(); secondary is a CSS name.
    sources, templates = branded(mini_pack, NAMED_COLOURS_YML)
    out = tmp_path / "build"
    done = build(sources, templates, out, "--document", "charter", "--variant", "standard")
    assert done.returncode == 0, done.stderr

    with zipfile.ZipFile(out / "standard" / "charter.docx") as docx:
        styles = etree.fromstring(docx.read("word/styles.xml"))

    def colour(style_id: str) -> str:
        return styles.find(f"{W}style[@{W}styleId='{style_id}']").find(f".//{W}color").get(f"{W}val")

    assert colour("Normal") == "222222"  # role -> role -> palette -> #rgb
    assert colour("Heading1") == "0B5345"  # palette -> rgb()
    assert colour("Caption") == "000080"  # navy
    assert colour("Hyperlink") == "8B0000"  # typography.link.color names a role given a CSS name (DarkRed)

    page = (out / "standard" / "charter.html").read_text("utf-8").lower()
    assert re.search(r"\bcolor: #222222;", page) and re.search(r"\bcolor: #8b0000;", page)
    assert "#e8f1ff" in page  # #rrggbbaa that is fully opaque: table headers' background
    assert "navy" not in page and "rgb(" not in page and "darkred" not in page  # only hex reaches the output
    assert run_packgen("check", str(out)).returncode == 0


# --- reading brand.yml: the shapes brand.yml allows, and the words of its mistakes ----------------

def _read(tmp_path: Path, text: str):
    from packgen.sources.brand import load_brand

    shutil.copytree(BRAND, tmp_path / "brand", dirs_exist_ok=True)
    (tmp_path / "_brand.yml").write_text(text, "utf-8")
    return load_brand(tmp_path)


def test_brand_yml_in_its_other_shapes_reads_the_same(tmp_path):
    brand = _read(tmp_path, 'meta: {name: Riverside}\nlogo: brand/logo.png\ncolor: {primary: "#0B5"}\n'
                            "typography:\n  fonts:\n    - family: Barlow\n      files: [brand/fonts/Barlow-Bold.ttf]\n"
                            "  base: Barlow\n  headings: Barlow\n")
    assert brand.name == "Riverside" and brand.logo.path.name == "logo.png" and brand.logo.alt is None
    assert brand.colour("primary") == "00BB55" and brand.base_family == "Barlow"
    assert brand.font("Barlow").nearest(400, "normal").path.name == "Barlow-Bold.ttf"


@pytest.mark.parametrize("given, hex_", [
    ("'#0B5'", "00BB55"), ("'#0b5345'", "0B5345"), ("'#0B5F'", "00BB55"), ("'#0b5345FF'", "0B5345"),
    ("rgb(11, 83, 69)", "0B5345"), ("rgba(11,83,69,1)", "0B5345"), ("rgb(11 83 69 / 100%)", "0B5345"),
    ("rgb(100% 0% 50%)", "FF0080"), ("navy", "000080"), ("RebeccaPurple", "663399"), ("ink", "222222"),
    ("dark", "222222"),
])
def test_a_colour_in_any_form_brand_yml_allows_is_read_as_hex(tmp_path, given, hex_):
    brand = _read(tmp_path, f'color:\n  palette: {{ink: "#222"}}\n  dark: ink\n  primary: {given}\n')
    assert brand.colour("primary") == hex_


def test_a_logo_on_the_web_and_a_system_font_are_not_fetched(tmp_path):
    brand = _read(tmp_path, "logo:\n  large: https://example.org/logo.svg\n"
                            "typography:\n  fonts: [{family: Arial, source: system}]\n  base: Arial\n")
    assert brand.logo is None and brand.base_family == ""
    assert len(brand.warnings) == 1 and "_brand.yml:2: " in brand.warnings[0] and "offline" in brand.warnings[0]


def test_a_base_font_with_no_files_is_warned_of_at_its_line_naming_the_fonts_that_have_them(mini_pack, tmp_path):
    # brand.yml is shared with tools that find a font by its name, so the build goes on, with the theme's font
    text = BRAND_YML.replace("base: {family: Barlow, size: 13pt}", "base: {family: Barlo, size: 13pt}")
    sources, templates = branded(mini_pack, text)
    done = build(sources, templates, tmp_path / "build", "--document", "charter", "--format", "html")
    assert done.returncode == 0, done.stderr
    assert f"warning: {sources / 'brand.yml'}:{line_of(text, 'family: Barlo,')}: typography.base.family: the font " \
           "'Barlo' has no font files, so the theme's own font is used: name one of the fonts with files ('Barlow'), " \
           "or add 'Barlo' to typography.fonts with 'source: file' and its files" in done.stdout.splitlines()


def test_a_headings_font_with_no_files_and_none_that_has_them_says_what_to_add(tmp_path):
    brand = _read(tmp_path, "typography:\n  headings: Barlow\n")
    assert brand.headings_family == "" and brand.warnings == (
        f"{tmp_path / '_brand.yml'}:2: typography.headings: the font 'Barlow' has no font files, so the theme's own "
        "font is used: add 'Barlow' to typography.fonts with 'source: file' and its files",)


@pytest.mark.parametrize("text, line, says", [
    ("color:\n  palette: {a: b}\n", 2, "not a colour"),
    ("color:\n  primary: [1, 2]\n", 2, "not a colour"),
    ("logo:\n  medium: {alt: Our logo}\n", 2, "expected a file"),
    ("logo: ../outside.svg\n", 1, "inside the pack's folder"),
    ("logo: brand/fonts/OFL.txt\n", 1, "not a picture"),
    ("typography:\n  fonts:\n    - {family: X, source: ftp}\n", 3, "not a font source"),
    ("typography:\n  fonts:\n    - family: X\n      files: [{path: brand/fonts/Barlow-Bold.ttf, weight: heavy}]\n",
     4, "not a font weight"),
    ("typography:\n  base: {size: 1.2rem}\n", 2, "not a size"),
    ("typography:\n  base: {size: 900pt}\n", 2, "at most 144pt"),
    ("typography:\n  base: {size: 0}\n", 2, "more than 0"),
    ("meta:\n  name: [a]\n", 2, "expected words"),
    ("color:\n  palette: {a: b, b: a}\n  primary: a\n", 2, "go round in a loop (color.palette.a -> "),
    ("color:\n  primary: primary\n", 2, "loop (color.primary -> color.primary)"),
    ("color:\n  palette:\n" + "".join(f"    p{n}: p{n + 1}\n" for n in range(2000)) + "    p2000: navy\n"
     "  primary: p0\n  background: p1999\n  foreground: nonesuch\n", 2006, "'nonesuch' is not a colour"),
    ("color:\n  foreground: dark\n", 2, "color.dark names a role this brand.yml does not give"),
    ("color:\n  primary: rgb(0 0 0 / 50%)\n", 2, "packgen needs opaque colours"),
    ("color:\n  primary: rgb(256, 0, 0)\n", 2, "from 0 to 255"),
    ("typography:\n  link: {color: navvy}\n", 2, "not a colour"),
])
def test_a_value_packgen_reads_that_it_cannot_use_is_an_error_at_its_line(tmp_path, text, line, says):
    from packgen.errors import SourceError

    with pytest.raises(SourceError) as caught:
        _read(tmp_path, text)
    assert caught.value.line == line and says in caught.value.message, str(caught.value)


@pytest.mark.parametrize("keep", [5_000, 0.5], ids=["its first 5,000 bytes", "half of it"])
def test_a_font_file_cut_short_is_an_error_at_its_line(tmp_path, keep):
    from packgen.errors import SourceError

    whole = (BRAND / "fonts" / "Barlow-Bold.ttf").read_bytes()
    (tmp_path / "cut").mkdir()
    (tmp_path / "cut" / "Cut.ttf").write_bytes(whole[:keep if isinstance(keep, int) else int(len(whole) * keep)])
    with pytest.raises(SourceError) as caught:
        _read(tmp_path, "typography:\n  fonts:\n    - family: Cut\n      files: [cut/Cut.ttf]\n  base: Cut\n")
    assert caught.value.line == 4 and "the font file 'cut/Cut.ttf' is cut short" in caught.value.message, \
        caught.value.message


@pytest.mark.parametrize("target", ["loop.png", "../elsewhere/logo.png"], ids=["a link in a loop", "a link out"])
def test_a_logo_that_is_a_link_leading_nowhere_or_elsewhere_is_an_error_at_its_line(tmp_path, target):
    from packgen.errors import SourceError

    (tmp_path / "elsewhere").mkdir()
    shutil.copy(BRAND / "logo.png", tmp_path / "elsewhere" / "logo.png")
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "loop.png").symlink_to(target)
    with pytest.raises(SourceError) as caught:
        _read(pack, "meta: {name: Riverside}\nlogo: loop.png\n")
    assert caught.value.line == 2
    assert caught.value.message.startswith("logo: the logo 'loop.png' "), caught.value.message
    assert ("leads round in a loop" if target == "loop.png" else "inside the pack's folder") in caught.value.message


@pytest.mark.parametrize("fs_type, field_font", [(0, "Barlow-Regular"), (0x0004, "AtkinsonHyperlegible-Regular")])
def test_packgen_forms_draws_the_brand_and_its_fields_use_a_font_the_licence_allows(tmp_path, fs_type, field_font):
    root = Path(__file__).resolve().parents[1]
    sources = tmp_path / "sources"
    shutil.copytree(root / "sources", sources)
    templates = sources / "templates"  # the shipped pack's own
    shutil.copytree(BRAND, sources / "brand")
    (sources / "brand.yml").write_text(BRAND_YML, "utf-8")
    _font_with_fs_type(sources, fs_type)
    members = tmp_path / "members.csv"
    members.write_text("organisation,lead-name,lead-role,email\nAcme Care,Sam Lee,Director,sam@acme.example\n",
                       "utf-8")
    made = run_packgen("forms", "--sources", str(sources), "--templates", str(templates), "--organisations",
                       str(members), "--out", str(tmp_path / "forms"), "--format", "pdf")
    assert made.returncode == 0, made.stderr
    assert "Inter" in made.stdout and "offline" in made.stdout  # the Google font, said here too
    assert ("preview and print" in made.stdout) == bool(fs_type)
    pdf = tmp_path / "forms" / "Acme-Care.pdf"
    rows = pdffonts(pdf)
    assert any(r["name"].endswith("+Barlow-Regular") and r["sub"] == "yes" for r in rows)  # the form's words
    fields = [r["name"] for r in rows if r["type"] == "CID TrueType"]
    assert fields[0] == field_font  # the fields' font, embedded whole so any typed value shows
    with pikepdf.open(pdf) as opened:
        assert [str(e.get("/Alt")) for e in elements(opened) if e.get("/S") == "/Figure"][0] == \
            "Riverside Community Trust logo"


def test_a_branded_pack_gives_the_same_bytes_every_time(mini_pack, tmp_path):
    """The web font is compressed afresh without the cache: its bytes must not carry the time it was made."""
    sources, templates = branded(mini_pack)
    outs = [tmp_path / "one", tmp_path / "two"]
    for out in outs:
        done = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                           "--document", "charter", "--jobs", "1", env={"PACKGEN_CACHE": "off"})
        assert done.returncode == 0, done.stderr
    files = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("*")
                   if p.is_file() and p.name != ".packgen-state.json")
    assert files and all((outs[0] / f).read_bytes() == (outs[1] / f).read_bytes() for f in files)


def test_branded_pdfs_pass_verapdf_with_a_described_and_a_decorative_logo(mini_pack, tmp_path):
    sources, templates = branded(mini_pack)
    out = tmp_path / "build"
    assert build(sources, templates, out, "--document", "charter", "--format", "pdf").returncode == 0
    brand = sources / "brand.yml"
    brand.write_text(brand.read_text("utf-8").replace("alt: Riverside Community Trust logo", 'alt: ""'), "utf-8")
    decorative = tmp_path / "decorative"
    assert build(sources, templates, decorative, "--document", "charter", "--format", "pdf").returncode == 0
    paths = [out / "standard" / "charter.pdf", out / "easy-read" / "charter.pdf",
             decorative / "standard" / "charter.pdf"]
    assert_compliant(validate(paths, "ua1"), "ua1")


def test_a_font_that_may_not_be_subset_is_embedded_whole_and_draws_the_same(mini_pack, tmp_path):
    sources, templates = branded(mini_pack)
    out = tmp_path / "subset"
    assert build(sources, templates, out, "--document", "charter", "--variant", "standard",
                 "--format", "pdf").returncode == 0
    _font_with_fs_type(sources, 0x0100)
    whole = tmp_path / "whole"
    assert build(sources, templates, whole, "--document", "charter", "--variant", "standard",
                 "--format", "pdf").returncode == 0

    rows = {row["name"]: row for row in pdffonts(whole / "standard" / "charter.pdf")}
    assert rows["Barlow-Regular"]["emb"] == "yes" and rows["Barlow-Regular"]["sub"] == "no"  # no subset tag
    with pikepdf.open(whole / "standard" / "charter.pdf") as pdf:
        programs = [font.FontDescriptor.FontFile2.read_bytes() for page in pdf.pages
                    for font in page.Resources.Font.values() if "/FontDescriptor" in font]
    original = TTFont(sources / "brand" / "fonts" / "Barlow-Regular.ttf")
    embedded = [TTFont(io.BytesIO(data)) for data in programs]
    assert any(font.getGlyphOrder() == original.getGlyphOrder() for font in embedded)  # every glyph is there

    def page_text(folder: Path) -> str:
        return subprocess.run([require("pdftotext"), str(folder / "standard" / "charter.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout

    assert page_text(whole) == page_text(out)  # the same words come out, from the whole font's own map


def test_a_draft_with_a_logo_passes_packgen_check(mini_pack, tmp_path):
    # The draft mark (a bold line) stands above the logo and then the title: a status line over the
    # title block, not a heading someone wrote as bold text.
    sources, templates = branded(mini_pack)
    pack_yaml = sources / "pack.yaml"
    pack_yaml.write_text(pack_yaml.read_text("utf-8").replace("status: final", "status: draft"), "utf-8")
    out = tmp_path / "build"
    assert build(sources, templates, out, "--format", "pdf,docx").returncode == 0
    checked = run_packgen("check", str(out), "--no-verapdf")
    assert checked.returncode == 0, checked.stdout
    assert "visual-heading" not in checked.stdout


def test_a_logo_whose_svg_writes_its_name_as_text_is_drawn_in_an_embedded_font(mini_pack, tmp_path):
    """The organisation's SVG logo spells its name in a <text> element, as logos drawn in Inkscape or
    Illustrator often do: the PDF draws those letters in the document's own embedded font (Helvetica,
    which svglib would give them, is embedded in no PDF), so veraPDF passes it and Poppler finds
    every font embedded, with the Polish letters of the name read back as written."""
    sources, templates = branded(mini_pack)
    logo = sources / "brand" / "logo.svg"
    logo.write_text(logo.read_text("utf-8").replace(
        "</svg>", '<text x="10" y="75" font-family="sans-serif" font-size="14" fill="#ffffff">RCT Łódź</text>\n</svg>'),
        "utf-8")
    out = tmp_path / "build"
    assert build(sources, templates, out, "--document", "charter", "--variant", "standard",
                 "--format", "pdf").returncode == 0
    pdf = out / "standard" / "charter.pdf"
    assert [row["name"] for row in pdffonts(pdf) if row["emb"] != "yes"] == []
    assert "RCT Łódź" in subprocess.run([require("pdftotext"), str(pdf), "-"], capture_output=True, text=True,
                                        check=True).stdout
    assert_compliant(validate([pdf], "ua1"), "ua1")
