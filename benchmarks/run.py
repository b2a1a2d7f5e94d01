"""`make bench`: time whole commands as a comms editor runs them, several runs each, on this machine.

Each case runs in fresh processes (so imports and start-up are counted, as a user pays them);
the table reports the median with min and max, the peak memory (of the whole process tree, see run()),
and the target. Where pandoc + LibreOffice or Typst are installed, the same content is timed
through them too, for the ratios the speed issue asks for. Timings are never asserted in tests:
this table is the check.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GROUPS = ("build", "forms", "audio", "long", "preview", "compare")  # what --only may pick
BIN = ROOT / ".venv" / "bin"
PACKGEN = [str(BIN / "python"), "-m", "packgen"]


@dataclass
class Result:
    case: str
    target: str
    times: list[float]
    peak_mb: float
    note: str = ""

    def row(self) -> str:
        if not self.times:
            return f"| {self.case} | n/a | n/a | n/a | {self.target} | {self.note} |"
        med, lo, hi = statistics.median(self.times), min(self.times), max(self.times)
        return (f"| {self.case} | {med:.3f} s | {lo:.3f} / {hi:.3f} s | {self.peak_mb:.0f} MB | {self.target} | "
                f"{self.note} |")


def run(cmd: list[str], cwd: Path = ROOT, env: dict | None = None, sample: bool = False) -> tuple[float, float]:
    """Run a command; return (seconds, peak MB).

    With `sample`, the peak is the memory of the whole process tree at once (packgen forks worker
    processes that run side by side): the sum of each process's proportional set size (PSS: pages
    shared after a fork counted once in all), read every 20 ms by a thread while the command runs.
    Reading it takes CPU from the command, so timed runs do not sample: their peak is only the
    largest single process's (wait4's maximum resident size).
    """
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, **(env or {})})
    sampled = [0.0]
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.02):
            sampled[0] = max(sampled[0], tree_pss_mb(process.pid))

    watcher = threading.Thread(target=watch, daemon=True)
    if sample:
        watcher.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    if sample:
        watcher.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"benchmark command failed ({process.returncode}): {' '.join(cmd)}")
    return seconds, max(sampled[0], usage.ru_maxrss / 1024)


def tree_pss_mb(root: int) -> float:
    """The summed PSS of a process and all its descendants, in MB (0 where /proc is not readable)."""
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{pid}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total / 1024


def repeat(runs: int, setup: Callable[[], None], cmd: Callable[[], list[str]], **kw) -> tuple[list[float], float]:
    """Run `cmd` `runs` times, `setup` before each, for the times; then once more, sampling the
    memory of its whole process tree (see run()). Return the times and that peak."""
    times = []
    for _ in range(runs):
        setup()
        seconds, _ = run(cmd(), **kw)
        times.append(seconds)
    setup()
    _, peak = run(cmd(), sample=True, **kw)
    return times, peak


def side_by_side(runs: int, cases: list[tuple[Callable[[], None], Callable[[], list[str]]]]
                 ) -> list[tuple[list[float], float]]:
    """Like repeat() for several commands whose times are compared, run in turn (A B, B A, A B...):
    this machine's speed drifts from minute to minute, and a ratio of two medians taken minutes apart
    would measure the drift as much as the commands."""
    times: list[list[float]] = [[] for _ in cases]
    for n in range(runs):
        order = list(enumerate(cases))
        for index, (setup, cmd) in order if n % 2 == 0 else order[::-1]:
            setup()
            times[index].append(run(cmd())[0])
    peaks = []
    for setup, cmd in cases:
        setup()
        peaks.append(run(cmd(), sample=True)[1])
    return list(zip(times, peaks, strict=True))


def make_cmd(work: Path, *extra: str) -> list[str]:
    return ["make", "-s", "-C", str(ROOT), f"BUILD={work / 'build'}", f"SOURCES={work / 'sources'}",
            f"TEMPLATES={work / 'sources' / 'templates'}", *extra]


def copy_pack(work: Path, root: Path = ROOT) -> None:
    """A copy of `root`'s pack: its sources, with the pack's own templates (an older checkout kept them
    in a top-level templates/ folder, copied beside the sources)."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copytree(root / "sources", work / "sources")
    if (root / "templates").is_dir():
        shutil.copytree(root / "templates", work / "templates")


