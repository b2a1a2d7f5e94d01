"""Templates decide what goes in each document; mistakes in them name the template and line."""

from __future__ import annotations

import pytest

from packgen import template_time
from packgen.compose import compose
from packgen.errors import TemplateError
from packgen.model import Heading, Paragraph, PictureRow, plain_text
from packgen.sources.loader import load_pack
from packgen.sources.names import KINDS
from packgen.sources.sections import split_sections
from packgen.template_folders import PACKGEN_TEMPLATES
from packgen.templating import Renderer, section_markdown

from conftest import run_packgen


def render_with(mini_pack, template: str, doc: str = "charter", variant: str = "standard") -> str:
    sources, templates = mini_pack
    (templates / "documents" / f"{doc}.md.j2").write_text(template, "utf-8")
    return Renderer(load_pack(sources), templates).render(doc, variant)


def test_undefined_variable_names_template_and_line(mini_pack):
    with pytest.raises(TemplateError) as caught:
        render_with(mini_pack, "# {{ doc.title }}\n\nSome words.\n{{ pack.organisaton }}\n")
    err = caught.value
    assert err.path is not None and err.path.name == "charter.md.j2"
    assert err.line == 4
    assert "organisaton" in str(err)


def test_unknown_section_says_which_exist(mini_pack):
    with pytest.raises(TemplateError) as caught:
        render_with(mini_pack, "# {{ doc.title }}\n\n{{ section(doc.sections.intro) }}\n")
    err = caught.value
    assert err.path is not None and err.path.name == "charter.md.j2" and err.line == 3
    assert "'intro'" in str(err) and "about" in str(err)


def test_syntax_error_names_template_and_line(mini_pack):
    with pytest.raises(TemplateError) as caught:
        render_with(mini_pack, "# {{ doc.title }}\n\n{% if pack.title %}\nno endif\n")
    err = caught.value
    assert err.path is not None and err.path.name == "charter.md.j2"
    assert err.line is not None and "syntax" in str(err)


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ doc.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{% include '/etc/passwd' %}",
    "{% include '../pyproject.toml' %}",
    "{{ self._TemplateReference__context }}",
])
def test_templates_cannot_reach_python_or_files(mini_pack, attack):
    with pytest.raises(TemplateError):
        render_with(mini_pack, "# {{ doc.title }}\n\n" + attack + "\n")


@pytest.mark.parametrize(("expression", "said"), [
    ("{{ 1 / 0 }}", "division by zero"),
    ('{{ "Total: " + 3 }}', "can only concatenate str"),
    ('{{ "%d" % "three" }}', "a real number is required"),
    ("{{ [1][5] }}", "no element 5"),
    ("{% macro again() %}{{ again() }}{% endmacro %}{{ again() }}", "calls itself without end"),
    ("{{ label('no-such-label') }}", "there is no label 'no-such-label' in the labels file"),
])
def test_a_mistake_in_an_expression_names_the_template_line(mini_pack, expression, said):
    with pytest.raises(TemplateError) as caught:
        render_with(mini_pack, "# {{ doc.title }}\n\nSome words.\n" + expression + "\n")
    err = caught.value
    assert (err.path.name, err.line) == ("charter.md.j2", 4)
    assert said in str(err) and "\n" not in str(err)


@pytest.mark.parametrize("nested", ["{% for a in [1] %}" * 200 + "x" + "{% endfor %}" * 200,
                                    "{{ " + "(" * 500 + "1" + ")" * 500 + " }}"],
                         ids=["200 loops in one another", "500 brackets"])
def test_a_template_nested_beyond_what_can_be_read_is_one_clear_error_naming_it(mini_pack, nested):
    with pytest.raises(TemplateError) as caught:
        render_with(mini_pack, "# {{ doc.title }}\n\n" + nested + "\n")
    assert caught.value.path.name == "charter.md.j2" and "nests" in str(caught.value), str(caught.value)


@pytest.mark.parametrize("expression", [
    '{{ "x" * 10 ** 8 }}', "{% set n = 10 ** 7 %}{{ [1] * n }}", "{{ 10 ** (10 ** 8) }}", '{{ "%099999999d" % 1 }}',
])
def test_a_template_cannot_make_something_huge(mini_pack, expression):
    # Each would take the machine's memory or hang the build; the sandbox refuses it at once.
    with pytest.raises(TemplateError) as caught:
        render_with(mini_pack, "# {{ doc.title }}\n\n" + expression + "\n")
    assert caught.value.line == 3 and "too big" in str(caught.value)


