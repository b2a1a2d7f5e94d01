"""Version and status (issue 7, point 6): `status: draft` shows DRAFT everywhere; `final` removes it.

The shipped sources are copied, built as a draft, flipped to final and built again into the same
folder (an incremental rebuild, as comms staff would run it); each time the files are read back
with what readers use: pdftotext for the PDF, python-docx for Word, lxml for the HTML pages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import lxml.html
import pikepdf
import pytest
from test_publish import build_pack

from conftest import ROOT, require

DOCUMENTS = ("executive-summary", "pledge-form")
VARIANTS = ("standard", "easy-read")


def _pdf_text(path: Path) -> str:
    return subprocess.run([require("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _pdf_status(path: Path) -> tuple[str, bool]:
    """The draft status a PDF's metadata gives: the Info entry and whether XMP carries the label."""
    with pikepdf.open(path) as pdf:
        return str(pdf.trailer.Info.get("/ContentStatus", "")), b"<xmp:Label>DRAFT" in pdf.Root.Metadata.read_bytes()


def _docx_header_text(path: Path) -> str:
    document = docx.Document(str(path))
    return " ".join(p.text for section in document.sections for p in section.header.paragraphs)


def _html_text(path: Path) -> str:
    return " ".join(lxml.html.fromstring(path.read_bytes()).text_content().split())


@pytest.fixture(scope="module")
def flipped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    """What each file says while draft, then after the flip to final: {status: {file: text}}."""
    root = tmp_path_factory.mktemp("status")
    sources, out = root / "sources", root / "build"
    shutil.copytree(ROOT / "sources", sources)
    seen: dict[str, dict[str, object]] = {}
    for status in ("draft", "final"):
        pack_yaml = sources / "pack.yaml"
        text = re.sub(r"(?m)^status: \w+$", f"status: {status}", pack_yaml.read_text("utf-8"))
        pack_yaml.write_text(text, "utf-8")
        build_pack(out, sources=sources, documents=DOCUMENTS)
        files: dict[str, object] = {}
        for variant in VARIANTS:
            for doc_id in DOCUMENTS:
                stem = out / variant / doc_id
                files[f"{variant}/{doc_id}.pdf"] = _pdf_text(stem.with_suffix(".pdf"))
                files[f"{variant}/{doc_id}.pdf:meta"] = _pdf_status(stem.with_suffix(".pdf"))
                files[f"{variant}/{doc_id}.docx"] = (_docx_header_text(stem.with_suffix(".docx")),
                                                     docx.Document(str(stem.with_suffix(".docx")))
                                                     .core_properties.content_status)
                files[f"{variant}/{doc_id}.html"] = _html_text(stem.with_suffix(".html"))
        files["index.html"] = _html_text(out / "index.html")
        seen[status] = files
    return seen


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_draft_mark_appears_and_disappears_in_pdf_text(flipped, variant: str, doc_id: str) -> None:
    rel = f"{variant}/{doc_id}.pdf"
    draft, final = flipped["draft"][rel], flipped["final"][rel]
    pages = draft.count("\f")
    assert draft.count("DRAFT") >= pages >= 1, "a DRAFT mark on every page"
    assert "DRAFT" not in final
    assert flipped["draft"][rel + ":meta"] == ("DRAFT", True), "a draft says so in its metadata"
    assert flipped["final"][rel + ":meta"] == ("", False)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_draft_mark_appears_and_disappears_in_word(flipped, variant: str, doc_id: str) -> None:
    rel = f"{variant}/{doc_id}.docx"
    (draft_header, draft_status), (final_header, final_status) = flipped["draft"][rel], flipped["final"][rel]
    assert "DRAFT" in draft_header and "DRAFT" not in final_header
    assert draft_status == "DRAFT" and final_status == ""


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_draft_mark_appears_and_disappears_in_html(flipped, variant: str, doc_id: str) -> None:
    rel = f"{variant}/{doc_id}.html"
    assert "DRAFT" in flipped["draft"][rel] and "DRAFT" not in flipped["final"][rel]


def test_download_page_says_which_version_and_status_it_offers(flipped) -> None:
    draft, final = flipped["draft"]["index.html"], flipped["final"]["index.html"]
    for text in (draft, final):
        assert "This page offers version 0.1 of the Co-Production Charter, dated 23 November 2026." in text
    assert "DRAFT" in draft and "This is a draft." in draft
    assert "DRAFT" not in final and "This is a draft." not in final and "final, approved version" in final
