"""A pack needs no templates: a document pack.yaml lists is rendered from its source by its kind's
default template, and a section no template uses is never dropped without a word."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
from test_same_words import docx_text, html_text

from clients_docx import pdf_text
from conftest import ROOT, run_packgen

SAFETY = """\
---
title: Keeping people safe
hard_words:
  - {word: safeguarding, meaning: Keeping people safe from harm.}
---
## Why it matters {#why}

Everyone who works with us is kept safe.

::: easy-read
- ![A shield](shield) We keep you **safe**.
:::

## Who to tell {#tell}

Tell the participation team about any worry.

::: easy-read
- ![A person talking](speaking-head-in-silhouette) Tell us if you are **worried**.
:::

## Our promise {#promise}

We act on every report within one working day.

::: easy-read
- ![A handshake](handshake) We promise to help. This is **safeguarding**.
:::
"""
CONTACT = "\n## Contact us {#contact}\n\nWrite to us.\n\n::: easy-read\n- ![An envelope](envelope) Write to us.\n:::\n"
GLOSSARY = "hard_words:\n  - {word: worried, meaning: Feeling that something bad may happen.}\n"


def add_document(sources: Path, entry: str, name: str, text: str) -> None:
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").rstrip("\n") + f"\n  - {entry}\n", "utf-8")
    (sources / name).write_text(text, "utf-8")


def headings_in_order(text: str, *headings: str) -> bool:
    """Each heading is a line of its own, after the one before it."""
    lines = [line.strip() for line in text.splitlines()]
    at = 0
    for heading in headings:
        if heading not in lines[at:]:
            return False
        at = lines.index(heading, at) + 1
    return True


def test_a_document_with_no_template_builds_in_every_format_and_variant(mini_pack, tmp_path: Path) -> None:
    sources, _ = mini_pack
    add_document(sources, "{id: safety, source: safety.md}", "safety.md", SAFETY)
    charter = sources / "charter.md"  # the glossary explains a bold word of the new document
    charter.write_text(charter.read_text("utf-8").replace("---\n## ", GLOSSARY + "---\n## ", 1), "utf-8")
    out = tmp_path / "build"
    result = run_packgen("build", "--pack", str(sources), "--out", str(out), "--document", "safety", "-q")
    assert result.returncode == 0, result.stderr
    read = {"docx": docx_text, "pdf": pdf_text, "html": html_text}
    for fmt, text_of in read.items():
        standard = text_of(out / "standard" / f"safety.{fmt}")
        assert headings_in_order(standard, "Keeping people safe", "Why it matters", "Who to tell", "Our promise",
                                 "Other formats"), fmt
        assert "Riverside Community Trust" in standard and "We act on every report" in standard
        easy = text_of(out / "easy-read" / f"safety.{fmt}")
        assert headings_in_order(easy, "Why it matters", "Who to tell", "Our promise", "Hard words",
                                 "Find out more"), fmt
        assert "We keep you" in easy and "We act on every report" not in easy
    easy = html_text(out / "easy-read" / "safety.html")
    assert "Feeling that something bad may happen." in easy  # "worried", from the charter's glossary
    assert "Keeping people safe from harm." in easy  # its own hard word
    assert "safe:" not in easy  # a bold word the glossary does not explain is not listed


def test_an_appendix_with_no_template_gets_its_letter(mini_pack, tmp_path: Path) -> None:
    sources, templates = mini_pack
    add_document(sources, "{id: appendix-e, source: safety.md, kind: appendix}", "safety.md", SAFETY)
    out = tmp_path / "build"
    result = run_packgen("build", "--pack", str(sources), "--out", str(out), "--document", "appendix-e",
                         "--format", "html", "--variant", "standard", "-q")
    assert result.returncode == 0, result.stderr
    page = (out / "standard" / "appendix-e.html").read_text("utf-8")
    assert re.search(r"<h1[^>]*>Appendix E: Keeping people safe</h1>", page), page[:2000]


def test_a_section_no_template_uses_is_a_warning_naming_its_line(mini_pack, tmp_path: Path) -> None:
    sources, templates = mini_pack
    (templates / "documents" / "charter.md.j2").write_text(
        '{% include "partials/title.md.j2" %}\n{{ section(doc.sections.about) }}\n', "utf-8")
    charter = sources / "charter.md"
    text = charter.read_text("utf-8") + CONTACT
    charter.write_text(text, "utf-8")
    line = text.split("\n").index("## Contact us {#contact}") + 1
    out = tmp_path / "build"
    result = run_packgen("build", "--pack", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "html")
    assert result.returncode == 0, result.stderr
    assert f"warning: {charter}:{line}: section 'contact' is used by no template" in result.stdout
    assert "1 warning(s)" in result.stdout

    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (templates / "documents" / "charter.md.j2").write_text(
        '{% include "partials/title.md.j2" %}\n{{ section(doc.sections.about) }}\nEdited.\n', "utf-8")
    strict = run_packgen("build", "--pack", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "html", "--strict", "-q")
    assert strict.returncode == 1
    assert f"{charter}:{line}: section 'contact' is used by no template" in strict.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before  # nothing replaced


def test_a_pack_folder_with_no_templates_folder_builds(tmp_path: Path) -> None:
    folder = tmp_path / "our pack"
    shutil.copytree(ROOT / "sources", folder, ignore=shutil.ignore_patterns("templates"))
    result = run_packgen("build", "--format", "html", "-q", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "used by no template" not in result.stderr
    charter = html_text(folder / "build" / "standard" / "charter.html")
    assert headings_in_order(charter, "Introduction", "Our values and principles", "The appendices", "Other formats")


def test_packgen_s_own_templates_go_into_the_package_an_organisation_installs(tmp_path: Path) -> None:
    """What setuptools puts in a wheel (or a pip install) is what its build_py step copies."""
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "packgen", tmp_path / "packgen", ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py",
                           "--build-lib", "out"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]

    def templates(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}

    shipped = templates(tmp_path / "out" / "packgen" / "templates")
    assert shipped == templates(ROOT / "packgen" / "templates")
    # and the starter pack `packgen new` writes
    assert templates(tmp_path / "out" / "packgen" / "starter") == templates(ROOT / "packgen" / "starter")
    assert {f"kinds/{kind}.md.j2" for kind in ("summary", "main", "appendix", "form")} <= shipped
    assert {"theme.yaml", "labels/en-GB.yaml"} <= shipped


RETURN_FORM = """\
---
title: Return form
fields:
  - {id: organisation, label: Name of your organisation, type: text, required: true, group: about}
  - {id: email, label: Email address, type: email, required: true, group: about}
  - {id: signed-name, label: Your name, type: signature, group: signature}