def test_ordinary_arithmetic_and_formatting_still_work(mini_pack):
    sums = '{{ "=" * 3 }} {{ 2 ** 10 }} {{ "%.2f" % 3.14159 }} {{ 6 * 7 }}'
    text = render_with(mini_pack, "# {{ doc.title }}\n\n" + sums + "\n")
    assert r"=== 1024 3\.14 42" in text  # the sandbox's bound leaves everyday sums alone


def test_a_template_that_runs_too_long_is_stopped_at_its_line(mini_pack, monkeypatch):
    # Loops over a list print nothing and make nothing big, so only the time bound stops them.
    monkeypatch.setattr(template_time, "MAX_TEMPLATE_SECONDS", 0.5)
    loops = "{% set x = range(100000) | list %}\n{% for i in x %}{% for j in x %}{% endfor %}{% endfor %}"
    with pytest.raises(TemplateError) as caught:
        render_with(mini_pack, "# {{ doc.title }}\n\n" + loops + "\n")
    assert caught.value.line == 4
    assert caught.value.message == "the template was still running after 0.5 seconds: a loop that does not end?"


def test_what_templates_do_every_day_still_works_in_the_sandbox(mini_pack):
    everyday = """\
{% macro shout(word) %}{{ word | upper }}{% endmacro %}
{% set ns = namespace(ids=[], words="") %}
{% for s in doc.sections %}{% set ns.ids = ns.ids + [s.id] %}{% set ns.words = ns.words ~ s.heading %}{% endfor %}
{{ ns.ids | join(", ") }} / {{ ns.words | length }} / {{ "2025-06-01" | longdate }} / {{ "a" ~ 1 ~ none }}
{{ shout("one") }} {{ shout("two") }}
"""
    text = render_with(mini_pack, "# {{ doc.title }}\n\n" + everyday)
    assert "about / 19 / 1 June 2025 / a1None\nONE TWO\n" in text, text


def test_a_template_that_is_not_utf8_is_named_with_its_line(mini_pack):
    sources, templates = mini_pack
    (templates / "partials").mkdir()
    (templates / "partials" / "thanks.md.j2").write_bytes("Thanks\n\nMerci \u00e0 vous\n".encode("latin-1"))
    with pytest.raises(TemplateError) as caught:
        render_with(mini_pack, '# {{ doc.title }}\n\n{% include "partials/thanks.md.j2" %}\n')
    assert (caught.value.path.name, caught.value.line) == ("thanks.md.j2", 3)
    assert "not valid UTF-8" in str(caught.value)


def test_a_template_mistake_stops_the_build_with_one_line(mini_pack, tmp_path):
    sources, templates = mini_pack
    (templates / "documents" / "charter.md.j2").write_text("# {{ doc.title }}\n\n{{ 1 / 0 }}\n", "utf-8")
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates),
                         "--out", str(tmp_path / "build"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith("charter.md.j2:3: this expression cannot be worked out: "
                                                           "division by zero")


def test_source_text_is_data_not_markup(mini_pack):
    sources, templates = mini_pack
    pack_file = sources / "pack.yaml"
    pack_file.write_text(pack_file.read_text("utf-8").replace(
        "organisation: Riverside Community Trust",
        "organisation: \"<b>Riverside</b> & *Sons* {{ 7*7 }} [x](http://evil) %PDF # _Ltd_\""), "utf-8")
    text = render_with(mini_pack, "# {{ doc.title }}\n\nPublished by {{ pack.organisation }}.\n")
    from packgen.markdown import parse
    blocks = parse(text, lambda name: None)
    para = blocks[1]
    assert isinstance(para, Paragraph)
    assert para.text == "Published by <b>Riverside</b> & *Sons* {{ 7*7 }} [x](http://evil) %PDF # _Ltd_."
    assert all(not run.bold and not run.italic for run in para.children)


def test_easy_read_variant_uses_the_easy_read_block(mini_pack):
    sources, templates = mini_pack
    pack = load_pack(sources)
    renderer = Renderer(pack, templates)
    standard = compose(pack, renderer, "charter", "standard")
    easy = compose(pack, renderer, "charter", "easy-read")
    assert "people it serves" in " ".join(b.text for b in standard.blocks if isinstance(b, Paragraph))
    rows = [b for b in easy.blocks if isinstance(b, PictureRow)]
    assert len(rows) == 1 and rows[0].picture.alt == "Two people shaking hands"
    assert plain_text(rows[0].children[0].children) == "We wrote this with you."


def test_section_levels_shift_inner_headings(mini_pack):
    sources, _ = mini_pack
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace(
        "with the people it serves.", "with the people it serves.\n\n### Detail\n\nMore."), "utf-8")
    text = render_with(mini_pack, "# {{ doc.title }}\n\n## Part one\n\n{{ section(doc.sections.about, 3) }}\n")
    assert "### About this document" in text and "#### Detail" in text


