"""build/index.html: the download page comms staff upload with the pack.

The page is the HTML writer's page, not a second design: it is rendered by the same Jinja
environment (so `blocks.html.j2` renders source passages exactly as in the documents) with the
same stylesheet from the theme, plus `index.html.j2` and `index.css.j2` beside them. Every word
is in those templates or in `sources/`; this module only gathers values (titles, paths, sizes,
page counts, thumbnails) for them. Links are relative, so the folder works wherever it is put.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from packgen import markdown
from packgen.errors import TemplateError
from packgen.model import Block
from packgen.pictures import resolve
from packgen.sources.loader import Pack
from packgen.sources.sections import Section
from packgen.templating import Renderer, long_date, md_escape, shift_headings
from packgen.theme import Theme

# The HTML writer's Jinja environment and table naming: reused so the download page renders blocks
# exactly as the document pages do.
from packgen.writers.html.page import environment as html_environment
from packgen.writers.html.page import table_names, template_errors
from packgen.writers.html.style import style_context

INDEX_TEMPLATE = "index.html.j2"
INDEX_STYLE = "index.css.j2"
PAGE_STYLE = "pack.css.j2"
STYLE_VARIANT = "standard"  # the page's own type sizes; both variants are offered equally on it
FORMAT_ORDER = ("html", "pdf", "docx")  # GOV.UK: HTML first


@dataclass(frozen=True)
class FileLink:
    """One downloadable file: its relative path, format and what the link says about its size."""

    path: str
    format: str
    bytes: int
    pages: int | None = None


@dataclass(frozen=True)
class Thumbnail:
    path: str
    width: int
    height: int


@dataclass(frozen=True)
class Version:
    """A document in one variant: its files (HTML, PDF, Word) and the picture of its first page."""

    variant: str
    files: tuple[FileLink, ...]
    thumbnail: Thumbnail | None = None


@dataclass(frozen=True)
class Entry:
    """A document on the page, in pack order, with a Version per variant."""

    id: str
    title: str
    subtitle: str
    versions: tuple[Version, ...]


@dataclass(frozen=True)
class Downloads:
    """Everything the page links to."""

    entries: tuple[Entry, ...]
    combined: tuple[tuple[str, FileLink], ...]  # (variant, the combined PDF)
    archive: FileLink | None


def render_index(pack: Pack, renderer: Renderer, theme: Theme, downloads: Downloads) -> str:
    """The download page as text (UTF-8, LF line ends); the same inputs give the same text."""
    templates = theme.path.parent / "html"
    env = html_environment(templates)
    first = next(iter(pack.documents))
    labels = renderer.labels(first, STYLE_VARIANT)  # skip link, draft mark: shared with the documents
    passages: list[Block] = []

    def passage(section: Section, level: int | None = 2) -> tuple[Block, ...]:
        blocks = _passage_blocks(pack, section, level)
        passages.extend(blocks)
        return blocks

    def table_ref(table: object) -> tuple[str, str]:
        return table_names(tuple(passages))[id(table)]

    with template_errors("the download page template", templates):
        css = env.get_template(PAGE_STYLE).render(
            style_context(theme, STYLE_VARIANT, italic=False, bold_italic=False),
            page_counter="counter(page)", draft_mark="")
        css += env.get_template(INDEX_STYLE).render(style_context(theme, STYLE_VARIANT, italic=False,
                                                                  bold_italic=False))
        page = env.get_template(INDEX_TEMPLATE).render(
            pack=pack.meta,
            docs=renderer.docs,
            shared={s.id: s for s in pack.shared},
            downloads=downloads,
            labels=labels,
            draft_mark=labels.get("draft_mark", "") if pack.meta.status == "draft" else "",
            css=Markup(css),
            passage=passage,
            table_ref=table_ref,
            longdate=lambda value: long_date(value, renderer.months),
        )
    return page.rstrip("\n") + "\n"


def _passage_blocks(pack: Pack, section: Section, level: int | None) -> tuple[Block, ...]:
    """A source section (standard text) as model blocks, through the same Markdown parser as documents."""
    if not isinstance(section, Section):
        raise TemplateError("passage() takes a section, e.g. passage(shared.background)")
    parts = []
    if level is not None and section.heading:
        parts.append("#" * level + " " + md_escape(section.heading))
    parts.append(shift_headings(section.body.strip("\n"), (level or 2) - 2))
    text = "\n\n".join(parts) + "\n"
    try:
        return markdown.parse(text, lambda name: resolve(name, pack.pictures_dir), section.file,
                              max(1, section.body_line - 1))
    except markdown.MarkdownError as exc:
        raise TemplateError(exc.message, section.file, exc.line) from None


def files_in_order(files: Sequence[FileLink]) -> tuple[FileLink, ...]:
    """HTML, then PDF, then Word: the order the page offers them in."""
    def rank(f: FileLink) -> int:
        return (FORMAT_ORDER.index(f.format) if f.format in FORMAT_ORDER else len(FORMAT_ORDER))
    return tuple(sorted(files, key=lambda f: (rank(f), f.path)))
