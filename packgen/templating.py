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
  longdate  filter: 2026-11-23 -> 23 November 2026 (month names from the labels, packgen/labels.py)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import inspect
import itertools
import json
import re
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import EvalContext
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment, SandboxedFormatter

from packgen import cache as disk_cache
from packgen import credits, template_folders, template_syntax, writers
from packgen import labels as packgen_labels
from packgen.errors import SourceError, TemplateError
from packgen.sources import hard_words, yamlio
from packgen.sources.loader import Pack, SourceDocument
from packgen.sources.names import VARIANTS
from packgen.sources.origins import Origins
from packgen.sources.schema import HardWord
from packgen.sources.sections import Section
from packgen.template_time import StillRunning, time_bound

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&\"'])")
# Labels the document templates print with label(): Markdown, so they are not the writers' (which
# get every other label as plain text in Document.labels).
TEMPLATE_LABELS = "template_"
# The download page's labels: the page renders them itself (packgen/writers/html/download.py), with
# values only it has (a file's pages, an entry's title), so they are not among the writers' labels.
INDEX_LABELS = "index_"
# From a document's web page (build/<variant>/<id>.html) the download page is one folder up.
DOWNLOAD_PAGE_HERE = "../index.html"


@dataclasses.dataclass(frozen=True)
class Offer:
    """One version of the pack's documents, as a document's "other formats" section names it."""

    variant: str
    name: str
    formats: tuple[str, ...]


# The most characters (or items) a template may make in one value, and print in all: a charter's
# rendered Markdown is tens of KB, so this is a hundred times what a pack prints and still small beside
# a machine's memory.
MAX_TEMPLATE_TEXT = 4_000_000


