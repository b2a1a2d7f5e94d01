"""Text from users is data, never markup: what an editor types is what every reader sees.

Organisation names and source text holding markup-like strings, right-to-left scripts, combining
accents, Welsh and Polish letters come out as written in the Word file, the PDF and the web page.
A character no font can draw (an emoji) is a clear error naming it, never an empty box.
"""

from __future__ import annotations

import subprocess
import unicodedata
import zipfile

import docx
import pypdf
import pytest
from lxml import html

from packgen.pack.build import BuildOptions, build

from conftest import own_labels, run_packgen
from pdf_clients import require

ORGANISATION = "Zażółć & Sons <b>Ltd</b> {{ 7*7 }} 'quoted' \"double\""
TRICKY = [
    "Tŷ Gwyn ŵyr café naïve",  # Welsh and precomposed accents
    "Zażółć gęślą jaźń",  # Polish
    "e\u0301cole",  # a combining accent
    "%PDF-1.7 <script>alert(1)</script> {% raw %} [x](javascript:alert(1))",
    "ادارہ برائے سماجی کام",  # Urdu, right to left
]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


@pytest.fixture(scope="module")
def tricky_pack(tmp_path_factory):
    from conftest import make_pack

    root = tmp_path_factory.mktemp("tricky")
    sources, templates = make_pack(root)
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").replace("organisation: Riverside Community Trust",
                                                    f"organisation: '{ORGANISATION.replace(chr(39), chr(39) * 2)}'"),
                    "utf-8")
    charter = sources / "charter.md"
    # In Markdown, HTML is an error saying to write '\<' for the sign itself, and a javascript: link is an
    # error too: the source writes '\<' and '\[', and readers see '<' and '[' as typed.
    lines = "\n\n".join(line.replace("<", "\\<").replace("[", "\\[") for line in TRICKY)
    charter.write_text(charter.read_text("utf-8").replace("with the people it serves.",
                                                          "with the people it serves.\n\n" + lines), "utf-8")
    title = templates / "documents" / "charter.md.j2"
    title.write_text("# {{ doc.title }}\n\nPublished by {{ pack.organisation }}.\n\n"
                     "{% for s in doc.sections %}{{ section(s) }}{% endfor %}\n", "utf-8")
    out = root / "build"
    build(BuildOptions(sources=sources, templates=templates, out=out, documents=("charter",),
                       variants=("standard",)))
    return out / "standard"


def test_word_file_shows_the_text_as_written(tricky_pack):
    with zipfile.ZipFile(tricky_pack / "charter.docx") as docx:
        import docx as python_docx

        document = python_docx.Document(str(tricky_pack / "charter.docx"))
        body = nfc(" ".join(p.text for p in document.paragraphs))
        assert b"<script>" not in docx.read("word/document.xml")
    assert nfc(f"Published by {ORGANISATION}.") in body
    for line in TRICKY:
        assert nfc(line) in body


def test_web_page_shows_the_text_as_written(tricky_pack):
    page = html.fromstring((tricky_pack / "charter.html").read_bytes())
    assert not page.xpath("//script") and not page.xpath("//main//b")
    text = nfc(page.text_content())
    assert nfc(f"Published by {ORGANISATION}.") in text
    for line in TRICKY:
        assert nfc(line) in text
    assert not [a for a in page.iter("a") if a.get("href", "").startswith("javascript:")]


