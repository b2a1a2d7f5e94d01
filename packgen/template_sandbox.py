"""The sandbox document templates run in: Jinja's immutable sandbox, with a bound on what a template may make.

Jinja's sandbox keeps a template from Python's insides and bounds range(), but not how big a value may
grow. A template from a hostile pack could take the building machine's memory in one step (`"x" * 10**9`,
`"x"|center(10**10)`) or from small ones (a list doubled forty times, then printed), so every operator,
call and filter that sizes what it makes, every value turned into text and everything printed is held
to MAX_TEMPLATE_TEXT, measured before it is made. How long a template may run is packgen.template_time's.
"""

from __future__ import annotations

import functools
import inspect
import itertools
import json
import operator
import pprint
import re
import types
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, operators, optimizeconst
from jinja2.constants import LOREM_IPSUM_WORDS
from jinja2.nodes import EvalContext
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment, SandboxedEnvironment, SandboxedFormatter

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

    # Each value compared, or looked up as a key, is sent to the sandbox's `held` first: Python compares and
    # hashes lists, tuples and dicts in C, item by item, where the time bound is never seen. A comparison
    # with a string or a number (`x == "a"`, `x|lower in seen`) looks at one item at a time, whatever `x` is.
    @optimizeconst
    def visit_Compare(self, node: nodes.Compare, frame: Frame) -> None:
        written = len(node.ops) == 1 and any(map(_scalar, (node.expr, node.ops[0].expr)))
        self.write("(")
        self._held(node.expr, None if written else operators[node.ops[0].op], frame)
        for op in node.ops:
            self.write(f" {operators[op.op]} ")
            self._held(op.expr, None if written else operators[op.op], frame)
        self.write(")")

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self.write("{")
        for idx, item in enumerate(node.items):
            if idx:
                self.write(", ")
            self._held(item.key, None if _scalar(item.key) else "{key: value}", frame)
            self.write(": ")
            self.visit(item.value, frame)
        self.write("}")

    def _held(self, node: nodes.Expr, given_to: str | None, frame: Frame) -> None:
        """`node`, sent to the sandbox's `held` when it is `given_to` something that may walk it."""
        if given_to is None:
            self.visit(node, frame)
            return
        self.write(f"environment.held({given_to!r}, ")
        self.visit(node, frame)
        self.write(")")


def _scalar(node: nodes.Expr) -> bool:
    """Whether `node` is sure to be a string, a number or none: written so in the template, joined with `~`,
    or made by a filter that makes text (or counts its words)."""
    if isinstance(node, nodes.Const):
        return isinstance(node.value, (str, int, float, type(None)))
    return isinstance(node, nodes.Concat) or isinstance(node, nodes.Filter) and node.name in _TEXT_FILTERS


