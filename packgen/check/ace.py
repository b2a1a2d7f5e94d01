"""Ace by DAISY, the publishing world's EPUB accessibility checker, when it is on this machine, folded
into our findings.

packgen's own EPUB rules (check/epub.py) read the package and the markup; Ace renders each content
document in Chromium and runs axe-core and its own EPUB rules on it (metadata, page list, nav). It is
optional, like veraPDF for PDFs: without it, one info line says only packgen's rules ran and how to
get Ace. packgen finds Ace through PACKGEN_ACE (the `ace` program, or `ace-cli` from @daisy/ace-cli),
else `ace` or `ace-cli` on PATH; Ace drives Chromium through puppeteer, given Debian's Chromium unless
PUPPETEER_EXECUTABLE_PATH says otherwise. Ace checks one book a run.

Ace renders the book with its own scripts running (a hostile book's scripts could phone home or probe
the local network), so its Chromium starts with the switches that keep a page off every network
(offline.mjs, loaded into Ace's node by ace_offline.mjs). A book whose manifest leads outside it is not
handed to Ace at all: Ace would open the file of this machine it names.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from packgen.check.axe import CHROMIUM, IMPACT_SEVERITY  # Ace runs axe-core: the same browser, the same impacts
from packgen.check.context import FileContext
from packgen.check.epub import leads_outside
from packgen.check.findings import Finding, error, info, stopped_reading, warning
from packgen.sandbox import OutOfMemory, run_stopping

ENVIRONMENT = "PACKGEN_ACE"
PROGRAMS = ("ace", "ace-cli")
SECONDS_PER_BOOK = 300
SHOWN_PER_RULE = 5
OFFLINE_PRELOAD = Path(__file__).with_name("ace_offline.mjs")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
OUT_OF_MEMORY = "JavaScript heap out of memory"  # what node says as its heap bound stops it
HOW_TO_GET = (f"install Node.js and Ace by DAISY (npm install -g @daisy/ace-cli), or set {ENVIRONMENT} to its "
              "program (`make test` installs it in tests/js/node_modules/.bin/ace-cli)")


def program() -> str | None:
    """Ace's program: PACKGEN_ACE, else `ace` or `ace-cli` on PATH."""
    named = os.environ.get(ENVIRONMENT)
    if named:
        return named if Path(named).is_file() else shutil.which(named)
    return next((found for name in PROGRAMS if (found := shutil.which(name))), None)


def run_ace(contexts: list[FileContext], memory_mb: int) -> list[Finding]:
    """Ace's findings for these e-books, node's heap held to ``memory_mb``, or one info line saying why
    Ace did not run."""
    if not contexts:
        return []
    ace = program()
    browser = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or (str(CHROMIUM) if CHROMIUM.exists() else "")
    if ace is None or not browser:
        missing = "Ace by DAISY was not found" if ace is None else f"Chromium is not installed ({CHROMIUM})"
        return [info("ace-unavailable", "(epub)", "-", f"EPUB checked with packgen's own rules only: {missing}; "
                     f"to check with Ace too, {HOW_TO_GET}.")]
    findings: list[Finding] = []
    for ctx in contexts:
        findings += _check(ace, browser, ctx, memory_mb)
    return findings


def _environment(browser: str, memory_mb: int) -> dict[str, str]:
    """Ace's environment: Debian's Chromium (or the one asked for), started with OFFLINE_SWITCHES by
    OFFLINE_PRELOAD, so the book's own scripts, which Ace runs, reach no network; and node's heap held
    to the bound packgen's own readers have (--memory), so a hostile book cannot take the machine's
    memory through Ace. The heap is node's own memory; run_stopping holds node and its Chromium together
    to the same bound."""
    options = (f"{os.environ.get('NODE_OPTIONS', '')} --import={OFFLINE_PRELOAD.as_uri()} "
               f"--max-old-space-size={memory_mb}").strip()  # the last bound given is the one node keeps
    return {**os.environ, "PUPPETEER_EXECUTABLE_PATH": browser, "NODE_OPTIONS": options}


def _stopped(ctx: FileContext, message: str) -> list[Finding]:
    return [error("ace-error", ctx.label, "whole file", f"{message}.",
                  "Open the e-book in a reading system; rebuild it with 'make'.")]


def _out_of_memory(ctx: FileContext, memory_mb: int) -> Finding:
    return stopped_reading(ctx.label, f"Ace needed more than {memory_mb} MB of memory to check it, so it was stopped")


def _ace_error(said: str) -> str:
    """Ace's own words for why it stopped: its first error line, without the terminal's colours."""
    lines = [" ".join(ANSI.sub("", line).split()) for line in said.splitlines()]
    errors = [line.removeprefix("error:").strip() for line in lines if line.startswith("error:")]
    return (errors or ["it stopped without a report"])[0][:300]


def _check(ace: str, browser: str, ctx: FileContext, memory_mb: int) -> list[Finding]:
    outside = leads_outside(ctx.path)
    if outside:  # Ace would open the file of this machine it names, or stop without a report
        return _stopped(ctx, f"Ace could not open it: {outside}")
    with tempfile.TemporaryDirectory(prefix="packgen-ace-") as out:
        try:
            done = run_stopping([ace, "--outdir", out, str(ctx.path)], SECONDS_PER_BOOK, memory_mb, text=True,
                                errors="replace", env=_environment(browser, memory_mb))
        except OutOfMemory:  # Ace's node and its Chromium together
            return [_out_of_memory(ctx, memory_mb)]
        except subprocess.TimeoutExpired:
            return _stopped(ctx, f"Ace could not check it: it did not finish in {SECONDS_PER_BOOK} seconds")
        except OSError as exc:
            return _stopped(ctx, f"Ace could not check it: it did not start ({exc.strerror or exc})")
        try:
            report = json.loads((Path(out) / "report.json").read_text("utf-8"))
        except (OSError, ValueError):
            if OUT_OF_MEMORY in done.stderr:  # node's heap alone
                return [_out_of_memory(ctx, memory_mb)]
            return _stopped(ctx, f"Ace could not open it: {_ace_error(done.stderr)}")
    failed: dict[str, list[tuple[str, dict]]] = {}
    for group in report.get("assertions", []):
        where = group.get("earl:testSubject", {}).get("url", "")
        for check in group.get("assertions", []):
            if check.get("earl:result", {}).get("earl:outcome") == "fail":
                failed.setdefault(check.get("earl:test", {}).get("dct:title", "unknown"), []).append((where, check))
    findings = []
    for rule, places in failed.items():
        for where, check in places[:SHOWN_PER_RULE]:
            test, result = check.get("earl:test", {}), check.get("earl:result", {})
            impact = test.get("earl:impact", "")
            make = error if IMPACT_SEVERITY.get(impact, "error") == "error" else warning
            css = ", ".join(result.get("earl:pointer", {}).get("css", [])[:1])
            fix = f"See {test.get('help', {}).get('url', 'http://kb.daisy.org/publishing/docs/')}."
            said = result.get("dct:description") or test.get("dct:description", rule)
            reasons = "; ".join(" ".join(line.split()) for line in said.splitlines() if line.strip())
            findings.append(make(f"ace-{rule}", ctx.label, f"{where} {css}".strip(), f"{reasons} ({impact}).", fix))
        if len(places) > SHOWN_PER_RULE:
            findings.append(make(f"ace-{rule}", ctx.label, f"{len(places) - SHOWN_PER_RULE} more places",
                                 "The same problem in more places.", fix))
    return findings
