"""`packgen check` reads e-books: the pack's own pass, and a book edited to break a rule (its zip
rewritten here, as a careless tool would) gives that rule's finding, naming the book and the part of
it. Ace by DAISY's findings join packgen's own when Ace is installed."""

from __future__ import annotations

import json
import os
import shutil
import socket
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from epub_clients import ACE, CHROMIUM

from packgen.check import check_paths
from packgen.check.findings import Finding

from conftest import run_packgen

Edit = Callable[[str, bytes], bytes]


def problems(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity != "info"]


def edited(book: Path, out: Path, edit: Edit) -> Path:
    """A copy of `book` at `out` with each entry passed through `edit(name, bytes)` (None drops it)."""
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = edit(info.filename, source.read(info))
            if data is not None:
                target.writestr(info, data)
    return out


def replacing(part: str, old: bytes, new: bytes) -> Edit:
    def edit(name: str, data: bytes) -> bytes:
        if name == part:
            assert old in data, (part, old)
            return data.replace(old, new)
        return data
    return edit


def with_ace() -> dict[str, str]:
    if not ACE.exists() or not Path(CHROMIUM).exists():
        pytest.fail("Ace by DAISY is not installed: `make test` installs it from tests/js (with Chromium)")
    return {"PACKGEN_ACE": str(ACE), "PUPPETEER_EXECUTABLE_PATH": CHROMIUM}


def test_every_ebook_the_pack_builds_passes_packgens_epub_rules(built_pack: Path) -> None:
    books = sorted(built_pack.glob("*/*.epub"))
    findings = check_paths(books, axe=False, verapdf=False, ace=False)
    assert len(books) == 16 and not problems(findings)


