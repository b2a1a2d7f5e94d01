"""`packgen import`: a comms officer starts from the Word document they were sent.

The Word files are made here, as the officer's colleagues make them: by pandoc, by LibreOffice and by
python-docx, and by packgen itself (the pack's own standard .docx). What the import wrote is read
as the officer reads it (the Markdown file) and as readers get it (built again, read by pandoc).
"""

from __future__ import annotations

import base64
import errno
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from PIL import Image

from clients_docx import soffice_pdf
from conftest import ROOT, make_pack, require, run_packgen

pytestmark = pytest.mark.slow


def pack_copy(tmp_path: Path) -> Path:
    """The shipped pack's sources, copied so a test may add to them."""
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    return sources


def pandoc_plain(path: Path) -> list[str]:
    """A Word file's text as pandoc reads it: headings, paragraphs, list markers and table rows."""
    out = subprocess.run([require("pandoc"), "-t", "plain", "--columns=1000", str(path)], capture_output=True,
                         text=True, check=True, timeout=120)
    return out.stdout.split("\n")


def pandoc_headings(path: Path, level: int) -> list[str]:
    out = subprocess.run([require("pandoc"), "-t", "json", str(path)], capture_output=True, text=True,
                         check=True, timeout=120)
    return [_words(block["c"][2]) for block in json.loads(out.stdout)["blocks"]
            if block["t"] == "Header" and block["c"][0] == level]


def _words(inlines: list) -> str:
    return "".join(" " if i["t"] in ("Space", "SoftBreak") else i["c"] if i["t"] == "Str" else _words(i["c"][-1])
                   if i["t"] in ("Strong", "Emph") else "" for i in inlines)


# Each document's text holds these (pandoc's plain text): bulleted and numbered items, table rules; and
# its sections' ids in the sources (the charter's template adds two shared sections, and shows its four
# model parts a level down, inside "model").
CHARTER_IDS = ["introduction", "background", "values-and-principles", "foundation", "outcomes", "model",
               "commitments", "signing", "appendices"]
APPENDIX_B_IDS = ["using", "collaborative", "supportive", "responsive", "reflective", "actions"]


@pytest.mark.parametrize("document, kind, holds, ids", [("charter", "main", ("-   ", "1.  "), CHARTER_IDS),
                                                        ("appendix-b", "appendix", ("1.  ", "-----"), APPENDIX_B_IDS)])
def test_the_packs_own_word_file_imported_and_built_again_reads_the_same(built_pack, tmp_path, document, kind,
                                                                         holds, ids):
    original = built_pack / "standard" / f"{document}.docx"
    sources = pack_copy(tmp_path)
    result = run_packgen("import", str(original), "--document", "imported", "--add", "--kind", kind,
                         "--pack", str(sources))
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    built = run_packgen("build", "--sources", str(sources), "--out", str(out), "--document", "imported",
                        "--variant", "standard", "--format", "docx", "--quiet")
    assert built.returncode == 0, built.stderr

    # The sections: from the first section's heading to the other-formats ending the template adds.
    headings = pandoc_headings(original, 2)
    before = pandoc_plain(original)
    start, end = before.index(headings[0]), len(before) - before[::-1].index(headings[-1]) - 1
    after = pandoc_plain(out / "standard" / "imported.docx")
    again = after.index(headings[0])
    assert after[again:again + end - start] == before[start:end]
    for mark in holds:
        assert any(line.lstrip().startswith(mark) for line in before[start:end]), mark

    # The sections come back with the ids they have in the sources; the title block and the ending
    # the templates add are left out (the build adds them again), and the officer is told so.
    imported = (sources / "imported.md").read_text("utf-8")
    assert re.findall(r"^## .*? \{#([\w-]+) status=draft\}$", imported, re.MULTILINE) == ids
    assert imported.split("\n---\n", 1)[1].lstrip().startswith("## ")  # no opening section before the first
    assert "Other formats" not in imported and "If you need this document in another format" not in imported
    assert "left out what packgen's templates add to the Word file (the build adds it again): the title block, " \
        "'Other formats'" in result.stdout


LISTS_AND_TABLES = """\
---
title: Annual report
subtitle: What we did in 2025
---

# About us

We are a **small** charity in *Riverside*. Read [our website](https://example.org/about).

- Volunteers
    - Drivers
    - Cooks
- Staff

3. Third point
4. Fourth point

| Team | People |
|------|--------|
| Drivers | 12 |
| Cooks | 4 |

![A map of the river](map.png)

![](plain.png)

# About us

## Our history

Founded in 1990.[^1] The area is $x^2$ miles.

[^1]: In a church hall.
"""


