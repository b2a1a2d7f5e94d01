"""A comms editor runs the build: outputs land in build/, listed in the manifest, rebuilt only when needed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from packgen import writers
from packgen.pack.build import BuildOptions, build
from packgen.pack.files import TEMP_MARK
from packgen.sources.names import VARIANTS

from conftest import MINI_IDS, ROOT, outlived_by, own_copy, run_packgen

FAST = ("docx", "html")  # the formats these tests build; the PDF writer has its own tests
# What a build of them makes: each document in each variant, bar large print's web page.
FAST_FILES = {(d, v, f) for d in MINI_IDS for v in VARIANTS for f in FAST if writers.get(f).offers(v, "en-GB")}


def packgen_build(sources: Path, templates: Path, out: Path, *extra: str):
    return run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                       "--format", ",".join(FAST), *extra)


def test_build_writes_every_document_and_a_true_manifest(mini_pack, tmp_path):
    sources, templates = mini_pack
    out = tmp_path / "build"
    result = packgen_build(sources, templates, out)
    assert result.returncode == 0, result.stderr
    assert "built standard/charter.docx" in result.stdout
    assert f"packgen: built {len(FAST_FILES)} file(s)" in result.stdout

    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["pack"] == {"title": "Community Charter", "version": "2.0", "status": "final",
                                "language": "en-GB"}
    listed = {(o["document"], o["variant"], o["format"]) for o in manifest["outputs"]}
    assert listed == FAST_FILES
    for output in manifest["outputs"]:
        path = out / output["path"]
        assert output["path"] == f"{output['variant']}/{output['document']}.{output['format']}"
        data = path.read_bytes()
        assert output["bytes"] == len(data)
        assert output["sha256"] == hashlib.sha256(data).hexdigest()
        assert set(output) == {"document", "variant", "format", "path", "bytes", "sha256", "pages"}
    # documents in pack order, as a reader would expect them listed
    assert list(dict.fromkeys(o["document"] for o in manifest["outputs"])) == list(MINI_IDS)


def _built(sources: Path, templates: Path, out: Path, *flags: str) -> tuple[str, dict[str, bytes]]:
    """What the build said, and the document files it wrote."""
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         *flags)
    assert result.returncode == 0, result.stderr
    return result.stdout, {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.*")
                           if p.suffix in (".pdf", ".docx", ".html")}


def test_a_build_given_little_memory_writes_fewer_files_at_once_says_so_and_writes_the_same_files(mini_pack,
                                                                                                   tmp_path):
    sources, templates = mini_pack
    flags = ("--document", "charter,appendix-a", "--jobs", "4")
    roomy_said, roomy = _built(sources, templates, tmp_path / "roomy", *flags, "--memory", "100000")
    tight_said, tight = _built(sources, templates, tmp_path / "tight", *flags, "--memory", "200")
    least_said, least = _built(sources, templates, tmp_path / "least", *flags, "--memory", "1")
    assert "at a time" not in roomy_said
    assert "writing 2 files at a time, not 4: 4 side by side would take more than the 200 MB allowed " \
           "(--memory)" in tight_said.splitlines()
    assert "writing one file at a time, not 4: 4 side by side would take more than the 1 MB allowed " \
           "(--memory)" in least_said.splitlines()
    assert len(roomy) == 2 * (3 + 3 + 2) and tight == roomy and least == roomy  # large print has no web page


def test_a_document_too_long_to_write_beside_others_in_the_memory_given_is_written_alone(mini_pack, tmp_path):
    """Two thousand paragraphs on each of two workers at once would take more than 200 MB."""
    sources, templates = mini_pack
    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8") + "".join(f"\nPoint {n} of the long charter.\n"
                                                            for n in range(2000)), "utf-8")
    flags = ("--document", "charter,appendix-a", "--variant", "standard", "--format", "pdf,docx", "--jobs", "2")
    roomy_said, roomy = _built(sources, templates, tmp_path / "roomy", *flags, "--memory", "100000")
    tight_said, tight = _built(sources, templates, tmp_path / "tight", *flags, "--memory", "200")
    assert "one file at a time" not in roomy_said
    assert "writing charter one file at a time: writing them beside others would take more than the 200 MB " \
           "allowed (--memory)" in tight_said.splitlines()
    assert len(roomy) == 4 and tight == roomy


def test_second_build_does_no_work_and_an_edit_rebuilds_only_what_it_touches(mini_pack, tmp_path):
    sources, templates = mini_pack
    out = tmp_path / "build"
    options = BuildOptions(sources=sources, templates=templates, out=out, formats=FAST)
    first = build(options)
    assert len(first.built) == len(FAST_FILES)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.docx")}

    again = build(options)
    assert again.built == [] and len(again.unchanged) == len(FAST_FILES)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.docx")} == stamps

    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace("with the people it serves.",
                                                          "with the people it serves and their families."))
    edited = build(options)
    assert sorted(o.path for o in edited.built) == ["large-print/charter.docx", "standard/charter.docx",
                                                    "standard/charter.html"]


def test_a_theme_change_rebuilds_everything(mini_pack, tmp_path):
    sources, templates = mini_pack
    options = BuildOptions(sources=sources, templates=templates, out=tmp_path / "build", formats=FAST)
    build(options)
    theme = own_copy(templates, "theme.yaml")
    theme.write_text(theme.read_text("utf-8").replace('heading: "1B3A6B"', 'heading: "1B3A6C"'))
    assert len(build(options).built) == len(FAST_FILES)


def test_one_document_variant_and_format(mini_pack, tmp_path):
    sources, templates = mini_pack
    out = tmp_path / "build"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--variant", "easy-read", "--format", "docx")
    assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.docx")) == ["easy-read/charter.docx"]


def test_an_option_given_twice_means_both(mini_pack, tmp_path):
    """`--format docx --format html` builds both, as `--format docx,html` does: before, the last alone
    was built, without a word."""
    sources, templates = mini_pack
    out = tmp_path / "build"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--document", "pledge-form", "--variant", "standard",
                         "--variant", "easy-read", "--format", "docx", "--format", "html,docx")
    assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.*") if p.suffix in (".docx", ".html")) == [
        f"{variant}/{doc}.{suffix}" for variant in ("easy-read", "standard") for doc in ("charter", "pledge-form")
        for suffix in ("docx", "html")]


def test_progress_counts_a_files_pages_in_words(mini_pack, tmp_path):
    sources, templates = mini_pack
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out",
                         str(tmp_path / "build"), "--document", "charter", "--variant", "standard,easy-read",
                         "--format", "pdf")
    assert result.returncode == 0, result.stderr
    counts = dict(re.findall(r"built (\S+)\.pdf \((\d+ pages?)\)", result.stdout))
    assert counts.keys() == {"standard/charter", "easy-read/charter"}, result.stdout
    assert all(re.fullmatch(r"1 page|([02-9]|\d\d+) pages", count) for count in counts.values()), counts
    assert "1 page" in counts.values(), counts  # the mini pack's standard charter is one page


def test_bad_source_is_one_line_exit_1_and_keeps_the_last_good_build(mini_pack, tmp_path):
    sources, templates = mini_pack
    out = tmp_path / "build"
    assert packgen_build(sources, templates, out).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    charter = sources / "charter.md"
    charter.write_text(charter.read_text("utf-8").replace("title: Charter", "title: Charter\ncolour: blue"))
    result = packgen_build(sources, templates, out)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("packgen: error: ") and f"{charter}:3: unknown key 'colour'" in lines[0]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def fail_on_appendix_b(monkeypatch, after_writing: bool = True):
    """Make the Word writer fail on appendix B (once its file is written, or before); return what mends it."""
    from packgen.writers.docx import document as word

    real = word.write

    def failing(document, theme, path):
        if document.id == "appendix-b" and not after_writing:
            raise RuntimeError("disk full")
        pages = real(document, theme, path)
        if document.id == "appendix-b":
            raise RuntimeError("disk full")
        return pages

    monkeypatch.setattr(word, "write", failing)  # the worker processes fork with it
    return lambda: monkeypatch.setattr(word, "write", real)


def test_a_writer_failing_midway_leaves_no_half_written_file(mini_pack, tmp_path, monkeypatch):
    sources, templates = mini_pack
    out = tmp_path / "build"
    fail_on_appendix_b(monkeypatch)
    with pytest.raises(RuntimeError):
        build(BuildOptions(sources=sources, templates=templates, out=out, formats=("docx",)))
    assert not list(out.rglob(f"{TEMP_MARK}*"))
    assert not (out / "standard" / "appendix-b.docx").exists()
    assert not (out / "manifest.json").exists()  # the manifest is written last, only for a finished build


def test_a_build_that_fails_keeps_what_it_finished_for_the_next(mini_pack, tmp_path, monkeypatch):
    # A comms editor's build stops at a broken document; once it is fixed, the next build keeps what
    # the failed one finished: each file is recorded as it lands. (A file another worker was finishing
    # as the build stopped may not be recorded: it is written again, never trusted unrecorded.)
    sources, templates = mini_pack
    out = tmp_path / "build"
    mend = fail_on_appendix_b(monkeypatch, after_writing=False)
    # One file at a time, so some are surely finished first.
    options = BuildOptions(sources=sources, templates=templates, out=out, formats=("docx",), jobs=1)
    with pytest.raises(RuntimeError):
        build(options)
    finished = {p.relative_to(out).as_posix() for p in out.rglob("*.docx")}
    mend()
    report = build(options)
    kept = {o.path for o in report.unchanged}
    assert kept and kept <= finished
    assert {o.path for o in report.built} == {f"{v}/{d}.docx" for v in VARIANTS for d in MINI_IDS} - kept


def test_leftovers_of_a_killed_build_are_cleared(mini_pack, tmp_path):
    sources, templates = mini_pack
    out = tmp_path / "build"
    (out / "standard").mkdir(parents=True)
    leftover = out / "standard" / f"{TEMP_MARK}999-charter.docx"
    leftover.write_bytes(b"half a file")
    build(BuildOptions(sources=sources, templates=templates, out=out, formats=("docx",),
                       documents=("charter",)))
    assert not leftover.exists()


def test_a_finished_build_leaves_no_worker_behind(mini_pack, tmp_path):
    # Every worker process ends with the build.
    sources, templates = mini_pack
    mark = f"packgen-test-{os.getpid()}-{tmp_path.name}"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates),
                         "--out", str(tmp_path / "build"), "--format", "pdf", "--document", "charter", "-q",
                         env={"PACKGEN_TEST_MARK": mark})
    assert result.returncode == 0, result.stderr

    assert outlived_by(mark) == []


def test_help_and_python_dash_m():
    result = run_packgen("build", "--help")
    assert result.returncode == 0
    for option in ("--document", "--variant", "--format", "--sources", "--templates", "--out"):
        assert option in result.stdout
    assert run_packgen("--version").stdout.startswith("packgen ")


def test_unknown_document_is_one_line_naming_the_packs_documents():
    result = run_packgen("build", "--document", "appendix-z")
    assert result.returncode == 1 and "the pack has no document 'appendix-z' (its documents: " in result.stderr


def test_pictures_command_finds_pictogram_names():
    result = run_packgen("pictures", "hand", "shake")
    assert result.returncode == 0 and "handshake" in result.stdout.split()


def test_packgen_skips_pydantic_plugin_discovery_unless_the_user_chose_plugins(monkeypatch):
    # packgen uses no pydantic plugins; a user's own choice of plugins is kept.
    from packgen.cli import main

    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    assert main(["pictures", "handshake"]) == 0
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "their-plugin")
    assert main(["pictures", "handshake"]) == 0
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "their-plugin"


def test_editing_the_web_page_template_rebuilds_the_web_pages_only(mini_pack, tmp_path):
    sources, templates = mini_pack  # packgen's own theme: the pack has only its own web page templates
    options = BuildOptions(sources=sources, templates=templates, out=tmp_path / "build", formats=FAST)
    build(options)
    css = next(own_copy(templates, "html").glob("*.css*"))
    css.write_text(css.read_text("utf-8") + "\n/* a comms editor's tweak */\n", "utf-8")
    rebuilt = build(options).built
    assert len(rebuilt) == 14 and {o.format for o in rebuilt} == {"html"}
    assert "a comms editor's tweak" in (tmp_path / "build" / "standard" / "charter.html").read_text("utf-8")


def test_a_pack_that_keeps_packgens_theme_gets_its_own_web_page_and_download_page(mini_pack, tmp_path):
    sources, templates = mini_pack
    own = own_copy(templates, "html")
    for name, mark in (("page.html.j2", "our own page"), ("index.html.j2", "our own download page")):
        template = own / name
        template.write_text(template.read_text("utf-8").replace("<!DOCTYPE html>", f"<!DOCTYPE html>\n<!-- {mark} -->",
                                                                1), "utf-8")
    build(BuildOptions(sources=sources, templates=templates, out=tmp_path / "out", formats=("html",), assemble=True))
    assert "<!-- our own page -->" in (tmp_path / "out" / "standard" / "charter.html").read_text("utf-8")
    assert "<!-- our own download page -->" in (tmp_path / "out" / "index.html").read_text("utf-8")


SHIPPED = ("--sources", str(ROOT / "sources"))  # the shipped pack, whose templates make a pledge form
OUTPUT_PLACES = {  # each command, why it writes in a folder, and its arguments given the work folder and --out
    "build": ("the pack's files go in a folder", lambda work, out: (
        "build", *SHIPPED, "--out", str(out), "--format", "html")),
    "forms": ("the forms go in a folder", lambda work, out: (
        "forms", *SHIPPED, "--organisations", str(work / "orgs.csv"), "--out", str(out), "--format", "docx")),
    "register": ("the register is written in a folder", lambda work, out: (
        "register", str(work / "returned"), *SHIPPED, "--out", str(out / "register.csv"))),
}


@pytest.mark.parametrize("command", list(OUTPUT_PLACES))
@pytest.mark.parametrize("above", [False, True], ids=["the folder", "a folder above it"])
def test_a_file_where_the_output_folder_should_be_is_one_clear_line_naming_it(tmp_path, command, above):
    (tmp_path / "orgs.csv").write_text("organisation,lead-name,lead-role,email\nAcme,Ann,Chair,a@b.org\n")
    (tmp_path / "returned").mkdir()
    not_a_folder = tmp_path / "out"
    not_a_folder.write_text("a file where a folder should be", "utf-8")
    why, arguments = OUTPUT_PLACES[command]
    result = run_packgen(*arguments(tmp_path, not_a_folder / "inner" if above else not_a_folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (f"packgen: error: {not_a_folder} is a file, not a folder: {why}, so name a "
                                     "folder (it is made if it is not there) or move the file away")
    assert not_a_folder.read_text("utf-8") == "a file where a folder should be"


IN_THE_WAY = {
    "folder": "a folder has the name of a file the build writes: move or rename the folder, then build again",
    "file": "a file has the name of a folder the build makes: move or rename the file, then build again",
}


@pytest.mark.parametrize("name, kind", [
    ("standard/charter.docx", "folder"), ("manifest.json", "folder"), (".packgen-state.json", "folder"),
    ("easy-read", "file"),
])
def test_a_folder_or_file_in_the_way_of_the_build_is_named_before_anything_is_written(mini_pack, tmp_path, name,
                                                                                      kind):
    # Before, the build replaced other files, then stopped with the system's words ('Is a directory')
    sources, templates = mini_pack
    out = tmp_path / "out"
    (out / name).parent.mkdir(parents=True, exist_ok=True)
    if kind == "folder":
        (out / name).mkdir()
    else:
        (out / name).write_text("notes", "utf-8")
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out),
                         "--document", "charter", "--format", "docx")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"packgen: error: {out / name}: {IN_THE_WAY[kind]}"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == sorted(
        {name, *(parent.as_posix() for parent in Path(name).parents if parent != Path("."))})


def test_a_register_named_as_a_folder_is_one_clear_line_with_a_name_to_give(tmp_path):
    result = run_packgen("register", str(tmp_path), *SHIPPED, "--out", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip() == (f"packgen: error: {tmp_path}: this is a folder: name the register's CSV "
                                     f"file, for example {tmp_path / 'register.csv'}")


def test_a_build_beside_other_threads_writes_the_same_files(mini_pack, tmp_path):
    # A resident process (a live preview) serves pages and watches files in threads while it builds:
    # its workers come from a fork server rather than a fork of it, and write the same files.
    import threading

    sources, templates = mini_pack
    options = BuildOptions(sources=sources, templates=templates, formats=FAST, documents=("charter",), jobs=2)
    alone = build(replace(options, out=tmp_path / "alone"))
    stop = threading.Event()
    server = threading.Thread(target=stop.wait, daemon=True)
    server.start()
    try:
        beside = build(replace(options, out=tmp_path / "beside"))
    finally:
        stop.set()
    assert len(beside.built) == len(alone.built) == 5
    for output in alone.built:
        assert (tmp_path / "beside" / output.path).read_bytes() == (tmp_path / "alone" / output.path).read_bytes()


def test_a_damaged_record_never_deletes_a_file_outside_the_output_folder(mini_pack, tmp_path):
    sources, templates = mini_pack
    out = tmp_path / "build"
    out.mkdir()
    victim = tmp_path / "notes.txt"
    victim.write_text("the comms officer's own notes", "utf-8")
    entry = {"document": "x", "variant": "standard", "format": "txt", "bytes": 1, "sha256": "", "digest": ""}
    state = {name: {**entry, "path": name} for name in ("../notes.txt", str(victim))}
    (out / ".packgen-state.json").write_text(json.dumps(state), "utf-8")
    build(BuildOptions(sources=sources, templates=templates, out=out, formats=FAST, assemble=True))
    assert victim.read_text("utf-8") == "the comms officer's own notes"
    assert (out / "manifest.json").is_file()


# A line of what `packgen build` prints, one message each: progress, the readability figures, a warning, the summary.
WHOLE_LINE = re.compile(r"built \S+( \(\d+ pages?\))? in \d+\.\d\ds|readability \S+: .+|warning: \S+: .+"
                        r"|packgen: built \d+ file\(s\), .+")


def test_warnings_from_several_workers_at_once_are_each_a_line_of_their_own(mini_pack, tmp_path):
    """Every document shows its own picture with a colour the SVG library cannot handle, so the
    workers writing the documents side by side all warn while the build prints its progress: read as
    one stream, as a terminal shows it, each line is one whole message, and each warning names its file."""
    sources, templates = mini_pack
    (sources / "pictures").mkdir()
    for n, doc in enumerate(MINI_IDS):
        (sources / "pictures" / f"sign-{n}.svg").write_text(
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 60 60"><!-- {tmp_path.name} -->'
            f'<rect width="60" height="60" fill="not-a-colour-{n}"/></svg>', "utf-8")
        source = sources / f"{doc}.md"
        source.write_text(source.read_text("utf-8") + f"\n![Our sign number {n}](sign-{n}.svg)\n", "utf-8")
    done = subprocess.run([sys.executable, "-m", "packgen", "build", "--sources", str(sources), "--templates",
                           str(templates), "--out", str(tmp_path / "build"), "--jobs", "4", "--memory", "1000",
                           "--format", "pdf"],
                          cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    assert done.returncode == 0, done.stdout
    lines = done.stdout.splitlines()
    assert [line for line in lines if not WHOLE_LINE.fullmatch(line)] == []
    warned = [line for line in lines if line.startswith("warning:")]
    # the picture is in the standard text, which large print has too (a worker that drew it once
    # already may not say so again)
    assert {re.sub(r".*not-a-colour-", "", line) for line in warned} == {str(n) for n in range(len(MINI_IDS))}
    assert all(re.fullmatch(r"warning: (standard|large-print)/[a-z-]+\.pdf: svglib: Can't handle color: "
                            r"not-a-colour-\d", line) for line in warned), warned


def test_a_file_named_as_the_pack_is_one_line_saying_so(tmp_path):
    named = tmp_path / "charter.txt"
    named.write_text("not a pack", "utf-8")
    result = run_packgen("build", "--pack", str(named), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and result.stderr.strip() == (
        f"packgen: error: {named}: this is a file, not a pack's folder: name the folder that holds pack.yaml")
