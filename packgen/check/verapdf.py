"""veraPDF, the reference PDF/UA validator, when it is on this machine, folded into our findings.

packgen's own PDF rules are the part of PDF/UA-1 a comms editor meets most; veraPDF checks every
machine-checkable clause of ISO 14289-1. It is optional, like axe-core for web pages: packgen must
check a pack where there is no Java, so without veraPDF the check says once that only packgen's own
rules ran. One Java process validates every PDF, because Java is slow to start.

packgen finds veraPDF through PACKGEN_VERAPDF (the folder of veraPDF's jars, as Maven's
greenfield-apps and its dependencies, or the `verapdf` program itself), else the `verapdf` program
the official installer puts on PATH. This module is the one place that knows how to run veraPDF and
read its report; the tests use it too.

A hostile PDF could make Java take the machine's memory, so `packgen check` gives Java's heap the
bound --memory gives packgen's own readers (-Xmx, through JAVA_TOOL_OPTIONS, which every JVM reads,
the `verapdf` launcher's included). Java stops outright when the heap is full
(-XX:+ExitOnOutOfMemoryError: veraPDF's own catch of it leaves a half-written report); the PDFs that
report does not cover are then checked again, the first on its own, so the file that does not fit is
the one named and no PDF veraPDF reported on is checked again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from packgen.check.context import FileContext
from packgen.check.findings import Finding, error, info, stopped_reading

ENVIRONMENT = "PACKGEN_VERAPDF"
MAIN = "org.verapdf.apps.GreenfieldCliWrapper"
JARS = "greenfield-apps-*.jar"
SECONDS = 120
SECONDS_PER_FILE = 30
SHOWN_PER_RULE = 5  # the places veraPDF lists for each failed rule; the count says how many in all
HOW_TO_GET = ("install Java 17 and veraPDF (verapdf.org; its installer puts `verapdf` on PATH), or set "
              f"{ENVIRONMENT} to the folder of veraPDF's jars (`make test` fetches them into tests/validators/lib)")
PAGE = re.compile(r"pages\[(\d+)\]")
# what Java says, on standard output, as -XX:+ExitOnOutOfMemoryError stops it (and veraPDF's own log, on
# standard error, when it catches the error first)
OUT_OF_MEMORY = "java.lang.OutOfMemoryError"
# where the list of jobs starts in veraPDF's JSON report, what may stand before a job, and what between two
JOBS = re.compile(r'"jobs"\s*:\s*\[')
WHITESPACE = re.compile(r"\s*")
NEXT_JOB = re.compile(r"\s*,")
# ISO 14289-1 clauses, by their first one or two numbers, and what fixes a failure of them, in plain
# words; the most precise entry wins. Where packgen can say no more, veraPDF's own words stand.
CLAUSE_FIXES = {
    "5": "Mark the file as PDF/UA: export it with the PDF/UA option on, which writes pdfuaid:part in the XMP "
         "metadata.",
    "6.2": "Export it as PDF/UA with the PDF/UA option on; the file's own syntax breaks the standard.",
    "7.1": "Tag all the content: each heading, paragraph, list, table and picture has its tag, and decoration "
           "(page numbers, lines, backgrounds) is marked as an artifact.",
    "7.2": "Set the document's language (and the language of any passage in another language).",
    "7.3": "Give every picture alternative text, or mark it as decoration.",
    "7.4": "Tag the headings as headings, in order, without skipping a level.",
    "7.5": "Give each table a header row (TH cells) and tag it as a table.",
    "7.6": "Tag lists as lists: each item an LI holding its bullet or number (Lbl) and its text (LBody).",
    "7.7": "Tag mathematics as Formula with alternative text.",
    "7.9": "Tag notes and references as Note elements, each with its own ID.",
    "7.10": "Remove optional-content configurations without names, or name them.",
    "7.11": "Give every embedded file a description.",
    "7.15": "Do not use XFA forms: export the form as an ordinary (AcroForm) PDF form.",
    "7.16": "Let assistive technology read the file: remove the security setting that stops text being copied.",
    "7.18": "Tag every link and form field (Link and Form elements), give each a description, and set the tab "
            "order to follow the structure.",
    "7.20": "Remove reference XObjects; draw the content in the file itself.",
    "7.21": "Embed every font, with a Unicode map for each, when exporting.",
}


@dataclass(frozen=True)
class RuleFailure:
    """One rule of the profile that failed: its clause, veraPDF's words, and where it failed."""

    specification: str
    clause: str
    test: int
    description: str
    checks: int  # how many places failed it
    pages: tuple[int, ...]  # the page numbers (from 1) veraPDF names, in its order, without repeats

    @property
    def id(self) -> str:
        return f"{self.clause}-{self.test}"


