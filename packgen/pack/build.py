"""The build: every document x variant x format, rebuilt only when what it is made from changed.

Deciding what to rebuild from file dates would need every template include and picture tracked by
hand. Instead each output is keyed by a digest of exactly what its writer reads: the composed
Document (rendering Jinja and parsing Markdown for the whole pack takes milliseconds), the theme,
the pictures' bytes and the writer's own code. Same digest, same file: the writer is skipped.
The manifest is written last, so it is always true of the folder.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import packgen
from packgen import cache as disk_cache
from packgen import readability, writers
from packgen.compose import compose
from packgen.errors import SourceError
from packgen.model import Document, Figure, PictureRow, walk
from packgen.pack import manifest, memory, prefetch, warmup, workers
from packgen.pack.outputs import clear_leftovers, read_state, sha256_of, write_bytes_atomic, write_output, write_state
from packgen.readability import Readability
from packgen.sources.loader import Pack, load_pack
from packgen.sources.names import DOCUMENT_IDS, VARIANTS
from packgen.templating import Renderer
from packgen.theme import Theme, load_theme

if TYPE_CHECKING:
    from packgen.pack.assemble import Assembly

STATE_FILE = ".packgen-state.json"


@dataclass(frozen=True)
class BuildOptions:
    sources: Path = Path("sources")
    templates: Path = Path("templates")
    out: Path = Path("build")
    documents: tuple[str, ...] = DOCUMENT_IDS
    variants: tuple[str, ...] = VARIANTS
    formats: tuple[str, ...] = writers.names()
    force: bool = False
    strict: bool = False  # warnings (e.g. a long easy-read sentence) stop the build
    assemble: bool = False  # also the download page, combined PDFs and zip (a whole-pack build)
    memory_mb: int = 200  # more than this estimated for writing side by side: one document at a time


@dataclass
class BuildReport:
    built: list[manifest.Output] = field(default_factory=list)
    unchanged: list[manifest.Output] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    readability: list[Readability] = field(default_factory=list)
    seconds: float = 0.0


Progress = Callable[[str], None]


def build(options: BuildOptions, progress: Progress | None = None,
          lanes: workers.Lanes | None = None) -> BuildReport:
    """Build what the options ask for into options.out; return what was built and what was kept.

    Writing is spread over worker lanes: pass lanes from packgen.pack.warmup.start_lanes (the
    command line starts them before importing this module), or the build starts and ends its own.
    """
    if lanes is None:
        own = warmup.start_lanes(options.templates, options.formats, options.assemble)
        try:
            return _build(options, progress, own)
        finally:
            if own is not None:
                own.close()
    return _build(options, progress, lanes)


def _build(options: BuildOptions, progress: Progress | None, lanes: workers.Lanes | None) -> BuildReport:
    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    out = options.out
    out.mkdir(parents=True, exist_ok=True)
    clear_leftovers(out)

    state = read_state(out / STATE_FILE)
    pack = load_pack(options.sources)
    if lanes is not None and _first_pdfs(options, state):
        lanes.give(prefetch.picture_tasks(pack.pictures(options.documents), lanes.count))
    theme = load_theme(options.templates)
    renderer = Renderer(pack, options.templates)
    report = BuildReport()

    documents = [compose(pack, renderer, doc_id, variant)
                 for doc_id in options.documents for variant in options.variants]
    # What each document's outputs are made from (see _document_digest): one digest per document,
    # for deciding what to rebuild and for naming its readability figures.
    bases = {id(document): _document_digest(document, theme) for document in documents}
    if options.strict:  # a warning stops the build: measure before anything is written
        _readability_gate(documents, bases, pack, theme, options, report, say)

    def meanwhile() -> None:
        """The parent's work while the lanes write: it changes no output, so it need not come first."""
        if options.assemble:  # before the first file lands, when planning the pack's files needs it
            import packgen.pack.assemble  # noqa: F401
        if not options.strict:
            _readability_gate(documents, bases, pack, theme, options, report, say)

    jobs: list[tuple[str, Document, Path, str]] = []  # (format, document, target, digest)
    for document in documents:
        base = bases[id(document)]
        for fmt in options.formats:
            rel = f"{document.variant}/{document.id}.{fmt}"
            target = out / rel
            digest = hashlib.sha256(f"{base}:{fmt}:{_code_digest(fmt)}:{_writer_templates_digest(fmt, theme)}"
                                    .encode()).hexdigest()
            known = state.get(rel)
            if (not options.force and known and known.get("digest") == digest and target.is_file()
                    and target.stat().st_size == known.get("bytes")):
                report.unchanged.append(manifest.Output.from_json(known))
            else:
                jobs.append((fmt, document, target, digest))

    if jobs:
        # Before replacing anything, shrink the manifest to what stays as it is, so that at every moment
        # (even if the build is killed) it lists only files that are exactly as it says.
        changing = {target.relative_to(out).as_posix() for _, _, target, _ in jobs}
        for rel in changing:
            state.pop(rel, None)
        write_state(out / STATE_FILE, state)
        if (out / manifest.MANIFEST).exists():
            write_bytes_atomic(out / manifest.MANIFEST, manifest.render(pack.meta, _all_outputs(state, out)))

    shapes = {id(document): _shape(document) for document in documents}
    between = None
    if lanes is not None and jobs:
        need = memory.side_by_side_mb(sum(blocks for blocks, _ in shapes.values()),
                                      [(fmt, shapes[id(document)][0]) for fmt, document, _, _ in jobs], lanes.count)
        if need > options.memory_mb:
            say(f"writing one document at a time: side by side would take about {need:.0f} MB, "
                f"more than the {options.memory_mb} MB allowed (--memory)")
            lanes.close()  # their memory is given back before this process starts writing
            lanes = None
            between = memory.give_back
    job_of = {target: (fmt, document, digest) for fmt, document, target, digest in jobs}
    assembly: Assembly | None = None

    def start_assembly() -> Assembly:
        """The pack's own files, planned from the document files final so far (and those to come)."""
        from packgen.pack.assemble import Assembly  # light: the lanes import what making the files needs

        coming = [(document.id, document.variant, fmt) for target, (fmt, document, _) in job_of.items()
                  if target.relative_to(out).as_posix() not in state]
        return Assembly(pack, renderer, theme, out, documents, say, list(_all_outputs(state, out)), coming)

    def then(key: Hashable, result: Any) -> list[workers.Task]:
        """Record a finished file at once; return the pack's files it lets start (a whole-pack build)."""
        nonlocal assembly
        if key not in job_of:
            assert assembly is not None
            return assembly.made(key, result)
        fmt, document, digest = job_of[key]
        pages, seconds = result
        rel = key.relative_to(out).as_posix()
        entry = manifest.Output(document=document.id, variant=document.variant, format=fmt, path=rel,
                                bytes=key.stat().st_size, sha256=sha256_of(key), pages=pages)
        state[rel] = {**entry.to_json(), "digest": digest}
        report.built.append(entry)
        say(f"built {rel}" + (f" ({pages} pages)" if pages else "") + f" in {seconds:.2f}s")
        if not options.assemble:
            return []
        if assembly is None:
            assembly = start_assembly()
            return assembly.ready()
        return assembly.ready(entry)

    try:
        workers.run([_write_task(fmt, document, target, theme, *shapes[id(document)])
                     for fmt, document, target, _ in jobs], lanes, meanwhile, between, then)
        if options.assemble and assembly is None:  # nothing was written: the pack's files may all be kept
            assembly = start_assembly()
            workers.run(assembly.ready(), lanes, between=between, then=then)
    finally:
        write_state(out / STATE_FILE, state)  # every file written so far, even if the build stops here
    outputs = list(_all_outputs(state, out))
    if assembly is not None:
        outputs.extend(assembly.finish())
    write_bytes_atomic(out / manifest.MANIFEST, manifest.render(pack.meta, outputs))
    report.seconds = time.perf_counter() - started
    return report


