"""One Word file: the document model -> an accessible .docx, built directly as OOXML parts.

Accessible by construction: built-in heading styles, real lists, tables with repeating header rows,
pictures with alt text, real hyperlinks, the document language in properties and styles, the body
font embedded, content controls for forms. Parts that depend only on the theme (styles, fonts) are
made once and shared by every file; the body is built with lxml, so a long document or 1,000 forms
stay fast.
"""

from __future__ import annotations

from pathlib import Path

from packgen.model import Document
from packgen.theme import Theme
from packgen.writers.docx import fonts, page, styles
from packgen.writers.docx.blocks import Body, Relationships
from packgen.writers.docx.oxml import rel_type, root, serialise
from packgen.writers.docx.package import Package, app_xml, core_xml, package_rels, relationships, settings_xml

__all__ = ["write"]



def write(document: Document, theme: Theme, path: Path) -> int | None:
    """Write `document` as a .docx at `path`. Word files have no fixed pages, so this returns None."""
    language = document.metadata.language or "en-GB"
    body = Body(document, theme)
    body.build(document.blocks)
    pkg = Package()
    rels: Relationships = body.rels
    rels.add(rel_type("styles"), "styles.xml")
    rels.add(rel_type("settings"), "settings.xml")
    rels.add(rel_type("fontTable"), "fontTable.xml")
    pkg.add("word/styles.xml", styles.styles_xml(theme, document.variant, language, body.has_form))
    if body.numbering.used:
        rels.add(rel_type("numbering"), "numbering.xml")
        pkg.add("word/numbering.xml", body.numbering.xml())
    header, footer = page.header_xml(document), page.footer_xml(document)
    header_rel = rels.add(rel_type("header"), "header1.xml") if header else None
    footer_rel = rels.add(rel_type("footer"), "footer1.xml") if footer else None
    if header:
        pkg.add("word/header1.xml", header)
    if footer:
        pkg.add("word/footer1.xml", footer)
    body.body.append(page.section(theme, document.variant, header_rel, footer_rel))
    pkg.add("word/document.xml", _document_xml(body))
    for name, data in body.media.parts.items():
        pkg.add(name, data)

    # A brand font whose licence allows only preview and print is named, never carried (see branding).
    embedded = fonts.body_fonts(theme.body_font, italic=body.has_italic) if theme.brand_font_editable else {}
    heading: dict[str, fonts.EmbeddedFont] = {}
    if theme.heading_font is not None and theme.heading_font_editable:
        heading = fonts.body_fonts(theme.heading_font, first=5)
    font_rels = Relationships()

    def ids(parts: dict[str, fonts.EmbeddedFont]) -> dict[str, str]:
        return {style: font_rels.add(fonts.FONT_REL, f.part.removeprefix("word/")) for style, f in parts.items()}

    font_ids, heading_ids = ids(embedded), ids(heading)
    # Tick boxes draw their boxes in packgen's own font, carried in the file: no reader lacks it.
    ticks = fonts.tick_font() if body.has_checkbox else None
    tick_rel = ids({"Regular": ticks})["Regular"] if ticks is not None else None
    for font in (*embedded.values(), *heading.values(), *((ticks,) if ticks is not None else ())):
        pkg.add(font.part, font.data)
    others = ((theme.heading_font.family, heading, heading_ids),) if theme.heading_font is not None else ()
    pkg.add("word/fontTable.xml", fonts.font_table(theme.fonts.body.family, theme.fonts.docx_fallback,
                                                   embedded, font_ids, others, tick_rel))
    pkg.add("word/_rels/fontTable.xml.rels", relationships(font_rels.items))
    pkg.add("word/settings.xml", settings_xml(language, bool(embedded or heading or ticks), body.has_form))
    pkg.add("word/_rels/document.xml.rels", relationships(rels.items))
    pkg.add("_rels/.rels", package_rels())
    pkg.add("docProps/core.xml", core_xml(document.metadata, document.draft_mark))
    pkg.add("docProps/app.xml", app_xml())
    pkg.write(Path(path))
    return None


def _document_xml(body: Body) -> bytes:
    doc = root("w:document")
    doc.append(body.body)
    return serialise(doc)
