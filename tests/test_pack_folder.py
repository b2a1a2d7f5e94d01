"""A comms officer runs packgen inside their own pack's folder: it finds the pack, and never another."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import run_packgen


def test_build_inside_a_pack_folder_needs_no_options(mini_pack, tmp_path: Path) -> None:
    sources, templates = mini_pack
    folder = tmp_path / "our charter"
    shutil.move(str(sources), folder)
    shutil.move(str(templates), folder / "templates")  # the pack's own templates, inside its folder
    result = run_packgen("build", "--format", "html", "-q", cwd=folder)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((folder / "build" / "manifest.json").read_text("utf-8"))
    assert manifest["pack"]["title"] == "Community Charter"


def test_pack_names_a_folder_whose_templates_are_beside_it(mini_pack, tmp_path: Path) -> None:
    sources, _ = mini_pack  # tmp_path/sources and tmp_path/templates, as in this repository
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_packgen("build", "--pack", str(sources), "--format", "docx", "--document", "charter", "-q",
                         cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "build" / "standard" / "charter.docx").is_file()


def test_forms_and_register_in_a_folder_without_a_pack_say_so(tmp_path: Path) -> None:
    (tmp_path / "members.csv").write_text("organisation,email\nA Trust,a@example.org\n", "utf-8")
    (tmp_path / "returned").mkdir()
    for args in (("forms", "--organisations", "members.csv"), ("register", "returned")):
        result = run_packgen(*args, cwd=tmp_path)
        assert result.returncode == 1
        assert result.stderr.strip().splitlines() == [
            f"packgen: error: {tmp_path}: no pack here: there is no pack.yaml in this folder or in sources/ (run "
            "packgen in your pack's folder, or name it with --pack FOLDER)"]
        assert not (tmp_path / "forms").exists() and not (tmp_path / "register.csv").exists()
