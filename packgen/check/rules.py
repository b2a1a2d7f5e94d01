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
    "docx-contrast": "text colour against its shading or the page has contrast of at least 4.5:1",
    "docx-empty-paragraph": "no empty paragraphs used for spacing",
    "docx-typed-list": "no bullets or numbers typed as text instead of a real list (numPr)",
    "docx-link-text": "link text is not empty, 'click here' or 'read more' (error) or a bare web address (warning)",
    "docx-visual-heading": "no short paragraph in bold or larger text, nor a Title or Subtitle paragraph once the "
                           "text has begun, heads a section's content without being a heading",
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
    "pdf-draft-untagged": "a PDF whose metadata (xmp:Label, ContentStatus) or page artifacts say DRAFT says 'draft' "
                          "in its tagged text too",
    "pdf-visual-heading": "no paragraph (P) that is short and bold or larger than the body text heads a section's "
                          "content without being tagged as a heading",
    "verapdf-unavailable": "info: veraPDF did not run (no Java or veraPDF here), so only packgen's own PDF rules ran, "
                           "and how to get it",
    "verapdf-error": "veraPDF could not check a PDF that packgen's own rules could read",
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
    # EPUB (EPUB Accessibility 1.1)
    "epub-parse": "the file opens as an EPUB (zip with its mimetype, container and package document) within safe "
                  "size limits",
    "epub-title": "the package metadata has a title (dc:title)",
    "epub-language": "the package metadata has dc:language, the same as the pack's when a build's manifest lists "
                     "the book",
    "epub-accessibility-metadata": "the package metadata has schema:accessMode, accessModeSufficient, "
                                   "accessibilityFeature, accessibilityHazard, accessibilitySummary and "
                                   "dcterms:conformsTo",
    "epub-xhtml-lang": "every content document's <html> has lang (and xml:lang, where it has one, the same)",
    "epub-img-alt": "every picture has alt text; alt=\"\" only with role=presentation or aria-hidden",
    "epub-nav": "the manifest names a navigation document with a table of contents (nav epub:type=\"toc\")",
    "epub-page-list": "every page-list entry leads to a content document and an id that exist",
    "ace-unavailable": "info: Ace by DAISY did not run (no Node.js, Chromium or Ace here), so only packgen's own "
                       "EPUB rules ran, and how to get it",
    "ace-error": "Ace by DAISY could not check an e-book",
    # Braille-ready file
    "brf-parse": "the file is small enough to be a Braille-ready file",
    "brf-characters": "the file holds only braille ASCII cells, CR, LF and form feeds",
    "brf-line-length": "every line is at most 40 cells",
    "brf-page-length": "every page (ended by a form feed) is at most 25 lines",
    # Audio and its transcript
    "audio-parse": "the recording opens as Ogg Opus",
    "audio-title": "the recording has a title tag",
    "audio-language": "the recording has a LANGUAGE tag",
    "audio-chapters": "the recording has named chapters (CHAPTERxxx, CHAPTERxxxNAME), in order, inside it",
    "audio-transcript": "a WebVTT transcript of the same name is beside the recording and ends with it",
    "transcript-parse": "the transcript reads as WebVTT, with cues in time order",
    # Easy read
    "easy-read-italic": "no italics in easy-read text",
    "easy-read-sentence-length": "easy-read sentences have at most 15 words (warning)",
    "easy-read-capitals": "no runs of block capitals in easy-read text (warning)",
    "easy-read-pdf-table": "easy-read PDFs have no Table structure elements (points are Figure + P)",
    # Any format packgen writes
    "format-text-size": "no text under its variant's smallest size (min_text_size in templates/theme.yaml: standard "
                        "12pt, easy read and large print 16pt) in DOCX, and in PDFs whose variant is known",
    "format-same-title": "two versions of a document (same file name, other folders) do not share a title",
    "format-unchecked": "info: a file of a format packgen writes but has no rules for is named as not checked",
    "format-not-a-file": "a name a file of these formats has (charter.pdf) found in a folder is an ordinary file, "
                         "not a pipe, a device or a link that leads nowhere (which is named, never opened), and "
                         "a link to a folder found there is named, as it is not followed",
    "format-stopped": "reading a file stays within --memory and --timeout, and does not crash the reader (a "
                      "decompression bomb or a parser loop is stopped and named, and the check goes on)",
}

# Rules another validator names: each finding's id is the prefix and that validator's own rule.
FAMILIES: dict[str, str] = {
    "axe-<rule>": "a rule of axe-core failed on a web page shown in Chromium (contrast as displayed, WCAG 2.2 "
                  "target size, ARIA); <rule> is axe's id, e.g. axe-color-contrast",
    "ace-<rule>": "a rule of Ace by DAISY failed on an e-book (axe-core's on each rendered page, and Ace's own on "
                  "metadata, navigation and page list); <rule> is Ace's id, e.g. ace-html-has-lang",
    "verapdf-<clause>-<test>": "a rule of veraPDF's PDF/UA-1 profile failed, named by its clause of ISO 14289-1 "
                               "and veraPDF's test number, e.g. verapdf-7.1-3",
}


