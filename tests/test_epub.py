"""The e-books: a reader who asks for EPUB gets, for each document and version, a book that the
publishing world's own checkers pass, whose contents list has the document's headings, whose page list
takes them to the PDF's pages, and whose bytes are the same at every build."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from epub_clients import ace, epubcheck
from lxml import etree
from pypdf import PdfReader

from conftest import ROOT, SHIPPED_DOCUMENTS, require, run_packgen

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


def books(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*.epub"))


def part(book: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(book) as archive:
        return etree.fromstring(archive.read(name))


def words(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_every_document_and_version_has_an_ebook(built_pack: Path) -> None:
    for variant in ("standard", "easy-read"):
        assert {b.stem for b in (built_pack / variant).glob("*.epub")} >= set(SHIPPED_DOCUMENTS), variant


def test_epubcheck_finds_no_error_and_no_warning_in_any_ebook(built_pack: Path) -> None:
    found = epubcheck(books(built_pack))
    assert found and not {book.name: lines for book, lines in found.items() if lines}


def test_ace_finds_no_violation_in_any_ebook(built_pack: Path) -> None:
    violations = {str(book.relative_to(built_pack)): ace(book) for book in books(built_pack)}
    assert violations and not {book: lines for book, lines in violations.items() if lines}


def test_the_contents_list_has_the_documents_headings_in_order(built_pack: Path) -> None:
    book = built_pack / "standard" / "charter.epub"
    page = etree.parse(str(built_pack / "standard" / "charter.html"), etree.HTMLParser())
    headings = [words(h) for h in page.xpath("//main//*[self::h1 or self::h2 or self::h3 or self::h4]")]
    toc = part(book, "EPUB/nav.xhtml").xpath("//x:nav[@epub:type='toc']//x:a", namespaces=NS)
    assert [words(a) for a in toc] == headings and len(headings) > 5
    content = part(book, "EPUB/charter.xhtml")
    for a in toc:  # each entry opens its heading
        anchor = a.get("href").split("#")[1]
        assert content.xpath(f"//*[@id='{anchor}']", namespaces=NS)[0].tag.split("}")[1] in {"h1", "h2", "h3", "h4"}


@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_the_page_list_has_each_pdf_page_and_each_entry_opens_a_page_break(built_pack: Path, variant: str) -> None:
    book = built_pack / variant / "charter.epub"
    pages = len(PdfReader(built_pack / variant / "charter.pdf").pages)
    entries = part(book, "EPUB/nav.xhtml").xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)
    assert [words(a) for a in entries] == [str(n) for n in range(1, pages + 1)]
    content = part(book, "EPUB/charter.xhtml")
    for a in entries:
        target = content.xpath(f"//*[@id='{a.get('href').split('#')[1]}']")[0]
        assert target.get(EPUB_TYPE) == "pagebreak" and target.get("aria-label") == words(a)
    source = part(book, "EPUB/package.opf").xpath("//opf:meta[@property='pageBreakSource']", namespaces=NS)
    assert [words(m) for m in source] == ["charter.pdf"]


def words_around_each_page_break(content: etree._Element) -> dict[str, tuple[list[str], list[str]]]:
    """The last words a reader meets before each page break of a content document, and the first after
    it, by the break's label."""
    marks = [m for m in content.iter(f"{{{NS['x']}}}span") if m.get(EPUB_TYPE) == "pagebreak"]
    for mark in marks:
        mark.tail = f" \u241f{mark.get('aria-label')}\u241f " + (mark.tail or "")
    pieces = "".join(content.find(".//x:main", NS).itertext()).split("\u241f")
    texts = [re.findall(r"\w+", piece.casefold()) for piece in pieces[::2]]
    return {label: (texts[n][-4:], texts[n + 1][:4]) for n, label in enumerate(pieces[1::2])}


