"""Word (.docx) rules: what Word's accessibility checker and GOV.UK's guidance ask of a document.

The package is read with zipfile and lxml directly rather than python-docx: that is faster, lets us
cap what a hostile file costs (see safeio), and gives us the raw XML the rules are about (style
inheritance, table properties, drawing properties) without a friendly layer hiding it.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from lxml import etree

from packgen.check import answers, easy_read, text_size
from packgen.check.context import FileContext
from packgen.check.findings import Finding, error, warning
from packgen.check.visual_headings import body_size, looks_like_heading
from packgen.contrast import MINIMUM_TEXT_CONTRAST, contrast_ratio, parse_hex
from packgen.ooxml import qn as q
from packgen.safeio import SafeZip, UnsafeFile, parse_xml

REL_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
REL_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
REL_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
CONTENT_TYPES = "[Content_Types].xml"


WP, WR, WT, WRPR = q("w:p"), q("w:r"), q("w:t"), q("w:rPr")
WVAL = q("w:val")
TYPED_LIST = re.compile(r"^\s*([•·●○▪■◦‣⁃–—\-*+>]\s|(\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)]\s)")
HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
BARE_URL = re.compile(r"^\s*(https?://|ftp://|www\.)\S+\s*$", re.IGNORECASE)
VAGUE_LINKS = {"click here", "here", "read more", "more", "click", "link", "this link", "click this link",
               "find out more", "more info", "more information", "go"}
MAX_STYLE_DEPTH = 20
# What a content control may not show on its own: spaces, no-break spaces (and their narrow and figure
# kin), tabs and the other blanks Unicode has, none of which a screen reader reads out.
BLANKS = " \t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
SOURCES_HINT = "sources/"


def _on(el: etree._Element | None) -> bool | None:
    """An OOXML on/off property: present means on unless w:val says false."""
    if el is None:
        return None
    return el.get(WVAL, "true").lower() not in ("0", "false", "off", "none")


@dataclass
class RunProps:
    size: float | None = None  # points
    colour: str | None = None  # hex RRGGBB, or "auto"
    italic: bool | None = None
    bold: bool | None = None
    caps: bool | None = None
    shade: str | None = None

    def merged(self, other: RunProps) -> RunProps:
        return RunProps(*(b if b is not None else a for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple:
        return (self.size, self.colour, self.italic, self.bold, self.caps, self.shade)


def _shade(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    fill = el.get(q("w:fill"))
    if fill and fill.lower() != "auto" and parse_hex(fill):
        return fill
    return None


def read_rpr(rpr: etree._Element | None) -> RunProps:
    if rpr is None:
        return RunProps()
    props = RunProps()
    sz = rpr.find(q("w:sz"))
    if sz is not None:
        try:
            props.size = int(sz.get(WVAL, "")) / 2
        except ValueError:
            pass
    color = rpr.find(q("w:color"))
    if color is not None and color.get(WVAL):
        props.colour = color.get(WVAL)
    props.italic = _on(rpr.find(q("w:i")))
    props.bold = _on(rpr.find(q("w:b")))
    props.caps = _on(rpr.find(q("w:caps")))
    props.shade = _shade(rpr.find(q("w:shd")))
    hl = rpr.find(q("w:highlight"))
    if props.shade is None and hl is not None and hl.get(WVAL) not in (None, "none"):
        props.shade = HIGHLIGHTS.get(hl.get(WVAL, ""), None)
    return props


HIGHLIGHTS = {"yellow": "FFFF00", "green": "00FF00", "cyan": "00FFFF", "magenta": "FF00FF", "blue": "0000FF",
              "red": "FF0000", "darkBlue": "000080", "darkCyan": "008080", "darkGreen": "008000",
              "darkMagenta": "800080", "darkRed": "800000", "darkYellow": "808000", "darkGray": "808080",
              "lightGray": "C0C0C0", "black": "000000", "white": "FFFFFF"}


@dataclass
class Styles:
    """styles.xml resolved: each style's run properties, outline level and numbering through basedOn."""

    by_id: dict[str, etree._Element] = field(default_factory=dict)
    defaults: RunProps = field(default_factory=RunProps)
    default_para: str | None = None
    languages: list[str] = field(default_factory=list)
    _rpr_cache: dict[str, RunProps] = field(default_factory=dict)

    @classmethod
    def load(cls, root: etree._Element | None) -> Styles:
        styles = cls()
        if root is None:
            return styles
        styles.defaults = read_rpr(root.find(f"{q('w:docDefaults')}/{q('w:rPrDefault')}/{q('w:rPr')}"))
        for lang in root.iter(q("w:lang")):
            for attr in ("w:val", "w:eastAsia", "w:bidi"):
                if lang.get(q(attr)):
                    styles.languages.append(lang.get(q(attr), ""))
        for style in root.findall(q("w:style")):
            sid = style.get(q("w:styleId"))
            if sid:
                styles.by_id[sid] = style
                if style.get(q("w:type")) == "paragraph" and _on(style.find(q("w:default"))) is not False \
                        and style.get(q("w:default")) in ("1", "true", "on"):
                    styles.default_para = sid
        return styles

    def chain(self, sid: str | None) -> list[etree._Element]:
        """The style and its ancestors, nearest first, bounded against basedOn loops."""
        out: list[etree._Element] = []
        seen: set[str] = set()
        while sid and sid not in seen and len(out) < MAX_STYLE_DEPTH:
            seen.add(sid)
            style = self.by_id.get(sid)
            if style is None:
                break
            out.append(style)
            based = style.find(q("w:basedOn"))
            sid = based.get(WVAL) if based is not None else None
        return out

    def rpr(self, sid: str | None) -> RunProps:
        if not sid:
            return RunProps()
        if sid not in self._rpr_cache:
            props = RunProps()
            for style in reversed(self.chain(sid)):
                props = props.merged(read_rpr(style.find(q("w:rPr"))))
            self._rpr_cache[sid] = props
        return self._rpr_cache[sid]

    def ppr_value(self, sid: str | None, tag: str) -> etree._Element | None:
        for style in self.chain(sid):
            found = style.find(f"{q('w:pPr')}/{q(tag)}")
            if found is not None:
                return found
        return None

    def name(self, sid: str | None) -> str:
        style = self.by_id.get(sid or "")
        if style is None:
            return sid or "Normal"
        name = style.find(q("w:name"))
        return name.get(WVAL, sid) if name is not None else (sid or "")

    def heading_level(self, sid: str | None) -> int | None:
        for style in self.chain(sid):
            name = style.find(q("w:name"))
            match = HEADING_NAME.match(name.get(WVAL, "")) if name is not None else None
            if match:
                return int(match.group(1))
        outline = self.ppr_value(sid, "w:outlineLvl")
        return _outline_level(outline)


