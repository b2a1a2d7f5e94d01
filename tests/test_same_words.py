"""One document, three formats, the same words: what a reader sees in the Word file, the PDF and the
web page comes from one model, so a form field's hints and easy read's emphasis never differ.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from packgen import writers
from packgen.compose import compose
from packgen.errors import TemplateError
from packgen.model import FormBlock, Text, walk
from packgen.sources.loader import load_pack
from packgen.templating import Renderer

from conftest import ROOT, make_pack, own_labels
from pdf_clients import pdffonts, require, run

FORMATS = ("docx", "pdf", "html")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p"))


def pdf_text(path: Path) -> str:
    return run(require("pdftotext"), str(path), "-")


def html_text(path: Path) -> str:
    return lxml.html.fromstring(path.read_bytes()).find("body").text_content()


READ = {"docx": docx_text, "pdf": pdf_text, "html": html_text}


def write_all(document, theme, out: Path) -> dict[str, Path]:
    paths = {}
    for fmt in FORMATS:
        paths[fmt] = out / f"{document.id}-{document.variant}.{fmt}"
        writers.get(fmt).write(document, theme, paths[fmt])
    return paths


@pytest.fixture(scope="module")
def pledge_forms(tmp_path_factory) -> dict[str, tuple[dict[str, str], dict[str, str], object]]:
    """The shipped pledge form in both variants: (text per format, the form labels, the document)."""
    from samples import theme

    pack = load_pack(ROOT / "sources")
    renderer = Renderer(pack, ROOT / "sources" / "templates")
    out = tmp_path_factory.mktemp("same-words")
    made = {}
    for variant in ("standard", "easy-read"):
        document = compose(pack, renderer, "pledge-form", variant)
        paths = write_all(document, theme(), out)
        texts = {fmt: squash(READ[fmt](path)) for fmt, path in paths.items()}
        labels = renderer.labels("pledge-form", variant)
        form_words = {k: v for k, v in labels.items()
                      if isinstance(v, str) and v.strip() and (k in ("required", "date_format") or "_hint" in k)}
        made[variant] = (texts, form_words, document)
    return made


@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_every_field_shows_its_mark_and_hints_in_word_pdf_and_html(pledge_forms, variant):
    texts, _, document = pledge_forms[variant]
    fields = [f for b in walk(document.blocks) if isinstance(b, FormBlock) for f in b.fields]
    assert any(f.hints for f in fields) and any(f.required_mark for f in fields)
    for field in fields:
        for fmt in FORMATS:  # each format's own hints where it has them (a web page's signature)
            for words in (field.required_mark, *field.hints_in(fmt)):
                if words:
                    assert squash(words) in texts[fmt], f"{field.id}: {words!r} is not in the {fmt} file"


@pytest.mark.parametrize("variant", ["standard", "easy-read"])
def test_a_form_hint_in_one_format_is_in_all_three(pledge_forms, variant):
    texts, form_words, _ = pledge_forms[variant]
    assert form_words
    for key, words in form_words.items():
        shown = {fmt: squash(words) in texts[fmt] for fmt in FORMATS}
        # A format's own words (<type>_hint_<format>) are in that format only, in place of <type>_hint.
        own = {fmt for fmt in FORMATS if f"{key}_{fmt}" in form_words}
        if key.rsplit("_", 1)[-1] in FORMATS:
            fmt = key.rsplit("_", 1)[-1]
            assert not any(v for f, v in shown.items() if f != fmt), f"the label {key!r} shows in {shown}"
        else:
            rest = {fmt: v for fmt, v in shown.items() if fmt not in own}
            assert len(set(rest.values())) == 1, f"the label {key!r} ({words!r}) shows in {shown}"
            assert not any(shown[fmt] for fmt in own), f"the label {key!r} shows where {own} have their own"


def test_the_web_pages_signature_help_is_its_own_and_says_nothing_of_acrobat(pledge_forms):
    """A web page's signature box is a typed name: its words say so, and nothing of a PDF's signature."""
    for variant in ("standard", "easy-read"):
        texts, form_words, document = pledge_forms[variant]
        signature = next(f for b in walk(document.blocks) if isinstance(b, FormBlock) for f in b.fields
                         if f.type == "signature")
        assert signature.hints_in("html") == (form_words["signature_hint_html"],)
        assert signature.hints_in("pdf") == signature.hints_in("docx") == (form_words["signature_hint"],)
        web = " ".join(signature.hints_in("html")).lower()
        assert "acrobat" not in web and "digital signature" not in web
        assert squash(form_words["signature_hint_html"]) in texts["html"]
        assert squash(form_words["signature_hint"]) not in texts["html"]


def test_a_required_field_without_words_to_mark_it_is_an_error_naming_labels_yaml(tmp_path):
    sources, templates = make_pack(tmp_path)
    (templates / "documents" / "charter.md.j2").write_text(
        '# {{ doc.title }}\n\n{{ form([{"id": "name", "label": "Your name", "type": "text", "required": true}]) }}\n',
        "utf-8")
    labels = own_labels(sources)
    labels.write_text(re.sub(r"(?m)^required:.*\n", 'required: ""\n', labels.read_text("utf-8")), "utf-8")
    pack = load_pack(sources)
    with pytest.raises(TemplateError, match="required") as caught:
        compose(pack, Renderer(pack, templates), "charter", "standard")
    assert caught.value.path == labels


def test_easy_read_shows_no_italics_in_any_format_but_keeps_the_emphasis(tmp_path, theme):
    sources, templates = make_pack(tmp_path)
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace("We wrote this with you.", "We wrote this with *you*.")
                       .replace("with the people", "with the *people*"), "utf-8")
    pack = load_pack(sources)
    renderer = Renderer(pack, templates)

    easy = compose(pack, renderer, "charter", "easy-read")
    runs = [r for b in walk(easy.blocks) for r in getattr(b, "children", ()) if isinstance(r, Text)]
    assert not any(r.italic for r in runs)
    assert any(r.bold and r.text == "you" for r in runs)
    paths = write_all(easy, theme, tmp_path)

    with zipfile.ZipFile(paths["docx"]) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    assert body.find(f".//{W}i") is None
    emphasised = next(r for r in body.iter(f"{W}r") if "".join(t.text or "" for t in r.iter(f"{W}t")) == "you")
    assert emphasised.find(f"{W}rPr/{W}b") is not None
    assert not [f for f in pdffonts(paths["pdf"]) if re.search("italic|oblique", f["name"], re.I)]
    page = lxml.html.fromstring(paths["html"].read_bytes())
    assert not page.xpath("//em | //i") and page.xpath("//strong[. = 'you']")
    assert "font-style: italic" not in paths["html"].read_text("utf-8")

    standard = write_all(compose(pack, renderer, "charter", "standard"), theme, tmp_path)
    assert lxml.html.fromstring(standard["html"].read_bytes()).xpath("//em[. = 'people']")


def test_words_only_some_formats_show_lose_their_italics_in_easy_read_too(tmp_path, theme):
    sources, templates = make_pack(tmp_path)
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace(
        "We wrote this with you.\n",
        "We wrote this with you.\n\n::: for pdf docx html\n- ![A pen](lower-left-ballpoint-pen) Sign it *yourself*.\n"
        ":::\n"), "utf-8")
    pack = load_pack(sources)
    paths = write_all(compose(pack, Renderer(pack, templates), "charter", "easy-read"), theme, tmp_path)

    with zipfile.ZipFile(paths["docx"]) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    assert body.find(f".//{W}i") is None
    emphasised = next(r for r in body.iter(f"{W}r") if "".join(t.text or "" for t in r.iter(f"{W}t")) == "yourself")
    assert emphasised.find(f"{W}rPr/{W}b") is not None
    assert not [f for f in pdffonts(paths["pdf"]) if re.search("italic|oblique", f["name"], re.I)]
    page = lxml.html.fromstring(paths["html"].read_bytes())
    assert not page.xpath("//em | //i") and page.xpath("//strong[. = 'yourself']")
