"""Shared fixtures: a small pack any organisation might write, and the shipped pack built once."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from packgen.template_folders import PACKGEN_TEMPLATES
from packgen.theme import Theme

import samples

ROOT = Path(__file__).resolve().parents[1]
IN_CI = bool(os.environ.get("CI"))
# The shipped pack's documents, in order, as its sources/pack.yaml lists them.
SHIPPED_DOCUMENTS = tuple(d["id"] for d in yaml.safe_load((ROOT / "sources" / "pack.yaml").read_text("utf-8"))
                          ["documents"])
# The small pack's documents and their kinds (make_pack).
MINI_DOCUMENTS = (("executive-summary", "summary"), ("charter", "main"), ("appendix-a", "appendix"),
                  ("appendix-b", "appendix"), ("appendix-c", "appendix"), ("appendix-d", "appendix"),
                  ("pledge-form", "form"))
MINI_IDS = tuple(d for d, _ in MINI_DOCUMENTS)

MINI_PACK = """\
title: Community Charter
organisation: Riverside Community Trust
short_name: RCT
version: "2.0"
status: final
date: 2025-06-01
language: en-GB
contact:
  name: Riverside Participation Team
  email: participation@riverside.example.org
  telephone: "01632 960000"
documents:
{documents}
"""

MINI_DOCUMENT = """\
---
title: {title}
---
## About this document {{#about}}

The Riverside Community Trust wrote this {title} with the people it serves.

::: easy-read
- ![Two people shaking hands](handshake) We wrote this with you.
:::
"""

GENERIC_TEMPLATE = """\
# {{ doc.title }}

{% for s in doc.sections %}
{{ section(s) }}
{% endfor %}
"""


def _marked(mark: str, folder: Path | None = None) -> list[str]:
    """The processes started with PACKGEN_TEST_MARK=mark (each inherits it from the one that started it),
    and those working in `folder`: Chromium starts its renderers with an environment of its own, but in
    the folder it was started in."""
    found = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            if f"PACKGEN_TEST_MARK={mark}".encode() in (process / "environ").read_bytes() or (
                    folder is not None and Path(os.readlink(process / "cwd")).is_relative_to(folder)):
                found.append(process.name)
        except OSError:
            continue
    return found


def outlived_by(mark: str, seconds: float = 30, folder: Path | None = None) -> list[str]:
    """The processes started with PACKGEN_TEST_MARK=mark (or working in `folder`: _marked) still running
    once `seconds` have passed (or as soon as none is): a build's workers end with it."""
    deadline = time.monotonic() + seconds
    while _marked(mark, folder) and time.monotonic() < deadline:
        time.sleep(0.05)
    return _marked(mark, folder)


@contextlib.contextmanager
def held_to(mark: str, megabytes: int, folder: Path | None = None) -> Iterator[None]:
    """While it lasts, the processes started with PACKGEN_TEST_MARK=mark (or working in `folder`:
    _marked) are all killed once the memory they hold of their own (RssAnon) passes `megabytes` between
    them, so that a test of something that would take the machine's memory, were it not stopped,
    cannot: RLIMIT_AS (run_packgen's `memory`) cannot hold a browser, which reserves far more address
    space than it uses."""
    done = threading.Event()

    def own(pid: str) -> int:
        try:
            with open(f"/proc/{pid}/status", "rb") as handle:
                return next((int(line.split()[1]) for line in handle if line.startswith(b"RssAnon:")), 0) // 1024
        except OSError:
            return 0

    def guard() -> None:
        while not done.wait(0.25):
            marked = _marked(mark, folder)
            if sum(map(own, marked)) > megabytes:
                for pid in marked:
                    with contextlib.suppress(OSError):
                        os.kill(int(pid), signal.SIGKILL)

    watching = threading.Thread(target=guard, daemon=True)
    watching.start()
    try:
        yield
    finally:
        done.set()
        watching.join()


