"""`packgen preview`: build once, serve, then rebuild on every save until Ctrl-C."""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from packgen.preview.server import HOST, serve
from packgen.preview.session import Session
from packgen.preview.watcher import Watcher


def preview(sources: Path, templates: Path, port: int, say: Callable[[str], None]) -> int:
    """Run the preview until interrupted; its folder is removed however it ends."""
    folder = Path(tempfile.mkdtemp(prefix="packgen-preview-"))
    watcher = None
    try:
        session = Session(sources, templates, folder, say)
        server = serve(session, port)  # before the first build: a port in use is said at once
        try:
            watcher = Watcher(lambda: session.inputs, ignore=folder)
            watcher.start()  # before the first build, so a save made during it is seen
            session.rebuild()
            watcher.settle()  # the files the first build named are watched before the officer is told
            thread = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
            thread.start()
            url = f"http://{HOST}:{server.server_address[1]}/"
            say(f"packgen: previewing {sources} at {url} (files in {folder}); press Ctrl-C to stop")
            try:
                while True:
                    files = watcher.changes()
                    say(f"packgen: changed: {', '.join(sorted(p.name for p in files))}")
                    session.rebuild(files)
                    watcher.settle()
            except KeyboardInterrupt:
                pass
            server.shutdown()
        finally:
            server.server_close()
    except KeyboardInterrupt:  # Ctrl-C during the first build
        pass
    finally:
        if watcher is not None:
            watcher.stop()
        shutil.rmtree(folder, ignore_errors=True)
    say("packgen: preview stopped")
    return 0
