"""`make` is the comms editor's one command: it builds, and a second `make` with nothing changed does nothing.

Each test runs `make` in its own copy of the repository (the tracked files, as a fresh clone has
them), so the checkout the tests run from is never built in or edited. The copy's `.venv` links to
the parts of the virtual environment running these tests, with its own `.installed` stamp, so its
`make` finds packgen installed (the packgen that environment runs) and goes straight to
building, as it does after the first `make`.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, missing, require

STAMPS = (".installed", ".bytecode")  # make's own marks in .venv: each copy makes its own


def tracked_files() -> list[str]:
    try:
        listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git cannot list the repository's files here")
    return [name for name in listed.stdout.decode("utf-8").split("\0") if name]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    return copy_of_repository(tmp_path / "packgen")


def copy_of_repository(copy: Path) -> Path:
    """A copy of the repository's tracked files (times kept, as a checkout has them) with a linked .venv."""
    if sys.prefix == sys.base_prefix:
        pytest.skip("these tests run make against the virtual environment running them; this is none")
    for name in tracked_files():
        source = ROOT / name
        if source.is_file():  # a file deleted but not yet committed is not in a clone either
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    venv = copy / ".venv"
    venv.mkdir()
    for entry in Path(sys.prefix).iterdir():
        if entry.name not in STAMPS:
            (venv / entry.name).symlink_to(entry)
    (venv / ".installed").touch()  # newer than the copy's pyproject.toml: installed, as after a first make
    return copy


def make(checkout: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([require("make"), "-C", str(checkout), *args], capture_output=True, text=True,
                          timeout=600, env={**os.environ, "MAKEFLAGS": ""})


def test_make_builds_then_does_nothing_then_rebuilds_after_an_edit(checkout: Path):
    out = checkout / "build"
    first = make(checkout, "-j2")
    assert first.returncode == 0, first.stderr
    assert "pip install" not in first.stdout  # the environment was taken as installed
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert {o["format"] for o in manifest["outputs"]} >= {"docx"}
    stamp = (out / "manifest.json").stat().st_mtime_ns

    second = make(checkout)
    assert second.returncode == 0 and "up to date" in second.stdout
    assert "packgen build" not in second.stdout
    assert (out / "manifest.json").stat().st_mtime_ns == stamp

    # an editor saves a template: make runs packgen, which rebuilds only what changed (nothing here)
    os.utime(checkout / "sources" / "templates" / "documents" / "charter.md.j2")
    third = make(checkout)
    assert third.returncode == 0 and "packgen: built 0 file(s)" in third.stdout


def test_make_clean_removes_only_the_build_folder(checkout: Path):
    out = checkout / "build"
    (out / "standard").mkdir(parents=True)
    (out / "standard" / "x.docx").write_bytes(b"x")
    assert make(checkout, "clean").returncode == 0
    assert not out.exists() and (checkout / ".venv").is_dir() and (checkout / "sources").is_dir()


def test_make_check_finds_the_validators_in_a_folder_whose_name_has_spaces(tmp_path: Path):
    """Many a folder's name has spaces ("OneDrive - Riverside Trust"), and make splits paths at them: before,
    `make check` there handed packgen check no veraPDF and no Ace, so the PDFs and e-books were checked by
    packgen's own rules alone, and `make test` would have put Maven's downloads in a folder named "OneDrive"."""
    checkout = copy_of_repository(tmp_path / "OneDrive - Riverside Trust" / "packgen")
    for fetched in ("tests/validators/lib", "tests/js/node_modules"):  # what `make test` fetched, as here
        (checkout / fetched).symlink_to(require_folder(ROOT / fetched))
    check = make(checkout, "-n", "check")
    assert check.returncode == 0, check.stderr
    for name in ("PACKGEN_VERAPDF", "PACKGEN_ACE"):
        given = re.search(rf'{name}="\$\{{{name}:-([^}}"]*)\}}"', check.stdout)
        assert given and given.group(1) and (checkout / given.group(1)).exists(), check.stdout
    fetch = make(checkout, "-n", "-B", "tests/validators/lib/.installed")
    line = next(line for line in fetch.stdout.splitlines() if "maven.repo.local" in line)
    words = shlex.split(line.split("<")[0])  # the arguments, as the shell gives them to mvn
    assert f"-Dmaven.repo.local={checkout}/tests/validators/m2" in words, fetch.stdout


def require_folder(folder: Path) -> Path:
    if not folder.is_dir():
        missing(f"{folder} is not here: `make test` fetches it")
    return folder


def test_makefile_deletes_half_made_targets_on_error():
    assert ".DELETE_ON_ERROR:" in (ROOT / "Makefile").read_text("utf-8")


def test_ci_script_installs_the_clients_and_runs_make_test():
    script = (ROOT / ".ci" / "run").read_text("utf-8")
    for package in ("pandoc", "libreoffice-writer-nogui", "poppler-utils", "qpdf", "chromium"):
        assert package in script
    assert "apt-get update" in script and "make test" in script
    assert os.access(ROOT / ".ci" / "run", os.X_OK)
    assert Path(ROOT / "tests" / "js" / "package-lock.json").is_file()
