"""The Word files organisations and easy-read readers open: what Word, LibreOffice, pandoc and a
screen reader find in them.

Each test opens the written .docx the way its users' tools do (python-docx and the raw XML for
properties Word reads, pandoc for structure, LibreOffice for "does it open and print") and fails
when the feature is missing.
"""

from __future__ import annotations

import hashlib
import re
import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Mm
from lxml import etree

from packgen.model import Document, FormBlock, FormField, Heading, ListBlock, ListItem, Paragraph, Text
from packgen.theme import contrast
from packgen.writers.docx.document import write
from packgen.writers.docx.fonts import obfuscate

from clients_docx import blocks_of, pandoc_json, pdf_fonts, pdf_pages, pdf_text, soffice_pdf
from samples import LABELS, METADATA, make_document

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def q(name: str) -> str:
    """'r:id' -> '{namespace}id', the attribute name lxml uses."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


W = q("w:x")[:-1]


# --- the documents under test ---------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_blocks():
    from samples import sample_blocks

    return sample_blocks()


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("docx")


@pytest.fixture(scope="module")
def standard(theme, sample_blocks, out_dir) -> Path:
    path = out_dir / "sample-standard.docx"
    assert write(make_document(sample_blocks), theme, path) is None
    return path


@pytest.fixture(scope="module")
def easy_read(theme, sample_blocks, out_dir) -> Path:
    path = out_dir / "sample-easy-read.docx"
    write(make_document(sample_blocks, "easy-read"), theme, path)
    return path


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def rels(path: Path, name: str = "word/_rels/document.xml.rels") -> dict[str, etree._Element]:
    return {r.get("Id"): r for r in part(path, name).iterfind("rel:Relationship", NS)}


def body_paragraphs(path: Path) -> list[etree._Element]:
    return part(path, "word/document.xml").findall(".//w:body//w:p", NS)


def pandoc_words(inlines: list) -> str:
    """The words of a pandoc inline list (Str and Space nodes)."""
    return "".join(i["c"] if i["t"] == "Str" else " " for i in inlines if i["t"] in ("Str", "Space"))


def text_of(p: etree._Element) -> str:
    return "".join(p.itertext())


def paragraph_with(path: Path, words: str) -> etree._Element:
    return next(p for p in body_paragraphs(path) if words in text_of(p))


# --- structure a screen reader navigates by -------------------------------------------------


def test_a_reader_navigates_by_built_in_heading_styles(standard):
    doc = docx.Document(str(standard))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Sample document title"), ("Heading 2", "A section with lists"),
        ("Heading 3", "A subsection with a table"), ("Heading 2", "A figure"),
        ("Heading 2", "Easy-read points"), ("Heading 2", "Form fields"),
        ("Heading 3", "Your organisation"),  # a group of fields has a heading of its own
    ]
    levels = [int(name[-1]) for name, _ in headings]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert all(doc.styles[f"Heading {n}"].type == 1 for n in range(1, 7))  # paragraph styles


def test_headings_are_pandoc_headers_in_order(standard):
    headers = blocks_of(pandoc_json(standard)["blocks"], "Header")
    assert [h["c"][0] for h in headers] == [1, 2, 3, 2, 2, 2, 3]  # the last: the form group's heading


def test_file_properties_describe_the_document(standard):
    props = docx.Document(str(standard)).core_properties
    assert props.title == METADATA.title
    assert props.subject == METADATA.subject
    assert props.author == METADATA.author
    assert props.keywords == "co-production, charter"
    assert props.language == "en-GB"
    assert props.created.isoformat().startswith("2025-03-01")
    assert props.modified == props.created
    assert props.content_status == "DRAFT"


def test_language_is_set_for_proofing_and_screen_readers(standard):
    styles = part(standard, "word/styles.xml")
    assert styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS).get(W + "val") == "en-GB"
    normal = styles.find("w:style[@w:styleId='Normal']", NS)
    assert normal.find("w:rPr/w:lang", NS).get(W + "val") == "en-GB"


def test_lists_are_real_word_lists_with_nesting(standard):
    numbering = part(standard, "word/numbering.xml")
    formats = {f.get(W + "val") for f in numbering.iterfind(".//w:lvl[@w:ilvl='0']/w:numFmt", NS)}
    assert {"bullet", "decimal"} <= formats
    items = {text_of(p): p for p in body_paragraphs(standard) if p.find("w:pPr/w:numPr", NS) is not None}
    assert set(items) == {"First point", "Second point with a nested list:", "Nested one", "Nested two",
                          "Third point", "Step one", "Step two", "Step three"}
    assert items["Nested one"].find("w:pPr/w:numPr/w:ilvl", NS).get(W + "val") == "1"
    assert items["First point"].find("w:pPr/w:numPr/w:ilvl", NS).get(W + "val") == "0"
    # No typed bullets or numbers: the glyphs come from numbering.xml.
    assert not any(re.match(r"\s*([-*\u2022]|\d+\.)\s", t) for t in items)


def test_pandoc_reads_bullet_and_ordered_lists(standard):
    tree = pandoc_json(standard)["blocks"]
    bullets = blocks_of(tree, "BulletList")
    ordered = blocks_of(tree, "OrderedList")
    assert len(bullets) == 2  # the outer list and the nested one
    assert len(ordered) == 1 and ordered[0]["c"][0][0] == 1 and len(ordered[0]["c"][1]) == 3


def test_each_ordered_list_restarts_at_its_own_start(theme, tmp_path):
    def numbered(start, *words):
        items = tuple(ListItem((Paragraph((Text(w),)),)) for w in words)
        return ListBlock(ordered=True, items=items, start=start)

    blocks = (Heading(1, (Text("Steps"),)), numbered(1, "a", "b"), Paragraph((Text("Between"),)),
              numbered(4, "d", "e"))
    path = tmp_path / "lists.docx"
    write(make_document(blocks), theme, path)
    num_ids = {text_of(p): p.find("w:pPr/w:numPr/w:numId", NS).get(W + "val")
               for p in body_paragraphs(path) if p.find("w:pPr/w:numPr", NS) is not None}
    assert num_ids["a"] == num_ids["b"] != num_ids["d"] == num_ids["e"]
    numbering = part(path, "word/numbering.xml")
    starts = {n.get(W + "numId"): n.find("w:lvlOverride/w:startOverride", NS).get(W + "val")
              for n in numbering.iterfind("w:num", NS)}
    assert starts[num_ids["a"]] == "1" and starts[num_ids["d"]] == "4"
    ordered = blocks_of(pandoc_json(path)["blocks"], "OrderedList")
    assert [o["c"][0][0] for o in ordered] == [1, 4]


# --- tables -------------------------------------------------------------------------------


def test_table_header_row_repeats_and_is_marked_as_header(standard, theme):
    tbl = part(standard, "word/document.xml").find(".//w:tbl", NS)
    rows = tbl.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    look = tbl.find("w:tblPr/w:tblLook", NS)
    assert look.get(W + "firstRow") == "1" and int(look.get(W + "val"), 16) & 0x20
    borders = tbl.find("w:tblPr/w:tblBorders", NS)
    assert {b.get(W + "val") for b in borders} == {"single"}
    fills = {c.get(W + "fill") for c in rows[0].iterfind("w:tc/w:tcPr/w:shd", NS)}
    assert fills == {theme.colours.table_header_background}
    assert tbl.find(".//w:gridSpan", NS) is None and tbl.find(".//w:vMerge", NS) is None
    aligns = [c.find("w:p/w:pPr/w:jc", NS).get(W + "val") for c in rows[1].iterfind("w:tc", NS)]
    assert aligns == ["left", "center", "center"]


def test_pandoc_reads_the_table_with_a_header_row(standard):
    table = blocks_of(pandoc_json(standard)["blocks"], "Table")[0]
    head_rows = table["c"][3][1]
    assert len(head_rows) == 1
    assert "Statement" in str(head_rows[0])
    assert len(table["c"][4][0][3]) == 2  # two body rows


# --- page, pictures, links ------------------------------------------------------------------


def test_pages_are_a4_with_the_theme_margins(standard, theme):
    section = docx.Document(str(standard)).sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    for side in ("top", "bottom", "left", "right"):
        assert abs(getattr(section, f"{side}_margin") - Mm(getattr(theme.page.margins, side))) < Mm(0.1)


def test_every_picture_has_alt_text_and_svgs_become_png(standard):
    doc = part(standard, "word/document.xml")
    described = [d.get("descr") for d in doc.iterfind(".//wp:docPr", NS)]
    assert described == ["Two hands shaking", "A person speaking", "A handshake"]
    assert all(d.get("title") for d in doc.iterfind(".//wp:docPr", NS))
    targets = [r.get("Target") for r in rels(standard).values() if r.get("Type").endswith("/image")]
    assert targets and all(t.endswith(".png") for t in targets)
    with zipfile.ZipFile(standard) as archive:
        assert all(archive.read("word/" + t)[:8] == b"\x89PNG\r\n\x1a\n" for t in targets)
    images = blocks_of(pandoc_json(standard)["blocks"], "Image")
    alts = [pandoc_words(image["c"][1]) for image in images]
    assert alts == ["Two hands shaking", "A person speaking", "A handshake"]


def test_a_figure_caption_follows_in_the_caption_style(standard):
    paragraphs = body_paragraphs(standard)
    index = next(i for i, p in enumerate(paragraphs) if p.find(".//wp:docPr[@descr='Two hands shaking']", NS)
                 is not None)
    caption = paragraphs[index + 1]
    assert caption.find("w:pPr/w:pStyle", NS).get(W + "val") == "Caption"
    assert text_of(caption) == "Working together as equals"


def test_easy_read_point_is_a_picture_then_words_beside_it_not_a_table(easy_read, theme):
    point = paragraph_with(easy_read, "We listen to people.")
    assert point.getparent().tag == W + "body"  # not inside a table cell
    children = [c for c in point if c.tag == W + "r"]
    assert children[0].find("w:drawing", NS) is not None  # the picture (and its alt text) comes first
    style = point.find("w:pPr/w:pStyle", NS).get(W + "val")
    ind = part(easy_read, "word/styles.xml").find(f"w:style[@w:styleId='{style}']/w:pPr/w:ind", NS)
    assert int(ind.get(W + "hanging")) > 0 and ind.get(W + "hanging") == ind.get(W + "left")
    extent = point.find(".//wp:extent", NS)
    assert int(extent.get("cx")) == round(theme.variant("easy-read").picture_width * 36000)
    # the words start right of the picture
    assert int(ind.get(W + "left")) / 1440 * 25.4 > theme.variant("easy-read").picture_width


def test_a_long_easy_read_point_keeps_every_line_beside_its_picture(theme, sample_blocks, tmp_path):
    from packgen.model import PictureRow

    row = next(b for b in sample_blocks if isinstance(b, PictureRow))
    long_words = "We listen to people and we change what we do because of what they tell us. " * 2
    long_row = PictureRow(row.picture, (Paragraph((Text(long_words),)),))
    path = tmp_path / "long-point.docx"
    write(make_document((Heading(1, (Text("Points"),)), long_row, row), "easy-read"), theme, path)
    point = paragraph_with(path, "We listen to people and")
    runs = point.findall("w:r", NS)
    inline = runs[0].find("w:drawing/wp:inline", NS)  # the picture comes first, inline
    assert inline.find("wp:docPr", NS).get("descr") == row.picture.alt
    assert runs[1].find("w:tab", NS) is not None  # then a tab to the hanging indent
    styles = part(path, "word/styles.xml")
    style = point.find("w:pPr/w:pStyle", NS).get(W + "val")
    ind = styles.find(f"w:style[@w:styleId='{style}']/w:pPr/w:ind", NS)
    assert ind.get(W + "hanging") == ind.get(W + "left")
    assert int(ind.get(W + "left")) / 1440 * 25.4 > theme.variant("easy-read").picture_width
    # a long point's lines run on together; a one-line point is centred on its picture
    assert styles.find(f"w:style[@w:styleId='{style}']/w:pPr/w:textAlignment", NS) is None
    short = paragraph_with(path, "We listen to people.")
    short_style = short.find("w:pPr/w:pStyle", NS).get(W + "val")
    assert styles.find(f"w:style[@w:styleId='{short_style}']/w:pPr/w:textAlignment", NS).get(W + "val") == "center"
    assert point.getparent().tag == W + "body"
    images = blocks_of(pandoc_json(path)["blocks"], "Image")
    assert [pandoc_words(i["c"][1]) for i in images] == [row.picture.alt, row.picture.alt]


def test_links_are_real_hyperlinks_to_external_targets(standard):
    link = part(standard, "word/document.xml").find(".//w:hyperlink", NS)
    rel = rels(standard)[link.get(q("r:id"))]
    assert rel.get("TargetMode") == "External"
    assert rel.get("Target") == "https://www.socialworkengland.org.uk/standards/"
    assert text_of(link) == "Social Work England standards"
    assert link.find("w:r/w:rPr/w:rStyle", NS).get(W + "val") == "Hyperlink"
    links = blocks_of(pandoc_json(standard)["blocks"], "Link")
    assert links[0]["c"][2][0] == "https://www.socialworkengland.org.uk/standards/"


def test_footer_has_words_and_live_page_numbers(standard):
    doc = docx.Document(str(standard))
    footer = doc.sections[0].footer._element
    instructions = [t.text.strip() for t in footer.iterfind(".//w:instrText", NS)]
    assert instructions == ["PAGE", "NUMPAGES"]
    words = text_of(footer)
    assert "Co-Production Charter" in words and "Page " in words and " of " in words
    assert "{page}" not in words


def test_a_draft_is_marked_on_every_page_and_a_final_is_not(standard, theme, sample_blocks, tmp_path):
    header = docx.Document(str(standard)).sections[0].header
    assert "DRAFT" in text_of(header._element)
    style = part(standard, "word/styles.xml").find("w:style[@w:styleId='DraftMark']", NS)
    assert style.find("w:rPr/w:color", NS).get(W + "val") == theme.colours.draft
    final = tmp_path / "final.docx"
    write(make_document(sample_blocks, draft_mark=""), theme, final)
    assert "DRAFT" not in text_of(docx.Document(str(final)).sections[0].header._element)
    assert not docx.Document(str(final)).core_properties.content_status


# --- reading comfort --------------------------------------------------------------------------


@pytest.mark.parametrize(("variant", "minimum"), [("standard", 12), ("easy-read", 16)])
def test_body_text_is_large_enough_in_the_theme_font(variant, minimum, theme, sample_blocks, tmp_path):
    path = tmp_path / f"{variant}.docx"
    write(make_document(sample_blocks, variant), theme, path)
    styles = part(path, "word/styles.xml")
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert int(default.find("w:sz", NS).get(W + "val")) >= minimum * 2
    assert default.find("w:rFonts", NS).get(W + "ascii") == theme.fonts.body.family
    for style in styles.iterfind("w:style[@w:type='paragraph']", NS):
        if style.get(W + "styleId") in ("Header", "Footer"):
            continue  # page furniture follows the theme's footer size
        size = style.find("w:rPr/w:sz", NS)
        if size is not None:
            assert int(size.get(W + "val")) >= 24, style.get(W + "styleId")
    runs = part(path, "word/document.xml").iterfind(".//w:rPr/w:sz", NS)
    assert all(int(s.get(W + "val")) >= minimum * 2 for s in runs)
    doc = docx.Document(str(path))
    assert doc.styles["Normal"].font.size.pt >= minimum
    line = styles.find("w:style[@w:styleId='Normal']/w:pPr/w:spacing", NS).get(W + "line")
    assert int(line) == round(240 * theme.variant(variant).body.line_spacing)


def test_easy_read_has_no_italics_but_keeps_the_emphasis(easy_read, standard):
    assert part(easy_read, "word/document.xml").find(".//w:i", NS) is None
    emphasised = paragraph_with(easy_read, "italic words")
    run = next(r for r in emphasised.iterfind("w:r", NS) if text_of(r) == "italic words")
    assert run.find("w:rPr/w:b", NS) is not None
    assert part(standard, "word/document.xml").find(".//w:i", NS) is not None


def test_text_colours_have_enough_contrast(standard):
    styles = part(standard, "word/styles.xml")
    colours = {c.get(W + "val") for c in styles.iterfind(".//w:color", NS)} - {"auto"}
    assert colours
    assert all(contrast(c, "FFFFFF") >= 4.5 for c in colours), colours


def test_spacing_comes_from_styles_never_empty_paragraphs(standard, easy_read):
    for path in (standard, easy_read):
        for p in body_paragraphs(path):
            has_content = text_of(p).strip() or p.find(".//w:drawing", NS) is not None \
                or p.find(".//w:sdt", NS) is not None
            assert has_content, etree.tostring(p)[:200]


def test_a_page_break_starts_the_next_heading_on_a_new_page(standard):
    heading = paragraph_with(standard, "Easy-read points")
    assert heading.find("w:pPr/w:pageBreakBefore", NS) is not None


# --- the pledge form ----------------------------------------------------------------------------


def controls(path: Path) -> dict[str, etree._Element]:
    doc = part(path, "word/document.xml")
    return {s.find("w:sdtPr/w:tag", NS).get(W + "val"): s for s in doc.iterfind(".//w:sdt", NS)}


def test_form_fields_are_content_controls_named_like_their_labels(standard):
    sdts = controls(standard)
    assert set(sdts) == {"organisation", "email", "date", "commit-1", "first-steps", "signature"}
    aliases = {tag: s.find("w:sdtPr/w:alias", NS).get(W + "val") for tag, s in sdts.items()}
    # the title a screen reader announces says a field is required, as the visible label does
    assert aliases["organisation"] == "Organisation name (required)"
    assert aliases["signature"] == "Signature (required)"
    assert aliases["email"] == "Email"
    assert aliases["commit-1"] == "We will pay people for their time"
    assert sdts["organisation"].find("w:sdtPr/w:text", NS) is not None
    assert sdts["first-steps"].find("w:sdtPr/w:text", NS).get(W + "multiLine") == "1"
    assert sdts["organisation"].find("w:sdtPr/w:showingPlcHdr", NS) is not None
    ids = [s.find("w:sdtPr/w:id", NS).get(W + "val") for s in sdts.values()]
    assert len(set(ids)) == len(ids)
    # Each field has a visible label, and required ones say so in the document's own words.
    label = paragraph_with(standard, "Organisation name")
    assert text_of(label) == "Organisation name (required)"
    assert text_of(paragraph_with(standard, "Email")) == "Email"
    assert "The full name" in [text_of(p) for p in body_paragraphs(standard)]


def test_checkbox_and_date_picker_are_native_controls(standard):
    sdts = controls(standard)
    box = sdts["commit-1"].find("w:sdtPr/w14:checkbox", NS)
    assert box.find("w14:checked", NS).get(q("w14:val")) == "0"
    assert box.find("w14:checkedState", NS) is not None and box.find("w14:uncheckedState", NS) is not None
    assert text_of(sdts["commit-1"]) == "\u2610"
    date = sdts["date"].find("w:sdtPr/w:date", NS)
    assert date.find("w:dateFormat", NS).get(W + "val") == "dd/MM/yyyy"
    assert date.find("w:lid", NS).get(W + "val") == "en-GB"
    assert text_of(sdts["date"]) == LABELS["date_hint"]  # the hint shows until a date is picked
    assert "Write the date as DD/MM/YYYY" in [text_of(p) for p in body_paragraphs(standard)]


BLANK_RUN = re.compile("[ \u00a0\t\u2000-\u200a\u202f]{2,}")


def test_an_empty_control_shows_what_to_enter_in_words_not_blanks(standard, theme):
    """Word's placeholder (w:showingPlcHdr) holds the field's hint: its help, else its type's hint,
    else its label; a focused field says what to enter, and no control is a run of blanks."""
    sdts = controls(standard)
    shown = {tag: text_of(s) for tag, s in sdts.items()}
    assert shown["organisation"] == "The full name"  # the field's help
    assert shown["email"] == LABELS["email_hint"]  # its type's hint
    assert shown["signature"] == LABELS["signature_hint"]
    assert shown["first-steps"] == "What we will do first"  # no hint at all: its label
    for tag, sdt in sdts.items():
        assert not BLANK_RUN.search(shown[tag]) and shown[tag].strip(), (tag, shown[tag])
        if tag == "commit-1":
            continue
        assert sdt.find("w:sdtPr/w:showingPlcHdr", NS) is not None, tag
        styles_used = {r.get(W + "val") for r in sdt.iterfind("w:sdtContent/w:r/w:rPr/w:rStyle", NS)}
        assert styles_used == {"PlaceholderText"}, tag
    # the placeholder's grey is the theme's muted colour, 4.5:1 on white (Word's own #808080 is 3.9:1)
    style = part(standard, "word/styles.xml").find("w:style[@w:styleId='PlaceholderText']", NS)
    colour = style.find("w:rPr/w:color", NS).get(W + "val")
    assert colour == theme.colours.muted and contrast(colour, "FFFFFF") >= 4.5
    # a multi-line box is tall by the padding inside its border, not by blank lines
    box = sdts["first-steps"].getparent()
    assert sdts["first-steps"].find(".//w:br", NS) is None
    box_style = part(standard, "word/styles.xml").find(
        f"w:style[@w:styleId='{box.find('w:pPr/w:pStyle', NS).get(W + 'val')}']", NS)
    assert int(box_style.find("w:pPr/w:pBdr/w:bottom", NS).get(W + "space")) >= 24
    # pandoc, reading the file as a client would, finds the words and no blank runs
    text = pandoc_text(standard)
    assert "The full name" in text and "\u00a0\u00a0" not in text


def pandoc_text(path: Path) -> str:
    import subprocess

    from conftest import require

    return subprocess.run([require("pandoc"), str(path), "-t", "plain"], capture_output=True, text=True,
                          check=True, timeout=120).stdout


def test_tick_boxes_draw_in_a_font_the_file_carries(standard, theme):
    """Not MS Gothic, which most readers outside Windows lack: packgen's own two-glyph font, embedded."""
    import io

    from fontTools.ttLib import TTFont

    box = controls(standard)["commit-1"]
    names = {s.get(q("w14:font")) for s in box.iterfind("w:sdtPr/w14:checkbox/*", NS) if s.get(q("w14:font"))}
    run_font = box.find("w:sdtContent/w:r/w:rPr/w:rFonts", NS).get(W + "ascii")
    assert names == {run_font} and "Gothic" not in run_font
    table = part(standard, "word/fontTable.xml")
    entry = table.find(f"w:font[@w:name='{run_font}']", NS)
    embed = entry.find("w:embedRegular", NS)
    target = rels(standard, "word/_rels/fontTable.xml.rels")[embed.get(q("r:id"))].get("Target")
    with zipfile.ZipFile(standard) as archive:
        data = obfuscate(archive.read("word/" + target), embed.get(W + "fontKey"))
    font = TTFont(io.BytesIO(data))
    assert font["name"].getDebugName(1) == run_font
    assert set(font.getBestCmap()) == {0x2610, 0x2612}
    assert font.getGlyphOrder() == [".notdef", "uni2610", "uni2612"]
    assert table.find("w:font[@w:name='MS Gothic']", NS) is None
    assert part(standard, "word/settings.xml").find("w:embedTrueTypeFonts", NS) is not None