def small_pack(tmp_path: Path) -> Path:
    sources, _ = make_pack(tmp_path / "pack")
    return sources


def pictures(folder: Path) -> None:
    Image.new("RGB", (40, 20), (200, 30, 30)).save(folder / "map.png")
    Image.new("RGB", (20, 20), (30, 30, 200)).save(folder / "plain.png")


def resaved_by_libreoffice(word_file: Path, tmp_path: Path) -> Path:
    """The Word file opened and saved again as .docx by LibreOffice, as a colleague using it would."""
    soffice_pdf([word_file], tmp_path / "lo", tmp_path / "profile", export="docx:MS Word 2007 XML")
    return tmp_path / "lo" / word_file.name


@pytest.mark.parametrize("maker", ["pandoc", "LibreOffice"])
def test_a_word_file_becomes_sections_with_lists_tables_and_pictures(tmp_path, maker):
    made = tmp_path / "made"
    made.mkdir()
    pictures(made)
    (made / "report.md").write_text(LISTS_AND_TABLES, "utf-8")
    subprocess.run([require("pandoc"), "report.md", "-o", "report.docx"], cwd=made, check=True, timeout=120)
    word_file = made / "report.docx"
    if maker == "LibreOffice":
        word_file = resaved_by_libreoffice(word_file, tmp_path)
    sources = small_pack(tmp_path)

    result = run_packgen("import", str(word_file), "--document", "annual-report", "--add",
                         "--pack", str(sources))
    assert result.returncode == 0, result.stderr
    text = (sources / "annual-report.md").read_text("utf-8")
    lines = text.split("\n")
    assert lines[:4] == ["---", "title: Annual report", "subtitle: What we did in 2025", "---"]
    ids = re.findall(r"^## About us \{#([\w-]+) status=draft\}$", text, re.MULTILINE)
    assert len(ids) == len(set(ids)) == 2 and ids[0] == "about-us"  # the second gets an id of its own
    for expected in ("### Our history",
                     "We are a **small** charity in *Riverside*. Read [our website](https://example.org/about).",
                     "- Volunteers\n  - Drivers\n  - Cooks\n- Staff", "3. Third point\n4. Fourth point",
                     "| Team | People |\n|---|---|\n| Drivers | 12 |\n| Cooks | 4 |",
                     "![A map of the river](annual-report-1.png)", "![](annual-report-2.png)"):
        assert expected in text
    assert text.count("::: easy-read\nTODO:") == 2
    assert (sources / "pictures" / "annual-report-1.png").read_bytes() == (made / "map.png").read_bytes()
    assert "- {id: annual-report, source: annual-report.md, kind: main}" in (sources / "pack.yaml").read_text()

    # What could not come over is said, with where: the picture with no alt text, the footnote, the equation.
    no_alt = lines.index("![](annual-report-2.png)") + 1
    history = next(n for n, line in enumerate(lines, 1) if line.startswith("Founded in 1990."))
    assert f"annual-report.md:{no_alt}: this picture has no alt text in the Word file" in result.stderr
    assert f"annual-report.md:{history} (Word paragraph" in result.stderr
    assert "footnote 1: 'In a church hall.'" in result.stderr
    if maker == "pandoc":  # LibreOffice drops an equation pandoc wrote when it saves the file again
        assert "an equation ('x2')" in result.stderr

    # The build flags the picture's line until its alt text is written.
    built = run_packgen("build", "--sources", str(sources), "--templates", str(sources.parent / "templates"),
                        "--out", str(tmp_path / "out"), "--document", "annual-report")
    assert built.returncode == 1
    assert f"annual-report.md:{no_alt}: the picture 'annual-report-2.png' has no alt text" in built.stderr


