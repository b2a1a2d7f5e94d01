"""The words around the content come from a labels file for the pack's language: the pack's own
`labels/<language>.yaml` first, then packgen's (which ships en-GB); a language with no labels, or a
labels file missing some, is an error that says what is missing."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from test_same_words import docx_text, html_text

from packgen.template_folders import PACKGEN_TEMPLATES

from clients_docx import pdf_text
from conftest import make_pack, own_labels, run_packgen

FRENCH = {
    "footer": "{{ pack.title }} : {{ doc.title }}. Version {{ pack.version }}, {{ pack.date | longdate }}",
    "page_label": "Page {page} sur {pages}",
    "skip_link": "Aller au contenu principal",
    "template_other_formats": "Autres formats",
    "template_title_line": "{{ pack.organisation }}. Version {{ pack.version }}, {{ pack.date | longdate }}.",
    "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre"],
}


def pack_in(tmp_path: Path, language: str) -> Path:
    """The small pack in a language, with no templates of its own (packgen's defaults render it)."""
    sources, templates = make_pack(tmp_path)
    shutil.rmtree(templates)
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").replace("language: en-GB", f"language: {language}"), "utf-8")
    return sources


def write_labels(path: Path, changes: dict, drop: tuple[str, ...] = ()) -> None:
    words = yaml.safe_load(path.read_text("utf-8"))
    words = {key: value for key, value in {**words, **changes}.items() if key not in drop}
    path.write_text(yaml.safe_dump(words, allow_unicode=True, sort_keys=False), "utf-8")


def test_a_french_pack_shows_its_own_words_in_every_format(tmp_path: Path) -> None:
    sources = pack_in(tmp_path, "fr")
    write_labels(own_labels(sources, "fr"), FRENCH)
    out = tmp_path / "build"
    result = run_packgen("build", "--pack", str(sources), "--out", str(out), "--document", "charter",
                         "--variant", "standard", "-q")
    assert result.returncode == 0, result.stderr
    pdf = pdf_text(out / "standard" / "charter.pdf")
    assert "1 juin 2025" in pdf and "Page 1 sur 1" in pdf and "Autres formats" in pdf
    with zipfile.ZipFile(out / "standard" / "charter.docx") as docx:
        footers = "".join(docx.read(name).decode("utf-8") for name in docx.namelist() if "footer" in name)
    assert "Community Charter : Charter. Version 2.0, 1 juin 2025" in re.sub(r"<[^>]+>", "", footers)
    word = docx_text(out / "standard" / "charter.docx")
    assert "1 juin 2025" in word and "Autres formats" in word
    page = (out / "standard" / "charter.html").read_text("utf-8")
    web = html_text(out / "standard" / "charter.html")
    assert "Aller au contenu principal" in page and "1 juin 2025" in web and "Autres formats" in web
    assert "June" not in pdf + page


@pytest.mark.parametrize("tag, tags", [("de", ("de",)), ("de-AT", ("de-AT", "de"))])
def test_a_language_with_no_labels_file_fails_naming_where_packgen_looked(tmp_path: Path, tag: str,
                                                                          tags: tuple[str, ...]) -> None:
    sources = pack_in(tmp_path, tag)
    out = tmp_path / "build"
    result = run_packgen("build", "--pack", str(sources), "--out", str(out), "-q")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"packgen: error: {sources / 'pack.yaml'}: there are no labels for the language '{tag}'")
    looked = [str(folder / f"{t}.yaml") for folder in (sources / "labels", PACKGEN_TEMPLATES / "labels") for t in tags]
    assert f"packgen looked for {', '.join(looked)};" in line
    assert not (out / "standard").exists()


def test_a_labels_file_missing_two_labels_fails_listing_both(tmp_path: Path) -> None:
    sources = pack_in(tmp_path, "fr")
    labels = own_labels(sources, "fr")
    write_labels(labels, FRENCH, drop=("skip_link", "email_hint"))
    result = run_packgen("build", "--pack", str(sources), "--out", str(tmp_path / "build"), "-q")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"packgen: error: {labels}: 2 label(s) missing: skip_link, email_hint")


def test_a_longer_tag_uses_the_labels_of_a_shorter_one(tmp_path: Path) -> None:
    sources = pack_in(tmp_path, "fr-CA")
    write_labels(own_labels(sources, "fr"), FRENCH)
    out = tmp_path / "build"
    result = run_packgen("build", "--pack", str(sources), "--out", str(out), "--document", "charter",
                         "--variant", "standard", "--format", "html", "-q")
    assert result.returncode == 0, result.stderr
    assert "Aller au contenu principal" in (out / "standard" / "charter.html").read_text("utf-8")


def test_a_label_packgen_does_not_know_is_a_warning_naming_its_line(tmp_path: Path) -> None:
    sources = pack_in(tmp_path, "en-GB")
    labels = own_labels(sources, "en-GB")
    labels.write_text(labels.read_text("utf-8") + 'skip_lnk: "Skip"\n', "utf-8")
    line = labels.read_text("utf-8").count("\n")
    args = ("build", "--pack", str(sources), "--out", str(tmp_path / "build"), "--document", "charter",
            "--format", "html", "-q")
    result = run_packgen(*args)
    assert result.returncode == 0, result.stderr
    assert f"packgen: warning: {labels}:{line}: the label 'skip_lnk' is not one packgen knows" in result.stderr
    assert run_packgen(*args, "--strict").returncode == 1


def test_a_labels_yaml_left_in_the_templates_folder_is_a_warning_saying_where_labels_are(tmp_path: Path) -> None:
    sources, templates = make_pack(tmp_path)
    shutil.copy(PACKGEN_TEMPLATES / "labels" / "en-GB.yaml", templates / "labels.yaml")
    result = run_packgen("build", "--pack", str(sources), "--out", str(tmp_path / "build"), "--document", "charter",
                         "--format", "html", "-q")
    assert result.returncode == 0, result.stderr
    assert (f"packgen: warning: {templates / 'labels.yaml'}: labels are no longer read from a templates folder: "
            f"this pack's are {PACKGEN_TEMPLATES / 'labels' / 'en-GB.yaml'}") in result.stderr
