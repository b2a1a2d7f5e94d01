"""HTML rules read from the markup with lxml, plus (when Chromium is here) axe-core's rules.

The markup rules are the ones a page must pass whatever its styles: language, title, one h1, heading
order, alt text, table headers, form labels and link text. axe-core (see axe.py) adds what needs a
rendered page, such as colour contrast and WCAG 2.2 target size.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from packgen.check import answers, easy_read
from packgen.check.context import FileContext
from packgen.check.docx import link_text_problem
from packgen.check.findings import Finding, error, warning

MAX_HTML_BYTES = 32 * 1024 * 1024
HEADING = re.compile(r"^h([1-6])$")
CONTROLS = ("input", "select", "textarea")
NO_LABEL_TYPES = {"hidden", "submit", "reset", "button", "image"}
HTML_HINT = "templates/html/ (the page template) or sources/"


def describe(el: etree._Element) -> str:
    """A short CSS-like name for an element, so a person can find it in the page source."""
    tag = el.tag if isinstance(el.tag, str) else "node"
    out = tag
    if el.get("id"):
        out += f"#{el.get('id')}"
    elif el.get("class"):
        out += "." + ".".join(el.get("class", "").split()[:2])
    text = " ".join(el.text_content().split()) if hasattr(el, "text_content") else ""
    if text:
        out += f" ('{easy_read.snippet(text, 30)}')"
    line = getattr(el, "sourceline", None)
    return f"line {line}, <{out}>" if line else f"<{out}>"


def accessible_text(el: etree._Element) -> str:
    """Link text as a screen reader gets it: aria-label, else text and the alt of pictures inside."""
    label = (el.get("aria-label") or "").strip()
    if label:
        return label
    parts = [el.text or ""]
    for child in el.iterdescendants():
        if not isinstance(child.tag, str):
            continue
        if child.tag == "img":
            parts.append(child.get("alt") or "")
        if child.get("aria-hidden") == "true":
            continue
        parts.append(child.text or "")
        parts.append(child.tail or "")
    return " ".join(" ".join(parts).split())


class HtmlChecker:
    def __init__(self, ctx: FileContext, root: etree._Element) -> None:
        self.ctx = ctx
        self.root = root
        self.findings: list[Finding] = []

    def add(self, rule: str, where: str, message: str, fix: str, severity: str = "error") -> None:
        make = error if severity == "error" else warning
        self.findings.append(make(rule, self.ctx.label, where, message, fix))

    def run(self) -> list[Finding]:
        root = self.root
        keywords = " ".join(m.get("content") or "" for m in root.iter("meta")
                            if (m.get("name") or "").lower() in ("keywords", "dc.type", "category"))
        self.ctx.mark_easy_read_from_metadata(keywords)
        html = root if root.tag == "html" else next(root.iter("html"), None)
        if html is None or not (html.get("lang") or html.get("{http://www.w3.org/XML/1998/namespace}lang") or
                                "").strip():
            self.add("html-lang", "<html>", "The page does not say what language it is in, so screen readers may "
                     "use the wrong voice.", f"Add lang=\"en-GB\" to <html> in {HTML_HINT} "
                     "(the language comes from 'language:' in sources/pack.yaml).")
        titles = [t for t in root.iter("title") if (t.text_content() or "").strip()]
        if not titles:
            self.add("html-title", "<head>", "The page has no <title>, which is what browsers and screen readers "
                     "announce first.", "Give the document a title ('title:' in its sources/ file).")
        self.check_headings()
        self.check_images()
        self.check_tables()
        self.check_forms()
        self.check_links()
        self.findings += answers.html_findings(self.ctx, self.root)
        if self.ctx.easy_read:
            self.check_easy_read()
        return self.findings

    def check_headings(self) -> None:
        headings = [(int(HEADING.match(el.tag).group(1)), el) for el in self.root.iter()
                    if isinstance(el.tag, str) and HEADING.match(el.tag)]
        ones = [el for level, el in headings if level == 1]
        if len(ones) != 1:
            self.add("html-h1", describe(ones[1]) if len(ones) > 1 else "whole page",
                     f"The page has {len(ones)} main headings (h1); it should have exactly one.",
                     "Keep one top-level heading, the title (# in the template), and make sections ## in "
                     "sources/.")
        previous = 0
        for level, el in headings:
            if level > previous + 1:
                self.add("html-heading-skip", describe(el),
                         f"Heading level {level} follows "
                         f"{'the start of the page' if previous == 0 else f'level {previous}'}: a level is "
                         "skipped.", "Do not skip heading levels in sources/ (# then ## then ###).")
            previous = level

    def check_images(self) -> None:
        for img in self.root.iter("img"):
            alt = img.get("alt")
            hidden = img.get("aria-hidden") == "true" or (img.get("role") or "") in ("presentation", "none")
            if alt is None and not hidden and not img.get("aria-label") and not img.get("aria-labelledby"):
                self.add("html-img-alt", describe(img) + f" src={easy_read.snippet(img.get('src') or '', 40)}",
                         "A picture has no alt attribute, so screen readers read out its file name.",
                         "Describe the picture: ![what it shows](name) in sources/ (or mark it decorative).")
            elif alt is not None and not alt.strip() and not hidden:
                self.add("html-img-alt", describe(img),
                         "A picture has empty alt text but is not marked as decorative (role=\"presentation\" or "
                         "aria-hidden=\"true\").",
                         "Describe the picture in sources/, or mark it decorative in the template.")

    def check_tables(self) -> None:
        for n, table in enumerate(self.root.iter("table"), 1):
            if (table.get("role") or "") in ("presentation", "none"):
                continue
            headers = [th for th in table.iter("th")]
            where = f"table {n}, " + describe(table)
            if not headers:
                self.add("html-table-headers", where,
                         "The table has no header cells (<th>), so screen readers cannot say which column a cell "
                         "is in.", "Give the table a header row (the first row of a Markdown table in sources/).")
            elif any(not th.get("scope") and not th.get("id") for th in headers):
                self.add("html-table-headers", where,
                         "Some header cells (<th>) have no scope, so screen readers may not link them to their "
                         "column or row.", "Add scope=\"col\" or scope=\"row\" to each <th> (the HTML writer's "
                         "table template).")

    def check_forms(self) -> None:
        label_for = {lab.get("for") for lab in self.root.iter("label") if lab.get("for")}
        ids = {el.get("id"): el for el in self.root.iter() if isinstance(el.tag, str) and el.get("id")}
        for control in self.root.iter(*CONTROLS):
            if control.tag == "input" and (control.get("type") or "text").lower() in NO_LABEL_TYPES:
                continue
            cid = control.get("id")
            labelled = (cid and cid in label_for) or (control.get("aria-label") or "").strip() or (
                control.get("aria-labelledby") and all(i in ids for i in control.get("aria-labelledby", "").split())
            ) or any(a.tag == "label" for a in control.iterancestors()) or (control.get("title") or "").strip()
            if not labelled:
                self.add("html-form-label", describe(control),
                         "A form field has no label, so screen-reader users do not know what to type.",
                         "Give every field a label in sources/ (the pledge form's 'fields:' list).")

    def check_links(self) -> None:
        for a in self.root.iter("a"):
            if a.get("href") is None:
                continue
            text = accessible_text(a)
            verdict = link_text_problem(text)
            where = describe(a) + f" href={easy_read.snippet(a.get('href') or '', 50)}"
            if verdict in ("empty", "vague"):
                self.add("html-link-text", where,
                         "The link has no text." if verdict == "empty" else
                         f"The link text '{text}' does not say where the link goes.",
                         "Write link text that makes sense on its own, e.g. [Read the full charter](...) in "
                         "sources/.")
            elif verdict == "url":
                self.add("html-link-text", where, "The link text is a bare web address, which screen readers "
                         "read out letter by letter.",
                         "Use words that say where the link goes, e.g. [Read the full charter](...) in sources/.",
                         severity="warning")

    def check_easy_read(self) -> None:
        body = next(self.root.iter("body"), self.root)
        for el in body.iter("i", "em", "cite"):
            self.findings.append(easy_read.italic_finding(self.ctx, describe(el)))
        passages = []
        for el in body.iter("p", "li", "td", "th", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "label"):
            if any(isinstance(c.tag, str) and c.tag in ("p", "li", "ul", "ol") for c in el.iterdescendants()):
                continue  # the inner element is checked on its own
            text = " ".join(el.text_content().split())
            if text:
                line = getattr(el, "sourceline", None)
                passages.append((f"line {line}, <{el.tag}>" if line else f"<{el.tag}>", text))
        self.findings += easy_read.wording_findings(self.ctx, passages)


def check_html(ctx: FileContext) -> list[Finding]:
    """The markup rules for one page; a page that cannot be read becomes one html-parse finding."""
    try:
        with open(ctx.path, "rb") as fh:
            data = fh.read(MAX_HTML_BYTES + 1)
    except OSError as exc:
        return [parse_failure(ctx, str(exc))]
    if len(data) > MAX_HTML_BYTES:
        return [parse_failure(ctx, "it is larger than 32 MB")]
    sample = data[:4096]
    if b"\x00" in sample or not data.strip():
        return [parse_failure(ctx, "it is empty" if not data.strip() else "it holds binary data, not text")]
    try:
        root = lxml.html.document_fromstring(data)
    except (etree.ParserError, etree.LxmlError, ValueError) as exc:
        return [parse_failure(ctx, str(exc) or type(exc).__name__)]
    return HtmlChecker(ctx, root).run()


def parse_failure(ctx: FileContext, reason: str) -> Finding:
    return error("html-parse", ctx.label, "whole file", f"The file cannot be read as a web page: {reason}.",
                 "Rebuild it with 'make'; if it is not a web page, rename it.")