def test_composed_document_skipping_a_level_names_the_template(mini_pack):
    sources, templates = mini_pack
    (templates / "documents" / "appendix-a.md.j2").write_text(
        "# {{ doc.title }}\n\n{{ section(doc.sections.about, 3) }}\n", "utf-8")
    pack = load_pack(sources)
    with pytest.raises(TemplateError) as caught:
        compose(pack, Renderer(pack, templates), "appendix-a", "standard")
    assert caught.value.path == templates / "documents" / "appendix-a.md.j2"
    assert "skips a level" in str(caught.value)


def test_labels_render_footer_and_dates(mini_pack):
    sources, templates = mini_pack
    pack = load_pack(sources)
    doc = compose(pack, Renderer(pack, templates), "charter", "standard")
    assert doc.footer == "Community Charter: Charter. Version 2.0, 1 June 2025"
    assert doc.page_label == "Page {page} of {pages}"
    assert doc.draft_mark == ""  # the mini pack is final
    assert doc.metadata.language == "en-GB" and doc.metadata.author == "Riverside Community Trust"
    assert isinstance(doc.blocks[0], Heading) and doc.blocks[0].text == "Charter"


def test_a_missing_template_that_pack_yaml_names_is_named(mini_pack):
    sources, templates = mini_pack
    pack_file = sources / "pack.yaml"
    pack_file.write_text(pack_file.read_text("utf-8").replace(
        "{id: appendix-b, source: appendix-b.md, kind: appendix}",
        "{id: appendix-b, source: appendix-b.md, kind: appendix, template: documents/special.md.j2}"), "utf-8")
    pack = load_pack(sources)
    with pytest.raises(TemplateError) as caught:
        Renderer(pack, templates).render("appendix-b", "standard")
    assert "special.md.j2" in str(caught.value)


def test_packgen_carries_its_own_templates_inside_the_package():
    assert (PACKGEN_TEMPLATES / "theme.yaml").is_file()
    assert {p.stem.split(".")[0] for p in (PACKGEN_TEMPLATES / "kinds").glob("*.md.j2")} == set(KINDS)


def test_a_section_may_be_called_values_or_items(mini_pack):
    sources, _ = mini_pack
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace("{#about}", "{#values}"), "utf-8")
    text = render_with(mini_pack, "# {{ doc.title }}\n\n{{ section(doc.sections.values) }}\n"
                                  "{% for s in doc.sections %}[{{ s.id }}]{% endfor %}\n")
    assert "## About this document" in text and "[values]" in text


def test_a_section_as_markdown_for_each_variant_and_level(tmp_path):
    text = ("## Working *together* {#together}\n\nWe plan together.\n\n### Detail\n\nMore.\n\n"
            "::: easy-read\n- ![Two people talking](speaking head) We talk.\n:::\n"
            "## Long table {#table easy-read=omit}\n\n| a | b |\n| - | - |\n| 1 | 2 |\n")
    together, table = split_sections(text, 1, tmp_path / "charter.md")

    assert section_markdown(together) == ("## Working \\*together\\*\n\nWe plan together.\n\n### Detail\n\n"
                                          "More.\n\n")
    assert section_markdown(together, 3).startswith("### Working \\*together\\*\n\nWe plan together.\n\n#### Detail")
    assert section_markdown(together, None) == "We plan together.\n\n### Detail\n\nMore.\n\n"
    assert section_markdown(together, 2, "easy-read") == ("## Working \\*together\\*\n\n"
                                                          "- ![Two people talking](speaking head) We talk.\n\n")
    assert section_markdown(table, 2, "easy-read") == ""
    assert section_markdown(table, 2, "standard").startswith("## Long table\n\n| a | b |")


def test_a_template_prints_a_section_as_section_markdown_makes_it(mini_pack):
    sources, _ = mini_pack
    about = load_pack(sources).documents["charter"].section("about")
    for variant in ("standard", "easy-read"):
        text = render_with(mini_pack, "{{ section(doc.sections.about, 3) }}", variant=variant)
        assert text == section_markdown(about, 3, variant, named=True)  # named: the id above its heading
