"""The formats packgen writes: one package per format, each exporting one `Format` descriptor.

A writer is a function `write(document, theme, path) -> pages` (None where a format has no pages)
that reads only the document model and the theme, and writes exactly the path it is given (making
that write atomic is the build's job). A format that `needs` another's file of the same document
(the e-book's page list names the PDF's pages) is also given that file's path, after the others.
Everything else packgen knows about a format (its file suffix, the word readers see for it, what
it costs, whether the zip carries it, where the download page lists it, what makes its file of a
whole version of the pack and its pictures of first pages, which labels it cannot show empty) is in
its descriptor, so the build, the download page, `packgen check` and the command line read this
registry and list no format of their own.

A descriptor names its writer's module rather than importing it: the command line lists formats
on every run, and only the processes that write a format need its libraries.
"""

from __future__ import annotations

import datetime as dt
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from packgen.errors import RenderError

if TYPE_CHECKING:
    from packgen.model import Document
    from packgen.theme import Theme

Writer = Callable[..., "int | None"]  # (document, theme, path, *needed paths)
# A figure's width as a share of the text column, in every format (each keeps the aspect ratio).
FIGURE_WIDTH = 0.5


@dataclass(frozen=True)
class Format:
    name: str  # the id on the command line and in the manifest, e.g. "pdf"
    suffix: str  # the output's file suffix, e.g. ".pdf"
    writer: str | Writer  # the module whose `write` makes the file (imported on first use), or the function
    label: str  # the labels file's key of the words readers see for the format, e.g. "index_format_pdf"
    templates: tuple[str, ...] = ()  # folders beside the theme file that the writer reads (their edits rebuild it)
    cost: float = 1.0  # the time to write one block, relative to other formats: the longest jobs start first
    zipped: bool = True  # carried in the pack's zip
    compressed: bool = False  # its bytes are compressed already, so the zip stores them as they are
    rank: int = 100  # where the download page lists it (GOV.UK: the web page first)
    filler: str = ""  # the module whose filler(blank) fills copies of a blank form in this format ("": no forms)
    default: bool = True  # built when no format is asked for (a slow one only when asked, or listed in pack.yaml)
    variants: tuple[str, ...] = ()  # the variants it is made for ((): every variant), e.g. audio of easy read only
    languages: tuple[str, ...] = ()  # the primary language subtags it can write, e.g. ("en",) ((): every language)
    part_of: str = ""  # the format it comes with: asking for that one asks for this too (a recording's transcript)
    needs: str = ""  # the format whose file of the same document its writer reads too ("": none)
    # "module:function" making one file of all a version's documents, like standard/pack.pdf ("": none), from
    # their own files of this format: make(target, inputs, parts, about), parts being (document, its file,
    # the words before its page numbers) in pack order, about a WholePack.
    whole_pack: str = ""
    pictures: str = ""  # the size a PNG or JPEG is stored at in this format: "print" or "web" ("": none shown)
    # "module:function" giving, for a variant, the widest a "web" format's text column is in millimetres:
    # what a figure's share is a share of, so what its pictures are stored for ("": a printed format's
    # column is the theme's page).
    column: str = ""
    # "module:function" making the download page's picture of a document's first page from its file of this
    # format: make(target, inputs, file) ("": none; the download page shows one format's pictures).
    thumbnail: str = ""
    # "module:function" saying what this machine lacks to write the format, e.g. a system library, in one
    # line ("": nothing). A default format that lacks something is left out of the pack with that warning, so
    # `make` on a new machine still builds the rest; asked for by name, the build stops on it.
    missing: str = ""
    # "module:function" stopping when a label its writer shows has no words for a document: check(document,
    # *needed paths) raises require_labels' error ("": none). The build asks it before writing anything.
    labels: str = ""

    def offers(self, variant: str, language: str) -> bool:
        """Whether the build makes this format for a document in `variant` written in `language` (a BCP 47 tag)."""
        return ((not self.variants or variant in self.variants)
                and (not self.languages or language.split("-")[0].lower() in self.languages))

    def write(self, document: Document, theme: Theme, path: Path, *needed: Path) -> int | None:
        write = self.writer if callable(self.writer) else import_module(self.writer).write
        return write(document.in_format(self.name), theme, path, *needed)

    def check_labels(self, document: Document, *needed: Path) -> None:
        """Stop when a label the writer would show for `document` has no words (see `labels`)."""
        if self.labels:
            _named(self.labels)(document.in_format(self.name), *needed)

    def column_mm(self, variant: str) -> float:
        """The widest the format's text column is for `variant`, in millimetres (0 when `column` names none)."""
        return float(_named(self.column)(variant)) if self.column else 0.0  # type: ignore[arg-type]

    def lacks(self) -> str:
        """What this machine lacks to write the format ("" when nothing), asked once per process."""
        return _lacks(self.missing) if self.missing else ""

    def form_filler(self, blank: bytes) -> Callable[[dict[str, str]], bytes]:
        """What fills copies of `blank`, a form this format's writer made: values by field id -> the copy's bytes."""
        return import_module(self.filler).filler(blank)  # type: ignore[no-any-return]

    @property
    def code(self) -> tuple[Path, ...]:
        """The writer's source files (its whole package, for packgen's own): editing them rebuilds its outputs.

        Found without importing the writer, which only the processes that write need."""
        module = self.writer.__module__ if callable(self.writer) else self.writer
        try:
            spec = find_spec(module)
        except ValueError:  # a writer defined in the script being run (__main__): no file to follow
            return ()
        file = Path(spec.origin if spec and spec.origin else "")
        if file.parent.parent == Path(__file__).parent:
            return tuple(sorted(file.parent.rglob("*.py")))
        return (file,)


