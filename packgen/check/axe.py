"""axe-core in headless Chromium, when both are on this machine, folded into our findings.

axe checks what needs a rendered page (colour contrast as displayed, WCAG 2.2 target size, ARIA). It
is optional: packgen must check a pack on a machine without a browser, so when Chromium, node or the
axe-core/puppeteer-core packages are missing the HTML check runs without axe and says so in one
info line. One browser serves every file, because Chromium is slow to start.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from packgen.check.context import FileContext
from packgen.check.findings import Finding, error, info, warning
from packgen.sandbox import run_stopping

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


def run_axe(contexts: list[FileContext]) -> list[Finding]:
    """axe findings for these pages, or one info line saying why axe did not run."""
    if not contexts:
        return []
    reason = unavailable_reason()
    if reason:
        return [info("axe-unavailable", "(html)", "-", f"HTML checked without axe-core: {reason}.")]
    modules = node_modules()
    by_path = {str(c.path.resolve()): c for c in contexts}
    cmd = ["node", str(RUNNER), "--node-modules", str(modules), "--chromium", str(CHROMIUM), *by_path]
    try:
        done = run_stopping(cmd, 60 + SECONDS_PER_FILE * len(contexts), text=True)
    except (subprocess.TimeoutExpired, OSError) as exc:
        return [info("axe-unavailable", "(html)", "-", f"HTML checked without axe-core: it did not finish ({exc}).")]
    try:
        data = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return [info("axe-unavailable", "(html)", "-", f"HTML checked without axe-core: it failed ({last}).")]
    findings: list[Finding] = []
    for result in data.get("results", []):
        ctx = by_path.get(result.get("file", ""))
        label = ctx.label if ctx else result.get("file", "?")
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