@dataclass(frozen=True)
class Report:
    """veraPDF's verdict on one file under one profile, or why it could not give one (``problem``)."""

    profile: str
    compliant: bool
    passed_rules: int
    failed_rules: int
    failures: tuple[RuleFailure, ...]
    problem: str = ""
    out_of_memory: bool = False  # veraPDF needed more than its bound to check it


class VeraPdfUnavailable(Exception):
    """veraPDF is not here, or it did not finish: the reason, for one info line."""


def command() -> list[str] | None:
    """How veraPDF runs here, up to its options; None when it is not installed."""
    named = os.environ.get(ENVIRONMENT, "").strip()
    if named:
        where = Path(named).expanduser()
        java = shutil.which("java")
        if where.is_dir() and any(where.glob(JARS)) and java:
            return [java, "-cp", f"{where}{os.sep}*", MAIN]
        if where.is_file() and os.access(where, os.X_OK):
            return [str(where)]
        return None
    program = shutil.which("verapdf")
    return [program] if program else None


def unavailable_reason() -> str | None:
    """Why veraPDF cannot run here, or None when it can."""
    if command() is not None:
        return None
    named = os.environ.get(ENVIRONMENT, "").strip()
    if named and Path(named).expanduser().is_dir() and any(Path(named).expanduser().glob(JARS)):
        return "Java is not installed"
    if named:
        return f"{ENVIRONMENT} names {named}, which holds no veraPDF ({JARS} or the verapdf program)"
    return "veraPDF was not found"


def validate(paths: list[Path], flavour: str | Path = "ua1", memory_mb: int | None = None) -> dict[Path, Report]:
    """Each file's report under one of veraPDF's built-in profiles (``ua1`` is PDF/UA-1), or the
    profile file `flavour` names (such as veraPDF's WCAG 2.2 profile), in one process.

    Keys are the paths as given. ``memory_mb`` bounds Java's heap; a file veraPDF cannot check within
    it gets a report that says so (``out_of_memory``). Raises VeraPdfUnavailable when veraPDF is not
    here or gives no report.
    """
    run = command()
    if run is None:
        raise VeraPdfUnavailable(unavailable_reason() or "veraPDF was not found")
    if not paths:
        return {}
    done = _run(run, paths, flavour, memory_mb)
    if memory_mb is not None and (OUT_OF_MEMORY in done.stdout or OUT_OF_MEMORY in done.stderr):
        return _after_out_of_memory(paths, done, flavour, memory_mb)
    return _reports(paths, done)


def _after_out_of_memory(paths: list[Path], done: subprocess.CompletedProcess, flavour: str | Path,
                         memory_mb: int) -> dict[Path, Report]:
    """The reports of a run Java stopped when the heap was full: veraPDF writes each PDF's report as
    it finishes it, so the PDFs the cut-off report covers keep theirs. The first it does not cover is
    checked on its own, as the PDFs before it may have left the heap full, so that a PDF said not to
    fit is one that does not fit alone; the rest are checked again in one process."""
    if len(paths) == 1:
        return {paths[0]: Report("", False, 0, 0, (), f"veraPDF needed more than {memory_mb} MB of memory to "
                                 "check it, so it was stopped", out_of_memory=True)}
    reported = _by_name(paths, _whole_jobs(done.stdout))
    left = [path for path in paths if path not in reported]
    if not left:
        return reported
    return {**reported, **validate(left[:1], flavour, memory_mb), **validate(left[1:], flavour, memory_mb)}


def _run(run: list[str], paths: list[Path], flavour: str | Path, memory_mb: int | None) -> subprocess.CompletedProcess:
    profile = ["--profile", str(flavour)] if isinstance(flavour, Path) else ["--flavour", flavour]
    cmd = [*run, *profile, "--format", "json", "--maxfailuresdisplayed", str(SHOWN_PER_RULE),
           *(str(p.resolve()) for p in paths)]
    env = None
    if memory_mb is not None:  # the last -Xmx wins, so ours bounds Java whatever the user's options say
        options = f"{os.environ.get('JAVA_TOOL_OPTIONS', '')} -Xmx{memory_mb}m -XX:+ExitOnOutOfMemoryError"
        env = {**os.environ, "JAVA_TOOL_OPTIONS": options.strip()}
    try:
        return subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, env=env,
                              timeout=SECONDS + SECONDS_PER_FILE * len(paths))
    except subprocess.TimeoutExpired:
        raise VeraPdfUnavailable("it did not finish in time") from None
    except OSError as exc:
        raise VeraPdfUnavailable(f"it could not start ({exc.strerror or exc})") from None


def _reports(paths: list[Path], done: subprocess.CompletedProcess) -> dict[Path, Report]:
    try:
        jobs = json.loads(done.stdout)["report"]["jobs"]
    except (ValueError, KeyError, TypeError):
        last = (done.stderr.strip().splitlines() or ["no report"])[-1]
        raise VeraPdfUnavailable(f"it gave no report ({last})") from None
    reports = _by_name(paths, jobs)
    for path in paths:
        reports.setdefault(path, Report("", False, 0, 0, (), "veraPDF did not report on it"))
    return reports


