"""`packgen check`: the accessibility checker for the formats packgen writes, whoever made the files.

Comms staff edit sources and templates; this is what tells them, file by file and in plain words,
when an edit broke accessibility, and where to fix it. Which files are packgen's formats is the
writers' registry (packgen.writers.formats()); the checker keeps its own rules per format, a module
each (docx, pdf, html, epub, brf, audio with its transcript; easy_read holds the rules shared by the
easy-read variants, text_size the smallest text of every variant), and every rule returns the same
Finding, so one report serves them all. A file of a format it has no rules for is named in one line
saying so, never passed in silence.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from packgen.check.context import FileContext, make_context
from packgen.check.findings import STOPPED, Finding, error, has_errors, info, stopped_reading
from packgen.named_files import LINK_TO_FOLDER, PIPE, not_a_file, what_is_at, within
from packgen.sandbox import Sandbox

# The checker's rules for each format, by the format's name in packgen.writers.formats().
RULES_BY_FORMAT = {"docx": "packgen.check.docx:check_docx", "pdf": "packgen.check.pdf:check_pdf",
                   "html": "packgen.check.html:check_html", "epub": "packgen.check.epub:check_epub",
                   "brf": "packgen.check.brf:check_brf",
                   "audio": "packgen.check.audio:check_audio",
                   "transcript": "packgen.check.audio:check_transcript"}
OTHER_SUFFIXES = {".htm": "html"}  # what other programs also call a format's files
# How much memory and time reading one file may take: packgen's own files need a small part of either.
MEMORY_MB = 1024
SECONDS = 120.0

__all__ = ["CheckUsageError", "Finding", "Found", "check_found", "check_paths", "collect_files", "described_suffixes",
           "find", "has_errors"]


class CheckUsageError(Exception):
    """The check could not run at all (no such path, nothing to check): exit status 2."""


def suffixes() -> dict[str, str]:
    """Each file suffix of a format packgen writes (lower case, with its dot) -> the format's name."""
    from packgen.writers import formats

    found = {fmt.suffix.lower(): name for name, fmt in formats().items() if fmt.suffix}
    return {**found, **{s: name for s, name in OTHER_SUFFIXES.items() if name in found.values()}}


def format_of(path: Path) -> str | None:
    """The name of the format a file is, by its suffix, or None when it is not one packgen writes."""
    return suffixes().get(path.suffix.lower())


def described_suffixes() -> str:
    """The suffixes packgen checks, for messages: ".docx, .pdf or .html"."""
    known = list(dict.fromkeys(s for s, name in suffixes().items() if s not in OTHER_SUFFIXES))
    return ", ".join(known[:-1]) + " or " + known[-1] if len(known) > 1 else "".join(known)


