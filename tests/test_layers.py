"""Each layer stands on the ones below it: the Markdown parser only parses, the register's form
reader and the Word importer need nothing of the accessibility checker, and textstat's stand-in is the only one packgen
gives any library."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT


def modules_after(script: str) -> list[str]:
    """The packgen modules (and pkg_resources) a fresh interpreter has loaded after running `script`."""
    probe = (f"{script}\nimport json, sys\n"
             "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('packgen', 'pkg_resources'))))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.splitlines()[-1])


def test_the_markdown_parser_needs_neither_the_sources_nor_the_cache():
    loaded = modules_after("from packgen import markdown\n"
                           "blocks = markdown.parse('## A heading\\n\\nSome *words*.\\n', lambda name: None)\n"
                           "assert len(blocks) == 2")
    assert "packgen.markdown" in loaded
    assert not [m for m in loaded if m.startswith(("packgen.sources", "packgen.cache", "packgen.markdown_cache"))]


def test_reading_a_returned_word_file_needs_nothing_of_the_checker(tmp_path: Path):
    returned = tmp_path / "returned.docx"
    with zipfile.ZipFile(returned, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")
    loaded = modules_after(
        "from pathlib import Path\n"
        "from packgen.forms import readers\n"
        f"reading = readers.read_docx(Path({str(returned)!r}), readers.Expect((), '', '', ''))\n"
        "assert reading.status == readers.NOT_OURS, reading")
    assert "packgen.safeio" in loaded
    assert not [m for m in loaded if m.startswith("packgen.check")]


def test_importing_a_word_file_needs_nothing_of_the_checker(tmp_path: Path):
    # `packgen import` asks, as `packgen check` does, whether packgen made the file (packgen.made_by);
    # the answer is no checker's to give
    import docx

    word = docx.Document()
    word.add_heading("Our promise", level=1)
    word.add_paragraph("We listen first.")
    word.save(tmp_path / "promise.docx")
    (tmp_path / "pack.yaml").write_text("title: Our pack\n", "utf-8")
    loaded = modules_after(
        "from pathlib import Path\n"
        "from packgen.importer.run import import_document\n"
        f"report = import_document(Path({str(tmp_path / 'promise.docx')!r}), Path({str(tmp_path)!r}), 'promise')\n"
        "assert report.sections == 1, report")
    assert "packgen.made_by" in loaded
    assert not [m for m in loaded if m.startswith("packgen.check")]
    assert "We listen first." in (tmp_path / "promise.md").read_text("utf-8")


def test_textstat_is_imported_without_leaving_a_pkg_resources_behind():
    loaded = modules_after(
        "from packgen.textstat_shim import import_textstat\n"
        "textstat = import_textstat()\n"
        "assert textstat.flesch_reading_ease('We work together. We pay people on time.') > 70")
    assert "pkg_resources" not in loaded


def test_only_the_writers_reach_into_a_writer():
    # Outside packgen/writers, a format is known by its package's own face (its descriptor, and what
    # its __init__ offers, like the web writer's download page), never by its modules: a writer's
    # modules can change, or a format be added, without touching the rest of packgen.
    writers_dir = ROOT / "packgen" / "writers"
    modules = {f"packgen.writers.{package.name}.{module.stem}" for package in writers_dir.iterdir()
               if (package / "__init__.py").is_file() for module in package.iterdir()
               if module.suffix == ".py" and module.stem != "__init__" or (module / "__init__.py").is_file()}
    reaching = []
    for path in sorted((ROOT / "packgen").rglob("*.py")):
        if writers_dir in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            if any(name == module or name.startswith(f"{module}.") for name in names for module in modules):
                reaching.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not reaching
