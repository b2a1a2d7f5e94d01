"""Sources + templates -> one Document per document id and variant (the model every writer reads).

This is the only place where the pack's metadata, the rendered Markdown and the labels meet. Checks
that only make sense on the whole document (it starts with one level-1 heading, no level is
skipped) run here and name the template, since the template decided the order. A mistake in the
Markdown a template made is the template's only when the template wrote the wrong words itself: a
value it carried from the sources (a picture's name in front matter) is reported at the source line
that holds it (packgen.sources.origins).
"""

from __future__ import annotations

import re
from pathlib import Path

from packgen import branding, credits, heading_links, markdown, markdown_cache, policy, wide_tables
from packgen.errors import PackgenError, SourceError, TemplateError
from packgen.model import Document, Metadata, Picture
from packgen.outline import outline_problem
from packgen.sources.loader import Pack
from packgen.sources.origins import Origins
from packgen.templating import Renderer
from packgen.theme import Theme


def compose(pack: Pack, renderer: Renderer, doc_id: str, variant: str, theme: Theme | None = None) -> Document:
    """Render a document's template for a variant and parse it into the model, shown as the `theme`
    says (the pack's own, with its brand, when none is given): a table too wide for the variant's page
    is shown row by row (packgen.wide_tables)."""
    source = pack.documents[doc_id]
    template_path = renderer.template_path(doc_id)
    text = renderer.render(doc_id, variant)
    labels = renderer.labels(doc_id, variant)  # the download page's (index_...) are not among them
    try:
        blocks = markdown_cache.parse(text, pack.pictures_dir, template_path)
        blocks = credits.place(blocks, labels, renderer.labels_path, pack.pictures_dir,
                               lambda credit: markdown_cache.parse(credit, pack.pictures_dir, template_path))
    except markdown.MarkdownError as exc:
        raise _placed(exc, text, pack.origins + renderer.label_origins, renderer, doc_id) from None
    _check_headings(blocks, template_path)
    _check_links_to_headings(blocks, text, pack, renderer, doc_id, variant)
    theme = theme or branding.theme_for(pack, renderer.templates)
    blocks = policy.apply(blocks, labels, theme.variant(variant).emphasis)
    policy.check_required_marks(blocks, renderer.labels_path)
    blocks = wide_tables.reflow(blocks, theme, variant, labels, renderer.labels_path)
    meta = pack.meta
    front = source.front
    metadata = Metadata(
        title=" ".join(labels.get("document_title", "").split()) or front.title,
        subject=front.subject or meta.subject,
        author=meta.organisation,
        language=meta.language,
        keywords=tuple(dict.fromkeys(meta.keywords + front.keywords)),
        version=meta.version,
        date=meta.date.isoformat(),
        status=meta.status,
        pack_title=meta.title,
    )
    return Document(
        id=doc_id,
        variant=variant,
        metadata=metadata,
        blocks=blocks,
        footer=labels.get("footer", ""),
        page_label=labels.get("page_label", "{page}"),
        draft_mark=labels.get("draft_mark", "") if meta.status == "draft" else "",
        labels=labels,
        logo=logo(pack),
        pledges_to=meta.pledges_to,
        download_page=meta.download_page,
    )


def _placed(exc: markdown.MarkdownError, text: str, origins: Origins, renderer: Renderer,
            doc_id: str) -> PackgenError:
    """The error at the place its wrong words were written: a source's line, else the template's."""
    if exc.value:
        near = "\n".join(text.split("\n")[(exc.line or 1) - 1:]).split("\n\n")[0] if exc.line else ""
        origin = origins.find(exc.value, near)
        if origin is not None:
            return SourceError(exc.message, origin.file, origin.line)
        written = renderer.template_line(doc_id, exc.value)
        if written is not None:
            return TemplateError(exc.message, *written)
    return TemplateError(f"{exc.message} (in the Markdown this template makes; line {exc.line} of its output)",
                         renderer.template_path(doc_id))


def _check_links_to_headings(blocks: tuple, text: str, pack: Pack, renderer: Renderer, doc_id: str,
                             variant: str) -> None:
    """A link to a heading that is not in the document leads nowhere in any format: it is named at the
    source line that writes it, else the template's, else the line of the template's output."""
    link = heading_links.unresolved(blocks)
    if link is None:
        return
    names = [heading.section or heading.anchor for heading in heading_links.headings(blocks)]
    shown = ", ".join(f"{heading_links.FRAGMENT}{name}" for name in names[:5]) + (", ..." if len(names) > 5 else "")
    message = (f"the link [{link.text}]({link.href}) leads to no heading of the {variant} {doc_id}: link to a "
               f"heading by its id ({shown}): a heading's id is its words in lower case joined by hyphens, or "
               "the id written after it, {#like-this}")
    written = re.compile(r"\]\(\s*<?" + re.escape(link.href) + r"(?![\w-])")
    found = pack.written(written, doc_id, easy_read=variant == "easy-read")
    if found is not None:
        raise SourceError(message, *found)
    found = renderer.template_line(doc_id, f"]({link.href}")
    if found is not None:
        raise TemplateError(message, *found)
    line = next((n for n, line in enumerate(text.split("\n"), 1) if written.search(line)), None)
    raise TemplateError(f"{message} (in the Markdown this template makes; line {line} of its output)",
                        renderer.template_path(doc_id))


def logo(pack: Pack) -> Picture | None:
    """The brand's logo for the title block. With no alt text in brand.yml, the logo says whose it is."""
    brand = pack.brand
    if brand is None or brand.logo is None:
        return None
    alt = brand.logo.alt
    return Picture(brand.logo.path, alt if alt is not None else (brand.name or pack.meta.organisation))


def _check_headings(blocks: tuple, template: Path) -> None:
    problem = outline_problem(blocks)
    if problem is not None:
        fix = ": check the section() levels in this template" if problem.kind == "skipped-level" else ""
        raise TemplateError(problem.message + fix, template)
