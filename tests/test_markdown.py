"""The Markdown templates produce becomes the document model every writer reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from packgen.markdown import MarkdownError, parse
from packgen.model import (
    Figure,
    FormBlock,
    Heading,
    LineBreak,
    Link,
    ListBlock,
    PageBreak,
    Paragraph,
    PictureRow,
    Table,
    Text,
    plain_text,
)
from packgen.pictures import resolve

FIXTURES = Path(__file__).parent / "fixtures"


def model(text: str):
    return parse(text, lambda name: resolve(name, FIXTURES / "pictures"), "test.md")


def test_the_sample_covers_every_block_kind():
    blocks = model((FIXTURES / "sample.md").read_text("utf-8"))
    kinds = {type(b) for b in blocks}
    assert {Heading, Paragraph, ListBlock, Table, Figure, PageBreak, PictureRow, FormBlock} <= kinds


def test_inline_runs_keep_emphasis_and_links():
    (para,) = model("Plain **bold** *italic* [the standards](https://example.org/s) end  \nnext")
    assert isinstance(para, Paragraph)
    kinds = [(type(r).__name__, getattr(r, "bold", None), getattr(r, "italic", None)) for r in para.children]
    assert kinds[:4] == [("Text", False, False), ("Text", True, False), ("Text", False, False),
                         ("Text", False, True)]
    link = next(r for r in para.children if isinstance(r, Link))
    assert link.href == "https://example.org/s" and link.text == "the standards"
    assert any(isinstance(r, LineBreak) for r in para.children)


def test_nested_lists_nest_and_ordered_lists_keep_their_start():
    blocks = model("- one\n  - inner\n- two\n\n3. three\n4. four\n")
    outer, ordered = blocks
    assert isinstance(outer, ListBlock) and not outer.ordered and len(outer.items) == 2
    inner = outer.items[0].children[1]
    assert isinstance(inner, ListBlock) and plain_text(inner.items[0].children[0].children) == "inner"
    assert isinstance(ordered, ListBlock) and ordered.ordered and ordered.start == 3


def test_table_has_header_row_and_alignment():
    (table,) = model("| Name | Count |\n| --- | ---: |\n| a | 1 |\n| b | 2 |\n")
    assert isinstance(table, Table)
    assert [c.text for c in table.header] == ["Name", "Count"]
    assert [[c.text for c in row] for row in table.rows] == [["a", "1"], ["b", "2"]]
    assert table.header[1].align == "right"


def test_figure_with_alt_and_caption():
    (figure,) = model('![Two hands shaking](handshake "Working together")')
    assert isinstance(figure, Figure)
    assert figure.picture.alt == "Two hands shaking" and figure.picture.path.suffix == ".svg"
    assert plain_text(figure.caption) == "Working together"


def test_easy_read_points_become_picture_rows():
    rows = model("- ![A handshake](handshake) We work **together**.\n- ![A thumbs up](thumbs-up-sign) Good.\n")
    assert all(isinstance(r, PictureRow) for r in rows) and len(rows) == 2
    assert rows[0].picture.alt == "A handshake"
    assert plain_text(rows[0].children[0].children) == "We work together."
    assert any(isinstance(r, Text) and r.bold for r in rows[0].children[0].children)


def test_form_block_carries_fields():
    (form,) = model('```form\n{"legend": "You", "fields": [{"id": "name", "label": "Name", "type": "text",'
                    ' "required": true}]}\n```\n')
    assert isinstance(form, FormBlock) and form.legend == "You"
    assert form.fields[0].id == "name" and form.fields[0].required


@pytest.mark.parametrize("text, words", [
    ("A & B", "A & B"),
    ("Under 18s: age < 18, and 3<4", "Under 18s: age < 18, and 3<4"),
    (r"Fill in \<your name>", "Fill in <your name>"),
])
def test_signs_that_are_not_html_are_text(text, words):
    (para,) = model(text)
    assert para.text == words


@pytest.mark.parametrize("text, complaint, line", [
    ("Intro\n\n> a quote", "quotes", 3),
    ("Intro\n\n---\n", "page-break", 3),
    ("Text with ![a picture](handshake) inside", "own", 1),
    ("- ![A handshake](handshake) point\n- plain point", "every point starts with a picture", 1),
    ("[](https://example.org)", "no words", 1),
    ("![Nothing](no-such-pictogram-name)", "not found", 1),
    ("```python\nprint()\n```", "code blocks", 1),
    ("Intro\n\nHello <b>there</b>", "HTML ('<b>') is not supported in packs: write **bold**", 3),
    ("Intro\n\n<div>\nA box\n</div>\n", "HTML ('<div>') is not supported in packs: write it in Markdown", 3),
    ("Intro\n\n<!-- a note to self -->\n", "HTML comments ('<!-- ... -->') are not supported", 3),
    ("Intro\n\nA claim.[^1]\n\n[^1]: The source.\n", "footnotes ('[^1]') are not supported", 3),
    ("Intro\n\nA claim.\n\n[^1]: The source.\n", "footnotes ('[^1]: ...') are not supported", 5),
    ("Intro\n\nA claim.^[The source.]\n", "footnotes ('^[...]') are not supported", 3),
    ("Intro\n\nWe ~~will~~ may pay.\n", "crossed-out words ('~~...~~') are not supported", 3),
])
def test_unsupported_constructs_are_named_with_their_line(text, complaint, line):
    with pytest.raises(MarkdownError) as caught:
        model(text)
    assert complaint in str(caught.value)
    assert caught.value.line == line and caught.value.path == Path("test.md")


def test_the_parser_only_parses_the_files_are_the_resolvers_business(tmp_path, monkeypatch):
    # a picture named is taken as the resolver gives it: the parser opens no file and keeps nothing
    from packgen import cache as disk_cache

    kept = tmp_path / "cache"
    kept.mkdir()
    monkeypatch.setattr(disk_cache, "folder", lambda: kept)
    nowhere = tmp_path / "not-made-yet.png"
    blocks = parse("## Signs\n\n![Our sign](our-sign.png)\n", lambda name: nowhere, "signs.md")
    assert blocks[1].picture.path == nowhere and not nowhere.exists()
    assert not list(kept.rglob("*"))


def test_a_picture_the_resolver_finds_broken_is_an_error_at_its_line(tmp_path):
    broken = tmp_path / "pictures"
    broken.mkdir()
    (broken / "torn.png").write_bytes(b"not a png at all")
    with pytest.raises(MarkdownError, match="the picture 'torn.png' cannot be used: it is not a picture") as caught:
        parse("## Signs\n\nWords.\n\n![A torn sign](torn.png)\n", lambda name: resolve(name, broken), "signs.md", 10)
    assert caught.value.line == 14
