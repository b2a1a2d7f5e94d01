"""`packgen new`: an organisation starts its own pack, builds it with no options and it passes the checks."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import run_packgen

ORGANISATION = "Harbour Housing Co-operative: Tenants & Staff"


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def new_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("new") / "our-charter"
    made = run_packgen("new", str(folder), "--organisation", ORGANISATION)
    assert made.returncode == 0, made.stderr
    assert f"cd {folder}" in made.stdout and "packgen build" in made.stdout
    return folder


@pytest.fixture(scope="module")
def built(new_pack: Path) -> Path:
    result = run_packgen("build", cwd=new_pack)  # no options: inside the pack's folder
    assert result.returncode == 0, result.stderr
    return new_pack / "build"


@pytest.mark.slow
def test_a_new_pack_holds_four_documents_a_brand_and_no_templates(new_pack: Path) -> None:
    pack = yaml.safe_load((new_pack / "pack.yaml").read_text("utf-8"))
    assert pack["organisation"] == ORGANISATION  # a colon and an ampersand survive YAML
    assert [d["kind"] for d in pack["documents"]] == ["summary", "main", "appendix", "form"]
    for entry in pack["documents"]:
        assert (new_pack / entry["source"]).is_file()
    brand = yaml.safe_load((new_pack / "brand.yml").read_text("utf-8"))
    assert brand["meta"]["name"] == {"full": ORGANISATION, "short": "HHCTS"}
    assert not (new_pack / "templates").exists()
    # commented for a comms officer: every file says what its keys are for
    assert sum(line.lstrip().startswith("#") for line in (new_pack / "pack.yaml").read_text("utf-8").splitlines()) >= 8


@pytest.mark.slow
def test_a_new_pack_builds_with_no_options_and_names_the_organisation(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text("utf-8"))
    made = {(o["document"], o["variant"], o["format"]) for o in manifest["outputs"]}
    for document in ("summary", "charter", "appendix-a", "pledge-form"):
        for variant in ("standard", "easy-read"):
            assert {(document, variant, f) for f in ("pdf", "docx", "html")} <= made
    charter = pdf_text(built / "standard" / "charter.pdf")
    assert "Harbour Housing Co-operative" in charter and "Our promises" in charter and "Contact us" in charter
    glossary = pdf_text(built / "standard" / "appendix-a.pdf")
    assert "Appendix A" in glossary
    for built_file in built.rglob("*.html"):
        text = built_file.read_text("utf-8")
        for first_pack in ("West Midlands", "WMSWTP", "0121", "wmswtp"):
            assert first_pack not in text, (built_file, first_pack)


@pytest.mark.slow
def test_packgen_check_passes_on_a_new_pack_at_once(built: Path) -> None:
    result = run_packgen("check", "--no-axe", str(built))
    assert result.returncode == 0, result.stdout + result.stderr


def test_packgen_new_never_writes_into_a_folder_that_holds_files(tmp_path: Path) -> None:
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "notes.md").write_text("our notes", "utf-8")
    result = run_packgen("new", str(folder), "--organisation", "Riverside Trust")
    assert result.returncode == 1
    assert result.stderr.strip() == f"packgen: error: {folder}: this folder already exists and is not empty: " \
                                     "choose a new folder for the pack"
    assert [p.name for p in folder.iterdir()] == ["notes.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ours"]  # nothing half-made beside it


def test_packgen_new_needs_the_organisation_name(tmp_path: Path) -> None:
    result = run_packgen("new", str(tmp_path / "ours"))
    assert result.returncode == 2 and "--organisation" in result.stderr
    assert not (tmp_path / "ours").exists()


def test_a_name_with_a_letter_beyond_the_basic_plane_makes_a_pack_that_builds(tmp_path: Path) -> None:
    folder = tmp_path / "ours"
    assert run_packgen("new", str(folder), "--organisation", "Caerdydd 𝓒ommunity Trust").returncode == 0
    result = run_packgen("build", "--format", "html", "--variant", "standard", "--document", "charter", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "Caerdydd 𝓒ommunity Trust" in (folder / "build" / "standard" / "charter.html").read_text("utf-8")


def test_packgen_new_refuses_a_control_character_in_the_name(tmp_path: Path) -> None:
    result = run_packgen("new", str(tmp_path / "ours"), "--organisation", "Riverside\x01 Trust")
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.endswith("--organisation: the character U+0001 cannot be in a name: type the name again without it")
    assert not (tmp_path / "ours").exists()


@pytest.mark.parametrize("name", ["Côte d'Ivoire Trust", "Riverside Trust (2026)", 'The "Best" $HOME & Co!'])
def test_the_next_step_packgen_new_prints_can_be_typed_as_it_is(tmp_path: Path, name: str) -> None:
    # A comms officer copies `cd ...` from the line packgen prints; a folder name with a space or an
    # apostrophe must come quoted, or the shell goes elsewhere or waits for a closing quote.
    made = run_packgen("new", name, "--organisation", "Riverside Trust", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    step = made.stdout.split("Next: ", 1)[1].split(" and run packgen build")[0]
    went = subprocess.run(["bash", "-c", f"{step} && pwd"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=10, stdin=subprocess.DEVNULL)
    assert went.returncode == 0, went.stderr
    assert Path(went.stdout.strip()) == (tmp_path / name).resolve()
