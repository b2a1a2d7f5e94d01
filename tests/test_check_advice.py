"""`packgen check` on a file another program made tells its user what to do in that program, and on a
file packgen made where in the pack to fix it: decided from the file itself. An empty file is empty."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pikepdf
from test_check_docx import build as build_docx
from test_check_pdf import broken, good_pdf  # noqa: F401 - good_pdf is the Typst PDF/UA-1 fixture

from packgen.check import check_paths
from packgen.check.findings import Finding

PACKGEN_ADVICE = ("sources/", "templates/", "'make'", "packgen", "theme.yaml", "pack.yaml")


def check(path: Path) -> list[Finding]:
    return [f for f in check_paths([path], axe=False, verapdf=False) if f.severity != "info"]


def packgen_advice(found: list[Finding]) -> list[str]:
    return [f"{f.rule}: {f.fix}" for f in found if any(word in f.fix for word in PACKGEN_ADVICE)]


def without_language(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/Lang"]
    del pdf.Root.ViewerPreferences["/DisplayDocTitle"]


def test_a_typst_pdf_gets_advice_for_typst(good_pdf: Path, tmp_path: Path) -> None:  # noqa: F811
    found = check(broken(good_pdf, tmp_path, without_language))
    assert {"pdf-lang", "pdf-display-title"} <= {f.rule for f in found}
    assert packgen_advice(found) == []
    assert all("the program that made it (Typst " in f.fix for f in found), found


def test_a_pdf_packgen_made_gets_advice_for_the_pack(built_pack: Path, tmp_path: Path) -> None:
    # Copied out of the build, away from its manifest: the PDF's own Creator says packgen made it.
    found = check(broken(built_pack / "standard" / "charter.pdf", tmp_path, without_language))
    [lang] = [f for f in found if f.rule == "pdf-lang"]
    assert "sources/pack.yaml" in lang.fix and "the program that made it" not in lang.fix


def test_a_word_file_from_word_gets_advice_for_word(tmp_path: Path) -> None:
    def change(d: docx.document.Document) -> None:
        d.core_properties.title = ""
        d.add_heading("Too deep", 4)
    found = check(build_docx(tmp_path, change))  # python-docx's template says Microsoft Word made it
    assert {f.rule for f in found} >= {"docx-title", "docx-heading-skip"}
    assert packgen_advice(found) == []
    [title] = [f for f in found if f.rule == "docx-title"]
    assert "Microsoft Macintosh Word" in title.fix and "File > Info" in title.fix


def test_a_word_file_packgen_made_gets_advice_for_the_pack(built_pack: Path, tmp_path: Path) -> None:
    document = docx.Document(str(built_pack / "standard" / "charter.docx"))
    document.core_properties.title = ""
    document.save(str(tmp_path / "charter.docx"))
    [title] = [f for f in check(tmp_path / "charter.docx") if f.rule == "docx-title"]
    assert "sources/" in title.fix


def test_a_web_page_gets_advice_for_its_maker_and_packgens_from_the_manifest(built_pack: Path,
                                                                           tmp_path: Path) -> None:
    page = (built_pack / "standard" / "charter.html").read_text("utf-8").replace(' lang="en-GB"', "", 1)
    elsewhere = tmp_path / "elsewhere" / "charter.html"
    elsewhere.parent.mkdir()
    elsewhere.write_text(page.replace("<head>", '<head><meta name="generator" content="Hugo 0.140">', 1), "utf-8")
    [other] = [f for f in check(elsewhere) if f.rule == "html-lang"]
    assert "the program that made it (Hugo 0.140)" in other.fix and packgen_advice([other]) == []
    ours = tmp_path / "build" / "standard" / "charter.html"  # where the build's manifest lists it
    ours.parent.mkdir(parents=True)
    ours.write_text(page, "utf-8")
    shutil.copy(built_pack / "manifest.json", tmp_path / "build" / "manifest.json")
    assert "standard/charter.html" in json.dumps(json.loads((tmp_path / "build" / "manifest.json").read_text()))
    [lang] = [f for f in check(ours) if f.rule == "html-lang"]
    assert "sources/pack.yaml" in lang.fix


def test_an_empty_pdf_is_the_file_is_empty(tmp_path: Path) -> None:
    empty = tmp_path / "report.pdf"
    empty.write_bytes(b"")
    [finding] = check(empty)
    assert (finding.severity, finding.rule) == ("error", "pdf-parse")
    assert finding.message.startswith("The file is empty (0 bytes)")
    assert packgen_advice([finding]) == []  # nothing says packgen made it