def test_a_document_without_tick_boxes_carries_no_tick_font(theme, tmp_path):
    path = tmp_path / "plain.docx"
    write(make_document((Heading(1, (Text("No form"),)),)), theme, path)
    with zipfile.ZipFile(path) as archive:
        assert b"Tick" not in archive.read("word/fontTable.xml")
        assert len([n for n in archive.namelist() if n.endswith(".odttf")]) == 2


def test_signature_has_a_line_to_sign_and_a_typed_name(standard):
    line = paragraph_with(standard, "Signature")
    assert line.find("w:r/w:tab", NS) is not None
    style = part(standard, "word/styles.xml").find(
        f"w:style[@w:styleId='{line.find('w:pPr/w:pStyle', NS).get(W + 'val')}']", NS)
    assert style.find("w:pPr/w:tabs/w:tab", NS).get(W + "leader") == "underscore"
    assert LABELS["signature_hint"] in [text_of(p) for p in body_paragraphs(standard)]
    assert controls(standard)["signature"].find("w:sdtPr/w:text", NS) is not None


def test_prefilled_values_show_and_missing_label_words_add_nothing(theme, tmp_path):
    form = FormBlock(fields=(
        FormField("organisation", "Organisation name", "text", required=True, value="Acme Care"),
        FormField("commit-1", "We will pay people", "checkbox", value="true"),
        FormField("date", "Date", "date", value="2025-04-02", date_format="DD/MM/YYYY"),
    ))
    path = tmp_path / "filled.docx"
    write(make_document((Heading(1, (Text("Pledge"),)), form), labels={}), theme, path)
    sdts = controls(path)
    assert text_of(sdts["organisation"]) == "Acme Care"
    assert sdts["organisation"].find("w:sdtPr/w:showingPlcHdr", NS) is None
    assert sdts["commit-1"].find("w:sdtPr/w14:checkbox/w14:checked", NS).get(q("w14:val")) == "1"
    assert text_of(sdts["commit-1"]) == "\u2612"
    assert sdts["date"].find("w:sdtPr/w:date", NS).get(W + "fullDate").startswith("2025-04-02")
    assert text_of(paragraph_with(path, "Organisation name")) == "Organisation name"


