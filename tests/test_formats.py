"""A new format is one package with one descriptor: registered, it is built, listed, zipped and offered.

The story: someone adds a plain-text writer (here a module outside packgen, registered before the
command runs) and the organisation names it in its own labels file. Without changing any other
packgen file, the whole-pack build writes a .txt of every document in both variants and one of
each whole version (as pack.pdf is made by the PDF format's own package), the manifest lists them,
the zip carries them, the download page links them with the organisation's words, the command line
offers the format, and `packgen check` says plainly it has no rules for it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from packgen import writers
from packgen.template_folders import PACKGEN_TEMPLATES

from conftest import MINI_IDS, ROOT, own_labels

PLAIN_TEXT_WRITER = '''
from packgen.model import Heading, Paragraph, Text, walk


def write(document, theme, path):
    lines = []
    for block in walk(document.blocks):
        if isinstance(block, Heading | Paragraph):
            lines.append("".join(run.text for run in block.children if isinstance(run, Text)))
    path.write_text("\\n\\n".join(lines) + "\\n", "utf-8")
    return None


def make_pack(target, inputs, parts, about):
    texts = [path.read_text("utf-8") for _, path, _ in parts]
    target.write_text(about.title + "\\n\\n" + "".join(texts), "utf-8")
    return {}


def missing():
    return "plain-text-tool is not installed: install Debian's plain-text-tool to make plain text files"
'''

REGISTER_AND_RUN = '''
import sys
from packgen import writers
from packgen.cli import main

writers.register(writers.Format(name="txt", suffix=".txt", writer="plain_text", label="index_format_txt",
                                rank=5, whole_pack="plain_text:make_pack"{missing}))
sys.exit(main(sys.argv[1:]))
'''


def packgen_with_plain_text(folder: Path, *args: str, tool_missing: bool = False) -> subprocess.CompletedProcess[str]:
    """packgen with the plain-text format registered; `tool_missing`: on a machine without what it needs."""
    (folder / "plain_text.py").write_text(PLAIN_TEXT_WRITER, "utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")])}
    script = REGISTER_AND_RUN.format(missing=', missing="plain_text:missing"' if tool_missing else "")
    return subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, env=env)


@pytest.fixture
def plain_text_pack(mini_pack, tmp_path: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
    sources, templates = mini_pack
    labels = own_labels(sources)
    labels.write_text(labels.read_text("utf-8") + 'index_format_txt: "Plain text"\n', "utf-8")
    out = tmp_path / "build"
    result = packgen_with_plain_text(tmp_path, "build", "--sources", str(sources), "--templates", str(templates),
                                     "--out", str(out))
    return out, result


def test_a_registered_format_is_built_for_every_document_and_listed(plain_text_pack) -> None:
    out, result = plain_text_pack
    assert result.returncode == 0, result.stderr
    listed = {o["path"]: o for o in json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]}
    for variant in ("standard", "easy-read"):
        for doc_id in MINI_IDS:
            path = f"{variant}/{doc_id}.txt"
            assert listed[path]["format"] == "txt" and listed[path]["document"] == doc_id
            assert (out / path).read_text("utf-8").startswith(doc_id.replace("-", " ").title())
    assert "built standard/charter.txt" in result.stdout


def test_a_registered_format_is_zipped_and_offered_on_the_download_page(plain_text_pack) -> None:
    out, result = plain_text_pack
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(next(out.glob("*-pack.zip"))) as archive:
        assert {f"{v}/{d}.txt" for v in ("standard", "easy-read") for d in MINI_IDS} <= set(archive.namelist())
    page = (out / "index.html").read_text("utf-8")
    link = re.search(r'<a href="standard/charter.txt">([^<]*)<', page)
    assert link and link.group(1).startswith("Plain text, "), page


def test_a_registered_format_makes_its_own_file_of_the_whole_pack(plain_text_pack) -> None:
    out, result = plain_text_pack
    assert result.returncode == 0, result.stderr
    listed = {o["path"]: o for o in json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]}
    for variant in ("standard", "easy-read"):
        whole = (out / variant / "pack.txt").read_text("utf-8")
        assert whole.endswith("".join((out / variant / f"{d}.txt").read_text("utf-8") for d in MINI_IDS))
        assert listed[f"{variant}/pack.txt"]["document"] == "pack"
    with zipfile.ZipFile(next(out.glob("*-pack.zip"))) as archive:
        assert {"standard/pack.txt", "easy-read/pack.txt"} <= set(archive.namelist())
    assert 'href="standard/pack.txt"' in (out / "index.html").read_text("utf-8")


def test_a_format_without_its_words_in_labels_yaml_is_one_clear_error(mini_pack, tmp_path: Path) -> None:
    sources, templates = mini_pack
    result = packgen_with_plain_text(tmp_path, "build", "--sources", str(sources), "--templates", str(templates),
                                     "--out", str(tmp_path / "build"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"packgen: error: {PACKGEN_TEMPLATES / 'labels' / 'en-GB.yaml'}: no words for index_format_txt: add what the "
        "download page calls these files"]


def test_the_command_line_offers_a_registered_format(tmp_path: Path) -> None:
    result = packgen_with_plain_text(tmp_path, "build", "--help")
    assert result.returncode == 0
    offered = re.search(r"only these formats, comma-separated: ([\w, ]+?) \(", " ".join(result.stdout.split()))
    assert offered and sorted(offered.group(1).split(", ")) == sorted([*writers.names(), "txt"]), result.stdout


def test_a_machine_without_a_formats_tool_builds_the_rest_and_says_what_to_install(mini_pack, tmp_path: Path) -> None:
    """A comms editor runs `make` on a new laptop that lacks a default format's system library: the pack is
    built without that format, the build says what to install, and nothing promises the missing files."""
    sources, templates = mini_pack
    labels = own_labels(sources)
    labels.write_text(labels.read_text("utf-8") + 'index_format_txt: "Plain text"\n', "utf-8")
    charter_template = templates / "documents" / "charter.md.j2"
    ending = '\n{% include "partials/other-formats.md.j2" %}\n'  # the words on the versions and formats offered
    charter_template.write_text(charter_template.read_text("utf-8") + ending, "utf-8")
    with_tool = tmp_path / "with-tool"
    assert packgen_with_plain_text(tmp_path, "build", "--sources", str(sources), "--templates", str(templates),
                                   "--out", str(with_tool)).returncode == 0
    assert "Plain text" in (with_tool / "standard" / "charter.html").read_text("utf-8")
    out = tmp_path / "build"
    result = packgen_with_plain_text(tmp_path, "build", "--sources", str(sources), "--templates", str(templates),
                                     "--out", str(out), tool_missing=True)
    assert result.returncode == 0, result.stderr
    assert ("warning: no txt files in this pack: plain-text-tool is not installed: install Debian's plain-text-tool "
            "to make plain text files") in result.stdout.splitlines()
    listed = [o["path"] for o in json.loads((out / "manifest.json").read_text("utf-8"))["outputs"]]
    assert "standard/charter.pdf" in listed and not [path for path in listed if path.endswith(".txt")]
    page = (out / "index.html").read_text("utf-8")
    charter = (out / "standard" / "charter.html").read_text("utf-8")
    assert "Plain text" not in page and "Plain text" not in charter
    before = {path: path.read_bytes() for path in out.rglob("*") if path.is_file()}
    asked = packgen_with_plain_text(tmp_path, "build", "--sources", str(sources), "--templates", str(templates),
                                    "--out", str(out), "--format", "txt", tool_missing=True)
    assert asked.returncode == 1
    assert asked.stderr.strip().splitlines() == [
        "packgen: error: --format txt: plain-text-tool is not installed: install Debian's plain-text-tool to make "
        "plain text files"]
    assert {path: path.read_bytes() for path in out.rglob("*") if path.is_file()} == before

