"""A braille reader asks for the charter in braille: each standard document is a Braille-ready file
(BRF) in Unified English Braille grade 2, 40 cells by 25 lines, that their embosser or braille display
reads, with the same words as the print, in the same order, and the download page, the zip and the
manifest offer it."""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from packgen.compose import compose
from packgen.model import Heading, Paragraph, walk
from packgen.sources.loader import load_pack
from packgen.templating import Renderer

from conftest import ROOT, SHIPPED_DOCUMENTS, make_pack, own_labels, require, run_packgen

TABLES = "en-us-brf.dis,en-ueb-g2.ctb"
FORM_FEED = "\f"
# What liblouis's back-translation gives for a word it cannot tell from another (print, back-translated):
# UEB writes "us;" as the wordsign for "us" then the semicolon (U2), which liblouis reads back as "u;".
LOSSY = {("us", "u")}


def brf_pages(path: Path) -> list[list[str]]:
    """Each page's lines, as an embosser reads the file: pages end with a form feed, lines with CR LF."""
    text = path.read_bytes().decode("ascii")
    assert text.endswith(FORM_FEED)
    return [page.split("\r\n")[:-1] for page in text.split(FORM_FEED)[:-1]]


def back_translate(lines: list[str], tables: str = TABLES, direction: str = "--backward") -> list[str]:
    """The lines as a braille display's speech would give them back in print (liblouis, backwards; its
    program reads a backslash, BRF's "ou" cell, as the start of an escape unless doubled)."""
    escaped = "".join(line.replace("\\", "\\\\") + "\n" for line in lines)
    result = subprocess.run([require("lou_translate"), direction, tables], input=escaped,
                            capture_output=True, text=True, check=True)
    return result.stdout.split("\n")[:len(lines)]


def in_braille(text: str, tables: str = TABLES) -> str:
    """Print words as liblouis's program writes them in BRF's cells."""
    return back_translate([text], tables, "--forward")[0]


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())  # letters (é too) and digits


def print_words(doc_id: str) -> list[str]:
    """The standard document's headings, paragraphs and list items, in reading order, as the model has them."""
    pack = load_pack(ROOT / "sources")
    document = compose(pack, Renderer(pack, ROOT / "sources" / "templates"), doc_id, "standard").in_format("brf")
    return [block.text for block in walk(document.blocks) if isinstance(block, Heading | Paragraph)]


@pytest.fixture(scope="module")
def brf_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped pack's Braille-ready files, built as `make` builds them."""
    out = tmp_path_factory.mktemp("brf") / "build"
    result = run_packgen("build", "--out", str(out), "--format", "brf", "--quiet")
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("doc_id", SHIPPED_DOCUMENTS)
def test_the_braille_reads_back_as_the_documents_words_in_order(brf_build: Path, doc_id: str) -> None:
    pages = brf_pages(brf_build / "standard" / f"{doc_id}.brf")
    text = [line for number, page in enumerate(pages) for line in page[1 if number else 0:-1]]  # no running head
    read = words(" ".join(back_translate([line for line in text if line.strip()])))
    printed = words(" ".join(print_words(doc_id)))
    assert len(printed) > 200
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, printed, read, autojunk=False).get_opcodes():
        if op == "replace":
            assert all(pair in LOSSY for pair in zip(printed[i1:i2], read[j1:j2], strict=True)), (
                printed[i1:i2], read[j1:j2])
        else:
            assert op in ("equal", "insert"), f"{printed[i1:i2]} is not in the braille where the print has it"


@pytest.mark.parametrize("doc_id", SHIPPED_DOCUMENTS)
def test_every_page_fits_40_cells_by_25_lines_and_is_numbered(brf_build: Path, doc_id: str) -> None:
    pages = brf_pages(brf_build / "standard" / f"{doc_id}.brf")
    assert len(pages) > 1
    numbers = back_translate([page[-1].strip() for page in pages])
    for number, (page, spoken) in enumerate(zip(pages, numbers, strict=True), start=1):
        assert len(page) <= 25
        assert all(len(line) <= 40 for line in page), [line for line in page if len(line) > 40]
        assert page[-1].endswith(page[-1].strip()) and len(page[-1]) == 40  # at the foot, on the right
        assert spoken == str(number)
        assert page[0].strip(), "a page starts with a blank line"


def test_a_transcribers_note_comes_first(brf_build: Path) -> None:
    first = brf_pages(brf_build / "standard" / "charter.brf")[0]
    assert first[0].startswith("@.<")  # UEB's opening transcriber's note indicator
    note = " ".join(back_translate(first[:first.index("")]))
    assert note.startswith("Transcriber\u2019s note:")
    assert "Unified English Braille" in note and "40 cells by 25 lines" in note


