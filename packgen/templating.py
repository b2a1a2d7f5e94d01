"""The sandboxed Jinja environment: sources -> Markdown, one per document and variant.

Templates decide what goes in each document and in what order; sources hold the words. Source text
is data: plain strings are escaped for Markdown as they are printed (so an organisation called
`<b>Acme</b> & *Co*` prints as written), while section bodies, which are Markdown already, pass
through as they are. Undefined names are errors (StrictUndefined) naming the template and line,
and the sandbox keeps templates from reading files or reaching Python internals.

Template context (documented for template authors in README.md):
  pack      title, organisation, short_name, subject, keywords, version, status, date, language, contact
  doc       this document: id, kind, label (an appendix's letter), title, subtitle, subject, status,
            keywords, commitments, fields, hard_words, sections (doc.sections.background, or
            `for s in doc.sections` in order)
  docs      every document by id, e.g. docs.charter.commitments; `for d in docs` in pack order
  appendices  the pack's appendices in pack order (each with its label, title, subtitle, subject)
  shared    the shared passages (sources' `shared:` file) by id
  variant   "standard", "easy-read" or "large-print" (packgen.sources.names.VARIANTS)
  offered   what the pack offers, a version per variant (this document's first): each with its variant,
            its name (the label index_<variant>_name, e.g. "Easy read version") and its formats'
            words (each format's descriptor's label, e.g. "Web page"), those its build makes for that
            variant in the pack's language: the default formats and those pack.yaml's `formats` lists
  download_page  the download page's address: pack.yaml's download_page, else the link to it from a
            document's web page (../index.html; a file read on its own has no such link)
  section(s, level=2)   a section's heading and its text for this variant, headings shifted to `level`
                        (section_markdown, which the download page's passages use too)
  form(fields, legend)  a block of form fields for the writers to render natively
  picture_credits()     where the credit of the pictures the document draws goes (packgen/credits.py)
  label(key)            a label (the words around the content) as Markdown, e.g. label("template_hard_words")
  bold_words()          the words in **bold** in the easy-read text section() has printed so far in
                        this document, each as the pack's glossary writes it where it has it ("reasonable
                        adjustment" -> "reasonable adjustments"; the hard-words partial explains them)
  longdate  filter: 2026-11-23 -> 23 November 2026, as the labels' long_date writes it with their month
            names (packgen/labels.py)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from packgen import cache as disk_cache
from packgen import credits, label_filters, template_folders, template_sandbox, template_syntax, writers
from packgen import labels as packgen_labels
from packgen.errors import TemplateError
from packgen.sources import hard_words, yamlio
from packgen.sources.loader import Pack, SourceDocument
from packgen.sources.names import VARIANTS
from packgen.sources.origins import Origins
from packgen.sources.schema import HardWord
from packgen.sources.sections import Section
from packgen.template_sandbox import Sandbox, bounded_render
from packgen.template_time import StillRunning, time_bound

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&\"'])")
# Labels the document templates print with label(): Markdown, so they are not the writers' (which
# get every other label as plain text in Document.labels).
TEMPLATE_LABELS = "template_"
# The download page's labels: the page renders them itself (packgen/writers/html/download.py), with
# values only it has (a file's pages, an entry's title), so they are not among the writers' labels.
INDEX_LABELS = "index_"
# How the labels write a date in full: a template of its own values (day, month, year), so it is not
# among the labels rendered with a document's context.
LONG_DATE = "long_date"
# From a document's web page (build/<variant>/<id>.html) the download page is one folder up.
DOWNLOAD_PAGE_HERE = "../index.html"


@dataclasses.dataclass(frozen=True)
class Offer:
    """One version of the pack's documents, as a document's "other formats" section names it."""

    variant: str
    name: str
    formats: tuple[str, ...]


class _Loader(template_folders.Loader):
    """Templates read as every source file is (template_folders.Loader), and a line or paragraph
    separator in one reads as a space (yamlio.SEPARATORS_AS_SPACES)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        text, filename, uptodate = super().get_source(environment, template)
        return text.translate(yamlio.SEPARATORS_AS_SPACES), filename, uptodate


class MarkdownText(str):
    """Text that is Markdown already (a section body): printed as it is, never escaped."""


