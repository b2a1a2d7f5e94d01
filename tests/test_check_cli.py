"""`packgen check` as a command: exit statuses, the JSON report, folder walking, hostile files, our own pack."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from test_check_docx import build as build_docx

from packgen.check import check_paths, has_errors
from packgen.check.cli import main
from packgen.model import Document, Metadata, Paragraph, Text

from conftest import run_packgen

FIXTURES = Path(__file__).parent / "fixtures"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_file_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([str(build_docx(tmp_path)), "--no-axe"], capsys)
    assert code == 0
    assert out.strip().endswith("no accessibility errors, 0 warnings in 1 file")


def test_errors_exit_1_with_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def change(d):
        d.core_properties.title = ""
        d.add_heading("Too deep", 4)
    path = build_docx(tmp_path, change)
    code, out, _ = run([str(path), "--no-axe"], capsys)
    assert code == 1
    lines = out.strip().splitlines()
    assert lines[0].startswith("error: docx-title: ") and "Fix: " in lines[0]
    assert any(line.startswith("error: docx-heading-skip: ") and "Too deep" in line for line in lines)
    assert lines[-1].startswith("packgen check: 2 errors")


def test_warnings_alone_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def change(d):
        d.add_table(rows=2, cols=2).cell(0, 0).text = "x"
    code, out, _ = run([str(build_docx(tmp_path, change)), "--no-axe"], capsys)
    assert code == 0 and "warning: docx-table-header" in out


def test_no_such_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([str(tmp_path / "missing")], capsys)
    assert code == 2 and out == "" and "no such file or folder" in err


def test_empty_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run([str(tmp_path)], capsys)
    assert code == 2 and "no .html, .pdf, .docx, .brf, .epub, .opus or .vtt files" in err


def test_unknown_file_type_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("hello", "utf-8")
    assert run([str(tmp_path / "notes.txt")], capsys)[0] == 2


def test_bad_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--format", "xml"], capsys)[0] == 2


def test_default_path_is_build(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    build_docx(tmp_path / "build")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["--no-axe"], capsys)
    assert code == 0 and "in 1 file" in out


def test_json_output_parses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def change(d):
        d.core_properties.title = ""
    code, out, _ = run([str(build_docx(tmp_path, change)), "--format", "json", "--no-axe"], capsys)
    data = json.loads(out)
    assert code == 1
    assert data["files"] == 1 and data["errors"] == 1 and data["warnings"] == 0
    assert data["findings"][0].keys() == {"severity", "rule", "file", "where", "message", "fix"}
    assert data["findings"][0]["rule"] == "docx-title"


def test_folders_are_walked_and_dot_files_skipped(tmp_path: Path) -> None:
    build_docx(tmp_path / "standard")
    build_docx(tmp_path / "easy-read" / "deeper", name="x.docx")
    (tmp_path / ".hidden.docx").write_bytes(b"not a docx")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "junk.pdf").write_bytes(b"junk")
    (tmp_path / "standard" / "notes.txt").write_text("ignored", "utf-8")
    findings = check_paths([tmp_path], axe=False)
    files = {Path(f.file).name for f in findings}
    assert files == {"x.docx"}  # the easy-read one fails format-text-size; the dot files are never read


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("kind", ["random", "empty", "zip-no-document", "broken-xml", "entities", "zip-bomb"])
def test_hostile_docx_is_a_finding(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.docx"
    if kind == "random":
        path.write_bytes(os.urandom(4096))
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "zip-no-document":
        _zip(path, {"hello.txt": b"hi"})
    elif kind == "broken-xml":
        _zip(path, {"word/document.xml": b"<w:document><w:body><w:p>"})
    elif kind == "entities":
        lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
               + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i else b"&lol;") * 10)
                          for i in range(1, 10))
               + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
               b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
        _zip(path, {"word/document.xml": lol})
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            z.writestr("word/document.xml", b" " * (50 * 1024 * 1024))
        path.write_bytes(buffer.getvalue())
    findings = check_paths([path], axe=False)
    assert findings and all(f.severity in ("error", "warning") for f in findings)
    if kind != "entities":
        assert {f.rule for f in findings} == {"docx-parse"}


def test_every_format_survives_a_renamed_file(tmp_path: Path) -> None:
    """A PNG renamed to each of our extensions: three findings, no traceback."""
    for ext in ("docx", "pdf", "html"):
        (tmp_path / f"picture.{ext}").write_bytes((FIXTURES / "pixel.png").read_bytes())
    findings = check_paths([tmp_path], axe=False)
    assert sorted(f.rule for f in findings) == ["docx-parse", "html-parse", "pdf-parse"]


@pytest.mark.slow
def test_shipped_pack_is_clean(built_pack: Path) -> None:
    """Our own pack, with axe-core where Chromium is installed: no errors at all."""
    findings = check_paths([built_pack])
    errors = [f for f in findings if f.severity == "error"]
    assert not errors, "\n".join(f"{f.rule}: {f.file}: {f.where}: {f.message}" for f in errors)
    files = {f.name for f in built_pack.rglob("*") if f.suffix in (".docx", ".pdf", ".html")}
    assert len(files) >= 3 * 7  # every document in every format was there to check


def write_plain_text(document, theme, path: Path) -> None:
    path.write_text("\n".join(block.text for block in document.blocks if isinstance(block, Paragraph)), "utf-8")


@pytest.fixture
def plain_text_format(monkeypatch: pytest.MonkeyPatch) -> str:
    """A format registered as another package would register it, for this test only."""
    from packgen import writers

    monkeypatch.setattr(writers, "_REGISTRY", dict(writers.formats()))  # the registry as it was, after the test
    writers.register(writers.Format(name="txt", suffix=".txt", writer=write_plain_text, label="index_format_txt"))
    return ".txt"


def test_a_registered_format_without_rules_is_named_as_not_checked(plain_text_format: str, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from packgen import writers

    notes = tmp_path / "standard" / "notes.txt"
    notes.parent.mkdir()
    writers.get("txt").write(Document(id="notes", variant="standard", metadata=Metadata("Notes", "", "", "en-GB"),
                                      blocks=(Paragraph((Text("We work together."),)),)), None, notes)
    assert notes.read_text("utf-8") == "We work together."
    build_docx(tmp_path / "standard")

    found = check_paths([tmp_path], axe=False)
    assert [(f.severity, f.rule, Path(f.file).name, f.message) for f in found if f.rule == "format-unchecked"] == [
        ("info", "format-unchecked", "notes.txt", "not checked: packgen check has no rules for .txt files")]
    assert not has_errors(found)

    code, out, err = run([str(notes), "--no-axe"], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith("info: format-unchecked: ")
    assert out.splitlines()[0].endswith(": whole file: not checked: packgen check has no rules for .txt files")
    assert out.splitlines()[-1].endswith("no accessibility errors, 0 warnings in 1 file")


def test_an_htm_file_is_checked_as_a_web_page(tmp_path: Path) -> None:
    (tmp_path / "page.htm").write_text("<!doctype html><html><head><title>x</title></head><body><h1>x</h1>"
                                       "<h3>skipped</h3></body></html>", "utf-8")
    assert {f.rule for f in check_paths([tmp_path], axe=False)} == {"html-lang", "html-heading-skip"}


def test_two_versions_of_a_document_with_one_title_are_each_an_error(tmp_path: Path) -> None:
    # standard/ and easy-read/ copies of one page under one title: a screen reader names both windows alike.
    page = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{}</title></head>'
            '<body><main><h1>Our charter</h1><p>We work together.</p></main></body></html>')
    for variant, title in (("standard", "Our charter"), ("easy-read", "Our charter")):
        (tmp_path / variant).mkdir()
        (tmp_path / variant / "charter.html").write_text(page.format(title), "utf-8")
    found = [f for f in check_paths([tmp_path], axe=False) if f.rule == "format-same-title"]
    assert sorted(Path(f.file).parent.name for f in found) == ["easy-read", "standard"]
    assert "'Our charter', is also the title of" in found[0].message
    (tmp_path / "easy-read" / "charter.html").write_text(page.format("Our charter (easy read)"), "utf-8")
    assert [f for f in check_paths([tmp_path], axe=False) if f.rule == "format-same-title"] == []


def test_rules_lists_every_rule_and_help_points_to_it(capsys: pytest.CaptureFixture[str]) -> None:
    from packgen.check.rules import FAMILIES, RULES

    code, out, _ = run(["--rules"], capsys)
    listed = {line.split()[0] for line in out.splitlines()}
    assert code == 0 and listed == set(RULES) | set(FAMILIES)
    assert "verapdf-<clause>-<test>" in listed and "docx-heading-skip" in listed
    assert run(["--help"], capsys)[1].count("--rules") >= 2  # the option, and the pointer to it


def test_a_pipe_named_like_a_pdf_is_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # opening a named pipe waits for a writer that never comes: the check would hang
    os.mkfifo(tmp_path / "form.pdf")
    code, _, err = run([str(tmp_path / "form.pdf")], capsys)
    assert code == 2 and "not a file to read (a pipe or a device)" in err


def test_a_pipe_named_like_a_pdf_in_a_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    # the build folder someone checks holds a pipe where charter.pdf should be: the check says so, and
    # never opens it (that would wait for a writer that never comes)
    build = tmp_path / "build"
    (build / "standard").mkdir(parents=True)
    build_docx(build / "standard", name="charter.docx")
    os.mkfifo(build / "standard" / "charter.pdf")
    result = run_packgen("check", "--no-axe", "--no-verapdf", "--timeout", "20", str(build))
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 1, result.stdout + result.stderr
    assert lines[:-1] == [f"error: format-not-a-file: {build / 'standard' / 'charter.pdf'}: whole file: This is a "
                          "pipe or a device, not a file: not read. Fix: Put the file itself here, or check the "
                          "folder without it."], lines
    assert lines[-1] == "packgen check: 1 error, 0 warnings in 2 files"
    # a folder holding nothing else is still checked, and says the same
    (build / "standard" / "charter.docx").unlink()
    result = run_packgen("check", "--no-axe", "--timeout", "20", str(build))
    assert result.returncode == 1 and "error: format-not-a-file: " in result.stdout, result.stdout + result.stderr


def test_a_link_that_leads_nowhere_named_like_a_pdf_in_a_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    # charter.pdf in the build folder is a link left over from a build elsewhere, to a file now gone: the
    # check names the link itself (not where it pointed), as it names a pipe there, rather than passing
    # over a missing PDF in silence
    build = tmp_path / "build"
    (build / "standard").mkdir(parents=True)
    build_docx(build / "standard", name="charter.docx")
    (build / "standard" / "charter.pdf").symlink_to(tmp_path / "nowhere" / "charter.pdf")
    result = run_packgen("check", "--no-axe", "--no-verapdf", "--timeout", "20", str(build))
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 1, result.stdout + result.stderr
    assert lines == [f"error: format-not-a-file: {build / 'standard' / 'charter.pdf'}: whole file: This is a "
                     "link that leads nowhere, not a file: not read. Fix: Put the file itself here, or check the "
                     "folder without it.",
                     "packgen check: 1 error, 0 warnings in 2 files"], lines
    # a folder holding nothing else is still checked, and says the same
    (build / "standard" / "charter.docx").unlink()
    result = run_packgen("check", "--no-axe", "--timeout", "20", "--format", "json", str(build))
    assert result.returncode == 1, result.stdout + result.stderr
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["format-not-a-file"], result.stdout


def test_a_link_to_a_folder_in_a_folder_is_an_error_saying_it_is_not_followed(tmp_path: Path) -> None:
    # the build folder someone checks links in the appendices from a shared drive: links to
    # folders are not followed (as packgen register does not), so the check says its files are not
    # checked rather than leaving them out unsaid. A link back to the build folder, a loop, is named the
    # same; a link to a file is read, and a link to a folder inside the build folder is passed over, as
    # its files are checked there
    shared = tmp_path / "shared" / "appendices"
    shared.mkdir(parents=True)
    build_docx(shared, name="appendix-a.docx")
    build = tmp_path / "build"
    (build / "standard").mkdir(parents=True)
    build_docx(build / "standard", name="charter.docx")
    build_docx(tmp_path / "shared", name="summary.docx")
    (build / "standard" / "summary.docx").symlink_to(tmp_path / "shared" / "summary.docx")
    (build / "appendices").symlink_to(shared, target_is_directory=True)
    (build / "standard" / "all").symlink_to(build, target_is_directory=True)
    (build / "latest").symlink_to(build / "standard", target_is_directory=True)
    result = run_packgen("check", "--no-axe", "--no-verapdf", "--timeout", "20", str(build))
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 1, result.stdout + result.stderr
    assert lines == [f"error: format-not-a-file: {link}: whole file: This is a link to a folder: not followed, so "
                     "no file in it is checked. Fix: Check the folder it leads to by naming it (packgen check "
                     "FOLDER), or put the folder itself here." for link in (build / "appendices",
                                                                           build / "standard" / "all")] + [
                     "packgen check: 2 errors, 0 warnings in 2 files"], lines
    # named as well, the folder it leads to is checked, and the link still says it is not followed
    result = run_packgen("check", "--no-axe", "--no-verapdf", "--timeout", "20", str(build), str(shared))
    assert result.stdout.strip().splitlines() == lines[:-1] + ["packgen check: 2 errors, 0 warnings in 3 files"], \
        result.stdout


def test_a_link_to_a_file_is_named_by_the_name_the_user_gave_it(tmp_path: Path) -> None:
    # the build folder links in a summary kept in shared/, under another name: the report names the
    # file the user finds in the folder they checked, not the one it leads to; and where the folder
    # holds a file and a link to it, the file itself is named, once, as it is the one to fix
    def untitled(d):
        d.core_properties.title = ""
    build_docx(tmp_path / "shared", untitled, name="summary-2025.docx")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "summary.docx").symlink_to(Path("..", "shared", "summary-2025.docx"))
    result = run_packgen("check", "--no-axe", "--timeout", "20", "build", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert [line.split(": document properties: ")[0] for line in result.stdout.strip().splitlines()] == [
        "error: docx-title: build/summary.docx", "packgen check: 1 error, 0 warnings in 1 file"], result.stdout
    result = run_packgen("check", "--no-axe", "--timeout", "20", "build", "shared", cwd=tmp_path)
    assert [line.split(": document properties: ")[0] for line in result.stdout.strip().splitlines()] == [
        "error: docx-title: shared/summary-2025.docx", "packgen check: 1 error, 0 warnings in 1 file"], result.stdout


def pdf_bomb(path: Path, megabytes: int, part: str = "metadata") -> Path:
    """A one-page PDF with a stream of a few kilobytes that unpack to ``megabytes`` of zeros: its XMP
    metadata, or (``part="page"``) its page's content."""
    import zlib

    import pikepdf

    packer, block = zlib.compressobj(9), bytes(1024 * 1024)
    inner = b"".join(packer.compress(block) for _ in range(megabytes)) + packer.flush()
    pdf = pikepdf.new()
    pdf.add_blank_page()
    stream = pikepdf.Stream(pdf, b"")
    stream.write(zlib.compress(inner, 9), filter=[pikepdf.Name.FlateDecode, pikepdf.Name.FlateDecode])
    if part == "metadata":
        pdf.Root.Metadata = stream
    else:
        pdf.pages[0].Contents = stream
    # as it is: pikepdf would otherwise unpack the metadata to rewrite it, and qpdf to pack it its own way
    # (and qpdf writes a stream typed /Metadata unpacked, so this one is not typed)
    pdf.save(path, fix_metadata_version=False, compress_streams=False,
             stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return path


def test_a_file_that_unpacks_past_the_memory_bound_is_one_error_and_the_check_goes_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import resource

    # packgen unpacks a page's content whole (metadata it unpacks a bounded piece at a time, and refuses
    # past 8 MB: test_check_pdf), so here only the memory bound stands between the file and the machine
    bomb = pdf_bomb(tmp_path / "bomb.pdf", 500, part="page")
    assert bomb.stat().st_size < 100_000
    good = build_docx(tmp_path)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    code, out, _ = run([str(bomb), str(good), "--no-verapdf", "--memory", "200"], capsys)
    assert code == 1
    lines = out.strip().splitlines()
    stopped = [line for line in lines if "bomb.pdf" in line]
    assert len(stopped) == 1 and stopped[0].startswith("error: format-stopped: ")
    # qpdf, whose allocation fails under the bound, either raises or aborts
    assert re.search(r"needed more than 200 MB of memory to read, so it was stopped|crashed on it \(SIGABRT, as "
                     r"when it needs more than 200 MB of memory\)", stopped[0]), stopped[0]
    assert "--memory" in stopped[0]  # the fix says how to check a large file one trusts
    assert not [line for line in lines if "charter.docx" in line or good.name in line]  # the Word file passed
    assert lines[-1].endswith("in 2 files")
    # the file was unpacked in a child process, not in the checker's own memory
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 150 * 1024


def test_a_file_that_takes_past_the_time_bound_is_one_error(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([str(build_docx(tmp_path)), "--no-axe", "--timeout", "0.001"], capsys)
    assert code == 1 and "took longer than 0.001s to read, so it was stopped" in out
    [stopped] = check_paths([tmp_path], axe=False, seconds=0.001)
    assert (stopped.severity, stopped.rule) == ("error", "format-stopped")


@pytest.mark.parametrize("bound, said", [(["--memory", "0"], "--memory 0: "), (["--timeout", "0"], "--timeout 0: "),
                                         (["--timeout", "nan"], "--timeout nan: "),
                                         (["--timeout", "inf"], "--timeout inf: ")])
def test_a_bound_that_would_bound_nothing_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     bound: list[str], said: str) -> None:
    code, out, err = run([str(build_docx(tmp_path)), *bound], capsys)
    assert code == 2 and out == "" and said in err and "Traceback" not in err


def test_a_file_named_as_no_utf8_disk_would_is_checked_and_each_finding_is_one_line(
        built_pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "sent"
    folder.mkdir()
    (folder / os.fsdecode(b"charter-\xff.pdf")).write_bytes((built_pack / "standard" / "charter.pdf").read_bytes())
    (folder / "new\nline.brf").write_bytes(b"junk\0")
    for output in ([], ["--format", "json"]):
        code = main([str(folder), "--no-verapdf", "--no-axe", "--no-ace", *output])
        out = capsys.readouterr().out
        assert code == 1 and "pdf-parse" not in out, out  # the PDF reads as the PDF it is
        if not output:
            lines = out.strip().splitlines()
            assert len(lines) == 2 and "new\\nline.brf: " in lines[0] and lines[1].startswith("packgen check:")
        else:
            assert [f["file"] for f in json.loads(out)["findings"]] == [f"{folder}/new\\nline.brf"]
