"""Reproducible builds (issue 7, point 5): the same sources give the same bytes, whatever the clock says.

Each build runs in its own process, so nothing is shared in memory: one under libfaketime with the
clock years away (when `faketime` is installed: .ci/run installs it), one in a different time zone
with a different hash seed after a pause. Every byte of every file is compared, the zip included.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, require

BUILD = ("import sys; from pathlib import Path; from packgen.pack.build import BuildOptions, build; "
         "build(BuildOptions(sources=Path(sys.argv[1]), templates=Path(sys.argv[2]), out=Path(sys.argv[3]), "
         "assemble=True))")


def _build(out: Path, prefix: tuple[str, ...] = (), **env: str) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment.update(env)
    done = subprocess.run([*prefix, sys.executable, "-c", BUILD, str(ROOT / "sources"), "sources/templates",
                           str(out)], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _assert_identical(first: Path, second: Path) -> None:
    a, b = _files(first), _files(second)
    assert a.keys() == b.keys()
    different = [name for name in a if a[name] != b[name]]
    assert different == [], f"these files differ between the two builds: {different}"
    assert {"index.html", "wmswtp-pack.zip", "standard/pack.pdf", "easy-read/charter.docx"} <= a.keys()


@pytest.mark.slow
def test_two_builds_years_apart_are_byte_identical(tmp_path: Path) -> None:
    faketime = require("faketime")
    _build(tmp_path / "one", TZ="UTC", PYTHONHASHSEED="1")
    _build(tmp_path / "two", (faketime, "2031-07-04 13:14:15"), TZ="Pacific/Kiritimati", PYTHONHASHSEED="2")
    _assert_identical(tmp_path / "one", tmp_path / "two")


@pytest.mark.slow
def test_two_builds_in_different_time_zones_and_seconds_are_byte_identical(tmp_path: Path) -> None:
    _build(tmp_path / "one", TZ="America/Los_Angeles", PYTHONHASHSEED="3")
    time.sleep(1.1)  # zip times have two-second steps; PDF dates one-second steps
    _build(tmp_path / "two", TZ="Asia/Tokyo", PYTHONHASHSEED="4")
    _assert_identical(tmp_path / "one", tmp_path / "two")


@pytest.mark.slow
def test_assembly_alone_is_byte_identical_under_another_clock(tmp_path: Path) -> None:
    """The combined PDFs, zip, thumbnails and page made again from the same document files, years
    later: identical, whatever the writers do (this isolates packgen/pack/ from the writers)."""
    import shutil
    faketime = require("faketime")
    _build(tmp_path / "one", TZ="UTC", PYTHONHASHSEED="1")
    shutil.copytree(tmp_path / "one", tmp_path / "two")
    assembled = ["index.html", "wmswtp-pack.zip", "standard/pack.pdf", "easy-read/pack.pdf", "thumbnails",
                 "manifest.json"]
    for name in assembled:
        target = tmp_path / "two" / name
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    _build(tmp_path / "two", (faketime, "2031-07-04 13:14:15"), TZ="Pacific/Kiritimati", PYTHONHASHSEED="2")
    _assert_identical(tmp_path / "one", tmp_path / "two")