def _by_name(paths: list[Path], jobs: list) -> dict[Path, Report]:
    """The report of each of ``paths`` that one of veraPDF's jobs names."""
    by_name = {str(p.resolve()): p for p in paths}
    reports: dict[Path, Report] = {}
    for job in jobs:
        path = by_name.get(str(((job if isinstance(job, dict) else {}).get("itemDetails") or {}).get("name", "")))
        if path is not None:
            reports[path] = _report(job)
    return reports


def _whole_jobs(report: str) -> list[dict]:
    """The jobs a JSON report cut off mid-way holds in full, in its order; one cut off is left out."""
    start = JOBS.search(report)
    decoder, jobs = json.JSONDecoder(), []
    at = start.end() if start else len(report)
    while True:
        try:
            job, at = decoder.raw_decode(report, WHITESPACE.match(report, at).end())
        except ValueError:
            return jobs
        jobs.append(job)
        after = NEXT_JOB.match(report, at)
        if after is None:
            return jobs
        at = after.end()


def _report(job: dict) -> Report:
    if job.get("taskException"):
        problem = job["taskException"].get("exceptionMessage") or job["taskException"].get("exception") or ""
        return Report("", False, 0, 0, (), problem.removeprefix("Exception: ") or "veraPDF could not read it")
    results = job.get("validationResult")
    outcome = results[0] if isinstance(results, list) and results else results
    if not isinstance(outcome, dict):
        return Report("", False, 0, 0, (), "veraPDF gave no result for it")
    details = outcome.get("details") or {}
    failures = tuple(_failure(rule) for rule in details.get("ruleSummaries", [])
                     if rule.get("ruleStatus") == "FAILED")
    return Report(str(outcome.get("profileName", "")), bool(outcome.get("compliant")),
                  int(details.get("passedRules", 0)), int(details.get("failedRules", 0)), failures)


def _failure(rule: dict) -> RuleFailure:
    pages: list[int] = []
    for check in rule.get("checks", []):
        found = PAGE.search(str(check.get("context", "")))
        if found and int(found.group(1)) + 1 not in pages:
            pages.append(int(found.group(1)) + 1)
    return RuleFailure(str(rule.get("specification", "")), str(rule.get("clause", "")),
                       int(rule.get("testNumber", 0)), str(rule.get("description", "")),
                       int(rule.get("failedChecks", 0)), tuple(pages))


def clause_fix(clause: str) -> str:
    """The plain-words fix for a clause of ISO 14289-1: its own, or its section's, or ''."""
    parts = clause.split(".")
    for n in range(len(parts), 0, -1):
        fix = CLAUSE_FIXES.get(".".join(parts[:n]))
        if fix:
            return fix
    return ""


def findings_for(ctx: FileContext, report: Report) -> list[Finding]:
    """One finding per failed rule of one file's report, named by its clause."""
    if report.out_of_memory:
        return [stopped_reading(ctx.label, report.problem)]
    if report.problem:
        return [error("verapdf-error", ctx.label, "whole file", f"veraPDF could not check the file: "
                      f"{report.problem}.", "Open the file in a PDF reader; export it again as PDF/UA.")]
    findings = []
    for failure in report.failures:
        standard = failure.specification.split(":")[0] or "ISO 14289-1"
        more = len(failure.pages) > 5 or failure.checks > SHOWN_PER_RULE  # veraPDF names only some places
        pages = ", ".join(map(str, failure.pages[:5])) + (" and others" if more else "")
        where = (f"page{'s' if len(failure.pages) > 1 else ''} {pages}" if failure.pages else "whole file")
        places = f" ({failure.checks} places)" if failure.checks > 1 else ""
        findings.append(error(
            f"verapdf-{failure.id}", ctx.label, where,
            f"veraPDF {failure.id} ({standard} {failure.clause}): {failure.description}{places}.",
            clause_fix(failure.clause) or f"See clause {failure.clause} of {standard} (the Matterhorn Protocol "
                                          "lists what fails it)."))  # where to fix it: packgen.check.advice
    return findings


def run_verapdf(contexts: list[FileContext], memory_mb: int) -> list[Finding]:
    """veraPDF's PDF/UA-1 findings for these PDFs, Java's heap held to ``memory_mb``, or one info line
    saying why it did not run."""
    if not contexts:
        return []
    try:
        reports = validate([c.path for c in contexts], "ua1", memory_mb)
    except VeraPdfUnavailable as exc:
        return [info("verapdf-unavailable", "(pdf)", "-",
                     f"PDFs checked with packgen's own rules only, not veraPDF: {exc}.",
                     f"For every PDF/UA-1 rule, {HOW_TO_GET}.")]
    findings: list[Finding] = []
    for ctx in contexts:
        findings.extend(findings_for(ctx, reports[ctx.path]))
    return findings
