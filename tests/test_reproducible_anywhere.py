"""Reproducible builds wherever the code lives: two checkouts of the same code in two folders, each
with its own virtual environment, build the same sources into byte-identical packs.

Each checkout is a copy of the files git tracks (as they stand in the working tree, so that a
developer tests what they are editing; in CI that is the commit). Each gets a venv of its own, made
without pip: the libraries are hard links to this venv's (a copy where links cannot be made), so that
every library, OpenMoji's pictograms and the fonts included, sits at a different path in each, and a
.pth file puts the checkout's own packgen first. packgen's editable install (a meta-path finder in this
venv) is left out, and each build says which packgen it imported.

The sources are the shipped pack's plus an organisation's own PNG (one with transparency), JPEG and
SVG pictures in easy-read points, each build reading its own copy in its own folder. The first build
starts with an empty per-user cache, writes one file at a time on one core, in one time zone and
with one hash seed; the second finds every prepared picture in that cache, writes on four workers,
in another time zone with another hash seed, from another working folder; a third, in the second
checkout, uses no cache at all.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures" / "pictures"
FIRST_POINT = "- ![A scroll of paper](scroll) This is our **charter** about **co-production**.\n"
OWN_POINTS = ("- ![Our team at the summer event](own-photo.jpg) We meet every summer.\n"
              "- ![Our logo, a blue circle](own-circle.svg) This is our sign.\n"
              "- ![A drawing of our building](own-photo.png) Come and see us.\n"
              "- ![Our badge, a green star](own-badge.png) Look for our badge.\n")
PREPARED = ("pdf-pictures", "docx-pictures")  # per-user cache kinds holding prepared pictures
LEFT_OUT = ("__editable__", "packgen-")  # this venv's install of packgen (editable or not)


def _checkout(where: Path) -> Path:
    """A copy of the files git tracks, at `where`."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode("utf-8").split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is not part of it
            (where / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, where / name)
    return where


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _venv(checkout: Path) -> Path:
    """The checkout's own venv: its packgen, and every library at a path of its own."""
    venv = checkout / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  check=True, capture_output=True, text=True).stdout.strip())
    libraries = {Path(sysconfig.get_paths()[kind]) for kind in ("purelib", "platlib")}
    for library in libraries:
        for entry in library.iterdir():
            if entry.name == "packgen" or entry.name.startswith(LEFT_OUT) or (purelib / entry.name).exists():
                continue
            if entry.is_dir():
                shutil.copytree(entry, purelib / entry.name, symlinks=True, copy_function=_link_or_copy)
            else:
                _link_or_copy(str(entry), str(purelib / entry.name))
    (purelib / "packgen-checkout.pth").write_text(f"{checkout}\n", "utf-8")
    return python


def _own_sources(where: Path) -> tuple[Path, Path]:
    """The shipped sources and templates, with the organisation's own pictures in easy-read points."""
    sources, templates = where / "sources", where / "sources" / "templates"
    shutil.copytree(ROOT / "sources", sources)
    shutil.copytree(FIXTURES, sources / "pictures")
    badge = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    for x in range(64):
        for y in range(abs(32 - x), 64 - abs(32 - x)):
            badge.putpixel((x, y), (20, 140, 60, 255 if y % 8 else 128))
    badge.save(sources / "pictures" / "own-badge.png")
    charter = sources / "charter.md"
    text = charter.read_text("utf-8")
    assert FIRST_POINT in text, "the charter's first easy-read point has changed: update this test"
    charter.write_text(text.replace(FIRST_POINT, FIRST_POINT + OWN_POINTS, 1), "utf-8")
    return sources, templates


def _environment(cache: Path, **settings: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("SOURCE_DATE_EPOCH", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return {**environment, "PACKGEN_CACHE": str(cache), "PYTHONNOUSERSITE": "1", **settings}


def _build(python: Path, checkout: Path, work: Path, out: Path, environment: dict[str, str],
           prefix: tuple[str, ...] = (), jobs: int = 1) -> None:
    """Build the pack with the checkout's own packgen, from a working folder outside the checkout."""
    imported = subprocess.run([str(python), "-c", "import packgen; print(packgen.__file__)"], cwd=work,
                              env=environment, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(imported) == checkout / "packgen" / "__init__.py", f"the build would use {imported}"
    done = subprocess.run([*prefix, str(python), "-m", "packgen", "build", "--sources", "sources",
                           "--templates", "sources/templates", "--out", str(out), "--jobs", str(jobs),
                           "--memory", "1000", "--quiet"],
                          cwd=work, env=environment, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]


def _outputs(out: Path) -> dict[str, bytes]:
    """manifest.json and every file it lists."""
    listed = json.loads((out / "manifest.json").read_bytes())["outputs"]
    return {"manifest.json": (out / "manifest.json").read_bytes(),
            **{o["path"]: (out / o["path"]).read_bytes() for o in listed}}


def _names(out: Path) -> set[str]:
    """Every file a user sees in the output folder (not packgen's own dot-files)."""
    return {p.relative_to(out).as_posix() for p in out.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)}


def _prepared(cache: Path) -> set[str]:
    return {f"{kind}/{p.name}" for kind in PREPARED if (cache / kind).is_dir() for p in (cache / kind).iterdir()}


def _assert_identical(first: Path, second: Path) -> None:
    assert _names(first) == _names(second)
    a, b = _outputs(first), _outputs(second)
    assert a.keys() == b.keys()
    different = sorted(name for name in a if a[name] != b[name])
    assert different == [], f"these files differ between {first} and {second}: {different}"


@pytest.mark.slow
def test_two_checkouts_in_different_folders_build_byte_identical_packs(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    one, two = tmp_path / "one", tmp_path / "elsewhere" / "a much longer folder name" / "two"
    builds = []
    for home in (one, two):
        checkout = _checkout(home / "packgen")
        _own_sources(home / "organisation")
        builds.append((_venv(checkout), checkout, home / "organisation"))

    (python, checkout, work), first = builds[0], one / "out" / "build"
    one_core = ("taskset", "-c", "0") if shutil.which("taskset") else ()
    _build(python, checkout, work, first, _environment(cache, TZ="UTC", PYTHONHASHSEED="1"), one_core, jobs=1)
    prepared = _prepared(cache)
    assert {name.split("/")[0] for name in prepared} == set(PREPARED), "the first build prepared no pictures"

    (python, checkout, work), second = builds[1], two / "out" / "build"
    _build(python, checkout, work, second, _environment(cache, TZ="Pacific/Kiritimati", PYTHONHASHSEED="2"), jobs=4)
    assert _prepared(cache) == prepared, "the second build did not find every prepared picture in the cache"
    _assert_identical(first, second)

    uncached = two / "uncached"
    _build(python, checkout, work, uncached, _environment(Path("off"), TZ="America/St_Johns", PYTHONHASHSEED="3"),
           jobs=2)
    _assert_identical(first, uncached)

    assert {"index.html", "easy-read/charter.pdf", "easy-read/charter.docx", "easy-read/pack.pdf"} <= _names(first)
    with zipfile.ZipFile(first / "easy-read" / "charter.docx") as docx:
        assert any(name.endswith(".jpeg") for name in docx.namelist()), "the own photo is not in the Word file"
    assert b"/Subtype /Image" in (first / "easy-read" / "charter.pdf").read_bytes(), "the own photos are not in the PDF"