def templates_of(work: Path) -> Path:
    return work / "templates" if (work / "templates").is_dir() else work / "sources" / "templates"


def long_charter(work: Path, pages: int) -> None:
    """A pack whose charter runs to about `pages` pages: the shipped sections, repeated."""
    copy_pack(work)
    charter = work / "sources" / "charter.md"
    text = charter.read_text("utf-8")
    body = ("\n\n## Practice note {n} {{#note-{n}}}\n\nIn practice note {n}, partners meet as equals to plan, "
            "deliver and review the work together. " * 1 + "People with lived experience are paid for their "
            "time and their expenses are met in advance. Meetings are held in accessible places, papers are "
            "sent early, and there is time to reflect together afterwards.\n\n- Plan together\n- Pay promptly\n"
            "- Review and reflect\n\n| Step | Who | When |\n| --- | --- | --- |\n| Plan | Everyone | Month 1 |\n"
            "| Review | Everyone | Month 3 |\n\n::: easy-read\n- ![A handshake](handshake) We plan together.\n"
            ":::\n")
    extra = "".join(body.format(n=i) for i in range(int(pages * 2.65)))  # about 2.65 notes fill a page
    charter.write_text(text + extra, "utf-8")  # the charter's template prints every section, the notes too


def organisations_csv(path: Path, count: int) -> Path:
    """A CSV like one saved from Excel: one organisation a row, every required pledge field filled."""
    rows = ["organisation,lead-name,lead-role,email,telephone"]
    for n in range(count):
        rows.append(f"Organisation {n} & Partners,Alex Example {n},Co-production lead,lead{n}@example.org,"
                    f"0121 000 {n:04d}")
    path.write_text("\n".join(rows) + "\n", "utf-8-sig")
    return path


def spoken_minutes(out: Path) -> float:
    """How long the recordings last: each transcript's last cue's end (WebVTT: --> HH:MM:SS.mmm)."""
    total = 0.0
    for vtt in out.rglob("*.vtt"):
        ends = re.findall(r"--> (\d+):(\d\d):(\d\d\.\d+)", vtt.read_text("utf-8"))
        hours, minutes, seconds = ends[-1] if ends else ("0", "0", "0")
        total += int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    return total / 60


