"""packgen's own PDF rules raise no error on a PDF the reference validator passes, whoever wrote it:
packgen, Typst, LibreOffice (from python-docx's and pandoc's files) and qpdf rewriting packgen's.

Written well (real headings, nothing marked draft), these files hold nothing for the rules veraPDF
has no counterpart of (a draft said only to the eye, a bold line that should be a heading), so any
error here is a rule of packgen's that is wrong.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from test_check_docx import good_document
from test_check_pdf import BOLD_LINE_TYP, DRAFT_TYP, FIXTURES, GOOD_TYP, typst_pdf
from verapdf import validate

from packgen.check import check_paths

from clients_docx import PDF_UA, soffice_pdf
from conftest import require

pytestmark = pytest.mark.slow

NOTES = """\
---
title: Meeting notes
lang: en-GB
---

# Meeting notes

We met on Tuesday with six members of the group.

## Actions

- Write the charter
- Pay people on time

| Name | Role |
|------|------|
| Ann  | Chair |

## Next meeting

In March, at the community centre.
"""

CONTENTS_TYP = """\
#set document(title: "Charter")
#set text(lang: "en", region: "gb", size: 12pt)
#set heading(numbering: "1.1")
= Charter
#outline()
== Our values
We treat people as experts in their own lives.
=== Equality
Everyone's knowledge counts.
"""

LIST_TYP = """\
#set document(title: "Our values")
#set text(lang: "en", region: "gb", size: 12pt)
= Our values
+ Equality: everyone's knowledge counts.
+ Respect: we treat people as experts in their own lives.
- A bullet point
- Another bullet point
"""


def written_by_others(tmp_path: Path) -> dict[str, Path]:
    """PDF/UA-1 files from other writers, each as its own user would make it."""
    made: dict[str, Path] = {}
    typst = tmp_path / "typst"
    typst.mkdir()
    (typst / "pixel.png").write_bytes((FIXTURES / "pixel.png").read_bytes())
    made["Typst, pictures, a table and a link"] = typst_pdf(typst, GOOD_TYP, "good")
    made["Typst, lists"] = typst_pdf(typst, LIST_TYP, "lists")
    made["Typst, a table of contents, numbered"] = typst_pdf(typst, CONTENTS_TYP, "contents")
    made["Typst, a heading"] = typst_pdf(typst, BOLD_LINE_TYP.format(line="== Our values"), "heading")
    made["Typst, a draft that says so"] = typst_pdf(
        typst, DRAFT_TYP.format(said="This is a draft for consultation.\n\n"), "draft")
    word = tmp_path / "word"
    word.mkdir()
    good_document().save(str(word / "python-docx.docx"))
    (word / "notes.md").write_text(NOTES, "utf-8")
    pandoc = require("pandoc")
    for suffix in ("docx", "odt"):
        subprocess.run([pandoc, str(word / "notes.md"), "-s", "-o", str(word / f"pandoc-{suffix}.{suffix}")],
                       check=True, capture_output=True, timeout=120)
    sources = [word / "python-docx.docx", word / "pandoc-docx.docx", word / "pandoc-odt.odt"]
    for source, pdf in zip(sources, soffice_pdf(sources, tmp_path / "libreoffice", tmp_path / "profile", PDF_UA),
                           strict=True):
        made[f"LibreOffice, from {source.name}"] = pdf
    return made


def test_no_error_from_packgens_rules_on_a_pdf_verapdf_passes(built_pack: Path, tmp_path: Path) -> None:
    files = {f"packgen, {p.relative_to(built_pack)}": p for p in sorted(built_pack.rglob("*.pdf"))}
    qpdf = require("qpdf")
    rewritten = tmp_path / "qpdf.pdf"
    subprocess.run([qpdf, "--object-streams=generate", "--linearize", str(built_pack / "standard" / "charter.pdf"),
                    str(rewritten)], check=True, timeout=120)
    files["qpdf, packgen's charter.pdf in object streams, linearised"] = rewritten
    files.update(written_by_others(tmp_path))
    reports = validate(list(files.values()), "ua1")
    # Each file is one veraPDF passes: a writer whose file it fails no longer tests packgen's rules here.
    assert {name: [f.id for f in reports[p].failures] for name, p in files.items() if not reports[p].compliant} == {}
    errors = {name: [f"{f.rule}: {f.where}: {f.message}" for f in check_paths([p], axe=False, verapdf=False)
                     if f.severity == "error"] for name, p in files.items()}
    assert {name: found for name, found in errors.items() if found} == {}
