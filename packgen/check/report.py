"""The report: one line per finding for people, or JSON for machines."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

from packgen.check.findings import Finding
from packgen.errors import one_line


def text_line(f: Finding) -> str:
    """severity, rule, file, where, what is wrong, and how to fix it, on one line a person can grep."""
    f = shown(f)
    fix = f" Fix: {f.fix}" if f.fix else ""
    return f"{f.severity}: {f.rule}: {f.file}: {f.where}: {f.message}{fix}"


def shown(f: Finding) -> Finding:
    """The finding as it is printed: what a library said over several lines, on one; a file's name
    with a line break or a byte that is not UTF-8 in it, escaped (packgen.errors.one_line)."""
    return replace(f, file=one_line(f.file), where=one_line(" ".join(f.where.split())),
                   message=one_line(" ".join(f.message.split())), fix=one_line(" ".join(f.fix.split())))


def summary(findings: list[Finding], files: int) -> str:
    counts = Counter(f.severity for f in findings)
    e, w = counts.get("error", 0), counts.get("warning", 0)
    verdict = "no accessibility errors" if not e else f"{e} error{'s' if e != 1 else ''}"
    return f"packgen check: {verdict}, {w} warning{'s' if w != 1 else ''} in {files} file{'s' if files != 1 else ''}"


def render_text(findings: list[Finding], files: int) -> str:
    lines = [text_line(f) for f in findings]
    lines.append(summary(findings, files))
    return "\n".join(lines) + "\n"


def render_json(findings: list[Finding], files: int) -> str:
    counts = Counter(f.severity for f in findings)
    data = {
        "files": files,
        "errors": counts.get("error", 0),
        "warnings": counts.get("warning", 0),
        "findings": [shown(f).to_json() for f in findings],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
