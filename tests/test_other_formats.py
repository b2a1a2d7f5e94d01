"""Each document ends by naming the versions and formats the pack offers, and where to find them all.

A reader who has one file (the charter's PDF, say, forwarded by a colleague) learns from its last
section that the pack also has an easy-read version, a Word file, an e-book... and, when pack.yaml
says where the download page is published, follows a link to it from any format. The web page
links to the download page beside it even without that address. Formats the pack does not offer
are still asked for from the contact. The words name the pack's formats, not each file, so editing
one document rebuilds that document alone, while listing a new format in pack.yaml rebuilds them all.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pypdf
import pytest
import yaml
from lxml import html

from packgen import writers
from packgen.sources.names import VARIANTS

from conftest import ROOT, make_pack, own_labels, require, run_packgen
from pdf_clients import run

ADDRESS = "https://www.wmswtp.example.org/co-production-charter/"
LABELS = yaml.safe_load((ROOT / "packgen" / "templates" / "labels" / "en-GB.yaml").read_text("utf-8"))
QUICK = ("--format", "pdf,docx,html")  # the files read here; the endings name every format the pack offers


def shipped_copy(root: Path, **pack_keys: object) -> Path:
    """The WMSWTP sources in a folder of the test's own, with pack.yaml keys added."""
    sources = root / "sources"
    shutil.copytree(ROOT / "sources", sources)
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8") + "".join(f"{key}: {yaml.safe_dump(value, default_flow_style=True)}"
                                                      for key, value in pack_keys.items()), "utf-8")
    return sources


def build(sources: Path, out: Path, *args: str) -> list[str]:
    """Build the pack; return the files the build says it wrote."""
    result = run_packgen("build", "--sources", str(sources), "--templates", str(sources / "templates"),
                         "--out", str(out), *args)
    assert result.returncode == 0, result.stderr
    return re.findall(r"^built (\S+)", result.stdout + result.stderr, re.M)