---
## About you {#about}

Tell us who you are.

::: easy-read
- ![A person](bust-in-silhouette) Tell us who you are.
:::

## Sending it back {#returning}

Email the form to us.

::: easy-read
- ![An envelope](envelope) Email it to us.
:::
"""


def test_a_form_with_no_template_draws_its_fields(mini_pack, tmp_path: Path) -> None:
    sources, _ = mini_pack
    add_document(sources, "{id: return-form, source: return-form.md, kind: form}", "return-form.md", RETURN_FORM)
    out = tmp_path / "build"
    result = run_packgen("build", "--pack", str(sources), "--out", str(out), "--document", "return-form", "-q")
    assert result.returncode == 0, result.stderr
    with pikepdf.open(out / "standard" / "return-form.pdf") as pdf:
        names = [str(f.T) for f in pdf.Root.AcroForm.Fields]
    assert names == ["organisation", "email", "signed-name"]
    page = (out / "easy-read" / "return-form.html").read_text("utf-8")
    legends = re.findall(r"<legend[^>]*>([^<]*)</legend>", page)
    assert legends == ["About you", "Return form"]  # under its section, else after the last one
    assert page.index("Tell us who you are") < page.index('id="field_organisation"') < page.index("Email it to us")
    assert page.index("Email it to us") < page.index('id="field_signed-name"')
