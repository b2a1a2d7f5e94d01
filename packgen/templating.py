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
  docs      every document by id, e.g. docs.charter.commitments
  shared    the shared passages (sources' `shared:` file) by id
  variant   "standard" or "easy-read"
  section(s, level=2)   a section's heading and its text for this variant, headings shifted to `level`
                        (section_markdown, which the download page's passages use too)
  form(fields, legend)  a block of form fields for the writers to render natively
  picture_credits()     where the credit of the pictures the document draws goes (packgen/credits.py)
  longdate  filter: 2026-11-23 -> 23 November 2026 (month names from labels.yaml)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from packgen import cache as disk_cache
from packgen import credits
from packgen.errors import SourceError, TemplateError
from packgen.sources import yamlio
from packgen.sources.loader import Pack, SourceDocument
from packgen.sources.schema import load_checked
from packgen.sources.sections import Section

LABELS_FILE = "labels.yaml"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&\"'])")


class MarkdownText(str):
    """Text that is Markdown already (a section body): printed as it is, never escaped."""


def long_date(value: dt.date | str, months: Sequence[str]) -> str:
    """2026-11-23 -> 23 November 2026, with the month names from labels.yaml (never the system locale)."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.day} {months[value.month - 1]} {value.year}"


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


def section_markdown(section: Section, level: int | None = 2, variant: str = "standard") -> str:
    """A section as Markdown for a variant: its heading at `level`, then its text with the headings
    inside moved down to match (a `###` in the source is one level below the section's heading).

    `level=None` leaves the heading out and the text's headings as written. In "easy-read" the text
    is the section's easy-read points, and a section marked easy-read=omit is "" (the source says
    plainly that it is not in easy read); any other variant has the standard text. The result ends
    with a blank line, so sections can be printed one after another.
    """
    easy = variant == "easy-read"
    if easy and section.easy_read_omitted:
        return ""
    body = section.easy_read if easy and section.easy_read is not None else section.body
    parts = []
    if level is not None and section.heading:
        parts.append("#" * level + " " + md_escape(section.heading))
    parts.append(shift_headings(body.strip("\n"), (level or 2) - 2))
    return "\n\n".join(parts) + "\n\n"


class Renderer:
    """Renders each document's template with the pack as context. One per build, reused."""

    def __init__(self, pack: Pack, templates: Path):
        self.pack = pack
        self.templates = Path(templates)
        self.env = self._environment(markdown=True)
        self.text_env = self._environment(markdown=False)
        self.labels_path = self.templates / LABELS_FILE
        self._labels_raw, self._labels_lines = self._read_labels()
        self._compiled_labels: dict[str, jinja2.Template] | None = None
        months = self._labels_raw.get("months")
        if not isinstance(months, list) or len(months) != 12:
            raise TemplateError("labels.yaml needs 'months:', a list of the twelve month names",
                                self.labels_path, self._labels_lines.get(("months",)))
        self.months = tuple(str(m) for m in months)
        self.docs = {doc_id: self._doc_view(doc) for doc_id, doc in pack.documents.items()}
        self.shared = _Namespace({s.id: s for s in pack.shared}, "shared passage")

    # -- environment ----------------------------------------------------------------------

    def _environment(self, markdown: bool) -> ImmutableSandboxedEnvironment:
        env = ImmutableSandboxedEnvironment(
            loader=jinja2.FileSystemLoader(str(self.templates)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            finalize=md_escape if markdown else _plain,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=disk_cache.jinja_bytecode(f"documents-markdown={markdown}", Path(__file__)),
        )
        env.filters["longdate"] = self._longdate
        env.globals["section"] = self._section
        env.globals["form"] = _form_block
        env.globals["picture_credits"] = lambda: MarkdownText(credits.placeholder())
        return env

    def _read_labels(self) -> tuple[dict[str, Any], yamlio.Lines]:
        try:
            data, lines = load_checked(None, yamlio.read_text(self.labels_path), self.labels_path)
        except SourceError as exc:
            raise TemplateError(exc.message, exc.path, exc.line) from None
        if not isinstance(data, dict):
            raise TemplateError("labels.yaml must be a set of 'name: words' lines", self.labels_path, 1)
        return data, lines

    # -- context --------------------------------------------------------------------------

    def context(self, doc_id: str, variant: str) -> dict[str, Any]:
        return {
            "pack": self.pack.meta,
            "doc": self.docs[doc_id],
            "docs": _Namespace(self.docs, "document"),
            "shared": self.shared,
            "variant": variant,
        }

    def _doc_view(self, doc: SourceDocument) -> _DocView:
        return _DocView(doc)

    def _longdate(self, value: dt.date | str) -> str:
        return long_date(value, self.months)

    @jinja2.pass_context
    def _section(self, ctx: jinja2.runtime.Context, section: Section, level: int | None = 2) -> MarkdownText:
        if not isinstance(section, Section):
            raise TemplateError("section() takes a section, e.g. section(doc.sections.background)")
        return MarkdownText(section_markdown(section, level, str(ctx.get("variant"))))

    # -- rendering ------------------------------------------------------------------------

    def render(self, doc_id: str, variant: str) -> str:
        """The Markdown for one document and variant."""
        name = self.pack.documents[doc_id].template
        return self._render(self.env, name, self.context(doc_id, variant))

    def labels(self, doc_id: str, variant: str) -> dict[str, str]:
        """Every label in labels.yaml rendered as plain text for this document and variant."""
        ctx = self.context(doc_id, variant)
        out: dict[str, str] = {}
        for key, template in self._label_templates().items():
            try:
                out[key] = template.render(ctx).strip()
            except jinja2.TemplateError as exc:
                line = self._labels_lines.get((key,))
                raise TemplateError(f"in the label '{key}': {_describe(exc)}", self.labels_path, line) from None
        return out

    def _label_templates(self) -> dict[str, jinja2.Template]:
        """Each label compiled once per build, not once per document: compiling is the slow part."""
        if self._compiled_labels is None:
            compiled = {}
            for key, value in self._labels_raw.items():
                if key == "months":
                    continue
                line = self._labels_lines.get((key,))
                if not isinstance(value, str):
                    raise TemplateError(f"the label '{key}' must be text", self.labels_path, line)
                try:
                    compiled[key] = self.text_env.from_string(value)
                except jinja2.TemplateSyntaxError as exc:
                    raise TemplateError(f"in the label '{key}': {exc.message}", self.labels_path, line) from None
            self._compiled_labels = compiled
        return self._compiled_labels

    def _render(self, env: jinja2.Environment, name: str, ctx: dict[str, Any]) -> str:
        try:
            template = env.get_template(name)
            return template.render(ctx)
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"template '{exc.name}' not found in {self.templates}", self.templates) from None
        except jinja2.TemplateSyntaxError as exc:
            path = Path(exc.filename) if exc.filename else self.templates / name
            raise TemplateError(f"template syntax error: {exc.message}", path, exc.lineno) from None
        except (jinja2.TemplateError, TemplateError) as exc:  # SecurityError is a TemplateError
            if isinstance(exc, TemplateError) and exc.path is not None:
                raise
            path, line = _template_position(exc, self.templates, name)
            raise TemplateError(_describe(exc), path, line) from None


def _plain(value: object) -> str:
    return "" if value is None else str(value)


def _describe(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
    if isinstance(exc, jinja2.UndefinedError):
        found = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", message)
        name = next((g for g in found.groups() if g), message) if found else message
        return f"'{name}' is not defined (check the spelling, or add it to the sources)"
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return f"not allowed in a template: {message}"
    return message


def _template_position(exc: BaseException, templates: Path, name: str) -> tuple[Path, int | None]:
    """Find the innermost template frame in the traceback, for the file and line to report."""
    tb = exc.__traceback__
    found: tuple[Path, int | None] = (templates / name, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename.startswith(str(templates)):
            found = (Path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found


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

    def __init__(self, items: Mapping[str, Any], kind: str):
        self._items = dict(items)
        self._kind = kind

    def __getitem__(self, key: str) -> Any:
        try:
            return self._items[key]
        except KeyError:
            known = ", ".join(self._items) or "none"
            raise TemplateError(f"there is no {self._kind} '{key}' in the sources (known: {known})") from None

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):
            raise AttributeError(key)
        if key not in self._items and key.replace("_", "-") in self._items:
            key = key.replace("_", "-")  # docs.appendix_a for docs["appendix-a"]
        return self[key]

    def __iter__(self):
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items


class _DocView:
    """What a template sees of a source document."""

    def __init__(self, doc: SourceDocument):
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
        self.sections = _Namespace({s.id: s for s in doc.sections}, f"section in {doc.file.name}")