def shown_on_page(pdf: Path, page: int) -> str:
    """The words of one PDF page as Poppler's pdftotext reads them, lower case, one space apart."""
    text = subprocess.run([require("pdftotext"), "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return " " + " ".join(re.findall(r"\w+", text.casefold())) + " "


def assert_each_page_break_is_where_its_page_starts(book: Path, pdf: Path) -> None:
    """Each break comes after words the page before shows and before words its own page shows."""
    around = words_around_each_page_break(part(book, f"EPUB/{book.stem}.xhtml"))
    pages = len(PdfReader(pdf).pages)
    assert list(around) == [str(n) for n in range(1, pages + 1)], book
    wrong = {}
    for number in range(1, pages + 1):
        before, after = around[str(number)]
        if f" {' '.join(after)} " not in shown_on_page(pdf, number) or (
                number > 1 and f" {' '.join(before)} " not in shown_on_page(pdf, number - 1)):
            wrong[number] = (before, after)
    assert not wrong, f"{book}: these page breaks are not between the words of the PDF's pages: {wrong}"


@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_each_page_break_is_where_that_pdf_page_starts_to_the_word(built_pack: Path, variant: str) -> None:
    for doc in SHIPPED_DOCUMENTS:
        assert_each_page_break_is_where_its_page_starts(built_pack / variant / f"{doc}.epub",
                                                               built_pack / variant / f"{doc}.pdf")


def test_a_long_document_of_repeated_passages_has_each_page_break_where_its_page_starts(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    note = ("\n\n## Practice note {n} {{#note-{n} easy-read=omit}}\n\nIn practice note {n}, partners meet as "
            "equals to plan the work together. People with lived experience are paid for their time and their "
            "expenses are met in advance. Meetings are held in accessible places, papers are sent early, and "
            "there is time to reflect together afterwards.\n\n- Plan together\n- Pay promptly\n- Review and reflect\n")
    with (sources / "charter.md").open("a", encoding="utf-8") as charter:
        charter.write("".join(note.format(n=n) for n in range(60)))
    out = tmp_path / "build"
    result = run_packgen("build", "--sources", str(sources), "--out", str(out), "--format", "pdf,epub",
                         "--document", "charter", "--variant", "standard", "--quiet")
    assert result.returncode == 0, result.stderr
    assert len(PdfReader(out / "standard" / "charter.pdf").pages) > 20
    assert_each_page_break_is_where_its_page_starts(out / "standard" / "charter.epub",
                                                           out / "standard" / "charter.pdf")


def test_the_package_says_how_the_book_can_be_read(built_pack: Path) -> None:
    package = part(built_pack / "easy-read" / "charter.epub", "EPUB/package.opf")

    def meta(name: str) -> list[str]:
        return [words(m) for m in package.xpath(f"//opf:meta[@property='{name}']", namespaces=NS)]

    assert meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert meta("schema:accessMode") == ["textual", "visual"]  # easy read has pictures
    assert meta("schema:accessModeSufficient") == ["textual"]
    assert {"tableOfContents", "alternativeText", "pageNavigation"} <= set(meta("schema:accessibilityFeature"))
    assert meta("schema:accessibilityHazard") == ["none"]
    assert "WCAG 2.2" in meta("schema:accessibilitySummary")[0]
    assert [words(e) for e in package.xpath("//dc:language", namespaces=NS)] == ["en-GB"]
    pack_date = (Path(__file__).parents[1] / "sources" / "pack.yaml").read_text("utf-8").split("\ndate:")[1].split()[0]
    assert meta("dcterms:modified") == [f"{pack_date.strip(chr(34))}T00:00:00Z"]


def test_pictures_and_fonts_travel_inside_the_book(built_pack: Path) -> None:
    with zipfile.ZipFile(built_pack / "easy-read" / "charter.epub") as archive:
        names = archive.namelist()
        content = archive.read("EPUB/charter.xhtml").decode("utf-8")
        sheet = archive.read("EPUB/charter.css").decode("utf-8")
    assert "data:" not in content and "data:" not in sheet
    assert any(n.endswith(".woff2") for n in names) and any(n.endswith((".svg", ".png")) for n in names)
    assert names[0] == "mimetype"


def test_two_builds_make_the_same_ebooks(mini_pack: tuple[Path, Path], tmp_path: Path) -> None:
    sources, templates = mini_pack
    made = []
    for out in (tmp_path / "one", tmp_path / "two"):
        result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                             "--format", "pdf,epub", "--quiet")
        assert result.returncode == 0, result.stderr
        made.append({b.relative_to(out): b.read_bytes() for b in books(out)})
    assert made[0] and made[0] == made[1]
    with zipfile.ZipFile(next(iter(books(tmp_path / "one")))) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == b"application/epub+zip"
        assert [i.filename for i in archive.infolist()[1:]] == sorted(i.filename for i in archive.infolist()[1:])


@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_the_whole_pack_is_one_ebook_per_version_paged_like_its_combined_pdf(built_pack: Path, variant: str) -> None:
    book = built_pack / variant / "pack.epub"
    package = part(book, "EPUB/package.opf")
    spine = [package.xpath(f"//opf:item[@id='{ref.get('idref')}']/@href", namespaces=NS)[0]
             for ref in package.xpath("//opf:itemref", namespaces=NS)]
    assert spine == [f"{doc}.xhtml" for doc in SHIPPED_DOCUMENTS]
    entries = part(book, "EPUB/nav.xhtml").xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)
    # A reader told "Appendix A, page 2" finds the same page in pack.pdf's page box and in the book.
    assert [words(a) for a in entries] == PdfReader(built_pack / variant / "pack.pdf").page_labels
    for a in entries:
        name, anchor = a.get("href").split("#")
        target = part(book, f"EPUB/{name}").xpath(f"//*[@id='{anchor}']")[0]
        assert target.get(EPUB_TYPE) == "pagebreak" and target.get("aria-label") == words(a)
    assert [words(m) for m in package.xpath("//opf:meta[@property='pageBreakSource']", namespaces=NS)] == ["pack.pdf"]


def test_the_whole_pack_ebook_holds_each_documents_own_book_and_each_font_and_picture_once(built_pack: Path) -> None:
    with zipfile.ZipFile(built_pack / "easy-read" / "pack.epub") as archive:
        whole = {name: archive.read(name) for name in archive.namelist()}
    media = [name for name in whole if name.startswith("EPUB/media/")]
    assert media and len({whole[name] for name in media}) == len(media)  # no two copies of one file
    for doc in SHIPPED_DOCUMENTS:
        with zipfile.ZipFile(built_pack / "easy-read" / f"{doc}.epub") as archive:
            own = {name: archive.read(name) for name in archive.namelist()
                   if name.startswith("EPUB/") and name not in ("EPUB/nav.xhtml", "EPUB/package.opf")}
        for name, data in own.items():
            if name.endswith(".xhtml"):  # the same page, its page breaks named as the whole pack names them
                mine, theirs = etree.fromstring(data), etree.fromstring(whole[name])
                for mark in (*mine.iter(f"{{{NS['x']}}}span"), *theirs.iter(f"{{{NS['x']}}}span")):
                    mark.attrib.pop("aria-label", None)
                # and its stylesheet the same bytes, kept once under the name of those bytes
                for page, files in ((mine, own), (theirs, whole)):
                    for link in page.iter(f"{{{NS['x']}}}link"):
                        link.set("href", hashlib.sha256(files[f"EPUB/{link.get('href')}"]).hexdigest())
                assert etree.tostring(mine) == etree.tostring(theirs), name
            elif name.endswith(".css"):
                assert data in whole.values(), name
            else:
                assert whole[name] == data, name


@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_the_whole_pack_ebook_holds_each_distinct_stylesheet_once(built_pack: Path, variant: str) -> None:
    sheets = set()
    for doc in SHIPPED_DOCUMENTS:
        with zipfile.ZipFile(built_pack / variant / f"{doc}.epub") as archive:
            sheets |= {archive.read(name) for name in archive.namelist() if name.endswith(".css")}
    package = part(built_pack / variant / "pack.epub", "EPUB/package.opf")
    css = package.xpath("//opf:manifest/opf:item[@media-type='text/css']/@href", namespaces=NS)
    # seven documents, most of them styled alike: one item for each distinct sheet, not one per document
    assert len(css) == len(sheets) < len(SHIPPED_DOCUMENTS), css
    with zipfile.ZipFile(built_pack / variant / "pack.epub") as archive:
        assert {archive.read(f"EPUB/{href}") for href in css} == sheets