def _first_pdfs(options: BuildOptions, state: dict[str, dict]) -> bool:
    """Whether the build makes PDFs none of which this folder had: a first or clean build, when the
    pictures they draw may never have been prepared. (A rebuild rarely meets a new picture, and its
    lanes are not idle long enough for preparing ahead to pay: its writer prepares it.)"""
    wanted = {f"{variant}/{doc_id}.pdf" for doc_id in options.documents for variant in options.variants}
    return "pdf" in options.formats and disk_cache.folder() is not None and not wanted & state.keys()


def _shape(document: Document) -> tuple[int, bool]:
    """How many blocks the document has, and whether any is a picture: what its writing costs."""
    size, pictures = 0, False
    for block in walk(document.blocks):
        size += 1
        pictures = pictures or isinstance(block, Figure | PictureRow)
    return size, pictures


def _write_task(fmt: str, document: Document, target: Path, theme: Theme, size: int, pictures: bool
                ) -> workers.Task:
    # Rough relative costs, measured on the shipped pack: a PDF page takes several times a Word
    # page, a web page a fraction of one; a pictogram costs about as much as five paragraphs.
    cost = (size + (5 * size if pictures else 0)) * {"pdf": 4.0, "docx": 1.0}.get(fmt, 0.3)
    return workers.Task(target, write_output, (fmt, document, theme, target), cost, fmt if pictures else None)