def test_forms_are_protected_for_filling_in_and_other_documents_are_not(standard, theme, tmp_path):
    protection = part(standard, "word/settings.xml").find("w:documentProtection", NS)
    assert protection.get(W + "edit") == "forms" and protection.get(W + "enforcement") == "1"
    plain = tmp_path / "plain.docx"
    write(make_document((Heading(1, (Text("No form"),)),)), theme, plain)
    assert part(plain, "word/settings.xml").find("w:documentProtection", NS) is None


# --- the file itself -------------------------------------------------------------------------------


def test_the_body_font_travels_with_the_file(standard, theme):
    fonts = part(standard, "word/fontTable.xml")
    font = fonts.find(f"w:font[@w:name='{theme.fonts.body.family}']", NS)
    assert font.find("w:altName", NS).get(W + "val") == theme.fonts.docx_fallback
    assert part(standard, "word/settings.xml").find("w:embedTrueTypeFonts", NS) is not None
    font_rels = rels(standard, "word/_rels/fontTable.xml.rels")
    with zipfile.ZipFile(standard) as archive:
        for kind, source in (("embedRegular", theme.body_font.regular), ("embedBold", theme.body_font.bold)):
            embed = font.find(f"w:{kind}", NS)
            key = embed.get(W + "fontKey")
            target = font_rels[embed.get(q("r:id"))].get("Target")
            assert target.endswith(".odttf")
            stored = archive.read("word/" + target)
            assert stored != source.read_bytes()  # obfuscated...
            assert obfuscate(stored, key) == source.read_bytes()  # ...and XOR undoes it
        assert font.find("w:embedItalic", NS) is not None  # the standard sample has italic words
        types = archive.read("[Content_Types].xml").decode()
        assert 'Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"' in types


