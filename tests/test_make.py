"""`make` is the comms editor's one command: it builds, and a second `make` with nothing changed does nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, require


def make(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([require("make"), "-C", str(ROOT), *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "MAKEFLAGS": ""})


def test_make_builds_then_does_nothing_then_rebuilds_after_an_edit(tmp_path):
    out = tmp_path / "build"
    first = make("-j2", f"BUILD={out}")
    assert first.returncode == 0, first.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert {o["format"] for o in manifest["outputs"]} >= {"docx"}
    stamp = (out / "manifest.json").stat().st_mtime_ns

    second = make(f"BUILD={out}")
    assert second.returncode == 0 and "up to date" in second.stdout
    assert "packgen build" not in second.stdout
    assert (out / "manifest.json").stat().st_mtime_ns == stamp

    # an editor saves a template: make runs packgen, which rebuilds only what changed (nothing here)
    shutil.copystat(ROOT / "templates" / "labels.yaml", ROOT / "templates" / "labels.yaml")
    os.utime(ROOT / "templates" / "labels.yaml")
    third = make(f"BUILD={out}")
    assert third.returncode == 0 and "packgen: built 0 file(s)" in third.stdout


def test_make_clean_removes_only_the_build_folder(tmp_path):
    out = tmp_path / "build"
    (out / "standard").mkdir(parents=True)
    (out / "standard" / "x.docx").write_bytes(b"x")
    assert make("clean", f"BUILD={out}").returncode == 0
    assert not out.exists() and (ROOT / ".venv").is_dir() and (ROOT / "sources").is_dir()


def test_makefile_deletes_half_made_targets_on_error():
    assert ".DELETE_ON_ERROR:" in (ROOT / "Makefile").read_text("utf-8")


def test_ci_script_installs_the_clients_and_runs_make_test():
    script = (ROOT / ".ci" / "run").read_text("utf-8")
    for package in ("pandoc", "libreoffice-writer-nogui", "poppler-utils", "qpdf", "chromium"):
        assert package in script
    assert "apt-get update" in script and "make test" in script
    assert os.access(ROOT / ".ci" / "run", os.X_OK)
    assert Path(ROOT / "tests" / "js" / "package-lock.json").is_file()