def offered(listed: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """What a reader should be told: each variant's formats in the registry's words (en-GB labels)."""
    names = writers.with_parts((*writers.defaults(), *listed))
    out = {}
    for variant in VARIANTS:
        formats = [LABELS[writers.get(n).label] for n in names if writers.get(n).offers(variant, "en-GB")]
        out[LABELS[f"index_{variant.replace('-', '_')}_name"]] = formats
    return out


def ending(text: str, heading: str) -> str:
    """The words from the last `heading` on, on one line."""
    return " ".join(text[text.rindex(heading):].split())


def pdf_text(pdf: Path) -> str:
    return run(require("pdftotext"), str(pdf), "-")


def pdf_links(pdf: Path) -> list[str]:
    reader = pypdf.PdfReader(pdf)
    return [str(annot.get_object()["/A"]["/URI"]) for page in reader.pages for annot in page.get("/Annots", [])
            if annot.get_object().get("/A", {}).get("/URI") is not None]


def docx_links(path: Path) -> list[tuple[str, str]]:
    """Each hyperlink of the Word file as python-docx reads it: its words and where it goes."""
    document = docx.Document(str(path))
    return [(link.text, link.address) for p in document.paragraphs for link in p.hyperlinks]


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped pack as it is: no audio, no download page address."""
    root = tmp_path_factory.mktemp("plain")
    build(shipped_copy(root), root / "build", "--document", "charter", *QUICK)
    return root / "build"


@pytest.fixture(scope="module")
def with_audio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped pack with audio listed in pack.yaml and the download page's address."""
    root = tmp_path_factory.mktemp("audio")
    build(shipped_copy(root, formats=["audio"], download_page=ADDRESS), root / "build", "--document", "charter",
          *QUICK)
    return root / "build"


def listed(text: str) -> dict[str, str]:
    """Each version the ending lists ("• Easy read version: Web page, PDF, ...") and its formats' words."""
    found = re.findall(r"• ([^:•]+): ([^•]+?)(?= •| You can| If you)", text)
    return {name: words for name, words in found}


def test_the_charter_pdf_ends_with_exactly_the_formats_offered(plain: Path, with_audio: Path) -> None:
    for variant, heading in (("standard", "Other formats"), ("easy-read", "Find out more"),
                             ("large-print", "Other formats")):
        without = ending(pdf_text(plain / variant / "charter.pdf"), heading)
        audio = ending(pdf_text(with_audio / variant / "charter.pdf"), heading)
        assert listed(without) == {name: ", ".join(words) for name, words in offered().items()}, without
        assert listed(audio) == {name: ", ".join(words) for name, words in offered(("audio",)).items()}, audio
        # audio is read aloud from the easy-read text: it comes with the easy read version only
        assert "Audio" not in without
        assert "Audio (Ogg Opus, with chapters)" in listed(audio)[LABELS["index_easy_read_name"]]
        assert "Audio" not in listed(audio)[LABELS["index_standard_name"]]
        # this document's own version comes first
        assert next(iter(listed(without))) == LABELS[f"index_{variant.replace('-', '_')}_name"]
        # what the pack does not offer, the contact is still asked for
        assert "coproduction@wmswtp.example.org" in without


def web_page_of(variant: str) -> bool:
    return writers.get("html").offers(variant, "en-GB")


def test_every_format_links_to_the_published_download_page(with_audio: Path) -> None:
    for variant in VARIANTS:
        assert ADDRESS in pdf_links(with_audio / variant / "charter.pdf")
        assert ("the download page", ADDRESS) in docx_links(with_audio / variant / "charter.docx")
        if not web_page_of(variant):
            continue
        page = html.fromstring((with_audio / variant / "charter.html").read_bytes())
        assert [a.text_content() for a in page.iter("a") if a.get("href") == ADDRESS] == ["the download page"]


def test_without_an_address_only_the_web_page_links_to_the_download_page(plain: Path) -> None:
    for variant in VARIANTS:
        # a PDF or Word file read on its own has no link that would not work there
        assert not [u for u in pdf_links(plain / variant / "charter.pdf") if "index.html" in u]
        assert not [a for _, a in docx_links(plain / variant / "charter.docx") if "index.html" in (a or "")]
        assert "download page" not in pdf_text(plain / variant / "charter.pdf")
        if not web_page_of(variant):
            continue
        page = html.fromstring((plain / variant / "charter.html").read_bytes())
        main = page.find(".//main")
        links = [a for a in main.iter("a") if a.get("href") == "../index.html"]
        assert [a.text_content() for a in links] == ["the download page"]
        # the link goes to the download page the build wrote beside it
        assert ((plain / variant / "charter.html").parent / "../index.html").resolve() == (plain / "index.html")


def test_an_edit_to_one_document_rebuilds_only_that_one_and_a_new_format_rebuilds_all(tmp_path: Path) -> None:
    sources = shipped_copy(tmp_path)
    out = tmp_path / "build"
    build(sources, out, *QUICK)
    appendix = sources / "appendix-a.md"
    appendix.write_text(appendix.read_text("utf-8").replace("## ", "## Our ", 1), "utf-8")
    documents = {path.split("/")[1].rsplit(".", 1)[0] for path in build(sources, out, *QUICK) if "/" in path
                 and not path.startswith("thumbnails/")}
    assert documents - {"pack"} == {"appendix-a"}
    # listing audio in pack.yaml: every document now names it, so every document is written again
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8") + "formats: [audio]\n", "utf-8")
    again = build(sources, out, *QUICK)
    for doc_id in yaml.safe_load(pack.read_text("utf-8"))["documents"]:
        for variant in VARIANTS:
            assert f"{variant}/{doc_id['id']}.pdf" in again
    assert "Audio (Ogg Opus, with chapters)" in " ".join(pdf_text(out / "standard" / "appendix-d.pdf").split())


def test_a_format_name_missing_from_a_packs_labels_is_packgens_words_with_a_warning(tmp_path: Path) -> None:
    sources, templates = make_pack(tmp_path)
    template = templates / "documents" / "charter.md.j2"
    template.write_text(template.read_text("utf-8") + '{% include "partials/other-formats.md.j2" %}\n', "utf-8")
    labels = own_labels(sources)
    labels.write_text(re.sub(r"^index_format_epub:.*\n", "", labels.read_text("utf-8"), flags=re.M), "utf-8")
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out",
                         str(tmp_path / "build"), "--document", "charter", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    said = [line for line in (result.stdout + result.stderr).splitlines() if "index_format_epub" in line]
    assert len(said) == 1 and str(labels) in said[0] and "warning" in said[0], said
    assert "EPUB e-book" in pdf_text(tmp_path / "build" / "standard" / "charter.pdf")
    # any other label is still needed: a missing one is an error naming it
    labels.write_text(re.sub(r"^template_other_formats_offered:.*\n", "", labels.read_text("utf-8"), flags=re.M),
                      "utf-8")
    failed = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out",
                         str(tmp_path / "build"), "--document", "charter", "--format", "pdf")
    assert failed.returncode != 0 and "template_other_formats_offered" in failed.stderr


def download_page_formats(out: Path) -> str:
    """The download page's "Other formats" words, on one line, as a reader of the page sees them."""
    page = html.fromstring((out / "index.html").read_bytes())
    heading = page.get_element_by_id("formats_heading")
    return " ".join(heading.getnext().text_content().split())


def named_versions(words: str) -> dict[str, str]:
    """Each version the download page's words name ("Easy read version: Web page, PDF, ...") and its formats."""
    return {name.strip(): formats for name, formats in re.findall(r"([^.:]+ version): (.+?)\.(?= |$)", words)}


def test_the_download_page_names_the_formats_the_pack_offers_and_no_other(built_pack: Path, tmp_path: Path
                                                                           ) -> None:
    shipped = download_page_formats(built_pack)
    assert named_versions(shipped) == {name: ", ".join(words) for name, words in offered().items()}, shipped
    # no audio in the shipped pack: the page does not promise it
    assert "audio" not in shipped.lower(), shipped
    # what the pack does not offer, the contact is still asked for
    assert "another format that is not listed here" in shipped and "coproduction@wmswtp.example.org" in shipped

    out = tmp_path / "build"
    build(shipped_copy(tmp_path, formats=["audio"]), out, "--quiet")
    with_audio = download_page_formats(out)
    assert named_versions(with_audio) == {name: ", ".join(words) for name, words in offered(("audio",)).items()}
    assert "Audio (Ogg Opus, with chapters)" in named_versions(with_audio)[LABELS["index_easy_read_name"]]