def _outline_level(el: etree._Element | None) -> int | None:
    if el is None:
        return None
    try:
        level = int(el.get(WVAL, ""))
    except ValueError:
        return None
    return level + 1 if 0 <= level <= 8 else None


def _rels(pkg: SafeZip, part: str) -> dict[str, tuple[str, str, str]]:
    """Relationship id -> (type, target resolved against the part, target mode)."""
    folder, name = posixpath.split(part)
    root = pkg.xml(posixpath.join(folder, "_rels", name + ".rels"))
    out: dict[str, tuple[str, str, str]] = {}
    if root is None:
        return out
    for rel in root.findall(q("pr:Relationship")):
        target = rel.get("Target", "")
        mode = rel.get("TargetMode", "Internal")
        if mode != "External":
            target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/") if not target.startswith("/") \
                else target.lstrip("/")
        out[rel.get("Id", "")] = (rel.get("Type", ""), target, mode)
    return out


class DocxChecker:
    def __init__(self, ctx: FileContext, pkg: SafeZip) -> None:
        self.ctx = ctx
        self.pkg = pkg
        self.findings: list[Finding] = []
        package_rels = _rels(pkg, "")
        self.main_part = next((t for ty, t, _ in package_rels.values() if ty == REL_OFFICE_DOC), "word/document.xml")
        core_part = next((t for ty, t, _ in package_rels.values() if ty == REL_CORE), "docProps/core.xml")
        self.doc_rels = _rels(pkg, self.main_part)
        styles_part = next((t for ty, t, _ in self.doc_rels.values() if ty == REL_STYLES), "word/styles.xml")
        self.document = pkg.xml(self.main_part)
        if self.document is None:
            raise UnsafeFile(f"it has no main document part ({self.main_part})")
        self.core = pkg.xml(core_part)
        self.styles = Styles.load(pkg.xml(styles_part))
        self.body = self.document.find(q("w:body"))
        if self.body is None:
            raise UnsafeFile("its main document part has no body")
        # Word refuses a package that does not say what its parts are; asked once the parts above are
        # read, so that a part that is itself broken or hostile is what the finding names
        if CONTENT_TYPES not in pkg.names:
            raise UnsafeFile(f"it has no {CONTENT_TYPES} part, the list of what its parts are, so Word cannot "
                             "open it")
        self.page_colour = "FFFFFF"
        background = self.document.find(q("w:background"))
        if background is not None and parse_hex(background.get(q("w:color"), "")):
            self.page_colour = background.get(q("w:color"), "FFFFFF")
        self.paragraphs = list(self.body.iter(WP))
        self.index = {id(p): i + 1 for i, p in enumerate(self.paragraphs)}
        self.texts = {id(p): self.text(p) for p in self.paragraphs}

    # -- helpers -------------------------------------------------------------------------------

    def text(self, el: etree._Element) -> str:
        parts = []
        for node in el.iter(WT, q("w:tab"), q("w:br"), q("w:delText")):
            if node.tag == WT:
                parts.append(node.text or "")
            elif node.tag != q("w:delText"):
                parts.append(" ")
        return "".join(parts)

    def where(self, p: etree._Element, text: str | None = None) -> str:
        text = self.texts.get(id(p), "") if text is None else text
        label = f"paragraph {self.index.get(id(p), '?')}"
        return f"{label} ('{easy_read.snippet(text)}')" if text.strip() else label

    def para_style(self, p: etree._Element) -> str | None:
        ps = p.find(f"{q('w:pPr')}/{q('w:pStyle')}")
        return ps.get(WVAL) if ps is not None else self.styles.default_para

    def run_props(self, p: etree._Element, r: etree._Element, para_style: str | None) -> RunProps:
        props = self.styles.defaults.merged(self.styles.rpr(para_style))
        rpr = r.find(WRPR)
        if rpr is not None:
            rstyle = rpr.find(q("w:rStyle"))
            if rstyle is not None:
                props = props.merged(self.styles.rpr(rstyle.get(WVAL)))
            props = props.merged(read_rpr(rpr))
        return props

    def background(self, p: etree._Element, props: RunProps) -> str:
        if props.shade:
            return props.shade
        own = _shade(p.find(f"{q('w:pPr')}/{q('w:shd')}"))
        if own:
            return own
        parent = p.getparent()
        depth = 0
        while parent is not None and depth < 50:
            if parent.tag == q("w:tc"):
                fill = _shade(parent.find(f"{q('w:tcPr')}/{q('w:shd')}"))
                if fill:
                    return fill
            parent = parent.getparent()
            depth += 1
        return self.page_colour

    # -- rules ---------------------------------------------------------------------------------

    def run(self) -> list[Finding]:
        self.check_properties()
        self.check_headings()
        self.check_pictures()
        self.check_tables()
        self.check_runs()
        self.check_empty_paragraphs()
        self.check_typed_lists()
        self.check_links()
        self.check_controls()
        self.check_visual_headings()
        self.findings += answers.docx_findings(self.ctx, self.body, self.text)
        if self.ctx.easy_read:
            passages = [(self.where(p), self.texts[id(p)]) for p in self.paragraphs if self.texts[id(p)].strip()]
            self.findings += easy_read.wording_findings(self.ctx, passages)
        return self.findings

    def add(self, f: Finding) -> None:
        self.findings.append(f)

    def core_text(self, tag: str) -> str:
        if self.core is None:
            return ""
        el = self.core.find(q(tag))
        return (el.text or "").strip() if el is not None else ""

    def check_properties(self) -> None:
        self.ctx.mark_easy_read_from_metadata(self.core_text("cp:keywords"), self.core_text("cp:category"))
        if not self.core_text("dc:title"):
            self.add(error("docx-title", self.ctx.label, "document properties",
                           "The document has no title, so screen readers announce the file name instead.",
                           "Give the document a title (the 'title:' line at the top of its file in sources/; "
                           "in Word: File > Info > Title)."))
        if not self.core_text("dc:language") and not any(self.styles.languages):
            self.add(error("docx-language", self.ctx.label, "document properties and styles",
                           "The document does not say what language it is in, so screen readers may read it "
                           "with the wrong voice.",
                           "Set 'language:' in sources/pack.yaml (in Word: Review > Language > Set Proofing "
                           "Language, then 'Set As Default')."))

    def check_headings(self) -> None:
        headings: list[tuple[int, etree._Element]] = []
        for p in self.paragraphs:
            if not self.texts[id(p)].strip():
                continue
            level = _outline_level(p.find(f"{q('w:pPr')}/{q('w:outlineLvl')}"))
            if level is None:
                level = self.styles.heading_level(self.para_style(p))
            if level is not None:
                headings.append((level, p))
        if not headings:
            self.add(error("docx-headings", self.ctx.label, "whole document",
                           "The document uses no Heading styles, so screen-reader users cannot move between "
                           "sections and Word builds no navigation pane.",
                           "Use Heading 1 for the title and Heading 2, 3 for sections (## and ### in sources/)."))
            return
        tops = [p for level, p in headings if level == 1]
        if len(tops) > 1:
            self.add(error("docx-heading-one-top", self.ctx.label, self.where(tops[1]),
                           f"The document has {len(tops)} top-level headings (Heading 1); it should have one, "
                           "its title.",
                           "Make the sections Heading 2 (## in sources/) and keep one Heading 1 (#)."))
        previous = 0
        for level, p in headings:
            if level > previous + 1:
                self.add(error("docx-heading-skip", self.ctx.label, self.where(p),
                               f"This Heading {level} skips a level (it follows "
                               f"{'the start of the document' if previous == 0 else f'a Heading {previous}'}).",
                               f"Make it Heading {previous + 1}, or add the missing level (in sources/, each # is "
                               "one level: do not jump from ## to ####)."))
            previous = level

    def level(self, p: etree._Element) -> int | None:
        """The paragraph's heading level, from its own outline level or its style's; None for text."""
        level = _outline_level(p.find(f"{q('w:pPr')}/{q('w:outlineLvl')}"))
        return level if level is not None else self.styles.heading_level(self.para_style(p))

    def looks(self, p: etree._Element, body: float) -> bool:
        """A paragraph that is a heading to the eye: short, not a sentence, bold or large throughout."""
        sid = self.para_style(p)
        runs = [self.run_props(p, r, sid) for r in p.iter(WR) if "".join(t.text or "" for t in r.iter(WT)).strip()]
        if not runs:
            return False
        return looks_like_heading(self.texts[id(p)], all(r.bold for r in runs),
                                  min(r.size if r.size is not None else 10.0 for r in runs), body)

    def check_visual_headings(self) -> None:
        """Short bold or large paragraphs, and Title or Subtitle paragraphs after the text has begun, that
        head a section's content but are no heading: absent from the navigation pane and a screen
        reader's list of headings."""
        sizes: dict[float, int] = {}
        for p in self.paragraphs:
            sid = self.para_style(p)
            for r in p.iter(WR):
                chars = len("".join(t.text or "" for t in r.iter(WT)).strip())
                if chars:
                    size = self.run_props(p, r, sid).size
                    sizes[size if size is not None else 10.0] = sizes.get(size if size is not None else 10.0, 0) + chars
        body = body_size(sizes)
        blocks = [c for c in self.body if c.tag in (WP, q("w:tbl"), q("w:sdt"))]
        blocks = [c for c in blocks if c.tag != WP or self.texts[id(c)].strip() or self._holds_something(c)]
        text_begun = False
        reported = 0
        for i, p in enumerate(blocks[:-1]):
            if p.tag != WP or self.level(p) is not None:
                text_begun = text_begun or (p.tag != WP)
                continue
            style = self.styles.name(self.para_style(p))
            titled = style.lower() in ("title", "subtitle")
            listed = p.find(f"{q('w:pPr')}/{q('w:numPr')}") is not None
            after = blocks[i + 1]
            if listed or not (titled and text_begun or not titled and self.looks(p, body)):
                text_begun = text_begun or not titled
                continue
            text_begun = text_begun or not titled
            if after.tag == WP and (self.level(after) is not None or self.looks(after, body)
                                    or self.styles.name(self.para_style(after)).lower() in ("title", "subtitle")):
                continue  # a line above a heading, or one of a run of short bold lines (an address)
            if any(b.tag == q("w:sdt") or b.find(f".//{q('w:sdt')}") is not None
                   or b.find(f".//{q('w:fldChar')}") is not None for b in blocks[i + 1:i + 3]):
                continue  # a form field's label (and its help)
            reported += 1
            if reported > 10:
                break  # ten say what is wrong; a hundred hide every other finding
            how = f"in the '{style}' style" if titled else "in bold or large text"
            self.add(error("docx-visual-heading", self.ctx.label, self.where(p),
                           f"This line heads a section {how} but is not a heading, so it is missing from Word's "
                           "navigation pane and screen-reader users cannot jump to it.",
                           "Make it a heading in sources/ (## or ###), not bold text on a line of its own (in Word: "
                           "Home > Styles > Heading 2 or 3)."))

    def check_pictures(self) -> None:
        for n, doc_pr in enumerate(self.body.iter(q("wp:docPr")), 1):
            descr = (doc_pr.get("descr") or "").strip()
            decorative = any(_on(d) for d in doc_pr.iter(q("adec:decorative")))
            if not descr and not decorative:
                name = doc_pr.get("name") or f"picture {n}"
                p = next((a for a in doc_pr.iterancestors(WP)), None)
                where = f"{self.where(p)}, {name}" if p is not None else name
                self.add(error("docx-alt-text", self.ctx.label, where,
                               "A picture has no alt text, so screen-reader users do not know what it shows.",
                               "Describe the picture: ![what it shows](name) in sources/ (in Word: right-click > "
                               "View Alt Text), or mark it decorative if it adds nothing."))
        for shape in self.body.iter(q("v:shape")):
            if shape.find(q("v:imagedata")) is not None and not (shape.get("alt") or "").strip():
                p = next((a for a in shape.iterancestors(WP)), None)
                self.add(error("docx-alt-text", self.ctx.label, self.where(p) if p is not None else "picture",
                               "A picture has no alt text, so screen-reader users do not know what it shows.",
                               "Describe the picture (in Word: right-click > View Alt Text)."))

    def check_tables(self) -> None:
        for n, tbl in enumerate(self.body.iter(q("w:tbl")), 1):
            rows = tbl.findall(q("w:tr"))
            first_text = easy_read.snippet(" | ".join(self.text(tc).strip() for tc in rows[0].iter(q("w:tc")))) \
                if rows else ""
            where = f"table {n}" + (f" ('{first_text}')" if first_text.strip() else "")
            if not rows:
                continue
            header = _on(rows[0].find(f"{q('w:trPr')}/{q('w:tblHeader')}"))
            look = tbl.find(f"{q('w:tblPr')}/{q('w:tblLook')}")
            styled = False
            if look is not None:
                if look.get(q("w:firstRow")) is not None:
                    styled = look.get(q("w:firstRow")) in ("1", "true", "on")
                else:
                    try:
                        styled = bool(int(look.get(WVAL, "0"), 16) & 0x0020)
                    except ValueError:
                        styled = False
            if not header and styled:
                self.add(warning("docx-table-header", self.ctx.label, where,
                                 "The table's first row is styled as a header but not marked as one, so PDF exports "
                                 "and some screen readers treat it as data.",
                                 "Mark the header row (in Word: Table Properties > Row > 'Repeat as header row at "
                                 "the top of each page')."))
            elif not header:
                self.add(error("docx-table-header", self.ctx.label, where,
                               "The table has no header row, so screen readers cannot say which column a cell "
                               "is in.",
                               "Give the table a header row (the first row of a Markdown table in sources/; in "
                               "Word: Table Properties > Row > 'Repeat as header row at the top of each page')."))
            merged = False
            for tc in tbl.iter(q("w:tc")):
                span = tc.find(f"{q('w:tcPr')}/{q('w:gridSpan')}")
                if tc.find(f"{q('w:tcPr')}/{q('w:vMerge')}") is not None or (
                        span is not None and span.get(WVAL, "1") not in ("1", "0")):
                    merged = True
                    break
            if merged:
                self.add(error("docx-table-merged", self.ctx.label, where,
                               "The table has merged or split cells, which screen readers read in the wrong order.",
                               "Unmerge the cells so every row has one cell per column (in Word: Table Layout > "
                               "Split Cells); give repeated values in each cell."))

    def check_runs(self) -> None:
        """Size, contrast and (easy read) italics and capitals, one finding per style and value.

        A too-small style shows up in hundreds of paragraphs; one line naming the style, the first
        paragraph and how many more is what a person can act on.
        """
        minimum = text_size.minimum(self.ctx.variant)
        groups: dict[tuple, list[etree._Element]] = {}
        for p in self.paragraphs:
            if not self.texts[id(p)].strip():
                continue
            sid = self.para_style(p)
            kind = self.styles.name(sid)
            for r in p.iter(WR):
                text = "".join(t.text or "" for t in r.iter(WT))
                if not text.strip():
                    continue
                props = self.run_props(p, r, sid)
                size = props.size if props.size is not None else 10.0  # OOXML's default when nothing says
                if size < minimum:
                    groups.setdefault(("size", kind, size), []).append(p)
                if parse_hex(props.colour or "") is not None:
                    bg = self.background(p, props)
                    ratio = contrast_ratio(props.colour or "", bg)
                    if ratio is not None and ratio < MINIMUM_TEXT_CONTRAST:
                        groups.setdefault(("contrast", kind, (props.colour or "").upper(), bg.upper(),
                                           round(ratio, 2)), []).append(p)
                if self.ctx.easy_read and props.italic:
                    groups.setdefault(("italic", kind), []).append(p)
                if self.ctx.easy_read and props.caps:
                    groups.setdefault(("caps", kind), []).append(p)
        for key, paras in groups.items():
            unique = list(dict.fromkeys(paras))
            where = self.where(unique[0]) + (f" and {len(unique) - 1} more paragraph{'s' if len(unique) > 2 else ''}"
                                             if len(unique) > 1 else "")
            what, kind = key[0], key[1]
            if what == "size":
                self.add(text_size.finding(self.ctx, where, key[2], "the sizes are in templates/theme.yaml; in "
                                           f"Word, change the '{kind}' style"))
            elif what == "contrast":
                self.add(error("docx-contrast", self.ctx.label, where,
                               f"Text colour #{key[2]} on #{key[3]} has a contrast of {key[4]:.2f}:1; it must be at "
                               f"least {MINIMUM_TEXT_CONTRAST:g}:1.",
                               "Use a darker text colour or a lighter background (colours are in "
                               f"templates/theme.yaml; in Word, change the '{kind}' style)."))
            elif what == "italic":
                self.add(easy_read.italic_finding(self.ctx, where))
            else:
                self.add(warning("easy-read-capitals", self.ctx.label, where,
                                 "Text is formatted as ALL CAPITALS, which is hard to read.",
                                 "Remove the 'All caps' font effect (in templates/theme.yaml or the Word style)."))

    def _holds_something(self, p: etree._Element) -> bool:
        """Empty paragraphs that carry a break, a picture, a field or a content control are not spacing."""
        for el in p.iter():
            tag = el.tag
            if tag in (q("w:drawing"), q("w:pict"), q("w:object"), q("w:fldSimple"), q("w:fldChar"),
                       q("w:instrText"), q("w:sdt"), q("w:sectPr"), q("w:lastRenderedPageBreak")):
                return True
            if tag == q("w:br") and el.get(q("w:type")) in ("page", "column"):
                return True
            if tag == q("w:pageBreakBefore") and _on(el):
                return True
        return False

    def check_empty_paragraphs(self) -> None:
        containers = {}
        for p in self.paragraphs:
            parent = p.getparent()
            if parent is not None:
                containers.setdefault(id(parent), parent)
        for parent in containers.values():
            children = [c for c in parent if c.tag in (WP, q("w:tbl"), q("w:sdt"))]
            reported_run = False
            for i, child in enumerate(children):
                if child.tag != WP or self.texts.get(id(child), "x").strip() or self._holds_something(child):
                    reported_run = False
                    continue
                before = children[i - 1] if i > 0 else None
                after = children[i + 1] if i + 1 < len(children) else None
                if after is None:
                    continue  # Word needs a last paragraph in the body and in every cell
                if before is not None and before.tag == q("w:tbl") and after.tag == q("w:tbl"):
                    continue  # keeps two tables from merging into one
                if before is not None and before.tag == q("w:tbl") and parent.tag == q("w:tc"):
                    continue
                if reported_run:
                    continue
                reported_run = True
                self.add(error("docx-empty-paragraph", self.ctx.label, self.where(child) + (
                               f", after '{easy_read.snippet(self.text(before))}'" if before is not None
                               and self.text(before).strip() else ""),
                               "Empty paragraphs are used for spacing; screen readers announce each one as 'blank'.",
                               "Delete the empty paragraphs and use paragraph spacing instead (templates/theme.yaml; "
                               "in Word: Paragraph > Spacing Before/After)."))

    def check_typed_lists(self) -> None:
        for p in self.paragraphs:
            text = self.texts[id(p)]
            if not TYPED_LIST.match(text):
                continue
            sid = self.para_style(p)
            if p.find(f"{q('w:pPr')}/{q('w:numPr')}") is not None or self.styles.ppr_value(sid, "w:numPr") is not None:
                continue
            if self.styles.heading_level(sid) is not None:
                continue  # "1. Introduction" as a heading is numbering by hand, but not a list
            self.add(error("docx-typed-list", self.ctx.label, self.where(p),
                           "This looks like a list item typed by hand (a bullet or number typed as text), so "
                           "screen readers do not announce it as a list.",
                           "Use a real list: start lines with '- ' or '1. ' in sources/ (in Word: Home > Bullets "
                           "or Numbering)."))

    def check_links(self) -> None:
        for link in self.body.iter(q("w:hyperlink")):
            text = self.text(link).strip()
            rid = link.get(q("r:id"))
            target = self.doc_rels.get(rid or "", ("", link.get(q("w:anchor")) or "", ""))[1]
            p = next((a for a in link.iterancestors(WP)), None)
            where = (self.where(p) if p is not None else "link") + (f", link to {target}" if target else "")
            verdict = link_text_problem(text)
            if verdict == "empty" or verdict == "vague":
                self.add(error("docx-link-text", self.ctx.label, where,
                               f"The link text {'is empty' if verdict == 'empty' else repr(text)} does not say "
                               "where the link goes.",
                               "Write link text that makes sense on its own, e.g. [Read the full charter](...) in "
                               "sources/."))
            elif verdict == "url":
                self.add(warning("docx-link-text", self.ctx.label, where,
                                 "The link text is a bare web address, which screen readers read out letter by "
                                 "letter.",
                                 "Use words that say where the link goes, e.g. [Read the full charter](...) in "
                                 "sources/ (keep a short address only where the page will be printed)."))

    def check_controls(self) -> None:
        """A content control (w:sdt) that shows only blank characters: Word's checker flags repeated
        blanks, and a screen reader focused on it hears nothing about what to enter."""
        for sdt in self.body.iter(q("w:sdt")):
            content = sdt.find(q("w:sdtContent"))
            if content is None:
                continue
            shown = "".join("\t" if node.tag == q("w:tab") else (node.text or "")
                            for node in content.iter(WT, q("w:tab")))
            if not shown or shown.strip(BLANKS):
                continue
            pr = sdt.find(q("w:sdtPr"))
            name = ""
            for tag in ("w:alias", "w:tag"):
                found = pr.find(q(tag)) if pr is not None else None
                if found is not None and found.get(WVAL, "").strip():
                    name = found.get(WVAL, "").strip()
                    break
            placeholder = pr is not None and pr.find(q("w:showingPlcHdr")) is not None
            p = next(sdt.iterancestors(WP), None)
            where = (self.where(p) if p is not None else "content control") + (f", control '{name}'" if name else "")
            self.add(error("docx-blank-placeholder", self.ctx.label, where,
                           f"The content control's {'placeholder' if placeholder else 'text'} is only blank "
                           f"characters ({len(shown)} spaces, no-break spaces or tabs): Word's accessibility "
                           "checker reports repeated blanks, and a screen reader on the field hears nothing "
                           "about what to enter.",
                           "Give the control a placeholder in words that says what to enter (in Word: Developer > "
                           "Design Mode, then type the instruction in the control, e.g. 'Type your organisation's "
                           "name'); make the box bigger with paragraph spacing, borders or a table row's height, "
                           "never with spaces."))