def collect_files(paths: Sequence[Path | str]) -> list[Path]:
    """Every file of a format packgen writes named, or found under the named folders, in a stable order.

    Names starting with '.' are skipped: they are temporary files of an unfinished build or hidden
    folders such as .git. A pipe or a device, or a link that leads nowhere, named like one of those
    files is found too, and so is a link to a folder outside the named one (check_paths names each
    without opening or following it); a pipe named on its own is a CheckUsageError.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise CheckUsageError(f"{path}: no such file or folder")
        if path.is_dir():
            found = []
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                # a link to a folder is not followed (os.walk does not go in, and packgen register does
                # not either: it could lead anywhere, or round in a loop), so it is kept to be named with
                # the files in it unchecked; one that leads inside this folder is passed over, as its
                # files are checked under their own names
                found.extend(Path(folder) / d for d in dirs
                             if (Path(folder) / d).is_symlink() and not within(Path(folder) / d, path))
                # a pipe, a device or a link that leads nowhere named like a PDF is kept too, to be named
                # in its finding and never opened (opening a pipe would wait for ever)
                found.extend(Path(folder) / name for name in names
                             if not name.startswith(".") and format_of(Path(name)) is not None)
            files.extend(sorted(found))
        elif format_of(path) is not None:
            if not_a_file(path) is not None:
                raise CheckUsageError(f"{path}: not a file to read ({PIPE})")
            files.append(path)
        else:
            raise CheckUsageError(f"{path}: not a {described_suffixes()} file")
    # a file found under two names is checked once, under its own name rather than a link's when both
    # are found: that is the file to fix
    kept: dict[Path, Path] = {}
    for f in files:
        key = _leads_to(f)
        if key not in kept or (kept[key].is_symlink() and not f.is_symlink()):
            kept[key] = f
    return list(kept.values())


def _leads_to(path: Path) -> Path:
    """The file ``path`` is, every link followed: two names for one file lead to the same."""
    try:
        return path.resolve()
    except RuntimeError:  # a link in a loop leads to no file another name could share
        return path.absolute()


def _label(path: Path) -> str:
    """The name a finding gives ``path``: the one it was named or found by, from the current folder
    when it is in it. A link is named itself, never where it leads: that is the name the user knows
    it by, in the folder they checked."""
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _checker(kind: str) -> Callable[[FileContext], list[Finding]] | None:
    """The rules for a format, imported on first use (each module brings its own libraries)."""
    where = RULES_BY_FORMAT.get(kind)
    if where is None:
        return None
    module, function = where.split(":")
    return getattr(import_module(module), function)


def check_file(path: Path) -> list[Finding]:
    """One file's findings; whatever goes wrong inside a checker becomes a finding, never a traceback."""
    kind = format_of(path)
    ctx = make_context(path, _label(path))
    checker = _checker(kind) if kind is not None else None
    if checker is None:
        return [info("format-unchecked", ctx.label, "whole file",
                     f"not checked: packgen check has no rules for {path.suffix.lower() or path.name} files")]
    if path.stat().st_size == 0:
        return [error(f"{kind}-parse", ctx.label, "whole file", "The file is empty (0 bytes): there is nothing "
                      "in it to read.", "Rebuild it with 'make' (a build that was stopped can leave an empty "
                      "file).")]
    try:
        return checker(ctx)
    except MemoryError:
        raise  # the sandbox (check_paths) says how much memory the file needed
    except Exception as exc:  # noqa: BLE001 - a hostile file must never stop the whole check
        return [error(f"{kind}-parse", ctx.label, "whole file",
                      f"The checker could not read this file ({type(exc).__name__}: {exc}).",
                      "Rebuild it with 'make'; if it still fails, report it with the file attached.")]


@dataclass(frozen=True)
class FileReading:
    """What reading one file found: its findings, its title when asked for (for same_titles), and who
    made it (for advise)."""

    findings: list[Finding]
    made: tuple[bool, str]
    title: str = ""


NOT_A_FILE = "format-not-a-file"


def _unreadable(findings: Iterable[Finding]) -> bool:
    """Its checks say the file cannot be read, so no other validator is handed it."""
    return any((f.rule.endswith("-parse") or f.rule == STOPPED) and f.severity == "error" for f in findings)


def read_file(item: tuple[Path, bool]) -> FileReading:
    """One file's findings, with its title when ``item`` asks for it; run inside the sandbox."""
    from packgen.check.advice import who_made
    from packgen.check.titles import title_of
    from packgen.made_by import made_by_packgen

    path, titled = item
    found = check_file(path)
    if _unreadable(found):  # only its manifest can say who made it
        return FileReading(found, (made_by_packgen(path, ""), ""))
    return FileReading(found, who_made(path), title_of(path) if titled else "")


def _stopped(path: Path, problem: str) -> FileReading:
    """The finding for a file the sandbox stopped reading (too big, too slow, or it crashed the reader)."""
    from packgen.made_by import made_by_packgen

    return FileReading([stopped_reading(_label(path), problem)], (made_by_packgen(path, ""), ""))


def _not_a_file(path: Path, what: str) -> Finding:
    """The finding for ``what`` (what_is_at) found where a file of a format packgen writes should be, or a
    link to a folder found in a folder checked; it is never opened, as opening a pipe waits for a writer
    that may never come, nor followed. A link is named itself, not where it leads."""
    if what == LINK_TO_FOLDER:
        return error(NOT_A_FILE, _label(path), "whole file",
                     f"This is {what}: not followed, so no file in it is checked.",
                     "Check the folder it leads to by naming it (packgen check FOLDER), or put the folder "
                     "itself here.")
    return error(NOT_A_FILE, _label(path), "whole file", f"This is {what}, not a file: not read.",
                 "Put the file itself here, or check the folder without it.")


