"""Assembling the pack from the document files: thumbnails, combined PDFs, the zip, the download page.

Planned by packgen.pack.build as the documents are written (a whole-pack build): each product is
started on the lanes as soon as the files it is made from are final (see Assembly). Like the build,
each product is keyed by a digest of exactly what it is made from (the sha256 of the files it
reads, the words and date it carries, and the code that makes it); the same digest and the file
still on disk means nothing is redone. The download page is cheap, so it is rendered every time and
written only when its bytes change. Every file is written atomically; a product this build no longer
makes (say, the zip after the short name changed) is removed, so what is uploaded is what is listed.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from packgen import cache as disk_cache
from packgen.model import Document
from packgen.pack import archive, combined, dates, index, thumbnails, warmup, workers
from packgen.pack.manifest import Output
from packgen.pack.outputs import read_state, sha256_of, write_bytes_atomic, write_state
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
# A combined PDF or the zip as a lane task: others wait for it, so it goes before any document
# file still waiting (their costs are a few hundred to a few thousand).
COMBINED_COST = 1e6
LIBRARY_VERSION_FILES = (("pikepdf", "_version.py"), ("pypdfium2", "version.json"), ("pypdfium2_raw", "version.json"),
                         ("PIL", "_version.py"))

Progress = Callable[[str], None]


class Assembly:
    """The pack-level files of one build, each started as soon as what it is made from is final.

    The build says when each document file is finished (`ready`) and hands back the results of the
    tasks given to it (`made`): a thumbnail can be made once its PDF is written, a variant's combined
    PDF once that variant's PDFs are, the zip once every member is, while the lanes still write the
    rest. The download page, which lists them all, comes last (`finish`).
    """

    def __init__(self, pack: Pack, renderer: Renderer, theme: Theme, out: Path, documents: Sequence[Document],
                 say: Progress, final: Sequence[Output], coming: Iterable[tuple[str, str, str]]):
        self.started = time.perf_counter()
        self.pack, self.renderer, self.theme, self.out, self.say = pack, renderer, theme, out, say
        self.titles = {(d.id, d.variant): d.title for d in documents}
        self.order = list(pack.documents)
        self.when = dates.build_datetime(pack.meta.date)
        self.state = read_state(out / STATE_FILE)
        self.fresh: dict[str, dict] = {}  # this build's products, as the state will record them
        self.files = {(o.document, o.variant, o.format): o for o in final}  # document files, final
        self.coming = set(coming)  # (document, variant, format) of the files still being written
        self.thumbs: dict[tuple[str, str], Output] = {}
        self.combined: dict[str, Output] = {}
        self.zipped: Output | None = None
        self.considered: set[str] = set()  # products (their paths) already kept, started or found impossible
        self.running: dict[str, Callable[[Any], None]] = {}  # a started task's key -> what records its result

    def ready(self, output: Output | None = None) -> list[workers.Task]:
        """The tasks that can start now, `output` (a document file) being final as well."""
        if output is not None:
            key = (output.document, output.variant, output.format)
            self.files[key] = output
            self.coming.discard(key)
        tasks: list[workers.Task] = []
        for doc_id in self.order:
            for variant in VARIANTS:
                self._thumbnail(doc_id, variant, tasks)
        for variant in VARIANTS:
            self._combined(variant, tasks)
        self._zip(tasks)
        return tasks

    def made(self, key: Hashable, result: Any) -> list[workers.Task]:
        """Record one of this assembly's tasks as done; return the tasks that can start now."""
        self.running.pop(key)(result)
        return self.ready()

    def finish(self) -> list[Output]:
        """The download page, once every task has run; return the manifest entries of every product."""
        if self.running or self.coming:
            raise RuntimeError(f"assembling before these were made: {sorted(map(str, [*self.running, *self.coming]))}")
        made = [self.thumbs[key] for key in sorted(self.thumbs)]
        made += [self.combined[variant] for variant in VARIANTS if variant in self.combined]
        if self.zipped is not None:
            made.append(self.zipped)
        made.append(self._index())
        for rel in sorted(set(self.state) - set(self.fresh)):  # made by an earlier build, not by this one
            (self.out / rel).unlink(missing_ok=True)
            self.say(f"removed {rel} (no longer part of the pack)")
        write_state(self.out / STATE_FILE, self.fresh)
        self.say(f"assembled the pack ({time.perf_counter() - self.started:.2f}s from its first file)")
        return made

    def _start(self, rel: str, tasks: list[workers.Task], task: workers.Task | None,
               record: Callable[[Any], None]) -> None:
        """Consider `rel` done with: record it now where `task` is None (kept), else when `task` is."""
        self.considered.add(rel)
        if task is None:
            record(None)
        else:
            self.running[task.key] = record
            tasks.append(task)

    # -- thumbnails --------------------------------------------------------------------------

    def _thumbnail(self, doc_id: str, variant: str, tasks: list[workers.Task]) -> None:
        pdf = self.files.get((doc_id, variant, "pdf"))
        rel = f"{THUMBNAILS}/{variant}-{doc_id}.png"
        if pdf is None or rel in self.considered:
            return
        digest = _digest(pdf.sha256, thumbnails.WIDTH_PX, thumbnails.COLOURS, _code("thumbnails"))
        kept = _kept(self.out, rel, digest, self.state)

        def record(size: tuple[int, int] | None) -> None:
            entry = kept
            if size is not None:
                entry = _entry(self.out, rel, doc_id, variant, "png", digest, width=size[0], height=size[1])
                self.say(f"built {rel}")
            self.fresh[rel] = entry
            self.thumbs[(doc_id, variant)] = Output.from_json(entry)

        task = None if kept else workers.Task(rel, thumbnails.write_thumbnail, (self.out / pdf.path, self.out / rel),
                                              cost=1.0, warm=warmup.ASSEMBLY)
        self._start(rel, tasks, task, record)

    # -- combined PDFs -----------------------------------------------------------------------

    def _combined(self, variant: str, tasks: list[workers.Task]) -> None:
        rel = f"{variant}/{PACK}.pdf"
        keys = [(doc_id, variant, "pdf") for doc_id in self.order]
        if rel in self.considered or any(key in self.coming for key in keys):
            return
        parts = [self.files.get(key) for key in keys]
        if not all(parts):
            self.considered.add(rel)
            missing = [doc_id for doc_id, part in zip(self.order, parts, strict=True) if part is None]
            self.say(f"no combined PDF for {variant}: missing {', '.join(missing)}")
            return
        labels = self.renderer.labels(self.order[0], variant)
        meta = self.pack.meta
        info = combined.CombinedInfo(title=labels.get(COMBINED_TITLE_LABEL) or meta.title, language=meta.language,
                                    author=meta.organisation, subject=meta.subject, keywords=tuple(meta.keywords))
        part_files = [combined.PartFile(self.out / part.path, self.titles.get((part.document, variant), part.document))
                      for part in parts if part is not None]
        digest = _digest([(p.path, p.sha256) for p in parts if p is not None], [f.title for f in part_files], info,
                         self.when.isoformat(), _code("combine"))
        kept = _kept(self.out, rel, digest, self.state)

        def record(result: tuple[int, float] | None) -> None:
            entry = kept
            if result is not None:
                pages, seconds = result
                entry = _entry(self.out, rel, PACK, variant, "pdf", digest, pages=pages)
                self.say(f"built {rel} ({pages} pages) in {seconds:.2f}s")
            self.fresh[rel] = entry
            self.combined[variant] = Output.from_json(entry)

        task = None if kept else workers.Task(rel, combined.write_combined,
                                              (part_files, info, self.when, self.out / rel),
                                              cost=COMBINED_COST, warm=warmup.ASSEMBLY)
        self._start(rel, tasks, task, record)

    # -- the zip -----------------------------------------------------------------------------

    def _zip(self, tasks: list[workers.Task]) -> None:
        rel = zip_name(self.pack)
        combined_rels = [f"{variant}/{PACK}.pdf" for variant in VARIANTS]
        if (rel in self.considered or self.coming
                or any(r not in self.considered or r in self.running for r in combined_rels)):
            return
        pdfs = list(self.combined.values())
        members = zip_members(self.order, list(self.files.values()), pdfs)
        if not members:
            self.considered.add(rel)
            return
        sums = {o.path: o.sha256 for o in [*self.files.values(), *pdfs]}
        digest = _digest([(m, sums[m]) for m in members], self.when.isoformat(), _code("archive"))
        kept = _kept(self.out, rel, digest, self.state)

        def record(seconds: float | None) -> None:
            entry = kept
            if seconds is not None:
                entry = _entry(self.out, rel, PACK, ALL, "zip", digest)
                self.say(f"built {rel} ({len(members)} files) in {seconds:.2f}s")
            self.fresh[rel] = entry
            self.zipped = Output.from_json(entry)

        task = None if kept else workers.Task(rel, archive.write_pack_zip, (self.out, members, self.when,
                                                                           self.out / rel), cost=COMBINED_COST)
        self._start(rel, tasks, task, record)

    # -- the download page -------------------------------------------------------------------

    def _index(self) -> Output:
        entries = []
        for doc_id in self.order:
            front = self.pack.documents[doc_id].front
            versions = []
            for variant in VARIANTS:
                links = [_link(self.files[key]) for key in ((doc_id, variant, fmt) for fmt in index.FORMAT_ORDER)
                         if key in self.files]
                if not links:
                    continue
                thumb = self.thumbs.get((doc_id, variant))
                picture = None
                if thumb is not None:
                    size = self.fresh[thumb.path]
                    picture = index.Thumbnail(thumb.path, size["width"], size["height"])
                versions.append(index.Version(variant, index.files_in_order(links), picture))
            if versions:
                entries.append(index.Entry(doc_id, front.title, front.subtitle, tuple(versions)))
        downloads = index.Downloads(
            entries=tuple(entries),
            combined=tuple((variant, _link(self.combined[variant])) for variant in VARIANTS
                           if variant in self.combined),
            archive=_link(self.zipped) if self.zipped else None,
        )
        data = index.render_index(self.pack, self.renderer, self.theme, downloads).encode("utf-8")
        target = self.out / INDEX
        if not (target.is_file() and target.read_bytes() == data):
            write_bytes_atomic(target, data)
            self.say(f"built {INDEX}")
        entry = Output(document="index", variant=ALL, format="html", path=INDEX, bytes=len(data),
                       sha256=hashlib.sha256(data).hexdigest())
        self.fresh[INDEX] = entry.to_json()
        return entry


def zip_name(pack: Pack) -> str:
    """The zip's file name: the organisation's short name (or the pack title) as a slug."""
    return f"{slug(pack.meta.short_name or pack.meta.title)}-{PACK}.zip"


def zip_members(order: Sequence[str], outputs: Sequence[Output], combined: Sequence[Output]) -> list[str]:
    """Every document file of the pack's documents, and the combined PDFs (never the manifest or index)."""
    members = [o.path for o in outputs if o.document in order and o.format in ZIPPED_FORMATS]
    return sorted(set(members + [o.path for o in combined]))


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
    """packgen's version, the module that makes a product, its helpers, and the libraries it calls
    (named by the files holding their versions: importing them is the lanes' work, not the planner's)."""
    here = Path(__file__).parent
    names = sorted({f"{module}.py", "dates.py", "assemble.py"})
    return disk_cache.key(names, disk_cache.code_version(*(here / name for name in names)), *_libraries())


@cache
def _libraries() -> tuple[bytes, ...]:
    """The PDF libraries the products are made with, read once for every kind of product."""
    return tuple(disk_cache.package_code(package, name) for package, name in LIBRARY_VERSION_FILES)