def pages_of(manifest: Path, document: str, fmt: str) -> int:
    for output in json.loads(manifest.read_text("utf-8"))["outputs"]:
        if output["document"] == document and output["format"] == fmt and output["variant"] == "standard":
            return output.get("pages") or 0
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per case (default 5)")
    parser.add_argument("--quick", action="store_true", help="fewer runs and no 500-page case")
    parser.add_argument("--against", type=Path, metavar="CHECKOUT",
                        help="also time another checkout of packgen (with its own .venv) in turn with this one: "
                             "a clean build, a build with nothing changed and one after an edit, and their ratios")
    parser.add_argument("--only", type=lambda v: set(v.split(",")), default=set(GROUPS), metavar="GROUPS",
                        help=f"only these groups of cases, comma-separated: {', '.join(GROUPS)} (default: all)")
    args = parser.parse_args()
    if args.only - set(GROUPS):
        parser.error(f"unknown group {', '.join(sorted(args.only - set(GROUPS)))}: choose from {', '.join(GROUPS)}")
    runs = 2 if args.quick else args.runs
    results: list[Result] = []
    tmp = Path(tempfile.mkdtemp(prefix="packgen-bench-"))
    work = tmp / "pack"
    copy_pack(work)
    print(f"packgen benchmarks on {os.cpu_count()} cores, {runs} runs each", file=sys.stderr)

    def clean() -> None:
        shutil.rmtree(work / "build", ignore_errors=True)

    if args.only & {"build", "compare"}:
        times, peak = repeat(runs, clean, lambda: make_cmd(work, "-j2"))
        clean_build = Result("full clean build, `make -j2`", "<= 1.0 s", times, peak)
        results.append(clean_build)
    if "build" in args.only:
        results.extend(rebuilds(work, tmp, runs, clean))
    if "forms" in args.only:
        results.extend(forms(tmp, runs))
    if "audio" in args.only:
        results.extend(audio(work, tmp, runs))
    if "long" in args.only:
        results.extend(long_documents(tmp, runs, (50, 100) if args.quick else (50, 100, 500)))
        results.extend(long_paragraph(tmp, runs, (100_000, 400_000)))
        results.extend(long_table(tmp, runs, (2_000, 8_000)))
        results.extend(long_import(tmp, runs, 1_500))
    if "preview" in args.only:
        results.extend(preview_latency(tmp / "preview", max(runs, 5)))
    if "compare" in args.only:
        results.extend(comparisons(tmp, work, runs, clean_build))
    if args.against:
        results.extend(against(args.against.resolve(), tmp, runs))

    print("\n| case | median | min / max | peak memory | target | note |")
    print("| --- | --- | --- | --- | --- | --- |")
    for result in results:
        print(result.row())
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def rebuilds(work: Path, tmp: Path, runs: int, clean: Callable[[], None]) -> list[Result]:
    """A clean build with packgen's cache empty, a build with nothing changed and one after an edit."""
    results = []

    # The same with packgen's per-user cache empty (prepared pictures, compiled templates): the first
    # build on a new machine, or after packgen or a picture changed. Not the clean build, which
    # keeps the cache as `make clean` does (like ccache or __pycache__), so it has no target; it is
    # timed so that what a new machine pays is seen, and kept down.
    cold = tmp / "empty-cache"

    def clean_and_forget() -> None:
        clean()
        shutil.rmtree(cold, ignore_errors=True)

    times, peak = repeat(runs, clean_and_forget, lambda: make_cmd(work, "-j2"), env={"PACKGEN_CACHE": str(cold)})
    results.append(Result("full clean build, `make -j2`, empty cache", "(first build)", times, peak,
                          "packgen's cache empty too (`make clean` keeps it)"))

    times, peak = repeat(runs, lambda: None, lambda: make_cmd(work))
    results.append(Result("`make` with nothing changed", "<= 0.2 s", times, peak))

    charter = work / "sources" / "charter.md"
    original = charter.read_text("utf-8")
    counter = iter(range(10_000))

    def edit() -> None:
        charter.write_text(original.replace("collective wisdom", f"collective wisdom ({next(counter)})", 1), "utf-8")

    times, peak = repeat(runs, edit, lambda: make_cmd(work))
    results.append(Result("`make` after editing one paragraph", "<= 0.5 s", times, peak))
    charter.write_text(original, "utf-8")
    return results


def forms(tmp: Path, runs: int) -> list[Result]:
    """1,000 personalised pledge forms in each format, then 500 of each read back by register."""
    results = []
    csv = organisations_csv(tmp / "organisations.csv", 1000)
    for fmt in ("pdf", "docx"):
        forms_out = tmp / f"forms-{fmt}"

        def clear(folder: Path = forms_out) -> None:
            shutil.rmtree(folder, ignore_errors=True)

        times, peak = repeat(max(1, runs // 2), clear, lambda fmt=fmt, out=forms_out: PACKGEN + [
            "forms", "--organisations", str(csv), "--format", fmt, "--out", str(out)])
        size = sum(f.stat().st_size for f in forms_out.rglob("*") if f.is_file()) / 1e6
        results.append(Result(f"1,000 personalised pledge forms, {fmt.upper()}", "<= 5 s", times, peak,
                              f"{size:.0f} MB written"))
    returned = tmp / "returned"
    returned.mkdir()
    for fmt in ("pdf", "docx"):
        for path in sorted((tmp / f"forms-{fmt}").rglob(f"*.{fmt}"))[:500]:
            shutil.copy(path, returned / path.name)
    times, peak = repeat(max(1, runs // 2), lambda: None, lambda: PACKGEN + [
        "register", str(returned), "--out", str(tmp / "register.csv")])
    results.append(Result("`packgen register`, 500 PDF + 500 DOCX returns", "(no target)", times, peak))
    return results


