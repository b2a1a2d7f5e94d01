"""Publishing the pack (issue 7): the download page, combined PDFs, the zip, thumbnails, incremental assembly.

The shipped pack is built once (with assembly on) and opened with what people and websites use:
Chromium with axe-core for the download page, pypdf and Poppler and qpdf for the combined PDFs,
Python's zipfile for the zip.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pikepdf
import pypdf
import pytest

from packgen.pack.build import BuildOptions, build
from packgen.sources.names import VARIANTS

from conftest import ROOT, SHIPPED_DOCUMENTS, require

JS = ROOT / "tests" / "js"
CHROMIUM = Path(os.environ.get("PACKGEN_CHROMIUM", "/usr/bin/chromium"))


def build_pack(out: Path, sources: Path = ROOT / "sources", templates: Path = ROOT / "templates",
               **options: object) -> list[str]:
    """A whole-pack build with assembly on (as `packgen build` will do); returns what it printed."""
    said: list[str] = []
    build(BuildOptions(sources=sources, templates=templates, out=out, assemble=True, **options),  # type: ignore[arg-type]
          progress=said.append)
    return said


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The shipped pack, built once for these tests, and what the build printed."""
    out = tmp_path_factory.mktemp("publish") / "build"
    return out, build_pack(out)


@pytest.fixture(scope="module")
def pack(built: tuple[Path, list[str]]) -> Path:
    return built[0]


@pytest.fixture(scope="module")
def manifest(pack: Path) -> dict:
    return json.loads((pack / "manifest.json").read_text("utf-8"))


def outputs(manifest: dict, **match: str) -> list[dict]:
    return [o for o in manifest["outputs"] if all(o[k] == v for k, v in match.items())]


# -- the manifest ----------------------------------------------------------------------------


def test_manifest_lists_the_pack_level_files_and_they_match(pack: Path, manifest: dict) -> None:
    (index,) = outputs(manifest, document="index")
    assert (index["variant"], index["format"], index["path"]) == ("all", "html", "index.html")
    combined = {o["variant"]: o for o in outputs(manifest, document="pack", format="pdf")}
    assert combined.keys() == set(VARIANTS)
    assert combined["standard"]["path"] == "standard/pack.pdf"
    (archive,) = outputs(manifest, document="pack", format="zip")
    assert archive["variant"] == "all" and archive["path"] == "wmswtp-pack.zip"
    assert len(outputs(manifest, format="png")) == len(SHIPPED_DOCUMENTS) * len(VARIANTS)
    for entry in manifest["outputs"]:
        data = (pack / entry["path"]).read_bytes()
        assert len(data) == entry["bytes"] and hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]


# -- the combined PDFs -----------------------------------------------------------------------


def _titles(pack: Path, variant: str) -> list[str]:
    return [pikepdf.open(pack / variant / f"{d}.pdf").open_outline().root[0].title for d in SHIPPED_DOCUMENTS]


@pytest.mark.parametrize("variant", VARIANTS)
def test_combined_pdf_has_one_bookmark_per_document_with_headings_nested(pack: Path, manifest: dict,
                                                                        variant: str) -> None:
    reader = pypdf.PdfReader(pack / variant / "pack.pdf")
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == _titles(pack, variant)
    nested = [item for item in reader.outline if isinstance(item, list)]
    assert len(nested) == len(SHIPPED_DOCUMENTS) and all(nested), "each document's headings sit beneath it"
    # Each document's bookmark opens its first page: pages run on from part to part.
    first_pages = [reader.get_destination_page_number(item) for item in top]
    counts = [o["pages"] for d in SHIPPED_DOCUMENTS
              for o in outputs(manifest, document=d, variant=variant, format="pdf")]
    assert first_pages == [sum(counts[:i]) for i in range(len(counts))]
    combined = outputs(manifest, document="pack", variant=variant, format="pdf")[0]
    assert len(reader.pages) == sum(counts) == combined["pages"]
    # A heading bookmark lands on the page its heading is on, in the right part.
    charter = nested[1]
    heading_pages = [reader.get_destination_page_number(i) for i in charter if not isinstance(i, list)]
    assert all(first_pages[1] <= p < first_pages[2] for p in heading_pages)


