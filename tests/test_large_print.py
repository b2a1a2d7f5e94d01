"""A reader who asked for large print gets every document of the pack, the pledge form too, as a PDF
and a Word file in 18pt type, with its own combined PDF, listed on the download page and in the zip.

The shipped pack is built once (built_pack); each test opens the large-print files as a reader's
tools do: Poppler (pdfinfo, pdftotext, pdffonts), pdfium (Chrome's engine, for type sizes), pypdf
and pikepdf (form fields, bookmarks), python-docx (Word's styles) and lxml for the download page.
"""

from __future__ import annotations

import csv
import ctypes
import json
import re
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pikepdf
import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from lxml import html

from conftest import SHIPPED_DOCUMENTS, make_pack, own_copy, run_packgen
from pdf_clients import pdffonts, run
from pdf_clients import require as require_tool

LARGE = "large-print"


def chars(pdf: Path) -> Counter[tuple[float, str]]:
    """How many characters each (size, font) draws, over every page, as pdfium reads them."""
    found: Counter[tuple[float, str]] = Counter()
    for page in pdfium.PdfDocument(str(pdf)):
        text = page.get_textpage()
        for i in range(text.count_chars()):
            if not text.get_text_range(i, 1).strip():
                continue
            name = ctypes.create_string_buffer(256)
            flags = ctypes.c_int()
            pdfium_c.FPDFText_GetFontInfo(text.raw, i, name, 256, ctypes.byref(flags))
            found[round(pdfium_c.FPDFText_GetFontSize(text.raw, i), 1), name.value.decode()] += 1
    return found


def pdf_info(pdf: Path) -> dict[str, str]:
    out = run(require_tool("pdfinfo"), str(pdf))
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def manifest(built: Path) -> list[dict]:
    return json.loads((built / "manifest.json").read_text("utf-8"))["outputs"]


# -- the files ---------------------------------------------------------------------------------


def test_every_document_has_a_large_print_pdf_and_word_file_and_nothing_a_reader_enlarges_themself(
        built_pack: Path) -> None:
    folder = built_pack / LARGE
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{d}.pdf" for d in SHIPPED_DOCUMENTS] + [f"{d}.docx" for d in SHIPPED_DOCUMENTS] + ["pack.pdf"])
    listed = {(o["document"], o["format"]) for o in manifest(built_pack) if o["variant"] == LARGE
              and o["format"] != "png"}  # the download page's thumbnails
    # a browser and an e-reader enlarge text themselves: no web page, e-book, braille or audio
    assert listed == {(d, f) for d in SHIPPED_DOCUMENTS for f in ("pdf", "docx")} | {("pack", "pdf")}
    for entry in (o for o in manifest(built_pack) if o["variant"] == LARGE and o["format"] != "png"):
        assert entry["path"].startswith(f"{LARGE}/") and entry["bytes"] == (built_pack / entry["path"]).stat().st_size


@pytest.mark.parametrize("document", SHIPPED_DOCUMENTS)
def test_the_large_print_pdf_has_18pt_text_bigger_bold_headings_and_no_italic(built_pack: Path,
                                                                              document: str) -> None:
    drawn = chars(built_pack / LARGE / f"{document}.pdf")
    (body_size, body_font), _ = drawn.most_common(1)[0]
    assert (body_size, body_font) == (18.0, "AtkinsonHyperlegible-Regular")
    assert min(size for size, _ in drawn) >= 16  # the footer, the smallest text, is 16pt
    bigger = {font for size, font in drawn if size > body_size}
    assert bigger == {"AtkinsonHyperlegible-Bold"}, "headings are larger, and bold"
    assert not [f for f in pdffonts(built_pack / LARGE / f"{document}.pdf") if "Italic" in f["name"]]
    standard = chars(built_pack / "standard" / f"{document}.pdf")
    assert standard.most_common(1)[0][0][0] == 12.0  # the standard text is the same words, smaller


def test_the_large_print_word_file_is_18pt_with_larger_bold_headings_and_wide_margins(built_pack: Path) -> None:
    word = docx.Document(str(built_pack / LARGE / "charter.docx"))
    normal = word.styles["Normal"]
    assert normal.font.size.pt == 18 and normal.paragraph_format.line_spacing == pytest.approx(1.4)
    for level in (1, 2, 3):
        heading = word.styles[f"Heading {level}"]
        assert heading.font.bold and heading.font.size.pt > 18
    assert [word.styles[f"Heading {n}"].font.size.pt for n in (1, 2, 3)] == sorted(
        (word.styles[f"Heading {n}"].font.size.pt for n in (1, 2, 3)), reverse=True)
    assert all(p.alignment in (None, docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT) for p in word.paragraphs)
    standard = docx.Document(str(built_pack / "standard" / "charter.docx"))
    section, usual = word.sections[0], standard.sections[0]
    assert section.left_margin > usual.left_margin and section.right_margin > usual.right_margin
    # the same standard text: every standard paragraph's words are in the large-print file
    words = {p.text for p in word.paragraphs}
    assert [p.text for p in standard.paragraphs if p.text and p.text not in words] == [
        "West Midlands Social Work Teaching Partnership. Version 0.1, 23 November 2026."]