def link_text_problem(text: str) -> str | None:
    """'empty', 'vague' (click here, read more), 'url' (a bare web address) or None when the text is fine."""
    bare = " ".join(text.split()).strip(" .,:;!?()[]\"'“”").lower()
    if not bare:
        return "empty"
    if bare in VAGUE_LINKS:
        return "vague"
    if BARE_URL.match(text):
        return "url"
    return None


def check_docx(ctx: FileContext) -> list[Finding]:
    """All DOCX rules for one file; a file that cannot be read becomes one docx-parse finding."""
    pkg = None
    try:
        pkg = SafeZip(str(ctx.path))
        return DocxChecker(ctx, pkg).run()
    except UnsafeFile as exc:
        return [parse_failure(ctx, str(exc))]
    except (etree.LxmlError, ValueError, KeyError, RecursionError, MemoryError) as exc:
        return [parse_failure(ctx, f"{type(exc).__name__}: {exc}")]
    finally:
        if pkg is not None:
            pkg.close()


def parse_failure(ctx: FileContext, reason: str) -> Finding:
    return error("docx-parse", ctx.label, "whole file",
                 f"The file cannot be read as a Word document: {reason}.",
                 "Rebuild it with 'make', or open and re-save it in Word; if it is not a Word file, rename it.")


__all__ = ["check_docx", "link_text_problem", "parse_xml"]