class _Generator(CodeGenerator):
    """Jinja's code generator with `~` sent to the sandbox's `joined`, as it sends intercepted operators
    to `call_binop`. Only the parts are written here, through the generator's own `visit`: how they are
    joined (as Markup when autoescaping) is chosen by `joined` from the template's context as it runs."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.joined(context.eval_ctx, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox with a bound on what `*`, `**`, `%`, `+` and `~` may make: Jinja bounds range() but
    not these, and `"x" * 10**9`, `10 ** 10**8` or a string doubled with `~` sixty times would take a
    build's memory or time for ever. `~` is Jinja's concatenation, not an operator it intercepts, so the
    code generator sends it to `joined` here. The calls that size what they make (`"x".center(n)`,
    `"x"|indent(n)`, `"{:>n}".format(x)`, _MAKES) are held to the same bound before they run: each is
    one step, so what it makes would take the memory before any later bound is checked. So is every value
    turned into text (printed, joined with `~`, given to a filter that makes text of it, _TEXT_FILTERS,
    or to `%` or a format): its text is measured first, by _text_size, since a list built from small
    steps can be far longer as text than anything the other bounds see."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _Generator

    def __init__(self, **options: Any) -> None:
        options["finalize"] = _measured_print(options.get("finalize"))
        super().__init__(**options)
        for name in self.filters:
            if f"|{name}" in _MAKES or name in _TEXT_FILTERS:
                self.filters[name] = self._bounded_filter(f"|{name}", self.filters[name])

    @staticmethod
    def concat(pieces: Iterable[str]) -> str:
        """What a block prints, joined: a `{% set %}` block, a macro, a call or filter block (Jinja joins each
        with its environment's concat). Printing is measured piece by piece, and what the template prints
        in all by _bounded_render, but a block's text is neither: a set block printing itself twice, thirty
        times over, would make a thousand million characters in one join."""
        pieces = pieces if isinstance(pieces, list) else list(pieces)  # a block's buffer is a list already
        if sum(map(len, pieces)) > MAX_TEMPLATE_TEXT:
            raise jinja2.exceptions.SecurityError(f"this block would make something too big ({_TEXT_BOUND})")
        return "".join(pieces)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if bound := _too_big(operator, left, right):
            raise jinja2.exceptions.SecurityError(f"'{operator}' would make something too big ({bound})")
        return super().call_binop(context, operator, left, right)

    def joined(self, eval_ctx: EvalContext, parts: tuple[Any, ...]) -> str:
        """`a ~ b`, joined as Jinja joins it (escaping plain text beside Markup when autoescaping) once its
        size is known to be within the bound."""
        if _texts_size(parts) > MAX_TEMPLATE_TEXT:
            raise jinja2.exceptions.SecurityError(f"'~' would make something too big ({_TEXT_BOUND})")
        return markup_join(parts) if eval_ctx.autoescape else str_join(parts)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        # Jinja hands templates str.format wrapped in its sandboxed formatter, the method itself inside
        method = getattr(__obj, "__wrapped__", __obj) if inspect.isfunction(__obj) else __obj
        # a str's methods are built in; Markup's (`("{:>9}"|safe).format(x)`) are Python's, wrapping them
        methods = (types.BuiltinMethodType, types.MethodType)
        if isinstance(method, methods) and isinstance(method.__self__, (str, bytes)):
            called = "." + method.__name__
            if called in _MAKES:
                args = _read(args)
                __self._within_bound(called, method.__self__, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def _bounded_filter(self, called: str, jinja_filter: Callable[..., Any]) -> Callable[..., Any]:
        """Jinja's filter, held to the bound: marked as it is, so Jinja passes it the same (a filter
        marked to take the context or environment is passed it first)."""
        passed = 1 if hasattr(jinja_filter, "jinja_pass_arg") else 0
        makes_text = called[1:] in _TEXT_FILTERS

        def bounded(*args: Any, **kwargs: Any) -> Any:
            value = args[passed]
            if makes_text and not isinstance(value, str) and _text_size(value) > MAX_TEMPLATE_TEXT:
                raise jinja2.exceptions.SecurityError(f"'{called}' would make something too big ({_TEXT_BOUND})")
            if called in _MAKES:
                args = _read(args)
                self._within_bound(called, args[passed], args[passed + 1:], kwargs)
            return jinja_filter(*args, **kwargs)

        return functools.update_wrapper(bounded, jinja_filter)

    def _within_bound(self, called: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        try:
            made = _MAKES[called](self, value, *args, **kwargs)
        except (TypeError, ValueError, LookupError, AttributeError):
            return  # given what it cannot take: the call itself says so, in its own words
        if made > MAX_TEMPLATE_TEXT:
            raise jinja2.exceptions.SecurityError(f"'{called}' would make something too big ({_TEXT_BOUND})")


_TEXT_BOUND = f"more than {MAX_TEMPLATE_TEXT:,} characters or items"
_NUMBER_BOUND = f"a number of more than about {MAX_RANGE:,} digits"
_PAST_THE_BOUND = MAX_TEMPLATE_TEXT + 1
# How much longer repr() (%r, %a, !r) can make a string than it is: a character as '\U0001f600'.
_REPR_GROWTH = 10


def _too_big(operator: str, left: Any, right: Any) -> str:
    """The bound `left operator right` would pass, in words ("" when it passes none)."""
    if operator == "%":
        return _TEXT_BOUND if isinstance(left, str) and _percent_made(left, right) > MAX_TEMPLATE_TEXT else ""
    sized = [side for side in (left, right) if isinstance(side, (str, list, tuple))]
    if operator == "+":
        return _TEXT_BOUND if len(sized) == 2 and len(left) + len(right) > MAX_TEMPLATE_TEXT else ""
    if not all(isinstance(side, int) for side in (left, right)):
        counts = [side for side in (left, right) if isinstance(side, int)]
        too_big = operator == "*" and sized and counts and len(sized[0]) * counts[0] > MAX_TEMPLATE_TEXT
        return _TEXT_BOUND if too_big else ""
    if operator == "*":
        return _NUMBER_BOUND if left.bit_length() + right.bit_length() > MAX_RANGE * 4 else ""
    # **: about right * log2(left) bits
    return _NUMBER_BOUND if abs(left) > 1 and right > 0 and right * abs(left).bit_length() > MAX_RANGE * 4 else ""


def _read(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """The arguments with each iterator read into a list, so it can be measured and still be passed on."""
    return tuple(list(arg) if isinstance(arg, Iterator) else arg for arg in args)


def _as_text(value: Any, limit: int = MAX_TEMPLATE_TEXT) -> int:
    """How long `value` is as text (bytes as they are), counted no further than just past `limit`."""
    return len(value) if isinstance(value, bytes) else _text_size(value, limit)


def _measured_print(finalize: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
    """The environment's `finalize` (which sees every value a template prints, before Jinja turns it into
    text), refusing first a value whose text would be past the bound."""

    def printed(value: Any) -> Any:
        if not isinstance(value, str) and _text_size(value) > MAX_TEMPLATE_TEXT:
            raise jinja2.exceptions.SecurityError(f"printing this would make something too big ({_TEXT_BOUND})")
        return value if finalize is None else finalize(value)

    return printed


def _texts_size(values: Iterable[Any], limit: int = MAX_TEMPLATE_TEXT) -> int:
    """How long the values are as text together, counted no further than just past `limit`."""
    size = 0
    for value in values:
        size += _as_text(value, limit - size)
        if size > limit:
            break
    return size


def _text_size(value: Any, limit: int = MAX_TEMPLATE_TEXT) -> int:
    """How long `str(value)` is, counting stopped once past `limit`: at most about `limit` steps however the
    value was made. A template can make a list whose text is huge from a few small ones (a list of itself
    doubled forty times is 2**40 items as text, each a reference to the same two), and Python makes that
    text in C, where neither the time bound nor any other bound is seen: so it is measured here, walking
    what Python's repr would write (brackets, separators, each item's repr, strings quoted and escaped),
    and only a value within the bound is ever turned into text. Each item counted adds at least a
    character (its separator, its brackets), so the walk ends within `limit` items."""
    if isinstance(value, str):
        return len(value)
    size, top = 0, True
    pending: list[Iterator[Any]] = [iter((value,))]
    while pending:
        item = next(pending[-1], _WALKED)
        if item is _WALKED:
            pending.pop()
            continue
        own, inside = _shape(item, top, limit - size)
        size, top = size + own, False
        if size > limit:
            return size
        if inside is not None:
            pending.append(inside)
    return size


_WALKED = object()
_DICT_VIEWS = (type({}.keys()), type({}.values()), type({}.items()))
# A string's repr is itself quoted, with each backslash and quote escaped when it is all printable.
_QUOTES = 2


def _shape(value: Any, top: bool, room: int) -> tuple[int, Iterator[Any] | None]:
    """What `value` adds to its text by itself, and the items inside whose text is written in it (None for
    none): str(value) when `top`, else repr(value), as a container writes its items. `room` is what is
    left of the bound: text longer is not looked into, only counted."""
    kind = type(value)
    if isinstance(value, str):
        if top:
            return len(value), None
        wrapped = 0 if kind.__repr__ is str.__repr__ else len(kind.__name__) + 2  # Markup('...')
        if len(value) > room:  # past the bound however it is escaped: not read
            return len(value) + _QUOTES + wrapped, None
        if value.isprintable():
            return len(value) + _QUOTES + value.count("\\") + value.count("'") + wrapped, None
        # an escape is at most 10 characters ('\U000e0001'): within the bound, repr itself is safe to make
        return (len(repr(value)) if len(value) * 10 <= room else len(value) * 10) + wrapped, None
    if value is None or isinstance(value, (bool, float, complex)):
        return len(repr(value)), None
    if isinstance(value, int):  # about 0.302 digits a bit; str() of a very long one is slow
        return (len(repr(value)) if value.bit_length() < 1000 else value.bit_length() * 30103 // 100000 + 2), None
    if isinstance(value, jinja2.utils.Namespace):  # <Namespace {...}>
        attrs = object.__getattribute__(value, "_Namespace__attrs")
        return len("<Namespace >") + _items_shape(attrs, 2), itertools.chain.from_iterable(attrs.items())
    if isinstance(value, (list, tuple, set, frozenset, dict, *_DICT_VIEWS)):
        named = 0 if kind in (list, tuple, dict, set) else len(kind.__name__) + 2  # frozenset({...}), dict_keys([...])
        named += sum(len(field) + 1 for field in getattr(value, "_fields", ()))  # a named tuple: name=...
        if isinstance(value, dict):
            return named + _items_shape(value, 2), itertools.chain.from_iterable(value.items())
        one = 1 if isinstance(value, tuple) and len(value) == 1 else 0  # (x,)
        empty_set = 3 if isinstance(value, (set, frozenset)) and not value else 0  # set()
        return named + _items_shape(value, 0) + one + empty_set, iter(value)
    # Anything else a template can reach is fixed by the sources or by Jinja, not built by the template:
    # the pack, its documents and sections (as long as the sources are), a date, and Jinja's own objects
    # (a macro, a loop, a cycler, a generator), whose text names them without the items they hold.
    return len(str(value) if top else repr(value)), None


def _items_shape(items: Any, each: int) -> int:
    """A container's own text: its brackets and the separators between its items (", ", and ": " after
    each key of a mapping, `each`)."""
    return 2 + 2 * max(0, len(items) - 1) + each * len(items)


def _number(digits: str) -> int:
    """A width or precision as written ("" for none); one past any bound is too long to read as a number."""
    return int(digits or 0) if len(digits) < 10 else _PAST_THE_BOUND


_PERCENT_FIELD = re.compile(r"%(?:\(([^)]*)\))?[-+ #0]*(\d+|\*)?(?:\.(\d+|\*))?[hlL]?(.?)", re.DOTALL)


def _percent_made(text: str, values: Any) -> int:
    """The most `text % values` can make: the text, and each field's width, precision and value as text."""
    positional = iter(values if isinstance(values, tuple) else (values,))
    made = len(text)
    for key, width, precision, kind in _PERCENT_FIELD.findall(text):
        if kind == "%":
            continue
        if "*" in (width, precision):  # a width taken from the values: not worked out here
            return _PAST_THE_BOUND
        value = values[key] if key and isinstance(values, Mapping) else next(positional, "")
        made += _number(width) + _number(precision) + _as_text(value) * (_REPR_GROWTH if kind in "ra" else 1)
    return made


