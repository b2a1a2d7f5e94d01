"""`packgen preview`: an editor keeps the preview open in a browser while they edit the pack.

Each test starts the real command on a copy of the small pack, as a comms officer would in a
terminal, and looks at it as they would: in Chromium (tests/js/preview_check.mjs), or, for what a
browser cannot send, with raw requests from http.client.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image

from packgen.sources.loader import load_pack

from conftest import ROOT, make_pack, require, run_packgen

JS = ROOT / "tests" / "js"
CHROMIUM = Path("/usr/bin/chromium")
STARTED = re.compile(r"at (http://127\.0\.0\.1:(\d+)/) \(files in (.+)\); press Ctrl-C")


@dataclass
class Preview:
    process: subprocess.Popen
    url: str
    port: int
    folder: Path
    lines: queue.Queue = field(default_factory=queue.Queue)

    def said(self, pattern: str, seconds: float = 60) -> str:
        """The next line the terminal shows matching `pattern` (waiting for it)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            if re.search(pattern, line):
                return line
        raise AssertionError(f"the preview never said {pattern!r}")

    def get(self, target: str) -> tuple[int, bytes]:
        """A raw request, sent exactly as written (a browser would tidy the path first)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.putrequest("GET", target, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


def end(process: subprocess.Popen) -> None:
    """Ask a browser script to end (its browser ends with it), and make sure it has."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def browser_step(browser: subprocess.Popen, edit: Callable[[], object]) -> dict:
    """Make the edit once preview_check.mjs is ready for its next step; what it saw once it saw it."""
    ready = json.loads(browser.stdout.readline() or "{}")
    assert "ready" in ready, browser.stderr.read()
    edit()
    seen = json.loads(browser.stdout.readline() or "{}")
    assert seen.get("step") == ready["ready"], browser.stderr.read()
    return seen


def start(sources: Path, templates: Path, *args: str) -> Preview:
    process = subprocess.Popen([sys.executable, "-m", "packgen", "preview", "--sources", str(sources),
                                "--templates", str(templates), *args], cwd=sources.parent,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.1)
        except queue.Empty:
            assert process.poll() is None, f"packgen preview ended with status {process.returncode}"
            continue
        if found := STARTED.search(line):
            return Preview(process, found[1], int(found[2]), Path(found[3]), lines)
    process.kill()
    raise AssertionError("packgen preview never said where it serves")


def stop(running: Preview) -> None:
    """Ctrl-C, as the officer ends it."""
    if running.process.poll() is None:
        running.process.send_signal(signal.SIGINT)
        running.process.wait(timeout=60)


@pytest.fixture
def preview(mini_pack: tuple[Path, Path]) -> Iterator[Preview]:
    running = start(*mini_pack)
    yield running
    stop(running)


