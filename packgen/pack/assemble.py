"""Assembling the pack from the document files: thumbnails, combined PDFs, the zip, the download page.

Called by packgen.pack.build after every document is written (a whole-pack build). Like the build,
each product is keyed by a digest of exactly what it is made from (the sha256 of the files it
reads, the words and date it carries, and the code that makes it); the same digest and the file
still on disk means nothing is redone. The download page is cheap, so it is rendered every time and
written only when its bytes change. Every file is written atomically; a product this build no longer
makes (say, the zip after the short name changed) is removed, so what is uploaded is what is listed.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import pikepdf
import PIL
import pypdfium2

from packgen import cache as disk_cache
from packgen.model import Document
from packgen.pack import archive, combine, dates, index, thumbnails, warmup, workers
from packgen.pack.manifest import Output
from packgen.pack.outputs import atomic_path, read_state, sha256_of, write_bytes_atomic, write_state
from packgen.sources.loader import Pack
from packgen.sources.names import VARIANTS
from packgen.sources.sections import slug
from packgen.templating import Renderer
from packgen.theme import Theme

STATE_FILE = ".packgen-assemble.json"
INDEX = "index.html"
THUMBNAILS = "thumbnails"
PACK = "pack"  # the manifest's document id for the combined PDFs and the zip
ALL = "all"  # the manifest's variant for files that hold every variant
ZIPPED_FORMATS = ("docx", "pdf", "html")
COMBINED_TITLE_LABEL = "index_pack_pdf_title"

Progress = Callable[[str], None]


def assemble(pack: Pack, renderer: Renderer, theme: Theme, out: Path, outputs: Sequence[Output],
             documents: Sequence[Document], say: Progress, lanes: workers.Lanes | None = None) -> list[Output]:
    """Make (or keep) the pack-level files from the document outputs; return their manifest entries.

    Thumbnails and combined PDFs do not depend on each other, so they are made together on the lanes.
    """
    started = time.perf_counter()
    state = read_state(out / STATE_FILE)
    fresh: dict[str, dict] = {}
    files = {(o.document, o.variant, o.format): o for o in outputs}
    order = [doc_id for doc_id in pack.documents]
    when = dates.build_datetime(pack.meta.date)
    made: list[Output] = []

    tasks: list[workers.Task] = []
    finish_thumbs = _thumbnails(out, order, files, state, fresh, tasks)
    finish_combined = _combined(pack, renderer, out, order, files, documents, when, state, fresh, tasks)
    results = workers.run(tasks, lanes)
    thumbs = finish_thumbs(results, say)
    made.extend(thumbs.values())
    combined = finish_combined(results, say)
    made.extend(combined)
    zipped = _zip(pack, out, order, outputs, combined, when, state, fresh, say)
    if zipped is not None:
        made.append(zipped)
    made.append(_index(pack, renderer, theme, out, order, files, thumbs, combined, zipped, fresh, say))

    for rel in sorted(set(state) - set(fresh)):  # made by an earlier build, not by this one
        (out / rel).unlink(missing_ok=True)
        say(f"removed {rel} (no longer part of the pack)")
    write_state(out / STATE_FILE, fresh)
    say(f"assembled the pack in {time.perf_counter() - started:.2f}s")
    return made


# -- thumbnails ------------------------------------------------------------------------------


def _thumbnails(out: Path, order: list[str], files: dict, state: dict, fresh: dict, tasks: list[workers.Task]):
    """Queue a task for each thumbnail to (re)make; return what records them all once the tasks ran."""
    wanted: list[tuple[str, str, str, str, dict | None]] = []  # (doc_id, variant, rel, digest, kept entry)
    for doc_id in order:
        for variant in VARIANTS:
            pdf = files.get((doc_id, variant, "pdf"))
            if pdf is None:
                continue
            rel = f"{THUMBNAILS}/{variant}-{doc_id}.png"
            digest = _digest(pdf.sha256, thumbnails.WIDTH_PX, thumbnails.COLOURS, _code("thumbnails"))
            kept = _kept(out, rel, digest, state)
            wanted.append((doc_id, variant, rel, digest, kept))
            if kept is None:
                tasks.append(workers.Task(rel, thumbnails.write_thumbnail, (out / pdf.path, out / rel), cost=1.0,
                                          warm=warmup.ASSEMBLY))

    def finish(results: dict, say: Progress) -> dict[tuple[str, str], Output]:
        made: dict[tuple[str, str], Output] = {}
        for doc_id, variant, rel, digest, entry in wanted:
            if rel in results:
                width, height = results[rel]
                entry = _entry(out, rel, doc_id, variant, "png", digest, width=width, height=height)
                say(f"built {rel}")
            fresh[rel] = entry
            made[(doc_id, variant)] = Output.from_json(entry)
        return made

    return finish


# -- combined PDFs ---------------------------------------------------------------------------


def _combined(pack: Pack, renderer: Renderer, out: Path, order: list[str], files: dict,
              documents: Sequence[Document], when, state: dict, fresh: dict, tasks: list[workers.Task]):
    """Queue a task for each combined PDF to (re)make; return what records them once the tasks ran."""
    titles = {(d.id, d.variant): d.title for d in documents}
    wanted: list[tuple[str, str, str, dict | None]] = []  # (variant, rel, digest, kept entry)
    missing_parts: list[tuple[str, list[str]]] = []
    for variant in VARIANTS:
        parts = [files.get((doc_id, variant, "pdf")) for doc_id in order]
        if not all(parts):
            missing_parts.append((variant, [doc_id for doc_id, part in zip(order, parts, strict=True) if part is None]))
            continue
        rel = f"{variant}/{PACK}.pdf"
        labels = renderer.labels(order[0], variant)
        info = combine.CombinedInfo(
            title=labels.get(COMBINED_TITLE_LABEL) or pack.meta.title,
            language=pack.meta.language, author=pack.meta.organisation, subject=pack.meta.subject,
            keywords=tuple(pack.meta.keywords))
        part_files = [combine.PartFile(out / part.path, titles.get((part.document, variant), part.document))
                      for part in parts]
        digest = _digest([(p.path, p.sha256) for p in parts], [f.title for f in part_files], info,
                         when.isoformat(), _code("combine"))
        kept = _kept(out, rel, digest, state)
        wanted.append((variant, rel, digest, kept))
        if kept is None:
            # Combining reads every part: a cost between a thumbnail's and a document's.
            tasks.append(workers.Task(rel, combine.write_combined, (part_files, info, when, out / rel), cost=3.0,
                                      warm=warmup.ASSEMBLY))

    def finish(results: dict, say: Progress) -> list[Output]:
        for variant, missing in missing_parts:
            say(f"no combined PDF for {variant}: missing {', '.join(missing)}")
        made: list[Output] = []
        for variant, rel, digest, entry in wanted:
            if rel in results:
                pages, seconds = results[rel]
                entry = _entry(out, rel, PACK, variant, "pdf", digest, pages=pages)
                say(f"built {rel} ({pages} pages) in {seconds:.2f}s")
            fresh[rel] = entry
            made.append(Output.from_json(entry))
        return made

    return finish


# -- the zip ---------------------------------------------------------------------------------


def zip_name(pack: Pack) -> str:
    """The zip's file name: the organisation's short name (or the pack title) as a slug."""
    return f"{slug(pack.meta.short_name or pack.meta.title)}-{PACK}.zip"


def zip_members(order: Sequence[str], outputs: Sequence[Output], combined: Sequence[Output]) -> list[str]:
    """Every document file of the pack's documents, and the combined PDFs (never the manifest or index)."""
    members = [o.path for o in outputs if o.document in order and o.format in ZIPPED_FORMATS]
    return sorted(set(members + [o.path for o in combined]))