def test_headings_are_centred_and_lists_keep_their_labels(brf_build: Path) -> None:
    lines = [line for page in brf_pages(brf_build / "standard" / "charter.brf") for line in page[:-1]]
    spoken = back_translate(lines)
    title = next(i for i, line in enumerate(spoken) if "Introduction" in line)
    heading = lines[title]
    assert lines[title - 1] == ""  # a blank line before it
    assert abs((len(heading) - len(heading.lstrip())) - (40 - len(heading))) <= 1  # as many blank cells each side
    assert any(line.startswith("_4 ") for line in lines)  # a bullet (dots 456-256) at cell 1
    assert any(line.startswith("#A4 ") for line in lines)  # "1." at cell 1


def test_only_the_standard_variant_has_braille(brf_build: Path) -> None:
    assert sorted(p.name for p in (brf_build / "standard").glob("*.brf")) == sorted(
        f"{d}.brf" for d in SHIPPED_DOCUMENTS)
    assert not list(brf_build.glob("easy-read/*.brf"))  # easy read is the pictures beside the words


def test_the_braille_is_the_same_bytes_every_build(brf_build: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    result = run_packgen("build", "--out", str(again), "--format", "brf", "--quiet", "--force")
    assert result.returncode == 0, result.stderr
    for path in (brf_build / "standard").glob("*.brf"):
        assert (again / "standard" / path.name).read_bytes() == path.read_bytes()


def test_the_download_page_zip_and_manifest_offer_it(built_pack: Path) -> None:
    page = (built_pack / "index.html").read_text("utf-8")
    manifest = json.loads((built_pack / "manifest.json").read_text("utf-8"))["outputs"]
    brfs = {o["path"]: o for o in manifest if o["format"] == "brf"}
    assert sorted(brfs) == sorted(f"standard/{d}.brf" for d in SHIPPED_DOCUMENTS)
    zipped = zipfile.ZipFile(next(built_pack.glob("*-pack.zip"))).namelist()
    for path, output in brfs.items():
        assert output["bytes"] == (built_pack / path).stat().st_size and output["pages"] > 1
        assert path in zipped
        assert re.search(rf'<a href="{re.escape(path)}">Braille-ready file \(BRF\), \d+ KB, {output["pages"]} pages',
                         page)


def test_a_pack_in_a_language_with_no_braille_table_is_built_without_it_and_says_so(tmp_path: Path) -> None:
    sources, templates = make_pack(tmp_path)
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").replace("language: en-GB", "language: tlh"), "utf-8")
    own_labels(sources, "tlh")  # Klingon: liblouis has no braille code for it
    out = tmp_path / "build"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "brf,html")
    assert result.returncode == 0, result.stderr
    assert "no brf files for the documents in tlh" in result.stdout + result.stderr
    assert (out / "standard" / "charter.html").exists() and not list(out.rglob("*.brf"))


@pytest.mark.parametrize("doc_id", SHIPPED_DOCUMENTS)
def test_every_page_after_the_first_is_headed_by_the_documents_title(brf_build: Path, doc_id: str) -> None:
    """A reader who picks up a loose page knows which document it is: the top line of every page after
    the first is the title, centred, shortened at a word to leave three blank cells each side."""
    pages = brf_pages(brf_build / "standard" / f"{doc_id}.brf")
    pack = load_pack(ROOT / "sources")
    title = words(compose(pack, Renderer(pack, ROOT / "sources" / "templates"), doc_id, "standard").metadata.title)
    assert len(pages) > 1 and not back_translate([pages[0][0]])[0].strip().startswith(title[0].title())
    for page in pages[1:]:
        head = page[0]
        left = len(head) - len(head.lstrip())
        assert left >= 3 and 40 - len(head) >= 3 and abs(left - (40 - len(head))) <= 1, head
        spoken = words(back_translate([head])[0])
        assert spoken and spoken == title[:len(spoken)], (spoken, title)


# A charter whose print has bold and italic words, and a small table with its headers.
EMPHASIS_CHARTER = """\
---
title: Charter
---
## About this charter {#about easy-read=omit}

We **always** listen, and we *never* share your name.

| Meeting | Day | Place |
| --- | --- | --- |
| Planning group | Monday | Town hall |
| Advisory group | Thursday | Library |
"""


@pytest.fixture(scope="module")
def emphasis_brf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("emphasis")
    sources, templates = make_pack(root)
    (sources / "charter.md").write_text(EMPHASIS_CHARTER, "utf-8")
    out = root / "build"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "brf", "--quiet")
    assert result.returncode == 0, result.stderr
    return out / "standard" / "charter.brf"


