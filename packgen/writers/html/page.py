"""One web page: the document model -> one self-contained, accessible HTML file.

HTML is the format GOV.UK puts first, so this page is the reference the PDF and Word files are
measured against: real headings, lists, tables, figures and form controls; landmarks and a skip
link; text that reflows at 320px; the theme's font embedded so the file travels alone.

All markup lives in the page template (`templates/html/`, found beside the theme file) and is
rendered by Jinja with autoescape on, so every word from the model is data: `<b>`, `{{ }}` and `&`
reach the reader literally. This module only prepares values: it holds no words a reader sees.

Labels (from `document.labels`, supplied by the pipeline from labels/<language>.yaml):

    skip_link       always   the skip link's words, e.g. "Skip to main content"
    download_page_link  when given: the words of the link back to the download page (index.html)
    form_print      a form   how to print what was typed, or save it as a PDF (the browser's Print)
    form_send_web   a form, pack.yaml's pledges_to an https address: the words before the send button
    form_send_email a form, pledges_to an e-mail address: the button opens the reader's email program
    form_send_none  a form, no pledges_to: print it and send it to the contact
    form_send_button a form with pledges_to: the send button's words

A form field's words (its required mark and hints) are on the field itself, resolved by compose.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from packgen import cache as disk_cache
from packgen import picture_sizes, template_folders, template_sandbox, template_syntax
from packgen.errors import TemplateError
from packgen.language import direction
from packgen.model import (
    Block,
    Document,
    Figure,
    FormField,
    Heading,
    Inline,
    Link,
    ListBlock,
    Paragraph,
    Picture,
    PictureRow,
    Table,
    Text,
    walk,
)
from packgen.template_sandbox import MAX_TEMPLATE_TEXT, BoundedSandbox, bounded_render
from packgen.template_time import StillRunning, time_bound
from packgen.theme import Theme
from packgen.writers import FIGURE_WIDTH
from packgen.writers.html.assets import picture_url
from packgen.writers.html.shown_labels import check_labels, form_end
from packgen.writers.html.style import css_string, page_counter, style_context

PAGE_TEMPLATE = "page.html.j2"
STYLE_TEMPLATE = "pack.css.j2"
# The most characters a page's templates may join into one text (a block, a macro's, `~`), escape, or
# print in all. A page carries its pictures and fonts in it, as the sources give them (a photograph at
# the page's width can be millions of characters), so this is sixteen times the bound on what a
# document's template makes; what a template makes by itself in one step (`"x" * n`, a list, a filter
# or call that sizes what it makes) is held to that bound as it is in a document's template.
MAX_PAGE_TEXT = 16 * MAX_TEMPLATE_TEXT


# Autocomplete tokens (WCAG 1.3.5 Identify Input Purpose). Field types say it for email and phone;
# for text fields the source's field id names the purpose (ids are identifiers, not reader words).
AUTOCOMPLETE_BY_TYPE = {"email": "email", "telephone": "tel", "signature": "name"}
AUTOCOMPLETE_BY_ID = {
    "organisation": "organization", "organization": "organization", "organisation-name": "organization",
    "organization-name": "organization", "name": "name", "full-name": "name", "your-name": "name",
    "contact-name": "name", "contact": "name", "email": "email", "contact-email": "email",
    "phone": "tel", "telephone": "tel", "contact-phone": "tel", "job-title": "organization-title",
    "role": "organization-title",
}


@dataclass(frozen=True)
class Points:
    """Consecutive easy-read PictureRows, shown as one list of points (as they were written)."""

    rows: tuple[PictureRow, ...]


def write(document: Document, theme: Theme, path: Path) -> None:
    """Write `document` as one HTML file at `path`. Same input, same bytes: nothing reads the clock."""
    Path(path).write_text(render(document, theme), encoding="utf-8", newline="\n")


def render(document: Document, theme: Theme) -> str:
    """The page as text; separate from `write` so tests and the download page can use it directly."""
    check_labels(document)
    templates = theme.writer_templates("html")
    env = environment(templates)
    tables = table_names(document.blocks)
    emphasis = _emphasis(document.blocks)
    with template_errors("the HTML template", templates, env):
        style = bounded_render(env.get_template(STYLE_TEMPLATE), dict(
            style_context(theme, document.variant, italic=(False, True) in emphasis,
                          bold_italic=(True, True) in emphasis),
            page_counter=page_counter(document.page_label),
            draft_mark=css_string(document.draft_mark) if document.draft_mark.strip() else "", logo=document.logo,
            checklist=any(isinstance(b, Table) and b.checklist for b in walk(document.blocks))))
        page = bounded_render(env.get_template(PAGE_TEMPLATE), dict(
            doc=document,
            meta=document.metadata,
            labels=document.labels,
            dir=direction(document.metadata.language),
            css=Markup(style),
            table_ref=lambda table: tables[id(table)],
            figure_width=_percent(FIGURE_WIDTH),
            form_end=form_end(document.blocks),
            picture_pixels=picture_sizes.largest(theme).web,
        ))
    return page.rstrip("\n") + "\n"


@contextmanager
def template_errors(what: str, templates: Sequence[Path], env: jinja2.Environment) -> Iterator[None]:
    """Turn a Jinja error in a writer's templates (looked for in the `templates` folders in turn) into
    a TemplateError naming the template and line (the first folder where the line is not known). A
    pack's own template may loop without end, so it is held to the time bound document templates have."""
    try:
        with time_bound():
            yield
    except jinja2.TemplateSyntaxError as exc:
        message, line = template_syntax.placed(exc, env)
        raise TemplateError(f"{what} is wrong: {message}", exc.filename or templates[0], line) from None
    except jinja2.TemplateNotFound as exc:
        path, line = template_folders.innermost(exc, templates, "")
        raise TemplateError(f"{what} '{exc.name}' is missing", path if line else templates[0], line) from None
    except jinja2.UndefinedError as exc:
        path, line = template_folders.innermost(exc, templates, "")
        raise TemplateError(f"{what} uses something undefined: {exc.message}", path if line else templates[0],
                            line) from None
    except (jinja2.TemplateError, *template_folders.EXPRESSION_ERRORS) as exc:
        path, line = template_folders.innermost(exc, templates, "")
        if not line:  # not the template's own mistake: packgen's
            raise
        said = f"{what} {exc}" if isinstance(exc, StillRunning) else f"{what} cannot work this out: {exc}"
        raise TemplateError(said, path, line) from None


