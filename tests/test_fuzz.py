"""Whatever a comms editor types, packgen answers with its own clear error or a file, never a crash.

Random and mutated sources go through the loader, the Markdown parser and the writers; the only
exceptions allowed out are PackgenError subclasses, which the CLI prints as one line.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from packgen.compose import compose
from packgen.errors import PackgenError
from packgen.markdown import parse
from packgen.sources.loader import load_pack
from packgen.templating import Renderer

from conftest import make_pack
from samples import make_document, resolver

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

MARKDOWN_PIECES = st.sampled_from([
    "# ", "## ", "### ", "#### ", "- ", "  - ", "    - ", "1. ", "3) ", "**", "*", "_", "`", "[", "]", "(", ")",
    "![", "](handshake)", "](nope.png)", "| a | b |\n| - | - |\n", "| x |", "::: page-break\n:::\n",
    "::: easy-read\n", ":::\n", "```form\n", "```\n", "{#id}", "\n", "\n\n", "> ", "<b>", "&amp;", "{{ x }}",
    "%PDF-1.7", "\\", "  \n", "\t", "ŵŷ", "Zażółć", "ادارہ", "e\u0301", "\u200f", "x" * 300,
])
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)
MARKDOWN = st.lists(st.one_of(MARKDOWN_PIECES, TEXT), max_size=40).map("".join)


def _parse(text: str):
    return parse(text, resolver, "fuzz.md")


@SETTINGS
@given(MARKDOWN)
def test_the_parser_gives_a_model_or_a_clear_error(text):
    try:
        _parse(text)
    except PackgenError as exc:
        assert str(exc).startswith("fuzz.md")


@SETTINGS
@given(st.integers(min_value=1, max_value=60), st.integers(min_value=1, max_value=200))
def test_deep_nesting_and_huge_tables(depth, rows):
    nested = "".join("  " * i + f"- level {i}\n" for i in range(depth))
    table = "| a | b | c |\n| --- | --- | --- |\n" + "".join(f"| {i} | {'w' * 50} | z |\n" for i in range(rows))
    blocks = _parse(nested + "\n" + table)
    assert blocks


WRITER_TEXT = st.lists(st.one_of(st.sampled_from([
    "word ", "**bold** ", "*it* ", "[link](https://example.org) ", "- item\n", "1. one\n", "\n\n", "## Head\n\n",
    "### Sub\n\n", "| a | b |\n| - | - |\n| 1 | 2 |\n\n", "![A handshake](handshake)\n\n", "x" * 400 + " ",
    "Zażółć gęślą jaźń ", "Ŵ ŷ ", "e\u0301 ", "<b>&\"'</b> ", "{{ x }} ", "%PDF ",
]), st.text(alphabet="abc XYZ.,;-", max_size=60)), max_size=30).map("".join)


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=WRITER_TEXT, easy=st.booleans())
def test_writers_write_a_file_or_give_a_clear_error(fmt, theme, tmp_path_factory, body, easy):
    from packgen import writers

    try:
        blocks = _parse("# Title\n\n" + body)
    except PackgenError:
        assume(False)
    out = tmp_path_factory.mktemp(fmt) / f"out.{fmt}"
    try:
        writers.get(fmt).write(make_document(blocks, "easy-read" if easy else "standard", "charter"), theme, out)
    except PackgenError:
        return
    assert out.stat().st_size > 0


def _mutations(text: str) -> st.SearchStrategy[str]:
    position = st.integers(min_value=0, max_value=max(0, len(text) - 1))
    insert = st.tuples(position, st.one_of(MARKDOWN_PIECES, TEXT)).map(lambda p: text[:p[0]] + p[1] + text[p[0]:])
    delete = st.tuples(position, st.integers(1, 40)).map(lambda p: text[:p[0]] + text[p[0] + p[1]:])
    return st.one_of(insert, delete)


@pytest.mark.parametrize("name", ["pack.yaml", "charter.md"])
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_sources_load_and_render_or_fail_clearly(name, data):
    with tempfile.TemporaryDirectory() as tmp:
        sources, templates = make_pack(Path(tmp))
        path = sources / name
        path.write_text(data.draw(_mutations(path.read_text("utf-8"))), "utf-8")
        try:
            pack = load_pack(sources)
            renderer = Renderer(pack, templates)
            for doc_id in pack.documents:  # a mutated pack.yaml may name other documents
                for variant in ("standard", "easy-read"):
                    compose(pack, renderer, doc_id, variant)
        except PackgenError as exc:
            assert exc.path is not None, f"an error that names no file: {exc}"
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
