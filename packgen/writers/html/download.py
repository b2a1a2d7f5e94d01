"""The pack's download page, drawn by the web page writer's own templates and stylesheet.

The page is the document pages' design, not a second one: the same Jinja environment (so
`blocks.html.j2` renders passages from the sources exactly as in the documents) and the same
stylesheet, plus `index.html.j2` and `index.css.j2` beside them. Every word is in those templates,
in the labels file or in the sources; the build gathers the values (titles, paths, sizes, page counts,
thumbnails) and the passages as model blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from packgen.model import Block
from packgen.theme import Theme
from packgen.writers.html.page import environment, table_names, template_errors
from packgen.writers.html.style import style_context

INDEX_TEMPLATE = "index.html.j2"
INDEX_STYLE = "index.css.j2"
PAGE_STYLE = "pack.css.j2"
STYLE_VARIANT = "standard"  # the page's own type sizes; both variants are offered equally on it


def render(theme: Theme, passage: Callable[..., tuple[Block, ...]], context: dict[str, Any]) -> str:
    """The download page as text (UTF-8, LF line ends); the same inputs give the same text.

    `passage(section, level)` gives a source section as model blocks; `context` is what the page
    template reads besides (pack, docs, shared, downloads, labels, format_names, draft_mark, longdate).
    """
    templates = theme.path.parent / "html"
    env = environment(templates)
    passages: list[Block] = []

    def page_passage(section: object, level: int | None = 2) -> tuple[Block, ...]:
        blocks = passage(section, level)
        passages.extend(blocks)
        return blocks

    def table_ref(table: object) -> tuple[str, str]:
        return table_names(tuple(passages))[id(table)]

    with template_errors("the download page template", templates):
        css = env.get_template(PAGE_STYLE).render(
            style_context(theme, STYLE_VARIANT, italic=False, bold_italic=False),
            page_counter="counter(page)", draft_mark="", logo=context.get("logo"))
        css += env.get_template(INDEX_STYLE).render(style_context(theme, STYLE_VARIANT, italic=False,
                                                                  bold_italic=False))
        page = env.get_template(INDEX_TEMPLATE).render(**context, css=Markup(css), passage=page_passage,
                                                       table_ref=table_ref)
    return page.rstrip("\n") + "\n"

