"""Where templates come from: the pack's own templates folder first, then packgen's own.

packgen carries its general templates inside the package (`packgen/templates/`: theme.yaml, the
labels, the partials, the web page templates and a default template per kind of document), so an
organisation that installs packgen with pip builds a pack with no templates folder at all. A pack
that wants to change one keeps its own copy under the same name in its own `templates/` folder
(`--templates` names another), and that copy wins; everything it does not have comes from packgen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import jinja2

from packgen.errors import SourceError, TemplateError
from packgen.named_files import LINK_TO_NOTHING, unreadable
from packgen.sources import yamlio

PACKGEN_TEMPLATES = Path(__file__).resolve().parent / "templates"
# What a template's own expression can raise in Python ({{ 1/0 }}, {{ "a" + 1 }}, a filter given the
# wrong kind of value, a macro calling itself): the template's mistake, reported at its line.
EXPRESSION_ERRORS = (ArithmeticError, LookupError, TypeError, ValueError, AttributeError, AssertionError,
                     RecursionError)


def search_path(own: Path | None) -> tuple[Path, ...]:
    """The folders to look in, in order: the pack's own (when it has one), then packgen's."""
    folders = [Path(own)] if own is not None and Path(own).is_dir() else []
    if not any(_same(folder, PACKGEN_TEMPLATES) for folder in folders):
        folders.append(PACKGEN_TEMPLATES)
    return tuple(folders)


def holding(own: Path | None, name: str) -> Path:
    """The first folder of the search path that holds `name` (packgen's when none does)."""
    found = find(search_path(own), name, "file")
    return found.parent if found is not None else PACKGEN_TEMPLATES


def find(folders: Sequence[Path], name: str, what: str = "template") -> Path | None:
    """The file `name` (a template, theme.yaml) in the first of `folders` that has it, or None. Something
    else under that name (a folder, a pipe, a link leading nowhere) is an error naming it: passed over,
    it would leave packgen's own file used while the user believes theirs is."""
    for folder in folders:
        path = Path(folder) / name
        if path.is_file():
            return path
        if path.is_symlink() or path.exists():
            problem = f"is {LINK_TO_NOTHING}" if not path.exists() else unreadable(path) or "is not a file"
            raise TemplateError(f"this {what} {problem}: make it a file, or take it away to use packgen's own", path)
    return None


class Loader(jinja2.FileSystemLoader):
    """Jinja's loader of template files from folders in turn, holding each name to `find`'s rule, and
    reading each as a source file is read: one that is not UTF-8 text, or holds a NUL, is named with its
    line in the same words."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = find([Path(folder) for folder in self.searchpath],
                    "/".join(jinja2.loaders.split_template_path(template)))
        try:
            text, filename, uptodate = super().get_source(environment, template)
        except UnicodeDecodeError:
            _read_as_source(path)
            raise
        if "\0" in text:  # UTF-8 all the same, but no text file holds one: left in, it is printed as U+FFFD
            _read_as_source(path)
        return text, filename, uptodate


def _read_as_source(path: Path | None) -> None:
    """Raise what reading `path` as a source file says of it (yamlio.read_text), as the template's error."""
    if path is not None:
        try:
            yamlio.read_text(path)
        except SourceError as exc:
            raise TemplateError(exc.message, exc.path, exc.line) from None


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def innermost(exc: BaseException, folders: Sequence[Path], name: str) -> tuple[Path, int | None]:
    """The template file and line an error was raised at: the innermost template frame of its
    traceback (Jinja names each frame after its template file), else `name` with no line."""
    tb = exc.__traceback__
    found: tuple[Path, int | None] = (folders[0] / name, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or any(filename.startswith(str(folder)) for folder in folders):
            found = (Path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found