def test_bold_and_italic_words_carry_ueb_emphasis_indicators(emphasis_brf: Path) -> None:
    """The reader feels what the print stresses: UEB's bold word indicator (dots 45-2, BRF "^1") before
    the bold word and its italic word indicator (dots 46-2, ".1") before the italic one, and only there."""
    text = " ".join(line for page in brf_pages(emphasis_brf) for line in page)
    assert f"^1{in_braille('always')}" in text
    assert f".1{in_braille('never')}" in text
    assert text.count("^1") == 1 and text.count(".1") == 1, text


def test_a_table_reads_row_by_row_with_each_columns_header_before_its_words(emphasis_brf: Path) -> None:
    lines = [line for page in brf_pages(emphasis_brf) for line in page[:-1]]
    read = words(" ".join(back_translate([line for line in lines if line.strip()])))
    for row in ("Meeting: Planning group; Day: Monday; Place: Town hall",
                "Meeting: Advisory group; Day: Thursday; Place: Library"):
        expected = words(row)
        assert any(read[i:i + len(expected)] == expected for i in range(len(read))), (row, read)


def test_a_french_pack_gets_french_braille(tmp_path: Path) -> None:
    """The Vieux-Port co-operative's charter, in French, is in French braille (liblouis's fr-bfu-g2,
    abrégé): it reads back through the French table as the charter's words in order."""
    folder = tmp_path / "port"
    shutil.copytree(ROOT / "tests" / "packs" / "port", folder)
    shutil.copytree(ROOT / "tests" / "brand" / "fonts", folder / "fonts")
    result = run_packgen("build", "--document", "charte", "--format", "brf", "--quiet", cwd=folder)
    assert result.returncode == 0, result.stderr
    pages = brf_pages(folder / "build" / "standard" / "charte.brf")
    french = "en-us-brf.dis,fr-bfu-g2.ctb"
    read = words(" ".join(back_translate([line for page in pages for line in page[:-1] if line.strip()], french)))
    pack = load_pack(folder)
    document = compose(pack, Renderer(pack, folder / "templates"), "charte", "standard").in_format("brf")
    printed = words(" ".join(block.text for block in walk(document.blocks) if isinstance(block, Heading | Paragraph)))
    assert len(printed) > 50
    matched = difflib.SequenceMatcher(None, printed, read, autojunk=False).get_matching_blocks()
    assert sum(block.size for block in matched) >= 0.97 * len(printed), [
        (printed[i1:i2], read[j1:j2]) for op, i1, i2, j1, j2 in difflib.SequenceMatcher(
            None, printed, read, autojunk=False).get_opcodes() if op != "equal"][:10]
    accented = [word for word in printed if re.search("[àâçéèêëîïôûùüÿœ]", word)]
    assert accented and set(accented) <= set(read)  # é and the rest are French braille's own cells


def pack_in(tmp_path: Path, language: str, words: str) -> tuple[Path, Path]:
    """A small pack in `language` (its labels a copy of packgen's to translate) whose charter says `words`."""
    sources, templates = make_pack(tmp_path)
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").replace("language: en-GB", f"language: {language}"), "utf-8")
    if language != "en-GB":
        own_labels(sources, language)
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace("with the people it serves.\n",
                                                          f"with the people it serves.\n\n{words}\n"), "utf-8")
    return sources, templates


def charter_braille(tmp_path: Path, language: str, words: str) -> list[str]:
    """The lines of the braille charter of a pack in `language` whose charter says `words`."""
    sources, templates = pack_in(tmp_path, language, words)
    out = tmp_path / "build"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "brf", "--quiet")
    assert result.returncode == 0, result.stderr
    return [line.strip() for page in brf_pages(out / "standard" / "charter.brf") for line in page[:-1]]


def test_a_german_pack_gets_german_braille_with_its_bulleted_lists(tmp_path: Path) -> None:
    """A Cologne association's charter, in German, with a bulleted list: its BRF holds only BRF's cells,
    each item is the German braille (de-g2) liblouis's own program writes for it, starting with a dash
    German braille has (it has no bullet), which reads back as the dash."""
    sources, templates = pack_in(tmp_path, "de", "Wir arbeiten:\n\n- mit allen Menschen\n- ohne Stufen")
    out = tmp_path / "build"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "brf")
    assert result.returncode == 0, result.stderr
    lines = [line.strip() for page in brf_pages(out / "standard" / "charter.brf") for line in page[:-1]]
    german = "en-us-brf.dis,de-g2.ctb"
    for item in ("mit allen Menschen", "ohne Stufen"):
        assert in_braille(f"\u2013 {item}", german) in lines, (item, lines)
    assert back_translate([in_braille("\u2013", german)], german) == ["\u2013"]