def word_with_a_change_and_a_comment(path: Path) -> None:
    """A Word file as a colleague returns it: a tracked change (month -> week) and a comment."""
    word = docx.Document()
    word.add_heading("Meetings", level=1)
    paragraph = word.add_paragraph("We meet every ")
    deleted, inserted = OxmlElement("w:del"), OxmlElement("w:ins")
    for change in (deleted, inserted):
        change.set(qn("w:id"), str(len(paragraph._p)))
        change.set(qn("w:author"), "Sam")
        change.set(qn("w:date"), "2026-11-01T10:00:00Z")
    run = OxmlElement("w:r")
    words = OxmlElement("w:delText")
    words.text = "month"
    run.append(words)
    deleted.append(run)
    new_run = OxmlElement("w:r")
    new_words = OxmlElement("w:t")
    new_words.text = "week"
    new_run.append(new_words)
    inserted.append(new_run)
    paragraph._p.append(deleted)
    paragraph._p.append(inserted)
    paragraph.add_run(".")
    commented = word.add_paragraph("Everyone is welcome.")
    word.add_comment(commented.runs, text="Say who to ask about access", author="Priya")
    boxed = word.add_paragraph("Ask us anything.")
    boxed.add_run()._r.append(parse_xml(TEXT_BOX))
    word.save(str(path))


TEXT_BOX = (f'<w:pict {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><v:shape style="width:120pt;'
            'height:40pt"><v:textbox><w:txbxContent><w:p><w:r><w:t>Call us on Fridays</w:t></w:r></w:p>'
            '</w:txbxContent></v:textbox></v:shape></w:pict>')


@pytest.mark.parametrize("maker", ["python-docx", "LibreOffice"])
def test_a_tracked_change_keeps_the_original_words_and_it_and_a_comment_are_reported(tmp_path, maker):
    made = tmp_path / "made"
    made.mkdir()
    word_with_a_change_and_a_comment(made / "meetings.docx")
    word_file = made / "meetings.docx"
    if maker == "LibreOffice":
        word_file = resaved_by_libreoffice(word_file, tmp_path)
    sources = small_pack(tmp_path)

    result = run_packgen("import", str(word_file), "--document", "meetings", "--pack", str(sources))
    assert result.returncode == 0, result.stderr
    lines = (sources / "meetings.md").read_text("utf-8").split("\n")
    assert "We meet every month." in lines
    changed = lines.index("We meet every month.") + 1
    welcome = lines.index("Everyone is welcome.") + 1
    assert f"meetings.md:{changed} (Word paragraph 2, under 'Meetings'): a tracked change inserting 'week'" \
        in result.stderr
    assert f"meetings.md:{changed} (Word paragraph 2, under 'Meetings'): a tracked change deleting 'month'" \
        in result.stderr
    assert f"meetings.md:{welcome} (Word paragraph 3, under 'Meetings'): a comment by Priya: " \
        "'Say who to ask about access'" in result.stderr
    boxed = lines.index("Ask us anything.") + 1
    assert result.stderr.count("a text box") == 1
    assert f"meetings.md:{boxed} (Word paragraph 4, under 'Meetings'): a text box holding 'Call us on Fridays'" \
        in result.stderr


def test_pandoc_from_the_packs_own_markdown_imports_its_sections_with_their_ids(tmp_path):
    """A colleague turned the pack's Markdown into Word with pandoc: the sections come back as they were."""
    made = tmp_path / "made"
    made.mkdir()
    subprocess.run([require("pandoc"), str(ROOT / "sources" / "charter.md"), "-o", "charter.docx"], cwd=made,
                   check=True, capture_output=True, timeout=120)
    sources = small_pack(tmp_path)
    result = run_packgen("import", str(made / "charter.docx"), "--document", "charter-again", "--pack",
                         str(sources))
    assert result.returncode == 0, result.stderr

    def sections(text: str) -> list[tuple[str, str]]:
        return re.findall(r"^## (.*?) \{#([\w-]+)", text, re.MULTILINE)

    source = (ROOT / "sources" / "charter.md").read_text("utf-8")
    imported = (sources / "charter-again.md").read_text("utf-8")
    assert sections(imported) == sections(source) and len(sections(source)) > 5
    assert imported.split("\n")[1:3] == ["title: Co-Production Charter", "subtitle: Strengthening Social Work Together"]
    first_paragraph = next(line for line in source.split("\n") if line.startswith("The Strengthening"))
    assert first_paragraph in imported.split("\n")


def meetings_imported(tmp_path: Path, *options: str) -> tuple[Path, Path]:
    """A Word file of meetings, imported into a small pack as meetings.md: (the Word file, the sources)."""
    made = tmp_path / "made"
    made.mkdir()
    word_with_a_change_and_a_comment(made / "meetings.docx")
    sources = small_pack(tmp_path)
    first = run_packgen("import", str(made / "meetings.docx"), "--document", "meetings", *options,
                        "--pack", str(sources))
    assert first.returncode == 0, first.stderr
    return made / "meetings.docx", sources


