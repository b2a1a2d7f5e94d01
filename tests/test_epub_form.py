"""The pledge form in an e-book: reading systems neither keep nor send what is typed, so the book's form
is a page to print and fill in by hand (its questions, hints and groups as the web page has them, a
space to write in or a box to tick for each field), with a sentence saying where to get the form to
fill in on a computer: a link to its fillable PDF where pack.yaml's download_page says the built files are
put, or, without it, whom to ask."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from epub_clients import ace, epubcheck
from lxml import etree
from pypdf import PdfReader

from conftest import ROOT, run_packgen

X = "{http://www.w3.org/1999/xhtml}"
DOWNLOAD_PAGE = "https://forms.example.org/charter/"
CONTROLS = ("input", "textarea", "select", "button", "form")


def content(book: Path) -> etree._Element:
    with zipfile.ZipFile(book) as archive:
        return etree.fromstring(archive.read(f"EPUB/{book.stem}.xhtml"))


def words(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def with_classes(root: etree._Element, name: str) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str) and name in e.get("class", "").split()]


@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_the_ebook_form_is_a_page_to_print_with_the_web_forms_questions_and_no_fields(built_pack: Path,
                                                                                      variant: str) -> None:
    book = content(built_pack / variant / "pledge-form.epub")
    page = etree.parse(str(built_pack / variant / "pledge-form.html"), etree.HTMLParser()).getroot()
    assert not [e.tag for e in book.iter() if e.tag in {X + name for name in CONTROLS}]
    questions = [words(q) for q in with_classes(book, "question")]
    assert questions == [words(label) for label in page.iter("label")] and len(questions) > 10
    assert [words(legend) for legend in book.iter(X + "legend")] == [words(legend) for legend in page.iter("legend")]
    spaces = with_classes(book, "answer-space") + with_classes(book, "tick-box")
    assert len(spaces) == len(page.findall(".//main//input")) + len(page.findall(".//main//textarea"))
    assert len(with_classes(book, "answer-lines")) == len(page.findall(".//main//textarea")) == 1
    # No link here (the shipped pack has no download_page): the book says whom to ask for the PDF form.
    contact = yaml.safe_load((ROOT / "sources" / "pack.yaml").read_text("utf-8"))["contact"]
    [get] = with_classes(book, "form-get")
    assert contact["email"] in words(get) and contact["name"] in words(get) and "PDF form" in words(get)
    assert not get.findall(f".//{X}a")
    # The web page's words on printing and sending what was typed into its fields are not in the book.
    assert not with_classes(book, "form-finish") and not with_classes(book, "print-how")


def test_with_download_page_the_ebook_form_links_to_its_fillable_pdf_where_the_built_files_are_put(tmp_path: Path
                                                                                              ) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    pack_yaml = sources / "pack.yaml"
    pack_yaml.write_text(pack_yaml.read_text("utf-8") + f"download_page: {DOWNLOAD_PAGE}\n", "utf-8")
    out = tmp_path / "build"
    result = run_packgen("build", "--sources", str(sources), "--out", str(out), "--format", "pdf,epub",
                         "--document", "pledge-form", "--quiet")
    assert result.returncode == 0, result.stderr
    books = []
    for variant in ("standard", "easy-read"):
        books.append(out / variant / "pledge-form.epub")
        [get] = with_classes(content(books[-1]), "form-get")
        [link] = get.findall(f".//{X}a")
        href = link.get("href")
        assert href == words(link) == f"{DOWNLOAD_PAGE}{variant}/pledge-form.pdf"  # the address, shown in print
        # Put where download_page says, the build folder's file at that address is the fillable form.
        assert PdfReader(out / href.removeprefix(DOWNLOAD_PAGE)).get_fields()
    assert not {book.name: lines for book, lines in epubcheck(books).items() if lines}
    assert not ace(books[0])


@pytest.mark.parametrize("value", ["forms.example.org/charter/", "ftp://forms.example.org/charter/",
                                   "https://", "mailto:forms@example.org"])
def test_a_download_page_address_that_is_not_a_full_web_address_stops_the_build_at_its_line(
        mini_pack: tuple[Path, Path], tmp_path: Path, value: str) -> None:
    sources, templates = mini_pack
    pack_yaml = sources / "pack.yaml"
    text = pack_yaml.read_text("utf-8")
    pack_yaml.write_text(text + f"download_page: {value}\n", "utf-8")
    out = tmp_path / "build"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out))
    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"packgen: error: {pack_yaml}:{text.count(chr(10)) + 1}:"), line
    assert f"'{value}' is not a web address" in line and "https://" in line
    assert not out.exists()  # nothing written, not even the folder