def require_labels(document: Document, keys: Iterable[str], what: str) -> None:
    """Stop when a label `what` (e.g. "the web page") shows has no words for this document: a page
    without them (an empty skip link) fails its readers. The error names the labels; the build names
    the labels file and the first one's line."""
    empty = tuple(key for key in keys if not document.labels.get(key, "").strip())
    if empty:
        named = (f"the label '{empty[0]}', which has" if len(empty) == 1
                 else f"the labels {', '.join(empty)}, which have")
        raise RenderError(f"{what} of '{document.id}' ({document.variant}) shows {named} no words: write them",
                          labels=empty)


@dataclass(frozen=True)
class WholePack:
    """What a file of a whole version of the pack (pack.pdf, pack.epub) says about itself."""

    title: str  # the labels file's words for it, else the pack's title
    name: str  # its file name's stem, and the last part of an identifier made from it
    language: str
    author: str  # the organisation
    subject: str
    keywords: tuple[str, ...]
    when: dt.datetime  # the one date the pack's own files carry (packgen.dates)
    page_source: str = ""  # the file name of the whole-pack file of `needs` whose pages it names ("": none)


_REGISTRY: dict[str, Format] = {}


def register(fmt: Format) -> None:
    """Add a format (packgen's own are found in this folder): from then on it is built like the others."""
    formats()
    _REGISTRY[fmt.name] = fmt


def formats() -> dict[str, Format]:
    """Every format by name, in the order the download page offers them."""
    if not _REGISTRY:
        for info in pkgutil.iter_modules(__path__):
            if info.ispkg:
                fmt: Format = import_module(f"{__name__}.{info.name}").FORMAT
                _REGISTRY[fmt.name] = fmt
    return dict(sorted(_REGISTRY.items(), key=lambda item: (item[1].rank, item[0])))


def names() -> tuple[str, ...]:
    return tuple(formats())


def defaults() -> tuple[str, ...]:
    """The formats a build makes when none is asked for (pack.yaml's `formats` adds others)."""
    return tuple(name for name, fmt in formats().items() if fmt.default)


def with_parts(asked: tuple[str, ...]) -> tuple[str, ...]:
    """The formats asked for and those that come with them, in the download page's order."""
    return tuple(name for name, fmt in formats().items() if name in asked or fmt.part_of in asked)


def offered(listed: tuple[str, ...]) -> tuple[str, ...]:
    """The formats a pack offers: the default ones this machine can write, those its pack.yaml's `formats`
    lists, and their parts. The documents promise these, so a format left out here is promised nowhere."""
    return with_parts((*(name for name in defaults() if name in listed or not get(name).lacks()), *listed))


def left_out(listed: tuple[str, ...]) -> list[str]:
    """A warning for each default format `offered` leaves out, saying what to install."""
    return [f"no {name} files in this pack: {get(name).lacks()}" for name in defaults()
            if name not in listed and get(name).lacks()]


@cache
def _lacks(function: str) -> str:
    return str(_named(function)())


def _named(function: str) -> Callable[..., object]:
    """The function a descriptor names as "module:function", its module imported on first use."""
    module, name = function.split(":")
    return getattr(import_module(module), name)  # type: ignore[no-any-return]


def get(name: str) -> Format:
    return formats()[name]


def form_formats() -> tuple[str, ...]:
    """The formats whose writers can fill copies of a blank form (`packgen forms`)."""
    return tuple(name for name, fmt in formats().items() if fmt.filler)