def long_date(value: dt.date | str, months: Sequence[str], written: jinja2.Template | packgen_labels.Words) -> str:
    """2026-11-23 -> 23 November 2026: the labels' long_date (`written`, rendered with the day, the month's
    name from `months` and the year) says how, never the system locale."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return written.render(day=value.day, month=months[value.month - 1], year=value.year).strip()


def md_escape(value: object) -> str:
    """Escape a plain value for Markdown so it prints as written, on one line."""
    if isinstance(value, MarkdownText):
        return value
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def shift_headings(markdown: str, by: int) -> str:
    """Move every ATX heading in `markdown` down by `by` levels (outside code fences)."""
    if by == 0:
        return markdown
    out: list[str] = []
    fence = None
    for line in markdown.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fence = None if fence else stripped[:3]
        m = re.match(r"^(#{1,6})(\s)", line) if not fence else None
        if m:
            level = max(1, min(6, len(m.group(1)) + by))
            line = "#" * level + line[len(m.group(1)):]
        out.append(line)
    return "\n".join(out)


def section_markdown(section: Section, level: int | None = 2, variant: str = "standard",
                     named: bool = False) -> str:
    """A section as Markdown for a variant: its heading at `level`, then its text with the headings
    inside moved down to match (a `###` in the source is one level below the section's heading).

    `level=None` leaves the heading out and the text's headings as written. In "easy-read" the text
    is the section's easy-read points, and a section marked easy-read=omit is "" (the source says
    plainly that it is not in easy read); any other variant (standard, large print) has the standard
    text. The result ends with a blank line, so sections can be printed one after another. `named` puts
    the section's id on the line above its heading (`{#id}`), so the model knows which section the
    heading opens.
    """
    easy = variant == "easy-read"
    if easy and section.easy_read_omitted:
        return ""
    body = section.easy_read if easy and section.easy_read is not None else section.body
    parts = []
    if level is not None and section.heading:
        parts.append(("{#" + section.id + "}\n" if named else "") + "#" * level + " " + md_escape(section.heading))
    parts.append(shift_headings(body.strip("\n"), (level or 2) - 2))
    return "\n\n".join(parts) + "\n\n"


class Renderer:
    """Renders each document's template with the pack as context. One per build, reused.

    `templates` is the pack's own templates folder (it need not exist): a template there wins over
    packgen's own of the same name (packgen.template_folders). The renderer remembers which source
    sections the templates read, so the build can say which sections no template uses.
    """

    def __init__(self, pack: Pack, templates: Path):
        self.pack = pack
        self.templates = Path(templates)
        self.search_path = template_folders.search_path(self.templates)
        self.used: set[tuple[Path, str]] = set()  # (source file, section id) read by a template
        self._printed: list[Section] = []  # the sections section() printed in the current render
        self.env = self._environment(markdown=True)
        self.text_env = self._environment(markdown=False)
        labels = packgen_labels.load(pack.meta.language, pack.root, pack.origins.line(pack.pack_file, ("language",)))
        self.labels_path = labels.path
        self.label_source = labels  # the file as written, for the download page's own labels
        self.label_warnings = labels.warnings + packgen_labels.old_place(self.templates, labels)
        self._labels_raw, self._labels_lines = labels.words, labels.lines
        self._compiled_labels: dict[str, jinja2.Template | packgen_labels.Words] | None = None
        self._markdown_labels: dict[str, jinja2.Template | packgen_labels.Words] = {}
        self._offers: dict[tuple[str, str], tuple[Offer, ...]] = {}  # by (document, variant): labels read it often
        months = self._labels_raw.get("months")
        if not isinstance(months, list) or len(months) != 12:
            raise TemplateError("the labels need 'months:', a list of the twelve month names",
                                self.labels_path, self._labels_lines.get(("months",)))
        self.months = tuple(str(m) for m in months)
        self._long_date = self._compiled_long_date()
        self.docs = {doc_id: self._doc_view(doc) for doc_id, doc in pack.documents.items()}
        self.appendices = tuple(self.docs[doc.id] for doc in pack.of_kind("appendix"))
        self.shared = _Namespace({s.id: s for s in pack.shared}, "shared passage")

    # -- environment ----------------------------------------------------------------------

    def _environment(self, markdown: bool) -> ImmutableSandboxedEnvironment:
        env = Sandbox(
            loader=_Loader([str(folder) for folder in self.search_path]),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            finalize=md_escape if markdown else _plain,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=disk_cache.jinja_bytecode(f"documents-markdown={markdown}", Path(__file__),
                                                      Path(template_sandbox.__file__)),
        )
        env.filters.update(label_filters.FILTERS, longdate=self.long_date)
        env.globals["section"] = self._section
        env.globals["form"] = _form_block
        env.globals["picture_credits"] = lambda: MarkdownText(credits.placeholder())
        env.globals["bold_words"] = self._bold_words
        env.globals["label"] = self._label
        return env

    # -- context --------------------------------------------------------------------------

    def context(self, doc_id: str, variant: str) -> dict[str, Any]:
        ctx = {
            "pack": self.pack.meta,
            "doc": self.docs[doc_id],
            "docs": _Namespace(self.docs, "document"),
            "appendices": self.appendices,
            "shared": self.shared,
            "variant": variant,
            "download_page": self.pack.meta.download_page or DOWNLOAD_PAGE_HERE,
        }
        if (doc_id, variant) not in self._offers:
            self._offers[doc_id, variant] = self._offered(variant, ctx)
        return {**ctx, "offered": self._offers[doc_id, variant]}

    def _offered(self, variant: str, ctx: dict[str, Any]) -> tuple[Offer, ...]:
        """Each variant the pack is built in (this one first), with the words for the formats it gets."""
        language = self.pack.meta.language
        names = self.format_words(ctx)
        formats = [writers.get(name) for name in writers.offered(self.pack.meta.formats)]
        templates = self._label_templates()
        out = []
        for each in sorted(VARIANTS, key=lambda v: v != variant):
            words = tuple(names[f.name] for f in formats if f.offers(each, language))
            if words:  # each variant's name is in every labels file (packgen.labels.load)
                name = packgen_labels.variant_name_label(each)
                out.append(Offer(each, self._plain_label(name, templates[name], ctx), words))
        return tuple(out)

    def format_words(self, ctx: dict[str, Any], also: Mapping[str, str] | None = None) -> dict[str, str]:
        """The words for each registered format ("Web page", "PDF"...), and for the files `also` names
        (name -> label): a format whose label no labels file has (not even packgen's), or whose words
        are empty, is an error naming it."""
        templates = self._label_templates()
        keys = {fmt.name: fmt.label for fmt in writers.formats().values()} | dict(also or {})
        words = {name: self._plain_label(key, templates[key], ctx) if key in templates else ""
                 for name, key in keys.items()}
        missing = [key for name, key in keys.items() if not words[name]]
        if missing:
            raise TemplateError(f"no words for {', '.join(missing)}: add what the download page calls these files",
                                self.labels_path)
        return words

    def _doc_view(self, doc: SourceDocument) -> _DocView:
        return _DocView(doc, lambda section: self.used.add((section.file, section.id)))

    def long_date(self, value: dt.date | str) -> str:
        """A date as the labels write it in full (the `longdate` filter): 2026-11-23 -> 23 November 2026. The
        labels' long_date was tried on a date as the build began, so a mistake here is the value's, and the
        label printing it is the one an error names."""
        return long_date(value, self.months, self._long_date)

    def _compiled_long_date(self) -> jinja2.Template | packgen_labels.Words:
        """The labels' long_date, compiled as plain text (the label printing a date escapes it, once) and
        tried on dates, so a mistake in it stops the build at its line whether or not a label prints a date."""
        value, line = self._labels_raw.get(LONG_DATE), self._labels_lines.get((LONG_DATE,))
        if not isinstance(value, str):
            raise TemplateError(f"the label '{LONG_DATE}' must be text", self.labels_path, line)
        try:
            written = packgen_labels.compiled(self.text_env, value)
            # the first of a month too, which French writes its own way (1er juin)
            tried = [long_date(day, self.months, written) for day in (dt.date(2026, 6, 1), dt.date(2026, 11, 23))]
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"in the label '{LONG_DATE}': {_describe(exc, self.text_env)}", self.labels_path,
                                line) from None
        except (jinja2.TemplateError, *template_folders.EXPRESSION_ERRORS) as exc:
            raise TemplateError(f"in the label '{LONG_DATE}': {_describe(exc, self.text_env)}", self.labels_path,
                                line) from None
        if not all(tried):
            raise TemplateError(f"the label '{LONG_DATE}' has no words: write how a date is written, as "
                                "\"{{ day }} {{ month }} {{ year }}\"", self.labels_path, line)
        return written

    @jinja2.pass_context
    def _section(self, ctx: jinja2.runtime.Context, section: Section, level: int | None = 2) -> MarkdownText:
        if not isinstance(section, Section):
            raise TemplateError("section() takes a section, e.g. section(doc.sections.background)")
        self.used.add((section.file, section.id))
        self._printed.append(section)
        return MarkdownText(section_markdown(section, level, str(ctx.get("variant")), named=True))

    @jinja2.pass_context
    def _label(self, ctx: jinja2.runtime.Context, key: str) -> MarkdownText:
        """A label printed by a template: Markdown, its values escaped as a template's own are."""
        line = self._labels_lines.get((key,))
        if key not in self._markdown_labels:
            value = self._labels_raw.get(key)
            if value is None:  # the template asks for it, so the template's line is the one to show
                raise TemplateError(f"there is no label '{key}' in the labels file ({_shown(self.labels_path)})")
            if not isinstance(value, str):
                raise TemplateError(f"the label '{key}' must be text", self.labels_path, line)
            try:
                self._markdown_labels[key] = packgen_labels.compiled(self.env, value)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(f"in the label '{key}': {_describe(exc, self.env)}", self.labels_path,
                                    line) from None
        try:
            return MarkdownText(self._markdown_labels[key].render(ctx.get_all()).strip())
        except (jinja2.TemplateError, *template_folders.EXPRESSION_ERRORS) as exc:
            raise TemplateError(f"in the label '{key}': {_describe(exc, self.env)}", self.labels_path, line) from None

    @jinja2.pass_context
    def _bold_words(self, ctx: jinja2.runtime.Context) -> list[str]:
        if ctx.get("variant") != "easy-read":
            return []
        words = (w for s in self._printed if not s.easy_read_omitted for w in hard_words.bold_words(s.easy_read or ""))
        glossary, language = self.glossary, self.pack.meta.language
        return list(dict.fromkeys(hard.word if (hard := hard_words.explaining(w, glossary, language)) else w
                                  for w in words))

    @property
    def glossary(self) -> tuple[HardWord, ...]:
        """Every document's hard words, in pack order: the words easy read may put in bold."""
        return tuple(hard for doc in self.pack.documents.values() for hard in doc.front.hard_words)

    def unexplained_bold_words(self, doc_ids: Iterable[str]) -> list[str]:
        """One line per bold word in these documents' easy-read text (and the shared passages') that
        no hard word explains, though the easy-read cover promises each is explained at the end."""
        sections = [s for doc_id in doc_ids for s in self.pack.documents[doc_id].sections] + list(self.pack.shared)
        found = hard_words.unexplained(sections, self.glossary, self.pack.meta.language)
        return [f"{_shown(file)}:{line}: the easy-read word '{word}' is in bold, but no hard word explains it: add "
                "it to a document's hard_words (word: and meaning:), or write it without **"
                for file, line, word in found]

    # -- rendering ------------------------------------------------------------------------

    def render(self, doc_id: str, variant: str) -> str:
        """The Markdown for one document and variant."""
        self._printed = []
        return self._render(self.env, self.template_name(doc_id), self.context(doc_id, variant))

    def template_name(self, doc_id: str) -> str:
        """The document's template: pack.yaml's `template:`, else the pack's own documents/<id>.md.j2,
        else the kind's default, kinds/<kind>.md.j2 (the pack's own, else packgen's)."""
        doc = self.pack.documents[doc_id]
        if doc.template:
            name = Path(doc.template)
            if name.is_absolute() or ".." in name.parts or not self._exists(doc.template):
                at = ("documents", list(self.pack.documents).index(doc_id), "template")
                raise TemplateError(f"the document '{doc_id}' names the template '{doc.template}', which is not in "
                                    f"{self._folders()}: give a template's name within the templates folder, as "
                                    "documents/<name>.md.j2", self.pack.pack_file,
                                    self.pack.origins.line(self.pack.pack_file, at))
            return doc.template
        own = f"documents/{doc_id}.md.j2"
        return own if self._exists(own) else f"kinds/{doc.kind}.md.j2"

    def template_path(self, doc_id: str) -> Path:
        """The file the document's template is read from (for errors about what it makes)."""
        name = self.template_name(doc_id)
        return template_folders.find(self.search_path, name) or self.templates / name

    def template_line(self, doc_id: str, words: str) -> tuple[Path, int] | None:
        """The file and line where the document's template, or a template it includes, writes
        `words` itself (for a mistake in the Markdown that is the template's own)."""
        from jinja2 import meta

        names, seen = [self.template_name(doc_id)], set()
        while names:
            name = names.pop(0)
            if name in seen:
                continue
            seen.add(name)
            try:
                source, filename, _ = self.env.loader.get_source(self.env, name)
                names.extend(n for n in meta.find_referenced_templates(self.env.parse(source)) if n)
            except jinja2.TemplateError:
                continue
            for n, line in enumerate(source.split("\n"), 1):
                if words in line:
                    return Path(filename), n
        return None

    @property
    def label_origins(self) -> Origins:
        """Where each label's words are in the labels file (labels are Markdown when a template prints them)."""
        return Origins.of(self._labels_raw, self._labels_lines, self.labels_path, markdown=True)

    def _folders(self) -> str:
        """The folders templates are looked for in, as an error names them."""
        return " or ".join(str(folder) for folder in self.search_path)

    def _exists(self, name: str) -> bool:
        return template_folders.find(self.search_path, name) is not None

    def unused_sections(self, doc_ids: Iterable[str]) -> list[str]:
        """One line per section of these documents that no template rendered so far has read."""
        return [f"{_shown(s.file)}:{s.line}: section '{s.id}' is used by no template"
                for doc_id in doc_ids for s in self.pack.documents[doc_id].sections
                if (s.file, s.id) not in self.used]

    def labels(self, doc_id: str, variant: str) -> dict[str, str]:
        """Every label of the pack's labels file rendered as plain text for this document and variant,
        bar the download page's (index_...): keeping them out means editing one rebuilds no document."""
        ctx = self.context(doc_id, variant)
        return {key: self._plain_label(key, template, ctx) for key, template in self._label_templates().items()
                if not key.startswith(INDEX_LABELS)}

    def label_text(self, key: str, doc_id: str, variant: str) -> str:
        """One label as plain text for this document and variant ("" when the labels file has no such
        label: a registered format's name may be missing, which its caller reports)."""
        template = self._label_templates().get(key)
        return "" if template is None else self._plain_label(key, template, self.context(doc_id, variant))

    def _plain_label(self, key: str, template: jinja2.Template | packgen_labels.Words, ctx: dict[str, Any]) -> str:
        try:
            return template.render(ctx).strip()
        except (jinja2.TemplateError, *template_folders.EXPRESSION_ERRORS) as exc:
            line = self._labels_lines.get((key,))
            raise TemplateError(f"in the label '{key}': {_describe(exc, self.text_env)}", self.labels_path,
                                line) from None

    def _label_templates(self) -> dict[str, jinja2.Template | packgen_labels.Words]:
        """Each label compiled once per build, not once per document: compiling is the slow part."""
        if self._compiled_labels is None:
            compiled = {}
            for key, value in self._labels_raw.items():
                if key in ("months", LONG_DATE) or key.startswith(TEMPLATE_LABELS):
                    continue
                line = self._labels_lines.get((key,))
                if not isinstance(value, str):
                    raise TemplateError(f"the label '{key}' must be text", self.labels_path, line)
                try:
                    compiled[key] = packgen_labels.compiled(self.text_env, value)
                except jinja2.TemplateSyntaxError as exc:
                    raise TemplateError(f"in the label '{key}': {_describe(exc, self.text_env)}", self.labels_path,
                                        line) from None
            self._compiled_labels = compiled
        return self._compiled_labels

    def _render(self, env: jinja2.Environment, name: str, ctx: dict[str, Any]) -> str:
        try:
            template = env.get_template(name)
            with time_bound():
                return bounded_render(template, ctx)
        except jinja2.TemplateNotFound as exc:
            path, line = template_folders.innermost(exc, self.search_path, name)  # the include, when one asked
            raise TemplateError(f"template '{exc.name}' not found in {self._folders()}",
                                path if line else self.templates, line) from None
        except jinja2.TemplateSyntaxError as exc:
            path = Path(exc.filename) if exc.filename else self.templates / name
            message, line = template_syntax.placed(exc, env)
            raise TemplateError(f"template syntax error: {message}", path, line) from None
        except SyntaxError as exc:  # Python's, compiling what Jinja made of a template nested beyond its bounds
            path = Path(exc.filename) if exc.filename and exc.filename.endswith(".j2") else self.templates / name
            raise TemplateError("the template nests blocks (for, if, macro) too deeply to be read: nest fewer",
                                path) from None
        # SecurityError is a jinja2.TemplateError
        except (jinja2.TemplateError, TemplateError, MemoryError, *template_folders.EXPRESSION_ERRORS) as exc:
            if isinstance(exc, TemplateError) and exc.path is not None:
                raise
            path, line = template_folders.innermost(exc, self.search_path, name)
            raise TemplateError(_describe(exc, env), path, line) from None




def _plain(value: object) -> str:
    return "" if value is None else str(value)


def _describe(exc: BaseException, env: jinja2.Environment) -> str:
    """An error met reading or rendering a template (in `env`) in an editor's words."""
    message = getattr(exc, "message", None) or str(exc)
    if (unknown := template_syntax.unknown_name(message, env)) is not None:
        return unknown
    if isinstance(exc, jinja2.UndefinedError):
        found = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", message)
        if not found:
            return f"{message} (check the spelling, or add it to the sources)"
        name = next(g for g in found.groups() if g)
        return f"'{name}' is not defined (check the spelling, or add it to the sources)"
    if isinstance(exc, StillRunning):
        return f"the template {message}"
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"not allowed in a template: {message}"
    if isinstance(exc, MemoryError):
        return "the template makes something too big to hold in memory"
    if isinstance(exc, RecursionError):
        return "a macro or include calls itself without end, or the template nests too deeply"
    if isinstance(exc, template_folders.EXPRESSION_ERRORS):
        return f"this expression cannot be worked out: {message}"
    return message


def _shown(path: Path) -> str:
    """A source file as a comms officer would type it: relative to here when it is below here."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _form_block(fields: Iterable[Any], legend: str = "") -> MarkdownText:
    """A ```form block: the fields as JSON, which the Markdown parser turns into a FormBlock."""
    items = []
    for f in fields:
        data = f if isinstance(f, Mapping) else dataclasses.asdict(f)
        data = {k: v for k, v in data.items() if k in ("id", "label", "type", "help", "required", "value",
                                                       "date_format")}
        items.append(data)
    body = json.dumps({"legend": legend, "fields": items}, ensure_ascii=False, sort_keys=True)
    return MarkdownText(f"\n```form\n{body}\n```\n")


class _Namespace:
    """Named things for templates: `ns.name`, `ns["name"]`, and `for item in ns` in source order.

    Deliberately not a Mapping: a section called "values" or "items" must not be shadowed by a
    method of the same name. A missing name is an error saying which names exist.
    """

    def __init__(self, items: Mapping[str, Any], kind: str, read: Callable[[Any], None] | None = None):
        self._items = dict(items)
        self._kind = kind
        self._read = read  # told of every item a template reads (which sections are used)

    def __getitem__(self, key: str) -> Any:
        try:
            item = self._items[key]
        except KeyError:
            known = ", ".join(self._items) or "none"
            raise TemplateError(f"there is no {self._kind} '{key}' in the sources (known: {known})") from None
        if self._read is not None:
            self._read(item)
        return item

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):
            raise AttributeError(key)
        if key not in self._items and key.replace("_", "-") in self._items:
            key = key.replace("_", "-")  # docs.appendix_a for docs["appendix-a"]
        return self[key]

    def __iter__(self):
        if self._read is not None:
            for item in self._items.values():
                self._read(item)
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items


class _DocView:
    """What a template sees of a source document."""

    def __init__(self, doc: SourceDocument, read: Callable[[Section], None] | None = None):
        front = doc.front
        self.id = doc.id
        self.kind = doc.kind
        self.label = doc.label
        self.title = front.title
        self.subtitle = front.subtitle
        self.subject = front.subject
        self.status = front.status
        self.keywords = front.keywords
        self.commitments = front.commitments
        self.fields = front.fields
        self.hard_words = front.hard_words
        self.sections = _Namespace({s.id: s for s in doc.sections}, f"section in {doc.file.name}", read)