@pytest.mark.parametrize("document", SHIPPED_DOCUMENTS)
def test_the_title_says_it_is_the_large_print_version(built_pack: Path, document: str) -> None:
    pdf = built_pack / LARGE / f"{document}.pdf"
    title = pdf_info(pdf)["Title"].strip()
    assert title.endswith("(large print)")
    assert title == pdf_info(built_pack / "standard" / f"{document}.pdf")["Title"].strip() + " (large print)"
    first_page = run(require_tool("pdftotext"), "-l", "1", str(pdf), "-")
    assert "Large print version." in " ".join(first_page.split())
    word = docx.Document(str(built_pack / LARGE / f"{document}.docx"))
    assert word.core_properties.title == title
    assert "Large print version." in word.paragraphs[1].text


def test_the_combined_large_print_pdf_holds_every_document_with_a_bookmark_each(built_pack: Path) -> None:
    combined = built_pack / LARGE / "pack.pdf"
    reader = pypdf.PdfReader(combined)
    parts = [pypdf.PdfReader(built_pack / LARGE / f"{d}.pdf") for d in SHIPPED_DOCUMENTS]
    assert len(reader.pages) == sum(len(p.pages) for p in parts)
    # one bookmark per document, in pack order, named as the document's own title
    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    assert bookmarks == [p.metadata.title.removesuffix(" (large print)") for p in parts]
    info = pdf_info(combined)
    assert info["Title"].strip() == "Co-Production Charter: all documents, large print version"
    assert info["Tagged"].strip() == "yes"
    # the checklist's tick boxes and the pledge form's fields still work in it
    fields = set(pypdf.PdfReader(built_pack / LARGE / "pledge-form.pdf").get_fields())
    assert fields and fields <= set(reader.get_fields())


# -- the pack's own files ----------------------------------------------------------------------------


def test_the_download_page_links_every_large_print_file_with_its_size(built_pack: Path) -> None:
    page = html.fromstring((built_pack / "index.html").read_bytes())
    sizes = {o["path"]: o for o in manifest(built_pack)}
    for document in SHIPPED_DOCUMENTS:
        (version,) = page.xpath(f"//li[@class='document'][.//h3[@id='doc_{document}']]"
                                "//div[@class='version'][h4='Large print version']")
        links = {a.get("href"): " ".join(a.xpath("text()")) for a in version.iter("a")}
        assert set(links) == {f"{LARGE}/{document}.pdf", f"{LARGE}/{document}.docx"}
        pages = sizes[f"{LARGE}/{document}.pdf"]["pages"]
        assert re.fullmatch(rf"PDF, \d+ KB, {pages} pages?", links[f"{LARGE}/{document}.pdf"])
        assert re.fullmatch(r"Word document, \d+ KB", links[f"{LARGE}/{document}.docx"])
        title = page.xpath(f"//h3[@id='doc_{document}']")[0].text_content().split(":")[0]
        assert version.xpath(".//img/@alt") == [f"First page of the large print version of {title}"]
    (everything,) = page.xpath("//ul[contains(@class, 'everything')]")
    combined = [a for a in everything.iter("a") if a.get("href") == f"{LARGE}/pack.pdf"]
    assert combined and "all the documents, large print" in combined[0].text_content()


def test_the_zip_carries_every_large_print_file(built_pack: Path) -> None:
    (archive,) = [o for o in manifest(built_pack) if o["format"] == "zip"]
    with zipfile.ZipFile(built_pack / archive["path"]) as z:
        names = {n for n in z.namelist() if n.startswith(f"{LARGE}/")}
        for name in names:
            assert z.read(name) == (built_pack / name).read_bytes()
    assert names == {p.relative_to(built_pack).as_posix() for p in (built_pack / LARGE).iterdir()}


# -- italic shown as bold: the variant's theme entry says so -----------------------------------------


def _pack_with_italic(tmp_path: Path) -> tuple[Path, Path]:
    sources, templates = make_pack(tmp_path)
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace("with the people it serves.",
                                                          "with the people it *truly* serves."), "utf-8")
    return sources, templates


def _emphasis(word_file: Path, words: str) -> tuple[bool | None, bool | None]:
    """(bold, italic) of the run holding `words`, as python-docx reads its direct formatting."""
    (run_,) = [r for p in docx.Document(str(word_file)).paragraphs for r in p.runs if r.text == words]
    return run_.bold, run_.italic


