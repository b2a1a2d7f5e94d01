"""Every rule id the checker can report, with what it checks: the list a person or a tool can look up.

tests/test_check_rules.py keeps this honest: each id used in the checkers is listed here, and each
listed id is asserted by at least one test that builds a file breaking it.
"""

from __future__ import annotations

RULES: dict[str, str] = {
    # Word
    "docx-parse": "the file opens as a Word package (zip, XML parts, main document) within safe size limits",
    "docx-title": "the document has a title in its core properties",
    "docx-language": "the language is set in the core properties or the styles (w:lang)",
    "docx-headings": "the document uses Heading styles",
    "docx-heading-one-top": "there is only one top-level heading (Heading 1)",
    "docx-heading-skip": "heading levels are not skipped (Heading 2 is not followed by Heading 4)",
    "docx-alt-text": "every picture has alt text (wp:docPr descr) or is marked decorative (adec:decorative)",
    "docx-table-header": "every table's first row is a header row (w:tblHeader; tblLook firstRow alone warns)",
    "docx-table-merged": "tables have no merged cells (gridSpan, vMerge)",
    "docx-text-size": "no text under 12pt (standard variant)",
    "docx-contrast": "text colour against its shading or the page has contrast of at least 4.5:1",
    "docx-empty-paragraph": "no empty paragraphs used for spacing",
    "docx-typed-list": "no bullets or numbers typed as text instead of a real list (numPr)",
    "docx-link-text": "link text is not empty, 'click here' or 'read more' (error) or a bare web address (warning)",
    "docx-empty-answer-cells": "warning: no table column is empty in every body row with no content control to "
                               "answer in (a checklist to tick, a plan to fill in)",
    "docx-blank-placeholder": "no content control shows only blank characters (spaces, no-break spaces, tabs) as its "
                              "placeholder or text",
    # PDF (PDF/UA-1, Matterhorn Protocol)
    "pdf-parse": "the file opens as a PDF (and each page's content can be read)",
    "pdf-damaged": "the file did not need repairing to be read (warning)",
    "pdf-limits": "the check finished within its limits of work, depth and time",
    "pdf-marked": "the catalog has MarkInfo /Marked true",
    "pdf-tagged": "the catalog has a structure tree (StructTreeRoot)",
    "pdf-parent-tree": "the structure tree has a ParentTree",
    "pdf-lang": "the catalog has /Lang",
    "pdf-title": "the title is in the document information and the XMP metadata (dc:title)",
    "pdf-display-title": "ViewerPreferences /DisplayDocTitle is true",
    "pdf-ua-id": "the XMP metadata has pdfuaid:part",
    "pdf-untagged-content": "all page content (including form XObjects) is tagged or an artifact",
    "pdf-mcid-parent-tree": "every MCID on a page maps to a struct element through /StructParents and the ParentTree",
    "pdf-mcid-missing": "every MCID a struct element names is on its page",
    "pdf-heading-skip": "heading levels H1-H6 are not skipped in the structure tree",
    "pdf-list-part-outside-list": "Lbl and LBody elements are only inside a list item (LI)",
    "pdf-figure-alt": "every Figure has /Alt or /ActualText",
    "pdf-table-headers": "every Table has TH cells",
    "pdf-annot-tagged": "link and widget annotations are tagged (StructParent -> Link/Form element with an OBJR)",
    "pdf-tabs": "pages with annotations have /Tabs /S",
    "pdf-field-tu": "every form field has a description (/TU)",
    "pdf-empty-answer-cells": "warning: no table column is empty in every body row with no form field to answer in",
    "pdf-tick-redraw": "every tick box names its mark (/MK /CA) and a /DA font that is embedded and has that mark, "
                       "so a viewer that redraws it still draws a tick",
    "pdf-bookmarks": "documents with more than one page or heading have bookmarks (Outlines)",
    "pdf-font-embedded": "every font used is embedded (FontFile, FontFile2, FontFile3)",
    "pdf-font-unicode": "every font used maps to Unicode (ToUnicode, or a standard encoding for simple fonts)",
    "pdf-subset-tags": "different subsets of a font have different tags (ISO 32000-1, 9.6.4)",
    "pdf-notdef": "no text draws glyph 0 (.notdef) in Identity-H CID fonts",
    # HTML
    "html-parse": "the file reads as an HTML page",
    "html-lang": "<html> has lang",
    "html-title": "the page has a non-empty <title>",
    "html-h1": "the page has exactly one h1",
    "html-heading-skip": "heading levels are not skipped",
    "html-img-alt": "every img has alt text; alt=\"\" only with role=presentation or aria-hidden",
    "html-table-headers": "every table has th cells, each with scope (or an id for headers=)",
    "html-form-label": "every form control has a label (for=, wrapping, aria-label, aria-labelledby or title)",
    "html-empty-answer-cells": "warning: no table column is empty in every body row with no form control to answer in",
    "html-link-text": "link text is not empty or 'click here' (error) or a bare web address (warning)",
    "axe-unavailable": "info: axe-core did not run (no Chromium, node or node packages) and why",
    "axe-error": "axe-core could not check a page",
    # Easy read
    "easy-read-text-size": "no easy-read text under 16pt (DOCX and PDF)",
    "easy-read-italic": "no italics in easy-read text",
    "easy-read-sentence-length": "easy-read sentences have at most 15 words (warning)",
    "easy-read-capitals": "no runs of block capitals in easy-read text (warning)",
    "easy-read-pdf-table": "easy-read PDFs have no Table structure elements (points are Figure + P)",
    # Any format packgen writes
    "format-same-title": "two versions of a document (same file name, other folders) do not share a title",
    "format-unchecked": "info: a file of a format packgen writes but has no rules for is named as not checked",
}
