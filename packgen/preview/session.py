"""One preview session: rebuild the pack into the preview's own folder, keep the last good preview.

The session lives as long as `packgen preview`, so every module a build needs stays imported and
every file whose sources have not changed is kept by the build's own record: a save rebuilds only
the documents it touches. The build runs in this process (one job, no workers), since the server's
threads are already running and the files one edit touches are few.
"""

from __future__ import annotations

import json
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from packgen.errors import PackgenError
from packgen.pack.build import BuildOptions, build
from packgen.pack.manifest import MANIFEST
from packgen.preview.page import Preview, Shown, write_page
from packgen.preview.page_images import render_pages

FORMATS = ("html", "pdf")  # what the preview shows; Word files are not drawn in a browser
PAGES = "pages"  # the folder of PDF page pictures, inside the preview's folder
VERSION = "v"  # the query naming a file's version in its address (server.py lets browsers keep those)

Say = Callable[[str], None]


class Session:
    def __init__(self, sources: Path, templates: Path, folder: Path, say: Say):
        self.sources, self.templates, self.folder, self.say = sources, templates, folder, say
        self.preview = Preview()
        self.changed = threading.Condition()  # notified with each new version of the page

    @property
    def version(self) -> int:
        return self.preview.version

    def rebuild(self) -> bool:
        """Build what changed and show it; on an error, show it over the last good preview."""
        started = time.perf_counter()
        options = BuildOptions(sources=self.sources, templates=self.templates, out=self.folder,
                               formats=FORMATS, jobs=1)
        try:
            report = build(options)
        except (PackgenError, OSError) as exc:  # a mistake in the sources: show it, keep watching
            self.preview.error = _one_line(exc)
            self.say(f"packgen: error: {self.preview.error}")
        except Exception as exc:  # a bug met on some source: the preview still outlives it
            self.preview.error = f"packgen failed unexpectedly ({type(exc).__name__}: {exc}); please report it"
            self.say(f"packgen: error: {self.preview.error}\n{traceback.format_exc()}")
        else:
            self.preview.error = None
            for output in report.built:
                if output.format == "pdf":
                    render_pages(self.folder / output.path, self.folder / PAGES / output.variant, output.document)
            self._show()
            self.say(f"packgen: preview updated: {len(report.built)} file(s) built in "
                     f"{time.perf_counter() - started:.2f}s")
        with self.changed:
            self.preview.version += 1
            write_page(self.folder, self.preview)
            self.changed.notify_all()
        return self.preview.error is None

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