class BoundedSandbox(SandboxedEnvironment):
    """The sandbox with a bound on what `*`, `**`, `%`, `+` and `~` may make: Jinja bounds range() but
    not these, and `"x" * 10**9`, `10 ** 10**8` or a string doubled with `~` sixty times would take a
    build's memory or time for ever. `~` is Jinja's concatenation, not an operator it intercepts, so the
    code generator sends it to `joined` here. The calls that size what they make (`"x".center(n)`,
    `"x"|indent(n)`, `"{:>n}".format(x)`, _MAKES) are held to the same bound before they run: each is
    one step, so what it makes would take the memory before any later bound is checked. So is every value
    turned into text (printed, joined with `~`, given to a filter that makes text of it, _TEXT_FILTERS,
    or to `%` or a format): its text is measured first, by _text_size, since a list built from small
    steps can be far longer as text than anything the other bounds see. And every value given to a filter,
    a test, a call, a comparison or a key is held to the bound counted out in full (_held_size), every list
    in it as often as it is held: a list of itself doubled forty times is small in memory, but comparing,
    sorting or hashing it walks its 2**40 items in C, and nothing would stop it.

    Text made only by joining or escaping text there is already (a block, `~`, what is printed, |e) is held
    to `text_bound`, which a sandbox whose sources put big text in may raise. Every filter is held to the
    bound as it is put in `filters`, whenever that is, so a filter packgen adds after the sandbox is made
    is held as Jinja's own are. The sandbox is mutable, as Jinja's SandboxedEnvironment is (a web page's
    template gathers a form field's hints with `hints.append(...)`); `Sandbox` is the immutable one."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _Generator
    text_bound = MAX_TEMPLATE_TEXT

    def __init__(self, **options: Any) -> None:
        escaping = options.get("autoescape", False) is not False
        options["finalize"] = _measured_print(options.get("finalize"), self.text_bound, escaping)
        super().__init__(**options)  # puts Jinja's filters in `filters`, each held to the bound there
        self.filters["pprint"] = _pprinted
        for name, test in self.tests.items():
            if test in _COMPARING_TESTS:
                self.tests[name] = self._bounded_test(f"is {name}", test)

    @property
    def filters(self) -> dict[str, Callable[..., Any]]:
        return self._bounded_filters

    @filters.setter
    def filters(self, filters: Mapping[str, Callable[..., Any]]) -> None:
        # Jinja's own __init__ sets this; so may whoever adds filters (an overlay with filters of its own)
        self._bounded_filters = _BoundedFilters(self, filters)

    def concat(self, pieces: Iterable[str]) -> str:
        """What a block prints, joined: a `{% set %}` block, a macro, a call or filter block (Jinja joins each
        with its environment's concat). Printing is measured piece by piece, and what the template prints
        in all by bounded_render, but a block's text is neither: a set block printing itself twice, thirty
        times over, would make a thousand million characters in one join."""
        pieces = pieces if isinstance(pieces, list) else list(pieces)  # a block's buffer is a list already
        if sum(map(len, pieces)) > (bound := self.text_bound):
            raise jinja2.exceptions.SecurityError(f"this block would make something too big ({_bound(bound)})")
        return "".join(pieces)

    @staticmethod
    def held(given_to: str, value: Any) -> Any:
        """`value`, once it is known to hold no more than the bound counted out in full."""
        if _HOLDS[type(value)] and _held_size(value) > MAX_TEMPLATE_TEXT:
            raise _given_too_much(given_to)
        return value

    def getitem(self, obj: Any, argument: Any) -> Any:
        return super().getitem(obj, self.held("[key]", argument))

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if bound := _too_big(operator, left, right):
            raise jinja2.exceptions.SecurityError(f"'{operator}' would make something too big ({bound})")
        return super().call_binop(context, operator, left, right)

    def joined(self, eval_ctx: EvalContext, parts: tuple[Any, ...]) -> str:
        """`a ~ b`, joined as Jinja joins it (escaping plain text beside Markup when autoescaping) once its
        size, escaped where it is escaped, is known to be within the bound."""
        bound = self.text_bound
        size = _texts_size(parts, bound)
        escaped = eval_ctx.autoescape and any(hasattr(part, "__html__") for part in parts)
        if size > bound or escaped and size * _HTML_GROWTH > bound and sum(map(_escaped_size, parts)) > bound:
            raise jinja2.exceptions.SecurityError(f"'~' would make something too big ({_bound(bound)})")
        return markup_join(parts) if eval_ctx.autoescape else str_join(parts)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        # Jinja hands templates str.format wrapped in its sandboxed formatter, the method itself inside
        method = getattr(__obj, "__wrapped__", __obj) if inspect.isfunction(__obj) else __obj
        # a str's methods are built in; Markup's (`("{:>9}"|safe).format(x)`) are Python's, wrapping them
        bound_to = method.__self__ if isinstance(method, _METHODS) else None
        if isinstance(bound_to, (str, bytes)):
            called = "." + method.__name__
            if called in _MAKES:
                args = _read(args)
                __self._within_bound(called, method.__self__, args, kwargs)
        elif method is jinja2.utils.generate_lorem_ipsum:
            __self._within_bound("lipsum", None, args, kwargs)
        elif _HOLDS[type(bound_to)] and _held_size(bound_to) > MAX_TEMPLATE_TEXT:
            raise _given_too_much("." + method.__name__)  # a list's .count(x) compares its own items too
        if _holds_too_much(args, kwargs):
            # a method by its name, a global (dict) or a macro by its own
            raise _given_too_much("." + method.__name__ if bound_to is not None else
                                  getattr(method, "__name__", None) or getattr(method, "name", None) or "()")
        return super().call(__context, __obj, *args, **kwargs)

    def _bounded_filter(self, called: str, jinja_filter: Callable[..., Any]) -> Callable[..., Any]:
        """Jinja's filter, held to the bound: marked as it is, so Jinja passes it the same (a filter
        marked to take the context or environment is passed it first)."""
        if getattr(jinja_filter, _HELD_TO_THE_BOUND, False):
            return jinja_filter  # held already: a filter of the sandbox this one is an overlay of
        passed = 1 if hasattr(jinja_filter, "jinja_pass_arg") else 0
        makes_text = called[1:] in _TEXT_FILTERS
        makes = called in _MAKES
        escapes = _ESCAPING.get(called[1:])
        bound = self.text_bound

        def bounded(*args: Any, **kwargs: Any) -> Any:
            # text alone is within every bound here: `|lower` is a template's most called filter
            if not makes and not escapes and not kwargs and len(args) == passed + 1 and isinstance(args[-1], str):
                return jinja_filter(*args)
            value = args[passed]
            if makes_text and not isinstance(value, str) and _text_size(value) > MAX_TEMPLATE_TEXT:
                raise jinja2.exceptions.SecurityError(f"'{called}' would make something too big ({_TEXT_BOUND})")
            if escapes and _as_text(value) * _HTML_GROWTH > bound and _escaped_size(escapes(value)) > bound:
                raise jinja2.exceptions.SecurityError(f"'{called}' would make something too big ({_bound(bound)})")
            args = _read(args)  # |sort reads an iterator into a list, then sorts it in C
            if makes:
                self._within_bound(called, args[passed], args[passed + 1:], kwargs)
            if _holds_too_much(args[passed:], kwargs):
                raise _given_too_much(called)
            return jinja_filter(*args, **kwargs)

        functools.update_wrapper(bounded, jinja_filter)
        setattr(bounded, _HELD_TO_THE_BOUND, True)
        return bounded

    def _bounded_test(self, called: str, jinja_test: Callable[..., Any]) -> Callable[..., Any]:
        """Jinja's test (`x is in y`, `x is eq y`), given only values within the bound counted out in full."""
        passed = 1 if hasattr(jinja_test, "jinja_pass_arg") else 0

        def bounded(*args: Any, **kwargs: Any) -> Any:
            if _holds_too_much(args[passed:], kwargs):
                raise _given_too_much(called)
            return jinja_test(*args, **kwargs)

        return functools.update_wrapper(bounded, jinja_test)

    def _within_bound(self, called: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        try:
            made = _MAKES[called](self, value, *args, **kwargs)
        except (TypeError, ValueError, LookupError, AttributeError):
            return  # given what it cannot take: the call itself says so, in its own words
        if made > MAX_TEMPLATE_TEXT:
            raise jinja2.exceptions.SecurityError(f"'{called}' would make something too big ({_TEXT_BOUND})")


class Sandbox(BoundedSandbox, ImmutableSandboxedEnvironment):
    """The sandbox document templates run in: bounded, and immutable (a template changes no list or dict it
    is given, nor one it made)."""


class _BoundedFilters(dict[str, Callable[..., Any]]):
    """A sandbox's filters, each held to its bound (BoundedSandbox._bounded_filter) as it is put in, however
    it is put in: one by one, with update(), or as the sandbox's whole `filters`."""

    def __init__(self, sandbox: BoundedSandbox, filters: Mapping[str, Callable[..., Any]] = {}) -> None:  # noqa: B006
        super().__init__()
        self._sandbox = sandbox
        self.update(filters)

    def __setitem__(self, name: str, jinja_filter: Callable[..., Any]) -> None:
        super().__setitem__(name, self._sandbox._bounded_filter(f"|{name}", jinja_filter))

    def update(self, *others: Any, **filters: Callable[..., Any]) -> None:
        for name, jinja_filter in dict(*others, **filters).items():
            self[name] = jinja_filter

    def setdefault(self, name: str, jinja_filter: Callable[..., Any]) -> Callable[..., Any]:  # type: ignore[override]
        if name not in self:
            self[name] = jinja_filter
        return self[name]

    def __ior__(self, filters: Any) -> _BoundedFilters:  # type: ignore[override]
        self.update(filters)
        return self

    def copy(self) -> _BoundedFilters:
        return _BoundedFilters(self._sandbox, self)


# Marks a filter held to the bound already, so a sandbox's overlay given its filters holds none twice.
_HELD_TO_THE_BOUND = "packgen_held_to_the_bound"


# The tests that compare their value with another (`x is eq y`, `x is in y`, and so `|select("in", y)`), item
# by item in C; the others look at the value's kind or at a number.
_COMPARING_TESTS = frozenset({
    operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge, jinja2.tests.test_in,
})
_METHODS = (types.BuiltinMethodType, types.MethodType)
def _bound(most: int) -> str:
    """A text bound, in words."""
    return f"more than {most:,} characters or items"


_TEXT_BOUND = _bound(MAX_TEMPLATE_TEXT)
_HELD_BOUND = f"more than {MAX_TEMPLATE_TEXT:,} items, each list in it counted as often as it is held"
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
    """The arguments with each iterator read into a list, so it can be measured and still be passed on.
    An iterator is known by its kind's __next__ (as collections.abc.Iterator knows it, more slowly: this is
    every filter's)."""
    if not any(hasattr(type(arg), "__next__") for arg in args):
        return args
    return tuple(list(arg) if hasattr(type(arg), "__next__") and hasattr(type(arg), "__iter__") else arg
                 for arg in args)


def _as_text(value: Any, limit: int = MAX_TEMPLATE_TEXT) -> int:
    """How long `value` is as text (bytes as they are), counted no further than just past `limit`."""
    return len(value) if isinstance(value, bytes) else _text_size(value, limit)


def _measured_print(finalize: Callable[[Any], Any] | None, bound: int, escaping: bool) -> Callable[..., Any]:
    """The environment's `finalize` (which sees every value a template prints, before Jinja turns it into
    text and, when `escaping`, escapes it), refusing first a value whose text would be past the bound, or
    past `bound` once escaped: a `"` is escaped as `&#34;`, five characters."""

    def printed(value: Any) -> Any:
        if not isinstance(value, str) and _text_size(value) > MAX_TEMPLATE_TEXT:
            raise jinja2.exceptions.SecurityError(f"printing this would make something too big ({_TEXT_BOUND})")
        return value if finalize is None else finalize(value)

    if not escaping:
        return printed

    @jinja2.pass_eval_context
    def printed_escaped(eval_ctx: EvalContext, value: Any) -> Any:
        # a template turns autoescaping off and on as it runs ({% autoescape false %})
        if (eval_ctx.autoescape and not hasattr(value, "__html__") and _as_text(value) * _HTML_GROWTH > bound
                and _escaped_size(value) > bound):
            raise jinja2.exceptions.SecurityError(f"printing this would make something too big ({_bound(bound)})")
        return printed(value)

    return printed_escaped


# How much longer HTML's escaping can make text than it is: `"` as `&#34;`.
_HTML_GROWTH = 5
_HTML_SPECIAL = {"&": 4, '"': 4, "'": 4, "<": 3, ">": 3}  # what escaping each adds


def _escaped_size(value: Any) -> int:
    """How long `value` is once escaped for HTML as Jinja escapes it (Markup as it is). Its text is known to
    be within the bound, so it is made to be counted."""
    if hasattr(value, "__html__"):
        return _as_text(value)
    text = value if isinstance(value, str) else str(value)
    return len(text) + sum(text.count(special) * added for special, added in _HTML_SPECIAL.items())


# The filters that escape their value for HTML, each with what it escapes: Markup is left as it is by |e,
# but escaped once more by |forceescape.
_ESCAPING: dict[str, Callable[[Any], Any]] = {
    "e": lambda value: value,
    "escape": lambda value: value,
    "forceescape": lambda value: str(value.__html__()) if hasattr(value, "__html__") else value,
}


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
    return _walked(value, limit, _shape)


def _walked(value: Any, limit: int, shape: Callable[[Any, bool, int], tuple[int, Iterator[Any] | None]]) -> int:
    """What `value` and every item in it add up to, each item's part and the items inside it given by
    `shape` (item, whether it is `value` itself, what is left of `limit`), adding stopped once past `limit`.
    The walk keeps its own list of what it is inside, so a value nested deeper than Python's recursion
    limit is walked as any other."""
    size, top = 0, True
    pending: list[Iterator[Any]] = [iter((value,))]
    while pending:
        item = next(pending[-1], _WALKED)
        if item is _WALKED:
            pending.pop()
            continue
        own, inside = shape(item, top, limit - size)
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


_HOLDERS = (list, tuple, set, frozenset, dict, *_DICT_VIEWS)


class _Holders(dict[type, bool]):
    """Whether each kind of value is a list, tuple, dict or set (or made from one: a named tuple), worked
    out once a kind: this is asked of every value given to a call, a filter or a comparison."""

    def __missing__(self, kind: type) -> bool:
        self[kind] = holds = issubclass(kind, _HOLDERS)
        return holds


_HOLDS = _Holders()


def _holds_too_much(args: Iterable[Any], kwargs: Mapping[str, Any] | None = None) -> bool:
    """Whether any of the values holds more than the bound, counted out in full (_held_size)."""
    for value in args:
        if _HOLDS[type(value)] and _held_size(value) > MAX_TEMPLATE_TEXT:
            return True
    return bool(kwargs) and _holds_too_much(kwargs.values())


def _given_too_much(given_to: str) -> jinja2.exceptions.SecurityError:
    return jinja2.exceptions.SecurityError(f"'{given_to}' is given something too big ({_HELD_BOUND})")


def _held_size(value: Any, limit: int = MAX_TEMPLATE_TEXT) -> int:
    """How many items `value` holds, each list, tuple, dict or set in it counted out in full as often as it
    is held (a string, a number or any other value is one), counting stopped once past `limit`: what
    comparing or hashing it may walk, in C. A list of itself doubled forty times is 2**40 items; two such
    lists built apart are equal, and `==` would walk them all."""
    return _walked(value, limit, _held_shape) if isinstance(value, _HOLDERS) else 1


def _held_shape(value: Any, top: bool, room: int) -> tuple[int, Iterator[Any] | None]:
    """One item, and the items inside it when it holds any (a dict its keys and values)."""
    if isinstance(value, dict):
        return 1, itertools.chain.from_iterable(value.items())
    return 1, iter(value) if isinstance(value, _HOLDERS) else None


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


# How much longer |tojson and |urlencode can make text than it is: a character outside ASCII as JSON's
# '\ud83d\ude00', or as a web address's '%F0%9F%98%80'.
_ESCAPE_GROWTH = 12


class _CappedText:
    """A stream that counts what is written to it, and stops the writing once past the bound. With
    `html_safe`, it counts each "<", ">", "&" and "'" as |tojson writes it: \u003c, six characters. With
    `kept`, it keeps what is written, in `pieces`."""

    def __init__(self, html_safe: bool = False, kept: bool = False) -> None:
        self.size = 0
        self.html_safe = html_safe
        self.kept = kept
        self.pieces: list[str] = []

    def write(self, text: str) -> None:
        self.size += len(text)
        if self.html_safe:
            self.size += 5 * sum(map(text.count, "<>&'"))
        if self.size > MAX_TEMPLATE_TEXT:
            raise _PastTheBound
        if self.kept:
            self.pieces.append(text)


def _written(write: Callable[[_CappedText], None], html_safe: bool = False) -> int:
    """How long what `write` writes is, written no further than just past the bound."""
    stream = _CappedText(html_safe)
    try:
        write(stream)
    except _PastTheBound:
        return _PAST_THE_BOUND
    return stream.size


def _as_json(value: Any, indent: int | str | None = None, **_dumps: Any) -> int:
    """What |tojson makes. Each line it writes with an indent is indented as deep as its item is, so it is
    written (with json's own Python encoder, line by line) to be measured; without, it is one line."""
    if indent is None:
        return _as_text(value) * _ESCAPE_GROWTH
    return _written(lambda stream: json.dump(value, stream, indent=indent), html_safe=True)


def _pprinted(value: Any) -> str:
    """|pprint, as Jinja's (pprint.pformat), written to a stream that stops once past the bound: each line
    it writes is indented as deep as its item is, so what it makes is known only as it is written."""
    stream = _CappedText(kept=True)
    try:
        pprint.PrettyPrinter(stream=stream).pprint(value)
    except _PastTheBound:
        raise jinja2.exceptions.SecurityError(f"'|pprint' would make something too big ({_TEXT_BOUND})") from None
    return "".join(stream.pieces[:-1])  # pprint() ends with a line break of its own, pformat() does not


def _lorem_ipsum(paragraphs: int, most_words: int) -> int:
    """lipsum(n): n paragraphs of fewer than `most_words` words, each a word of Jinja's lorem ipsum with a
    space and a comma or full stop after it, each paragraph in <p> and </p> and two line breaks from the next."""
    longest = max(map(len, LOREM_IPSUM_WORDS.split()))
    return max(0, paragraphs) * (max(0, most_words) * (longest + 2) + 10)


def _indented(text: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> int:
    text = str(text)
    return len(text) + (text.count("\n") + 1) * (width if isinstance(width, int) else len(width))


def _wrapped(text: Any, width: int = 79, break_long_words: bool = True, wrapstring: str | None = None,
             break_on_hyphens: bool = True) -> int:
    text = str(text)  # at worst a line for each character
    return len(text) + (len(text) + 1) * (1 if wrapstring is None else len(wrapstring))


# What each call that sizes what it makes can make, in characters or items, worked out from what it is
# given before it runs. ".name" is a method of a string ("x".center(n)), "|name" a filter ("x"|center(n)),
# "lipsum" Jinja's global of that name; each is given the sandbox, then the call's own values (the
# method's string, the filter's value, or None for the global, first).
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
    "|tojson": lambda env, value, indent=None: _as_json(value, indent),
    "|urlencode": lambda env, value: _as_text(value) * _ESCAPE_GROWTH,
    "lipsum": lambda env, _, n=5, html=True, min=20, max=100: _lorem_ipsum(n, max),
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

def bounded_render(template: jinja2.Template, ctx: dict[str, Any]) -> str:
    """What `template.render` makes, stopped at the template line printing past its sandbox's text bound:
    the error is thrown into Jinja's own generator, so its traceback names that line as any other's does."""
    pieces, size = [], 0
    most = template.environment.text_bound if isinstance(template.environment, BoundedSandbox) else MAX_TEMPLATE_TEXT
    printing = template.generate(ctx)
    for piece in printing:
        size += len(piece)
        if size > most:
            too_much = f"the template prints more than {most:,} characters"
            printing.throw(jinja2.exceptions.SecurityError(too_much))
        pieces.append(piece)
    return "".join(pieces)

