"""The pack's download page, drawn by the web page writer's own templates and stylesheet.

The page is the document pages' design, not a second one: the same Jinja environment (so
`blocks.html.j2` renders passages from the sources exactly as in the documents) and the same
stylesheet, plus `index.html.j2` and `index.css.j2` beside them. Every word is in the labels file
(its index_... labels) or in the sources, none in the templates, so a pack in another language gets
its own words with packgen's templates; the build gathers the values (titles, paths, sizes, page
counts, thumbnails) and the passages as model blocks.

The template prints a label with `label(key, **values)`: the label is a small Jinja template,
rendered in this page's environment with the page's context and the values the template passes
(`label("index_pages", pages=f.pages)`), its `longdate` a filter as in the other labels. Its words
are rendered as text and escaped as a whole, so a translator's `&` or `<` shows as written and a
label holds no markup: the markup stays in the page template.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import Markup

from packgen import label_filters, picture_sizes
from packgen.errors import TemplateError
from packgen.labels import Labels, Words, compiled
from packgen.model import Block
from packgen.template_sandbox import bounded_render
from packgen.theme import Theme
from packgen.writers.html.page import environment, table_names, template_errors
from packgen.writers.html.style import style_context

INDEX_TEMPLATE = "index.html.j2"
INDEX_STYLE = "index.css.j2"
PAGE_STYLE = "pack.css.j2"
STYLE_VARIANT = "standard"  # the page's own type sizes; both variants are offered equally on it


def render(theme: Theme, passage: Callable[..., tuple[Block, ...]], context: dict[str, Any],
           labels: Labels) -> str:
    """The download page as text (UTF-8, LF line ends); the same inputs give the same text.

    `passage(section, level)` gives a source section as model blocks; `context` is what the page
    template reads besides (pack, docs, shared, downloads, labels, format_names, draft_mark, longdate);
    `labels` is the labels file as written, whose labels `label()` renders.
    """
    templates = theme.writer_templates("html")
    env = environment(templates)
    passages: list[Block] = []

    def page_passage(section: object, level: int | None = 2) -> tuple[Block, ...]:
        blocks = passage(section, level)
        passages.extend(blocks)
        return blocks

    def table_ref(table: object) -> tuple[str, str]:
        return table_names(tuple(passages))[id(table)]

    with template_errors("the download page template", templates, env):
        css = bounded_render(env.get_template(PAGE_STYLE), dict(
            style_context(theme, STYLE_VARIANT, italic=False, bold_italic=False),
            page_counter="counter(page)", draft_mark="", logo=context.get("logo")))
        css += bounded_render(env.get_template(INDEX_STYLE), style_context(theme, STYLE_VARIANT, italic=False,
                                                                           bold_italic=False))
        page = bounded_render(env.get_template(INDEX_TEMPLATE), dict(
            **context, css=Markup(css), passage=page_passage, picture_pixels=picture_sizes.largest(theme).web,
            table_ref=table_ref, label=label_function(env, labels, context["longdate"])))
    return page.rstrip("\n") + "\n"


def label_function(env: jinja2.Environment, labels: Labels, longdate: Callable[[Any], str]) -> Callable[..., Markup]:
    """The page's `label(key, **values)`: a label rendered with the page's context and the values, as
    escaped text. An error in a label names the labels file and the label's line."""
    # The page's own environment, but rendering text: the whole result is escaped once, words and
    # values alike (autoescape would leave the label's own words unescaped).
    text_env = env.overlay(autoescape=False)
    # the overlay's own filters, so the cached env is untouched (each held to the bound as the env's are)
    text_env.filters = {**env.filters, **label_filters.FILTERS, "longdate": longdate}
    ready: dict[str, jinja2.Template | Words] = {}

    def fail(key: str, message: str) -> TemplateError:
        return TemplateError(f"in the label '{key}': {message}", labels.path, labels.lines.get((key,)))

    @jinja2.pass_context
    def label(ctx: jinja2.runtime.Context, key: str, **values: Any) -> Markup:
        if key not in ready:
            source = labels.words.get(key)
            if not isinstance(source, str):
                raise fail(key, "the download page needs this label, as text, in the labels file")
            try:
                ready[key] = compiled(text_env, source)
            except jinja2.TemplateSyntaxError as exc:
                raise fail(key, exc.message or str(exc)) from None
        # A value may be another label's words, escaped already: back to text, so they are escaped once.
        values = {name: value.unescape() if isinstance(value, Markup) else value for name, value in values.items()}
        try:
            text = ready[key].render({**ctx.get_all(), **values})
        except jinja2.TemplateError as exc:
            raise fail(key, exc.message or str(exc)) from None
        # Only line ends are trimmed: a space at either end is the translator's, between this label
        # and the markup beside it.
        return Markup.escape(text.strip("\n"))

    return label

