"""Prepared pictures and compiled templates are kept between builds, and never change what is built.

Comms staff rebuild all day; the per-user cache (packgen.cache) saves preparing every pictogram,
and the pledge form's whole fonts, again. These tests hold it to its promise: a build from the cache
is the same, byte for byte, as one without; a picture edited under the same name is drawn anew; a
damaged entry costs time, not a wrong file.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import zipfile
from pathlib import Path

import jinja2
import pikepdf
import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment
from PIL import Image

from packgen import cache as disk_cache
from packgen import labels, markdown, markdown_cache, template_sandbox, theme
from packgen.errors import SourceError
from packgen.markdown import MarkdownError
from packgen.sources.loader import load_pack
from packgen.templating import Renderer

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
    assert {"pdf-pictures", "docx-pictures", "jinja", "markdown"} <= kinds
    cold, warm, none = (documents(tmp_path / name) for name in ("cold", "warm", "none"))
    assert set(cold) == {"easy-read/charter.pdf", "easy-read/charter.docx", "easy-read/charter.html"}
    assert cold == warm == none
    assert not (tmp_path / "xdg").exists()  # "off" means no cache folder at all


def pledge_form(out: Path, cache: str) -> bytes:
    """The shipped pledge form's PDF, built into `out` with the cache `cache`."""
    result = run_packgen("build", "--sources", str(ROOT / "sources"), "--templates", "sources/templates",
                         "--out", str(out), "--document", "pledge-form", "--variant", "standard",
                         "--format", "pdf", "-q", env={"PACKGEN_CACHE": cache})
    assert result.returncode == 0, result.stderr
    return (out / "standard" / "pledge-form.pdf").read_bytes()


def test_the_pledge_forms_fonts_from_the_cache_are_the_same(tmp_path):
    cache = tmp_path / "cache"
    cold, warm, none = (pledge_form(tmp_path / name, setting)
                        for name, setting in (("cold", str(cache)), ("warm", str(cache)), ("none", "off")))
    assert list((cache / "fonts").iterdir())  # the form's fonts, whole and deflated, were kept
    assert cold == warm == none
    with pikepdf.open(io.BytesIO(warm)) as pdf:  # and a reader finds each whole font program intact
        programs = [font.DescendantFonts[0].FontDescriptor.FontFile2
                    for font in pdf.Root.AcroForm.DR.Font.values()
                    if font.Subtype == pikepdf.Name.Type0]  # the text fonts (not the tick boxes' mark)
        assert programs and all(p.Filter == "/FlateDecode" and len(p.read_bytes()) == p.Length1 for p in programs)


def test_the_tick_boxes_font_is_drawn_once_then_taken_from_the_cache(tmp_path):
    cache = tmp_path / "cache"
    first = pledge_form(tmp_path / "first", str(cache))
    with pikepdf.open(io.BytesIO(first)) as pdf:  # the font a viewer redraws a ticked box with
        tick = pdf.Root.AcroForm.DR.Font.ZaDb.FontDescriptor.FontFile2.read_bytes()
    kept = {entry: (entry.stat().st_mtime_ns, entry.read_bytes()) for entry in (cache / "fonts").iterdir()}
    assert tick in [data[32:] for _, data in kept.values()]

    assert pledge_form(tmp_path / "second", str(cache)) == first
    assert {entry: (entry.stat().st_mtime_ns, entry.read_bytes()) for entry in (cache / "fonts").iterdir()} == kept


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


# --- parsed Markdown: a rebuild after one edit parses only the edited text --------------------------------

SIGN = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 72 72"><circle cx="36" cy="36" r="30"/></svg>'


@pytest.fixture
def own_folder(tmp_path, monkeypatch) -> Path:
    """This test's own cache folder, for packgen called in this process."""
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setattr(disk_cache, "folder", lambda: folder)
    return folder


def parse_with_pictures(text: str, pictures: Path, where: str = "charter.md", first_line: int = 1):
    return markdown_cache.parse(text, pictures, where, first_line)


