"""The shape of `sources/`: what keys pack.yaml and each document's front matter may hold.

The shapes are plain frozen dataclasses. pydantic checks types and unknown keys, and `validate` turns
its first complaint into a SourceError with the line it came from, so an editor sees
"pack.yaml:12: unknown key 'titel'" and nothing else. A YAML text that passed its checks is kept in
the per-user cache (`load_checked`): a rebuild after an edit to a paragraph reads the front matter
it has seen before without importing PyYAML or pydantic, both slow to import.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, get_origin, get_type_hints

from packgen import cache as disk_cache
from packgen import writers
from packgen.errors import SourceError
from packgen.language import BCP47
from packgen.sources import mistakes
from packgen.sources.names import DEFAULT_KIND, KINDS
from packgen.sources.yamlio import Lines, line_of

# pydantic's config for each shape: an unknown key is an error, and spaces around a value are dropped
STRICT = {"extra": "forbid", "str_strip_whitespace": True}


class Bound:
    """A bound pydantic checks on a field (min_length=1: not empty; gt=0: more than nothing).

    pydantic's own markers come from annotated_types, which every packgen process would import at
    start-up, though only a file not read before is ever checked. This one is only a note until
    pydantic, checking such a file, asks it for its schema.
    """

    def __init__(self, **bounds: float):
        self.bounds = bounds

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return {**handler(source), **self.bounds}

    def __repr__(self) -> str:
        return f"Bound({', '.join(f'{k}={v!r}' for k, v in self.bounds.items())})"


NOT_EMPTY = Bound(min_length=1)
POSITIVE = Bound(gt=0)
NOT_NEGATIVE = Bound(ge=0)
# The largest text a theme or brand may ask for, in points: twice the 72 pt that word processors offer
# as their largest, and still a line that fits on an A5 page; a larger size is a slip of the keyboard.
LARGEST_TEXT_PT = 144
TEXT_SIZE = Bound(gt=0, le=LARGEST_TEXT_PT)
Text = Annotated[str, NOT_EMPTY]  # a value that may not be left empty
HTTPS = r"https://[^\s/?#@]+\.[^\s/?#@]+(?:[/?#]\S*)?"  # an https web address, with no spaces
FormatName = Literal[writers.names()]  # type: ignore[valid-type]  # a format packgen writes, e.g. "audio"


def matching(regex: str, means: str, **default: str) -> Any:
    """A text field that must match `regex`; `means` says what it should be ({value} is what it was)."""
    return field(metadata={"must_match": re.compile(regex), "means": means}, **default)


def mistake(model: type, name: str, value: str) -> str | None:
    """What is wrong with `value` as field `name` of `model` by that field's own pattern (its words, as
    a pack.yaml value is told), or None when it fits: a value given elsewhere (a command's option)
    is checked by the one rule."""
    rule = next(f for f in dataclasses.fields(model) if f.name == name)
    pattern = rule.metadata.get("must_match")
    return None if pattern is None or pattern.fullmatch(value) else rule.metadata["means"].format(value=value)


def _id() -> Any:
    return matching(r"[a-z0-9][a-z0-9-]*", "'{value}' is not an id: use lower-case letters, digits and hyphens, "
                                            "like 'pay-fairly'")


@dataclass(frozen=True, kw_only=True)
class Contact:
    __pydantic_config__ = STRICT
    name: str
    email: str = matching(r"[^@\s]+@[^@\s]+\.[^@\s]+", "'{value}' is not an e-mail address")
    telephone: str = ""
    address: str = ""
    website: str = matching("|" + HTTPS.replace("https://", "https?://", 1),
                             "'{value}' is not a web address: write it in full, like https://example.org",
                             default="")


@dataclass(frozen=True, kw_only=True)
class DocumentEntry:
    __pydantic_config__ = STRICT
    # The id names the document's files (build/standard/<id>.pdf...): a safe file name on any disk.
    id: str = matching(r"[a-z0-9][a-z0-9-]{0,63}",
                        "'{value}' is not a document id: use up to 64 lower-case letters, digits and hyphens, "
                        "starting with a letter or digit, like 'appendix-e'")
    source: str
    kind: str = matching("|".join(KINDS), f"'{{value}}' is not a kind of document: use one of {', '.join(KINDS)}",
                          default=DEFAULT_KIND)
    template: str = ""  # default: templates/documents/<id>.md.j2, else kinds/<kind>.md.j2


@dataclass(frozen=True, kw_only=True)
class PackMeta:
    __pydantic_config__ = STRICT
    title: Text
    organisation: Text
    short_name: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    version: Text
    status: Literal["draft", "final"]
    date: dt.date
    language: str = matching(BCP47, "'{value}' is not a language code (BCP 47): use one like en, cy, en-GB or "
                                     "sr-Latn")
    contact: Contact
    shared: str = ""  # a Markdown file of passages used by more than one document
    pictures: str = "pictures"  # where organisations put their own pictures
    documents: Annotated[tuple[DocumentEntry, ...], NOT_EMPTY]
    # Where finished pledge forms go, for the web page's send button: an e-mail address or an https
    # address the partnership runs ("": none; the web page says to print the form and send it).
    # Formats built beside the default ones, e.g. [audio]: those slow to make are built only when asked.
    formats: tuple[FormatName, ...] = ()
    pledges_to: str = matching(r"|[^@\s:/?#]+@[^@\s/?#]+\.[^@\s/?#]+|" + HTTPS,
                                "'{value}' is not where pledges can go: give an e-mail address, like "
                                "pledges@example.org, or an https address, like https://example.org/pledge",
                                default="")
    # Where the download page (build/index.html) is published, as an https address: each document's
    # "other formats" section links to it, so a file read on its own still finds the others, and the
    # e-book's printable form links to its fillable PDF beside it ("": not known; only the web pages
    # link to it, by a link within the pack's folder, and the e-book says whom to ask for the form).
    download_page: str = matching("|" + HTTPS,
                                   "'{value}' is not a web address: give the https address the download page is "
                                   "published at, like https://example.org/charter/", default="")

    @staticmethod
    def _before(data: dict) -> dict:
        # "version: 0.10" is a number to YAML; comms staff mean the words "0.10", as written.
        version = data.get("version")
        words = getattr(version, "text", str(version))
        return {**data, "version": words} if isinstance(version, int | float) else data


@dataclass(frozen=True, kw_only=True)
class Commitment:
    __pydantic_config__ = STRICT
    id: str = _id()
    text: Text
    easy_read: str = ""
    picture: str = ""
    alt: str = ""


@dataclass(frozen=True, kw_only=True)
class FieldSpec:
    __pydantic_config__ = STRICT
    id: str = _id()
    label: Text
    type: Literal["text", "multiline", "email", "telephone", "date", "checkbox", "signature"]
    help: str = ""
    required: bool = False
    group: str = "details"


@dataclass(frozen=True, kw_only=True)
class HardWord:
    """A word easy-read text puts in bold, explained on the "hard words" page."""

    __pydantic_config__ = STRICT
    word: Text
    meaning: Text


@dataclass(frozen=True, kw_only=True)
class FrontMatter:
    __pydantic_config__ = STRICT
    title: Text
    subtitle: str = ""
    label: str = ""  # an appendix's letter, when not the next in order (A, B, C...)
    subject: str = ""
    status: Literal["draft", "final"] = "draft"
    keywords: tuple[str, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    fields: tuple[FieldSpec, ...] = ()
    hard_words: tuple[HardWord, ...] = ()


M = TypeVar("M")


def load_checked(model: type[M] | None, text: str, path: Path, first_line: int = 1) -> tuple[M, Lines]:
    """Parse YAML text (from `first_line` of `path`) and check it against `model` (None: any data);
    return the value and where each of its parts is (see yamlio.load).

    A text that passed is kept in the per-user cache (packgen.cache), named by the text, the model
    and the code that checks it. A text with a mistake is never kept: it is read, and reported,
    every time.
    """
    name = _name(model, text, first_line)
    found = _kept(name)
    if found is not None:
        return found
    from packgen.sources import yamlio

    data, lines = yamlio.load(text, path, first_line)
    value = data if model is None else validate(model, data, lines, path)
    disk_cache.write("yaml", name, pickle.dumps((value, lines), protocol=pickle.HIGHEST_PROTOCOL))
    return value, lines


def _name(model: type | None, text: str, first_line: int) -> str:
    owner = "" if model is None else f"{model.__module__}.{model.__qualname__}"
    return disk_cache.key("yaml", owner, text, first_line, _code_version(model.__module__ if model else ""))


def _kept(name: str) -> tuple[Any, Lines] | None:
    data = disk_cache.read("yaml", name)
    if data is not None:
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 - an entry another packgen wrote: read the text afresh
            pass
    return None


@cache
def _code_version(module: str) -> bytes:
    """What a kept value depends on besides its text: the module of its classes (they are pickled),
    the checks here and in yamlio, and the versions of pydantic and PyYAML (neither is imported)."""
    own = Path(__file__).parent
    files = [Path(__file__), own / "yamlio.py"]
    if module and getattr(sys.modules.get(module), "__file__", None):
        files.append(Path(sys.modules[module].__file__))
    return (disk_cache.code_version(*files) + disk_cache.package_code("pydantic", "version.py")
            + disk_cache.package_code("yaml"))


def validate(model: type[M], data: object, lines: Lines, path: Path) -> M:
    """Check data against a model (a dataclass, whose fields may carry a pattern); report the first
    problem at its line, in plain words."""
    if data is None:
        data = {}  # an empty file or front matter: say which keys are missing
    if not isinstance(data, dict):
        raise SourceError("expected a set of 'key: value' lines", path, lines.get(()))
    from pydantic import TypeAdapter, ValidationError

    before = getattr(model, "_before", None)
    try:
        value = TypeAdapter(model).validate_python(before(data) if before else data)
    except ValidationError as exc:
        err = mistakes.first(exc.errors(), lambda loc: line_of(lines, loc))
        loc = tuple(err["loc"])
        if err["type"] in mistakes.UNKNOWN_KEY:
            message = mistakes.unknown_key(loc, data, _allowed_keys(model, loc[:-1]))
        else:
            message = mistakes.problem(err, data)
        raise SourceError(message, path, line_of(lines, loc)) from None
    _check_patterns(value, (), lines, path)
    return value


def _check_patterns(value: object, loc: tuple, lines: Lines, path: Path, root: object = None) -> None:
    """The fields with a pattern (ids, the e-mail address, the language), checked with their line;
    `root` is the whole value, which names the place in words (packgen.sources.mistakes)."""
    root = value if root is None else root
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            part = getattr(value, f.name)
            wrong = mistake(type(value), f.name, part) if "must_match" in f.metadata else None
            if wrong is not None:
                where = mistakes.place(loc + (f.name,), root)
                raise SourceError(f"{where} {wrong}", path, line_of(lines, loc + (f.name,)))
            _check_patterns(part, loc + (f.name,), lines, path, root)
    elif isinstance(value, tuple):
        for n, item in enumerate(value):
            _check_patterns(item, loc + (n,), lines, path, root)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_patterns(item, loc + (key,), lines, path, root)


def _allowed_keys(model: type, loc: tuple) -> list[str]:
    """The keys a model accepts at `loc`, to suggest the right spelling."""
    current = model
    keyed = False  # the part before was a mapping: this part is one of its keys, not a field
    for part in loc:
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        annotation = _fields(current).get(str(part))
        if annotation is None:
            break
        inner = _model_inside(annotation)
        if inner is None:
            break
        keyed = get_origin(annotation) is dict
        current = inner
    return list(_fields(current))


def _fields(model: type) -> dict[str, object]:
    return get_type_hints(model)  # a dataclass's annotations, resolved


def _model_inside(annotation: object) -> type | None:
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_inside(arg)
        if found is not None:
            return found
    return None
