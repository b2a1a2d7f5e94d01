"""The words around the content (footer, page numbers, the DRAFT mark, month names, form hints...),
one labels file per language: `labels/<language>.yaml`.

A pack's language is a BCP 47 tag (pack.yaml's `language:`). Its labels file is looked up by the tag
itself, then by shorter tags, as RFC 4647's "Lookup" does (drop the last subtag, and a single-letter
subtag left at the end with it): en-GB-x-easy, then en-GB, then en. The pack folder's own `labels/`
is searched first, every tag of the list, then packgen's own (`packgen/templates/labels/`): a pack's
own `labels/en.yaml` wins over packgen's `en-GB.yaml` for a pack in en-GB. File names are matched
whatever their case, as tags are.

Every labels file gives every label packgen's own `en-GB.yaml` gives: a missing one is an error
listing all that are missing, bar the names of formats and variants (`fallback_labels`): packgen
gains formats, and a pack's own labels file written before one came would otherwise stop every
build. A missing name is packgen's English words, with a warning naming the label (so
`--strict` still stops the build until it is translated). A label in `DEFAULTED` may be missing too,
silently: packgen's is how every labels file wrote it before the label came, not English words, so a
file written before it goes on as it did.

A label packgen does not know is a warning, not an error: a pack's own templates may read labels
of their own (the web page templates get them all), and a misspelt one is caught anyway, as the
label it was meant to be is then missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from packgen import writers
from packgen.errors import SourceError
from packgen.sources import yamlio
from packgen.sources.names import VARIANTS
from packgen.sources.schema import load_checked
from packgen.template_folders import PACKGEN_TEMPLATES

LABELS_FOLDER = "labels"
SUFFIX = ".yaml"
OLD_FILE = "labels.yaml"  # where labels were kept before they were per language
REFERENCE_LANGUAGE = "en-GB"  # packgen's own labels, which name every label there is
# Labels whose words in packgen's own file are no language's words but the way packgen wrote them
# before the label came (long_date: day, month, year): a labels file without one takes packgen's, unsaid.
DEFAULTED = frozenset({"long_date"})


@dataclass(frozen=True)
class Labels:
    """One labels file, read and checked: its words by key, the line of each key, and its warnings."""

    path: Path
    words: dict[str, Any]
    lines: yamlio.Lines
    warnings: tuple[str, ...] = ()


def lookup_tags(language: str) -> list[str]:
    """The tags to look for, longest first: en-GB-x-easy -> en-GB-x-easy, en-GB, en (RFC 4647, 3.4)."""
    parts = language.split("-")
    tags = []
    while parts:
        tags.append("-".join(parts))
        parts = parts[:-1]
        if parts and len(parts[-1]) == 1:  # a singleton (x, u, t...) never ends a tag
            parts = parts[:-1]
    return tags


def folders(pack_root: Path) -> tuple[Path, ...]:
    """Where labels files are looked for, in order: the pack folder's own, then packgen's."""
    return (Path(pack_root) / LABELS_FOLDER, PACKGEN_TEMPLATES / LABELS_FOLDER)


def locate(language: str, pack_root: Path, line: int | None = None) -> Path:
    """The labels file for the language, or an error naming every file packgen looked for (at `line`
    of pack.yaml, which names the language)."""
    looked = []
    for folder in folders(pack_root):
        present = {p.name.lower(): p for p in folder.glob(f"*{SUFFIX}")} if folder.is_dir() else {}
        for tag in lookup_tags(language):
            name = tag + SUFFIX
            if name.lower() in present:
                return present[name.lower()]
            looked.append(str(folder / name))
    raise SourceError(f"there are no labels for the language '{language}' (the words around the content: "
                      f"footer, page numbers, month names...): packgen looked for {', '.join(looked)}; add "
                      f"{Path(pack_root) / LABELS_FOLDER / (language + SUFFIX)}, a copy of "
                      f"{reference_path()} in your language", Path(pack_root) / "pack.yaml", line)


def reference_path() -> Path:
    return PACKGEN_TEMPLATES / LABELS_FOLDER / (REFERENCE_LANGUAGE + SUFFIX)


def variant_name_label(variant: str) -> str:
    """The label naming a variant to readers: easy-read -> index_easy_read_name ("Easy read version")."""
    return f"index_{variant.replace('-', '_')}_name"


def fallback_labels() -> frozenset[str]:
    """The labels a pack's own file may lack: each format's name (its descriptor's label) and each variant's."""
    return frozenset({fmt.label for fmt in writers.formats().values()} | {variant_name_label(v) for v in VARIANTS})


def load(language: str, pack_root: Path, line: int | None = None) -> Labels:
    """The labels for a pack's language, checked against packgen's own (see the module's notes); `line`
    is pack.yaml's line naming the language."""
    labels = _read(locate(language, pack_root, line))
    reference = labels if labels.path == reference_path() else _read(reference_path())
    lacking = [key for key in reference.words if key not in labels.words]
    may_lack = fallback_labels()
    borrowed = {key: reference.words[key] for key in lacking if key in may_lack}
    defaulted = {key: reference.words[key] for key in lacking if key in DEFAULTED}
    missing = [key for key in lacking if key not in borrowed and key not in defaulted]
    if missing:
        raise SourceError(f"{len(missing)} label(s) missing: {', '.join(missing)} (add them, in this "
                          f"language; {reference.path} has every label, with its English words)", labels.path)
    said = tuple(f"{labels.path}: the label '{key}' is missing, so packgen's words '{words}' ({REFERENCE_LANGUAGE}) "
                 f"are shown: add it in this language" for key, words in borrowed.items())
    unknown = tuple(f"{labels.path}:{labels.lines.get((key,)) or 1}: the label '{key}' is not one packgen "
                    f"knows (check its spelling against {reference.path})"
                    for key in labels.words if key not in reference.words)
    return Labels(labels.path, {**labels.words, **borrowed, **defaulted}, labels.lines, said + unknown)


def old_place(templates: Path, labels: Labels) -> tuple[str, ...]:
    """A warning when a templates folder still holds a labels.yaml, where labels were once kept: its
    words are not read, and a comms officer who edits them would otherwise wonder why nothing changes."""
    old = Path(templates) / OLD_FILE
    if not old.is_file():
        return ()
    return (f"{old}: labels are no longer read from a templates folder: this pack's are {labels.path} "
            f"(move your words to {LABELS_FOLDER}/<language>{SUFFIX} beside pack.yaml)",)


def _read(path: Path) -> Labels:
    data, lines = load_checked(None, yamlio.read_text(path), path)
    if not isinstance(data, dict):
        raise SourceError("a labels file is a set of 'name: words' lines", path, 1)
    return Labels(path, {key: _spaced(words) for key, words in data.items()}, lines)


def _spaced(words: Any) -> Any:
    """A label's words with each tab a space, as packgen reads a tab in Markdown text. A tab in a label
    is a gap between words, typed or pasted from Word: no format gives it another meaning (a web page
    shows it as a space, and no font has a glyph to draw it in a PDF), and in a label's template syntax
    it is a space already."""
    if isinstance(words, str):
        return words.replace("\t", " ")
    if isinstance(words, list):
        return [_spaced(each) for each in words]
    return words


class Words(str):
    """A label's words that hold no template syntax: rendered, they are themselves."""

    def render(self, *_context: Any, **_values: Any) -> str:
        return str(self)


class _ByWords(jinja2.BaseLoader):
    """Gives a label's words as the template of that name: loaded through a loader, a label is kept
    compiled in the environment's bytecode cache (packgen.cache), as a template file is."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, None, Callable[[], bool]]:
        return template, None, lambda: True


def compiled(env: jinja2.Environment, words: str) -> jinja2.Template | Words:
    """A label ready to render in `env`: a template where its words hold template syntax ({{ }},
    {% %}, {# #}), else the words themselves. Most labels are plain words, and compiling a template
    costs a good part of a millisecond: a build renders every label of every document, so a template
    compiled once is taken from the environment's bytecode cache by the builds after."""
    markers = (env.variable_start_string, env.block_start_string, env.comment_start_string)
    if not any(marker in words for marker in markers):
        return Words(words)
    if env.bytecode_cache is None:
        return env.from_string(words)
    return env.overlay(loader=_ByWords(), cache_size=0).get_template(words)
