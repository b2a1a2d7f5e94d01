"""The web page writer: one self-contained, accessible HTML page per document and variant.

Modules: page (the page and its Jinja environment), style (the stylesheet's values from the theme),
assets (embedded pictures), download (the pack's download page, drawn with the same templates).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from packgen.writers import Format

if TYPE_CHECKING:
    from packgen.labels import Labels
    from packgen.model import Block
    from packgen.theme import Theme

# HTML first, as GOV.UK asks; its page templates live in templates/html/.
FORMAT = Format(name="html", suffix=".html", writer="packgen.writers.html.page", label="index_format_html",
                pictures="web", column="packgen.writers.html.style:column_width_mm", templates=("html",), cost=0.3,
                rank=0,
                labels="packgen.writers.html.shown_labels:check_labels",
                # Not large print: a browser enlarges a page's text itself.
                variants=("standard", "easy-read"))


def download_page(theme: Theme, passage: Callable[..., tuple[Block, ...]], context: dict[str, Any],
                  labels: Labels) -> str:
    """The pack's download page as text, in the web pages' design (see packgen.writers.html.download)."""
    from packgen.model import in_format
    from packgen.writers.html.download import render

    def shown(*args: Any, **kwargs: Any) -> tuple[Block, ...]:  # the passages as a web page shows them
        return in_format(passage(*args, **kwargs), FORMAT.name)

    return render(theme, shown, context, labels)