def test_an_earlier_import_is_never_replaced_without_force(tmp_path):
    word_file, sources = meetings_imported(tmp_path, "--add")
    target = sources / "meetings.md"
    target.write_text(target.read_text("utf-8").replace("Everyone is welcome.", "All are welcome."), "utf-8")
    pack_before = (sources / "pack.yaml").read_text("utf-8")

    again = run_packgen("import", str(word_file), "--document", "meetings", "--add",
                        "--pack", str(sources))
    assert again.returncode == 1
    assert again.stderr.strip().splitlines() == [
        f"packgen: error: {target}: this file is already there: import with --force to replace it, or choose "
        "another --document name"]
    assert "All are welcome." in target.read_text("utf-8")

    forced = run_packgen("import", str(word_file), "--document", "meetings", "--add", "--force",
                         "--pack", str(sources))
    assert forced.returncode == 0, forced.stderr
    assert "Everyone is welcome." in target.read_text("utf-8")
    assert (sources / "pack.yaml").read_text("utf-8") == pack_before  # listed once, not twice


def test_the_build_reports_each_easy_read_version_still_to_write_until_it_is_written(tmp_path):
    _, sources = meetings_imported(tmp_path, "--add")
    target = sources / "meetings.md"
    todo = target.read_text("utf-8").split("\n").index("::: easy-read") + 2
    build = ("build", "--sources", str(sources), "--templates", str(sources.parent / "templates"),
             "--out", str(tmp_path / "out"), "--document", "meetings", "--format", "html")

    warned = run_packgen(*build)
    assert warned.returncode == 0, warned.stderr
    assert f"{target}:{todo}: the easy-read version of section 'meetings' is still to be written" in warned.stdout
    strict = run_packgen(*build, "--strict")
    assert strict.returncode == 1
    assert f"{target}:{todo}: the easy-read version of section 'meetings' is still to be written" in strict.stderr

    target.write_text(target.read_text("utf-8").replace(
        "TODO: write this section's easy-read points, then delete this line",
        "- ![A calendar](calendar) We meet every month."), "utf-8")
    written = run_packgen(*build, "--strict")
    assert written.returncode == 0, written.stderr
    assert "still to be written" not in written.stdout + written.stderr


def test_import_explains_itself_with_an_example():
    result = run_packgen("import", "--help")
    assert result.returncode == 0
    assert "packgen import report.docx --document annual-report --add" in result.stdout
    assert "--force" in result.stdout


def test_a_document_id_is_checked_by_the_rule_pack_yaml_checks_ids_by(tmp_path):
    """An id pack.yaml would refuse is refused before anything is written, in the same words."""
    made = tmp_path / "made"
    made.mkdir()
    word_with_a_change_and_a_comment(made / "meetings.docx")
    sources = small_pack(tmp_path)
    too_long = "annual-report-" + "x" * 51  # 65 characters: a document id has at most 64
    pack_before = (sources / "pack.yaml").read_text("utf-8")

    result = run_packgen("import", str(made / "meetings.docx"), "--document", too_long, "--add",
                         "--pack", str(sources))
    assert result.returncode == 1
    rule = f"'{too_long}' is not a document id: use up to 64 lower-case letters, digits and hyphens"
    assert result.stderr.startswith(f"packgen: error: --document {rule}")
    assert not (sources / f"{too_long}.md").exists()
    assert (sources / "pack.yaml").read_text("utf-8") == pack_before

    # pack.yaml's own check says the same of that id
    (sources / f"{too_long}.md").write_text("---\ntitle: Report\n---\n## About {#about}\n\nWords.\n", "utf-8")
    (sources / "pack.yaml").write_text(pack_before.rstrip("\n") + f"\n  - {{id: {too_long}, source: {too_long}.md, "
                                       "kind: main}\n", "utf-8")
    built = run_packgen("build", "--sources", str(sources), "--out", str(tmp_path / "out"), "--format", "html")
    assert built.returncode == 1
    assert rule in built.stderr


def word_with_an_opening_and_line_breaks(path: Path) -> None:
    """A Word file from elsewhere: words before its first heading, and lines broken inside paragraphs
    (Shift+Enter), in an address, a list item and a table cell."""
    word = docx.Document()
    word.add_paragraph("Welcome to our annual report.")
    address = word.add_paragraph("Riverside Hall")
    address.runs[0].add_break()
    address.add_run("12 High Street").add_break()
    address.add_run("- ask at the desk")  # a line that would start a list if not escaped
    word.add_heading("Meetings", level=1)
    word.add_paragraph("We meet monthly.", style="List Bullet")
    item = word.add_paragraph("Bring a friend", style="List Bullet")
    item.runs[0].add_break()
    item.add_run("and a snack")
    table = word.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "When"
    cell = table.cell(1, 0).paragraphs[0]
    cell.add_run("Monday").add_break()
    cell.add_run("7 pm")
    word.save(str(path))