def test_a_letter_the_braille_code_has_no_cells_for_stops_the_build_at_its_line(tmp_path: Path) -> None:
    """The German braille code has no Greek letters: the build stops with one line naming the source's
    line and the letter, not a Python traceback, and writes no BRF with cells an embosser cannot read."""
    sources, templates = pack_in(tmp_path, "de", "Unser Motto: Η συμμετοχή είναι δικαίωμα.")
    out = tmp_path / "build"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "brf")
    assert result.returncode == 1
    line = next(n for n, text in enumerate((sources / "charter.md").read_text("utf-8").splitlines(), 1)
                if "Motto" in text)
    assert result.stderr.strip().splitlines() == [
        f"packgen: error: {sources / 'charter.md'}:{line}: the braille code de-g2.ctb has no braille for the "
        "character U+0397 (GREEK CAPITAL LETTER ETA): document 'charter', in the text starting 'Η συμμετοχή "
        "είναι δικαίωμα.' (write it with letters the language's braille has, or leave it out)"]
    assert not list(out.rglob("*.brf"))


@pytest.mark.parametrize("language, tables, title, head", [
    ("de", "en-us-brf.dis,de-g2.ctb", "Unser Leitbild für den Stadtteil – Nachbarschaftshilfe",
     "Unser Leitbild für den Stadtteil"),
    ("en-GB", TABLES, "Our charter for the whole of our district – together",
     "Our charter for the whole of our district"),
])
def test_a_title_shortened_for_the_running_head_never_ends_with_the_dash_it_was_cut_at(
        tmp_path: Path, language: str, tables: str, title: str, head: str) -> None:
    """A Cologne association's charter has a long title with a dash in it, too long for the top line:
    the running head is cut before the dash, not after it, so it never ends joined to nothing
    ("...Stadtteil –", braille ",-")."""
    sources, templates = pack_in(tmp_path, language, "\n\n".join(["Wir arbeiten mit allen Menschen im Stadtteil "
                                                                  "zusammen, jeden Tag und in jeder Straße."] * 30))
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace("title: Charter\n", f"title: {title}\n", 1), "utf-8")
    assert len(in_braille(title, tables)) > 34  # more than the top line holds, three blank cells each side
    out = tmp_path / "build"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "brf", "-q")
    assert result.returncode == 0, result.stderr
    pages = brf_pages(out / "standard" / "charter.brf")
    assert len(pages) > 1
    for page in pages[1:]:
        assert page[0].strip() == in_braille(head, tables), (page[0], in_braille(head, tables))


@pytest.mark.parametrize("language, table, words, written, warned", [
    ("fr", "fr-bfu-g2.ctb", "Nos partenaires de Łódź", "Nos partenaires de Lódz",
     [("U+0141 (LATIN CAPITAL LETTER L WITH STROKE)", "the braille has 'L' in its place", "partenaires de Łódź"),
      ("U+017A (LATIN SMALL LETTER Z WITH ACUTE)", "the braille has 'z' in its place", "partenaires de Łódź")]),
    ("cy", "cy-cy-g2.ctb", "Ein partneriaid yn Łódź", "Ein partneriaid yn Lódz",
     [("U+0141 (LATIN CAPITAL LETTER L WITH STROKE)", "the braille has 'L' in its place", "partneriaid yn Łódź"),
      ("U+017A (LATIN SMALL LETTER Z WITH ACUTE)", "the braille has 'z' in its place", "partneriaid yn Łódź")]),
    ("en-GB", "en-ueb-g2.ctb", "Zażółć & Sons meet on Mondays 😀", "Zazółć & Sons meet on Mondays",
     [("U+017C (LATIN SMALL LETTER Z WITH DOT ABOVE)", "the braille has 'z' in its place",
       "Zażółć & Sons meet on Mondays 😀"),
      ("U+1F600 (GRINNING FACE)", "the braille leaves it out", "on Mondays 😀")])],
    ids=["French braille has no Polish Ł or ź", "Welsh braille has no Polish Ł or ź", "UEB has no ż or emoji"])