@pytest.mark.parametrize("variant", VARIANTS)
def test_combined_pdf_title_language_and_pdfua_identity(pack: Path, variant: str) -> None:
    with pikepdf.open(pack / variant / "pack.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) and bool(pdf.Root.MarkInfo.Marked)
        title = str(pdf.docinfo.Title)
        assert title.startswith("Co-Production Charter: all documents")
        assert ("easy read" in title) == (variant == "easy-read")
        meta = pdf.open_metadata()
        assert meta["dc:title"] == title and meta["pdfuaid:part"] == "1"
        assert str(pdf.docinfo.CreationDate) == "D:20261123000000Z"  # the pack's date, not the clock
        tabs = [page.obj.get("/Tabs") for page in pdf.pages if "/Annots" in page.obj]
        assert tabs and all(t == pikepdf.Name.S for t in tabs)


@pytest.mark.parametrize("variant", VARIANTS)
def test_poppler_reads_every_documents_structure_in_the_combined_pdf(pack: Path, variant: str) -> None:
    pdfinfo = require("pdfinfo")
    combined = pack / variant / "pack.pdf"
    info = subprocess.run([pdfinfo, str(combined)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M), info
    struct = subprocess.run([pdfinfo, "-struct", str(combined)], capture_output=True, text=True, check=True).stdout
    lines = struct.splitlines()
    assert lines[0] == "Document"
    parts = [line for line in lines if re.match(r"^  Part\b", line)]
    assert len(parts) == len(SHIPPED_DOCUMENTS), struct[:2000]
    # Each part holds exactly the structure of its own document (same elements, same order).
    for doc_id, chunk in zip(SHIPPED_DOCUMENTS, re.split(r"^  Part.*\n", struct, flags=re.M)[1:], strict=True):
        own = subprocess.run([pdfinfo, "-struct", str(pack / variant / f"{doc_id}.pdf")], capture_output=True,
                             text=True, check=True).stdout.splitlines()
        assert own[0] == "Document"
        mine = [re.sub(r"Object \d+ \d+", "Object", line[2:]) for line in chunk.splitlines() if line]
        theirs = [re.sub(r"Object \d+ \d+", "Object", line) for line in own[1:] if line]
        assert mine == theirs, doc_id
    # The text under each part is that document's text: MCIDs and ParentTree keys line up.
    text = subprocess.run([pdfinfo, "-struct-text", str(combined)], capture_output=True, text=True,
                          check=True).stdout
    chunks = re.split(r"^  Part.*\n", text, flags=re.M)[1:]
    for doc_id, chunk in zip(SHIPPED_DOCUMENTS, chunks, strict=True):
        own = subprocess.run([pdfinfo, "-struct-text", str(pack / variant / f"{doc_id}.pdf")],
                             capture_output=True, text=True, check=True).stdout
        words = [line.strip() for line in own.splitlines() if line.strip().startswith('"')]
        assert words and words == [line.strip() for line in chunk.splitlines() if line.strip().startswith('"')]


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_combined_pdf_is_made_once_its_documents_pdfs_are_not_after_every_other_file(built, variant: str) -> None:
    """README: the pack's own files are made as soon as the documents they come from are written, so
    progress lines arrive in the order files finish: web pages, Word and Braille files still to be
    written do not hold up the combined PDF, which needs only the PDFs."""
    files = [line.split()[1] for line in built[1] if line.startswith("built ")]
    combined = files.index(f"{variant}/pack.pdf")
    assert combined > max(files.index(f"{variant}/{doc_id}.pdf") for doc_id in SHIPPED_DOCUMENTS)
    documents_later = [f for f in files[combined:] if f.split("/")[0] in VARIANTS and f.endswith((".html", ".docx"))]
    assert documents_later, files


def _font_streams(pdf: pikepdf.Pdf) -> dict[str, set[tuple[int, int]]]:
    """Each font program and ToUnicode map the file's fonts use, by the sha256 of its stored bytes:
    the objects holding those bytes."""
    found: dict[str, set[tuple[int, int]]] = {}
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        keys = ("/FontFile", "/FontFile2", "/FontFile3") if obj.get("/Type") == "/FontDescriptor" else \
            ("/ToUnicode",) if obj.get("/Type") == "/Font" else ()
        for stream in (obj[key] for key in keys if key in obj):
            found.setdefault(hashlib.sha256(stream.read_raw_bytes()).hexdigest(), set()).add(stream.objgen)
    return found


@pytest.mark.parametrize("variant", VARIANTS)
def test_combined_pdf_stores_each_font_once_however_many_documents_embed_it(pack: Path, variant: str) -> None:
    parts = []
    for doc_id in SHIPPED_DOCUMENTS:
        with pikepdf.open(pack / variant / f"{doc_id}.pdf") as part:
            parts.append(set(_font_streams(part)))
    with pikepdf.open(pack / variant / "pack.pdf") as pdf:
        combined = _font_streams(pdf)
    assert set(combined) == set().union(*parts), "every document's fonts are there, as they were"
    assert all(len(objects) == 1 for objects in combined.values()), "one copy of each"
    assert any(sum(digest in part for part in parts) > 1 for digest in combined), "some font was in several"


@pytest.mark.parametrize("variant", VARIANTS)
def test_qpdf_finds_no_errors_in_the_combined_pdf(pack: Path, variant: str) -> None:
    qpdf = require("qpdf")
    done = subprocess.run([qpdf, "--check", str(pack / variant / "pack.pdf")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors" in done.stdout


def _page_roles(pdf: pikepdf.Pdf) -> list[tuple[list[str], list[str]]]:
    """For each page: the roles of the elements its marked content belongs to (by MCID), and of the
    elements its annotations belong to, found through the ParentTree as a reader finds them."""
    root = pdf.Root.StructTreeRoot
    nums = root.ParentTree.Nums
    tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    pages = []
    for page in pdf.pages:
        marked = [str(e.S) if isinstance(e, pikepdf.Dictionary) else "-" for e in tree[int(page.obj.StructParents)]]
        annots = []
        for annot in page.obj.get("/Annots", ()):
            elem = tree[int(annot.StructParent)]
            kids = list(elem.K) if isinstance(elem.K, pikepdf.Array) else [elem.K]
            assert annot.objgen in [k.Obj.objgen for k in kids if isinstance(k, pikepdf.Dictionary) and "/Obj" in k]
            annots.append(str(elem.S))
        pages.append((marked, annots))
    return pages


@pytest.mark.parametrize("variant", VARIANTS)
def test_combined_parent_tree_maps_every_page_and_link_as_in_its_own_document(pack: Path, variant: str) -> None:
    """ParentTree keys renumbered, /StructParents and /StructParent shifted alike, MCIDs untouched."""
    with pikepdf.open(pack / variant / "pack.pdf") as pdf:
        combined = _page_roles(pdf)
        root = pdf.Root.StructTreeRoot
        keys = [int(k) for k in list(root.ParentTree.Nums)[::2]]
        assert len(keys) == len(set(keys)) and int(root.ParentTreeNextKey) > max(keys)
    expected = []
    for doc_id in SHIPPED_DOCUMENTS:
        with pikepdf.open(pack / variant / f"{doc_id}.pdf") as part:
            expected.extend(_page_roles(part))
    assert combined == expected


# -- the zip ---------------------------------------------------------------------------------


def test_zip_holds_exactly_the_documents_and_combined_pdfs_sorted_and_dated(pack: Path, manifest: dict) -> None:
    (entry,) = outputs(manifest, format="zip")
    with zipfile.ZipFile(pack / entry["path"]) as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        assert archive.testzip() is None
        for info in infos:
            assert archive.read(info) == (pack / info.filename).read_bytes()
    expected = sorted(o["path"] for o in manifest["outputs"] if o["document"] in SHIPPED_DOCUMENTS + ("pack",)
                      and o["format"] in ("docx", "pdf", "html", "brf", "epub"))
    # Word, PDF, web page and e-book in standard and easy read, braille in the standard one, Word and
    # PDF in large print, and the combined PDFs (three) and e-books (two)
    assert names == expected and len(names) == len(SHIPPED_DOCUMENTS) * (2 * 4 + 1 + 2) + 3 + 2
    assert "manifest.json" not in names and "index.html" not in names
    assert {i.date_time for i in infos} == {(2026, 11, 23, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


# -- thumbnails ------------------------------------------------------------------------------


def test_thumbnails_are_small_pngs_of_each_first_page_with_stable_bytes(pack: Path, manifest: dict) -> None:
    from packgen.writers.pdf.thumbnail import first_page_png
    pngs = outputs(manifest, format="png")
    assert {(o["document"], o["variant"]) for o in pngs} == {(d, v) for d in SHIPPED_DOCUMENTS for v in VARIANTS}
    for o in pngs:
        data = (pack / o["path"]).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) < 40_000
        assert o["path"] == f"thumbnails/{o['variant']}-{o['document']}.png"
    again, _ = first_page_png(pack / "easy-read" / "charter.pdf")
    assert again == (pack / "thumbnails" / "easy-read-charter.png").read_bytes()


# -- the download page -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(pack: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((pack / "index.html").read_bytes())


def test_every_link_on_the_download_page_resolves_to_a_file_in_build(pack: Path, page) -> None:
    hrefs = page.xpath("//a/@href") + page.xpath("//img/@src")
    local = [h for h in hrefs if not urlsplit(h).scheme and not h.startswith("#")]
    assert local
    for href in local:
        assert not href.startswith("/"), f"{href} is not relative"
        target = (pack / unquote(urlsplit(href).path)).resolve()
        assert target.is_file() and pack.resolve() in target.parents, href
    for href in (h for h in hrefs if h.startswith("#")):
        assert page.xpath(f"//*[@id='{href[1:]}']"), href
    assert {urlsplit(h).scheme for h in hrefs} <= {"", "mailto", "https"}
    assert not page.xpath("//script | //link[@rel='stylesheet'] | //iframe")


def test_download_page_offers_every_document_in_both_variants_and_every_format(page, manifest: dict) -> None:
    links = {a.get("href"): a.text_content() for a in page.xpath("//a")}
    for o in manifest["outputs"]:
        if o["document"] in SHIPPED_DOCUMENTS and o["format"] in ("html", "pdf", "docx"):
            assert o["path"] in links, o["path"]
    for o in outputs(manifest, document="pack"):
        assert o["path"] in links
    # "PDF, 245 KB, 12 pages": the format, its size and, for PDFs, its pages.
    charter_pdf = outputs(manifest, document="charter", variant="easy-read", format="pdf")[0]
    words = links[charter_pdf["path"]]
    assert words.startswith(f"PDF, {round(charter_pdf['bytes'] / 1024)} KB, {charter_pdf['pages']} pages")
    assert re.match(r"Word document, \d+ KB", links["standard/charter.docx"])
    assert re.match(r"ZIP file, [\d.]+ MB", links["wmswtp-pack.zip"])
    # Easy read is as prominent as standard: same heading level, same number of links, same markup.
    headings = [h.text_content() for h in page.xpath("//h4")]
    assert headings.count("Standard version") == headings.count("Easy read version") == len(SHIPPED_DOCUMENTS)
    assert headings.count("Large print version") == len(SHIPPED_DOCUMENTS)


def test_download_page_says_what_who_which_version_and_how_to_pledge_and_ask(page) -> None:
    text = " ".join(page.text_content().split())
    assert page.xpath("//h1")[0].text_content() == "Co-Production Charter"
    assert "West Midlands Social Work Teaching Partnership" in text
    assert "version 0.1" in text and "23 November 2026" in text
    assert "This is a draft." in text and page.xpath("//*[@class='draft-mark']")
    assert "supports a wide range of activities" in text  # the shared background, from the sources
    assert "How to fill in, sign and return this form" in text  # the pledge form's own section
    assert "coproduction@wmswtp.example.org" in text and "another format" in text
    alts = page.xpath("//img/@alt")
    assert "First page of the easy read version of Executive Summary" in alts
    assert len(alts) == len(SHIPPED_DOCUMENTS) * len(VARIANTS) and all(alts)


def test_a_second_build_with_nothing_changed_assembles_nothing(pack: Path) -> None:
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in pack.rglob("*") if p.is_file()}
    said = build_pack(pack)
    assert not [line for line in said if line.startswith(("built", "removed"))], said
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in pack.rglob("*") if p.is_file()}
    untouched = [p for p in before if p.suffix in (".zip", ".png") or p.name in ("pack.pdf", "index.html")]
    assert len(untouched) == 2 + len(VARIANTS) * (1 + len(SHIPPED_DOCUMENTS))  # zip, page, pack.pdf, thumbnails
    assert all(before[p][0] == after[p][0] for p in untouched), "not rewritten"
    assert {p: b for p, (_, b) in before.items()} == {p: b for p, (_, b) in after.items()}


def test_only_what_changed_is_reassembled_and_stale_files_go(tmp_path: Path) -> None:
    out = tmp_path / "build"
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    build_pack(out, sources=sources)
    stamp = {p.name: p.stat().st_mtime_ns for p in (out / "thumbnails").iterdir()}
    # The pledge form's standard text changes: its PDFs, thumbnails, the combined PDFs and the zip are redone.
    form = sources / "pledge-form.md"
    form.write_text(form.read_text("utf-8").replace("Keep a copy for your records.",
                                                    "Keep a copy of the form for your records."), "utf-8")
    pack_yaml = sources / "pack.yaml"
    pack_yaml.write_text(pack_yaml.read_text("utf-8").replace("short_name: WMSWTP", "short_name: WMTP"), "utf-8")
    said = build_pack(out, sources=sources)
    built = {line.split()[1] for line in said if line.startswith("built")}
    assert {"thumbnails/standard-pledge-form.png", "standard/pack.pdf", "wmtp-pack.zip", "index.html"} <= built
    assert "easy-read/pack.pdf" not in built, "the edit was to standard text only: easy read is unchanged"
    assert not any(b.startswith("thumbnails/") and "pledge-form" not in b for b in built), built
    assert {p.name: p.stat().st_mtime_ns for p in (out / "thumbnails").iterdir()
            if "pledge-form" not in p.name} == {k: v for k, v in stamp.items() if "pledge-form" not in k}
    assert not (out / "wmswtp-pack.zip").exists(), "the zip under its old name would be uploaded too"
    assert any(line.startswith("removed wmswtp-pack.zip") for line in said)
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert all((out / o["path"]).is_file() for o in manifest["outputs"])


def test_source_date_epoch_dates_the_zip_and_combined_pdfs(tmp_path: Path, monkeypatch) -> None:
    from packgen.dates import build_datetime
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    assert build_datetime(dt.date(2026, 11, 23)) == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_datetime(dt.date(2026, 11, 23)) == dt.datetime(2026, 11, 23, tzinfo=dt.UTC)


# -- the download page in a real browser -----------------------------------------------------


@pytest.fixture(scope="module")
def browser(pack: Path) -> dict:
    """tests/js/axe_check.mjs (the HTML writer's Chromium + axe-core runner) on the download page."""
    node = require("node")
    if not CHROMIUM.exists():
        require(str(CHROMIUM))
    for package in ("puppeteer-core", "axe-core"):
        if not (JS / "node_modules" / package).is_dir():
            require(f"tests/js/node_modules/{package}")
    done = subprocess.run([node, str(JS / "axe_check.mjs"), "--chromium", str(CHROMIUM), str(pack / "index.html")],
                          cwd=JS, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    (result,) = json.loads(done.stdout)["results"]
    return result


@pytest.mark.slow
def test_axe_finds_no_wcag_violations_on_the_download_page(browser: dict) -> None:
    assert browser["violations"] == [], json.dumps(browser["violations"], indent=1)
    assert browser["narrowViolations"] == [], json.dumps(browser["narrowViolations"], indent=1)
    assert browser["bestPractice"] == [], json.dumps(browser["bestPractice"], indent=1)
    assert browser["errors"] == [] and browser["scriptCount"] == 0


@pytest.mark.slow
def test_download_page_reflows_at_320_css_pixels(browser: dict) -> None:
    assert browser["narrow"]["clientWidth"] == 320
    assert browser["narrow"]["scrollWidth"] <= 320


@pytest.mark.slow
def test_download_page_loads_only_its_own_files_and_shows_every_thumbnail(pack: Path, browser: dict) -> None:
    build_url = pack.resolve().as_uri() + "/"
    assert all(url.startswith(build_url) for url in browser["requests"]), browser["requests"]
    images = browser["wide"]["images"]
    assert len(images) == len(SHIPPED_DOCUMENTS) * len(VARIANTS) and all(i["loaded"] and i["alt"] for i in images)
    small = [t for t in browser["narrow"]["targets"] if t["height"] < 24 or t["width"] < 24]
    assert small == [], small


@pytest.mark.parametrize("variant", VARIANTS)
def test_pledge_form_fields_still_work_in_the_combined_pdf(pack: Path, variant: str) -> None:
    """Same fields, same names, each widget on the page the reader sees and tagged where it was: the
    pledge form's, and any other document's (Appendix B's checklist)."""
    names = []
    for document in SHIPPED_DOCUMENTS:
        with pikepdf.open(pack / variant / f"{document}.pdf") as own:
            names += [str(f.T) for f in own.Root.AcroForm.Fields] if "/AcroForm" in own.Root else []
    assert names, "the pack has form fields"
    names.sort()
    reader = pypdf.PdfReader(pack / variant / "pack.pdf")
    assert sorted(reader.get_fields()) == names
    with pikepdf.open(pack / variant / "pack.pdf") as pdf:
        on_pages = {a.objgen for page in pdf.pages for a in page.obj.get("/Annots", ())
                    if a.get("/Subtype") == pikepdf.Name.Widget}
        widgets = set()
        for field in pdf.Root.AcroForm.Fields:
            kids = field.get("/Kids", [field])
            widgets |= {k.objgen for k in kids}
        assert widgets == on_pages
    pdfinfo = require("pdfinfo")
    info = subprocess.run([pdfinfo, str(pack / variant / "pack.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"^Form:\s+AcroForm", info, re.M), info




@pytest.mark.parametrize("document", SHIPPED_DOCUMENTS)
def test_the_two_versions_of_a_document_have_titles_a_reader_can_tell_apart(built_pack, document):
    # With the standard and the easy-read file open, a screen reader names each by its title.
    import docx

    titles: dict[str, list[str]] = {}
    for variant in ("standard", "easy-read"):
        info = subprocess.run([require("pdfinfo"), str(built_pack / variant / f"{document}.pdf")],
                              capture_output=True, text=True, check=True).stdout
        pdf_title = re.search(r"^Title:\s+(.*)$", info, re.M).group(1).strip()
        word_title = docx.Document(str(built_pack / variant / f"{document}.docx")).core_properties.title
        page = lxml.html.fromstring((built_pack / variant / f"{document}.html").read_bytes())
        web_title = page.findtext(".//title")
        titles[variant] = [pdf_title, word_title, web_title]
        assert web_title.startswith(pdf_title) and pdf_title == word_title
        pack_title = "Co-Production Charter"
        assert web_title.count(pack_title) <= 1, web_title  # never "...: Co-Production Charter – Co-Production Charter"
    for standard, easy in zip(titles["standard"], titles["easy-read"], strict=True):
        assert standard != easy and "easy read" in easy.lower() and "easy read" not in standard.lower()


@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_go_to_page_in_the_combined_pdf_agrees_with_the_number_printed_on_the_page(built_pack, variant):
    # pack.pdf holds every document with its own page numbers ("Page 1 of 6"): a viewer's page box
    # names each page by its document and that number, as pdf.js and Acrobat read PageLabels.
    path = built_pack / variant / "pack.pdf"
    with pikepdf.open(path) as pdf:
        labels = [page.label for page in pdf.pages]
    assert len(set(labels)) == len(labels)  # every page has a name of its own
    firsts = 0
    for n, label in enumerate(labels):
        printed = subprocess.run([require("pdftotext"), "-f", str(n + 1), "-l", str(n + 1), str(path), "-"],
                                 capture_output=True, text=True, check=True).stdout
        number = re.search(r"Page (\d+) of \d+", printed).group(1)
        document, _, own = label.rpartition(" ")
        assert own == number, (n + 1, label, number)
        if number == "1":  # a document's first page: it names the document, whose title it shows
            firsts += 1
            assert document and document in " ".join(printed.split()), (label, printed[:200])
    assert firsts == len(SHIPPED_DOCUMENTS)