def _build(sources: Path, templates: Path, out: Path, variants: str) -> None:
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--variant", variants, "--format", "pdf,docx", "-q")
    assert result.returncode == 0, result.stderr


def test_italic_words_are_bold_in_large_print_and_easy_read_as_their_theme_entries_say(tmp_path: Path) -> None:
    sources, templates = _pack_with_italic(tmp_path)
    out = tmp_path / "build"
    _build(sources, templates, out, "standard,large-print")
    assert _emphasis(out / "standard" / "charter.docx", "truly") == (None, True)
    assert _emphasis(out / LARGE / "charter.docx", "truly") == (True, None)
    assert [f for f in pdffonts(out / "standard" / "charter.pdf") if "Italic" in f["name"]]
    assert not [f for f in pdffonts(out / LARGE / "charter.pdf") if "Italic" in f["name"]]
    assert "truly" in run(require_tool("pdftotext"), str(out / LARGE / "charter.pdf"), "-")

    # The theme's `emphasis`, not the variant's name, decides: a pack whose theme keeps italics in
    # large print gets them.
    theme = own_copy(templates, "theme.yaml")
    text = theme.read_text("utf-8")
    large = text.index("  large-print:")
    theme.write_text(text[:large] + text[large:].replace("emphasis: bold", "emphasis: italic", 1), "utf-8")
    _build(sources, templates, tmp_path / "italic", "large-print")
    assert _emphasis(tmp_path / "italic" / LARGE / "charter.docx", "truly") == (None, True)


# -- the pledge form -------------------------------------------------------------------------------


def widgets(pdf: Path) -> dict[str, tuple[float, float, str]]:
    """Each field's widget: its width and height in points, and the text size it types in (/DA)."""
    found = {}
    with pikepdf.open(pdf) as opened:
        for page in opened.pages:
            for annot in page.get("/Annots", []):
                if annot.get("/Subtype") != "/Widget":
                    continue
                field = annot if "/T" in annot else annot.Parent
                x0, y0, x1, y1 = (float(v) for v in annot.Rect)
                found[str(field.T)] = (x1 - x0, y1 - y0, str(field.get("/DA", "")))
    return found


def test_the_pledge_forms_fields_and_tick_boxes_grow_with_the_text(built_pack: Path) -> None:
    large, standard = (widgets(built_pack / v / "pledge-form.pdf") for v in (LARGE, "standard"))
    assert large.keys() == standard.keys() and len(large) >= 10
    for name, (width, height, typed) in large.items():
        usual_width, usual_height, usual_typed = standard[name]
        assert height >= usual_height * 18 / 12 * 0.95, name  # as much taller as the text is larger
        if name.startswith("commit-"):  # a tick box stays square
            assert width == pytest.approx(height) and width > usual_width
        if "/PGF0 12 Tf" in usual_typed:  # what a reader types is large print too
            assert "/PGF0 18 Tf" in typed, name

    def size(style: docx.styles.style.BaseStyle) -> float:
        while style.font.size is None:
            style = style.base_style
        return style.font.size.pt

    word = {v: docx.Document(str(built_pack / v / "pledge-form.docx")).styles for v in (LARGE, "standard")}
    for style in ("Field Label", "Field Box", "Field Box Multi-line", "Field Checkbox"):
        assert (size(word[LARGE][style]), size(word["standard"][style])) == (18, 12), style


# -- packgen check ---------------------------------------------------------------------------------


def test_packgen_check_passes_the_large_print_files_and_holds_them_to_16pt(built_pack: Path, tmp_path: Path) -> None:
    result = run_packgen("check", str(built_pack / LARGE), "--no-axe", "--no-verapdf")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no accessibility errors" in result.stdout and "in 15 files" in result.stdout

    # The standard charter (12pt) is good standard text, but not large print.
    for name in ("charter.pdf", "charter.docx"):
        (tmp_path / LARGE).mkdir(exist_ok=True)
        (tmp_path / LARGE / name).write_bytes((built_pack / "standard" / name).read_bytes())
    result = run_packgen("check", str(tmp_path / LARGE), "--no-axe", "--no-verapdf")
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "format-text-size" in line]
    assert any("large-print/charter.pdf: page 1:" in line and "Text is 12pt; large print text must be at least "
               "16pt." in line for line in lines), result.stdout
    assert any("large-print/charter.docx:" in line for line in lines), result.stdout
    assert run_packgen("check", str(built_pack / "standard" / "charter.pdf"), "--no-axe",
                       "--no-verapdf").returncode == 0


# -- pictures ------------------------------------------------------------------------------------