def test_a_word_file_from_elsewhere_keeps_its_opening_and_its_line_breaks(tmp_path):
    made = tmp_path / "made"
    made.mkdir()
    word_with_an_opening_and_line_breaks(made / "report.docx")
    sources = small_pack(tmp_path)
    result = run_packgen("import", str(made / "report.docx"), "--document", "report", "--add", "--pack", str(sources))
    assert result.returncode == 0, result.stderr
    assert "left out" not in result.stdout
    text = (sources / "report.md").read_text("utf-8")
    body = text.split("\n---\n", 1)[1]
    assert body.lstrip().startswith("Welcome to our annual report.")  # the opening, before the first heading
    assert "Riverside Hall\\\n12 High Street\\\n\\- ask at the desk\n" in text
    assert "- Bring a friend\\\n  and a snack\n" in text
    lines = text.split("\n")
    assert "| Monday 7 pm |" in lines
    table = lines.index("| When |") + 1  # a note on a table is at its first line
    assert f"report.md:{table} (Word paragraph 7, under 'Meetings'): a line break in a table cell" in result.stderr

    # Every format draws the breaks: the Word file (as pandoc reads it), the web page and the PDF.
    out = tmp_path / "out"
    built = run_packgen("build", "--sources", str(sources), "--templates", str(sources.parent / "templates"),
                        "--out", str(out), "--document", "report", "--variant", "standard",
                        "--format", "docx,html,pdf", "--quiet")
    assert built.returncode == 0, built.stderr
    native = subprocess.run([require("pandoc"), "-t", "native", str(out / "standard" / "report.docx")],
                            capture_output=True, text=True, check=True, timeout=120).stdout
    assert re.search(r'Str "Hall"\s*, LineBreak\s*, Str "12"', native)
    assert re.search(r'Str "friend"\s*, LineBreak\s*, Str "and"', native)
    page = (out / "standard" / "report.html").read_text("utf-8")
    assert "Riverside Hall<br>12 High Street<br>- ask at the desk" in page
    pdf_text = subprocess.run([require("pdftotext"), "-layout", str(out / "standard" / "report.pdf"), "-"],
                              capture_output=True, text=True, check=True, timeout=120).stdout
    assert re.search(r"Riverside Hall\n\s*12 High Street\n\s*- ask at the desk", pdf_text)


def test_a_link_to_a_section_in_the_word_file_still_reaches_its_heading(tmp_path):
    """The Word file names a section's heading by the section's id (so an import gives the id back);
    a link in the text to that heading's words still goes to it, as pandoc follows it."""
    sources = small_pack(tmp_path)
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace(
        "with the people it serves.", "with the people it serves. See [how we pay](#paying-people-fairly).")
        + "\n## Paying people fairly {#pay}\n\nWe pay for time.\n\n::: easy-read\n"
          "- ![Money](money-bag) We pay you.\n:::\n", "utf-8")
    out = tmp_path / "out"
    built = run_packgen("build", "--sources", str(sources), "--templates", str(sources.parent / "templates"),
                        "--out", str(out), "--document", "charter", "--variant", "standard", "--format", "docx",
                        "--quiet")
    assert built.returncode == 0, built.stderr
    word_file = out / "standard" / "charter.docx"
    blocks = json.loads(subprocess.run([require("pandoc"), "-t", "json", str(word_file)], capture_output=True,
                                       text=True, check=True, timeout=120).stdout)["blocks"]
    headings = {_words(b["c"][2]): b["c"][1][0] for b in blocks if b["t"] == "Header"}
    links = [i["c"][2][0] for b in blocks if b["t"] == "Para" for i in b["c"] if i["t"] == "Link"]
    assert links == [f"#{headings['Paying people fairly']}"]

    imported = run_packgen("import", str(word_file), "--document", "charter-again", "--pack", str(sources))
    assert imported.returncode == 0, imported.stderr
    again = (sources / "charter-again.md").read_text("utf-8")
    assert "## Paying people fairly {#pay status=draft}" in again
    assert "See [how we pay](#paying-people-fairly)." in again


