"""A build: read and compose the sources, plan the files, run the jobs that changed, record the folder.

Rendering Jinja and parsing Markdown for the whole pack is quick, so every build composes every
document it is asked for; the plan then keys each file by a digest of what it is made from, and a
file whose digest is recorded is kept as it is. The manifest is written last, so it is always true
of the folder.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from packgen import branding, language, picture_sizes, readability, writers
from packgen import cache as disk_cache
from packgen.compose import compose
from packgen.errors import PackgenError, RenderError, RenderWarning, SourceError
from packgen.model import Document
from packgen.pack import MEMORY_MB, manifest
from packgen.pack.files import absent_folders, check_places, clear_leftovers, make_folder, remove_empty
from packgen.pack.jobs import Job, check_document
from packgen.pack.plan import document_digest, not_offered, plan, workers_within
from packgen.pack.record import Record
from packgen.pack.run import Run, default_jobs, workers
from packgen.readability import Readability
from packgen.sources.loader import Pack, Parsed, load_pack
from packgen.sources.names import VARIANTS
from packgen.sources.todos import easy_read_todos
from packgen.templating import Renderer
from packgen.theme import Theme

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildOptions:
    sources: Path = Path("sources")
    templates: Path = Path("templates")
    out: Path = Path("build")
    documents: tuple[str, ...] | None = None  # None: every document pack.yaml lists
    variants: tuple[str, ...] = VARIANTS
    formats: tuple[str, ...] | None = None  # None: the default formats and those pack.yaml's `formats` lists
    force: bool = False
    strict: bool = False  # warnings (e.g. a long easy-read sentence) stop the build
    assemble: bool = False  # also the pack's own files: thumbnails, combined PDFs, zip, download page
    jobs: int | None = None  # worker processes (None: one per core, at most 4); 1 writes everything in this process
    # The most the build's processes hold at once: fewer workers than `jobs` when they would hold more,
    # and a document that would take more written on every worker at once is written alone.
    memory_mb: int = MEMORY_MB


@dataclass
class BuildReport:
    built: list[manifest.Output] = field(default_factory=list)
    unchanged: list[manifest.Output] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    readability: list[Readability] = field(default_factory=list)
    seconds: float = 0.0


def build(options: BuildOptions, progress: Progress | None = None, parsed: Parsed | None = None) -> BuildReport:
    """Build what the options ask for into options.out; return what was built and what was kept.

    `parsed` is for a resident process: the sources it holds as last read (load_pack)."""
    started = time.perf_counter()
    say = progress or _quiet
    report = BuildReport()
    pack, theme, renderer, documents = _compose(options, parsed)
    formats = writers.with_parts(options.formats) if options.formats else writers.offered(pack.meta.formats)
    _stop_if_lacking(pack, options)
    _warnings(pack, theme, renderer, documents, formats, options, report, say)
    processes = _workers(options, say)
    jobs = plan(pack, renderer, theme, documents, formats, options.out, options.assemble, processes,
                options.memory_mb)
    record = Record(options.out)
    made = {} if options.force else {job.path: kept for job in jobs if (kept := record.kept(job)) is not None}
    todo = [job for job in jobs if job.path not in made]
    _check_labels(todo, pack, renderer)
    places = [*(job.path for job in todo), *record.own_files]
    check_places(options.out, places)
    fresh = absent_folders(options.out, places)
    first_record = not record.exists
    # The folder is made only once the sources have loaded, the plan is known and its labels have
    # words: a build that stops on a source mistake leaves --out as it was.
    make_folder(options.out, "the pack's files go in a folder")
    clear_leftovers(options.out)
    _say_alone(todo, pack, options, say)
    _say_reduced(todo, documents, theme, formats, say)
    record.replacing((job.path for job in todo), pack.meta, list(pack.documents))
    try:
        _run(todo, made, documents, pack, renderer, theme, options, processes, report, say)
    except BaseException:
        record.entries.update(made)  # every file made so far, even if the build stops here
        if record.entries or not first_record:
            record.save()
        remove_empty(fresh)  # a build that stopped before its first file leaves --out as it was
        raise
    record.entries.update(made)
    record.save()
    built = {job.path for job in todo}
    for job in jobs:
        (report.built if job.path in built else report.unchanged).append(manifest.Output.from_json(made[job.path]))
    if options.assemble:
        record.remove_all_but((job.path for job in jobs), say)
        record.save()
    record.write_manifest(pack.meta, list(pack.documents))
    report.seconds = time.perf_counter() - started
    return report


def _workers(options: BuildOptions, say: Progress) -> int:
    """How many workers write: those asked for (one per core by default) that the memory allows; a
    number asked for that the memory does not allow is said."""
    asked = options.jobs or default_jobs()
    allowed = workers_within(asked, options.memory_mb)
    if options.jobs and allowed < options.jobs:
        say(f"writing {'one file at a time' if allowed == 1 else f'{allowed} files at a time'}, not "
            f"{options.jobs}: {options.jobs} side by side would take more than the {options.memory_mb} MB "
            f"allowed (--memory)")
    return allowed


def _run(todo: list[Job], made: dict[str, dict], documents: list[Document], pack: Pack, renderer: Renderer,
         theme: Theme, options: BuildOptions, processes: int, report: BuildReport, say: Progress) -> None:
    """Make the jobs on `processes` workers; this process measures readability while the workers write."""
    # Workers start only when one has something to write: a build with nothing changed forks none.
    needs_pool = any(not (job.here or job.alone) for job in todo)
    with workers(processes if needs_pool else 1) as pool:
        run = Run(options.out, todo, made, pool, say, processes, lambda note, job: _where(note, pack, job.document))
        if not options.strict:  # measured before anything was written when strict (see _warnings)
            _readability(documents, pack, theme, options.strict, report, say)
        try:
            run.wait()
        except RenderError as exc:
            raise _placed(exc, pack, renderer, run.failed.document if run.failed else None) from None
        finally:
            report.warnings.extend(run.warnings)


def _check_labels(todo: list[Job], pack: Pack, renderer: Renderer) -> None:
    """Stop before anything is written when a file to make would show a label without words."""
    for job in todo:
        try:
            check_document(job)
        except RenderError as exc:
            raise _placed(exc, pack, renderer, job.document) from None


def _placed(exc: RenderError, pack: Pack, renderer: Renderer, document: str | None) -> RenderError:
    """The writer's error at the place its mistake was written, which the writer, reading only the
    model, cannot say: the labels file at the line of the label it blames, or the source that holds
    the words it could not draw (the error as it is when neither is known)."""
    if exc.path is not None:
        return exc
    if _in_the_label(exc, renderer):
        file, line = renderer.label_source.path, renderer.label_source.lines.get((exc.labels[0],))
    elif exc.text:  # the words it could not draw; in a label, what the label printed
        file, line = pack.locate(exc.text, document, exc.char)
    else:
        return exc
    return exc if file is None else RenderError(exc.message, file, line)


def _where(note: RenderWarning, pack: Pack, document: str) -> str:
    """Where the words a writer warned of were written, as the start of its line ("" when not found)."""
    file, line = pack.locate(note.text, document, note.char)
    return f"{file}:{line}: " if file and line else f"{file}: " if file else ""


def _in_the_label(exc: RenderError, renderer: Renderer) -> bool:
    """Whether the mistake is in the words of the label the error blames: it is, unless the character
    no font has is not among them, and so came from a value the label printed ({{ pack.version }})."""
    if not exc.labels:
        return False
    written = renderer.label_source.words.get(exc.labels[0])
    return not (exc.char and isinstance(written, str) and exc.char not in written)


def _warnings(pack: Pack, theme: Theme, renderer: Renderer, documents: list[Document], formats: tuple[str, ...],
              options: BuildOptions, report: BuildReport, say: Progress) -> None:
    """What the brand, the sources and the options give warning of before anything is written; when
    strict, a warning of the templates or of readability stops the build here."""
    found = _template_warnings(pack, renderer, options)
    for line in [*theme.brand_warnings, *found]:
        report.warnings.append(line)
        say(f"warning: {line}")
    if options.strict and found:
        raise SourceError(f"{len(found)} warning(s) and --strict is on; the first: {found[0]}")
    if options.strict:
        _readability(documents, pack, theme, options.strict, report, say)
    for line in [*(() if options.formats else writers.left_out(pack.meta.formats)), *not_offered(documents, formats)]:
        report.warnings.append(line)
        say(f"warning: {line}")


def _stop_if_lacking(pack: Pack, options: BuildOptions) -> None:
    """A format asked for by name (--format, or pack.yaml's `formats:`) that this machine cannot write
    stops the build before anything is written, saying what to install."""
    for name in options.formats or pack.meta.formats:
        if not (lacking := writers.get(name).lacks()):
            continue
        if options.formats:
            raise PackgenError(f"--format {name}: {lacking}")
        line = next((o.line for o in pack.origins.entries if o.loc[:1] == ("formats",) and o.text == name), None)
        raise SourceError(f"formats: lists {name}, but {lacking}", pack.pack_file, line)


def _compose(options: BuildOptions, parsed: Parsed | None) -> tuple[Pack, Theme, Renderer, list[Document]]:
    """The sources, read and checked, and one Document per document and variant asked for."""
    pack = load_pack(options.sources, parsed)
    theme = branding.theme_for(pack, options.templates)
    renderer = Renderer(pack, options.templates)
    documents = [compose(pack, renderer, doc_id, variant, theme)
                 for doc_id in pack.pick(options.documents) for variant in options.variants]
    return pack, theme, renderer, documents


def _template_warnings(pack: Pack, renderer: Renderer, options: BuildOptions) -> list[str]:
    """Each source section no template read (its words would be dropped without a word), each label
    packgen does not know, each bold easy-read word no hard word explains and each easy-read version
    still to be written."""
    picked = pack.pick(options.documents)
    return [*renderer.label_warnings, *renderer.unused_sections(picked), *renderer.unexplained_bold_words(picked),
            *easy_read_todos((s for doc_id in picked for s in pack.documents[doc_id].sections), pack.pictures_dir)]


def _say_alone(todo: list[Job], pack: Pack, options: BuildOptions, say: Progress) -> None:
    alone = sorted({job.document for job in todo if job.alone}, key=list(pack.documents).index)
    if alone:
        say(f"writing {', '.join(alone)} one file at a time: writing them beside others would take more "
            f"than the {options.memory_mb} MB allowed (--memory)")


def _say_reduced(todo: list[Job], documents: list[Document], theme: Theme, formats: tuple[str, ...],
                 say: Progress) -> None:
    """A line for each photo stored smaller than taken, in the documents being written now."""
    writing = {(job.document, job.variant) for job in todo}
    for line in picture_sizes.reductions([d for d in documents if (d.id, d.variant) in writing], theme,
                                         formats):
        say(line)


def _quiet(_message: str) -> None:
    pass


def _readability(documents: list[Document], pack: Pack, theme: Theme, strict: bool, report: BuildReport,
                 say: Progress) -> None:
    """Measure each easy-read document and warn; when strict, stop at the first warning.

    Figures measured without warnings are kept in the per-user cache (packgen.cache), named by the
    document's digest, the rules and textstat's version, since loading textstat's dictionaries is a
    good part of a small rebuild. A result with warnings is never kept: a warning names a source
    line, which other edits may move, so it is given every time.
    """
    if not language.is_english(pack.meta.language):
        if any(theme.variant(document.variant).readability for document in documents):
            say(f"readability: not measured: the easy-read readability gate applies to English text, and this "
                f"pack's language is {pack.meta.language}")
        return
    contact = pack.meta.contact
    skip = tuple(v for v in (contact.email, contact.telephone, contact.website, contact.address) if v)
    for document in documents:
        rules = theme.variant(document.variant).readability
        if rules is None:
            continue
        name = disk_cache.key("readability", document_digest(document, theme), repr(rules), repr(skip),
                              readability.library_versions())
        kept = disk_cache.read("readability", name)
        if kept is not None:
            figures = json.loads(kept)
            report.readability.append(Readability(**{**figures, "longest": tuple(figures["longest"])}))
            continue
        figures = readability.measure(document, rules.max_sentence_words, skip)
        report.readability.append(figures)
        say(f"readability {document.variant}/{document.id}: {figures.sentences} sentences, longest "
            f"{figures.longest_words} words, {figures.share_short:.0%} of {rules.max_sentence_words} words or "
            f"fewer, Flesch reading ease {figures.reading_ease:.0f}")
        warnings = readability.warnings_for(document, figures, rules.max_sentence_words, rules.min_reading_ease,
                                            pack.locate, skip)
        for warning in warnings:
            report.warnings.append(str(warning))
            say(f"warning: {warning}")
        if not warnings:
            disk_cache.write("readability", name, json.dumps(asdict(figures)).encode())
    if strict and report.warnings:
        raise SourceError(f"{len(report.warnings)} warning(s) and --strict is on; the first: {report.warnings[0]}")