def test_the_whole_pack_ebook_and_the_form_pass_ace_too(built_pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in with_ace().items():
        monkeypatch.setenv(name, value)
    books = [built_pack / "standard" / "pack.epub", built_pack / "easy-read" / "pledge-form.epub"]
    findings = check_paths(books, axe=False, verapdf=False)
    assert not problems(findings) and not [f for f in findings if f.rule == "ace-unavailable"]


OPF = "EPUB/package.opf"
IN_PACKAGE = f"package document {OPF}"
BROKEN: dict[str, tuple[str, Edit]] = {
    "epub-xhtml-lang": ("EPUB/appendix-a.xhtml", replacing("EPUB/appendix-a.xhtml", b' lang="en-GB"', b"")),
    "epub-accessibility-metadata": (IN_PACKAGE, replacing(OPF, b'<meta property="schema:accessibilitySummary">',
                                                          b'<meta property="summary">')),
    "epub-language": (IN_PACKAGE, replacing(OPF, b"<dc:language>en-GB</dc:language>", b"")),
    "epub-title": (IN_PACKAGE, replacing(OPF, b"<dc:title>", b"<dc:title/><x>")),
    "epub-nav": (IN_PACKAGE, replacing(OPF, b' properties="nav"', b"")),
    "epub-page-list": ("EPUB/nav.xhtml, page 2", replacing("EPUB/nav.xhtml", b"#page_2", b"#page_two")),
    "epub-parse": ("whole file", lambda name, data: b"text/plain" if name == "mimetype" else data),
}


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_a_hand_broken_ebook_gives_the_rules_finding_naming_the_book_and_its_part(built_pack: Path, tmp_path: Path,
                                                                                    rule: str) -> None:
    where, edit = BROKEN[rule]
    if rule == "epub-title":  # an empty title: the <x> opened in its place is closed again
        edit = (lambda inner: lambda name, data: inner(name, data).replace(b"</dc:title>", b"</x>")
                if name == "EPUB/package.opf" else data)(edit)
    book = edited(built_pack / "standard" / "appendix-a.epub", tmp_path / "appendix-a.epub", edit)
    found = problems(check_paths([book], axe=False, verapdf=False, ace=False))
    assert [(f.rule, f.where) for f in found] == [(rule, where)], found
    assert found[0].file.endswith("appendix-a.epub") and found[0].severity == "error" and found[0].fix


def test_a_picture_without_alt_text_in_an_ebook_is_found(built_pack: Path, tmp_path: Path) -> None:
    def edit(name: str, data: bytes) -> bytes:
        return data.replace(b' alt="', b' data-alt="') if name == "EPUB/charter.xhtml" else data
    book = edited(built_pack / "easy-read" / "charter.epub", tmp_path / "charter.epub", edit)
    found = problems(check_paths([book], axe=False, verapdf=False, ace=False))
    assert found and {f.rule for f in found} == {"epub-img-alt"}
    assert all(f.where.startswith("EPUB/charter.xhtml, picture media/") for f in found)


def test_an_ebook_in_another_language_than_its_pack_is_found(built_pack: Path, tmp_path: Path) -> None:
    """A build's manifest says the pack's language: a book listed there in another language is wrong."""
    (tmp_path / "standard").mkdir()
    book = edited(built_pack / "standard" / "appendix-a.epub", tmp_path / "standard" / "appendix-a.epub",
                  replacing("EPUB/package.opf", b"<dc:language>en-GB", b"<dc:language>fr"))
    manifest = json.loads((built_pack / "manifest.json").read_text("utf-8"))
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    found = problems(check_paths([book], axe=False, verapdf=False, ace=False))
    assert [(f.rule, f.message) for f in found] == [
        ("epub-language", "The e-book says its language is 'fr', but its pack is in 'en-GB'.")]


def test_ace_finds_what_it_finds_in_a_hand_broken_ebook(built_pack: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in with_ace().items():
        monkeypatch.setenv(name, value)
    def edit(name: str, data: bytes) -> bytes:  # no language at all: Ace accepts xml:lang alone
        return data.replace(b' lang="en-GB"', b"").replace(b' xml:lang="en-GB"', b"") if name.endswith(
            "appendix-a.xhtml") else data
    book = edited(built_pack / "standard" / "appendix-a.epub", tmp_path / "appendix-a.epub", edit)
    found = problems(check_paths([book], axe=False, verapdf=False))
    assert {f.rule for f in found} == {"epub-xhtml-lang", "ace-html-has-lang"}
    ace = next(f for f in found if f.rule == "ace-html-has-lang")
    assert ace.file.endswith("appendix-a.epub") and "appendix-a.xhtml" in ace.where and "kb.daisy.org" in ace.fix


def test_without_ace_one_line_says_only_packgens_rules_ran_and_how_to_get_it(built_pack: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACKGEN_ACE", "/nonexistent/ace")
    findings = check_paths([built_pack / "standard" / "pack.epub"], axe=False, verapdf=False)
    assert [(f.rule, f.severity) for f in findings] == [("ace-unavailable", "info")]
    assert "npm install" in findings[0].message and "PACKGEN_ACE" in findings[0].message


def test_an_ace_that_fails_is_an_error_naming_the_book(built_pack: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACKGEN_ACE", shutil.which("false") or "/bin/false")
    monkeypatch.setenv("PUPPETEER_EXECUTABLE_PATH", CHROMIUM)
    found = check_paths([built_pack / "standard" / "pack.epub"], axe=False, verapdf=False)
    assert [(f.rule, f.severity) for f in found] == [("ace-error", "error")]
    assert found[0].file.endswith("pack.epub")


def test_each_book_ace_cannot_check_within_the_memory_bound_is_one_error_naming_it(built_pack: Path) -> None:
    # Ace's node is held to --memory: 8 MB is enough for packgen's own reading of the books, and far too
    # little for Ace (it needs some 20 MB for the shortest). Each book is named on its own line.
    books = [built_pack / "standard" / "appendix-a.epub", built_pack / "standard" / "charter.epub"]
    result = run_packgen("check", "--no-axe", "--no-verapdf", "--memory", "8", *map(str, books),
                         env={**os.environ, **with_ace(), "NO_COLOR": "1"})
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    stopped = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert [line.split(": whole file: ")[0] for line in stopped] == [f"error: format-stopped: {b}" for b in books]
    for line in stopped:
        assert "Ace needed more than 8 MB of memory to check it, so it was stopped" in line and "--memory" in line
    with_room = run_packgen("check", "--no-axe", "--no-verapdf", *map(str, books),
                            env={**os.environ, **with_ace(), "NO_COLOR": "1"})
    assert with_room.returncode == 0, with_room.stdout  # the default bound leaves Ace room to check them


def test_packgen_check_no_longer_passes_over_ebooks(built_pack: Path) -> None:
    result = run_packgen("check", "--no-axe", "--no-verapdf", "--no-ace", str(built_pack),
                         env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert ".epub" not in " ".join(line for line in result.stdout.splitlines() if "not checked" in line)
    assert "--no-ace" in run_packgen("check", "--help").stdout


@contextmanager
def loopback_listener() -> Iterator[tuple[int, Callable[[], list[str]]]]:
    """A TCP and a UDP socket on one free loopback port, and a function telling who reached them so far."""
    for _ in range(20):
        tcp, udp = socket.socket(), socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        tcp.bind(("127.0.0.1", 0))
        try:
            udp.bind(("127.0.0.1", tcp.getsockname()[1]))
            break
        except OSError:
            tcp.close()
            udp.close()
    tcp.listen(64)
    tcp.setblocking(False)
    udp.setblocking(False)

    def heard() -> list[str]:
        found = []
        for receive, kind in ((tcp.accept, "TCP"), (udp.recvfrom, "UDP")):
            while True:
                try:
                    got = receive(4096) if kind == "UDP" else receive()
                except BlockingIOError:
                    break
                found.append(f"{kind} {got[1]}")
                if kind == "TCP":
                    got[0].close()
        return found
    with tcp, udp:
        yield tcp.getsockname()[1], heard


def phoning_home(port: int) -> bytes:
    """A picture with no alt text, and a script that reaches for a loopback port every way a page can."""
    url = f"http://127.0.0.1:{port}/"
    return f"""<p><img src="{url}picture.png"/></p><script>
fetch("{url}fetch").catch(function () {{}});
new Image().src = "{url}image";
new WebSocket("ws://127.0.0.1:{port}/socket");
var peer = new RTCPeerConnection({{iceServers: [{{urls: "stun:127.0.0.1:{port}"}}]}});
peer.createDataChannel("out");
peer.createOffer().then(function (offer) {{ return peer.setLocalDescription(offer); }});
</script></body>""".encode()


def test_ace_runs_a_books_scripts_but_they_reach_no_network(built_pack: Path, tmp_path: Path) -> None:
    """A hostile book's script fetches, loads pictures, opens a WebSocket and a WebRTC connection to a
    port on this machine while Ace renders it: nothing arrives, and Ace still reports the picture."""
    with loopback_listener() as (port, heard):
        book = edited(built_pack / "standard" / "appendix-a.epub", tmp_path / "appendix-a.epub",
                      replacing("EPUB/appendix-a.xhtml", b"</body>", phoning_home(port)))
        result = run_packgen("check", "--no-axe", "--no-verapdf", str(book), env={**with_ace(), "NO_COLOR": "1"})
        assert heard() == [], result.stdout
    ace = [line for line in result.stdout.splitlines() if line.startswith("error: ace-image-alt:")]
    assert len(ace) == 1 and "appendix-a.xhtml img" in ace[0] and "alt attribute" in ace[0], result.stdout
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_a_book_leading_outside_itself_is_one_line_and_the_others_are_still_checked(
        built_pack: Path, tmp_path: Path) -> None:
    """Ace opens a manifest item outside the book it unpacked as a file of this machine, and stops when
    there is none: packgen says so in one line and hands the book to Ace no more."""
    def away(name: str, data: bytes) -> bytes:
        return data.replace(b"<manifest>", b'<manifest><item id="away" href="../../away.xhtml" media-type='
                            b'"application/xhtml+xml"/>').replace(b"<spine>", b'<spine><itemref idref="away"/>'
                                                                  ) if name == OPF else data
    outside = edited(built_pack / "standard" / "appendix-a.epub", tmp_path / "outside.epub", away)
    def no_language(name: str, data: bytes) -> bytes:
        return data.replace(b' lang="en-GB"', b"").replace(b' xml:lang="en-GB"', b"") if name.endswith(
            "appendix-b.xhtml") else data
    other = edited(built_pack / "standard" / "appendix-b.epub", tmp_path / "other.epub", no_language)
    result = run_packgen("check", "--no-axe", "--no-verapdf", str(outside), str(other),
                         env={**with_ace(), "NO_COLOR": "1"})
    said = [line for line in result.stdout.splitlines() if "outside.epub" in line]
    assert said == [f"error: ace-error: {outside}: whole file: Ace could not open it: manifest item points outside "
                    "the book (../../away.xhtml). Fix: Open the e-book in a reading system; export it again "
                    "from the program that made it."], result.stdout
    assert f"error: ace-html-has-lang: {other}:" in result.stdout
    assert result.returncode == 1 and "Traceback" not in result.stderr and "report.json" not in result.stdout