class PageSandbox(BoundedSandbox):
    """The sandbox a web page's templates run in: held to the bounds a document's template is, but with a
    page's pictures and fonts room in the text it joins and prints (MAX_PAGE_TEXT)."""

    text_bound = MAX_PAGE_TEXT


@cache
def environment(templates: tuple[Path, ...]) -> jinja2.Environment:
    """One environment per search path (the pack's folder, then packgen's): autoescape everywhere except
    the stylesheet template. A pack's own templates may be hostile: the sandbox keeps them to what they
    are given, and to what they may make in one step, as it does the document templates."""
    env = PageSandbox(
        # A template the pack's folder lacks is packgen's own: a pack may change one and keep the rest.
        loader=template_folders.Loader(templates),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=disk_cache.jinja_bytecode("html", Path(__file__), Path(template_sandbox.__file__)),
    )
    env.filters.update(kind=_kind, data_url=_picture_url, autocomplete=_autocomplete,
                       input_value=_input_value, css_string=css_string)
    env.globals.update(groups=_groups)
    return env


# -- helpers the template calls ------------------------------------------------------------


def _kind(node: object) -> str:
    """The template dispatches on this name, like markdown-it's table of rules keyed by token type."""
    return type(node).__name__


@jinja2.pass_context
def _picture_url(context: jinja2.runtime.Context, picture: Picture) -> str:
    return picture_url(Path(picture.path), context["picture_pixels"])


def _percent(share: float) -> str:
    """A share of the column as a CSS percentage."""
    return f"{round(share * 100, 2):g}%"


def _groups(blocks: tuple[Block, ...]) -> Iterator[Block | Points]:
    """The blocks, with each run of PictureRows gathered into one list of points."""
    run: list[PictureRow] = []
    for block in blocks:
        if isinstance(block, PictureRow):
            run.append(block)
            continue
        if run:
            yield Points(tuple(run))
            run = []
        yield block
    if run:
        yield Points(tuple(run))


def _autocomplete(field: FormField) -> str:
    """The autocomplete token for a field, or "" when its purpose is not one we can name."""
    return AUTOCOMPLETE_BY_TYPE.get(field.type) or AUTOCOMPLETE_BY_ID.get(field.id.lower(), "")


def _input_value(field: FormField) -> str:
    """The pre-filled value; a date is given to `<input type=date>` as ISO 8601, the only form it takes."""
    value = field.value.strip()
    if field.type != "date" or not value:
        return field.value
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
    if match:
        first, second, year = (int(g) for g in match.groups())
        day, month = (second, first) if field.date_format.upper().startswith("MM") else (first, second)
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            pass
    return ""  # the browser would drop it anyway; an empty date box is honest


def table_names(blocks: tuple[Block, ...]) -> dict[int, tuple[str, str]]:
    """For each table (by object id): its own id and the id of what names its scrolling region.

    A wide table scrolls inside its own region at 320px (WCAG 1.4.10 allows two-dimensional
    scrolling for data tables); that region is focusable so keyboard users can scroll it, and so it
    needs a name: the heading above it ("" when there is none).
    """
    names: dict[int, tuple[str, str]] = {}
    last_heading = ""

    def visit(nodes: tuple[Block, ...]) -> None:
        nonlocal last_heading
        for node in nodes:
            if isinstance(node, Heading):
                last_heading = node.anchor
            elif isinstance(node, Table):
                table_id = f"table_{len(names) + 1}"
                names[id(node)] = (table_id, last_heading)
            elif isinstance(node, ListBlock):
                for item in node.items:
                    visit(item.children)
            elif isinstance(node, PictureRow):
                visit(node.children)

    visit(blocks)
    return names


def _emphasis(blocks: tuple[Block, ...]) -> set[tuple[bool, bool]]:
    """The (bold, italic) pairs the page shows, so font faces nobody sees are not embedded.

    Headings and header cells are bold by style, so italic there needs bold italic.
    """
    runs: list[tuple[Inline, bool]] = []
    for block in walk(blocks):
        if isinstance(block, Heading):
            runs.extend((run, True) for run in block.children)
        elif isinstance(block, Paragraph):
            runs.extend((run, False) for run in block.children)
        elif isinstance(block, Table):
            runs.extend((run, True) for cell in block.header for run in cell.children)
            runs.extend((run, False) for row in block.rows for cell in row for run in cell.children)
        elif isinstance(block, Figure):
            runs.extend((run, False) for run in block.caption)
    used: set[tuple[bool, bool]] = set()
    for run, bold in runs:
        for text in run.children if isinstance(run, Link) else (run,):
            if isinstance(text, Text):
                used.add((text.bold or bold, text.italic))
    return used