def text_over_pictures(pdf: Path) -> tuple[int, list[str]]:
    """How many pictures the PDF draws, and each character pdfium finds inside one's box."""
    pictures, over = 0, []
    for page in pdfium.PdfDocument(str(pdf)):
        boxes = [obj.get_bounds() for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])]
        pictures += len(boxes)
        text = page.get_textpage()
        for i in range(text.count_chars()):
            if not text.get_text_range(i, 1).strip():
                continue
            left, bottom, right, top = text.get_charbox(i)
            over += [text.get_text_range(i, 1) for x0, y0, x1, y1 in boxes
                     if not (right <= x0 or left >= x1 or top <= y0 or bottom >= y1)]
    return pictures, over


def test_text_over_a_picture_is_what_text_over_pictures_finds(tmp_path: Path) -> None:
    """The measure above finds a caption printed on a photo, as some brochure layouts do."""
    from PIL import Image
    from reportlab.pdfgen import canvas

    Image.new("RGB", (60, 40), (40, 90, 160)).save(tmp_path / "photo.png")
    page = canvas.Canvas(str(tmp_path / "over.pdf"))
    page.drawImage(str(tmp_path / "photo.png"), 100, 500, 300, 200)
    page.setFont("Helvetica", 18)
    page.drawString(120, 550, "On the photo")
    page.drawString(120, 300, "Below it")
    page.save()
    pictures, over = text_over_pictures(tmp_path / "over.pdf")
    assert pictures == 1 and "".join(over) == "Onthephoto"


def test_no_text_is_drawn_over_a_picture(tmp_path: Path) -> None:
    """A photo with its caption, in large print: the PDF draws no character inside the picture's
    box (pdfium), and the Word file holds every picture in line with the text, never floating
    over it (no wp:anchor)."""
    from PIL import Image

    sources, templates = make_pack(tmp_path)
    (sources / "pictures").mkdir()
    Image.new("RGB", (600, 400), (40, 90, 160)).save(sources / "pictures" / "team.png")
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8") + "\n![Six people round a table](team.png \"Our team at work\")\n\n"
                       + "The team meets every month to plan the next steps together.\n", "utf-8")
    out = tmp_path / "build"
    _build(sources, templates, out, "large-print")
    assert text_over_pictures(out / LARGE / "charter.pdf") == (1, [])
    assert "Our team at work" in run(require_tool("pdftotext"), str(out / LARGE / "charter.pdf"), "-")
    with zipfile.ZipFile(out / LARGE / "charter.docx") as word:
        body = word.read("word/document.xml").decode("utf-8")
    assert body.count("<wp:inline") == 1 and "<wp:anchor" not in body


def test_an_organisation_gets_its_pledge_form_in_large_print_and_the_register_reads_it_back(tmp_path: Path) -> None:
    members = tmp_path / "members.csv"
    members.write_text("organisation,lead-name,lead-role,email\n"
                       "Riverside Trust,Sam Lee,Chief executive,sam@example.org\n", "utf-8")
    forms = tmp_path / "forms"
    made = run_packgen("forms", "--organisations", str(members), "--out", str(forms), "--variant", LARGE)
    assert made.returncode == 0, made.stderr
    filled = widgets(forms / "Riverside-Trust.pdf")
    assert "/PGF0 18 Tf" in filled["organisation"][2]
    assert pypdf.PdfReader(forms / "Riverside-Trust.pdf").get_fields()["organisation"]["/V"] == "Riverside Trust"
    assert pdf_info(forms / "Riverside-Trust.pdf")["Title"].strip().endswith("(large print)")
    register = tmp_path / "register.csv"
    read = run_packgen("register", str(forms), "--out", str(register))
    assert read.returncode == 0, read.stderr
    rows = list(csv.DictReader(register.open(encoding="utf-8-sig")))
    assert [(r["file"], r["status"], r["organisation"]) for r in rows] == [
        ("Riverside-Trust.docx", "registered", "Riverside Trust"), ("Riverside-Trust.pdf", "registered",
                                                                    "Riverside Trust")]


def test_a_packs_own_theme_without_large_print_is_one_line_saying_what_to_add(tmp_path: Path) -> None:
    sources, templates = make_pack(tmp_path)
    theme = own_copy(templates, "theme.yaml")
    text = theme.read_text("utf-8")
    theme.write_text(text[:text.index("  # The standard text in large type")], "utf-8")  # a theme from before
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out",
                         str(tmp_path / "build"), "--document", "charter", "--format", "pdf", "-q")
    assert result.returncode == 1 and not (tmp_path / "build" / "standard" / "charter.pdf").exists()
    (line,) = result.stderr.strip().splitlines()
    variants_line = theme.read_text("utf-8").split("\n").index("variants:") + 1
    assert line.startswith(f"packgen: error: {theme}:{variants_line}: the theme needs a 'large-print' variant "
                           "(copy its entry from packgen's own theme.yaml")