def test_an_edit_and_a_mistake_show_in_the_open_browser_without_reloading_it(
        preview: Preview, mini_pack: tuple[Path, Path]) -> None:
    node = require("node")
    sources, _ = mini_pack
    charter, pack_yaml = sources / "charter.md", sources / "pack.yaml"
    good_yaml = pack_yaml.read_text("utf-8")
    broken_yaml = good_yaml.replace("short_name: RCT", "short_name: RCT: Riverside")  # a colon too many
    broken_line = 1 + good_yaml.splitlines().index("short_name: RCT")
    steps = [{"present": "Riverside Community Trust wrote this Charter with the people it serves"},
             {"present": "with every family on Mill Lane", "picture": "pages/standard/charter-"},
             {"present": [f"pack.yaml:{broken_line}:", "with every family on Mill Lane"]},
             {"absent": "The pack did not build", "present": "with every family on Mill Lane"}]
    browser = subprocess.Popen([node, str(JS / "preview_check.mjs"), "--chromium", str(CHROMIUM), preview.url,
                                json.dumps(steps)], cwd=JS, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    edits = [lambda: None,
             lambda: charter.write_text(charter.read_text("utf-8").replace(
                 "with the people it serves", "with every family on Mill Lane"), "utf-8"),
             lambda: pack_yaml.write_text(broken_yaml, "utf-8"),
             lambda: pack_yaml.write_text(good_yaml, "utf-8")]
    try:
        seen = [browser_step(browser, edit) for edit in edits]
    finally:
        end(browser)
    # the page was never loaded again, and of the documents only the edited one's web page was
    assert all(step["marked"] for step in seen), [step["marked"] for step in seen]
    assert seen[1]["frames_loaded"] == ["/standard/charter.html"]
    assert seen[1]["pictures"] and all(src.startswith("pages/standard/charter-") for src in seen[1]["pictures"])
    # the mistake is the build's own one line, over the last good preview (steps 2 and 3 wait for the
    # edit to show with it, and once it is gone)
    error = next(line for line in seen[2]["text"].splitlines() if "pack.yaml" in line)
    assert f"{pack_yaml}:{broken_line}: invalid YAML" in error
    assert seen[1]["picture_at"] > 0  # the charter's PDF page picture was drawn again, in the browser
    versions = [int(step["version"]) for step in seen]  # the page loaded itself again for each save
    assert versions == sorted(set(versions)), versions
    assert preview.said(rf"packgen: error: {re.escape(str(pack_yaml))}:{broken_line}: invalid YAML")
    assert preview.process.poll() is None  # the mistake did not end the preview


def test_the_pdf_page_pictures_follow_an_edit(preview: Preview, mini_pack: tuple[Path, Path]) -> None:
    sources, _ = mini_pack
    page = preview.get("/")[1].decode("utf-8")
    assert 'src="pages/standard/charter-1.png' in page and 'src="pages/easy-read/charter-1.png' in page
    status, before = preview.get("/pages/standard/charter-1.png")
    width, height = Image.open(io.BytesIO(before)).size
    assert status == 200 and round(height / width, 2) == round(297 / 210, 2)  # an A4 page
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace("with the people it serves",
                                                          "with every family on Mill Lane, street by street"),
                       "utf-8")
    preview.said(r"preview updated")
    assert preview.get("/pages/standard/charter-1.png")[1] != before
    unchanged = preview.get("/pages/standard/appendix-a-1.png")
    assert unchanged[0] == 200


def test_only_the_preview_folder_is_served(preview: Preview, mini_pack: tuple[Path, Path]) -> None:
    sources, _ = mini_pack
    pack_yaml = sources / "pack.yaml"
    secret = pack_yaml.read_bytes()
    up = "/.." * len(preview.folder.parts)  # far enough up to reach / from the preview's folder
    for target in ("/../pack.yaml", "/%2e%2e/pack.yaml", "/%2E%2E/%2e%2e/pack.yaml", f"{up}{pack_yaml}",
                   f"{up.replace('..', '%2e%2e')}{pack_yaml}", str(pack_yaml), f"/{pack_yaml}",
                   f"http://127.0.0.1:{preview.port}{up}{pack_yaml}"):
        status, body = preview.get(target)
        assert status in (403, 404), target
        assert secret not in body and b"documents:" not in body, target
    assert preview.get("/")[0] == 200