class _PastTheBound(Exception):
    """Measuring str.format stops here: it would make more than the bound."""


class _Measured(SandboxedFormatter):
    """`str.format` worked out field by field, each field measured before it is made, stopping past the
    bound: nested fields (`{0:{1}}`) are made to be read as the width they give."""

    def __init__(self, env: jinja2.Environment, text: str):
        super().__init__(env)
        self.made = len(text)

    def format_field(self, value: Any, format_spec: str) -> Any:
        digits = sum(_number(d) for d in re.findall(r"\d+", format_spec))  # width, precision, a digit as fill
        self.made += digits + _as_text(value) * _REPR_GROWTH
        if self.made > MAX_TEMPLATE_TEXT:
            raise _PastTheBound
        return super().format_field(value, format_spec)


def _formatted(env: jinja2.Environment, text: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> int:
    measured = _Measured(env, text)
    try:
        measured.vformat(text, args, kwargs)
    except _PastTheBound:
        return _PAST_THE_BOUND
    return measured.made


def _replaced(text: str, old: str, new: str, count: int) -> int:
    found = text.count(old) if old else len(text) + 1
    return len(text) + max(0, len(new) - len(old)) * (found if count < 0 else min(found, count))


def _joined(env: jinja2.Environment, items: Any, between: Any, attribute: Any = None) -> int:
    if attribute is not None:
        items = map(jinja2.filters.make_attrgetter(env, attribute), items)
    items = list(items)
    between = _as_text(between) * max(0, len(items) - 1)
    return between + (_texts_size(items, MAX_TEMPLATE_TEXT - between) if between <= MAX_TEMPLATE_TEXT else 0)


def _summed(env: jinja2.Environment, items: Any, attribute: Any = None, start: Any = 0) -> int:
    """Numbers make nothing sized; lists (or tuples) are added one at a time, in C, each partial sum made
    in turn, so adding n lists makes the first n times: what is made is every partial sum's items."""
    if not isinstance(start, (list, tuple)):
        return 0
    if attribute is not None:
        items = map(jinja2.filters.make_attrgetter(env, attribute), items)
    made = partial = len(start)
    for item in items:
        partial += len(item)  # a number among lists: the call itself says what is wrong
        made += partial
        if made > MAX_TEMPLATE_TEXT:
            break
    return made


def _indented(text: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> int:
    text = str(text)
    return len(text) + (text.count("\n") + 1) * (width if isinstance(width, int) else len(width))


def _wrapped(text: Any, width: int = 79, break_long_words: bool = True, wrapstring: str | None = None,
             break_on_hyphens: bool = True) -> int:
    text = str(text)  # at worst a line for each character
    return len(text) + (len(text) + 1) * (1 if wrapstring is None else len(wrapstring))


# What each call that sizes what it makes can make, in characters or items, worked out from what it is
# given before it runs. ".name" is a method of a string ("x".center(n)), "|name" a filter ("x"|center(n));
# each is given the sandbox, then the call's own values (the method's string, or the filter's value, first).
_MAKES: dict[str, Callable[..., int]] = {
    ".center": lambda env, text, width, fill=" ": max(len(text), width),
    ".ljust": lambda env, text, width, fill=" ": max(len(text), width),
    ".rjust": lambda env, text, width, fill=" ": max(len(text), width),
    ".zfill": lambda env, text, width: max(len(text), width),
    ".expandtabs": lambda env, text, tabsize=8: len(text) + text.count("\t") * max(0, tabsize),
    ".replace": lambda env, text, old, new, count=-1: _replaced(text, old, new, count),
    ".join": lambda env, between, items: _joined(env, items, between),
    ".format": lambda env, text, *args, **kwargs: _formatted(env, text, args, kwargs),
    ".format_map": lambda env, text, mapping: _formatted(env, text, (), mapping),
    "|center": lambda env, value, width=80: max(_as_text(value), width),
    "|replace": lambda env, s, old, new, count=None: _replaced(str(s), str(old), str(new),
                                                              -1 if count is None else count),
    "|indent": lambda env, s, *args, **kwargs: _indented(s, *args, **kwargs),
    "|wordwrap": lambda env, s, *args, **kwargs: _wrapped(s, *args, **kwargs),
    "|join": lambda env, value, d="", attribute=None: _joined(env, value, d, attribute),
    "|format": lambda env, value, *args, **kwargs: _percent_made(str(value), kwargs or args),
    "|batch": lambda env, value, linecount, fill_with=None: 0 if fill_with is None else linecount,
    "|slice": lambda env, value, slices, fill_with=None: slices,
    "|sum": lambda env, items, attribute=None, start=0: _summed(env, items, attribute, start),
}


# The filters that turn their value into text (Jinja's call str() on it, escape it, quote it for a web
# address, or write it as JSON or pprint does), and those whose measure in _MAKES reads it as text: each is
# given its value only when its text is within the bound. Python makes that text in C, where no bound is
# seen, so `[x, x]` doubled forty times and then `|string` would take the machine's memory.
_TEXT_FILTERS = frozenset({
    "capitalize", "center", "e", "escape", "forceescape", "format", "indent", "lower", "pprint", "replace",
    "safe", "string", "striptags", "title", "tojson", "trim", "upper", "urlencode", "urlize", "wordcount",
    "wordwrap", "xmlattr",
})


class _Loader(jinja2.FileSystemLoader):
    """Templates read as every source file is: one that is not UTF-8 text is named with its line, and a
    line or paragraph separator in one reads as a space (yamlio.SEPARATORS_AS_SPACES)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        try:
            text, filename, uptodate = super().get_source(environment, template)
            return text.translate(yamlio.SEPARATORS_AS_SPACES), filename, uptodate
        except UnicodeDecodeError:
            pieces = jinja2.loaders.split_template_path(template)
            for folder in self.searchpath:
                if (path := Path(folder, *pieces)).is_file():
                    try:
                        yamlio.read_text(path)
                    except SourceError as exc:  # the same words as for a source, with the file and line
                        raise TemplateError(exc.message, exc.path, exc.line) from None
            raise


class MarkdownText(str):
    """Text that is Markdown already (a section body): printed as it is, never escaped."""


def long_date(value: dt.date | str, months: Sequence[str]) -> str:
    """2026-11-23 -> 23 November 2026, with the month names from the labels (never the system locale)."""
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
        self.docs = {doc_id: self._doc_view(doc) for doc_id, doc in pack.documents.items()}
        self.appendices = tuple(self.docs[doc.id] for doc in pack.of_kind("appendix"))
        self.shared = _Namespace({s.id: s for s in pack.shared}, "shared passage")

    # -- environment ----------------------------------------------------------------------

    def _environment(self, markdown: bool) -> ImmutableSandboxedEnvironment:
        env = _Sandbox(
            loader=_Loader([str(folder) for folder in self.search_path]),
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

    def _longdate(self, value: dt.date | str) -> str:
        return long_date(value, self.months)

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
                raise TemplateError(f"in the label '{key}': {exc.message}", self.labels_path, line) from None
        try:
            return MarkdownText(self._markdown_labels[key].render(ctx.get_all()).strip())
        except (jinja2.TemplateError, *template_folders.EXPRESSION_ERRORS) as exc:
            raise TemplateError(f"in the label '{key}': {_describe(exc)}", self.labels_path, line) from None

    @jinja2.pass_context
    def _bold_words(self, ctx: jinja2.runtime.Context) -> list[str]:
        if ctx.get("variant") != "easy-read":
            return []
        words = (w for s in self._printed if not s.easy_read_omitted for w in hard_words.bold_words(s.easy_read or ""))
        glossary = self.glossary
        return list(dict.fromkeys(hard.word if (hard := hard_words.explaining(w, glossary)) else w for w in words))

    @property
    def glossary(self) -> tuple[HardWord, ...]:
        """Every document's hard words, in pack order: the words easy read may put in bold."""
        return tuple(hard for doc in self.pack.documents.values() for hard in doc.front.hard_words)

    def unexplained_bold_words(self, doc_ids: Iterable[str]) -> list[str]:
        """One line per bold word in these documents' easy-read text (and the shared passages') that
        no hard word explains, though the easy-read cover promises each is explained at the end."""
        sections = [s for doc_id in doc_ids for s in self.pack.documents[doc_id].sections] + list(self.pack.shared)
        return [f"{_shown(file)}:{line}: the easy-read word '{word}' is in bold, but no hard word explains it: add "
                "it to a document's hard_words (word: and meaning:), or write it without **"
                for file, line, word in hard_words.unexplained(sections, self.glossary)]

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
        for folder in self.search_path:
            if (folder / name).is_file():
                return folder / name
        return self.templates / name

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
        return any((folder / name).is_file() for folder in self.search_path)

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
            raise TemplateError(f"in the label '{key}': {_describe(exc)}", self.labels_path, line) from None

    def _label_templates(self) -> dict[str, jinja2.Template | packgen_labels.Words]:
        """Each label compiled once per build, not once per document: compiling is the slow part."""
        if self._compiled_labels is None:
            compiled = {}
            for key, value in self._labels_raw.items():
                if key == "months" or key.startswith(TEMPLATE_LABELS):
                    continue
                line = self._labels_lines.get((key,))
                if not isinstance(value, str):
                    raise TemplateError(f"the label '{key}' must be text", self.labels_path, line)
                try:
                    compiled[key] = packgen_labels.compiled(self.text_env, value)
                except jinja2.TemplateSyntaxError as exc:
                    raise TemplateError(f"in the label '{key}': {exc.message}", self.labels_path, line) from None
            self._compiled_labels = compiled
        return self._compiled_labels

    def _render(self, env: jinja2.Environment, name: str, ctx: dict[str, Any]) -> str:
        try:
            template = env.get_template(name)
            with time_bound():
                return _bounded_render(template, ctx)
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
            raise TemplateError(_describe(exc), path, line) from None


def _bounded_render(template: jinja2.Template, ctx: dict[str, Any]) -> str:
    """What `template.render` makes, stopped at the template line printing past MAX_TEMPLATE_TEXT: the
    error is thrown into Jinja's own generator, so its traceback names that line as any other's does."""
    pieces, size = [], 0
    printing = template.generate(ctx)
    for piece in printing:
        size += len(piece)
        if size > MAX_TEMPLATE_TEXT:
            too_much = f"the template prints more than {MAX_TEMPLATE_TEXT:,} characters"
            printing.throw(jinja2.exceptions.SecurityError(too_much))
        pieces.append(piece)
    return "".join(pieces)


def _plain(value: object) -> str:
    return "" if value is None else str(value)


def _describe(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
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