def test_a_letter_the_braille_code_lacks_is_written_as_its_base_letter_with_a_warning_at_its_line(
        tmp_path: Path, language: str, table: str, words: str, written: str,
        warned: list[tuple[str, str, str]]) -> None:
    """A partner in Łódź, in a French or Welsh charter, and an English one from 'Zażółć & Sons': the
    French code would leave a blank cell for Ł, the Welsh one spell it as its code point (\\X0141) and
    UEB spell ż and an emoji so. The pack still builds; its braille has the letter without its stroke
    or accent, which a braille reader reads as the name spelt plainly, and leaves the emoji out; and the
    comms staff are told, once for each letter, at the line that has it."""
    sources, templates = pack_in(tmp_path, language, f"{words}\n\n{words}")
    out = tmp_path / "build"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "brf", "--quiet")
    assert result.returncode == 0, result.stderr
    line = next(n for n, text in enumerate((sources / "charter.md").read_text("utf-8").splitlines(), 1)
                if words in text)
    assert result.stderr.strip().splitlines() == [
        f"packgen: warning: {sources / 'charter.md'}:{line}: standard/charter.brf: the braille code {table} has no "
        f"braille for the character {char}, so {instead}: document 'charter', in the text starting '{starting}' "
        "(to choose what braille readers read instead, write it with letters the language's braille has)"
        for char, instead, starting in warned]
    lines = [line.strip() for page in brf_pages(out / "standard" / "charter.brf") for line in page[:-1]]
    tables = f"en-us-brf.dis,{table}"
    assert lines.count(in_braille(written, tables)) == 2, (in_braille(written, tables), lines)
    assert in_braille(words, tables) not in lines  # liblouis's own blank cells or code points


def test_an_organisation_whose_name_has_a_letter_ueb_lacks_gets_its_braille_and_a_warning_at_pack_yaml(
        tmp_path: Path) -> None:
    """'Zażółć & Sons', in pack.yaml, printed by the charter's template: UEB has no ż, and the English
    pack builds, its braille spelling the name 'Zazółć', with the warning at the line of pack.yaml
    that names the organisation, where it is to be changed."""
    sources, templates = make_pack(tmp_path)
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").replace("organisation: Riverside Community Trust",
                                                    "organisation: Zażółć & Sons"), "utf-8")
    template = templates / "documents" / "charter.md.j2"
    template.write_text(template.read_text("utf-8").replace("{% for", "Published by {{ pack.organisation }}.\n\n{% for",
                                                            1), "utf-8")
    out = tmp_path / "build"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "brf", "--quiet")
    assert result.returncode == 0, result.stderr
    line = next(n for n, text in enumerate(pack.read_text("utf-8").splitlines(), 1) if "Zażółć" in text)
    (said,) = result.stderr.strip().splitlines()
    assert said.startswith(f"packgen: warning: {pack}:{line}: standard/charter.brf: the braille code en-ueb-g2.ctb "
                           "has no braille for the character U+017C (LATIN SMALL LETTER Z WITH DOT ABOVE), so the "
                           "braille has 'z' in its place"), said
    lines = [line.strip() for page in brf_pages(out / "standard" / "charter.brf") for line in page[:-1]]
    assert in_braille("Published by Zazółć & Sons.") in lines, lines


@pytest.mark.parametrize("language, table", [("cy", "cy-cy-g2.ctb"), ("fr", "fr-bfu-g2.ctb"), ("de", "de-g2.ctb")])
def test_an_accent_typed_as_a_combining_mark_is_brailled_as_the_accented_letter(tmp_path: Path, language: str,
                                                                                 table: str) -> None:
    """Text pasted from some programs writes é as an e and a combining accent. Its braille is that of é,
    as the words look the same: before, Welsh braille spelt the accent's code point, French wrote other
    letters, and German stopped the build on eight-dot cells."""
    lines = charter_braille(tmp_path, language, "Caffi Cafe\u0301 Ga\u0302n")
    assert in_braille("Caffi Café Gân", f"en-us-brf.dis,{table}") in lines, lines


@pytest.mark.parametrize("language, table", [("en-GB", "en-ueb-g2.ctb"), ("fr", "fr-bfu-g2.ctb"), ("de", "de-g2.ctb")])
def test_a_soft_hyphen_or_zero_width_space_leaves_the_word_whole_in_braille(tmp_path: Path, language: str,
                                                                             table: str) -> None:
    """Text pasted from a word processor or web page may hold soft hyphens and zero-width spaces, which
    print does not show. The braille reads the word as printed, whole and contracted as usual: before,
    French and German braille split "cooperation" in two and English wrote it with a hyphen."""
    lines = charter_braille(tmp_path, language, "Our co\u00adopera\u200btion together.")
    assert in_braille("Our cooperation together.", f"en-us-brf.dis,{table}") in lines, lines
