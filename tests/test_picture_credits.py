"""Words of the first pack stay in the first pack: a picture credit names the sources of the pictures a
document really draws, and a form's example telephone number is the pack's own."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from clients_docx import pdf_text
from conftest import make_pack, own_labels, run_packgen

FIXTURES = Path(__file__).parent / "fixtures" / "pictures"
ENDING = "{% include 'partials/other-formats.md.j2' %}\n"
OPENMOJI = "OpenMoji"


def words(path: Path) -> str:
    """What a reader sees in one output file, whatever its format."""
    if path.suffix == ".pdf":
        return " ".join(pdf_text(path).split())
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as docx:
            return docx.read("word/document.xml").decode("utf-8")
    return path.read_text("utf-8")


def outputs(out: Path, variant: str) -> list[Path]:
    return sorted(p for p in (out / variant).iterdir() if p.suffix in (".pdf", ".docx", ".html") and p.stem != "pack")


def pack_with_ending(tmp_path: Path) -> tuple[Path, Path]:
    """The mini pack, each document ending with the shared "other formats" section and its picture credit."""
    sources, templates = make_pack(tmp_path)
    for template in (templates / "documents").iterdir():
        template.write_text(template.read_text("utf-8") + ENDING, "utf-8")
    return sources, templates


def build(sources: Path, templates: Path, out: Path, *args: str) -> None:
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--quiet", "--document", "charter", *args)
    assert result.returncode == 0, result.stderr


def own_pictures_only(sources: Path, templates: Path) -> None:
    """Every picture the organisation's own, the "find out more" points too."""
    (sources / "pictures").mkdir()
    shutil.copy(FIXTURES / "own-photo.png", sources / "pictures" / "hands.png")
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace("(handshake)", "(hands.png)"), "utf-8")
    labels = own_labels(sources)  # the pack's labels name its own pictures for the cover and the ending
    text = labels.read_text("utf-8")
    for pictogram in ("open-book", "busts-in-silhouette", "writing-hand", "speaking-head-in-silhouette", "envelope",
                      "black-telephone", "globe-with-meridians"):
        text = text.replace(f"_picture: {pictogram}\n", "_picture: hands.png\n")
    labels.write_text(text, "utf-8")


def test_a_document_with_only_own_pictures_has_no_openmoji_credit_in_any_format(tmp_path: Path) -> None:
    sources, templates = pack_with_ending(tmp_path)
    own_pictures_only(sources, templates)
    build(sources, templates, tmp_path / "build")
    for variant in ("standard", "easy-read"):
        for path in outputs(tmp_path / "build", variant):
            assert OPENMOJI not in words(path), path


def test_an_own_picture_is_credited_as_its_credits_file_says(tmp_path: Path) -> None:
    sources, templates = pack_with_ending(tmp_path)
    own_pictures_only(sources, templates)
    (sources / "pictures" / "credits.yaml").write_text("hands.png: Photo by Sam Lee for Riverside\n", "utf-8")
    build(sources, templates, tmp_path / "build")
    easy = outputs(tmp_path / "build", "easy-read")
    assert len(easy) == 3
    for path in easy:
        assert "Photo by Sam Lee for Riverside" in words(path), path
        assert OPENMOJI not in words(path), path
    for path in outputs(tmp_path / "build", "standard"):  # the standard charter draws no picture
        assert "Sam Lee" not in words(path), path


def test_a_document_that_draws_a_pictogram_credits_openmoji_in_every_format(tmp_path: Path) -> None:
    sources, templates = pack_with_ending(tmp_path)
    build(sources, templates, tmp_path / "build")
    easy = outputs(tmp_path / "build", "easy-read")
    assert len(easy) == 3
    for path in easy:
        assert "The pictures in this document are from" in words(path) and OPENMOJI in words(path), path
    for path in outputs(tmp_path / "build", "standard"):  # no pictogram drawn there, so no credit
        assert OPENMOJI not in words(path), path


def test_a_credits_file_naming_something_that_is_not_a_picture_is_an_error_naming_its_line(tmp_path: Path) -> None:
    sources, templates = pack_with_ending(tmp_path)
    own_pictures_only(sources, templates)
    credits = sources / "pictures" / "credits.yaml"
    credits.write_text("hands.png: Photo by Sam Lee\nnotes.txt: Someone\n", "utf-8")
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out",
                         str(tmp_path / "build"), "--quiet", "--document", "charter")
    assert result.returncode != 0
    assert f"{credits}:2:" in result.stderr and "'notes.txt' is not a picture file name" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


PLEDGE = """\
---
title: Pledge Form
fields:
  - {id: email, label: Email address, type: email, required: true}
  - {id: telephone, label: Telephone number, type: telephone}
---
## About this form {#about}

Tell us how to reach you.

::: easy-read
- ![Two people shaking hands](handshake) Tell us how to reach you.
:::
"""


@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_a_pack_with_its_own_contact_details_shows_none_of_the_first_packs_numbers(tmp_path: Path,
                                                                                    variant: str) -> None:
    sources, templates = pack_with_ending(tmp_path)
    (sources / "pledge-form.md").write_text(PLEDGE, "utf-8")
    (templates / "documents" / "pledge-form.md.j2").write_text(
        "# {{ doc.title }}\n\n{{ section(doc.sections.about) }}\n{{ form(doc.fields, legend='Your details') }}\n"
        + ENDING, "utf-8")
    out = tmp_path / "build"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--quiet", "--variant", variant)
    assert result.returncode == 0, result.stderr
    files = [p for p in out.rglob("*") if p.suffix in (".pdf", ".docx", ".html")]
    assert files
    for path in files:
        assert "0121" not in words(path), path
    assert "for example 01632 960000" in words(out / variant / "pledge-form.html")
