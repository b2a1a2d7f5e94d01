"""build/index.html: the download page comms staff upload with the pack.

The web page writer draws it (packgen.writers.html.download_page); this module gathers what it
shows from the records of the files it links to: titles, paths, sizes, page counts, thumbnails,
and the words naming each format; the versions and formats the pack offers (`offered`, as each
document's ending names them); the page's other words are the labels file's index_... labels,
which the page renders itself. Links are relative, so the folder works wherever
it is put.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from packgen import compose, markdown, markdown_cache, writers
from packgen.errors import TemplateError
from packgen.model import Block
from packgen.sources.loader import Pack
from packgen.sources.names import VARIANTS
from packgen.sources.sections import Section
from packgen.templating import Renderer, section_markdown
from packgen.theme import Theme
from packgen.writers.html import download_page

PACK = "pack"  # the manifest's document id for the combined PDFs and the zip
ZIP_LABEL = "index_format_zip"
LABELS_VARIANT = "standard"  # the page's words are the standard variant's labels


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
    """A document in one variant: its files, in the order the formats are offered, and its first page."""

    variant: str
    files: tuple[FileLink, ...]
    thumbnail: Thumbnail | None = None


@dataclass(frozen=True)
class Entry:
    """A document on the page, in pack order, with a Version per variant."""

    id: str
    kind: str  # summary, main, appendix or form (pack.yaml)
    title: str
    subtitle: str
    versions: tuple[Version, ...]


@dataclass(frozen=True)
class Downloads:
    """Everything the page links to."""

    entries: tuple[Entry, ...]
    combined: tuple[tuple[str, FileLink], ...]  # (variant, a file of all its documents: pack.pdf, pack.epub...)
    archive: FileLink | None


def make(target: Path, inputs: Mapping[str, dict], pack: Pack, renderer: Renderer, theme: Theme) -> dict:
    """The build's job (made in the build's own process, which holds the sources): the page at `target`."""
    first = next(iter(pack.documents))
    labels = renderer.labels(first, LABELS_VARIANT)
    first_context = renderer.context(first, LABELS_VARIANT)
    context = {
        "pack": pack.meta,
        "docs": renderer.docs,
        "shared": {s.id: s for s in pack.shared},
        "downloads": downloads(pack, inputs.values()),
        "labels": labels,
        "format_names": _format_names(renderer, first_context),
        "offered": first_context["offered"],  # the versions and formats the documents' endings name, in the same words
        "draft_mark": labels.get("draft_mark", "") if pack.meta.status == "draft" else "",
        "longdate": renderer.long_date,
        "logo": compose.logo(pack),
    }
    page = download_page(theme, lambda section, level=2: _passage(pack, section, level), context,
                         renderer.label_source)
    target.write_bytes(page.encode("utf-8"))
    return {}


def downloads(pack: Pack, records: Iterable[dict]) -> Downloads:
    """What the page links to, from the records of the files it is made after."""
    records = list(records)
    files = {(r["document"], r["variant"], r["format"]): _link(r) for r in records}
    thumbs = {(r["document"], r["variant"]): Thumbnail(r["path"], r["width"], r["height"])
              for r in records if r["format"] == "png"}
    entries = []
    for doc_id, source in pack.documents.items():
        versions = []
        for variant in VARIANTS:
            links = tuple(files[key] for key in ((doc_id, variant, fmt) for fmt in writers.formats()) if key in files)
            if links:
                versions.append(Version(variant, links, thumbs.get((doc_id, variant))))
        if versions:
            entries.append(Entry(doc_id, source.kind, source.front.title, source.front.subtitle, tuple(versions)))
    combined = tuple((variant, files[PACK, variant, fmt]) for variant in VARIANTS for fmt in writers.formats()
                     if (PACK, variant, fmt) in files)
    archive = next((link for (doc, _, fmt), link in files.items() if doc == PACK and fmt == "zip"), None)
    return Downloads(tuple(entries), combined, archive)


def _format_names(renderer: Renderer, context: dict) -> dict[str, str]:
    """The words for each format ("Web page", "PDF"...) and the zip, from the labels file: a missing one is named."""
    return renderer.format_words(context, {"zip": ZIP_LABEL})


def _link(record: dict) -> FileLink:
    return FileLink(path=record["path"], format=record["format"], bytes=record["bytes"], pages=record.get("pages"))


def _passage(pack: Pack, section: Section, level: int | None) -> tuple[Block, ...]:
    """A source section (standard text) as model blocks, through the same Markdown parser as documents."""
    if not isinstance(section, Section):
        raise TemplateError("passage() takes a section, e.g. passage(shared.background)")
    try:
        return markdown_cache.parse(section_markdown(section, level), pack.pictures_dir, section.file,
                                    max(1, section.body_line - 1))
    except markdown.MarkdownError as exc:
        raise TemplateError(exc.message, section.file, exc.line) from None
