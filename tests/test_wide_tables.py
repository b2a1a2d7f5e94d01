"""A table too wide for a version's page is read one row at a time, each value with its column's header.

An organisation's rota has seven columns: on the standard page (12pt) they fit, so it is a table
there; at easy read's 16pt and large print's 18pt they do not (theme.yaml's min_column_width), so
those readers get each person's row as a block: the name in bold, then "Monday: Kitchen" and so on, in the PDF, the
Word file and the web page alike. A three-column table fits everywhere and stays a table.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pikepdf
import pytest
from lxml import html
from verapdf import assert_compliant, validate

from clients_docx import blocks_of, pandoc_json
from conftest import make_pack, require, run_packgen
from pdf_clients import elements, pdfjs, pdfjs_roles, run

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
ROTA = {"Asha": ("Kitchen", "Garden", "Office", "Kitchen", "Rest", "Market"),
        "Bilal": ("Garden", "Office", "Rest", "Garden", "Kitchen", "Market")}
ROOMS = """\
| Room | Floor | Seats |
| --- | --- | --- |
| Main hall | Ground | 80 |
"""


def rota_table() -> str:
    lines = ["| Name | " + " | ".join(DAYS) + " |", "| --- " * 7 + "|"]
    lines += [f"| {name} | " + " | ".join(jobs) + " |" for name, jobs in ROTA.items()]
    return "\n".join(lines) + "\n"


ROTA_DOCUMENT = f"""\
---
title: Appendix B
---
## The volunteer rota {{#rota}}

Who does what each day.

{rota_table()}
Where we meet.

{ROOMS}
::: easy-read
- ![Two people shaking hands](handshake) Who does what each day.

{rota_table()}
Where we meet.

{ROOMS}
:::
"""


# A checklist as wide as the rota: its tick boxes answer its rows and columns, so it stays a table.
CHECKLIST_DOCUMENT = f"""\
---
title: Appendix C
---
## How often we do it {{#often}}

{{.checklist}}
| Statement | {" | ".join(DAYS)} |
| --- |{" :-: |" * len(DAYS)}
| We open the hall. |{" |" * len(DAYS)}
| We make tea. |{" |" * len(DAYS)}

::: easy-read
- ![Two people shaking hands](handshake) How often we do it.

{{.checklist}}
| Statement | {" | ".join(DAYS)} |
| --- |{" :-: |" * len(DAYS)}
| We open the hall. |{" |" * len(DAYS)}
| We make tea. |{" |" * len(DAYS)}
:::
"""


@pytest.fixture(scope="module")
def rota_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small pack, its appendix B holding the seven-column rota and a three-column table, built."""
    root = tmp_path_factory.mktemp("rota")
    sources, templates = make_pack(root)
    (sources / "appendix-b.md").write_text(ROTA_DOCUMENT, "utf-8")
    (sources / "appendix-c.md").write_text(CHECKLIST_DOCUMENT, "utf-8")
    out = root / "build"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "appendix-b,appendix-c", "--format", "pdf,docx,html")
    assert result.returncode == 0, result.stderr
    return out


def pdf_words(pdf: Path) -> str:
    return " ".join(run(require("pdftotext"), "-layout", str(pdf), "-").split())


def table_roles(pdf: Path) -> list[str]:
    """The roles pdf.js (Firefox) reads in the PDF's tags."""
    return [n["role"] for page in pdfjs(pdf)["pages"] for n in pdfjs_roles(page["structTree"])]


def test_easy_read_pdf_reads_each_row_with_its_headers(rota_pack: Path) -> None:
    words = pdf_words(rota_pack / "easy-read" / "appendix-b.pdf")
    for name, jobs in ROTA.items():
        row = " ".join(f"{day}: {job}" for day, job in zip(DAYS, jobs, strict=True))
        assert f"{name} {row}" in re.sub(r" ?• ?", " ", words), (name, words)
    # the order is the table's: Asha's row, then Bilal's, then the rooms
    assert words.index("Asha") < words.index("Bilal") < words.index("Main hall")