def test_a_text_parsed_before_is_taken_from_the_cache(own_folder, tmp_path, monkeypatch):
    text = "## Working together\n\nWe plan **together**.\n\n- ![A handshake](handshake) We pay promptly.\n"
    first = parse_with_pictures(text, tmp_path)
    monkeypatch.setattr(markdown, "parser", lambda: pytest.fail("the same text was parsed again"))
    assert parse_with_pictures(text, tmp_path, "elsewhere.md", 40) == first
    with pytest.raises(pytest.fail.Exception):  # while a new text is parsed
        parse_with_pictures(text + "\nOne more line.\n", tmp_path)


def test_a_kept_text_whose_picture_changed_or_went_is_parsed_again(own_folder, tmp_path):
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    (pictures / "our-sign.svg").write_text(SIGN, "utf-8")
    text = "## Our sign\n\n![Our sign, a circle](our-sign.svg)\n"
    (figure,) = parse_with_pictures(text, pictures)[1:]
    assert figure.picture.path == (pictures / "our-sign.svg").resolve()
    assert len(list((own_folder / "markdown").iterdir())) == 1  # kept

    (pictures / "our-sign.svg").write_text("this is not a picture", "utf-8")  # saved over by mistake
    with pytest.raises(MarkdownError, match="'our-sign.svg' cannot be used: it is not valid SVG") as caught:
        parse_with_pictures(text, pictures, "charter.md", 20)
    assert caught.value.line == 22
    (pictures / "our-sign.svg").unlink()
    with pytest.raises(MarkdownError, match="'our-sign.svg' was not found"):
        parse_with_pictures(text, pictures)


def test_a_text_with_a_mistake_is_never_kept(own_folder, tmp_path):
    text = "## Signs\n\n![](handshake)\n"  # no alt text
    for _ in range(2):
        with pytest.raises(MarkdownError, match="no alt text"):
            parse_with_pictures(text, tmp_path)
    assert not [p for p in own_folder.rglob("*") if p.is_file()]


def test_the_cache_keeps_the_newest_entries_of_each_kind(own_folder, monkeypatch):
    monkeypatch.setattr(disk_cache, "MAX_ENTRIES", 3)
    names = [f"{n:x}" * 64 for n in range(1, 6)]
    for age, name in enumerate(names):
        disk_cache.write("markdown", name[:64], b"parsed")
        os.utime(own_folder / "markdown" / name[:64], ns=(age * 10**9, age * 10**9))
    assert len(list((own_folder / "markdown").iterdir())) == 5
    disk_cache.write("markdown", "00" + "f" * 62, b"parsed")  # about one write in 256 tidies the kind up
    kept = sorted(p.name for p in (own_folder / "markdown").iterdir())
    assert kept == sorted(["00" + "f" * 62, names[4][:64], names[3][:64]])
    assert disk_cache.read("markdown", "00" + "f" * 62) == b"parsed"


# --- where the theme's fonts are installed ----------------------------------------------------------------


def test_the_fonts_found_are_kept_until_packages_are_installed_or_removed(own_folder, monkeypatch):
    import fontpkg

    monkeypatch.setattr(theme, "_installed_packages", lambda: [("/site-packages", 1)])
    theme._font_files.cache_clear()
    found = theme._font_files("Atkinson Hyperlegible", "atkinson-hyperlegible")
    assert found.regular.name == "AtkinsonHyperlegible-Regular.ttf" and found.bold_italic.is_file()

    def not_installed(*_args, **_kwargs):
        raise fontpkg.FamilyNotInstalled("atkinson-hyperlegible")

    monkeypatch.setattr(fontpkg, "path", not_installed)
    theme._font_files.cache_clear()  # a new process: the same packages, so fontpkg is not asked
    assert theme._font_files("Atkinson Hyperlegible", "atkinson-hyperlegible") == found

    monkeypatch.setattr(theme, "_installed_packages", lambda: [("/site-packages", 2)])  # pip uninstall ...
    theme._font_files.cache_clear()
    with pytest.raises(SourceError, match="the font 'Atkinson Hyperlegible' is not installed"):
        theme._font_files("Atkinson Hyperlegible", "atkinson-hyperlegible")
    theme._font_files.cache_clear()


