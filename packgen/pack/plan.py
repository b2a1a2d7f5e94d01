"""What a build makes: one job per file, each with the digest of what it is made from and what it needs.

A document file's digest covers exactly what its writer reads: the composed Document, its labels,
the theme, the pictures' bytes, the writer's code and its templates. The pack's own files are
digested from the digests of the files they read (a document's bytes follow from its digest), the
words and date they carry and the code that makes them, so the whole plan is known before anything
is written, and an unchanged file is never made again.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

import packgen
from packgen import cache as disk_cache
from packgen import dates, writers
from packgen.ids import slug
from packgen.model import Document, Figure, PictureRow, walk
from packgen.pack import download_page
from packgen.pack.files import sha256_of
from packgen.pack.jobs import Job, write_document
from packgen.sources.loader import Pack
from packgen.templating import Renderer
from packgen.theme import Theme
from packgen.writers import Format, WholePack

PACK, ALL = download_page.PACK, "all"  # the manifest's document and variant for files of the whole pack
INDEX = "index.html"
THUMBNAILS = "thumbnails"
PAGE_PREFIX_LABEL = "index_pack_pdf_page_prefix"
COMBINED_TITLE_LABEL = "index_pack_pdf_title"
# What writing files side by side holds (--memory): the build's own process about BUILD_MB, and each
# worker up to WORKER_MB (every writer loaded, writing a document of the shipped pack's size with
# packgen's cache empty) and 1 MB more for every BLOCKS_PER_MB blocks (paragraphs, list items, table
# cells...) of the document it writes (measured with `make bench` on the pack and the long charters).
BUILD_MB = 45
WORKER_MB = 65
BLOCKS_PER_MB = 100
# The combined PDFs and the zip wait for every document: once ready, they go before any document left.
PACK_COST = 1e9


def plan(pack: Pack, renderer: Renderer, theme: Theme, documents: list[Document], formats: tuple[str, ...],
         out: Path, whole_pack: bool, workers: int, memory_mb: int) -> list[Job]:
    """Every file of the build, in no particular order: the run follows each job's needs.

    `whole_pack` adds the pack's own files (thumbnails, combined PDFs, zip, download page), which
    need every document file. With several `workers` (workers_within), a document so long that
    writing it on every worker at once would take more than `memory_mb` is written alone.
    """
    jobs: list[Job] = []
    # A format that reads another's file (its descriptor's `needs`) is planned after it; without
    # that format in the build, its writer does without the file. A part is made after what it is
    # part of, from what that left (a transcript from its recording).
    planned = sorted((writers.get(name) for name in formats), key=lambda fmt: bool(fmt.needs))
    code = {fmt.name: (_writer_code(fmt), _writer_templates(fmt, theme)) for fmt in planned}
    for document in documents:
        base = document_digest(document, theme)
        blocks, pictures = _shape(document)
        made: dict[str, Job] = {}
        for fmt in planned:
            if not fmt.offers(document.variant, document.metadata.language):
                continue
            needed = made.get(fmt.needs)
            digest = _digest(base, fmt.name, *code[fmt.name], *((needed.digest,) if needed else ()))
            parent = writers.get(fmt.part_of) if fmt.part_of in formats else None
            needs = ((needed.path,) if needed else ()) + (
                (f"{document.variant}/{document.id}{parent.suffix}",)
                if parent and parent.offers(document.variant, document.metadata.language) else ())
            made[fmt.name] = Job(f"{document.variant}/{document.id}{fmt.suffix}", document.id, document.variant,
                                 fmt.name, write_document,
                                 (fmt.name, document, theme, *((out / needed.path,) if needed else ())), digest,
                                 needs, cost=fmt.cost * blocks * (6 if pictures else 1),
                                 alone=workers > 1 and _held(workers, blocks) > memory_mb)
        jobs += [made[name] for name in formats if name in made]
    if whole_pack:
        jobs += _pack_files(pack, renderer, theme, documents, jobs, out)
    return jobs


def workers_within(jobs: int, memory_mb: int) -> int:
    """As many of `jobs` workers as `memory_mb` holds side by side, each writing a document of the
    shipped pack's size; one (everything written in the build's own process) when no two fit."""
    return max(1, min(jobs, (memory_mb - BUILD_MB) // WORKER_MB))


def _held(workers: int, blocks: int) -> float:
    """The memory, in MB, of `workers` workers each writing a document of `blocks` blocks."""
    return BUILD_MB + workers * (WORKER_MB + blocks / BLOCKS_PER_MB)


def not_offered(documents: list[Document], formats: tuple[str, ...]) -> list[str]:
    """A warning for each format asked for that some documents do not get, as it cannot be written in their
    language (a format made for some variants only is left out of the others without a word)."""
    found = []
    for fmt in (writers.get(name) for name in formats):
        languages = sorted({d.metadata.language for d in documents if d.variant in (fmt.variants or (d.variant,))
                            and not fmt.offers(d.variant, d.metadata.language)})
        if languages:
            found.append(f"no {fmt.name} files for the documents in {', '.join(languages)}: packgen writes them "
                         f"only in {', '.join(fmt.languages)}")
    return found


def _pack_files(pack: Pack, renderer: Renderer, theme: Theme, documents: list[Document], files: list[Job],
                out: Path) -> list[Job]:
    """The pack's own files, made from the document files: the download page's pictures of first pages,
    a file of each whole version in each format that makes one, the zip and the download page."""
    jobs = _thumbnails(files, out) + _whole_packs(pack, renderer, documents, files, out)
    formats = writers.formats()
    members = [job for job in files if formats[job.format].zipped] + [job for job in jobs if job.document == PACK]
    if members:
        jobs.append(_zip(pack, sorted(members, key=lambda job: job.path), out))
    jobs.append(_download_page(pack, renderer, theme, files + jobs))
    return jobs


def _thumbnails(files: list[Job], out: Path) -> list[Job]:
    """A picture of each document's first page, from its file in the first format that makes one."""
    fmt = next((fmt for fmt in writers.formats().values() if fmt.thumbnail), None)
    if fmt is None:
        return []
    return [Job(f"{THUMBNAILS}/{job.variant}-{job.document}.png", job.document, job.variant, "png", fmt.thumbnail,
                (out / job.path,), _digest(job.digest, fmt.thumbnail, _writer_code(fmt)), (job.path,))
            for job in files if job.format == fmt.name]


