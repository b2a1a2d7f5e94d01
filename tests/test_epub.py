"""The e-books: a reader who asks for EPUB gets, for each document and version, a book that the
publishing world's own checkers pass, whose contents list has the document's headings, whose page list
takes them to the PDF's pages, and whose bytes are the same at every build."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from epub_clients import ace, epubcheck
from lxml import etree
from pypdf import PdfReader

from conftest import SHIPPED_DOCUMENTS, run_packgen

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
    assert len(entries) == len(PdfReader(built_pack / variant / "pack.pdf").pages)
    assert [words(m) for m in package.xpath("//opf:meta[@property='pageBreakSource']", namespaces=NS)] == ["pack.pdf"]