def test_a_library_is_named_by_its_files_without_importing_it(tmp_path, monkeypatch):
    # Entries made with a library's help (a pictogram by svglib, a thumbnail by pdfium) are named by
    # the library's own files, read without importing it; a release without the file named (laid
    # out otherwise) is named by its folder's files and sizes, so an upgrade still misses, never crashes.
    library = tmp_path / "fakelib"
    library.mkdir()
    (library / "__init__.py").write_text("raise ImportError('importing me is what the cache saves')\n")
    (library / "core.py").write_text("VERSION = '1.0'\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    assert disk_cache.package_code("fakelib", "core.py") == hashlib.sha256(b"VERSION = '1.0'\n").digest()
    laid_out_otherwise = disk_cache.package_code("fakelib", "version.json")
    (library / "core.py").write_text("VERSION = '1.10'\n")  # the next release
    assert disk_cache.package_code("fakelib", "version.json") != laid_out_otherwise
    assert "fakelib" not in sys.modules
    with pytest.raises(ModuleNotFoundError):
        disk_cache.package_code("no_such_library")


# --- pictures prepared while the parent composes ----------------------------------------------------------




def test_an_ebooks_stylesheet_from_the_cache_is_the_same(mini_pack, tmp_path):
    sources, templates = mini_pack
    cache = tmp_path / "cache"
    for name, setting in (("cold", str(cache)), ("warm", str(cache)), ("none", "off")):
        build(sources, templates, tmp_path / name, setting, "--format", "epub")
    assert list((cache / "epub-stylesheets").iterdir())  # the sheet without its @page rules was kept
    books = [(tmp_path / name / "easy-read" / "charter.epub").read_bytes() for name in ("cold", "warm", "none")]
    assert books[0] == books[1] == books[2]
    with zipfile.ZipFile(io.BytesIO(books[1])) as book:
        sheet = book.read("EPUB/charter.css").decode("utf-8")
    assert "@page" not in sheet and "@media" in sheet  # what a reading system gets, from the cache


def test_a_label_with_template_syntax_is_compiled_once_then_taken_from_the_cache(own_folder, monkeypatch):
    def environment() -> ImmutableSandboxedEnvironment:  # a new build's
        return ImmutableSandboxedEnvironment(bytecode_cache=disk_cache.jinja_bytecode("labels", Path(labels.__file__)))

    words = "Page {{ page }} of {{ pages }}"
    assert labels.compiled(environment(), words).render(page=1, pages=2) == "Page 1 of 2"
    monkeypatch.setattr(jinja2.Environment, "compile", lambda *_a, **_k: pytest.fail("the label was compiled again"))
    assert labels.compiled(environment(), words).render(page=3, pages=4) == "Page 3 of 4"


def test_document_templates_are_compiled_anew_when_the_sandboxs_code_generator_changes(own_folder, mini_pack,
                                                                                       tmp_path, monkeypatch):
    # The sandbox's code generator writes the bounds into each compiled template: a template compiled
    # before it changed would run without the new ones.
    sources, templates = mini_pack
    pack = load_pack(sources)
    Renderer(pack, templates).render("charter", "standard")
    changed = tmp_path / "template_sandbox.py"
    changed.write_bytes(Path(template_sandbox.__file__).read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(template_sandbox, "__file__", str(changed))
    real_compile, compiled = jinja2.Environment.compile, []

    def compile_noted(self: jinja2.Environment, *args: object, **kwargs: object) -> object:
        compiled.append(args)
        return real_compile(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_noted)
    Renderer(pack, templates).render("charter", "standard")
    assert compiled, "the templates were taken from the cache compiled by the sandbox before it changed"
