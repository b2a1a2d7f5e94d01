"""The web page writer: one self-contained, accessible HTML page per document and variant.

Modules: page (the page and its Jinja environment), style (the stylesheet's values from the theme),
assets (embedded pictures), download (the pack's download page, drawn with the same templates).
"""

from packgen.writers import Format

# HTML first, as GOV.UK asks; its page templates live in templates/html/.
FORMAT = Format(name="html", suffix=".html", writer="packgen.writers.html.page", label="index_format_html",
                templates=("html",), cost=0.3, rank=0)