def _whole_packs(pack: Pack, renderer: Renderer, documents: list[Document], files: list[Job],
                 out: Path) -> list[Job]:
    formats = writers.formats()
    variants = dict.fromkeys(document.variant for document in documents)
    return [job for name in dict.fromkeys(job.format for job in files) if formats[name].whole_pack
            for variant in variants for job in _whole_pack(pack, renderer, formats[name], variant, documents, files,
                                                           out)]


def _whole_pack(pack: Pack, renderer: Renderer, fmt: Format, variant: str, documents: list[Document],
                files: list[Job], out: Path) -> list[Job]:
    """One file of every document of `variant` in a format that makes one (its descriptor's `whole_pack`),
    made from the documents' own files of that format, each with the words before its page numbers;
    none unless every document is built in that format."""
    parts = [d for doc_id in pack.documents for d in documents if (d.id, d.variant) == (doc_id, variant)]
    own = {(job.document, job.variant): job for job in files if job.format == fmt.name}
    if not parts or len(parts) != len(pack.documents) or any((d.id, variant) not in own for d in parts):
        return []
    inputs = tuple((d, out / own[d.id, variant].path, renderer.label_text(PAGE_PREFIX_LABEL, d.id, variant))
                   for d in parts)
    needed = fmt.needs and any(job.format == fmt.needs and job.variant == variant for job in files)
    meta = pack.meta
    about = WholePack(title=renderer.label_text(COMBINED_TITLE_LABEL, parts[0].id, variant) or meta.title,
                      name=PACK, language=meta.language, author=meta.organisation, subject=meta.subject,
                      keywords=tuple(meta.keywords), when=dates.build_datetime(meta.date),
                      page_source=f"{PACK}{writers.get(fmt.needs).suffix}" if needed else "")
    digest = _digest([own[d.id, variant].digest for d in parts], [words for *_, words in inputs], about,
                     _writer_code(fmt))
    return [Job(f"{variant}/{PACK}{fmt.suffix}", PACK, variant, fmt.name, fmt.whole_pack, (inputs, about), digest,
                tuple(own[d.id, variant].path for d in parts), PACK_COST)]


