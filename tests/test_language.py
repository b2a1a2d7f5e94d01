"""A pack in its own language: the language tag (any BCP 47 tag) reaches every output, a
right-to-left language's web pages run right to left, and the English-only readability gate says
plainly that it was not applied."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from conftest import make_pack, own_labels, require, run_packgen

WELSH = """\
---
title: Siarter
---
## Am y ddogfen hon {#about}

Ysgrifennodd yr ymddiriedolaeth y siarter hon gyda'r bobl y mae'n eu gwasanaethu.

::: easy-read
- ![Dau berson yn ysgwyd llaw](handshake) Fe wnaethon ni ysgrifennu hwn gyda chi.
:::
"""

ARABIC = """\
---
title: الميثاق
---
## عن هذه الوثيقة {#about}

كتبنا هذا الميثاق مع الناس الذين نخدمهم.

::: easy-read
- ![شخصان يتصافحان](handshake) كتبنا هذا معكم.
:::
"""


def pack_in(tmp_path: Path, language: str, text: str | None = None) -> tuple[Path, Path]:
    sources, templates = make_pack(tmp_path)
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").replace("language: en-GB", f"language: {language}"), "utf-8")
    if text is not None:
        (sources / "charter.md").write_text(text, "utf-8")
    if not language.startswith("en"):  # the words around the content: packgen's English, as the pack's own
        own_labels(sources, language)
    return sources, templates


def build(sources: Path, templates: Path, out: Path, *args: str, env: dict[str, str] | None = None):
    return run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                       "--document", "charter", *args, env=env)


def test_a_welsh_pack_says_so_in_every_format(tmp_path: Path) -> None:
    sources, templates = pack_in(tmp_path, "cy", WELSH)
    out = tmp_path / "build"
    result = build(sources, templates, out, "--quiet")
    assert result.returncode == 0, result.stderr
    for variant in ("standard", "easy-read"):
        with pikepdf.open(out / variant / "charter.pdf") as pdf:
            assert str(pdf.Root.Lang) == "cy"
        with zipfile.ZipFile(out / variant / "charter.docx") as docx:
            styles = docx.read("word/styles.xml").decode("utf-8")
        assert re.search(r'<w:lang [^>]*w:val="cy"', styles)
        page = (out / variant / "charter.html").read_text("utf-8")
        assert re.search(r'<html [^>]*lang="cy"', page) and 'dir="ltr"' in page


def paragraph_direction_libreoffice_reads(docx: Path, tmp_path: Path) -> str:
    """The writing mode LibreOffice gives the document's body text style ("rl-tb": right to left)."""
    soffice = require("soffice")
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').resolve().as_uri()}", "--headless",
                    "--convert-to", "fodt", "--outdir", str(tmp_path / "lo-out"), str(docx)],
                   check=True, capture_output=True, timeout=300)
    flat = etree.parse(str(tmp_path / "lo-out" / f"{docx.stem}.fodt"))
    ns = {"style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0"}
    modes = flat.xpath("//style:style[@style:name='Standard']/style:paragraph-properties/@style:writing-mode",
                       namespaces=ns)
    return modes[0] if modes else "lr-tb"


def test_an_arabic_document_runs_right_to_left_in_every_format(tmp_path: Path) -> None:
    sources, templates = pack_in(tmp_path, "ar", ARABIC)
    out = tmp_path / "build"
    result = build(sources, templates, out, "--quiet")
    assert result.returncode == 0, result.stderr
    for variant in ("standard", "easy-read"):
        page = (out / variant / "charter.html").read_text("utf-8")
        assert re.search(r'<html [^>]*lang="ar"', page) and re.search(r'<html [^>]*dir="rtl"', page)
        with pikepdf.open(out / variant / "charter.pdf") as pdf:
            assert str(pdf.Root.Lang) == "ar"
        read = subprocess.run([require("pdftotext"), str(out / variant / "charter.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "الميثاق" in read  # Poppler reads the words in their own order
    assert paragraph_direction_libreoffice_reads(out / "standard" / "charter.docx", tmp_path) == "rl-tb"
    english, _ = pack_in(tmp_path / "english", "en-GB")
    build(english, _, tmp_path / "english-build", "--quiet", "--format", "docx", "--variant", "standard")
    assert paragraph_direction_libreoffice_reads(tmp_path / "english-build" / "standard" / "charter.docx",
                                                 tmp_path / "english") == "lr-tb"


@pytest.mark.parametrize(("tag", "direction"), [("sr-Latn-RS", "ltr"), ("ku-Arab", "rtl"), ("he", "rtl"),
                                                ("de-CH-1901", "ltr"), ("en-GB-x-easy", "ltr"), ("yue-HK", "ltr")])
def test_any_well_formed_language_tag_is_accepted_and_its_script_decides_the_direction(
        tmp_path: Path, tag: str, direction: str) -> None:
    sources, templates = pack_in(tmp_path, tag)
    out = tmp_path / "build"
    result = build(sources, templates, out, "--quiet", "--format", "html", "--variant", "standard")
    assert result.returncode == 0, result.stderr
    page = (out / "standard" / "charter.html").read_text("utf-8")
    assert f'lang="{tag}"' in page and f'dir="{direction}"' in page


def test_a_language_that_is_not_a_tag_is_an_error_naming_pack_yaml_and_the_line(tmp_path: Path) -> None:
    sources, templates = pack_in(tmp_path, "en_GB")
    result = build(sources, templates, tmp_path / "build", "--quiet")
    assert result.returncode != 0
    line = next(n for n, text in enumerate((sources / "pack.yaml").read_text("utf-8").splitlines(), 1)
                if text.startswith("language:"))
    assert f"{sources / 'pack.yaml'}:{line}:" in result.stderr and "'en_GB' is not a language code" in result.stderr
    assert not (tmp_path / "build" / "standard").exists()


def test_the_readability_gate_says_in_one_line_that_it_was_not_applied_to_welsh(tmp_path: Path) -> None:
    sources, templates = pack_in(tmp_path, "cy", WELSH)
    result = build(sources, templates, tmp_path / "build", "--format", "html")
    assert result.returncode == 0, result.stderr
    said = (result.stdout + result.stderr).splitlines()
    assert [line for line in said if line.startswith("readability")] == [
        "readability: not measured: the easy-read readability gate applies to English text, and this pack's "
        "language is cy"]


def test_an_english_pack_is_still_measured(tmp_path: Path) -> None:
    sources, templates = pack_in(tmp_path, "en-GB")
    # No cache: figures another test kept would be used without a line.
    result = build(sources, templates, tmp_path / "build", "--format", "html", env={"PACKGEN_CACHE": "off"})
    assert result.returncode == 0, result.stderr
    said = result.stdout + result.stderr
    assert "readability easy-read/charter:" in said and "not measured" not in said