@dataclass(frozen=True)
class Found:
    """What the walk of the paths named found (collect_files), each with what is there (what_is_at): the
    one list both the check and its count of files read from."""

    there: dict[Path, str | None]

    @property
    def files(self) -> list[Path]:
        """The files to read: ordinary files and links to them."""
        return [f for f, what in self.there.items() if what is None]

    @property
    def counted(self) -> int:
        """How many files the summary says were checked: a pipe or a link that leads nowhere stands
        where a file should be, so it is one; a link to a folder is not, as no file of it is read."""
        return sum(1 for what in self.there.values() if what != LINK_TO_FOLDER)


def find(paths: Sequence[Path | str]) -> Found:
    """Walk ``paths`` once (collect_files), saying what is at each name found."""
    return Found({f: what_is_at(f) for f in collect_files(paths)})


def check_paths(paths: Iterable[Path | str], axe: bool | None = None, verapdf: bool | None = None,
                ace: bool | None = None, memory_mb: int = MEMORY_MB, seconds: float = SECONDS) -> list[Finding]:
    """Check every file named or found under ``paths``; raises CheckUsageError when it cannot run.
    check_found says how."""
    return check_found(find(list(paths)), axe, verapdf, ace, memory_mb, seconds)


def check_found(found: Found, axe: bool | None = None, verapdf: bool | None = None, ace: bool | None = None,
                memory_mb: int = MEMORY_MB, seconds: float = SECONDS) -> list[Finding]:
    """Check every file ``found`` (find), and name what stands where a file should be.

    Each file is read in a child process bounded by ``memory_mb`` and ``seconds`` (packgen.sandbox):
    a file that is a decompression bomb, or loops or crashes a parser, costs one finding, never the
    machine or the check. ``axe``: None runs axe-core on the HTML files when Chromium and the node
    packages are here (else one info finding says so); False never runs it (fast, for tests and quick
    checks). ``verapdf`` likewise for veraPDF on the PDFs, and ``ace`` for Ace by DAISY on the e-books.
    Each is handed only the files packgen's own reader could read: the finding that a file could not be
    read is its one line, and a browser given a binary file or a bomb would spend its time and memory
    reporting the wreck of it. The validators' memory is held to ``memory_mb`` too (Java's and node's own
    limits, and the browsers' whole processes for axe-core and Ace); a file one cannot check within it is one
    format-stopped finding.
    """
    files = found.files
    not_files = [_not_a_file(f, what) for f, what in found.there.items() if what is not None]
    for kind in {format_of(f) for f in files} - {None}:  # imported here: each reading process starts with them
        _checker(kind)
    from packgen.check.advice import advise
    from packgen.check.titles import same_titles, shares_a_name
    from packgen.pack.run import default_jobs  # the cores this process may use, as for a build

    titled = shares_a_name(files)
    readings: dict[int, FileReading] = {}
    sandbox = Sandbox(read_file, workers=min(default_jobs(), len(files) or 1), seconds=seconds, memory_mb=memory_mb)
    for index, (path, _titled), outcome in sandbox.map([(f, f in titled) for f in files]):
        readings[index] = outcome.result if outcome.ok and outcome.result is not None else \
            _stopped(path, outcome.problem)
    read = {path: readings[i] for i, path in enumerate(files)}
    findings = [*not_files, *(finding for reading in read.values() for finding in reading.findings)]
    unreadable = {path for path, reading in read.items() if _unreadable(reading.findings)}
    findings.extend(same_titles({path: read[path].title for path in files if path in titled}, _label))

    def readable(kind: str) -> list[Path]:
        return [f for f in files if format_of(f) == kind and f not in unreadable]

    html_files = readable("html")
    if html_files and axe is not False:
        from packgen.check.axe import run_axe
        findings.extend(run_axe([make_context(f, _label(f)) for f in html_files], memory_mb))
    pdf_files = readable("pdf")
    if pdf_files and verapdf is not False:
        from packgen.check.verapdf import run_verapdf
        findings.extend(run_verapdf([make_context(f, _label(f)) for f in pdf_files], memory_mb))
    epub_files = readable("epub")
    if epub_files and ace is not False:
        from packgen.check.ace import run_ace
        findings.extend(run_ace([make_context(f, _label(f)) for f in epub_files], memory_mb))
    return advise(findings, {_label(path): reading.made for path, reading in read.items()})
