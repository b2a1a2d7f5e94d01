"""One PDF: page template and furniture, the build, and the tag tree, fields and metadata added at the end.

The running footer, the page label and the draft mark are artifacts (the first page's draft mark is
tagged, so it is heard once). "Page N of M" needs M before
the last page exists, so each page shows a form XObject of its own label and the forms are drawn
when the canvas is saved, once the page count is known: one layout pass, no second build.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFDocument, PDFObjectReference
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from packgen.errors import RenderError
from packgen.model import Document
from packgen.theme import Theme
from packgen.writers.pdf import form, metadata, pdffile
from packgen.writers.pdf.flowables import KeepWithNext
from packgen.writers.pdf.fonts import FontSet, MissingGlyph, fontset
from packgen.writers.pdf.form import FormCollector
from packgen.writers.pdf.layout import Layout
from packgen.writers.pdf.tagging import Tagger
from packgen.writers.pdf.text import Line, Run, break_lines, draw_lines, shape


class Furniture:
    """Draws the footer, page label and draft mark on every page, as artifacts (but the first draft mark)."""

    def __init__(self, document: Document, theme: Theme, fonts: FontSet, tagger: Tagger, page_size):
        self.document = document
        self.theme = theme
        self.fonts = fonts
        self.tagger = tagger
        self.v = theme.variant(document.variant)
        margins = theme.margins(document.variant)
        self.left = margins.left * mm
        self.right = page_size[0] - margins.right * mm
        self.top = page_size[1] - margins.top * mm
        self.bottom = margins.bottom * mm
        self.page_size = page_size
        size = self.v.footer.size
        self.size = size
        colour = theme.colours.muted
        footer_tokens = shape([Run(document.footer, colour=colour)], fonts, size) if document.footer else []
        self.footer_lines = break_lines(footer_tokens, (self.right - self.left) * 0.65, size) if footer_tokens \
            else []
        self.draft_tokens = shape([Run(document.draft_mark, bold=True, colour=theme.colours.draft)], fonts,
                                  self.v.body.size) if document.draft_mark else []

    def on_page(self, canv: Canvas, doc) -> None:
        self.tagger.start_page()
        sink = canv._code.append
        number = self.tagger.page + 1
        size = self.size
        baseline = self.bottom / 2
        if self.footer_lines:
            top = baseline + size * 0.8 + (len(self.footer_lines) - 1) * size * 1.2
            draw_lines(canv, self.tagger, None, self.footer_lines, self.left, top, size, size * 1.2,
                       ("Pagination", "Footer"))
        self.tagger.artifact(sink, "Pagination", "Footer")
        canv.saveState()
        canv.translate(self.right, baseline)
        canv.doForm(f"page-label-{number}")
        canv.restoreState()
        self.tagger.end(sink)
        if self.draft_tokens:
            size = self.v.body.size
            lines = break_lines(self.draft_tokens, self.right - self.left, size)
            width = max(line.width for line in lines)
            top = self.page_size[1] - (self.page_size[1] - self.top) / 2 + size * 0.6
            # A screen reader skips artifacts: on the first page the draft mark is the document's first
            # tagged words (the page is begun before its content), so a listener hears it once.
            first = self.tagger.element("P") if number == 1 else None  # the tagger owns it, as every element
            draw_lines(canv, self.tagger, first, lines, self.right - width, top, size, size * 1.2,
                       ("Pagination", "Watermark"))

    def page_labels(self, canv: Canvas, pages: int) -> None:
        """Define each page's label form once the page count is known (called from Canvas.save)."""
        size = self.size
        for number in range(1, pages + 1):
            text = self.document.page_label.replace("{pages}", str(pages)).replace("{page}", str(number))
            pieces = [p for tok in shape([Run(text, colour=self.theme.colours.muted)], self.fonts, size)
                      if isinstance(tok, list) for p in tok]
            width = sum(p.width for p in pieces)
            canv.beginForm(f"page-label-{number}", -width - 1, -size, 1, size * 1.2)
            draw_lines(canv, self.tagger, None, [Line(pieces, width)], -width, size * 0.8, size, size,
                       ("Pagination", "Footer"))
            canv.endForm()


def _canvas_class(furniture: Furniture, finish: Callable[[PDFDocument], None]):
    class PackCanvas(Canvas):
        """ReportLab's canvas, drawing the page labels and adding our objects before it saves."""

        def save(self) -> None:
            furniture.page_labels(self, furniture.tagger.page + 1)
            finish(self._doc)
            pdffile.install(self._doc)
            super().save()

    return PackCanvas


