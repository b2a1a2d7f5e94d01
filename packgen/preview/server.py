"""Serving the preview folder on 127.0.0.1, and telling open pages when it has changed.

Only files under the preview folder are served: a request whose path, once decoded, climbs out of
it (`/../pack.yaml`, `/%2e%2e/pack.yaml`) or is not a path from the folder's root (an absolute URL,
`//host/...`) is refused with 403 before any file is looked at.
"""

from __future__ import annotations

import errno
import posixpath
import urllib.parse
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from packgen.errors import PackgenError
from packgen.preview.session import VERSION, Session

HOST = "127.0.0.1"  # the loopback address only: a preview is for the person at this computer
EVENTS = "/events"
BEAT = 15.0  # seconds between the event stream's keep-alive lines


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream never holds up the end of the preview
    allow_reuse_address = False  # a port in use is an error, not a port shared with another program


def serve(session: Session, port: int) -> PreviewServer:
    """A server for the session's folder on HOST:port (0: a free port), not yet serving."""
    handler = partial(PreviewHandler, session=session, directory=str(session.folder))
    try:
        return PreviewServer((HOST, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PackgenError(f"port {port} on {HOST} is in use by another program: give another with "
                               "--port, or leave --port out to use a free one") from None
        raise


def inside(target: str) -> bool:
    """Whether a request target is a path within the served folder."""
    if not target.startswith("/") or target.startswith("//"):
        return False
    path = urllib.parse.unquote(urllib.parse.urlsplit(target).path)
    if not path.startswith("/") or path.startswith("//") or "\\" in path or "\0" in path:
        return False
    parts = path.split("/")
    return ".." not in parts and posixpath.normpath(path).startswith("/")


class PreviewHandler(SimpleHTTPRequestHandler):
    def __init__(self, *args, session: Session, **kwargs):
        self.session = session
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        if not inside(self.path):
            self.send_error(HTTPStatus.FORBIDDEN, "only files of the preview are served")
            return
        if urllib.parse.urlsplit(self.path).path == EVENTS:
            self._events()
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        if not inside(self.path):
            self.send_error(HTTPStatus.FORBIDDEN, "only files of the preview are served")
            return
        super().do_HEAD()

    def translate_path(self, path: str) -> str:
        translated = Path(super().translate_path(path)).resolve()
        root = Path(self.directory).resolve()
        # a link inside the folder pointing out of it is refused too (as a missing file)
        return str(translated) if translated.is_relative_to(root) else str(root / ".missing")

    def end_headers(self) -> None:
        # An address naming its file's version never changes what it serves; any other (the page)
        # is replaced in place by each rebuild, so the browser must ask again every time.
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        self.send_header("Cache-Control", "max-age=31536000, immutable" if VERSION in query else "no-store")
        super().end_headers()

    def _events(self) -> None:
        """Server-sent events: the page's version now, then each new one as a build writes its web
        pages, then its PDF page pictures."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = None
        try:
            while True:
                version = self.session.wait_for_change(seen, BEAT) if seen is not None else self.session.version
                self.wfile.write(f"data: {version}\n\n".encode() if version != seen else b": beat\n\n")
                self.wfile.flush()
                seen = version
        except OSError:  # the page was closed or reloaded
            return

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal shows builds and errors, not every picture the page asks for
