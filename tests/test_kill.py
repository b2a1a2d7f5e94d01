"""A build killed at any moment leaves build/ holding only complete, valid files and a true manifest."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest

from packgen import writers
from packgen.forms.spec import load_spec
from packgen.pack.files import TEMP_MARK
from packgen.sources.names import VARIANTS

from conftest import MINI_IDS, ROOT, _marked, ended_when_told, outlived_by, run_packgen
from test_register import stand_in_pdf_form


def start_build(sources: Path, templates: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "packgen", "build", "--sources", str(sources), "--templates",
                             str(templates), "--out", str(out), "-q"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the build and its worker processes, as a power cut or `kill -9` of the job would."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


def assert_only_complete_files(out: Path) -> None:
    for path in out.rglob("*"):
        if not path.is_file() or path.name.startswith("."):
            continue  # dot files: our temporary names and state, never mistaken for outputs
        assert TEMP_MARK not in path.name
        if path.suffix == ".docx" or path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None, path
        elif path.suffix == ".pdf":
            with pikepdf.open(path) as pdf:
                assert len(pdf.pages) >= 1, path
        elif path.suffix == ".html":
            assert path.read_text("utf-8").rstrip().endswith("</html>"), path
    manifest = out / "manifest.json"
    if manifest.exists():
        data = json.loads(manifest.read_text("utf-8"))
        for output in data["outputs"]:
            listed = out / output["path"]
            assert listed.is_file(), output["path"]
            assert hashlib.sha256(listed.read_bytes()).hexdigest() == output["sha256"], output["path"]


@pytest.mark.parametrize("delay", [0.3, 0.7, 1.1, 1.6, 2.2])
def test_killed_build_leaves_only_complete_files_and_a_true_manifest(mini_pack, tmp_path, delay):
    sources, templates = mini_pack
    out = tmp_path / "build"
    first = subprocess.run([sys.executable, "-m", "packgen", "build", "--sources", str(sources), "--templates",
                            str(templates), "--out", str(out), "-q"], cwd=ROOT, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr

    # an editor changes every document, then the rebuild is killed part way
    for md in sources.glob("*.md"):
        md.write_text(md.read_text("utf-8").replace("with the people it serves", "with the people it serves well"))
    process = start_build(sources, templates, out)
    time.sleep(delay)
    kill_group(process)
    assert_only_complete_files(out)

    # the next build clears what the killed one left and finishes the job
    again = subprocess.run([sys.executable, "-m", "packgen", "build", "--sources", str(sources), "--templates",
                            str(templates), "--out", str(out), "-q"], cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert not list(out.rglob(f"{TEMP_MARK}*"))
    assert_only_complete_files(out)
    data = json.loads((out / "manifest.json").read_text("utf-8"))
    documents = [o for o in data["outputs"] if o["variant"] != "all" and o["document"] != "pack"
                 and o["format"] in ("docx", "pdf", "html")]
    # every document in every variant, in each of these formats that variant is made in
    assert len(documents) == len(MINI_IDS) * sum(writers.get(f).offers(v, "en-GB") for v in VARIANTS
                                                 for f in ("docx", "pdf", "html"))


def lengthen(sources: Path) -> None:
    """Make every document long enough that the build is surely still writing when it is stopped."""
    notes = "".join(f"\n## Note {n} {{#note-{n}}}\n\nPartners meet as equals to plan, deliver and review the work "
                    f"together, and people are paid for their time.\n\n::: easy-read\n- ![A handshake](handshake) "
                    "We plan together.\n:::\n" for n in range(150))
    for md in sources.glob("*.md"):
        md.write_text(md.read_text("utf-8") + notes, "utf-8")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("to_group", [False, True], ids=["the build", "its process group"])
def test_a_build_told_to_stop_ends_with_its_workers_and_leaves_no_half_written_file(mini_pack, tmp_path, to_group,
                                                                                     stop):
    # `kill` sends the build SIGTERM; `timeout`, systemd or a CI cancel send it to the whole process
    # group, the workers too; a terminal that closes sends SIGHUP to what runs in it: it stops as on
    # Ctrl-C, its workers finish the file each is writing and end with it, and nothing half-written
    # is left or said.
    sources, templates = mini_pack
    lengthen(sources)
    out = tmp_path / "build"
    mark = f"packgen-stop-{os.getpid()}-{tmp_path.name}"
    process = subprocess.Popen([sys.executable, "-m", "packgen", "build", "--sources", str(sources), "--templates",
                                str(templates), "--out", str(out), "--jobs", "2"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "PACKGEN_TEST_MARK": mark},
                               start_new_session=True)
    assert process.stdout is not None
    while not process.stdout.readline().startswith("built "):  # readability lines come first
        pass
    if to_group:
        os.killpg(process.pid, stop)
    else:
        process.send_signal(stop)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and stderr.strip().splitlines() == ["packgen: stopped"]
    assert outlived_by(mark) == []
    assert not list(out.rglob(f"{TEMP_MARK}*"))
    assert_only_complete_files(out)


@pytest.mark.parametrize("command", ["build", "forms"])
def test_a_command_killed_outright_leaves_none_of_its_workers_running(mini_pack, tmp_path, command):
    # `kill -9` of the command alone, or the out-of-memory killer choosing it, stops nothing: its
    # workers must see that it has gone and end, not wait for work for ever holding their memory.
    if command == "build":
        sources, templates = mini_pack
        lengthen(sources)
        args = ["build", "--sources", str(sources), "--templates", str(templates), "--out", str(tmp_path / "build"),
                "--jobs", "2"]
    else:
        orgs = tmp_path / "orgs.csv"
        orgs.write_text("organisation,lead-name,lead-role,email\n" + "".join(
            f"Organisation {i},Lead {i},Director,lead{i}@example.org\n" for i in range(2000)), "utf-8")
        args = ["forms", "--organisations", str(orgs), "--out", str(tmp_path / "out"), "--format", "docx"]
    mark = f"packgen-killed-{os.getpid()}-{tmp_path.name}"
    process = subprocess.Popen([sys.executable, "-m", "packgen", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env={**os.environ, "PACKGEN_TEST_MARK": mark},
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while len(_marked(mark)) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)  # until both workers run
    assert process.poll() is None, "the command ended before it was killed"
    process.kill()
    process.wait(timeout=30)
    left = outlived_by(mark, 15)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(pid), signal.SIGKILL)
    assert left == []


# A command as `packgen` runs it, told to stop (SIGTERM by a job runner, say) just as its first worker is forked.
STOP_AT_FORK = """
import os, signal, sys
os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.%s))
from packgen.cli import run
sys.argv[0] = "packgen"
run()
"""


def test_a_build_told_to_stop_as_its_workers_start_still_ends(mini_pack, tmp_path):
    # The stop comes while a worker is being started: it must neither be lost nor leave a worker the
    # pool never counted (that worker would wait for work for ever, and the build with it).
    sources, templates = mini_pack
    mark = f"packgen-stop-{os.getpid()}-{tmp_path.name}"
    process = subprocess.Popen([sys.executable, "-c", STOP_AT_FORK % "SIGTERM", "build", "--sources", str(sources),
                                "--templates", str(templates), "--out", str(tmp_path / "build"), "--jobs", "2", "-q"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PACKGEN_TEST_MARK": mark}, start_new_session=True)
    stderr, left = ended_when_told(process, mark)
    assert process.returncode == 130 and stderr.strip().splitlines() == ["packgen: stopped"]
    assert left == []
    assert_only_complete_files(tmp_path / "build")


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("command", ["forms", "register"])
def test_forms_or_the_register_told_to_stop_as_their_workers_start_still_end_with_them(tmp_path, command, stop):
    # The stop comes while a worker is being forked: the worker must be stopped too, or it waits
    # for work for ever, holding the command's output open.
    if command == "forms":
        orgs = tmp_path / "orgs.csv"
        orgs.write_text("organisation,lead-name,lead-role,email\n" + "".join(
            f"Organisation {i},Lead {i},Director,lead{i}@example.org\n" for i in range(60)), "utf-8")
        args = ["forms", "--organisations", str(orgs), "--out", str(tmp_path / "out"), "--format", "docx"]
    else:
        returned = tmp_path / "returned"
        returned.mkdir()
        spec = load_spec(ROOT / "sources", ROOT / "sources" / "templates")[0]
        for n in range(4):
            stand_in_pdf_form(returned / f"form-{n}.pdf", spec)
        args = ["register", str(returned), "--out", str(tmp_path / "register.csv")]
    mark = f"packgen-stop-{os.getpid()}-{tmp_path.name}"
    process = subprocess.Popen([sys.executable, "-c", STOP_AT_FORK % stop, *args], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "PACKGEN_TEST_MARK": mark},
                               start_new_session=True)
    said, left = ended_when_told(process, mark)
    assert process.returncode == 130 and said.strip().splitlines() == ["packgen: stopped"], said
    assert left == []
    assert not list(tmp_path.rglob(f"{TEMP_MARK}*"))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_disk_that_refuses_a_write_ends_the_build_naming_the_file_and_leaves_only_complete_files(
        mini_pack, tmp_path, jobs):
    sources, templates = mini_pack
    out = tmp_path / "build"
    result = run_packgen("build", "--sources", str(sources), "--templates", str(templates), "--out", str(out), "-q",
                         "--jobs", jobs, largest_file=30_000)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    too_large = os.strerror(errno.EFBIG)
    assert line.startswith(f"packgen: error: {out}/") and line.endswith(f": {too_large}"), line
    assert (out / line.removeprefix("packgen: error: ").removesuffix(f": {too_large}")).parent.is_dir()
    assert_only_complete_files(out)
    assert not (out / "manifest.json").exists()