def _finish(doc: PDFDocument, document: Document, theme: Theme, tagger: Tagger) -> None:
    """Add the form fields, the tag tree and the metadata to ReportLab's document, every page drawn."""
    pages = doc.Pages.pages
    widgets = tagger.forms.widgets  # type: ignore[attr-defined]
    acroform = form.fields(pages, widgets, form.field_fonts(theme)) if widgets else None
    annotations: dict[int, object] = {}
    for page, key in zip(pages, tagger.page_keys, strict=True):
        entries: dict[str, object] = {"StructParents": key}
        if page.Annots:
            entries["Tabs"] = pdffile.Name("S")
            for annot in page.Annots:
                found = doc.idToObject.get(annot.name) if isinstance(annot, PDFObjectReference) else annot
                held = found.dict if isinstance(found, PDFDictionary) else getattr(found, "value", {})
                if "StructParent" in held:
                    annotations[held["StructParent"]] = annot
        pdffile.set_entries(page, **entries)
    catalog: dict[str, object] = {"StructTreeRoot": tagger.tree(pages, annotations), "MarkInfo": {"Marked": True}}
    if acroform is not None:
        catalog["AcroForm"] = acroform
    pdffile.set_entries(doc.Catalog, **catalog)
    metadata.apply(doc, document)


class _Template(BaseDocTemplate):
    def __init__(self, buffer, tagger: Tagger, forms: FormCollector, **kw):
        # blocks kept with the next (headings, a list item's label line) are grouped in a KeepWithNext
        super().__init__(buffer, keepTogetherClass=KeepWithNext, **kw)
        self.tagger = tagger
        self.forms = forms

    def beforeDocument(self) -> None:
        self.tagger.reset()
        self.forms.reset()
        self.current = None

    def handle_flowable(self, flowables) -> None:
        if flowables:
            self.current = flowables[0]
        super().handle_flowable(flowables)


def render(document: Document, theme: Theme) -> tuple[bytes, int]:
    """The finished PDF and its page count."""
    fonts = fontset(theme)
    tagger = Tagger(document.metadata.language)
    forms = FormCollector(tagger)
    tagger.forms = forms  # type: ignore[attr-defined]
    page_size = (theme.page.width * mm, theme.page.height * mm)
    margins = theme.margins(document.variant)
    frame_w = page_size[0] - (margins.left + margins.right) * mm
    frame_h = page_size[1] - (margins.top + margins.bottom) * mm
    layout = Layout(document, theme, fonts, tagger, frame_w, forms, frame_h)
    story = layout.story()
    try:
        furniture = Furniture(document, theme, fonts, tagger, page_size)
        fonts.check(document.page_label.replace("{page}", "0").replace("{pages}", "0"))
    except MissingGlyph as exc:
        raise _furniture_error(exc, document) from None
    frame = Frame(margins.left * mm, margins.bottom * mm, frame_w, frame_h, 0, 0, 0, 0, id="body")
    buffer = io.BytesIO()
    m = document.metadata
    body = fonts.body.names["regular"]
    doc = _Template(buffer, tagger, forms, pagesize=page_size, title=m.title, author=m.author, subject=m.subject,
                    keywords=list(m.keywords), creator="packgen", invariant=1, lang=m.language,
                    initialFontName=body, initialFontSize=theme.variant(document.variant).body.size,
                    pageTemplates=[PageTemplate("page", [frame], onPage=furniture.on_page)])
    try:
        doc.build(story, canvasmaker=_canvas_class(furniture, partial(_finish, document=document, theme=theme,
                                                                      tagger=tagger)))
    except LayoutError:
        where = getattr(doc.current, "packgen_where", "")
        raise RenderError(f"a block is too large to fit on a page and cannot be split: document '{document.id}', "
                          f"in the block starting '{where[:40]}' (shorten it or break it into smaller parts)",
                          text=where) from None
    finally:
        tagger.release()
        canvas = getattr(doc, "canv", None)
        if canvas is not None:
            pdffile.release(canvas._doc)
        # ReportLab's template refers to itself and to its canvas (which refers back): let go of all
        # it holds now, not when the cycle collector comes round
        vars(doc).clear()
    return buffer.getvalue(), tagger.page + 1


def _furniture_error(exc: MissingGlyph, document: Document) -> RenderError:
    """A character no font has in the words on every page, naming the label that holds it (the build
    names its line, or the pack.yaml value the label printed)."""
    held = {"footer": document.footer, "page_label": document.page_label, "draft_mark": document.draft_mark}
    key = next((key for key, words in held.items() if exc.char in words), "")
    where = key.replace("_", " ") or "footer, page label or draft mark"
    return RenderError(f"no font in the theme has the character {exc.describe()}: document '{document.id}', in "
                       f"its {where}", text=held.get(key, ""), char=exc.char, labels=(key,) if key else ())


def write(document: Document, theme: Theme, path: Path) -> int:
    """Write a tagged PDF/UA-1 file for the document; returns its page count."""
    data, pages = render(document, theme)
    Path(path).write_bytes(data)
    return pages