def _zip(pack: Pack, out: Path, order: list[str], outputs: Sequence[Output], combined: list[Output], when,
         state: dict, fresh: dict, say: Progress) -> Output | None:
    members = zip_members(order, outputs, combined)
    if not members:
        return None
    rel = zip_name(pack)
    sums = {o.path: o.sha256 for o in [*outputs, *combined]}
    digest = _digest([(m, sums[m]) for m in members], when.isoformat(), _code("archive"))
    entry = _kept(out, rel, digest, state)
    if entry is None:
        t0 = time.perf_counter()
        previous = out / rel  # still in place until the new zip is renamed over it
        with atomic_path(out / rel) as tmp:
            archive.write_zip(out, members, when, tmp, previous if previous.is_file() else None)
        entry = _entry(out, rel, PACK, ALL, "zip", digest)
        say(f"built {rel} ({len(members)} files) in {time.perf_counter() - t0:.2f}s")
    fresh[rel] = entry
    return Output.from_json(entry)


# -- the download page -----------------------------------------------------------------------


def _index(pack: Pack, renderer: Renderer, theme: Theme, out: Path, order: list[str], files: dict,
           thumbs: dict, combined: list[Output], zipped: Output | None, fresh: dict, say: Progress) -> Output:
    entries = []
    for doc_id in order:
        front = pack.documents[doc_id].front
        versions = []
        for variant in VARIANTS:
            links = [_link(files[key]) for key in ((doc_id, variant, fmt) for fmt in index.FORMAT_ORDER)
                     if key in files]
            if not links:
                continue
            thumb = thumbs.get((doc_id, variant))
            picture = None
            if thumb is not None:
                size = fresh[thumb.path]
                picture = index.Thumbnail(thumb.path, size["width"], size["height"])
            versions.append(index.Version(variant, index.files_in_order(links), picture))
        if versions:
            entries.append(index.Entry(doc_id, front.title, front.subtitle, tuple(versions)))
    downloads = index.Downloads(
        entries=tuple(entries),
        combined=tuple((o.variant, _link(o)) for o in combined),
        archive=_link(zipped) if zipped else None,
    )
    data = index.render_index(pack, renderer, theme, downloads).encode("utf-8")
    target = out / INDEX
    if not (target.is_file() and target.read_bytes() == data):
        write_bytes_atomic(target, data)
        say(f"built {INDEX}")
    entry = Output(document="index", variant=ALL, format="html", path=INDEX, bytes=len(data),
                   sha256=hashlib.sha256(data).hexdigest())
    fresh[INDEX] = entry.to_json()
    return entry