def listening_addresses(pid: int) -> list[str]:
    """The local addresses of the TCP sockets process `pid` listens on, from /proc/net/tcp{,6}."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            fields = row.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: listening
                found.append(fields[1])
    return found


def test_it_listens_on_this_computer_only(preview: Preview) -> None:
    addresses = listening_addresses(preview.process.pid)
    assert addresses == [f"0100007F:{preview.port:04X}"]  # 127.0.0.1, in the kernel's byte order


def test_ctrl_c_ends_it_cleanly_and_removes_its_files(preview: Preview) -> None:
    assert (preview.folder / "index.html").is_file()
    preview.process.send_signal(signal.SIGINT)
    assert preview.process.wait(timeout=60) == 0
    assert not preview.folder.exists()
    assert preview.said(r"preview stopped")


def test_a_port_in_use_is_one_clear_line(mini_pack: tuple[Path, Path]) -> None:
    sources, templates = mini_pack
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_packgen("preview", "--sources", str(sources), "--templates", str(templates),
                             "--port", str(port))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"packgen: error: port {port} on 127.0.0.1 is in use by another "
                                          "program: give another with --port, or leave --port out to use a "
                                          "free one"]
    assert "previewing" not in result.stdout


def test_a_picture_kept_outside_the_sources_folder_is_watched(tmp_path: Path) -> None:
    """pack.yaml may keep the pictures beside the sources folder (`pictures: ../pictures`): the files the
    loaded pack names are watched wherever they are, so replacing a photo there redraws the page."""
    sources, templates = make_pack(tmp_path)
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    photo = pictures / "river.png"
    Image.new("RGB", (400, 200), "#2060c0").save(photo)
    pack_yaml = sources / "pack.yaml"
    pack_yaml.write_text(pack_yaml.read_text("utf-8").replace("language: en-GB",
                                                              "language: en-GB\npictures: ../pictures"), "utf-8")
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace(
        "with the people it serves.", "with the people it serves.\n\n![The river at Mill Lane](river.png)"), "utf-8")
    running = start(sources, templates)
    try:
        before = running.get("/pages/standard/charter-1.png")[1]
        Image.new("RGB", (400, 200), "#c03020").save(photo)  # the photo replaced by another
        assert running.said(r"packgen: changed: river\.png", seconds=30)
        running.said(r"preview updated")
        assert running.get("/pages/standard/charter-1.png")[1] != before
    finally:
        stop(running)


def test_a_save_during_the_first_build_is_seen(tmp_path: Path) -> None:
    """The officer saves while the preview is still making its first build: that save is built too."""
    sources, templates = make_pack(tmp_path)
    charter = sources / "charter.md"
    process = subprocess.Popen([sys.executable, "-m", "packgen", "preview", "--sources", str(sources),
                                "--templates", str(templates)], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    running = Preview(process, "", 0, tmp_path)
    threading.Thread(target=lambda: [running.lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        running.said(r"preview updated", seconds=120)  # the first build has made its files...
        # ...and the preview is not yet watching, were it to start watching only now
        charter.write_text(charter.read_text("utf-8").replace("with the people it serves",
                                                              "with every family on Mill Lane"), "utf-8")
        found = STARTED.search(running.said(STARTED.pattern, seconds=60))
        running.port = int(found[2])
        assert running.said(r"packgen: changed: charter\.md", seconds=30)
        running.said(r"preview updated")
        page = running.get("/standard/charter.html")[1].decode("utf-8")
        assert "with every family on Mill Lane" in page
    finally:
        stop(running)


def test_the_preview_page_passes_axe(preview: Preview, mini_pack: tuple[Path, Path]) -> None:
    """axe-core's WCAG 2.2 AA rules on the preview page itself, wide and at 320 px, as it shows a mistake
    too (tests/js/axe_check.mjs, as every page of the pack is checked)."""
    node = require("node")
    sources, _ = mini_pack
    pack_yaml = sources / "pack.yaml"
    pack_yaml.write_text(pack_yaml.read_text("utf-8").replace("short_name: RCT", "short_name: RCT: Riverside"),
                         "utf-8")
    preview.said(r"packgen: error: ")
    done = subprocess.run([node, str(JS / "axe_check.mjs"), "--chromium", str(CHROMIUM), preview.url], cwd=JS,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    (result,) = json.loads(done.stdout)["results"]
    assert "The pack did not build" in preview.get("/")[1].decode("utf-8")
    assert result["violations"] == [] and result["narrowViolations"] == [], result
    assert result["errors"] == []


def test_the_preview_reads_again_only_the_source_files_that_changed(mini_pack: tuple[Path, Path]) -> None:
    """Between saves the preview keeps each document as it last read it (what build() is given as
    `parsed`): a document whose file is unchanged is not read again, the edited one is."""
    sources, _ = mini_pack
    parsed: dict = {}
    first = load_pack(sources, parsed)
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace("with the people it serves", "with every family"), "utf-8")
    second = load_pack(sources, parsed)
    assert second.documents["appendix-a"].sections is first.documents["appendix-a"].sections
    assert second.documents["charter"].sections is not first.documents["charter"].sections
    assert "with every family" in second.documents["charter"].sections[0].body
    (sources / "pictures").mkdir()
    Image.new("RGB", (10, 10)).save(sources / "pictures" / "new.png")  # a picture any document may now name
    assert load_pack(sources, parsed).documents["appendix-a"].sections is not first.documents["appendix-a"].sections