def flat_text_document(text: str) -> str:
    """A LibreOffice flat OpenDocument text file (.fodt) holding `text` (ODF elements)."""
    names = {"office": "office:1.0", "text": "text:1.0", "draw": "drawing:1.0", "svg": "svg-compatible:1.0",
             "chart": "chart:1.0", "table": "table:1.0"}
    spaces = " ".join(f'xmlns:{p}="urn:oasis:names:tc:opendocument:xmlns:{n}"' for p, n in names.items())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<office:document {spaces} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">'
            f"<office:body><office:text>{text}</office:text></office:body></office:document>")


# A bar chart inside a text document and an endnote, as LibreOffice's flat OpenDocument (.fodt)
# writes them; LibreOffice saves them in Word as a c:chart part and w:endnoteReference.
CHART_AND_ENDNOTE = flat_text_document("""
  <text:h text:outline-level="1">Money</text:h>
  <text:p>We spent less this year.<text:note text:id="n1" text:note-class="endnote">
   <text:note-citation>i</text:note-citation>
   <text:note-body><text:p>See the accounts.</text:p></text:note-body></text:note></text:p>
  <text:h text:outline-level="1">Spending</text:h>
  <text:p><draw:frame svg:width="8cm" svg:height="5cm" text:anchor-type="as-char"><draw:object>
   <office:document office:mimetype="application/vnd.oasis.opendocument.chart" office:version="1.3">
    <office:body><office:chart>
    <chart:chart chart:class="chart:bar" svg:width="8cm" svg:height="5cm">
     <chart:plot-area table:cell-range-address="local-table.A1:B3">
      <chart:series chart:values-cell-range-address="local-table.B2:B3" chart:class="chart:bar"/></chart:plot-area>
     <table:table table:name="local-table">
      <table:table-header-rows><table:table-row><table:table-cell/>
       <table:table-cell office:value-type="string"><text:p>Spent</text:p></table:table-cell>
      </table:table-row></table:table-header-rows>
      <table:table-rows>
       <table:table-row><table:table-cell office:value-type="string"><text:p>2024</text:p></table:table-cell>
        <table:table-cell office:value-type="float" office:value="10"><text:p>10</text:p></table:table-cell>
       </table:table-row>
       <table:table-row><table:table-cell office:value-type="string"><text:p>2025</text:p></table:table-cell>
        <table:table-cell office:value-type="float" office:value="8"><text:p>8</text:p></table:table-cell>
       </table:table-row>
      </table:table-rows></table:table>
    </chart:chart></office:chart></office:body></office:document>
  </draw:object></draw:frame></text:p>
""")

# SmartArt as Word writes it (ECMA-376 Part 1, 21.4: the inline drawing's a:graphicData in the diagram
# namespace holds only dgm:relIds; the diagram's data, layout, style and colours are parts of their own,
# related by the diagramData/Layout/QuickStyle/Colors relationship types). Each part is cut to its root;
# the data keeps its points' words.
DGM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
SMARTART_INLINE = (
    f'<w:r {nsdecls("w", "r", "wp", "a")}><w:drawing><wp:inline><wp:extent cx="3000000" cy="1500000"/>'
    '<wp:docPr id="7" name="Diagram 7"/><a:graphic><a:graphicData uri="{dgm}">'
    '<dgm:relIds xmlns:dgm="{dgm}" r:dm="{dm}" r:lo="{lo}" r:qs="{qs}" r:cs="{cs}"/>'
    "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>")
SMARTART_PARTS = {  # relationship type's last word, content type's last word, root element
    "dm": ("diagramData", "diagramData", f'<dgm:dataModel xmlns:dgm="{DGM}" xmlns:a="{docx.oxml.ns.nsmap["a"]}">'
           '<dgm:ptLst><dgm:pt modelId="0" type="doc"/>'
           + "".join(f'<dgm:pt modelId="{n}"><dgm:t><a:bodyPr/><a:p><a:r><a:t>{w}</a:t></a:r></a:p></dgm:t></dgm:pt>'
                     for n, w in enumerate(("Plan", "Do", "Review"), 1)) + "</dgm:ptLst><dgm:cxnLst/></dgm:dataModel>"),
    "lo": ("diagramLayout", "diagramLayout", f'<dgm:layoutDef xmlns:dgm="{DGM}"/>'),
    "qs": ("diagramQuickStyle", "diagramStyle", f'<dgm:styleDef xmlns:dgm="{DGM}"/>'),
    "cs": ("diagramColors", "diagramColors", f'<dgm:colorsDef xmlns:dgm="{DGM}"/>'),
}


