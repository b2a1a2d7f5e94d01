"""HTML rules: a good page passes, each rule catches a page made to break it, and axe-core folds in."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from packgen.check import check_paths
from packgen.check.findings import Finding

from conftest import IN_CI, held_to, outlived_by, require, run_packgen

GOOD = """\
<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Good page</title>
<style>body {{ font: 16px/1.5 sans-serif; color: #1f2a44; background: #fff; }}</style></head>
<body>
<main>
<h1>Good page</h1>
<p>This page follows the rules. <a href="https://example.org/charter">Read the full charter</a>.</p>
<h2>A section</h2>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="A blue dot">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="" role="presentation">
<table><caption>People</caption>
<tr><th scope="col">Name</th><th scope="col">Role</th></tr>
<tr><td>Ann</td><td>Chair</td></tr>
</table>
<h3>Your details</h3>
<label for="name">Your name</label> <input id="name" type="text">
<label>Your email <input type="email"></label>
<input type="text" aria-label="Your role">
{extra}
</main>
</body>
</html>
"""


def rules(findings: list[Finding], severity: str = "error") -> set[str]:
    return {f.rule for f in findings if f.severity == severity}


def page(tmp_path: Path, extra: str = "", name: str = "page.html", text: str | None = None) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text is not None else GOOD.format(extra=extra), "utf-8")
    return path


def check(path: Path) -> list[Finding]:
    return check_paths([path], axe=False)


def test_good_page_passes(tmp_path: Path) -> None:
    assert check(page(tmp_path)) == []


def test_page_without_lang_fails(tmp_path: Path) -> None:
    path = page(tmp_path, text=GOOD.format(extra="").replace(' lang="en-GB"', ""))
    assert rules(check(path)) == {"html-lang"}


def test_page_without_title(tmp_path: Path) -> None:
    path = page(tmp_path, text=GOOD.format(extra="").replace("<title>Good page</title>", ""))
    assert rules(check(path)) == {"html-title"}


def test_two_h1(tmp_path: Path) -> None:
    assert rules(check(page(tmp_path, "<h1>Another</h1>"))) == {"html-h1"}


def test_no_h1(tmp_path: Path) -> None:
    path = page(tmp_path, text=GOOD.format(extra="").replace("<h1>Good page</h1>", ""))
    assert "html-h1" in rules(check(path))


def test_skipped_heading(tmp_path: Path) -> None:
    found = check(page(tmp_path, "<h5>Too deep</h5>"))
    assert rules(found) == {"html-heading-skip"}
    assert "Too deep" in found[0].where


@pytest.mark.parametrize("img", ['<img src="x.png">', '<img src="x.png" alt="">'])
def test_image_without_alt(tmp_path: Path, img: str) -> None:
    assert rules(check(page(tmp_path, img))) == {"html-img-alt"}


def test_decorative_image_hidden_passes(tmp_path: Path) -> None:
    assert check(page(tmp_path, '<img src="x.png" alt="" aria-hidden="true">')) == []


@pytest.mark.parametrize("table", ["<table><tr><td>a</td><td>b</td></tr></table>",
                                   "<table><tr><th>Name</th></tr><tr><td>a</td></tr></table>"])
def test_table_without_headers_or_scope(tmp_path: Path, table: str) -> None:
    assert rules(check(page(tmp_path, table))) == {"html-table-headers"}


def test_unlabelled_field(tmp_path: Path) -> None:
    assert rules(check(page(tmp_path, '<input type="text" id="nolabel">'))) == {"html-form-label"}


def test_labelledby_missing_target_fails(tmp_path: Path) -> None:
    assert rules(check(page(tmp_path, '<textarea aria-labelledby="ghost"></textarea>'))) == {"html-form-label"}


@pytest.mark.parametrize(("link", "severity"), [('<a href="/x">click here</a>', "error"),
                                                ('<a href="/x"></a>', "error"),
                                                ('<a href="/x"><img src="i.png" alt=""></a>', "error"),
                                                ('<a href="https://example.org">https://example.org</a>', "warning")])
def test_bad_link_text(tmp_path: Path, link: str, severity: str) -> None:
    found = check(page(tmp_path, link))
    assert "html-link-text" in rules(found, severity)


def test_link_named_by_image_alt_passes(tmp_path: Path) -> None:
    assert check(page(tmp_path, '<a href="/x"><img src="i.png" alt="Home page"></a>')) == []


def test_easy_read_page(tmp_path: Path) -> None:
    extra = ("<p>We <em>really</em> help.</p><p>This sentence is far too long for easy read because it keeps "
             "going on and on with many words.</p><p>READ THIS VERY CAREFULLY.</p>")
    found = check(page(tmp_path, extra, name="easy-read/page.html"))
    assert rules(found) == {"easy-read-italic"}
    assert {"easy-read-sentence-length", "easy-read-capitals"} <= rules(found, "warning")


def test_binary_html_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "binary.html"
    path.write_bytes(b"\x00\x01\x02\xff" * 500)
    assert rules(check(path)) == {"html-parse"}


def test_empty_html_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_bytes(b"")
    assert rules(check(path)) == {"html-parse"}


@pytest.mark.slow
def need_axe() -> None:
    """axe-core, Node and Chromium, or the test skips (fails in CI) saying which is missing."""
    require("chromium")
    require("node")
    from packgen.check.axe import unavailable_reason

    reason = unavailable_reason()
    if reason:
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)


def test_axe_findings_are_folded_in(tmp_path: Path) -> None:
    """A low-contrast link and a tiny target: axe-core's color-contrast and WCAG 2.2 target-size rules."""
    need_axe()
    extra = ('<p style="color:#bbb">Faint words on white.</p>'
             '<div style="display:flex">'
             '<button type="button" style="width:10px;height:10px;padding:0;margin:0;border:0">A</button>'
             '<button type="button" style="width:10px;height:10px;padding:0;margin:0;border:0">B</button></div>')
    bad = page(tmp_path, extra, name="bad.html")
    good = page(tmp_path, name="good.html")
    found = check_paths([bad, good])
    bad_rules = {f.rule for f in found if f.file.endswith("bad.html")}
    assert {"axe-color-contrast", "axe-target-size"} <= bad_rules
    assert not [f for f in found if f.file.endswith("good.html")]
    assert not [f for f in found if f.rule == "axe-unavailable"]


def test_a_page_the_browser_cannot_check_within_the_memory_bound_is_one_error_and_the_others_get_axe(
        tmp_path: Path) -> None:
    """`packgen check --memory 600` on a folder holding a page of a million paragraphs (8 MB, which
    packgen's own reader reads within the bound, and Chromium takes gigabytes to check with axe-core)
    between two pages of faint words: the big page is one format-stopped line saying Chromium needed more
    than 600 MB, both others get axe's finding (the one before it kept from the browser that was
    stopped, the one after it checked in a new browser), and no browser process outlives the check.
    Before, Chromium had no memory bound: it took 5 GB and more before the check's time bound ended it."""
    need_axe()
    site = tmp_path / "site"
    faint = '<p style="color:#bbb">Faint words on white.</p>'
    before, after = page(site, faint, "a.html"), page(site, faint, "c.html")
    big = page(site, "<p>x</p>" * 1_000_000, "b.html")
    mark, folder = f"axe-memory-{os.getpid()}", tmp_path / "run"  # the browser's processes all work in folder
    folder.mkdir()
    with held_to(mark, 2000, folder):  # the bound this test is about holds well within it
        done = run_packgen("check", "--no-verapdf", "--memory", "600", str(site), cwd=folder,
                           env={"PACKGEN_TEST_MARK": mark})
    assert outlived_by(mark, folder=folder) == []
    lines = done.stdout.splitlines()
    assert [line for line in lines if f"{big.name}:" in line] == [
        f"error: format-stopped: {big}: whole file: The checker could not finish reading this file (Chromium needed "
        "more than 600 MB of memory to check it with axe-core, so it was stopped). Fix: If the file is one you trust "
        "and it is very large, check it again with a larger --memory or --timeout; otherwise ask for it to be saved "
        "or exported again."], done.stdout + done.stderr
    for small in (before, after):
        assert any(line.startswith(f"error: axe-color-contrast: {small}: ") for line in lines), done.stdout
    assert not [line for line in lines if "axe-unavailable" in line]


def test_axe_unavailable_is_one_info_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from packgen.check import axe

    monkeypatch.setattr(axe, "CHROMIUM", tmp_path / "no-chromium")
    found = check_paths([page(tmp_path), page(tmp_path, name="two.html")])
    assert [(f.severity, f.rule) for f in found] == [("info", "axe-unavailable")]


FAKE_AXE = """#!{python}
import json, pathlib, sys
files = [a for a in sys.argv[2:] if a.endswith(".html")]  # after the runner: node RUNNER --node-modules ...
pathlib.Path({handed!r}).write_text("\\n".join(files))
for f in files:
    print(json.dumps({{"file": f, "violations": [{{"id": "color-contrast", "impact": "serious",
        "help": "Elements must meet minimum color contrast ratio thresholds", "helpUrl": "https://axe",
        "nodes": [{{"target": ["p"], "summary": ""}}]}}]}}))
"""


def test_a_page_packgen_cannot_read_is_not_handed_to_axe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A picture saved as page.html is one line, that it cannot be read as a web page; axe-core (a
    stand-in here, reporting faint words on every page it is handed) checks only the page that can be
    read. Before, Chromium opened the picture too and axe reported its missing title and language."""
    from packgen.check import axe
    from packgen.check.cli import main

    tools = tmp_path / "tools"
    for folder in ("bin", "node_modules/axe-core", "node_modules/puppeteer-core"):
        (tools / folder).mkdir(parents=True)
    handed = tmp_path / "handed.txt"
    node = tools / "bin" / "node"
    node.write_text(FAKE_AXE.format(python=sys.executable, handed=str(handed)), "utf-8")
    node.chmod(0o755)
    (tools / "chromium").write_text("")
    monkeypatch.setattr(axe, "CHROMIUM", tools / "chromium")
    monkeypatch.setenv("PACKGEN_NODE_MODULES", str(tools / "node_modules"))
    monkeypatch.setenv("PATH", f"{tools / 'bin'}{os.pathsep}{os.environ['PATH']}")
    (tmp_path / "site").mkdir()
    picture = tmp_path / "site" / "picture.html"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    readable = page(tmp_path / "site", name="page.html")

    assert main([str(tmp_path / "site"), "--no-verapdf"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if str(picture) in line] == [
        f"error: html-parse: {picture}: whole file: The file cannot be read as a web page: it holds binary data, "
        "not text. Fix: Save the page again from the program that made it; if it is not a web page, rename it."]
    assert any(line.startswith(f"error: axe-color-contrast: {readable}: ") for line in lines)
    assert handed.read_text().splitlines() == [str(readable.resolve())]


def test_axe_never_runs_the_pages_own_scripts(tmp_path: Path) -> None:
    """A page handed to the checker may be hostile: its scripts (which could reach the network, as
    WebSocket and WebRTC pass any request filter) never run. Here a script would add faint words axe
    reports; written into the page itself, they are reported."""
    need_axe()
    faint = '<p style="color:#bbb">Faint words on white.</p>'
    scripted = page(tmp_path, f"<script>document.currentScript.insertAdjacentHTML('afterend', '{faint}')</script>",
                    name="scripted.html")
    written = page(tmp_path, faint, name="written.html")
    found = check_paths([scripted, written])
    assert "axe-color-contrast" in {f.rule for f in found if f.file.endswith("written.html")}
    assert "axe-color-contrast" not in {f.rule for f in found if f.file.endswith("scripted.html")}
    assert not [f for f in found if f.rule == "axe-unavailable"]