def rules_table() -> str:
    """Every rule id and what it checks, one a line, as `packgen check --rules` prints it."""
    width = max(map(len, [*RULES, *FAMILIES]))
    lines = [f"{rule:<{width}}  {what}" for rule, what in [*RULES.items(), *FAMILIES.items()]]
    return "\n".join(lines) + "\n"


# The fix for a file another program made (Word, LibreOffice, Typst, Acrobat...): the checkers' own
# fixes are for packgen's files (edit sources/, rebuild). {program} names the program that made it.
# packgen.check.advice picks one or the other from the file.
FIX_ELSEWHERE: dict[str, str] = {
    "docx-parse": "Open the file in Word or LibreOffice and save it again as a Word document (.docx).",
    "docx-title": "Give the document a title in {program} (in Word: File > Info > Properties > Title).",
    "docx-language": "Set the document's language in {program} (in Word: Review > Language > Set Proofing "
                     "Language).",
    "docx-headings": "Give the headings Heading styles in {program} (in Word: Home > Styles > Heading 1, 2, 3).",
    "docx-heading-one-top": "Keep one Heading 1 for the title and make the sections Heading 2, in {program}.",
    "docx-heading-skip": "Give the heading the level below the one it is under (Heading 2 after Heading 1), "
                         "in {program}.",
    "docx-alt-text": "Describe the picture in {program} (in Word: right-click the picture > View Alt Text), or "
                     "mark it decorative.",
    "docx-table-header": "Make the table's first row a header row in {program} (in Word: Table Properties > "
                         "Row > Repeat as header row at the top of each page).",
    "docx-table-merged": "Split the merged cells in {program}, or make the table simpler.",
    "format-text-size": "Make the text at least the size this finding names in {program} (change the style, not "
                        "each paragraph).",
    "docx-contrast": "Choose a darker text colour or a lighter background in {program}.",
    "docx-empty-paragraph": "Delete the empty paragraphs in {program} and use paragraph spacing instead (in "
                            "Word: Paragraph > Spacing Before and After).",
    "docx-typed-list": "Use a real list in {program} (in Word: Home > Bullets or Numbering) instead of typing "
                       "the bullets or numbers.",
    "docx-link-text": "Change the link's words in {program} to say where it goes.",
    "pdf-parse": "Export the file again from {program}; if it is password-protected, save a copy without the "
                 "password.",
    "pdf-damaged": "Export the file again from {program}; a damaged PDF may not open in every reader.",
    "pdf-limits": "Split the document into smaller files in {program}, then export each as a tagged PDF.",
    "pdf-marked": "Export the PDF again from {program} as a tagged PDF (PDF/UA), not printed to PDF.",
    "pdf-tagged": "Export the PDF again from {program} as a tagged PDF (PDF/UA), not printed to PDF.",
    "pdf-parent-tree": "Export the PDF again from {program} as a tagged PDF (PDF/UA); the tags are incomplete.",
    "pdf-lang": "Set the document's language in {program} before exporting (in Acrobat: File > Properties > "
                "Advanced > Language).",
    "pdf-title": "Give the document a title in {program} before exporting (in Acrobat: File > Properties > "
                 "Description > Title).",
    "pdf-display-title": "Set the PDF to show its title (in Acrobat: File > Properties > Initial View > Show: "
                         "Document Title), or turn on that export option in {program}.",
    "pdf-ua-id": "Export the PDF again from {program} with its PDF/UA option on.",
    "pdf-untagged-content": "Tag the content in {program} (or mark decoration such as page numbers and lines as "
                            "artifacts), then export a tagged PDF again.",
    "pdf-mcid-parent-tree": "Export the PDF again from {program} as a tagged PDF; the page's tags are broken.",
    "pdf-mcid-missing": "Export the PDF again from {program} as a tagged PDF; a tag points at missing content.",
    "pdf-heading-skip": "Give each heading the level below the one it is under in {program}, then export the "
                        "PDF again.",
    "pdf-list-part-outside-list": "Tag the words as a paragraph (P) in {program}, or make them a real list, "
                                  "then export the PDF again.",
    "pdf-figure-alt": "Give the picture alternative text in {program}, then export the PDF again.",
    "pdf-table-headers": "Make the table's first row a header row in {program}, then export the PDF again.",
    "pdf-annot-tagged": "Export the PDF again from {program} as a tagged PDF, so its links and form fields are "
                        "tagged.",
    "pdf-tabs": "Export the PDF again from {program} as PDF/UA, so the tab order follows the structure (in "
                "Acrobat: Page Properties > Tab Order > Use Document Structure).",
    "pdf-field-tu": "Give every form field a tooltip (description) in {program} (in Acrobat: the field's "
                    "Properties > General > Tooltip).",
    "pdf-bookmarks": "Export the PDF again from {program} with bookmarks made from the headings.",
    "pdf-font-embedded": "Embed all fonts when exporting from {program}.",
    "pdf-font-unicode": "Export the PDF again from {program} with its fonts embedded and searchable text; the "
                        "font has no Unicode map.",
    "pdf-subset-tags": "Export the PDF again from {program}; it reused one font subset's name for another.",
    "pdf-notdef": "Use characters the font has, or another font, in {program}, then export the PDF again.",
    "docx-visual-heading": "Give the line a Heading style in {program} (in Word: Home > Styles > Heading 2 or 3) "
                           "instead of making it bold or large by hand.",
    "pdf-draft-untagged": "Say that it is a draft in the document's own text near the start (for example 'Draft' "
                          "under the title) in {program}, keep the watermark as decoration, then export the PDF "
                          "again.",
    "pdf-visual-heading": "Give the line a heading style in {program} (not bold or large text on a line of its "
                          "own), then export a tagged PDF again.",
    "html-parse": "Save the page again from {program}; if it is not a web page, rename it.",
    "html-lang": "Set the page's language in {program} (<html lang=\"en-GB\">).",
    "html-title": "Give the page a title in {program} (<title>).",
    "html-h1": "Give the page one main heading (h1) in {program}.",
    "html-heading-skip": "Give each heading the level below the one it is under in {program}.",
    "html-img-alt": "Describe the picture (alt text) in {program}, or mark it decorative.",
    "html-table-headers": "Give the table a header row with th cells and scope in {program}.",
    "html-form-label": "Give every form field a label in {program}.",
    "html-link-text": "Change the link's words in {program} to say where it goes.",
    "axe-error": "Open the page in a browser; save it again from {program}.",
    "verapdf-error": "Open the file in a PDF reader; export it again from {program} as PDF/UA.",
    "easy-read-italic": "Remove the italics in {program}; use bold for the one word that matters.",
    "easy-read-pdf-table": "Write the easy-read points as a picture and a sentence each, not a table, in {program}.",
    "format-same-title": "Give each version a title of its own in {program} (an easy-read version says it is "
                         "easy read).",
    "docx-empty-answer-cells": "Make the empty answer cells tick boxes or form fields in {program}.",
    "pdf-empty-answer-cells": "Make the empty answer cells tick boxes or form fields in {program}.",
    "html-empty-answer-cells": "Make the empty answer cells check boxes or form fields in {program}.",
    "epub-parse": "Export the e-book again from {program} as EPUB 3.",
    "epub-title": "Give the e-book a title in {program}'s metadata, then export it again.",
    "epub-language": "Set the e-book's language in {program}'s metadata, then export it again.",
    "epub-accessibility-metadata": "Fill in the accessibility metadata in {program} (how the book can be read, "
                                   "its hazards, an accessibility summary, and that it conforms to EPUB "
                                   "Accessibility 1.1), then export it again.",
    "epub-xhtml-lang": "Set the language of each chapter in {program}, then export the e-book again.",
    "epub-img-alt": "Describe the picture (alt text) in {program}, or mark it decorative, then export again.",
    "epub-nav": "Make {program} write a table of contents from the headings, then export the e-book again.",
    "epub-page-list": "Export the e-book again from {program}; its page list leads to pages it does not hold.",
    "ace-error": "Open the e-book in a reading system; export it again from {program}.",
    "brf-parse": "Split the text into smaller files in {program}, then make each Braille-ready file again.",
    "brf-characters": "Make the file again in {program} as a Braille-ready file (North American Braille ASCII).",
    "brf-line-length": "Set {program} to 40 cells a line, then make the Braille-ready file again.",
    "brf-page-length": "Set {program} to 25 lines a page, then make the Braille-ready file again.",
    "audio-parse": "Export the recording again from {program} as Ogg Opus.",
    "audio-title": "Give the recording a title in {program} (or a tag editor), then save it again.",
    "audio-language": "Give the recording a LANGUAGE tag in {program} (or a tag editor), then save it again.",
    "audio-chapters": "Add a chapter for each section in {program} (or a tag editor), then save it again.",
    "audio-transcript": "Save the recording's transcript beside it as WebVTT (the same name, ending .vtt), from "
                        "{program}.",
    "transcript-parse": "Save the transcript again from {program} as WebVTT.",
    "pdf-tick-redraw": "In {program}, give each tick box a check-mark style (/MK /CA) and a font that is embedded "
                       "and has that mark.",
}

# Where to make another validator's fix (axe-<rule>, verapdf-<clause>-<test>), after its own words.
FIX_OURS_BY_FAMILY: dict[str, str] = {
    "axe-": "The page comes from templates/html/ and sources/.",
    "verapdf-": "Rebuild it with 'make'; if the problem stays, it is in packgen's PDF writer: report it.",
    "ace-": "The e-book comes from templates/html/ and sources/, through packgen's e-book writer.",
}
FIX_ELSEWHERE_BY_FAMILY: dict[str, str] = {
    "axe-": "Make the change in {program}, then save the page again.",
    "verapdf-": "Make the change in {program}, then export the PDF again with tags (PDF/UA) on.",
    "ace-": "Make the change in {program}, then export the e-book again.",
}