def _readability_gate(documents: list[Document], bases: dict[int, str], pack: Pack, theme: Theme,
                      options: BuildOptions, report: BuildReport, say: Progress) -> None:
    """Measure each easy-read document and warn; with --strict, stop (called before anything is written).

    Figures for a document measured before without warnings are kept in the per-user cache
    (packgen.cache), named by the document's digest, the rules and textstat's version: measuring means loading
    textstat's dictionaries, a good part of a one-paragraph rebuild and, after `make clean`, of a
    whole build. A result with warnings is never kept, so its warnings are given every time.
    """
    contact = pack.meta.contact
    skip = tuple(v for v in (contact.email, contact.telephone, contact.website, contact.address) if v)
    for document in documents:
        rules = theme.variant(document.variant).readability
        if rules is None:
            continue
        name = disk_cache.key("readability", bases[id(document)], repr(rules), repr(skip),
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
        # Only a clean result is kept: a warning names a source line, which other edits may move.
        if not warnings:
            disk_cache.write("readability", name, json.dumps(asdict(figures)).encode())
    if options.strict and report.warnings:
        raise SourceError(f"{len(report.warnings)} warning(s) and --strict is on; the first: {report.warnings[0]}")


def _document_digest(document: Document, theme: Theme) -> str:
    digest = hashlib.sha256()
    digest.update(repr(document).encode())
    digest.update(repr(sorted(document.labels.items())).encode())
    digest.update(theme.path.read_bytes())
    for block in walk(document.blocks):
        if isinstance(block, Figure | PictureRow):
            digest.update(_file_digest(block.picture.path).encode())
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    stat = path.stat()
    return _digest_of(path, stat.st_mtime_ns, stat.st_size)


@cache
def _digest_of(path: Path, mtime_ns: int, size: int) -> str:
    """Cached by path, time and size: a picture used on many pages is hashed once, an edited one again."""
    return sha256_of(path)


@cache
def _code_digest(fmt: str) -> str:
    """A digest of packgen's own code and version, so upgrading packgen rebuilds what it affects."""
    root = Path(packgen.__file__).parent
    shared = [p for p in root.glob("*.py")] + list((root / "writers").glob("*.py"))
    own = list((root / "writers" / fmt).rglob("*.py")) + list((root / "writers").glob(f"{fmt}.py"))
    paths = sorted(set(shared + own))
    return disk_cache.key([p.name for p in paths], disk_cache.code_version(*paths))


def _writer_templates_digest(fmt: str, theme: Theme) -> str:
    """A digest of a writer's own templates (templates/html/ for HTML), so editing them rebuilds its pages."""
    folder = theme.path.parent / fmt
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(_file_digest(path).encode())
    return digest.hexdigest()


def _all_outputs(state: dict[str, dict], out: Path) -> Iterable[manifest.Output]:
    """Every recorded output still on disk, in a stable order (the manifest lists the whole folder)."""
    for rel in sorted(state):
        if ":" not in rel and (out / rel).is_file():  # "readability:..." entries (older builds kept figures here)
            yield manifest.Output.from_json(state[rel])
