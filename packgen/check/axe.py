"""axe-core in headless Chromium, when both are on this machine, folded into our findings.

axe checks what needs a rendered page (colour contrast as displayed, WCAG 2.2 target size, ARIA). It
is optional: packgen must check a pack on a machine without a browser, so when Chromium, node or the
axe-core/puppeteer-core packages are missing the HTML check runs without axe and says so in one
info line. One browser serves every file, because Chromium is slow to start.

A hostile page can make Chromium take the machine's memory (a page of a million elements takes
gigabytes), so the browser is held to the bound --memory gives packgen's own readers: past it, the
browser is killed (packgen.sandbox.run_stopping). The pages it checked keep their results; the page
it was checking is named when it was the browser's first, or else checked again on its own (the
pages before it may have left the browser full), so that a page said not to fit is one that does not
fit alone; the rest are checked again in one browser.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from packgen.check.context import FileContext
from packgen.check.findings import Finding, error, info, stopped_reading, warning
from packgen.sandbox import OutOfMemory, run_stopping

RUNNER = Path(__file__).with_name("axe_runner.mjs")
CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
SECONDS_PER_FILE = 20
IMPACT_SEVERITY = {"critical": "error", "serious": "error", "moderate": "error", "minor": "warning"}


def node_modules() -> Path | None:
    """PACKGEN_NODE_MODULES, else the repo's tests/js/node_modules, when it holds axe-core and puppeteer."""
    candidates = [os.environ.get("PACKGEN_NODE_MODULES"), REPO / "tests" / "js" / "node_modules",
                  Path.cwd() / "tests" / "js" / "node_modules"]
    for c in candidates:
        if c and (Path(c) / "axe-core").is_dir() and (Path(c) / "puppeteer-core").is_dir():
            return Path(c)
    return None


def unavailable_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium is not installed ({CHROMIUM})"
    if shutil.which("node") is None:
        return "node is not installed"
    if node_modules() is None:
        return "axe-core and puppeteer-core were not found (set PACKGEN_NODE_MODULES or run 'make test' once)"
    return None


class AxeFailed(Exception):
    """axe-core did not finish: the reason, for one info line."""


def run_axe(contexts: list[FileContext], memory_mb: int) -> list[Finding]:
    """axe findings for these pages, the browser held to ``memory_mb``, or one info line saying why
    axe did not run."""
    if not contexts:
        return []
    reason = unavailable_reason()
    if reason:
        return [info("axe-unavailable", "(html)", "-", f"HTML checked without axe-core: {reason}.")]
    by_path = {str(c.path.resolve()): c for c in contexts}
    try:
        results = _results(list(by_path), memory_mb)
    except AxeFailed as exc:
        return [info("axe-unavailable", "(html)", "-", f"HTML checked without axe-core: {exc}.")]
    findings: list[Finding] = []
    for file, result in results.items():
        label = by_path[file].label
        if isinstance(result, str):
            findings.append(stopped_reading(label, result))
            continue
        if result.get("error"):
            findings.append(error("axe-error", label, "whole page", f"axe-core could not check the page: "
                                  f"{result['error']}.", "Open the page in a browser; rebuild it with 'make'."))
            continue
        for v in result.get("violations", []):
            make = error if IMPACT_SEVERITY.get(v.get("impact") or "", "error") == "error" else warning
            nodes = v.get("nodes", []) or [{"target": "page", "summary": ""}]
            for node in nodes[:5]:
                summary = " ".join((node.get("summary") or "").split())
                findings.append(make(
                    f"axe-{v.get('id')}", label, f"element {node.get('target')}",
                    f"{v.get('help')} ({v.get('impact')}).",
                    (summary + " " if summary else "") + f"See {v.get('helpUrl')}."))
            if len(nodes) > 5:
                findings.append(make(f"axe-{v.get('id')}", label, f"{len(nodes) - 5} more elements",
                                     f"{v.get('help')} (the same problem in more places).", "As above."))
    return findings


def _results(files: list[str], memory_mb: int) -> dict[str, dict | str]:
    """axe's result for each of ``files`` (absolute paths), in their order, or why Chromium could not
    check it within ``memory_mb``; raises AxeFailed when axe did not finish."""
    cmd = ["node", str(RUNNER), "--node-modules", str(node_modules()), "--chromium", str(CHROMIUM), *files]
    try:
        done = run_stopping(cmd, 60 + SECONDS_PER_FILE * len(files), memory_mb, text=True)
    except OutOfMemory as stopped:
        checked = _checked(stopped.stdout, files)
        left = [file for file in files if file not in checked]
        if not left:
            return checked
        if not checked:  # the page it was checking was the browser's first: it does not fit alone
            first: dict[str, dict | str] = {left[0]: f"Chromium needed more than {memory_mb} MB of memory to "
                                                     "check it with axe-core, so it was stopped"}
        else:
            first = _results(left[:1], memory_mb)
        found = {**checked, **first, **(_results(left[1:], memory_mb) if left[1:] else {})}
        return {file: found[file] for file in files}
    except (subprocess.TimeoutExpired, OSError) as exc:
        raise AxeFailed(f"it did not finish ({exc})") from None
    results = _checked(done.stdout, files)
    if len(results) < len(files):
        raise AxeFailed(f"it failed ({(done.stderr.strip().splitlines() or ['no output'])[-1]})")
    return results


def _checked(printed: str, files: list[str]) -> dict[str, dict]:
    """The result of each of ``files`` the runner printed in full, by file (a line cut off as the
    browser was killed is left out)."""
    results: dict[str, dict] = {}
    for line in printed.splitlines():
        try:
            result = json.loads(line)
        except ValueError:
            continue
        if isinstance(result, dict) and result.get("file") in files:
            results[result["file"]] = result
    return results