def test_easy_read_pdf_tags_the_rota_as_rows_not_a_table(rota_pack: Path) -> None:
    easy = rota_pack / "easy-read" / "appendix-b.pdf"
    roles = table_roles(easy)
    # one Table left: the rooms; the rota is a list per row (Lbl, LBody) under a paragraph in bold
    assert roles.count("Table") == 1, roles
    assert roles.count("TH") == 3, roles
    with pikepdf.open(easy) as pdf:
        kinds = [str(e.get("/S")) for e in elements(pdf)]
    assert kinds.count("/LI") >= 2 * len(DAYS), kinds
    # the standard page fits seven columns: there the rota is still a table, headers and all
    standard = table_roles(rota_pack / "standard" / "appendix-b.pdf")
    assert standard.count("Table") == 2 and standard.count("TH") == 7 + 3, standard


def test_easy_read_pdf_with_rows_passes_pdf_ua(rota_pack: Path) -> None:
    paths = [rota_pack / "easy-read" / "appendix-b.pdf", rota_pack / "standard" / "appendix-b.pdf"]
    assert_compliant(validate(paths, "ua1"), "ua1")


def test_easy_read_word_file_has_labelled_paragraphs(rota_pack: Path) -> None:
    easy = docx.Document(str(rota_pack / "easy-read" / "appendix-b.docx"))
    paragraphs = [p.text for p in easy.paragraphs]
    for name, jobs in ROTA.items():
        at = paragraphs.index(name)
        assert paragraphs[at + 1:at + 1 + len(DAYS)] == [f"{d}: {j}" for d, j in zip(DAYS, jobs, strict=True)]
        assert all(run.bold for run in easy.paragraphs[at].runs if run.text.strip())
    assert [len(t.columns) for t in easy.tables] == [3]
    # pandoc reads the same: one table (the rooms), and the rota's values in bulleted lists
    tree = pandoc_json(rota_pack / "easy-read" / "appendix-b.docx")
    assert len(blocks_of(tree, "Table")) == 1
    assert len(blocks_of(tree, "BulletList")) >= len(ROTA)
    standard = docx.Document(str(rota_pack / "standard" / "appendix-b.docx"))
    assert [len(t.columns) for t in standard.tables] == [7, 3]


def test_easy_read_web_page_shows_the_same_rows(rota_pack: Path) -> None:
    page = html.fromstring((rota_pack / "easy-read" / "appendix-b.html").read_bytes())
    assert [len(t.findall(".//th")) for t in page.iter("table")] == [3]
    items = [" ".join(li.text_content().split()) for li in page.iter("li")]
    assert "Monday: Kitchen" in items and "Saturday: Market" in items
    standard = html.fromstring((rota_pack / "standard" / "appendix-b.html").read_bytes())
    assert [len(t.findall(".//th")) for t in standard.iter("table")] == [7, 3]


def test_a_wide_checklist_stays_a_table_with_its_tick_boxes(rota_pack: Path) -> None:
    easy = rota_pack / "easy-read" / "appendix-c.pdf"
    roles = table_roles(easy)
    assert roles.count("Table") == 1 and roles.count("TH") == 1 + len(DAYS), roles
    with pikepdf.open(easy) as pdf:
        boxes = [f for f in pdf.Root.AcroForm.Fields if f.get("/FT") == "/Btn"]
    assert len(boxes) == 2 * len(DAYS)
    word = docx.Document(str(rota_pack / "easy-read" / "appendix-c.docx"))
    assert [len(t.columns) for t in word.tables] == [1 + len(DAYS)]


def test_large_print_shows_the_rota_row_by_row_too(rota_pack: Path) -> None:
    # At 18pt seven columns do not fit the large-print page either: its readers get the same rows.
    large = rota_pack / "large-print" / "appendix-b.pdf"
    words = re.sub(r" ?• ?", " ", pdf_words(large))
    for name, jobs in ROTA.items():
        assert f"{name} " + " ".join(f"{d}: {j}" for d, j in zip(DAYS, jobs, strict=True)) in words, words
    roles = table_roles(large)
    assert roles.count("Table") == 1 and roles.count("TH") == 3, roles
    word = docx.Document(str(rota_pack / "large-print" / "appendix-b.docx"))
    assert [len(t.columns) for t in word.tables] == [3]
    assert_compliant(validate([large], "ua1"), "ua1")