def ended_when_told(command: subprocess.Popen, mark: str = "") -> tuple[str, list[str]]:
    """(what a command told to stop said on stderr, the processes marked `mark` that outlived it).
    A command started in a session of its own that does not end, and whatever outlives it, is killed
    (its process group), so that no test leaves them running."""
    try:
        _, said = command.communicate(timeout=120)
    except subprocess.TimeoutExpired:  # its workers hold its output open
        os.killpg(command.pid, signal.SIGKILL)
        command.communicate()
        raise AssertionError("the command did not end when told to stop") from None
    left = outlived_by(mark) if mark else []
    if left:
        os.killpg(command.pid, signal.SIGKILL)
    return said, left


def missing(why: str) -> None:
    """A client the test needs is not installed: fail in CI (where .ci/run installs it), skip elsewhere.

    In CI a skipped client check would be a check that silently stopped running.
    """
    if IN_CI:
        pytest.fail(f"{why} (.ci/run installs it; CI must run every client check)")
    pytest.skip(why)


def require(tool: str) -> str:
    """The path of a client program, or `missing` it."""
    path = shutil.which(tool)
    if path is None:
        missing(f"{tool} is not installed")
    return path  # type: ignore[return-value]


def make_pack(root: Path) -> tuple[Path, Path]:
    """Write a minimal valid pack for another organisation: sources, and a templates folder beside them
    with a document template each (theme, labels and the rest are packgen's own); return both dirs."""
    sources = root / "sources"
    templates = root / "templates"
    (templates / "documents").mkdir(parents=True)
    sources.mkdir(parents=True)
    docs = "\n".join(f"  - {{id: {d}, source: {d}.md, kind: {kind}}}" for d, kind in MINI_DOCUMENTS)
    (sources / "pack.yaml").write_text(MINI_PACK.format(documents=docs), "utf-8")
    for d in MINI_IDS:
        title = d.replace("-", " ").title()
        (sources / f"{d}.md").write_text(MINI_DOCUMENT.format(title=title), "utf-8")
        (templates / "documents" / f"{d}.md.j2").write_text(GENERIC_TEMPLATE, "utf-8")
    return sources, templates


def own_copy(templates: Path, name: str) -> Path:
    """The pack's own copy of one of packgen's templates (a file or a folder), made so a test can edit
    it: the pack's own wins over packgen's."""
    source, target = PACKGEN_TEMPLATES / name, templates / name
    if target.exists():
        return target
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    return target


def own_labels(sources: Path, language: str = "en-GB") -> Path:
    """The pack's own labels file for a language, a copy of packgen's en-GB labels to edit."""
    target = sources / "labels" / f"{language}.yaml"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PACKGEN_TEMPLATES / "labels" / "en-GB.yaml", target)
    return target


@pytest.fixture(scope="session")
def theme() -> Theme:
    """packgen's own theme (packgen/templates/theme.yaml)."""
    return samples.theme()


@pytest.fixture
def mini_pack(tmp_path: Path) -> tuple[Path, Path]:
    return make_pack(tmp_path)


def run_packgen(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                largest_file: int | None = None, memory: int | None = None,
                timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the installed command as a comms editor would, capturing what it prints. With `largest_file`,
    the disk refuses to let any file grow past that many bytes, as a full disk or a quota does. With
    `memory`, the command may take no more than that many bytes of memory (its address space), so a test
    of something that would take the machine's memory, were it not stopped, cannot. Past `timeout`
    seconds the command is ended and the test fails."""
    limited = largest_file is not None or memory is not None
    return subprocess.run([sys.executable, "-m", "packgen", *args], cwd=cwd or ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})},
                          preexec_fn=(lambda: _limited(largest_file, memory)) if limited else None)


def _limited(largest_file: int | None, memory: int | None) -> None:
    if largest_file is not None:
        # Past the limit a write fails (EFBIG) rather than killing the process (SIGXFSZ), as on a full disk.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (largest_file, largest_file))
    if memory is not None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """packgen's per-user cache for this test session only: tests start from an empty cache, as CI
    does, and leave the developer's own alone."""
    folder = tmp_path_factory.mktemp("packgen-cache")
    os.environ["PACKGEN_CACHE"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def built_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped pack, built once per test session into a temporary folder."""
    out = tmp_path_factory.mktemp("pack") / "build"
    result = run_packgen("build", "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    return out
