"""An editor links to a heading further on in the same document, by the heading's words or by its
section's id; a reader who follows the link in the PDF, the combined PDF, the Word file or the web
page lands on that heading."""

from __future__ import annotations

import zipfile
from pathlib import Path

import lxml.html
import pytest
from lxml import etree
from verapdf import assert_compliant, validate

from conftest import make_pack, run_packgen
from pdf_clients import pdfjs, require, run

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LINKS = "Read [how we work](#how-we-work) and [our way of working](#work), or [über uns](#über-uns)."


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("links")
    sources, templates = make_pack(root)
    charter = sources / "charter.md"
    text = charter.read_text("utf-8").replace("with the people it serves.\n", f"with the people it serves. {LINKS}\n")
    charter.write_text(text + "\n::: page-break\n:::\n\n## How we work {#work}\n\nTogether, as equals.\n\n"
                       "::: easy-read\n- ![Two people shaking hands](handshake) We work together.\n:::\n"
                       "\n::: page-break\n:::\n\n## Über uns\n\nWir sind hier.\n\n"
                       "::: easy-read\n- ![Two people shaking hands](handshake) Wir sind hier.\n:::\n", "utf-8")
    out = root / "out"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--quiet")
    assert result.returncode == 0, result.stderr
    return out / "standard"


@pytest.mark.parametrize("name", ["charter.pdf", "pack.pdf"])
def test_a_link_to_a_heading_in_the_pdf_leads_to_the_page_the_heading_is_on(built, name):
    pdf = built / name
    pages = pdfjs(pdf)["pages"]
    heading_page = next(n for n in range(1, len(pages) + 1)
                        if "How we work" in run(require("pdftotext"), "-f", str(n), "-l", str(n), str(pdf), "-"))
    # a link's words broken across two lines are two places to click, both leading where the link does
    links = [(page["number"], link) for page in pages for link in page["links"]
             if link["words"] in ("how we work", "our way of working")]
    assert {link["words"] for _, link in links} == {"how we work", "our way of working"}
    assert all(link["url"] is None and link["page"] == heading_page for _, link in links), links
    assert all(on < heading_page for on, _ in links)


@pytest.mark.parametrize("name", ["charter.pdf", "pack.pdf"])
def test_a_link_to_a_heading_whose_words_are_not_english_leads_to_it_too(built, name):
    # Markdown's reader writes the link's address as '#%C3%BCber-uns'; the heading's anchor is 'über-uns'
    pdf = built / name
    pages = pdfjs(pdf)["pages"]
    heading_page = next(n for n in range(1, len(pages) + 1)
                        if "Über uns" in run(require("pdftotext"), "-f", str(n), "-l", str(n), str(pdf), "-"))
    links = [link for page in pages for link in page["links"] if link["words"] == "über uns"]
    assert links and all(link["url"] is None and link["page"] == heading_page for link in links), links
    page = lxml.html.fromstring((built / "charter.html").read_bytes())
    (href,) = [a.get("href") for a in page.iter("a") if a.text_content() == "über uns"]
    (target,) = page.xpath("//*[@id=$id]", id=href.removeprefix("#"))
    assert target.text_content() == "Über uns"


def test_a_link_to_a_heading_in_the_word_file_goes_to_the_heading_s_bookmark(built):
    with zipfile.ZipFile(built / "charter.docx") as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    anchors = [link.get(f"{W}anchor") for link in body.iter(f"{W}hyperlink")
               if "".join(t.text or "" for t in link.iter(f"{W}t")) in ("how we work", "our way of working")]
    heading = next(p for p in body.iter(f"{W}p") if "".join(t.text or "" for t in p.iter(f"{W}t")) == "How we work")
    assert anchors == [heading.find(f"{W}bookmarkStart").get(f"{W}name")] * 2


def test_a_link_to_a_heading_on_the_web_page_goes_to_the_heading(built):
    page = lxml.html.fromstring((built / "charter.html").read_bytes())
    hrefs = [a.get("href") for a in page.iter("a") if a.text_content() in ("how we work", "our way of working")]
    assert len(hrefs) == 2
    for href in hrefs:
        (target,) = page.xpath("//*[@id=$id]", id=href.removeprefix("#"))
        assert target.tag == "h2" and target.text_content() == "How we work"


@pytest.mark.slow
def test_the_pdfs_with_links_to_headings_pass_verapdf(built):
    paths = [built / "charter.pdf", built / "pack.pdf"]
    assert_compliant(validate(paths, "ua1"), "ua1")