def test_easy_read_files_carry_only_the_upright_fonts(easy_read, theme):
    font = part(easy_read, "word/fontTable.xml").find(f"w:font[@w:name='{theme.fonts.body.family}']", NS)
    assert [etree.QName(e).localname for e in font if "embed" in etree.QName(e).localname] == \
        ["embedRegular", "embedBold"]


def test_the_same_input_gives_byte_identical_files(theme, sample_blocks, tmp_path):
    first, second = tmp_path / "one.docx", tmp_path / "two.docx"
    write(make_document(sample_blocks), theme, first)
    time.sleep(1.1)  # a clock-dependent timestamp would now differ
    write(make_document(sample_blocks), theme, second)
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()
    with zipfile.ZipFile(first) as archive:
        assert archive.namelist()[0] == "[Content_Types].xml"
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.testzip() is None



# --- LibreOffice opens and prints it ---------------------------------------------------------------


@pytest.fixture(scope="module")
def printed(standard, easy_read, tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("soffice")
    pdfs = soffice_pdf([standard, easy_read], base / "pdf", base / "profile")
    return {"standard": pdfs[0], "easy-read": pdfs[1]}


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_libreoffice_opens_and_prints_the_file(printed, variant):
    pdf = printed[variant]
    assert pdf_pages(pdf) >= 1
    text = pdf_text(pdf)
    assert "Sample document title" in text
    assert "Page 1 of" in text  # the footer fields were updated
    assert "DRAFT" in text


@pytest.mark.slow
def test_libreoffice_prints_with_the_embedded_body_font(printed, theme):
    """Atkinson Hyperlegible is not a system font here: LibreOffice can only use it from the file."""
    family = theme.fonts.body.family.replace(" ", "")
    used = pdf_fonts(printed["easy-read"])
    assert f"{family}-Regular" in used and f"{family}-Bold" in used, used


@pytest.mark.slow
def test_libreoffice_draws_the_tick_boxes_from_the_embedded_tick_font(theme, tmp_path):
    """A form of tick boxes printed by LibreOffice: both box glyphs reach the PDF in packgen's tick
    font, embedded, and no substitute font drew anything (the body font is the only other)."""
    import subprocess

    from packgen.writers.docx.tickfont import FAMILY

    from conftest import require

    form = FormBlock(fields=(FormField("a", "We will pay people", "checkbox"),
                             FormField("b", "We will share power", "checkbox", value="true")))
    path = tmp_path / "ticks.docx"
    write(make_document((Heading(1, (Text("Pledge"),)), form)), theme, path)
    [pdf] = soffice_pdf([path], tmp_path / "pdf", tmp_path / "profile")
    out = subprocess.run([require("pdffonts"), str(pdf)], capture_output=True, text=True,
                         check=True, timeout=60).stdout.splitlines()[2:]
    fonts = {line.split()[0].split("+")[-1]: line.split() for line in out if line.strip()}
    tick = fonts[FAMILY.replace(" ", "")]
    assert tick[-5] == "yes", tick  # pdffonts' "emb" column
    family = theme.fonts.body.family.replace(" ", "")
    assert all(name.startswith(family) or name == FAMILY.replace(" ", "") for name in fonts), fonts
    text = pdf_text(pdf)
    assert "\u2610 We will pay people" in text and "\u2612 We will share power" in text, text


# --- paragraph properties in the order Word's schema wants --------------------------------------

# ECMA-376 Part 1, CT_PPrBase then CT_PPr: the only order Word accepts for w:pPr's children.
SCHEMA_PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
    "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
    "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def test_paragraph_properties_given_in_any_order_come_out_in_schema_order(theme):
    from packgen.writers.docx.blocks import Body
    from packgen.writers.docx.oxml import el, val

    given = ["jc", "bidi", "shd", "spacing", "widowControl", "keepNext", "ind", "textAlignment",
             "suppressAutoHyphens", "outlineLvl", "pBdr", "keepLines", "framePr", "tabs", "snapToGrid"]
    made = [el("w:shd", {"w:val": "clear", "w:fill": "EEEEEE"}) if name == "shd"
            else val(f"w:{name}", "center") if name == "jc" else el(f"w:{name}") for name in given]
    body = Body(make_document(()), theme)
    body.page_break(None)
    para = body.p("Heading1", *made)
    order = [etree.QName(child).localname for child in para.find(q("w:pPr"))]
    expected = [name for name in SCHEMA_PPR_ORDER if name in {*given, "pStyle", "pageBreakBefore"}]
    assert order == expected


def test_writing_many_files_in_one_process_does_not_keep_each_ones_body(theme, tmp_path):
    """A worker writes hundreds of files: what it remembers between them stays bounded."""
    import gc
    import tracemalloc

    def long_document(n: int) -> Document:
        words = " ".join(f"word{n}-{i}" for i in range(20_000))  # about 250 KB of body XML each
        return make_document((Heading(1, (Text(f"Document {n}"),)), Paragraph((Text(words),))))

    tracemalloc.start()
    try:
        held = []
        for batch in range(2):
            for n in range(12):
                write(long_document(n), theme, tmp_path / f"doc-{batch}-{n}.docx")
            gc.collect()
            held.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    grown = held[1] - held[0]  # the first batch also makes what every file shares: styles, fonts
    assert grown < 1_000_000, f"{grown} more bytes held after writing 12 more files"
