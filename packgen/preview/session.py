"""One preview session: rebuild the pack into the preview's own folder, keep the last good preview.

The session lives as long as `packgen preview`, so every module a build needs stays imported, each
source file is read again only once it has changed (the `parsed` it gives each build), and every
file whose sources have not changed is kept by the build's own record: a save rebuilds only the
files it touches. A save to documents' own files alone first builds and shows those documents'
web pages, then their PDFs' page pictures a version at a time, and only then the whole build (which
may find other documents that quote them).

The build runs in this process with one job. A pool would have to be started with a fork server
(the server's and watcher's threads are running), and each of its workers would import the writers
and be handed the composed documents again for every save, while one edit rewrites two or three
files here in about a tenth of a second.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from packgen.errors import PackgenError
from packgen.pack.build import BuildOptions, build
from packgen.pack.manifest import MANIFEST, Output
from packgen.preview.page import Preview, Shown, write_page
from packgen.preview.page_images import render_pages
from packgen.preview.watcher import Watched, watched
from packgen.sources.loader import Parsed, load_pack

FORMATS = ("html", "pdf")  # what the preview shows; Word files are not drawn in a browser
PAGES = "pages"  # the folder of PDF page pictures, inside the preview's folder
VERSION = "v"  # the query naming a file's version in its address (server.py lets browsers keep those)

Say = Callable[[str], None]


class Session:
    def __init__(self, sources: Path, templates: Path, folder: Path, say: Say):
        self.sources, self.templates, self.folder, self.say = sources, templates, folder, say
        self.preview = Preview()
        self.changed = threading.Condition()  # notified with each new version of the page
        self.drawn: dict[Path, str] = {}  # what each page picture shows (page_images.render_pages)
        self.parsed: Parsed = {}  # each source document as last read (load_pack)
        self.inputs: Watched = watched(sources, templates)  # what the pack is made from, as last built
        self.documents_of: dict[Path, tuple[str, ...]] = {}  # the documents each document file is the source of

    @property
    def version(self) -> int:
        return self.preview.version

    def rebuild(self, changed: Iterable[Path] = ()) -> bool:
        """Build what changed and show it; on an error, show it over the last good preview."""
        started = time.perf_counter()
        options = BuildOptions(sources=self.sources, templates=self.templates, out=self.folder,
                               formats=FORMATS, jobs=1)
        fed = self._fed_only(changed)
        if fed:  # the edited documents first: their web pages, then each version's PDFs; the whole build after
            first = dataclasses.replace(options, documents=fed)
            if self._first(dataclasses.replace(first, formats=("html",))):
                for variant in first.variants:  # each version's page pictures are shown once drawn
                    if not self._first(dataclasses.replace(first, formats=("pdf",), variants=(variant,))):
                        break
        was = self.preview.error
        try:
            report = build(options, parsed=self.parsed)
        except (PackgenError, OSError) as exc:  # a mistake in the sources: show it, keep watching
            self.preview.error = _one_line(exc)
            self.say(f"packgen: error: {self.preview.error}")
        except Exception as exc:  # a bug met on some source: the preview still outlives it
            self.preview.error = f"packgen failed unexpectedly ({type(exc).__name__}: {exc}); please report it"
            self.say(f"packgen: error: {self.preview.error}\n{traceback.format_exc()}")
        else:
            self.preview.error = None
            if report.built or was is not None or not self.preview.documents:
                self._shown(report.built)
            self.say(f"packgen: preview updated: {len(report.built)} file(s) built in "
                     f"{time.perf_counter() - started:.2f}s")
            self._learn()
        if self.preview.error is not None:
            self._publish()
        return self.preview.error is None

    def _first(self, options: BuildOptions) -> bool:
        """Build and show some files before the whole build; a mistake is left for it to report."""
        try:
            report = build(options, parsed=self.parsed)
        except Exception:  # noqa: BLE001 - the whole build, next, meets it again and says it
            return False
        if report.built:
            self._shown(report.built)
        return True

    def _shown(self, built: list[Output]) -> None:
        """Show what a build made: its web pages at once, then the pictures of the PDF pages it changed."""
        pdfs = [output for output in built if output.format == "pdf"]
        if len(pdfs) < len(built) or not built:  # a web page, or nothing but the error gone: shown at once
            self._show()
            self._publish()  # the web pages first: the words are there before any picture is drawn
        for output in pdfs:
            render_pages(self.folder / output.path, self.folder / PAGES / output.variant, output.document,
                         self.drawn)
        if pdfs:
            self._show()
            self._publish()

    def _fed_only(self, changed: Iterable[Path]) -> tuple[str, ...]:
        """The documents whose own source files are all that changed (none if anything else did)."""
        fed: list[str] = []
        for path in changed:
            ids = self.documents_of.get(path.resolve())
            if ids is None:
                return ()
            fed += ids
        return tuple(dict.fromkeys(fed))

    def _learn(self) -> None:
        """What the pack, as just built, is made from: what to watch, and which file is which document's."""
        try:
            pack = load_pack(self.sources, self.parsed)
        except (PackgenError, OSError):  # changed since the build: the next build says what is wrong
            return
        self.inputs = watched(self.sources, self.templates, (*pack.files, pack.pictures_dir))
        documents_of: dict[Path, tuple[str, ...]] = {}
        for document in pack.documents.values():
            path = document.file.resolve()
            documents_of[path] = (*documents_of.get(path, ()), document.id)
        self.documents_of = documents_of

    def _publish(self) -> None:
        """A new version of the page, and word of it to every open page."""
        with self.changed:
            self.preview.version += 1
            write_page(self.folder, self.preview)
            self.changed.notify_all()

    def _show(self) -> None:
        """The documents and variants the last good build made, from its manifest, in the pack's order."""
        manifest = json.loads((self.folder / MANIFEST).read_text("utf-8"))
        self.preview.title = manifest["pack"]["title"]
        documents: dict[str, dict[str, Shown]] = {}
        for output in manifest["outputs"]:
            shown = documents.setdefault(output["document"], {}).setdefault(output["variant"],
                                                                            Shown(output["variant"]))
            if output["format"] == "html":
                shown.html = self._address(output["path"])
            elif output["format"] == "pdf":
                folder = f"{PAGES}/{output['variant']}"
                shown.pages = [self._address(f"{folder}/{name}") for name in
                               _page_names(self.folder / folder, output["document"], output.get("pages") or 0)]
        self.preview.documents = {doc: sorted(variants.values(), key=lambda s: s.variant != "standard")
                                  for doc, variants in documents.items()}

    def _address(self, path: str) -> str:
        """The file's address on the page, naming its version: a file a build did not touch keeps its
        address, so the browser shows it from its cache, and only what changed is fetched again."""
        return f"{path}?{VERSION}={(self.folder / path).stat().st_mtime_ns}"

    def wait_for_change(self, seen: int, timeout: float) -> int:
        """The page's version, once it is newer than `seen` or `timeout` seconds have passed."""
        with self.changed:
            self.changed.wait_for(lambda: self.preview.version != seen, timeout)
            return self.preview.version


def _page_names(folder: Path, stem: str, pages: int) -> list[str]:
    return [f"{stem}-{n}.png" for n in range(1, pages + 1) if (folder / f"{stem}-{n}.png").exists()]


def _one_line(exc: Exception) -> str:
    """The line `packgen build` prints for this error (without its `packgen: error: `)."""
    if isinstance(exc, OSError) and not isinstance(exc, PackgenError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    return str(exc)