def _link(output: Output) -> index.FileLink:
    return index.FileLink(path=output.path, format=output.format, bytes=output.bytes, pages=output.pages)


# -- state -----------------------------------------------------------------------------------


def _entry(out: Path, rel: str, document: str, variant: str, fmt: str, digest: str, pages: int | None = None,
           **extra: object) -> dict:
    path = out / rel
    output = Output(document=document, variant=variant, format=fmt, path=rel, bytes=path.stat().st_size,
                    sha256=sha256_of(path), pages=pages)
    return {**output.to_json(), "digest": digest, **extra}


def _kept(out: Path, rel: str, digest: str, state: dict) -> dict | None:
    """The recorded entry when `rel` was made from the same inputs and is still on disk, unaltered in size."""
    known = state.get(rel)
    path = out / rel
    if known and known.get("digest") == digest and path.is_file() and path.stat().st_size == known.get("bytes"):
        return known
    return None


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


@cache
def _code(module: str) -> str:
    """packgen's version, the module that makes a product, its helpers, and the libraries it calls."""
    here = Path(__file__).parent
    names = sorted({f"{module}.py", "dates.py", "assemble.py"})
    return disk_cache.key(names, disk_cache.code_version(*(here / name for name in names)),
                          f"{pikepdf.__version__} {pypdfium2.PDFIUM_INFO} {PIL.__version__}")