def audio(work: Path, tmp: Path, runs: int) -> list[Result]:
    # Audio is built only when asked, being slow: every easy-read document spoken, with its transcript.
    audio_out = tmp / "audio"
    times, peak = repeat(max(1, runs // 2), lambda: None, lambda: PACKGEN + [
        "build", "--sources", str(work / "sources"), "--out", str(audio_out), "--format", "audio", "--force", "-q"])
    return [Result("audio of the easy-read documents (`--format audio`)", "(no target)", times, peak,
                   f"{spoken_minutes(audio_out):.0f} minutes spoken")]


def long_documents(tmp: Path, runs: int, sizes: tuple[int, ...]) -> list[Result]:
    """The charter repeated to about `sizes` pages, built alone to PDF and Word."""
    results = []
    for size in sizes:
        long_dir = tmp / f"long-{size}"
        long_charter(long_dir, size)
        cmd = PACKGEN + ["build", "--sources", str(long_dir / "sources"),
                         "--out", str(long_dir / "build"), "--document", "charter", "--variant", "standard",
                         "--format", "pdf,docx", "--force", "-q"]
        times, peak = repeat(max(1, runs // 2), lambda: None, lambda cmd=cmd: cmd)
        pages = pages_of(long_dir / "build" / "manifest.json", "charter", "pdf")
        per_page = statistics.median(times) / pages * 1000 if pages else 0
        results.append(Result(f"charter of {pages} pages to PDF and DOCX", "500 pages <= 10 s", times, peak,
                              f"{per_page:.1f} ms/page"))
    return results



def long_import(tmp: Path, runs: int, paragraphs: int) -> list[Result]:
    """`packgen import` of a Word file of `paragraphs` paragraphs under a heading each twenty, as a
    comms officer brings in a long charter written in Word: its time per paragraph should be flat."""
    import docx

    work = tmp / "import"
    copy_pack(work)
    word = docx.Document()
    for n in range(paragraphs):
        if n % 20 == 0:
            word.add_heading(f"Part {n // 20 + 1}", 2)
        word.add_paragraph(f"Paragraph {n + 1}: people with lived experience are paid for their time.")
    word.save(str(work / "long.docx"))
    cmd = PACKGEN + ["import", str(work / "long.docx"), "--document", "long", "--force", "--pack",
                     str(work / "sources")]
    times, peak = repeat(max(1, runs // 2), lambda: None, lambda: cmd)
    return [Result(f"`packgen import` of a Word file of {paragraphs:,} paragraphs", "flat time per paragraph",
                   times, peak, f"{statistics.median(times) / paragraphs * 1e3:.2f} ms per paragraph")]


def long_table(tmp: Path, runs: int, sizes: tuple[int, ...]) -> list[Result]:
    """The charter with one table of `sizes` rows (a register pasted in whole), built alone to every
    format: its time per row should not grow with the table, as a table crossing many pages once did."""
    results = []
    for size in sizes:
        work = tmp / f"table-{size}"
        copy_pack(work)
        charter = work / "sources" / "charter.md"
        rows = "".join(f"| Partner {n} | Birmingham | 2026-{n % 12 + 1:02d}-01 |\n" for n in range(size))
        charter.write_text(charter.read_text("utf-8") + "\n\n## Partners {#partners easy-read=omit}\n\n"
                           f"| Partner | Place | Joined |\n| --- | --- | --- |\n{rows}", "utf-8")
        cmd = PACKGEN + ["build", "--sources", str(work / "sources"), "--out", str(work / "build"),
                         "--document", "charter", "--variant", "standard", "--format", "html,pdf,docx,brf,epub",
                         "--force", "-q"]
        times, peak = repeat(max(1, runs // 2), lambda: None, lambda cmd=cmd: cmd)
        results.append(Result(f"charter with one table of {size:,} rows, five formats", "flat time per row",
                              times, peak, f"{statistics.median(times) / size * 1e3:.2f} ms per row"))
    return results


def long_paragraph(tmp: Path, runs: int, sizes: tuple[int, ...]) -> list[Result]:
    """The charter with one paragraph of about `sizes` characters (text pasted in whole), and with one
    word as long (a pasted-in string with no space, which each line must cut), built alone to every
    format that lays text out: its time per character should not grow with the paragraph."""
    results = []
    sentence = "People with lived experience are paid for their time and *their expenses* are met in advance. "
    word = "https://example.org/lived-experience/paid-for-their-time?expenses=met-in-advance&"
    for size, kind in [(size, kind) for size in sizes for kind in ("paragraph", "word")]:
        work = tmp / f"{kind}-{size}"
        copy_pack(work)
        charter = work / "sources" / "charter.md"
        long = (sentence if kind == "paragraph" else word) * (size // len(sentence if kind == "paragraph" else word))
        charter.write_text(charter.read_text("utf-8") + f"\n\n## Long note {{#long-note easy-read=omit}}\n\n{long}\n",
                           "utf-8")
        cmd = PACKGEN + ["build", "--sources", str(work / "sources"), "--out", str(work / "build"),
                         "--document", "charter", "--variant", "standard", "--format", "html,pdf,docx,brf,epub",
                         "--force", "-q"]
        times, peak = repeat(max(1, runs // 2), lambda: None, lambda cmd=cmd: cmd)
        results.append(Result(f"charter with one {kind} of {len(long):,} characters, five formats",
                              "flat time per character", times, peak,
                              f"{statistics.median(times) / len(long) * 1e6:.1f} ms per 1,000 characters"))
    return results

# This checkout's build of only the versions and formats named (in argv), with the pack's own files
# all the same: the command line makes those only for a whole build, so the library is called.
SAME_FILES = """import sys
from pathlib import Path
from packgen import writers
from packgen.pack.build import BuildOptions, build
sources, templates, out, variants, formats = sys.argv[1:]
build(BuildOptions(sources=Path(sources), templates=Path(templates), out=Path(out), assemble=True,
                   variants=tuple(variants.split(",")),
                   formats=tuple(f for f in formats.split(",") if f in writers.formats())))
"""


def against(other: Path, tmp: Path, runs: int) -> list[Result]:
    """This checkout and `other` on the same pack, each case run in turn (see side_by_side).

    This checkout makes more files than an older one (more versions and formats), so it is also
    timed making only the versions and formats `other` makes, with the download page, zip,
    combined files and thumbnails of those: the like-for-like ratio."""
    name = f"{other.name} checkout"
    roots = {"this checkout": ROOT, f"this checkout, only what {name} makes": ROOT, name: other}
    works = {label: tmp / f"against-{n}" for n, label in enumerate(roots)}
    for label, root in roots.items():
        copy_pack(works[label], root)

    def command(root: Path, work: Path) -> list[str]:
        # The checkout's own command: `python -m packgen` would import the package in the current folder.
        return [str(root / ".venv" / "bin" / "packgen"), "build", "--sources", str(work / "sources"),
                "--templates", str(templates_of(work)), "--out", str(work / "build"), "-q"]

    run(command(other, works[name]))
    made = json.loads((works[name] / "build" / "manifest.json").read_text("utf-8"))["outputs"]
    variants = ",".join(dict.fromkeys(o["variant"] for o in made if o["variant"] != "all"))
    formats = ",".join(dict.fromkeys(o["format"] for o in made if o["variant"] != "all"))

    def commands(label: str) -> Callable[[], list[str]]:
        work = works[label]
        if roots[label] == other:
            return lambda: command(other, work)
        if label == "this checkout":
            return lambda: command(ROOT, work)
        return lambda: [str(BIN / "python"), "-c", SAME_FILES, str(work / "sources"), str(templates_of(work)),
                        str(work / "build"), variants, formats]

    def clean(work: Path) -> Callable[[], None]:
        return lambda: shutil.rmtree(work / "build", ignore_errors=True)

    def edit(work: Path) -> Callable[[], None]:
        charter = work / "sources" / "charter.md"
        original = charter.read_text("utf-8")
        counter = iter(range(10_000))
        return lambda: charter.write_text(original.replace("collective wisdom", f"collective wisdom ({next(counter)})",
                                                           1), "utf-8")

    results = []
    for case, setup in (("clean build", clean), ("nothing changed", lambda _work: lambda: None),
                        ("after editing one paragraph", edit)):
        measured = side_by_side(runs, [(setup(works[label]), commands(label)) for label in roots])
        rows = [Result(f"{case}, {label}", "(compared)", times, peak)
                for label, (times, peak) in zip(roots, measured, strict=True)]
        for row in rows[:-1]:
            row.note = f"{ratio(row, rows[-1])} of the other checkout's median"
        results.extend(rows)
    return results


def preview_latency(work: Path, runs: int) -> list[Result]:
    """`packgen preview` on the shipped pack, open in Chromium (tests/js/preview_check.mjs): from saving
    a one-paragraph edit of the charter to the changed words shown in the browser, and to its changed
    PDF page pictures drawn there."""
    node, chromium = shutil.which("node"), shutil.which("chromium") or "/usr/bin/chromium"
    cases = ("`packgen preview`: saved edit to changed HTML in the browser", "<= 0.3 s"), \
        ("`packgen preview`: saved edit to changed PDF page picture in the browser", "<= 0.6 s")
    js = ROOT / "tests" / "js"
    if node is None or not Path(chromium).exists() or not (js / "node_modules").is_dir():
        return [Result(case, target, [], 0, "needs node, Chromium and tests/js/node_modules") for case, target in cases]
    copy_pack(work)
    charter = work / "sources" / "charter.md"
    original = charter.read_text("utf-8")
    preview = subprocess.Popen(PACKGEN + ["preview", "--sources", str(work / "sources"), "--templates",
                                          str(work / "sources" / "templates")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    browser = None
    html: list[float] = []
    pdf: list[float] = []
    try:
        url = next(found[1] for line in preview.stdout if (found := re.search(r"at (http://\S+) ", line)))
        threading.Thread(target=lambda: [None for _ in preview.stdout], daemon=True).start()  # keep it unblocked
        steps = [{"present": "collective wisdom"}] + [
            {"present": f"collective wisdom ({n})", "picture": "pages/standard/charter-"} for n in range(runs)]
        browser = subprocess.Popen(["node", str(js / "preview_check.mjs"), "--chromium", chromium, url,
                                    json.dumps(steps)], cwd=js, stdout=subprocess.PIPE, text=True)
        for n in range(-1, runs):
            assert "ready" in json.loads(browser.stdout.readline() or "{}"), "preview_check.mjs stopped"
            saved = time.time() * 1000
            if n >= 0:
                charter.write_text(original.replace("collective wisdom", f"collective wisdom ({n})", 1), "utf-8")
            seen = json.loads(browser.stdout.readline() or "{}")
            assert seen.get("step") == n + 1, "preview_check.mjs stopped"
            if n >= 0:
                html.append((seen["words_at"] - saved) / 1000)
                pdf.append((seen["picture_at"] - saved) / 1000)
            time.sleep(0.5)  # the editor reads the change before the next save
    finally:
        if browser is not None:  # asked to end, its browser ends with it
            browser.terminate()
            browser.wait(timeout=60)
        preview.send_signal(signal.SIGINT)
        preview.wait(timeout=60)
    peak = 0.0  # the preview is resident: its memory is not what this case measures
    return [Result(cases[0][0], cases[0][1], html, peak, "one resident process; memory not measured"),
            Result(cases[1][0], cases[1][1], pdf, peak, "one resident process; memory not measured")]


def ratio(slow: Result, fast: Result) -> str:
    if not (slow.times and fast.times):
        return "n/a"
    return f"{statistics.median(slow.times) / statistics.median(fast.times):.2f}x"


def comparisons(tmp: Path, work: Path, runs: int, clean_build: Result) -> list[Result]:
    """packgen's PDFs alone beside Typst's, and pandoc (Markdown to DOCX) + LibreOffice (DOCX to PDF),
    on the same content, where installed."""
    md_dir = markdown_files(tmp)
    pdf_only = tmp / "pdf-only"
    packgen_pdfs = (lambda: shutil.rmtree(pdf_only, ignore_errors=True), lambda: PACKGEN + [
        "build", "--sources", str(work / "sources"), "--out", str(pdf_only),
        "--format", "pdf", "-q"])
    typst = typst_command(md_dir)
    if typst is None:
        times, peak = repeat(runs, *packgen_pdfs)
        pdfs = Result("packgen: the 14 PDFs alone (clean)", "(for Typst)", times, peak)
        typst_result = Result("Typst, 14 PDF/UA-1 PDFs", "packgen within 2x", [], 0, "typst not installed")
    else:
        (times, peak), (typst_times, typst_peak) = side_by_side(runs, [packgen_pdfs, (lambda: None, lambda: typst)])
        pdfs = Result("packgen: the 14 PDFs alone (clean)", "(for Typst)", times, peak, "run in turn with Typst")
        typst_result = Result("Typst, 14 PDF/UA-1 PDFs (same words)", "packgen within 2x", typst_times, typst_peak)
        typst_result.note = f"packgen's PDFs take {ratio(pdfs, typst_result)} Typst's time"
    out = [pdfs]
    pandoc, soffice = shutil.which("pandoc"), shutil.which("soffice")
    if not (pandoc and soffice):
        out.append(Result("pandoc + LibreOffice, same pack", "packgen >= 2x faster", [], 0, "not installed"))
    else:
        out.append(pandoc_route(pandoc, soffice, md_dir, tmp, runs, clean_build))
    out.append(typst_result)
    return out


def markdown_files(tmp: Path) -> Path:
    """The pack's rendered Markdown, a file per document and variant, pictures left out: what the
    other tools are given."""
    sys.path.insert(0, str(ROOT))
    from packgen.sources.loader import load_pack
    from packgen.templating import Renderer

    pack = load_pack(ROOT / "sources")
    renderer = Renderer(pack, ROOT / "sources" / "templates")
    md_dir = tmp / "markdown"
    md_dir.mkdir()
    for doc_id in pack.documents:
        for variant in ("standard", "easy-read"):
            text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", renderer.render(doc_id, variant))
            (md_dir / f"{variant}-{doc_id}.md").write_text(text, "utf-8")
    return md_dir


def pandoc_route(pandoc: str, soffice: str, md_dir: Path, tmp: Path, runs: int, clean_build: Result) -> Result:
    profile = (tmp / "lo-profile").as_uri()

    def cmd() -> list[str]:
        mds = sorted(md_dir.glob("*.md"))
        script = " && ".join(f"{pandoc} -o {m.with_suffix('.docx')} {m}" for m in mds)
        script += (f" && {soffice} -env:UserInstallation={profile} --headless --convert-to pdf --outdir {md_dir} "
                   + " ".join(str(m.with_suffix(".docx")) for m in mds))
        return ["sh", "-c", script]

    times, peak = repeat(max(1, runs // 2), lambda: None, cmd)
    route = Result("pandoc + LibreOffice: 14 DOCX + 14 PDF", "packgen >= 2x faster", times, peak)
    route.note = f"packgen's clean build (42 files and the pack) is {ratio(route, clean_build)} faster"
    return route


def typst_command(md_dir: Path) -> list[str] | None:
    """Typst (PDF/UA-1) on the same words: headings, paragraphs and lists, one PDF per document
    (None where typst is not installed)."""
    try:
        import typst  # noqa: F401
    except ImportError:
        return None
    for md in sorted(md_dir.glob("*.md")):
        lines = []
        for line in md.read_text("utf-8").splitlines():
            heading = re.match(r"^(#{1,6}) (.*)", line)
            text = re.sub(r"[\\#*_`$@<>\[\]]", "", heading.group(2) if heading else line)
            if heading:
                lines.append("=" * len(heading.group(1)) + " " + text)
            elif re.match(r"^\s*[-*] ", line):
                lines.append("- " + text.lstrip("- ").strip())
            elif line.startswith(("```", ":::", "|", "{")):
                continue
            else:
                lines.append(text)
        title = next((ln[2:] for ln in lines if ln.startswith("= ")), md.stem)
        head = f'#set document(title: "{title}")\n#set text(lang: "en", size: 12pt)\n#set page(paper: "a4")\n'
        md.with_suffix(".typ").write_text(head + "\n".join(lines), "utf-8")
    script = ("import sys, typst, pathlib\n"
              "for t in sorted(pathlib.Path(sys.argv[1]).glob('*.typ')):\n"
              "    typst.compile(str(t), output=str(t.with_suffix('.typst.pdf')), pdf_standards=['ua-1'])\n")
    return [str(BIN / "python"), "-c", script, str(md_dir)]


if __name__ == "__main__":
    sys.exit(main())