def _zip(pack: Pack, members: list[Job], out: Path) -> Job:
    stored = tuple(fmt.suffix for fmt in writers.formats().values() if fmt.compressed)
    paths = tuple(m.path for m in members)
    when = dates.build_datetime(pack.meta.date)
    digest = _digest([(m.path, m.digest) for m in members], stored, when.isoformat(), _code("archive"))
    return Job(zip_name(pack), PACK, ALL, "zip", "packgen.pack.archive:make", (out, paths, stored, when), digest,
               paths, PACK_COST)


def _download_page(pack: Pack, renderer: Renderer, theme: Theme, needs: list[Job]) -> Job:
    """The page lists every file and quotes the sources through the web page writer's templates: it is
    made from the files' digests, every source and template (the theme among them), and that writer's code."""
    digest = _digest([(job.path, job.digest) for job in needs], _folder(pack.root),
                     *(_folder(folder) for folder in renderer.search_path),
                     _writer_code(writers.get("html")), _code("download_page"))
    return Job(INDEX, "index", ALL, "html", download_page.make, (pack, renderer, theme), digest,
               tuple(job.path for job in needs), here=True)


def _folder(folder: Path) -> str:
    """Every file under `folder`, by name and content."""
    return _digest([(path.relative_to(folder).as_posix(), _file_digest(path))
                    for path in sorted(folder.rglob("*")) if path.is_file()])


def zip_name(pack: Pack) -> str:
    """The zip's file name: the organisation's short name (or the pack title) as a slug."""
    return f"{slug(pack.meta.short_name or pack.meta.title)}-{PACK}.zip"


def document_digest(document: Document, theme: Theme) -> str:
    """What every output of a document is made from, bar the writer: the model, labels, theme and pictures."""
    digest = hashlib.sha256()
    digest.update(repr(document).encode())
    digest.update(repr(sorted(document.labels.items())).encode())
    digest.update(theme.path.read_bytes())
    for path in theme.brand_files:  # brand.yml, its logo and font files (packgen.branding)
        digest.update(_file_digest(path).encode())
    if document.logo is not None:
        digest.update(_file_digest(document.logo.path).encode())
    for block in walk(document.blocks):
        if isinstance(block, Figure | PictureRow):
            digest.update(_file_digest(block.picture.path).encode())
    return digest.hexdigest()


def _shape(document: Document) -> tuple[int, bool]:
    """How many blocks the document has, and whether any is a picture: what writing it costs."""
    size, pictures = 0, False
    for block in walk(document.blocks):
        size += 1
        pictures = pictures or isinstance(block, Figure | PictureRow)
    return size, pictures


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def _file_digest(path: Path) -> str:
    stat = path.stat()
    return _digest_of(path, stat.st_mtime_ns, stat.st_size)


@cache
def _digest_of(path: Path, mtime_ns: int, size: int) -> str:
    """Cached by path, time and size: a picture used on many pages is hashed once, an edited one again."""
    return sha256_of(path)


@cache
def _writer_code(fmt: Format) -> str:
    """packgen's shared code and version, and the writer's own, so upgrading packgen rebuilds what it affects."""
    root = Path(packgen.__file__).parent
    paths = sorted({*root.glob("*.py"), root / "writers" / "__init__.py", *fmt.code})
    return disk_cache.key([p.name for p in paths], disk_cache.code_version(*paths))


def _writer_templates(fmt: Format, theme: Theme) -> str:
    """The writer's own templates (templates/html/ for web pages), so editing one rebuilds its files."""
    digest = hashlib.sha256()
    for name in fmt.templates:
        for folder in theme.writer_templates(name):
            _folder_into(digest, folder)
    return digest.hexdigest()


def _folder_into(digest: Any, folder: Path) -> None:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else ():
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(_file_digest(path).encode())


@cache
def _code(module: str) -> str:
    """The module of packgen.pack that makes one of the pack's files, with the job runner and packgen's
    shared modules (the date it carries, how a zip entry is written)."""
    root, here = Path(packgen.__file__).parent, Path(__file__).parent
    paths = sorted({*root.glob("*.py"), here / f"{module}.py", here / "jobs.py"})
    return disk_cache.key([p.name for p in paths], disk_cache.code_version(*paths))