def word_with_smartart(path: Path) -> None:
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    word = docx.Document()
    word.add_heading("How we work", level=1)
    word.add_paragraph("Our cycle:")
    ids = {}
    for key, (rel, content, xml) in SMARTART_PARTS.items():
        part = Part(PackURI(f"/word/diagrams/{rel}1.xml"),
                    f"application/vnd.openxmlformats-officedocument.drawingml.{content}+xml", xml.encode(),
                    word.part.package)
        ids[key] = word.part.relate_to(part, f"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{rel}")
    word.add_paragraph()._p.append(parse_xml(SMARTART_INLINE.replace("{dgm}", DGM).format(**ids)))
    word.add_heading("Who we are", level=1)
    word.add_paragraph("A small team.")
    word.save(str(path))


def test_a_chart_an_endnote_and_smartart_are_each_reported_once_under_their_heading(tmp_path):
    made = tmp_path / "made"
    made.mkdir()
    (made / "money.fodt").write_text(CHART_AND_ENDNOTE, "utf-8")
    soffice_pdf([made / "money.fodt"], made, tmp_path / "profile", export="docx:MS Word 2007 XML")
    word_with_smartart(made / "cycle.docx")
    sources = small_pack(tmp_path)

    money = run_packgen("import", str(made / "money.docx"), "--document", "money", "--pack", str(sources))
    assert money.returncode == 0, money.stderr
    lines = (sources / "money.md").read_text("utf-8").split("\n")
    spent = lines.index("We spent less this year.") + 1
    assert money.stderr.count("): endnote") == 1 and money.stderr.count("): a chart") == 1
    assert f"money.md:{spent} (Word paragraph 2, under 'Money'): endnote 1: 'See the accounts.'" in money.stderr
    chart = lines.index("## Spending {#spending status=draft}") + 1
    found = re.search(r"money\.md:(\d+) \(Word paragraph 4, under 'Spending'\): a chart$", money.stderr, re.MULTILINE)
    assert found and int(found.group(1)) == chart  # its paragraph has no words: the line nearest is the heading

    cycle = run_packgen("import", str(made / "cycle.docx"), "--document", "cycle", "--pack", str(sources))
    assert cycle.returncode == 0, cycle.stderr
    assert cycle.stderr.count("): a SmartArt") == 1
    assert "(Word paragraph 3, under 'How we work'): a SmartArt diagram holding 'Plan, Do, Review'" in cycle.stderr
    assert "Our cycle:" in (sources / "cycle.md").read_text("utf-8")


RED_BOX = ('<svg xmlns="http://www.w3.org/2000/svg" width="60mm" height="30mm" viewBox="0 0 60 30">'
           '<rect width="60" height="30" fill="#c81e1e"/></svg>')
# A text document holding one picture, 6 cm by 3 cm, with its description (Word's alt text).
PICTURE_DOCUMENT = """
  <text:h text:outline-level="1">Our logo</text:h>
  <text:p><draw:frame draw:name="Logo" svg:width="6cm" svg:height="3cm" text:anchor-type="as-char">
   <draw:image><office:binary-data>{data}</office:binary-data></draw:image><svg:desc>A red box</svg:desc>
  </draw:frame></text:p>
"""


def word_with_an_emf(tmp_path: Path) -> Path:
    """A Word file holding an EMF picture: LibreOffice Draws the metafile, and Writer saves the document."""
    made = tmp_path / "made"
    made.mkdir()
    (made / "box.svg").write_text(RED_BOX, "utf-8")
    soffice_pdf([made / "box.svg"], made, tmp_path / "profile", export="emf")
    emf = (made / "box.emf").read_bytes()
    assert emf[40:44] == b" EMF"
    (made / "logo.fodt").write_text(flat_text_document(PICTURE_DOCUMENT.format(data=base64.b64encode(emf).decode())),
                                    "utf-8")
    soffice_pdf([made / "logo.fodt"], made / "word", tmp_path / "profile", export="docx:MS Word 2007 XML")
    return made / "word" / "logo.docx"


