"""One finding: what is wrong, where, and how a comms editor fixes it.

Every checker (DOCX, PDF, HTML, easy read, axe-core) returns these, so the report, the exit status
and the JSON output never need to know which checker spoke.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    """One problem in one file. ``where`` names a page, paragraph or element so a person can find it."""

    severity: Severity
    rule: str
    file: str
    where: str
    message: str
    fix: str

    def to_json(self) -> dict:
        return asdict(self)


def error(rule: str, file: str, where: str, message: str, fix: str) -> Finding:
    return Finding("error", rule, file, where, message, fix)


def warning(rule: str, file: str, where: str, message: str, fix: str) -> Finding:
    return Finding("warning", rule, file, where, message, fix)


def info(rule: str, file: str, where: str, message: str, fix: str = "") -> Finding:
    return Finding("info", rule, file, where, message, fix)


def has_errors(findings: list[Finding]) -> bool:
    """Errors decide the exit status; warnings and info lines never fail a build."""
    return any(f.severity == "error" for f in findings)
