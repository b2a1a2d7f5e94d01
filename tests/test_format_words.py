"""Each format gives its own instructions: a source's `::: for pdf docx` block is shown by those
formats only, so the web pledge form never tells its reader to sign in Acrobat, and the PDF does
not tell them to type their name on a web page."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_same_words import READ

from packgen import writers

from conftest import run_packgen

pytestmark = pytest.mark.slow


def words(path: Path) -> str:
    return " ".join(READ[path.suffix[1:]](path).split())


def test_each_format_of_the_pledge_form_says_how_to_sign_in_that_format(built_pack: Path) -> None:
    for variant in ("standard", "easy-read"):
        pdf, docx, html = (words(built_pack / variant / f"pledge-form.{fmt}") for fmt in ("pdf", "docx", "html"))
        assert "digital signature" in pdf and "digital signature" not in html, variant
        assert "Acrobat" not in html and "Acrobat" not in docx, variant
    standard = {fmt: words(built_pack / "standard" / f"pledge-form.{fmt}") for fmt in ("pdf", "docx", "html")}
    assert "such as Adobe Acrobat Reader" in standard["pdf"]
    assert "type your full name in the signature box" in standard["html"]
    assert "add a digital signature to the document in Word" in standard["docx"]
    for text in standard.values():  # what every format shares is in every format, once
        assert text.count("On paper: print the form") == 1
    assert "Type your name to sign it" in words(built_pack / "easy-read" / "pledge-form.html")


@pytest.fixture
def pack_with(mini_pack):
    """The small pack, its charter's section given `extra` at its end."""
    sources, templates = mini_pack

    def edit(extra: str) -> tuple[Path, Path]:
        charter = sources / "charter.md"
        text = charter.read_text("utf-8")
        charter.write_text(text.replace("\n::: easy-read", f"\n{extra}\n::: easy-read", 1), "utf-8")
        return sources, templates
    return edit


def test_a_block_for_some_formats_is_in_those_formats_only(pack_with, tmp_path: Path) -> None:
    sources, templates = pack_with("::: for html\nPress the button to send it.\n:::\n\n"
                                   "::: for pdf docx\nPost the printed copy to us.\n:::\n")
    out = tmp_path / "build"
    result = run_packgen("build", "--pack", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--variant", "standard", "-q")
    assert result.returncode == 0, result.stderr
    shown = {fmt: words(out / "standard" / f"charter.{fmt}") for fmt in ("html", "pdf", "docx")}
    assert "Press the button" in shown["html"] and "Post the printed copy" not in shown["html"]
    for fmt in ("pdf", "docx"):
        assert "Post the printed copy" in shown[fmt] and "Press the button" not in shown[fmt], fmt
        assert "Riverside Community Trust wrote this" in shown[fmt]


@pytest.mark.parametrize(("block", "complaint"), [
    ("::: for fax\nRead it on your fax machine.\n:::\n",
     f"there is no format 'fax': packgen writes {', '.join(writers.names())}"),
    ("::: for\nFor whom?\n:::\n", "say which formats show this block, e.g. '::: for html pdf'"),
    ("::: for pdf\n### Signing\n\nSign it.\n:::\n", "a '::: for' block holds no headings"),
])
def test_a_mistake_in_a_block_for_some_formats_names_its_line(pack_with, tmp_path: Path, block: str,
                                                               complaint: str) -> None:
    sources, templates = pack_with(block)
    line = sources.joinpath("charter.md").read_text("utf-8").splitlines().index(block.splitlines()[0]) + 1
    out = tmp_path / "build"
    result = run_packgen("build", "--pack", str(sources), "--templates", str(templates), "--out", str(out), "-q")
    assert result.returncode != 0
    [message] = [line for line in result.stderr.splitlines() if line.strip()]
    assert f"charter.md:{line}:" in message and complaint in message, message
    assert not list(out.rglob("*.pdf")) and not list(out.rglob("*.html"))