def test_an_emf_picture_comes_in_as_a_png_at_print_resolution(tmp_path):
    word_file = word_with_an_emf(tmp_path)
    sources = small_pack(tmp_path)
    result = run_packgen("import", str(word_file), "--document", "logo", "--pack", str(sources))
    assert result.returncode == 0, result.stderr
    assert "not carried over" not in result.stderr
    assert "![A red box](logo-1.png)" in (sources / "logo.md").read_text("utf-8").split("\n")
    with Image.open(sources / "pictures" / "logo-1.png") as png:
        assert png.format == "PNG"
        assert png.size == (709, 354)  # 6 cm by 3 cm at 300 pixels per inch
        assert png.convert("RGB").getpixel((354, 177)) == (200, 30, 30)  # the box, drawn


def test_an_emf_picture_is_reported_when_nothing_can_draw_it(tmp_path):
    word_file = word_with_an_emf(tmp_path)
    sources = small_pack(tmp_path)
    no_tools = tmp_path / "no-tools"
    no_tools.mkdir()
    result = run_packgen("import", str(word_file), "--document", "logo", "--pack", str(sources),
                         env={"PATH": str(no_tools)})
    assert result.returncode == 0, result.stderr
    assert "(Word paragraph 2, under 'Our logo'): a picture stored as .emf (a Windows metafile), which packgen " \
        "cannot use: with LibreOffice Draw installed the import turns it into PNG" in result.stderr
    assert not (sources / "pictures" / "logo-1.png").exists()


def test_an_import_the_disk_refuses_names_the_file_and_keeps_the_earlier_one_whole(tmp_path):
    word_file, sources = meetings_imported(tmp_path)
    target = sources / "meetings.md"
    earlier = target.read_text("utf-8").replace("Everyone is welcome.", "All are welcome.")
    target.write_text(earlier, "utf-8")
    pack_before = (sources / "pack.yaml").read_bytes()

    refused = run_packgen("import", str(word_file), "--document", "meetings", "--add", "--force",
                          "--pack", str(sources), largest_file=len(earlier) // 2)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [f"packgen: error: {target}: {os.strerror(errno.EFBIG)}"]
    assert target.read_text("utf-8") == earlier
    assert (sources / "pack.yaml").read_bytes() == pack_before
    assert [p.name for p in sources.iterdir() if p.name.startswith(".")] == []


def _with_part(word_file: Path, target: Path, name: str, data: bytes, twice: bool = False) -> Path:
    """A copy of the Word file with one part replaced (or, with `twice`, a second part of that name)."""
    import warnings
    import zipfile

    with zipfile.ZipFile(word_file) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename != name or twice:
                out.writestr(item, source.read(item))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns of a duplicate name: that is the point
            out.writestr(name, data)
    return target


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "lol">'
          + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + n]), b"&%s;" % bytes([97 + n]) * 10) for n in range(8))
          + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
          + b"<w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>")
DEEP = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + b"<w:sdt><w:sdtContent>" * 300 + b"<w:p/>" + b"</w:sdtContent></w:sdt>" * 300 + b"</w:body></w:document>")


@pytest.mark.parametrize("damage, says", [
    ("not a zip", "not a valid zip package"),
    ("a zip bomb", "compressed suspiciously well (a zip bomb?)"),
    ("entities that expand a billion times", "broken XML"),
    ("nesting 300 deep", "broken XML"),
    ("two parts of one name", "it holds two parts named word/document.xml"),
])
def test_a_damaged_or_hostile_word_file_is_one_line_and_writes_nothing(tmp_path, damage, says):
    made = tmp_path / "made"
    made.mkdir()
    word_with_a_change_and_a_comment(made / "good.docx")
    bad = made / "bad.docx"
    if damage == "not a zip":
        bad.write_bytes(b"Minutes of the meeting, typed in a text editor and saved as .docx")
    elif damage == "a zip bomb":
        _with_part(made / "good.docx", bad, "word/document.xml", b"<w:document>" + b" " * 20_000_000)
    elif damage == "entities that expand a billion times":
        _with_part(made / "good.docx", bad, "word/document.xml", LAUGHS)
    elif damage == "nesting 300 deep":
        _with_part(made / "good.docx", bad, "word/document.xml", DEEP)
    else:
        _with_part(made / "good.docx", bad, "word/document.xml", b"<w:document/>", twice=True)
    sources = small_pack(tmp_path)
    before = sorted(p.relative_to(sources) for p in sources.rglob("*"))
    result = run_packgen("import", str(bad), "--document", "minutes", "--add", "--pack", str(sources))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"packgen: error: {bad}: this is not a Word document packgen can read (.docx): ")
    assert says in line, line
    assert sorted(p.relative_to(sources) for p in sources.rglob("*")) == before