def test_pdf_text_is_the_text_as_written(tricky_pack):
    text = subprocess.run([require("pdftotext"), str(tricky_pack / "charter.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = nfc(text)
    assert nfc(f"Published by {ORGANISATION}.") in flat
    for line in TRICKY:
        assert nfc(line) in flat, line


@pytest.mark.parametrize("old, new, variant, named", [
    ("with the people it serves.", "with the people it serves \U0001F600.", "standard", "U+1F600 (GRINNING FACE)"),
    ("## About this document", "## About this \U0001F600 document", "standard", "U+1F600 (GRINNING FACE)"),
    ("We wrote this with you.", "We wrote this with you \U0001F600.", "easy-read", "U+1F600 (GRINNING FACE)"),
    ("the people it serves.", "the people\u3000it serves.", "standard", "U+3000 (IDEOGRAPHIC SPACE)"),
    ("The Riverside Community", "The Riverside &#x1F600; Community", "standard", "U+1F600 (GRINNING FACE)"),
    ("The Riverside Community Trust wrote", "The Riverside\nCommunity Trust wrote \U0001F600", "standard",
     "U+1F600 (GRINNING FACE)"),
    ("title: Charter", "title: Charter \U0001F600", "standard", "U+1F600 (GRINNING FACE)"),
], ids=["paragraph", "heading", "easy-read point", "a space no font has", "written as an entity",
        "a paragraph wrapped in its file", "the title, in the front matter"])
def test_a_character_no_font_has_is_a_clear_error_at_its_source_line(mini_pack, tmp_path, old, new, variant,
                                                                      named):
    sources, templates = mini_pack
    charter = sources / "charter.md"
    text = charter.read_text("utf-8")
    charter.write_text(text.replace(old, new), "utf-8")
    line = text[:text.index(old)].count("\n") + 1
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out",
                         str(tmp_path / "b"), "--document", "charter", "--format", "pdf")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (said,) = result.stderr.strip().splitlines()
    assert f"charter.md:{line}: no font in the theme has the character {named}" in said
    # Nothing half-written: the charter that failed is not there, nor any temporary file. (The
    # other versions, written beside it, may have been finished first: whole, correct files.)
    assert not (tmp_path / "b" / variant / "charter.pdf").exists()
    assert not [p for p in (tmp_path / "b").rglob("*") if p.name.startswith(".packgen-tmp-")]
    for left in (tmp_path / "b").rglob("*.pdf"):
        assert pypdf.PdfReader(left).pages, left


def test_a_tab_pasted_into_a_paragraph_reads_as_a_space_in_every_format(mini_pack, tmp_path):
    sources, templates = mini_pack
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace("with the people it serves.",
                                                          "with the people\tit serves, `in\tcode`."), "utf-8")
    for read in charter_as_read(sources, templates, tmp_path / "b"):
        assert "with the people it serves, in code." in " ".join(read.split(" ")).replace("\n", " ")
        assert "\t" not in read


def test_a_character_no_font_has_in_a_label_on_every_page_is_named_at_the_labels_line(mini_pack, tmp_path):
    sources, templates = mini_pack
    labels = own_labels(sources)
    text = labels.read_text("utf-8")
    labels.write_text(text.replace('footer: "', 'footer: "\U0001F600 ', 1), "utf-8")
    line = next(n for n, row in enumerate(text.split("\n"), 1) if row.startswith("footer:"))
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out",
                         str(tmp_path / "b"), "--document", "charter", "--format", "pdf", "--variant", "standard")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (f"packgen: error: {labels}:{line}: no font in the theme has the character "
                                     "U+1F600 (GRINNING FACE): document 'charter', in its footer")


def test_a_character_no_font_has_that_a_label_prints_from_pack_yaml_is_named_there(mini_pack, tmp_path):
    sources, templates = mini_pack
    pack_yaml = sources / "pack.yaml"
    text = pack_yaml.read_text("utf-8")
    line = next(n for n, row in enumerate(text.split("\n"), 1) if row.startswith("version:"))
    pack_yaml.write_text(text.replace('\nversion: "', '\nversion: "\U0001F600 ', 1), "utf-8")
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out",
                         str(tmp_path / "b"), "--document", "charter", "--format", "pdf", "--variant", "standard")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith(f"packgen: error: {pack_yaml}:{line}: no font in the theme has the "
                                            "character U+1F600 (GRINNING FACE)")


def test_a_line_or_paragraph_separator_pasted_in_reads_as_a_space_in_every_format(mini_pack, tmp_path):
    # U+2028 and U+2029 come with text pasted from a web page or a PDF; an editor shows neither as a
    # line break, and a browser or Word may draw one as a box or read it as something else.
    sources, templates = mini_pack
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace("with the people it serves.",
                                                          "with the people\u2028it serves."), "utf-8")
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").replace("organisation: Riverside Community Trust",
                                                    'organisation: "Riverside\u2029Community Trust"'), "utf-8")
    template = templates / "documents" / "charter.md.j2"
    template.write_text("# {{ doc.title }}\n\nPublished\u2028by {{ pack.organisation }}.\n\n"
                        "{% for s in doc.sections %}{{ section(s) }}{% endfor %}\n", "utf-8")
    out = tmp_path / "b"
    for read in charter_as_read(sources, templates, out):
        flat = " ".join(read.split())
        assert "with the people it serves." in flat
        assert "Published by Riverside Community Trust." in flat
    web = (out / "standard" / "charter.html").read_text("utf-8")
    with zipfile.ZipFile(out / "standard" / "charter.docx") as word_file:
        word = "".join(word_file.read(name).decode("utf-8") for name in word_file.namelist()
                       if name.endswith(".xml"))
    for written in (web, word):
        assert "\u2028" not in written and "\u2029" not in written


def charter_as_read(sources, templates, out):
    """The standard charter built as PDF, Word file and web page, and the text each reader gets from it:
    Poppler's from the PDF, python-docx's paragraphs, the page's text."""
    build(BuildOptions(sources=sources, templates=templates, out=out, documents=("charter",),
                       variants=("standard",), formats=("pdf", "docx", "html"), jobs=1))
    pdf = subprocess.run([require("pdftotext"), str(out / "standard" / "charter.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout
    page = html.fromstring((out / "standard" / "charter.html").read_bytes()).text_content()
    word = "\n".join(p.text for p in docx.Document(str(out / "standard" / "charter.docx")).paragraphs)
    return pdf, page, word
