"""`packgen check`: the accessibility checker for DOCX, PDF and HTML, whoever made the files.

Comms staff edit sources and templates; this is what tells them, file by file and in plain words,
when an edit broke accessibility, and where to fix it. Each format has its own module of rules
(docx, pdf, html; easy_read holds the rules shared by the easy-read variants) and every rule returns
the same Finding, so one report serves them all.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from packgen.check.context import FileContext, make_context
from packgen.check.findings import Finding, error, has_errors

CHECKED_SUFFIXES = {".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html"}

__all__ = ["CheckUsageError", "Finding", "check_paths", "collect_files", "has_errors"]


class CheckUsageError(Exception):
    """The check could not run at all (no such path, nothing to check): exit status 2."""


def collect_files(paths: Sequence[Path | str]) -> list[Path]:
    """Every .docx, .pdf and .html named or found under the named folders, in a stable order.

    Names starting with '.' are skipped: they are temporary files of an unfinished build or hidden
    folders such as .git.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise CheckUsageError(f"{path}: no such file or folder")
        if path.is_dir():
            found = []
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in names:
                    if not name.startswith(".") and Path(name).suffix.lower() in CHECKED_SUFFIXES:
                        found.append(Path(folder) / name)
            files.extend(sorted(found))
        elif path.suffix.lower() in CHECKED_SUFFIXES:
            files.append(path)
        else:
            raise CheckUsageError(f"{path}: not a .docx, .pdf or .html file")
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _checker(kind: str) -> Callable[[FileContext], list[Finding]]:
    if kind == "docx":
        from packgen.check.docx import check_docx
        return check_docx
    if kind == "pdf":
        from packgen.check.pdf import check_pdf
        return check_pdf
    from packgen.check.html import check_html
    return check_html


def check_file(path: Path) -> list[Finding]:
    """One file's findings; whatever goes wrong inside a checker becomes a finding, never a traceback."""
    kind = CHECKED_SUFFIXES[path.suffix.lower()]
    ctx = make_context(path, _label(path))
    try:
        return _checker(kind)(ctx)
    except Exception as exc:  # noqa: BLE001 - a hostile file must never stop the whole check
        return [error(f"{kind}-parse", ctx.label, "whole file",
                      f"The checker could not read this file ({type(exc).__name__}: {exc}).",
                      "Rebuild it with 'make'; if it still fails, report it with the file attached.")]


def check_paths(paths: Iterable[Path | str], axe: bool | None = None) -> list[Finding]:
    """Check every file named or found under ``paths``; raises CheckUsageError when it cannot run.

    ``axe``: None runs axe-core on the HTML files when Chromium and the node packages are here (else
    one info finding says so); False never runs it (fast, for tests and quick checks).
    """
    files = collect_files(list(paths))
    findings: list[Finding] = []
    for path in files:
        findings.extend(check_file(path))
    html_files = [f for f in files if CHECKED_SUFFIXES[f.suffix.lower()] == "html"]
    if html_files and axe is not False:
        from packgen.check.axe import run_axe
        findings.extend(run_axe([make_context(f, _label(f)) for f in html_files]))
    return findings
