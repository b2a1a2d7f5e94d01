"""A pack's documents are what its pack.yaml lists: any number, any ids, each of a kind."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pikepdf

from conftest import run_packgen

SAFE = """\
---
title: Appendix E
subtitle: Keeping safe
---
## Keeping safe {#safe}

We keep everyone safe when we meet.

::: easy-read
- ![Two people shaking hands](handshake) We keep you safe.
:::
"""

FORM = """\
---
title: {title}
fields:
  - id: organisation
    label: Name of your organisation
    type: text
    required: true
---
## About this form {{#about}}

Fill in this form and send it back.

::: easy-read
- ![Two people shaking hands](handshake) Fill in this form.
:::
"""

FORM_TEMPLATE = """\
# {{ doc.title }}

{% for s in doc.sections %}
{{ section(s) }}
{% endfor %}
{{ form(doc.fields, legend="About you") }}
"""


def build(sources: Path, templates: Path, out: Path, *extra: str):
    return run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out), *extra)


def add_document(sources: Path, line: str) -> None:
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8") + line + "\n", "utf-8")


def test_an_eighth_document_is_built_everywhere_and_no_combined_pdf_is_lost(mini_pack, tmp_path):
    sources, templates = mini_pack
    (sources / "safe.md").write_text(SAFE, "utf-8")
    (templates / "documents" / "appendix-e.md.j2").write_text(
        (templates / "documents" / "appendix-a.md.j2").read_text("utf-8"), "utf-8")
    add_document(sources, "  - {id: appendix-e, source: safe.md, kind: appendix}")
    out = tmp_path / "build"
    result = build(sources, templates, out)
    assert result.returncode == 0, result.stderr

    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    made = {(o["document"], o["variant"], o["format"]) for o in manifest["outputs"]}
    assert {("appendix-e", v, f) for v in ("standard", "easy-read") for f in ("docx", "pdf", "html")} <= made
    documents = list(dict.fromkeys(o["document"] for o in manifest["outputs"] if o["format"] == "docx"))
    assert documents[-1] == "appendix-e" and len(documents) == 8
    for variant in ("standard", "easy-read"):
        with pikepdf.open(out / variant / "pack.pdf") as pdf:
            titles = [item.title for item in pdf.open_outline().root]
        assert len(titles) == 8 and titles[-1].startswith("Appendix E")
    with zipfile.ZipFile(out / "rct-pack.zip") as archive:
        names = set(archive.namelist())
    assert {"standard/appendix-e.pdf", "easy-read/appendix-e.docx", "standard/pack.pdf", "easy-read/pack.pdf"} <= names
    page = (out / "index.html").read_text("utf-8")
    assert 'href="standard/appendix-e.pdf"' in page and 'href="easy-read/pack.pdf"' in page


def test_a_pack_with_two_forms_and_no_summary(mini_pack, tmp_path):
    sources, templates = mini_pack
    docs = ("  - {id: charter, source: charter.md}\n"
            "  - {id: join-form, source: join.md, kind: form}\n"
            "  - {id: leave-form, source: leave.md, kind: form}\n")
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").split("documents:\n")[0] + "documents:\n" + docs, "utf-8")
    for doc_id, title in (("join", "Joining form"), ("leave", "Leaving form")):
        (sources / f"{doc_id}.md").write_text(FORM.format(title=title), "utf-8")
        (templates / "documents" / f"{doc_id}-form.md.j2").write_text(FORM_TEMPLATE, "utf-8")
    out = tmp_path / "build"
    result = build(sources, templates, out, "--format", "docx,html")
    assert result.returncode == 0, result.stderr
    assert (out / "standard" / "join-form.docx").is_file() and (out / "easy-read" / "leave-form.html").is_file()

    orgs = tmp_path / "orgs.csv"
    orgs.write_text("organisation\nAcme Housing\n", "utf-8")
    common = ("--organisations", str(orgs), "--sources", str(sources), "--templates", str(templates),
              "--format", "docx")
    unsure = run_packgen("forms", *common, "--out", str(tmp_path / "forms"))
    assert unsure.returncode == 1
    assert "2 forms (join-form, leave-form): choose one with --document" in unsure.stderr
    assert not (tmp_path / "forms").exists()
    made = run_packgen("forms", *common, "--out", str(tmp_path / "forms"), "--document", "leave-form")
    assert made.returncode == 0, made.stderr
    assert [p.name for p in (tmp_path / "forms").iterdir()] == ["Acme-Housing.docx"]
    with zipfile.ZipFile(tmp_path / "forms" / "Acme-Housing.docx") as docx:
        words = docx.read("word/document.xml").decode("utf-8")
    assert "Leaving form" in words and "Joining form" not in words

    register = run_packgen("register", str(tmp_path / "forms"), "--out", str(tmp_path / "register.csv"),
                           "--sources", str(sources), "--templates", str(templates))
    assert register.returncode == 1 and "choose one with --document" in register.stderr
    not_a_form = run_packgen("forms", *common, "--out", str(tmp_path / "f2"), "--document", "charter")
    assert not_a_form.returncode == 1 and "'charter' is not a form" in not_a_form.stderr


def test_a_pack_with_no_form_says_so_to_forms_and_register(mini_pack, tmp_path):
    sources, templates = mini_pack
    pack = sources / "pack.yaml"
    pack.write_text(pack.read_text("utf-8").replace("kind: form", "kind: main"), "utf-8")
    orgs = tmp_path / "orgs.csv"
    orgs.write_text("organisation\nAcme Housing\n", "utf-8")
    forms = run_packgen("forms", "--organisations", str(orgs), "--sources", str(sources), "--templates",
                        str(templates), "--out", str(tmp_path / "forms"))
    (tmp_path / "returned").mkdir()
    register = run_packgen("register", str(tmp_path / "returned"), "--out", str(tmp_path / "r.csv"),
                           "--sources", str(sources), "--templates", str(templates))
    for result in (forms, register):
        assert result.returncode == 1
        assert result.stderr.strip() == (f"packgen: error: {pack}: the pack has no form: list one under "
                                         "documents: with 'kind: form'")


def test_mistakes_in_the_documents_list_name_pack_yaml_and_the_line(mini_pack, tmp_path):
    sources, templates = mini_pack
    pack = sources / "pack.yaml"
    good = pack.read_text("utf-8")
    line = good.splitlines().index("  - {id: appendix-b, source: appendix-b.md, kind: appendix}") + 1
    cases = {
        "  - {id: appendix-b, source: appendix-b.md, kind: annex}": "'annex' is not a kind of document",
        "  - {id: appendix-a, source: appendix-b.md, kind: appendix}": "the document 'appendix-a' is listed twice",
        "  - {id: ../appendix-b, source: appendix-b.md, kind: appendix}": "'../appendix-b' is not a document id",
        "  - {id: Appendix-B, source: appendix-b.md, kind: appendix}": "'Appendix-B' is not a document id",
    }
    for entry, words in cases.items():
        pack.write_text(good.replace("  - {id: appendix-b, source: appendix-b.md, kind: appendix}", entry), "utf-8")
        result = build(sources, templates, tmp_path / "build", "--format", "html")
        assert result.returncode == 1, entry
        assert result.stderr.startswith(f"packgen: error: {pack}:{line}: ") and words in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "build" / "standard").exists()


def test_build_document_takes_the_packs_own_ids(mini_pack, tmp_path):
    sources, templates = mini_pack
    result = build(sources, templates, tmp_path / "build", "--document", "charter,appendix-z")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"packgen: error: {sources / 'pack.yaml'}: the pack has no document 'appendix-z' (its documents: "
        "executive-summary, charter, appendix-a, appendix-b, appendix-c, appendix-d, pledge-form)")
