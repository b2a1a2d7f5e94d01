"""Prepared pictures and compiled templates are kept between builds, and never change what is built.

Comms staff rebuild all day; the per-user cache (packgen.cache) saves preparing every pictogram,
and the pledge form's whole fonts, again. These tests hold it to its promise: a build from the cache
is the same, byte for byte, as one without; a picture edited under the same name is drawn anew; a
damaged entry costs time, not a wrong file.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pikepdf
from PIL import Image

from conftest import ROOT, run_packgen

SUN = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 72 72" width="72" height="72">'
       '<circle cx="36" cy="36" r="30" fill="{colour}"/></svg>')
PICTURE_POINT = "- ![Our sign, a circle](our-sign.svg) This is our sign.\n"


def build(sources: Path, templates: Path, out: Path, cache: str, *extra: str) -> None:
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--variant", "easy-read", "-q", *extra,
                         env={"PACKGEN_CACHE": cache, "XDG_CACHE_HOME": str(out.parent / "xdg")})
    assert result.returncode == 0, result.stderr


def documents(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
            if p.is_file() and p.suffix in (".pdf", ".docx", ".html")}


def with_own_picture(mini_pack: tuple[Path, Path], colour: str) -> tuple[Path, Path]:
    sources, templates = mini_pack
    (sources / "pictures").mkdir(exist_ok=True)
    (sources / "pictures" / "our-sign.svg").write_text(SUN.format(colour=colour), "utf-8")
    charter = sources / "charter.md"
    text = charter.read_text("utf-8")
    if PICTURE_POINT not in text:
        charter.write_text(text.replace(":::\n", PICTURE_POINT + ":::\n", 1), "utf-8")
    return sources, templates


def test_a_build_from_the_cache_is_the_same_as_one_without(mini_pack, tmp_path):
    sources, templates = with_own_picture(mini_pack, "#f4c20d")
    cache = tmp_path / "cache"
    build(sources, templates, tmp_path / "cold", str(cache))  # fills the cache
    build(sources, templates, tmp_path / "warm", str(cache))  # takes from it
    build(sources, templates, tmp_path / "none", "off")

    kinds = {p.name for p in cache.iterdir()}
    assert {"pdf-pictures", "docx-pictures", "jinja"} <= kinds
    cold, warm, none = (documents(tmp_path / name) for name in ("cold", "warm", "none"))
    assert set(cold) == {"easy-read/charter.pdf", "easy-read/charter.docx", "easy-read/charter.html"}
    assert cold == warm == none
    assert not (tmp_path / "xdg").exists()  # "off" means no cache folder at all


def test_the_pledge_forms_fonts_from_the_cache_are_the_same(tmp_path):
    def pledge_form(name: str, cache: str) -> bytes:
        out = tmp_path / name
        result = run_packgen("build", "--sources", str(ROOT / "sources"), "--templates", str(ROOT / "templates"),
                             "--out", str(out), "--document", "pledge-form", "--variant", "standard",
                             "--format", "pdf", "-q", env={"PACKGEN_CACHE": cache})
        assert result.returncode == 0, result.stderr
        return (out / "standard" / "pledge-form.pdf").read_bytes()

    cache = tmp_path / "cache"
    cold, warm, none = pledge_form("cold", str(cache)), pledge_form("warm", str(cache)), pledge_form("none", "off")
    assert list((cache / "fonts").iterdir())  # the form's fonts, whole and deflated, were kept
    assert cold == warm == none
    with pikepdf.open(io.BytesIO(warm)) as pdf:  # and a reader finds each whole font program intact
        programs = [font.DescendantFonts[0].FontDescriptor.FontFile2
                    for font in pdf.Root.AcroForm.DR.Font.values()]
        assert programs and all(p.Filter == "/FlateDecode" and len(p.read_bytes()) == p.Length1 for p in programs)


def test_a_picture_changed_under_the_same_name_is_drawn_anew(mini_pack, tmp_path):
    cache = str(tmp_path / "cache")
    sources, templates = with_own_picture(mini_pack, "#ffff00")  # yellow
    build(sources, templates, tmp_path / "build", cache)
    with_own_picture(mini_pack, "#0000ff")  # the editor saves a blue one over it
    build(sources, templates, tmp_path / "build", cache)

    out = tmp_path / "build" / "easy-read"
    with pikepdf.open(out / "charter.pdf") as pdf:
        drawn = b"".join(xobject.read_bytes() for page in pdf.pages
                         for xobject in page.Resources.get("/XObject", {}).values())
    assert b"0 0 1 rg" in drawn and b"1 1 0 rg" not in drawn

    with zipfile.ZipFile(out / "charter.docx") as docx:
        pngs = [Image.open(io.BytesIO(docx.read(n))).convert("RGB") for n in docx.namelist()
                if n.startswith("word/media/")]
    centres = {png.getpixel((png.width // 2, png.height // 2)) for png in pngs}
    assert (0, 0, 255) in centres and (255, 255, 0) not in centres


def test_a_damaged_cache_entry_is_made_again(mini_pack, tmp_path):
    sources, templates = with_own_picture(mini_pack, "#f4c20d")
    cache = tmp_path / "cache"
    build(sources, templates, tmp_path / "first", str(cache))
    entries = [p for p in cache.rglob("*") if p.is_file() and "jinja" not in p.parts]
    assert entries
    for entry in entries:  # a disk error, or someone's editor: half of each entry, then rubbish
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2] + b"not what was cached")

    build(sources, templates, tmp_path / "second", str(cache))
    assert documents(tmp_path / "second") == documents(tmp_path / "first")
    for entry in entries:  # and each entry is whole again: its checksum matches what follows it
        data = entry.read_bytes()
        assert hashlib.sha256(data[32:]).digest() == data[:32]
